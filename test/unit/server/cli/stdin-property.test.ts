// Any text piped to a command that reads standard input gets a documented exit status and messages,
// never an internal error: nets, solvers, V1 nets and logs cut, spliced and salted at random.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runCli } from '../../../../server/src/cli/commands';
import { tempDir } from '../../../helpers/temp-dir';

const NET = `name: "n"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 16 dim: 16 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 4 kernel_size: 3 pad: 1 stride: 2 } }
layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool" pooling_param { pool: MAX kernel_size: 2 } }
layer { name: "py" type: "Python" bottom: "pool" top: "py"
  python_param { module: "layers" layer: "Scale" param_str: "{'k': 2}" } }
layer { name: "cat" type: "Concat" bottom: "pool" bottom: "py" top: "cat" concat_param { axis: 1 } }
layer { name: "fc" type: "InnerProduct" bottom: "cat" top: "fc" inner_product_param { num_output: 10 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "data" top: "loss" include { phase: TRAIN } }
`;

const SOLVER = `net_param { ${NET} }
base_lr: 0.01 lr_policy: "multistep" gamma: 0.1 stepvalue: 100 stepvalue: 200 max_iter: 300
solver_type: NESTEROV test_iter: 1 test_interval: 50
`;

const V1 = `name: "old"
input: "data" input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8
layers { name: "conv" type: CONVOLUTION bottom: "data" top: "conv" convolution_param { num_output: 2 kernel_size: 3 } }
layers { name: "relu" type: RELU bottom: "conv" top: "conv" }
`;

const LOG = `I1204 10:00:00.000000  1 solver.cpp:218] Iteration 0 (0 iter/s, 0.1s/20 iters), loss = 2.3
I1204 10:00:00.000000  1 solver.cpp:237]     Train net output #0: loss = 2.3 (* 1 = 2.3 loss)
I1204 10:00:00.000000  1 sgd_solver.cpp:105] Iteration 0, lr = 0.01
I1204 10:00:01.000000  1 solver.cpp:330] Iteration 20, Testing net (#0)
I1204 10:00:01.000000  1 solver.cpp:397]     Test net output #0: accuracy = 0.5
I1204 10:00:01.000000  1 solver.cpp:218] Iteration 20 (20 iter/s, 1s/20 iters), loss = nan
`;

const SALT = [
  '{',
  '}',
  '<',
  '>',
  '"',
  "'",
  ':',
  '-',
  '#',
  '\\',
  '\n',
  '0',
  '1e999',
  'inf',
  'layer',
  'top: "x"',
  '\u0000',
  'é',
];

/** `base` with a range cut out, a piece of it copied elsewhere, and a salt token dropped in. */
const mutated = (base: string) =>
  fc
    .tuple(
      fc.nat(base.length),
      fc.nat(40),
      fc.nat(base.length),
      fc.nat(base.length),
      fc.nat(60),
      fc.constantFrom(...SALT),
      fc.nat(base.length),
    )
    .map(([cutAt, cutLength, copyFrom, copyTo, copyLength, salt, saltAt]) => {
      let text = base.slice(0, cutAt) + base.slice(cutAt + cutLength);
      const piece = text.slice(copyFrom, copyFrom + copyLength);
      const to = Math.min(copyTo, text.length);
      text = text.slice(0, to) + piece + text.slice(to);
      const at = Math.min(saltAt, text.length);
      return text.slice(0, at) + salt + text.slice(at);
    });

const cwd = tempDir('stdin-property-');

async function piped(text: string, argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(argv, {
    stdout: () => undefined,
    stderr: (t) => (err += t),
    cwd,
    readStdin: () => Promise.resolve(Buffer.from(text)),
  });
  return { code, err };
}

const COMMANDS: [string, string, string[]][] = [
  ['net', NET, ['check', '-']],
  ['net', NET, ['shapes', '--phase', 'TRAIN', '-']],
  ['net', NET, ['graph', '-']],
  ['solver', SOLVER, ['shapes', '-']],
  ['solver', SOLVER, ['graph', '--phase', 'TEST', '-']],
  ['solver', SOLVER, ['lr', '--json', '-']],
  ['solver', SOLVER, ['upgrade', '-']],
  ['V1 net', V1, ['upgrade', '-']],
  ['V1 net', V1, ['shapes', '-']],
  ['log', LOG, ['plot-log', '-']],
];

for (const [what, base, argv] of COMMANDS) {
  test(`${argv.join(' ')} on a mangled ${what}: exit 0 or 1 with messages, never an internal error`, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(base), async (text) => {
        const { code, err } = await piped(text, argv);
        assert.doesNotMatch(err, /internal error|\n\s+at /, err);
        // upgrade, alone, counts a file it cannot read (a binary one) as a usage error.
        const unreadable = argv[0] === 'upgrade' && /standard input holds a binary file/.test(err);
        assert.ok(code === 0 || code === 1 || (code === 2 && unreadable), `exit ${code}: ${err}`);
      }),
      { numRuns: 40 },
    );
  });
}
