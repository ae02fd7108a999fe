// A solver's net file that a script of the workspace writes (pycaffe's net spec in a notebook or a
// net.py) is a warning to run that script, not an error; paths are also looked for in the folders
// between the solver's and the workspace root, where a notebook may start Caffe.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from '../../../../server/src/parser/parse';
import fc from 'fast-check';
import {
  NetWriters,
  namedPaths,
  namesInString,
  shellWrittenPaths,
} from '../../../../server/src/training/net-writers';
import {
  DISK,
  foundWhere,
  solverFileProblems,
  solverPaths,
} from '../../../../server/src/training/solver-files';
import { resolveNetFile } from '../../../../server/src/training/solver-nets';
import { appendedFields, madeFolders, sedWords } from '../../../../server/src/training/folder-makers';
import { runCliIn } from '../../../helpers/run-cli';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'net-writers-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** A fresh folder for one test, with a writer of files relative to it; removed when `body` returns. */
function inFolder(
  prefix: string,
  body: (dir: string, file: (rel: string, text: string) => void) => void,
): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  try {
    body(dir, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh repository (a folder with .git) for one async test; removed when `body` settles. */
async function inRepo(prefix: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    fs.mkdirSync(path.join(dir, '.git'));
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a name counts when it ends a string literal, in Python source or a notebook', () => {
  assert.ok(namesInString("with open('train.prototxt', 'w') as f:", 'train.prototxt'));
  assert.ok(namesInString('f = "nets/train.prototxt"', 'train.prototxt'));
  assert.ok(
    namesInString(
      '"source": ["open(\\"mnist/lenet_auto_train.prototxt\\", ...)"]',
      'lenet_auto_train.prototxt',
    ),
  );
  assert.ok(!namesInString('# see train.prototxt for the layers', 'train.prototxt'));
  assert.ok(!namesInString("open('my_train.prototxt')", 'train.prototxt'));
  assert.ok(!namesInString("open('train.prototxt.bak')", 'train.prototxt'));
});

test('the folders above the solver, up to its root, are looked in after its own', () => {
  const solver = write('examples/mnist/solver.prototxt', '');
  write('examples/nets/a.prototxt', 'name: "a"\n');
  const found = resolveNetFile('nets/a.prototxt', solver, [root], DISK.isFile);
  assert.equal(found.found?.file, path.join(root, 'examples/nets/a.prototxt'));
  assert.equal(found.found?.in, 'folder above the solver');
  const missing = resolveNetFile('nets/b.prototxt', solver, [root], DISK.isFile);
  assert.deepEqual(missing.candidates, [
    path.join(root, 'examples/mnist/nets/b.prototxt'),
    path.join(root, 'examples/nets/b.prototxt'),
    path.join(root, 'nets/b.prototxt'),
  ]);
});

test('a missing net file a script names is a warning that names the script; one none names is an error', () => {
  const solverText = 'train_net: "gen/train.prototxt"\ntest_net: "gen/test.prototxt"\n';
  const solver = write('models/solver.prototxt', solverText);
  write('models/net.py', "import caffe\nwith open('gen/train.prototxt', 'w') as f:\n    f.write('')\n");
  const writers = new NetWriters();
  const paths = solverPaths(parse(solverText).fields, solver, [root], DISK);
  const problems = solverFileProblems(paths, (written) => writers.writerOf(written, [root]));
  assert.deepEqual(
    problems.map((p) => [p.severity, p.message.split(':')[0]]),
    [
      ['warning', '"gen/train.prototxt" (train_net) does not exist yet'],
      ['error', '"gen/test.prototxt" (test_net) does not exist'],
    ],
  );
  assert.match(problems[0].message, /models\/net\.py names it/);
  // Kept until a script changes.
  write('models/net.py', '# nothing written here\n');
  assert.equal(writers.writerOf('gen/train.prototxt', [root])?.script, 'models/net.py');
  writers.filesChanged([path.join(root, 'models/solver.prototxt')]);
  assert.equal(writers.writerOf('gen/train.prototxt', [root])?.script, 'models/net.py');
  writers.filesChanged([path.join(root, 'models/net.py')]);
  assert.equal(writers.writerOf('gen/train.prototxt', [root]), undefined);
});

test("a script that names the solver from its own folder starts Caffe there: the solver's paths are looked for there too", () => {
  inFolder('net-writers-start-', (dir, file) => {
    // tripletloss: tripletloss/train.py trains '../solver.prototxt', whose net is '../train.prototxt'.
    const solverText = 'net: "../train.prototxt"\nsnapshot: 10\nsnapshot_prefix: "../models/snap"\n';
    file('solver.prototxt', solverText);
    file('train.prototxt', 'name: "t"\n');
    fs.mkdirSync(path.join(dir, 'models'));
    file('tripletloss/train.py', "import caffe\nsolver = caffe.SGDSolver('../solver.prototxt')\n");
    // Names the solver but from elsewhere, or by its name alone: no start folder.
    file('tools/other.py', "print('../../solver.prototxt', 'solver.prototxt')\n");
    const solver = path.join(dir, 'solver.prototxt');
    const writers = new NetWriters();
    const starts = writers.startFolders(solver, [dir]);
    assert.deepEqual(starts, [
      { folder: path.join(dir, 'tripletloss'), script: path.join('tripletloss', 'train.py') },
    ]);
    const paths = solverPaths(parse(solverText).fields, solver, [dir], DISK, starts);
    assert.deepEqual(
      solverFileProblems(paths, () => undefined),
      [],
    );
    assert.equal(
      foundWhere(paths[0].resolution),
      `from the folder of ${path.join('tripletloss', 'train.py')}, which names the solver from there: ${path.join(dir, 'train.prototxt')}`,
    );
    assert.equal(paths[1].resolution.found?.file, path.join(dir, 'models'));
    // Without the script, the path leads out of the workspace and is an error.
    const alone = solverPaths(parse(solverText).fields, solver, [dir], DISK);
    assert.deepEqual(
      solverFileProblems(alone, () => undefined).map((p) => p.severity),
      ['error', 'warning'],
    );
  });
});

test('a script naming the whole path wins over one naming only the file name, and the warning says which', () => {
  inFolder('net-writers-name-', (dir, file) => {
    // caffenet.py writes a train.prototxt of its own folder; net.py the one the solver names.
    file('a/caffenet.py', "with open('train.prototxt', 'w') as f:\n    pass\n");
    file('z/net.py', "open('models/vgg/train.prototxt', 'w')\n");
    const writers = new NetWriters();
    assert.deepEqual(writers.writerOf('./models/vgg/train.prototxt', [dir]), {
      script: path.join('z', 'net.py'),
      wholePath: true,
    });
    assert.deepEqual(writers.writerOf('models/other/train.prototxt', [dir]), {
      script: path.join('a', 'caffenet.py'),
      wholePath: false,
      others: 1,
    });
    const solverText = 'net: "models/other/train.prototxt"\n';
    const solver = path.join(dir, 'models/other/solver.prototxt');
    file('models/other/solver.prototxt', solverText);
    const paths = solverPaths(parse(solverText).fields, solver, [dir], DISK);
    const [problem] = solverFileProblems(paths, (written) => writers.writerOf(written, [dir]));
    assert.equal(problem.severity, 'warning');
    assert.match(
      problem.message,
      /a\/caffenet\.py \(the nearest to the solver of 2 scripts naming one\) names a file "train\.prototxt", so running that script may make it/,
    );
  });
});

test('of scripts naming only the file name, the nearest to the solver is named, with how many others do', () => {
  // pynetbuilder: every app/*/ script writes <output folder>/train.prototxt.
  inFolder('net-writers-near-', (dir, file) => {
    const writes = "open(args.output_folder + '/train.prototxt', 'w')\n";
    file('app/cifar10/build_resnet.py', writes);
    file('models/ssd/create_ssdnet.py', writes);
    file('app/imagenet/build_resnet.py', writes);
    const solverText = 'train_net: "models/resnet_50/train.prototxt"\n';
    const solver = path.join(dir, 'models/ssd/resnet_50/solver.prototxt');
    file('models/ssd/resnet_50/solver.prototxt', solverText);
    const writers = new NetWriters();
    assert.deepEqual(writers.writerOf('models/resnet_50/train.prototxt', [dir], solver), {
      script: path.join('models', 'ssd', 'create_ssdnet.py'),
      wholePath: false,
      others: 2,
    });
    // Without the solver's place: the first the walk found.
    assert.equal(writers.writerOf('models/resnet_50/train.prototxt', [dir])?.others, 2);
    const paths = solverPaths(parse(solverText).fields, solver, [dir], DISK);
    const [problem] = solverFileProblems(paths, (written) => writers.writerOf(written, [dir], solver));
    assert.equal(problem.severity, 'warning');
    assert.match(
      problem.message,
      /models\/ssd\/create_ssdnet\.py \(the nearest to the solver of 3 scripts naming one\) names a file "train\.prototxt"/,
    );
  });
});

test('of scripts naming the whole path, the nearest to the solver; a comment or a note naming it is no writer', () => {
  inFolder('net-writers-exact-', (dir, file) => {
    // MultimodalExplanations: PJ-X-ACT/train.py and PJ-X-VQA/train.py each write ./model/proto_train.prototxt.
    const writes = "with open('./model/proto_train.prototxt', 'w') as f:\n    pass\n";
    file('PJ-X-ACT/train.py', writes);
    file('PJ-X-VQA/train.py', writes);
    const writers = new NetWriters();
    assert.deepEqual(
      writers.writerOf(
        './model/proto_train.prototxt',
        [dir],
        path.join(dir, 'PJ-X-VQA/pj_x_solver.prototxt'),
      ),
      { script: path.join('PJ-X-VQA', 'train.py'), wholePath: true },
    );
    // caffe-speech-recognition's notebook names words_net.prototxt only in a note and a comment.
    const notebook = {
      cells: [
        { cell_type: 'markdown', source: ['## Play with the trained model from words_net.prototxt'] },
        {
          cell_type: 'code',
          source: ["# the net: 'words_net.prototxt'\n", "net = caffe.Net('numbers_deploy.prototxt')\n"],
        },
      ],
    };
    file('speech/test.ipynb', JSON.stringify(notebook));
    file('speech/notes.py', "# written by make_net('words_net.prototxt')\n");
    const again = new NetWriters();
    assert.equal(again.writerOf('words_net.prototxt', [dir]), undefined);
    assert.deepEqual(again.writerOf('numbers_deploy.prototxt', [dir]), {
      script: path.join('speech', 'test.ipynb'),
      wholePath: true,
    });
  });
});

test('a file of the name beside the solver outweighs a script elsewhere naming only the file name', () => {
  // NVIDIA Caffe's models/WIDER_FACE/SFD.exp: the solver names WIDER/train.prototxt and keeps a
  // train.prototxt beside it; examples/pycaffe/caffenet.py writes a train.prototxt of its own.
  inFolder('net-writers-beside-', (dir, file) => {
    file('examples/pycaffe/caffenet.py', "with open('train.prototxt', 'w') as f:\n    pass\n");
    file('models/SFD.exp/train.prototxt', 'name: "SFD"\n');
    const solverText = 'train_net: "WIDER/train.prototxt"\n';
    const solver = path.join(dir, 'models/SFD.exp/solver.prototxt');
    file('models/SFD.exp/solver.prototxt', solverText);
    const writers = new NetWriters();
    const paths = solverPaths(parse(solverText).fields, solver, [dir], DISK);
    const [problem] = solverFileProblems(paths, (written) => writers.writerOf(written, [dir], solver));
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /The solver's folder has train\.prototxt: if it is this net/);
    assert.doesNotMatch(problem.message, /caffenet/);
  });
});

test('a shell script that fills in a template writes the net; one that only tests for it does not', () => {
  // MobileNet-SSD's gen_model.sh and train.sh.
  const gen = [
    'trainfile=example/MobileNetSSD_train.prototxt',
    'testfile="example/MobileNetSSD_test.prototxt"',
    'mkdir -p example',
    'cp template/MobileNetSSD_train_template.prototxt $trainfile',
    'sed -i "s/cls6x/${cls_num6}/g" $trainfile',
    'cp template/MobileNetSSD_test_template.prototxt "${testfile}"',
    'cp template/deploy_template.prototxt example/deploy.prototxt # the deploy net',
    'python make_solver.py > solver_gen.prototxt',
  ].join('\n');
  assert.deepEqual(shellWrittenPaths(gen).sort(), [
    'example/MobileNetSSD_test.prototxt',
    'example/MobileNetSSD_train.prototxt',
    'example/deploy.prototxt',
    'solver_gen.prototxt',
  ]);
  const train = [
    'if ! test -f example/MobileNetSSD_train.prototxt ;then',
    '  echo "error: example/MobileNetSSD_train.prototxt does not exist."',
    'fi',
    '../../build/tools/caffe train -solver="solver_train.prototxt" -weights=mobilenet_iter_73000.caffemodel',
  ].join('\n');
  assert.deepEqual(shellWrittenPaths(train), []);
  // caffe-googlenet-bn's test_bn.sh: paths assigned only to be read by a tool.
  const readOnly = [
    'TRAIN_MODEL=models/jhlim_googlenet_bn/train_val.prototxt',
    'WEIGHT=models/jhlim_googlenet_bn/snapshot_iter_1200000.caffemodel',
    '$CAFFE_ROOT/build/tools/test_bn -train_model $TRAIN_MODEL -weights $WEIGHT > test.log',
  ].join('\n');
  assert.deepEqual(shellWrittenPaths(readOnly), ['test.log']);
  // A tool's output option (Ristretto's 00_quantize_squeezenet.sh) and Caffe's upgrade tools; options
  // that name what a tool reads are not outputs.
  const tools = [
    'OUT=models/q/quantized_b.prototxt',
    './build/tools/ristretto quantize \\',
    '\t--model=models/SqueezeNet/train_val.prototxt \\',
    '\t--model_quantized=models/SqueezeNet/RistrettoDemo/quantized.prototxt \\',
    '\t--trimming_mode=dynamic_fixed_point --iterations=2000',
    'ristretto quantize --model_quantized "$OUT" --weights=w.caffemodel',
    'python gen_net.py -o nets/gen.prototxt --input-net nets/base.prototxt --layout=l.prototxt',
    './build/tools/upgrade_net_proto_text old/deploy.prototxt new/deploy.prototxt',
    'upgrade_solver_proto_text solver_v0.prototxt $OUT',
  ].join('\n');
  assert.deepEqual(shellWrittenPaths(tools).sort(), [
    'models/SqueezeNet/RistrettoDemo/quantized.prototxt',
    'models/q/quantized_b.prototxt',
    'models/q/quantized_b.prototxt',
    'nets/gen.prototxt',
    'new/deploy.prototxt',
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'net-writers-sh-'));
  try {
    fs.writeFileSync(path.join(dir, 'train.sh'), train);
    fs.writeFileSync(path.join(dir, 'gen_model.sh'), gen);
    const solverText = 'train_net: "example/MobileNetSSD_train.prototxt"\n';
    fs.writeFileSync(path.join(dir, 'solver_train.prototxt'), solverText);
    const writers = new NetWriters();
    const paths = solverPaths(parse(solverText).fields, path.join(dir, 'solver_train.prototxt'), [dir], DISK);
    const [problem] = solverFileProblems(paths, (written) => writers.writerOf(written, [dir]));
    assert.equal(problem.severity, 'warning');
    assert.match(
      problem.message,
      /does not exist yet: gen_model\.sh names it, so it is likely made by running that script/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the paths a script names at the end of a string: the words before quotes, read in one pass', () => {
  assert.deepEqual(namedPaths(`open('nets/train.prototxt', 'w'); x = "a\\b.py"; y = 'no_extension'`), [
    'nets/train.prototxt',
    'a/b.py',
  ]);
  // In a notebook's JSON a quote is written \" and its backslash is not part of the word.
  assert.deepEqual(namedPaths('"    f.write(\\"train.prototxt\\")\\n"'), ['train.prototxt']);
  // The same words as a pattern that matches a path word followed by a quote, on any text of these
  // characters (the pattern itself takes time quadratic in a long word, so it is only the reference).
  const reference = (text: string) =>
    [...text.matchAll(/[\w.\-/\\]*\.[A-Za-z0-9]{1,12}(?=\\?["'])/g)].map((m) => m[0].replace(/\\/g, '/'));
  const char = fc.constantFrom('a', 'Z', '0', '_', '.', '-', '/', '\\', '"', "'", ' ', '+', '\n');
  fc.assert(
    fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
      const text = chars.join('');
      assert.deepEqual(namedPaths(text), reference(text));
    }),
    { numRuns: 3000, seed: 17 },
  );
  // A long word (the base64 of a notebook's image) is read once.
  const base64 = 'iVBORw0KGgo/'.repeat(200_000);
  assert.deepEqual(namedPaths(`"${base64}" 'x.png'`), ['x.png']);
});

test('a path found nowhere whose file or folder is there in other letter case: said, with the spelling to write', () => {
  inFolder('net-writers-case-', (dir, file) => {
    // FSRCNN's Windows solver: net "./FSRCNN_net.prototxt" beside fsrcnn_net.prototxt, snapshots in snapshot/.
    const solverText =
      'net: "./FSRCNN_net.prototxt"\ntest_net: "Models/Net.prototxt"\nsnapshot: 10\nsnapshot_prefix: "./Snapshot/snap"\n';
    file('FSRCNN/FSRCNN_solver.prototxt', solverText);
    file('FSRCNN/fsrcnn_net.prototxt', 'name: "n"\n');
    file('FSRCNN/models/net.prototxt', 'name: "n"\n');
    fs.mkdirSync(path.join(dir, 'FSRCNN', 'snapshot'));
    const solver = path.join(dir, 'FSRCNN', 'FSRCNN_solver.prototxt');
    const problems = solverFileProblems(
      solverPaths(parse(solverText).fields, solver, [dir], DISK),
      () => undefined,
    );
    assert.deepEqual(
      problems.map((p) => [
        p.severity,
        p.message.replace(/^.*cannot read it\.|^.*create the folder first\./, '…'),
        p.suggestions,
      ]),
      [
        [
          'error',
          `… There is ${path.join(dir, 'FSRCNN', 'fsrcnn_net.prototxt')}, the same name in other letter case: ` +
            'Windows and macOS open it by this path, Linux does not; write "./fsrcnn_net.prototxt" (or rename the file).',
          ['"./fsrcnn_net.prototxt"'],
        ],
        [
          'error',
          `… There is ${path.join(dir, 'FSRCNN', 'models', 'net.prototxt')}, the same name in other letter case: ` +
            'Windows and macOS open it by this path, Linux does not; write "models/net.prototxt" (or rename the file).',
          ['"models/net.prototxt"'],
        ],
        [
          'warning',
          `… There is ${path.join(dir, 'FSRCNN', 'snapshot')}, the same name in other letter case: ` +
            'Windows and macOS open it by this path, Linux does not (rename it, or change the path).',
          undefined,
        ],
      ],
    );
  });
});

test('the folders scripts make: mkdir in shell scripts, notebooks and command strings, os.makedirs', () => {
  const sh = [
    'models_folder="snapshots"',
    'mkdir -p $models_folder',
    'mkdir snapshot && ../../build/tools/caffe train -solver ./solver.prototxt',
    'mkdir -p "${models_folder}/vgg" logs/run1 # logs',
    'mkdir -p $UNSET/x',
  ].join('\n');
  assert.deepEqual(madeFolders(sh), ['snapshots', 'snapshot', 'snapshots/vgg', 'logs/run1']);
  // After a cd the folders are made there (DecoupledNet's training/002_*.sh); after a cd to a folder
  // not known, as written.
  assert.deepEqual(
    madeFolders(
      'cd 002_train_seg_Full_anno\nmkdir snapshot\ncd ../003\nmkdir -p log\ncd $CAFFE_ROOT\nmkdir -p examples/x',
    ),
    ['002_train_seg_Full_anno/snapshot', '003/log', 'examples/x'],
  );
  const py = [
    "os.makedirs('models/snapshots', exist_ok=True)",
    'os.mkdir(r"out")',
    'os.makedirs(dirname)',
    "subprocess.call('mkdir -p cache/snap', shell=True)",
  ].join('\n');
  assert.deepEqual(madeFolders(py), ['cache/snap', 'models/snapshots', 'out']);
  // A notebook's JSON: `!mkdir` in a cell, a quote written \".
  assert.deepEqual(madeFolders('"source": ["!mkdir -p snap\\n", "os.makedirs(\\"data/x\\")"]'), [
    'snap',
    'data/x',
  ]);
  assert.deepEqual(madeFolders('mkdir_p(path)\nos.mkdir(path)\n'), []);
  // os.makedirs alone, of a literal or of a name assigned one (the brewing-logreg notebook's dirname).
  assert.deepEqual(madeFolders("os.makedirs('examples/h/data')\n"), ['examples/h/data']);
  assert.deepEqual(
    madeFolders(
      '"dirname = os.path.abspath(\'./examples/hdf5_classification/data\')\\n",\n' +
        '"if not os.path.exists(dirname):\\n",\n"    os.makedirs(dirname)\\n",\n',
    ),
    ['./examples/hdf5_classification/data'],
  );
});

test('a snapshot folder a script makes: information naming the script; a single name only from above the solver', () => {
  inFolder('net-writers-mkdir-', (dir, file) => {
    // HeartSeg's 3D-DSN: start_train.sh runs mkdir snapshot, then caffe train beside its solver.
    const solverText = 'net: "train.prototxt"\nsnapshot: 1000\nsnapshot_prefix: "./snapshot/HVSMR"\n';
    file('3D-DSN/solver.prototxt', solverText);
    file('3D-DSN/train.prototxt', 'name: "n"\n');
    file(
      '3D-DSN/start_train.sh',
      'mkdir snapshot\n../caffe/build/tools/caffe train -solver ./solver.prototxt\n',
    );
    file('other/solver.prototxt', solverText);
    file('other/train.prototxt', 'name: "n"\n');
    const problemsOf = (rel: string) => {
      const solver = path.join(dir, rel);
      const writers = new NetWriters();
      return solverFileProblems(
        solverPaths(parse(solverText).fields, solver, [dir], DISK),
        () => undefined,
        () => undefined,
        (places) => writers.makerOf(places, [dir], solver),
      );
    };
    const [made] = problemsOf('3D-DSN/solver.prototxt');
    assert.equal(made.severity, 'information');
    assert.match(
      made.message,
      /^The snapshot folder of "\.\/snapshot\/HVSMR" does not exist yet: 3D-DSN\/start_train\.sh makes it, so it is likely made by running that script \(Caffe stops before training \("Cannot write to snapshot prefix"\) without it\)\. Looked for /,
    );
    // A script in a sibling folder making a folder of that name makes it beside itself, not here.
    const [other] = problemsOf('other/solver.prototxt');
    assert.equal(other.severity, 'warning');
    assert.match(other.message, /create the folder first/);
    // A path with folders is the same path from any script.
    file('tools/prepare.sh', 'mkdir -p other/snapshot\n');
    assert.equal(problemsOf('other/solver.prototxt')[0].severity, 'information');
  });
});

test('a drop past max_iter in a solver a script steps itself: information naming the script', async () => {
  await inRepo('net-writers-steps-', async (dir) => {
    const solver =
      'net: "train.prototxt"\nbase_lr: 0.001\nlr_policy: "multistep"\ngamma: 0.5\n' +
      'stepvalue: 6000\nstepvalue: 140000\nmax_iter: 15000\n';
    fs.writeFileSync(path.join(dir, 'solver_g.prototxt'), solver);
    fs.writeFileSync(path.join(dir, 'solver_d.prototxt'), solver);
    fs.writeFileSync(path.join(dir, 'train.prototxt'), 'name: "n"\n');
    // dcgan.caffe's train.py: its own loop of a million iterations, each an apply_update().
    fs.writeFileSync(
      path.join(dir, 'train.py'),
      "import caffe\ng = caffe.AdamSolver('solver_g.prototxt')\nfor it in range(1000000):\n    g.apply_update()\n",
    );
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'solver_g.prototxt', 'solver_d.prototxt']);
    const lines = out.split('\n').filter((l) => l.includes('[lr-schedule]'));
    assert.deepEqual(lines, [
      'solver_g.prototxt:6:12: information: stepvalue 140000 is past max_iter 15000, where `caffe train` and ' +
        'solve() stop; train.py builds this solver and runs its iterations itself, which max_iter does not end, so ' +
        'there it comes. [lr-schedule]',
      'solver_d.prototxt:6:12: warning: stepvalue 140000 is never reached: training stops after iteration 14999 (max_iter 15000). [lr-schedule]',
    ]);
  });
});

test("a template's word a script's sed fills in: a warning that says the file is a template", async () => {
  assert.deepEqual(
    sedWords(
      [
        'sed -i "s/cls1x/${cls_num1}/g" $trainfile',
        "sed -e 's|DATA_ROOT|/data|' -e 's#BATCH#32#' in.prototxt > out.prototxt",
        'grep s/notsed/x/ file',
        "sed -i -- 's:<NET_HOLDER>:./'$(basename $net)':g' $solver",
      ].join('\n'),
    ),
    ['cls1x', 'DATA_ROOT', 'BATCH', '<NET_HOLDER>'],
  );
  await inRepo('net-writers-sed-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'template'));
    // MobileNet-SSD's template/ and gen_model.sh.
    fs.writeFileSync(
      path.join(dir, 'template', 'train_template.prototxt'),
      'layer { name: "c" type: "Convolution" bottom: "d" top: "c" convolution_param { num_output: cls1x kernel_size: 1 } }\n' +
        'layer { name: "s" type: "Scale" bottom: "c" top: "s" scale_param { bias_term: true } param { lr_mult: lrx } }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'gen_model.sh'),
      'cp template/train_template.prototxt example/train.prototxt\nsed -i "s/cls1x/${cls_num1}/g" example/train.prototxt\n',
    );
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'template']);
    const lines = out.split('\n').filter((l) => l.includes('[expected-number]'));
    assert.deepEqual(lines, [
      'template/train_template.prototxt:1:92: warning: Couldn\'t parse integer: cls1x. "num_output" takes a uint32. ' +
        'gen_model.sh replaces cls1x with sed: this file is a template, which Caffe reads only once that ' +
        'script has filled it in. [expected-number]',
      // A word no script fills in is the error it is.
      'template/train_template.prototxt:2:103: error: Couldn\'t parse float: lrx. "lr_mult" takes a number. [expected-number]',
    ]);
    // DistillingCaffe's <BATCH_SIZE_HOLDER>, which main_train.sh fills in: a placeholder the parser tells.
    fs.mkdirSync(path.join(dir, 'nets'));
    fs.writeFileSync(
      path.join(dir, 'nets', 'val.prototxt'),
      'layer { name: "d" type: "Data" top: "d" data_param { batch_size: <BATCH_SIZE_HOLDER> } }\n' +
        'layer { name: "e" type: "Data" top: "e" data_param { batch_size: <OTHER> } }\n',
    );
    fs.appendFileSync(path.join(dir, 'gen_model.sh'), "sed -i 's/<BATCH_SIZE_HOLDER>/'${b}'/g' $net\n");
    const placed = (await runCliIn(dir, ['check', '--root', dir, 'nets/val.prototxt'])).out
      .split('\n')
      .filter((l) => l.includes('[syntax]'));
    assert.deepEqual(placed, [
      'nets/val.prototxt:1:66: warning: <BATCH_SIZE_HOLDER> is a template placeholder: Caffe reads the file ' +
        'only after it is filled in. gen_model.sh replaces <BATCH_SIZE_HOLDER> with sed: this file is a template, ' +
        'which Caffe reads only once that script has filled it in. [syntax]',
      'nets/val.prototxt:2:66: error: <OTHER> is a template placeholder: Caffe reads the file only after it is filled in. [syntax]',
    ]);
  });
});

