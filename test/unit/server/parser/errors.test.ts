import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, MAX_PROBLEMS } from '../../../../server/src/parser/parse';
import { MAX_NESTING } from '../../../../server/src/parser/nesting';
import { plainFields } from './simplify';

/** Problems as [source text at the span, message]. */
function problems(text: string): [string, string][] {
  return parse(text).errors.map((e) => [text.slice(e.start, e.end), e.message]);
}

/** Problems as [source text at the span, the fixes offered]. */
function fixes(text: string): [string, string[] | undefined][] {
  return parse(text).errors.map((e) => [text.slice(e.start, e.end), e.suggestions]);
}

test('stray characters are reported like protobuf and skipped, before, after and inside fields', () => {
  const text = 'a: 1 !\n@@ b: 2\nc: @@ 3\n= d { e: 4 }';
  assert.deepEqual(problems(text), [
    ['!', 'Expected identifier or number, got !.'],
    ['@@', 'Expected identifier or number, got @@.'],
    ['@@', 'Expected identifier or number, got @@.'],
    ['=', 'Expected identifier or number, got =.'],
  ]);
  assert.deepEqual(plainFields(parse(text).fields), [
    ['a', 'num:1'],
    ['b', 'num:2'],
    ['c', 'num:3'],
    ['d', { '{': [['e', 'num:4']] }],
  ]);
});

test('stray punctuation where a field or value belongs', () => {
  const text = 'a: 1 :\n: b: 2\nc: : 3\n} d: 4';
  assert.deepEqual(problems(text), [
    [':', 'Expected identifier or number, got :.'],
    [':', 'Expected identifier or number, got :.'],
    [':', 'Expected a value, got :.'],
    ['}', 'Expected identifier or number, got }: no block is open here to close.'],
  ]);
  assert.deepEqual(plainFields(parse(text).fields), [
    ['a', 'num:1'],
    ['b', 'num:2'],
    ['c', 'num:3'],
    ['d', 'num:4'],
  ]);
});

test('an extra } at top level is reported on that }, and the fields after it are kept', () => {
  const text = 'layer { name: "a" } }\nlayer { name: "b" }';
  const doc = parse(text);
  assert.deepEqual(
    doc.errors.map((e) => [e.start, e.message]),
    [[text.lastIndexOf('} }') + 2, 'Expected identifier or number, got }: no block is open here to close.']],
  );
  assert.equal(doc.fields.length, 2);
});

test('an unclosed { is reported at the end of the file with a pointer to the opening brace', () => {
  const text = 'layer {\n  name: "a"\n  param {\n    lr_mult: 1\n\nlayer { name: "b" }\n';
  const doc = parse(text);
  assert.equal(doc.errors.length, 1);
  const [error] = doc.errors;
  assert.equal(error.start, text.lastIndexOf('}') + 1);
  assert.match(error.message, /^Expected "}"/);
  assert.deepEqual(
    error.related?.map((r) => r.start),
    [text.indexOf('param {') + 6, text.indexOf('{')],
  );
  // The following layer is read into the open block, as protobuf does.
  const outer = doc.fields[0].value;
  assert.equal(outer?.kind === 'message' && outer.close, undefined);
  assert.equal(outer?.end, text.length);
});

test('an unclosed < reports the > it expects', () => {
  assert.match(parse('a < b: 1').errors[0].message, /^Expected ">"/);
});

test('a value is missing: at end of file, before a brace, before the next field', () => {
  assert.deepEqual(problems('a {\n b:\n}'), [['}', 'Expected a value, got }.']]);
  assert.deepEqual(problems('b:'), [['', 'Expected a value, got end of file.']]);
  const text = 'a\nb: 1';
  assert.deepEqual(problems(text), [['b', 'Expected ":" or "{" after field name "a", got b.']]);
  assert.deepEqual(plainFields(parse(text).fields), [
    ['a', '<missing>'],
    ['b', 'num:1'],
  ]);
});

test('a scalar without a colon is reported at the value and kept', () => {
  const text = 'num_output 64 pad: 1';
  assert.deepEqual(problems(text), [['64', 'Expected ":".']]);
  assert.deepEqual(plainFields(parse(text).fields), [
    ['num_output', 'num:64'],
    ['pad', 'num:1'],
  ]);
});

