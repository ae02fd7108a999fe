import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileGlob, globProblem, MAX_GLOB_ALTERNATIVES } from '../../../common/glob';

test('*, ?, **, **/ and {} as documented', () => {
  const m = (glob: string, text: string) => compileGlob(glob)(text);
  assert.ok(m('*solver*', 'lenet_solver'));
  assert.ok(!m('*solver*', 'lenet_net'));
  assert.ok(m('a?c', 'abc') && !m('a?c', 'a/c') && !m('a?c', 'abbc'));
  assert.ok(m('a/*.py', 'a/x.py') && !m('a/*.py', 'a/b/x.py'));
  assert.ok(m('a/**', 'a/b/c.py') && m('a/**', 'a/'));
  assert.ok(m('**/x.py', 'x.py') && m('**/x.py', 'p/q/x.py') && !m('**/x.py', 'p/qx.py'));
  assert.ok(m('{a,bc}/d', 'bc/d') && !m('{a,bc}/d', 'b/d'));
  assert.ok(m('a.b', 'a.b') && !m('a.b', 'axb'), 'no character but * ? {} is special');
  assert.ok(m('[x]', '[x]') && m('(a|b)+', '(a|b)+'), 'regular-expression syntax is literal');
  assert.ok(m('', '') && !m('', 'a'));
});

test('withContents: a match also matches everything below it', () => {
  const m = compileGlob('**/build', { withContents: true });
  assert.ok(m('build') && m('x/build/y/z.py') && !m('x/builder/y.py'));
});

test('patterns that make backtracking matchers take minutes are answered at once', () => {
  const name = 'a'.repeat(43);
  for (const glob of [
    '*a*a*a*a*a*a*a*a*a*a*z',
    '****************zz',
    `${'*'.repeat(10)}b`,
    '**a**a**a**a**a**a**z',
  ]) {
    assert.equal(compileGlob(glob)(name), false, glob);
    assert.equal(compileGlob(glob)(`${name}z`), glob.endsWith('zz') ? false : !glob.endsWith('b'), glob);
  }
  // The same patterns over a long path of many folders.
  const deep = Array.from({ length: 2000 }, () => 'aa').join('/');
  assert.equal(compileGlob('**/a*a*a*a*a*a*z/**')(deep), false);
});

test('bounded: an overlong pattern or too many {} alternatives is a problem and matches nothing', () => {
  assert.match(globProblem('x'.repeat(1001)) ?? '', /longer than 1000/);
  const many = '{a,b}'.repeat(7); // 128 alternatives
  assert.match(globProblem(many) ?? '', new RegExp(`more than ${MAX_GLOB_ALTERNATIVES}`));
  assert.equal(compileGlob(many)('aaaaaaa'), false);
  assert.equal(globProblem('{a,b}/**/*.py'), undefined);
});

/** A plain recursive reference (memoised), for globs without {}. */
function reference(glob: string, text: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (g: number, t: number): boolean => {
    const key = `${g},${t}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (g === glob.length) r = t === text.length;
    else if (glob.startsWith('**', g)) {
      let j = g;
      while (glob[j] === '*') j++;
      r = false;
      if (glob[j] === '/') {
        // Stars then '/': nothing, or any run of characters that ends with '/'.
        r = go(j + 1, t);
        for (let k = t; !r && k < text.length; k++) if (text[k] === '/') r = go(j + 1, k + 1);
      } else for (let k = t; !r && k <= text.length; k++) r = go(j, k);
    } else if (glob[g] === '*') {
      r = go(g + 1, t);
      for (let k = t; !r && k < text.length && text[k] !== '/'; k++) r = go(g + 1, k + 1);
    } else if (glob[g] === '?') r = t < text.length && text[t] !== '/' && go(g + 1, t + 1);
    else r = t < text.length && text[t] === glob[g] && go(g + 1, t + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

test('agrees with a reference matcher on random globs and names', () => {
  const globChar = fc.constantFrom('a', 'b', '/', '*', '?', '**', '**/');
  const textChar = fc.constantFrom('a', 'b', '/');
  fc.assert(
    fc.property(fc.array(globChar, { maxLength: 8 }), fc.array(textChar, { maxLength: 10 }), (g, t) => {
      const glob = g.join('');
      const text = t.join('');
      return compileGlob(glob)(text) === reference(glob, text);
    }),
    { numRuns: 3000 },
  );
});