test("a solver path a script's sed fills in: information, not a missing file", async () => {
  await inRepo('net-writers-sed-solver-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'nets'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    // GOTURN's nets/solver.prototxt and scripts/train.sh.
    fs.writeFileSync(
      path.join(dir, 'nets', 'solver.prototxt'),
      'net: "TRAIN_FILE"\nbase_lr: 0.001\nsnapshot: 5000\nsnapshot_prefix: "SOLVERSTATE_DIR/caffenet_train"\n' +
        'test_net: "nets/missing.prototxt"\n',
    );
    fs.writeFileSync(
      path.join(dir, 'scripts', 'train.sh'),
      'sed s#SOLVERSTATE_DIR#$SOLVERSTATE_DIR# <$SOLVER >$SOLVER_TEMP\nsed -i s#TRAIN_FILE#$TRAIN_PROTO# $SOLVER_TEMP\n',
    );
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'nets/solver.prototxt']);
    const lines = out.split('\n').filter((l) => l.includes('[solver-files]'));
    assert.deepEqual(
      lines.map((l) => l.replace(/: (\w+): (.{0,60}).*$/, ' $1 $2')),
      [
        'nets/solver.prototxt:1:6 information "TRAIN_FILE" (net) is a template\'s: scripts/train.sh replace',
        'nets/solver.prototxt:5:11 error "nets/missing.prototxt" (test_net) does not exist: looked fo',
        'nets/solver.prototxt:4:18 information "SOLVERSTATE_DIR/caffenet_train" (snapshot_prefix) is a temp',
      ],
    );
  });
});