test('list errors: missing comma, trailing comma, unclosed list', () => {
  assert.deepEqual(problems('a: [1 2]'), [
    ['2', 'Expected "," or "]", got 2.'],
    [']', 'Expected identifier or number, got ].'],
  ]);
  assert.deepEqual(problems('a: [1, ]'), [[']', 'Expected a value, got ].']]);
  const text = 'a: [1, 2\nb: 3';
  assert.deepEqual(problems(text), [['b', 'Expected "," or "]", got b.']]);
  assert.deepEqual(plainFields(parse(text).fields), [
    ['a', ['num:1', 'num:2']],
    ['b', 'num:3'],
  ]);
});

test('a sign with nothing to sign, and octal literals with 8 or 9', () => {
  // `-b` reads as a negative identifier, so the case to check is a sign before punctuation.
  assert.deepEqual(problems('a: -\n}'), [['}', 'Expected a number after "-", got }.']]);
  assert.deepEqual(problems('a: 09'), [['09', 'Numbers starting with leading zero must be in octal.']]);
});

test('characters outside the format are lexer problems with spans', () => {
  assert.deepEqual(problems('a: é 1'), [['é', 'Unexpected character "é".']]);
});

test('100,000 nested braces give one nesting problem and no stack overflow', () => {
  const depth = 100_000;
  const text = 'a {'.repeat(depth) + '}'.repeat(depth);
  const doc = parse(text);
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [
      `Message is too deep: more than ${MAX_NESTING} nested blocks or lists; the contents of this one are skipped.`,
    ],
  );
  assert.equal(doc.errors[0].start, MAX_NESTING * 3 + 2); // the first `{` past the limit
  assert.equal(doc.fields.length, 1);
  assert.equal(doc.fields[0].end, text.length);
});

test('100,000 unclosed braces and deep lists finish with bounded problems', () => {
  const open = parse('a {'.repeat(100_000));
  assert.equal(open.errors.length, 2); // too deep + unclosed at the end
  assert.ok((open.errors[1].related?.length ?? 0) > 0);
  const lists = parse('a: ' + '['.repeat(100_000));
  assert.ok(lists.errors.length >= 1);
});

test('nesting up to the limit parses normally', () => {
  const text = 'a {'.repeat(MAX_NESTING) + '}'.repeat(MAX_NESTING);
  assert.deepEqual(parse(text).errors, []);
});

test('a megabyte of garbage finishes with a capped problem list', () => {
  const unit = '@ } ] : , ; - . / ) "x \' 1e';
  const doc = parse(unit.repeat(Math.ceil(1_000_000 / unit.length)));
  assert.equal(doc.errors.length, MAX_PROBLEMS + 1);
  assert.match(doc.errors[MAX_PROBLEMS].message, /^Too many syntax errors: \d+ more are not listed\.$/);
});

test('a template placeholder is one problem wherever it stands, and the fields around it are kept', () => {
  const cases: [string, string][] = [
    ['num_output: ${K}', '${K}'],
    ['num_output: $(K)', '$(K)'],
    ['num_output: $K', '$K'],
    ['num_output: {{ k * 2 }}', '{{ k * 2 }}'],
    ['num_output: <%= k %>', '<%= k %>'],
    ['num_output: <NUM_CLASSES>', '<NUM_CLASSES>'],
    ['num_output: @K@', '@K@'],
    ['num_output: %(k)d', '%(k)d'],
    ['num_output: {k}', '{k}'],
    ['num_output: {0:.3f}', '{0:.3f}'],
    ['num_output: {cfg.k!r}', '{cfg.k!r}'],
    // DeepVisualization's own slots, which its MATLAB generator fills in.
    ['num_output: {1x1node}', '{1x1node}'],
  ];
  for (const [value, placeholder] of cases) {
    const text = `layer { convolution_param { ${value} kernel_size: 3 } }\nlayer { name: "b" }`;
    assert.deepEqual(
      problems(text),
      [
        [
          placeholder,
          `${placeholder} is a template placeholder: Caffe reads the file only after it is filled in.`,
        ],
      ],
      text,
    );
    assert.deepEqual(plainFields(parse(text).fields), [
      [
        'layer',
        {
          '{': [
            [
              'convolution_param',
              {
                '{': [
                  ['num_output', '<missing>'],
                  ['kernel_size', 'num:3'],
                ],
              },
            ],
          ],
        },
      ],
      ['layer', { '{': [['name', 'str:b']] }],
    ]);
  }
  // Where a field or a list item belongs.
  assert.deepEqual(problems('${LAYERS}\nlayer {\n{% if x %}\nname: "a" }\nb: [1, $N, 3]').length, 3);
  // Mako: a tag and a control line are each one problem, and the fields between them are kept.
  const mako =
    '<%page args="k, fnm=\'a.prototxt\'"/>\n% if k > 0:\n  momentum: 0.9\n% endif\n</%def>\nbase_lr: 1';
  assert.deepEqual(
    problems(mako).map(([image]) => image),
    ['<%page args="k, fnm=\'a.prototxt\'"/>', '% if k > 0:', '% endif', '</%def>'],
  );
  assert.deepEqual(plainFields(parse(mako).fields), [
    ['momentum', 'num:0.9'],
    ['base_lr', 'num:1'],
  ]);
  assert.deepEqual(plainFields(parse('a: [1, $N, 3]').fields), [['a', ['num:1', 'num:3']]]);
  // Not placeholders: a lone $, a brace block, a string holding one, an angle block.
  assert.deepEqual(problems('a: "${K}" b { c: 1 } d <e: 1> f: <g <h: 2>>'), []);
  assert.deepEqual(problems('a {b:1} c {} d {e {}} f: {g:h}'), []);
  assert.deepEqual(problems('a: $$ b: 1')[0], ['$$', 'Expected identifier or number, got $$.']);
});

