// The nets of a solver (train net, test nets numbered as Caffe's log numbers them) and where the files
// they name are found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parse } from '../../../../server/src/parser/parse';
import { resolveNetFile, solverNets, triedPlaces } from '../../../../server/src/training/solver-nets';

function nets(text: string): string[] {
  return solverNets(parse(text).fields).map(
    (n) =>
      `${n.source}${n.path !== undefined ? ` ${n.path}` : ''}${n.train ? ' TRAIN' : ''}${n.testNets.length ? ` TEST #${n.testNets.join(',#')}` : ''}`,
  );
}

test('net with test_iter: trained, and one test net per test_iter', () => {
  assert.deepEqual(nets('net: "a.prototxt"\ntest_iter: 100\ntest_interval: 500\n'), [
    'net a.prototxt TRAIN TEST #0',
  ]);
  assert.deepEqual(nets('net: "a.prototxt"\ntest_iter: 1\ntest_iter: 2\n'), [
    'net a.prototxt TRAIN TEST #0,#1',
  ]);
  assert.deepEqual(nets('net: "a.prototxt"\n'), ['net a.prototxt TRAIN']);
});

test('test_net_param first, then test_net files, then what test_iter leaves for the generic net', () => {
  const text = [
    'test_net: "t1.prototxt"',
    'net_param { name: "g" }',
    'test_net_param { name: "p" }',
    'test_net: "t2.prototxt"',
    'test_iter: 1',
    'test_iter: 1',
    'test_iter: 1',
    'test_iter: 1',
  ].join('\n');
  assert.deepEqual(nets(text), [
    'test_net t1.prototxt TEST #1',
    'net_param TRAIN TEST #3',
    'test_net_param TEST #0',
    'test_net t2.prototxt TEST #2',
  ]);
  assert.deepEqual(nets('train_net: "t.prototxt"\ntest_net: "v.prototxt"\ntest_iter: 5\n'), [
    'train_net t.prototxt TRAIN',
    'test_net v.prototxt TEST #0',
  ]);
});

test('values of the wrong kind are not nets; the path span covers the string', () => {
  assert.deepEqual(nets('net: 5\ntrain_net_param: "x"\nbase_lr: 0.1\n'), []);
  const [net] = solverNets(parse('net:   "nets/a.prototxt"\n').fields);
  assert.deepEqual(net.pathSpan, { start: 7, end: 24 });
});

test('a relative path: the solver folder first, then each workspace root; which one held it', () => {
  const solver = path.resolve('/w/models/solver.prototxt');
  const present = new Set([path.resolve('/w/models/net.prototxt'), path.resolve('/w/examples/net.prototxt')]);
  const exists = (f: string) => present.has(f);
  assert.deepEqual(resolveNetFile('net.prototxt', solver, [path.resolve('/w')], exists), {
    candidates: [path.resolve('/w/models/net.prototxt'), path.resolve('/w/net.prototxt')],
    found: { file: path.resolve('/w/models/net.prototxt'), in: 'solver folder' },
  });
  // Caffe's own examples name paths from the repository root.
  assert.deepEqual(
    resolveNetFile('examples/net.prototxt', solver, [path.resolve('/v'), path.resolve('/w')], exists),
    {
      candidates: [
        path.resolve('/w/models/examples/net.prototxt'),
        path.resolve('/v/examples/net.prototxt'),
        path.resolve('/w/examples/net.prototxt'),
      ],
      found: {
        file: path.resolve('/w/examples/net.prototxt'),
        in: 'workspace root',
        root: path.resolve('/w'),
      },
    },
  );
  assert.deepEqual(resolveNetFile('missing.prototxt', solver, [path.resolve('/w/models')], exists), {
    candidates: [path.resolve('/w/models/missing.prototxt')],
  });
  assert.deepEqual(resolveNetFile(path.resolve('/w/examples/net.prototxt'), solver, [], exists).found, {
    file: path.resolve('/w/examples/net.prototxt'),
    in: 'absolute path',
  });
  assert.deepEqual(resolveNetFile('  ', solver, [path.resolve('/w')], exists), { candidates: [] });
});

test('a path written with \\ is tried with / where \\ is no separator, and says so when found that way', (t) => {
  if (path.sep !== '/') {
    t.skip('on Windows \\ is a separator already');
    return;
  }
  const solver = '/w/models/solver.prototxt';
  const exists = (f: string) => f === '/w/examples/net.prototxt';
  assert.deepEqual(resolveNetFile('.\\examples\\net.prototxt', solver, ['/w'], exists), {
    candidates: [
      '/w/models/.\\examples\\net.prototxt',
      '/w/.\\examples\\net.prototxt',
      '/w/models/examples/net.prototxt',
      '/w/examples/net.prototxt',
    ],
    found: { file: '/w/examples/net.prototxt', in: 'workspace root', root: '/w', windows: true },
  });
  // A file whose name holds a backslash is found as written first; a drive path is not read as relative.
  const named = (f: string) => f === '/w/models/a\\b.prototxt' || f === '/w/models/a/b.prototxt';
  assert.deepEqual(resolveNetFile('a\\b.prototxt', solver, ['/w'], named).found, {
    file: '/w/models/a\\b.prototxt',
    in: 'solver folder',
  });
  assert.equal(resolveNetFile('C:\\w\\examples\\net.prototxt', solver, ['/w'], exists).found, undefined);
  // A drive path is looked for as written only: it is no folder of this machine's workspace.
  assert.deepEqual(resolveNetFile('F:/repo/networks/net.prototxt', solver, ['/w'], exists), {
    candidates: ['F:/repo/networks/net.prototxt'],
  });
});

test('the places tried: each when few, else the first five and how many more', () => {
  assert.equal(triedPlaces(['/a/x', '/b/x']), '/a/x, /b/x');
  const many = Array.from({ length: 9 }, (_, i) => `/r${i}/x`);
  assert.equal(triedPlaces(many.slice(0, 6)), many.slice(0, 6).join(', '));
  assert.equal(triedPlaces(many), `${many.slice(0, 5).join(', ')} and 4 more places (each workspace root)`);
  assert.equal(
    triedPlaces(['/a/x'], (f) => `"${f}"`),
    '"/a/x"',
  );
});