test('the fields a shell script appends to a prototxt it writes', () => {
  const script = [
    'cat ${template_solver} > $solverfile',
    'echo "base_lr: $base_lr" >> $solverfile',
    '  echo \'device_id: 0\' >> "$solverfile"',
    'echo "snapshot_prefix: \\"$p\\"" >> $solverfile',
    'echo "base_lr: $x" > other.prototxt',
    '# echo "max_iter: 1" >> $solverfile',
    'echo "Usage: train.sh base_lr" >> log.txt',
  ].join('\n');
  assert.deepEqual(appendedFields(script), ['base_lr', 'device_id', 'snapshot_prefix']);
  assert.deepEqual(appendedFields('echo "base_lr: 1" > s.prototxt\n'), []);
});

test('a solver without base_lr that a script completes from a template: information naming the nearest script', async () => {
  await inRepo('appended-fields-', async (dir) => {
    const solver = 'net: "net.prototxt"\nlr_policy: "fixed"\nmax_iter: 10\n';
    fs.mkdirSync(path.join(dir, 'cifar'));
    fs.writeFileSync(path.join(dir, 'cifar', 'net.prototxt'), 'name: "n"\n');
    fs.writeFileSync(path.join(dir, 'cifar', 'template_solver.prototxt'), solver);
    const said = async () =>
      (await runCliIn(dir, ['check', '--root', dir, 'cifar/template_solver.prototxt'])).out
        .split('\n')
        .filter((l) => l.includes('base_lr'));
    assert.match(
      (await said())[0] ?? '',
      /:2:1: warning: No base_lr: it is 0, so every rate is 0\. \[lr-schedule\]$/,
    );
    fs.mkdirSync(path.join(dir, 'other'));
    fs.writeFileSync(
      path.join(dir, 'other', 'run.sh'),
      'cat $1 > s.prototxt\necho "base_lr: $2" >> s.prototxt\n',
    );
    fs.writeFileSync(path.join(dir, 'cifar', 'train.sh'), 'cat $5 > $f\necho "base_lr: $1" >> $f\n');
    assert.deepEqual(await said(), [
      'cifar/template_solver.prototxt:2:1: information: No base_lr here: cifar/train.sh appends a base_lr line ' +
        'to a solver it writes from a template, which may be this file. Trained as it is, every rate is 0. [lr-schedule]',
    ]);
  });
});