test("a str.format template's doubled braces are read as the braces it fills in", () => {
  // AOD-Net's test_template.prototxt, written out by template.format(height=h, width=w).
  const text =
    'input: "data"\ninput_dim: 1\ninput_dim: {height}\nlayer {{\n  name: "a"\n  p {{ k: 1 }}\n}}\n';
  assert.deepEqual(
    problems(text).map(([image]) => image),
    ['{height}'],
  );
  assert.deepEqual(plainFields(parse(text).fields), [
    ['input', 'str:data'],
    ['input_dim', 'num:1'],
    ['input_dim', '<missing>'],
    [
      'layer',
      {
        '{': [
          ['name', 'str:a'],
          ['p', { '{': [['k', 'num:1']] }],
        ],
      },
    ],
  ]);
  // Every offset is where it was in the text.
  const layer = parse(text).fields[3];
  assert.equal(text.slice(layer.start, layer.end), 'layer {{\n  name: "a"\n  p {{ k: 1 }}\n}');
  // Without a `{{` ending a line, `}}` closes two blocks and `{{ x }}` is a placeholder; a comment's
  // `{{` makes no template.
  assert.deepEqual(problems('a { b { c: 1 }}'), []);
  assert.deepEqual(problems('# a Jinja block opens with {{\na { b { c: 1 }}\n'), []);
  // A `{{` slip among blocks opened with one `{` is the error it is.
  assert.equal(
    problems('layer {\n  name: "a"\n}\nlayer {{\n  name: "b"\n}\n')[0]?.[1],
    'Expected identifier or number, got {.',
  );

  assert.deepEqual(
    problems('a: {{ k }}').map(([image]) => image),
    ['{{ k }}'],
  );
});

test('a path, file name or dashed name after ":" without quotes is one bare word, not a run of errors', () => {
  const text = [
    'net: examples/mnist/train.prototxt',
    'a: ./data',
    'b: C:\\data\\x',
    'c: mean.binaryproto',
    'd: resnet-50',
    'e: .5',
    'f: -inf',
    'g: 1e-4',
    '[ext.name]: 2',
    'h { i: j/k }',
  ].join('\n');
  assert.deepEqual(problems(text), []);
  assert.deepEqual(plainFields(parse(text).fields), [
    ['net', 'id:examples/mnist/train.prototxt'],
    ['a', 'id:./data'],
    ['b', 'id:C:\\data\\x'],
    ['c', 'id:mean.binaryproto'],
    ['d', 'id:resnet-50'],
    ['e', 'num:.5'],
    ['f', 'id:-inf'],
    ['g', 'num:1e-4'],
    ['[ext.name]', 'num:2'],
    ['h', { '{': [['i', 'id:j/k']] }],
  ]);
  // Only right after a colon: in a list, or as a field's name, the characters are reported as before.
  assert.deepEqual(problems('a: [x/y]')[0], ['/', 'Expected "," or "]", got /.']);
  assert.deepEqual(problems('x/y: 1').length > 0, true);
});

test('"=" where ":" belongs is one problem at the "=", and the field keeps its value', () => {
  const text = 'base_lr = 0.01\nlayer { name = "c" }\nmax_iter: 3';
  assert.deepEqual(problems(text), [
    ['=', 'Expected ":", found "=".'],
    ['=', 'Expected ":", found "=".'],
  ]);
  assert.deepEqual(plainFields(parse(text).fields), [
    ['base_lr', 'num:0.01'],
    ['layer', { '{': [['name', 'str:c']] }],
    ['max_iter', 'num:3'],
  ]);
  // Elsewhere it is stray, as before.
  assert.deepEqual(problems('= d: 1'), [['=', 'Expected identifier or number, got =.']]);
  assert.deepEqual(problems('a: = 1'), [['=', 'Expected a value, got =.']]);
});