test('placeholders in a file whose name says it is a template are warnings, and its paths are not looked for', async () => {
  await inRepo('net-writers-template-name-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'models'));
    // SDS-RCNN's solver_template_sgd.prototxt, which a MATLAB script fills in with strrep.
    fs.writeFileSync(
      path.join(dir, 'models', 'solver_template_sgd.prototxt'),
      'net: "{train_proto}"\nbase_lr: {lr}\nsnapshot: 1000\nsnapshot_prefix: "{output_dir}/weights/snap"\n',
    );
    // DispNet's deploy.tpl.prototxt, which demo.py fills in.
    fs.writeFileSync(
      path.join(dir, 'models', 'deploy.tpl.prototxt'),
      'input: "img0"\ninput_shape { dim: 1 dim: 3 dim: $TARGET_HEIGHT dim: $TARGET_WIDTH }\n',
    );
    // The same placeholder in a file of another name: the error it is.
    fs.writeFileSync(path.join(dir, 'models', 'deploy.prototxt'), 'input: "img0"\ninput_shape { dim: $H }\n');
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'models']);
    const lines = out
      .split('\n')
      .filter((l) => l.includes(': '))
      .map((l) =>
        l.replace(
          /: (\w+): (.*?) is a template placeholder.*?(Its name, [^,]*,)?[^,]*\[(.*)\]$/,
          ' $1 $2 $3 $4',
        ),
      );
    assert.deepEqual(lines, [
      'models/deploy.prototxt:2:20 error $H  syntax',
      'models/deploy.tpl.prototxt:2:34 warning $TARGET_HEIGHT Its name, deploy.tpl.prototxt, syntax',
      'models/deploy.tpl.prototxt:2:54 warning $TARGET_WIDTH Its name, deploy.tpl.prototxt, syntax',
      'models/solver_template_sgd.prototxt:2:10 warning {lr} Its name, solver_template_sgd.prototxt, syntax',
    ]);
  });
});

test('a net path written as a file name alone that a script makes inside a folder: the folder is told', async () => {
  await inRepo('net-writers-in-folder-', async (dir) => {
    // MobileNet-SSD: gen_model.sh writes example/MobileNetSSD_train.prototxt; solver_test.prototxt names it alone.
    fs.writeFileSync(
      path.join(dir, 'gen_model.sh'),
      'trainfile=example/MobileNetSSD_train.prototxt\ncp template/t.prototxt $trainfile\n',
    );
    fs.writeFileSync(
      path.join(dir, 'solver_test.prototxt'),
      'train_net: "MobileNetSSD_train.prototxt"\nbase_lr: 0.01\n',
    );
    fs.writeFileSync(
      path.join(dir, 'solver_train.prototxt'),
      'train_net: "example/MobileNetSSD_train.prototxt"\nbase_lr: 0.01\n',
    );
    const { out } = await runCliIn(dir, [
      'check',
      '--root',
      dir,
      'solver_test.prototxt',
      'solver_train.prototxt',
    ]);
    const lines = out.split('\n').filter((l) => l.includes('[solver-files]'));
    assert.deepEqual(
      lines.map((l) => l.replace(/ Looked for .*$/, '')),
      [
        'solver_test.prototxt:1:12: warning: "MobileNetSSD_train.prototxt" (train_net) does not exist: gen_model.sh names a file of this name, but as example/MobileNetSSD_train.prototxt; write that path here if it is the file meant (Caffe stops when it cannot read the file).',
        'solver_train.prototxt:1:12: warning: "example/MobileNetSSD_train.prototxt" (train_net) does not exist yet: gen_model.sh names it, so it is likely made by running that script; run it before training (Caffe stops when it cannot read the file).',
      ],
    );
  });
});