test('a string in typographic quotes is one problem, with the value in plain quotes to write', () => {
  const text =
    'name: \u201cnet\u201d\nlayer { type: \u2018Input\u2019 top: "d" bottom: [\u201ca\u201d, "b"] }';
  const doc = parse(text);
  assert.deepEqual(fixes(text), [
    ['\u201cnet\u201d', ['"net"']],
    ['\u2018Input\u2019', ['"Input"']],
    ['\u201ca\u201d', ['"a"']],
  ]);
  assert.match(doc.errors[0].message, /is in typographic quotes, .*: write "net"\.$/);
  assert.deepEqual(plainFields(doc.fields), [
    ['name', 'str:net'],
    [
      'layer',
      {
        '{': [
          ['type', 'str:Input'],
          ['top', 'str:d'],
          ['bottom', ['str:a', 'str:b']],
        ],
      },
    ],
  ]);
  // An opening one alone is a stray character, as before.
  assert.equal(problems('a: \u201cx')[0][1], 'Unexpected character "\u201c".');
});

test('a C or C++ comment is one problem, with the # comment to write where that ends the line', () => {
  const text =
    '// the data layer\nname: "n" // its name\nlayer {\n  name: "d" /* input */\n  type: "Input" /* a */ top: "x"\n}\n';
  const doc = parse(text);
  assert.deepEqual(fixes(text), [
    ['// the data layer', ['# the data layer']],
    ['// its name', ['# its name']],
    ['/* input */', ['# input']],
    // Something follows on its line: no fix that would comment it out.
    ['/* a */', undefined],
  ]);
  assert.match(
    doc.errors[0].message,
    /^Comments in a prototxt start with "#": "\/\/" is not a comment to Caffe/,
  );
  assert.deepEqual(plainFields(doc.fields), [
    ['name', 'str:n'],
    [
      'layer',
      {
        '{': [
          ['name', 'str:d'],
          ['type', 'str:Input'],
          ['top', 'str:x'],
        ],
      },
    ],
  ]);
  // An unclosed /* runs to the end, as in C; a // inside a bare path is the path's.
  assert.deepEqual(
    problems('a: 1 /* open\nb: 2').map(([at]) => at),
    ['/* open\nb: 2'],
  );
  assert.deepEqual(plainFields(parse('net: a//b').fields), [['net', 'id:a//b']]);
  // A URL's // is the URL's.
  assert.deepEqual(plainFields(parse('source: http://host/x.lmdb').fields), [
    ['source', 'id:http://host/x.lmdb'],
  ]);
});

test('a second value after a comma: repeat the field, as the fix writes', () => {
  const text = 'layer {\n  top: "data", "label"\n  dim: 1, 3\n}\n';
  const doc = parse(text);
  assert.deepEqual(
    doc.errors.map((e) => [text.slice(e.start, e.end), e.message, e.suggestions]),
    [
      [
        '"label"',
        'Expected identifier or number, got "label": a field has one value; for another, repeat the field (top: "label").',
        ['top: "label"'],
      ],
      [
        '3',
        'Expected identifier or number, got 3: a field has one value; for another, repeat the field (dim: 3).',
        ['dim: 3'],
      ],
    ],
  );
  // A comma between fields is a separator, as before.
  assert.deepEqual(problems('a { b: "x", c: 2 }'), []);
});

test('a bare word after a value and a comma: the problem where protobuf puts it, saying to repeat the field', () => {
  assert.deepEqual(problems('layer { include { phase: TRAIN, TEST } }'), [
    [
      '}',
      'Expected ":" or "{" after field name "TEST", got }: if TEST is another value of phase, a field has one value; repeat the field (phase: TEST).',
    ],
  ]);
  assert.match(problems('a: 1, b')[0][1], /got end of file: if b is another value of a, /);
  // After a block, or without the comma, the message is protobuf's alone.
  assert.deepEqual(problems('a { x: 1 } b'), [
    ['', 'Expected ":" or "{" after field name "b", got end of file.'],
  ]);
  assert.deepEqual(problems('a: 1 b'), [['', 'Expected ":" or "{" after field name "b", got end of file.']]);
});