test('a word a Python or MATLAB script names in quotes is a template value it fills in: a warning that says so', async () => {
  await inRepo('net-writers-quoted-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'nets'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    // rcnn-depth's imagenet_deploy.prototxt (num_output: N_CLASSES), filled in by a MATLAB script.
    fs.writeFileSync(
      path.join(dir, 'nets', 'deploy.prototxt'),
      'layer { name: "fc" type: "InnerProduct" bottom: "x" top: "fc" inner_product_param { num_output: N_CLASSES } }\n' +
        'layer { name: "fc2" type: "InnerProduct" bottom: "fc" top: "fc2" inner_product_param { num_output: OTHER_WORD } }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'scripts', 'make_nets.m'),
      "% fills the nets\nmake_protofiles('nets/deploy.prototxt', 'N_CLASSES', sprintf('%d', n));\n",
    );
    // A Python script's replace.
    fs.writeFileSync(
      path.join(dir, 'scripts', 'fill.py'),
      "text = open(p).read().replace('SOLVER_DIR', out)\n",
    );
    fs.writeFileSync(
      path.join(dir, 'nets', 'solver.prototxt'),
      'net: "SOLVER_DIR/train.prototxt"\nbase_lr: 0.1\n',
    );
    // A folder's name a script merely quotes (face-landmark's Demo.py and its ZOO/): no placeholder.
    fs.writeFileSync(path.join(dir, 'scripts', 'demo.py'), "folder = 'ZOO'\n");
    fs.writeFileSync(
      path.join(dir, 'nets', 'other_solver.prototxt'),
      'net: "ZOO/train.prototxt"\nbase_lr: 0.1\n',
    );
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'nets']);
    const lines = out.split('\n').filter((l) => /\[(expected-number|solver-files)\]/.test(l));
    assert.match(
      lines.find((l) => l.startsWith('nets/other_solver')) ?? '',
      /: error: "ZOO\/train\.prototxt" \(net\) does not exist/,
    );
    assert.deepEqual(lines, [
      'nets/deploy.prototxt:1:97: warning: Couldn\'t parse integer: N_CLASSES. "num_output" takes a uint32. ' +
        "scripts/make_nets.m fills in 'N_CLASSES': this file is a template, which Caffe reads only once that script has filled it in. [expected-number]",
      'nets/deploy.prototxt:2:100: error: Couldn\'t parse integer: OTHER_WORD. "num_output" takes a uint32. [expected-number]',
      lines.find((l) => l.startsWith('nets/other_solver')),
      'nets/solver.prototxt:1:6: information: "SOLVER_DIR/train.prototxt" (net) is a template\'s: scripts/fill.py ' +
        "replaces 'SOLVER_DIR', and Caffe reads the solver only once the script has filled it in. [solver-files]",
    ]);
  });
});

test("a sed script file's substitutions fill a template in (DeepLab's sub.sed with ${NUM_LABELS})", async () => {
  await inRepo('net-writers-sed-file-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(
      path.join(dir, 'sub.sed'),
      `'s,\${EXP},'"\${EXP}"',g;s,\${NUM_LABELS},'"\${NUM_LABELS}"',g'\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'config', 'train.prototxt'),
      'layer { name: "fc8" type: "Convolution" bottom: "x" top: "fc8" convolution_param { num_output: ${NUM_LABELS} kernel_size: 1 } }\n',
    );
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'config/train.prototxt']);
    const [line] = out.split('\n').filter((l) => l.includes('[syntax]'));
    assert.match(
      line ?? '',
      /: warning: \$\{NUM_LABELS\} is a template placeholder: .* sub\.sed replaces \$\{NUM_LABELS\} with sed: this file is a template/,
    );
  });
});

test('upper-case words in a file whose folder says it is a template: placeholders, warned as such (skynet-train)', async () => {
  await inRepo('net-writers-template-words-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.mkdirSync(path.join(dir, 'nets'));
    const net =
      'name: "segnet"\nINPUT\nlayer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: CLASS_COUNT kernel_size: 1 } }\n';
    fs.writeFileSync(path.join(dir, 'templates', 'train.prototxt'), net);
    fs.writeFileSync(path.join(dir, 'nets', 'train.prototxt'), net);
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'templates', 'nets']);
    const lines = out
      .split('\n')
      .filter((l) => /\[(unknown-field|syntax|expected-number)\]/.test(l))
      .map((l) => l.replace(/: (\w+): .*\[/, ' $1 ['));
    assert.deepEqual(lines, [
      'templates/train.prototxt:2:1 warning [unknown-field]',
      'templates/train.prototxt:3:1 warning [syntax]',
      'templates/train.prototxt:3:95 warning [expected-number]',
      'nets/train.prototxt:2:1 error [unknown-field]',
      'nets/train.prototxt:3:1 error [syntax]',
      'nets/train.prototxt:3:95 error [expected-number]',
    ]);
    assert.match(
      out,
      /has no field named "INPUT": INPUT is likely a template's placeholder: the name templates\/ marks the file as a template/,
    );
  });
});
