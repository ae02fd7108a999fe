// A solver and the files it names, in a workspace on disk: net files found in the solver's folder or a
// workspace root (definition, hover saying which), missing ones (an error naming where it looked), a
// snapshot folder that does not exist (a warning, worded by when Caffe fails), and path completion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, Diagnostic, Location } from 'vscode-languageserver';
import { DocumentStore } from '../../../../../server/src/documents';
import { provideCompletion } from '../../../../../server/src/features/completion/completion';
import type { Services } from '../../../../../server/src/features/context';
import { provideDefinition } from '../../../../../server/src/features/definition/definition';
import { solverFileDiagnostics } from '../../../../../server/src/features/diagnostics/solver-files';
import { provideHover } from '../../../../../server/src/features/hover/hover';
import { createPythonParser } from '../../../../../server/src/python/parser';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { BASIC_CLIENT } from '../../../../../server/src/workspace/analyses';
import { SolverUses } from '../../../../../server/src/workspace/solver-uses';
import { featureInputFor, withCursor } from '../../../../helpers/analyzed-document';

let root = '';
let services: Services;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'solver-files-'));
  for (const dir of ['models/a', 'models/b', 'snapshots'])
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.writeFileSync(path.join(root, 'models/a/train.prototxt'), 'name: "a"\n');
  fs.writeFileSync(path.join(root, 'models/a/test.prototxt'), 'name: "t"\n');
  fs.writeFileSync(path.join(root, 'models/a/notes.md'), 'not a net\n');
  services = {
    python: new PythonWorkspace({ createParser: () => createPythonParser() }),
    documents: new DocumentStore(),
    roots: [root],
    solvers: new SolverUses(),
  };
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

const SOLVER = `train_net: "models/a/train.prototxt"
test_net: "test.prototxt"
test_net: "models/a/gone.prototxt"
test_iter: 1
test_iter: 1
test_interval: 10
base_lr: 0.1
lr_policy: "fixed"
snapshot: 100
snapshot_prefix: "snapshots/run1/a"
`;

function solverInput(marked: string, markdown = true) {
  const { text, offset } = marked.includes('<|>') ? withCursor(marked) : { text: marked, offset: 0 };
  const uri = pathToFileURL(path.join(root, 'models/a/solver.prototxt')).toString();
  const input = featureInputFor(text, { uri, client: markdown ? undefined : BASIC_CLIENT });
  return { input, position: input.doc.lines.positionAt(offset) };
}

function cursorAfter(needle: string, text = SOLVER): string {
  const i = text.indexOf(needle) + needle.length;
  return `${text.slice(0, i)}<|>${text.slice(i)}`;
}

/** The hover's text just after `needle` in the solver `text`. */
function hoverAfter(needle: string, text = SOLVER): string {
  const at = solverInput(cursorAfter(needle, text));
  const hover = provideHover(
    at.input,
    { textDocument: { uri: at.input.doc.uri }, position: at.position },
    services,
  );
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

/** The files go to definition opens from just after `needle` in the solver `text`. */
function definitionAfter(needle: string, text = SOLVER): string[] {
  const at = solverInput(cursorAfter(needle, text));
  const targets = provideDefinition(
    at.input,
    { textDocument: { uri: at.input.doc.uri }, position: at.position },
    services,
  );
  return ((targets ?? []) as Location[]).map((t) => t.uri);
}

test('a missing net file is an error, a missing snapshot folder a warning; found ones say nothing', () => {
  const { input } = solverInput(SOLVER);
  const found = solverFileDiagnostics(input, [root]).map((d: Diagnostic) => [
    d.range.start.line,
    d.severity,
    d.message,
  ]);
  assert.deepEqual(found, [
    [
      2,
      1,
      `"models/a/gone.prototxt" (test_net) does not exist: looked for ${path.join(root, 'models/a/models/a/gone.prototxt')}, ${path.join(root, 'models/models/a/gone.prototxt')}, ${path.join(root, 'models/a/gone.prototxt')}. Caffe opens it relative to the folder it is started in and stops when it cannot read it.`,
    ],
    [
      9,
      2,
      `The snapshot folder of "snapshots/run1/a" does not exist: looked for ${path.join(root, 'models/a/snapshots/run1')}, ${path.join(root, 'models/snapshots/run1')}, ${path.join(root, 'snapshots/run1')}. Caffe stops before training ("Cannot write to snapshot prefix"); create the folder first.`,
    ],
  ]);
  // Without periodic snapshots only the final one is written, and with snapshot_after_train: false none.
  const final = solverInput(SOLVER.replace('snapshot: 100\n', '')).input;
  const finalMessage = solverFileDiagnostics(final, [root])[1]?.message;
  assert.match(typeof finalMessage === 'string' ? finalMessage : '', /fails to write the final snapshot/);
  const none = solverInput(SOLVER.replace('snapshot: 100\n', 'snapshot_after_train: false\n')).input;
  assert.equal(solverFileDiagnostics(none, [root]).length, 1);
  // A folder that exists is fine; so is a net prototxt (it names no files).
  const ok = solverInput(SOLVER.replace('snapshots/run1/a', 'snapshots/a')).input;
  assert.equal(solverFileDiagnostics(ok, [root]).length, 1);
  assert.deepEqual(solverFileDiagnostics(featureInputFor('layer { name: "a" }\n'), [root]), []);
});

test("a template's paths, filled in by a script before training, are not looked for", () => {
  // DeepLab's solvers, which its run scripts fill in with sed.
  const template = SOLVER.replace(
    'models/a/gone.prototxt',
    '${EXP}/config/${NET_ID}/test_${TEST_SET}.prototxt',
  ).replace('snapshots/run1/a', '${EXP}/model/${NET_ID}/train');
  assert.deepEqual(solverFileDiagnostics(solverInput(template).input, [root]), []);
  for (const written of [
    '$CAFFE_ROOT/nets/x.prototxt',
    '{{ exp }}/x.prototxt',
    '%(exp)s/x.prototxt',
    '@EXP@/x.prototxt',
  ]) {
    const one = solverInput(SOLVER.replace('models/a/gone.prototxt', written)).input;
    assert.equal(solverFileDiagnostics(one, [root]).length, 1, written);
  }
  // A dollar sign alone is a name like any other.
  const dollar = solverInput(SOLVER.replace('models/a/gone.prototxt', 'models/a/$5.prototxt')).input;
  assert.equal(solverFileDiagnostics(dollar, [root]).length, 2);
});

test('go to definition on a net path opens the file found in the solver folder or a root', () => {
  for (const [needle, file] of [
    ['train_net: "models/a/tr', 'models/a/train.prototxt'],
    ['test_net: "te', 'models/a/test.prototxt'],
  ] as const) {
    const { input, position } = solverInput(cursorAfter(needle));
    const targets = provideDefinition(input, { textDocument: { uri: input.doc.uri }, position }, services);
    assert.deepEqual(
      (targets as Location[]).map((t) => t.uri),
      [pathToFileURL(path.join(root, file)).toString()],
    );
  }
  const { input, position } = solverInput(cursorAfter('gone.pro'));
  assert.equal(provideDefinition(input, { textDocument: { uri: input.doc.uri }, position }, services), null);
  const plain = solverInput(cursorAfter('train_net: "mo'), false);
  const locations = provideDefinition(
    plain.input,
    { textDocument: { uri: plain.input.doc.uri }, position: plain.position },
    services,
  ) as Location[];
  assert.deepEqual(locations[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
});

test('a hover on a path says where it was found, or where it was looked for', () => {
  const text = (needle: string) => hoverAfter(needle);
  assert.match(
    text('train_net: "mod'),
    new RegExp(`found in the workspace root ${root}: ${path.join(root, 'models/a/train.prototxt')}`),
  );
  assert.match(text('test_net: "te'), /\*\*net file\*\* found in the solver's folder: /);
  assert.match(text('gone.pro'), /\*\*net file\*\* not found; looked for `/);
  assert.match(text('snapshot_prefix: "snap'), /\*\*snapshot folder\*\* not found/);
});

test('an absolute path written for a copy of the workspace elsewhere: the message, hover and definition name the workspace file', () => {
  // SegNet's solvers name /SegNet/Models/...: the repository as its authors had it.
  const solver = SOLVER.replace(
    'train_net: "models/a/train.prototxt"',
    'train_net: "/NoSuchCopy/models/a/train.prototxt"',
  ).replace('snapshots/run1/a', '/NoSuchCopy/models/a/snap');
  const { input } = solverInput(solver);
  const messages = solverFileDiagnostics(input, [root]).map((d: Diagnostic) => [
    d.range.start.line,
    d.message,
  ]);
  assert.deepEqual(messages[0], [
    0,
    '"/NoSuchCopy/models/a/train.prototxt" (train_net) does not exist: looked for /NoSuchCopy/models/a/train.prototxt. Caffe opens an absolute path as written (a folder of the machine it was written on) and stops when it cannot read it. The workspace has models/a/train.prototxt: the path was written for a copy of the workspace at /NoSuchCopy.',
  ]);
  assert.match(
    String(messages[2]?.[1]),
    /The workspace has models\/a: the path was written for a copy of the workspace at \/NoSuchCopy\.$/,
  );
  assert.deepEqual(definitionAfter('train_net: "/NoSuch', solver), [
    pathToFileURL(path.join(root, 'models/a/train.prototxt')).toString(),
  ]);
  assert.match(
    hoverAfter('train_net: "/NoSuch', solver),
    /The workspace has it as models\/a\/train\.prototxt: the path was written for a copy of the workspace at \/NoSuchCopy\./,
  );
  // A path from the author's home folder: Caffe opens it as written, and the tail is in the workspace.
  const home = solverInput(
    SOLVER.replace('train_net: "models/a/train.prototxt"', 'train_net: "~/work/models/a/train.prototxt"'),
  ).input;
  assert.match(
    String(solverFileDiagnostics(home, [root])[0]?.message),
    /stops when it cannot read it\. Caffe does not expand ~ \(a shell does\): write the path out\. The workspace has models\/a\/train\.prototxt: the path was written for a copy of the workspace at ~\/work\.$/,
  );
  // A path whose start its author left out ("..."): Caffe takes "..." for a folder; the tail is in the workspace.
  const elided = solverInput(
    SOLVER.replace('train_net: "models/a/train.prototxt"', 'train_net: ".../repo/models/a/train.prototxt"'),
  ).input;
  assert.match(
    String(solverFileDiagnostics(elided, [root])[0]?.message),
    /The workspace has models\/a\/train\.prototxt: the path was written for a copy of the workspace at \.\.\.\/repo, its start left out: Caffe takes "\.\.\." for a folder's name and finds none\.$/,
  );
  const elidedSolver = SOLVER.replace(
    'train_net: "models/a/train.prototxt"',
    'train_net: ".../repo/models/a/train.prototxt"',
  );
  const onElided = solverInput(cursorAfter('train_net: "...', elidedSolver));
  assert.deepEqual(
    (
      provideDefinition(
        onElided.input,
        { textDocument: { uri: onElided.input.doc.uri }, position: onElided.position },
        services,
      ) as Location[] | null
    )?.map((t) => t.uri),
    [pathToFileURL(path.join(root, 'models/a/train.prototxt')).toString()],
  );
  assert.match(
    hoverAfter('train_net: "...', elidedSolver),
    /The workspace has it as models\/a\/train\.prototxt: .*its start left out/,
  );
  // Two dots are the parent folder, as Caffe reads them: not an elision.
  const parent = solverInput(
    SOLVER.replace('train_net: "models/a/train.prototxt"', 'train_net: "../repo/models/a/train.prototxt"'),
  ).input;
  const parentMessage = String(solverFileDiagnostics(parent, [root])[0]?.message);
  assert.match(parentMessage, /^"\.\.\/repo\/models\/a\/train\.prototxt" \(train_net\) does not exist/);
  assert.doesNotMatch(parentMessage, /The workspace has/);
  // A lone file name matching is no evidence: nothing is said.
  const lone = solverInput(
    SOLVER.replace('train_net: "models/a/train.prototxt"', 'train_net: "/elsewhere/solver_x.prototxt"'),
  ).input;
  fs.writeFileSync(path.join(root, 'solver_x.prototxt'), 'name: "x"\n');
  try {
    assert.doesNotMatch(String(solverFileDiagnostics(lone, [root])[0]?.message), /The workspace has/);
  } finally {
    fs.rmSync(path.join(root, 'solver_x.prototxt'));
  }
});

test('a net path found nowhere whose file is beside the solver: the message and hover say where the solver expects its files', () => {
  // Solvers published to be copied into a Caffe checkout (examples/face/alexNet/), with their nets beside them.
  const solver = SOLVER.replace(
    'test_net: "test.prototxt"',
    'test_net: "examples/face/alexNet/test.prototxt"',
  );
  const { input } = solverInput(solver);
  const messages = solverFileDiagnostics(input, [root]).map((d: Diagnostic) => d.message);
  assert.match(
    String(messages[0]),
    /^"examples\/face\/alexNet\/test\.prototxt" \(test_net\) does not exist: .* The solver's folder has test\.prototxt: if it is this net, the solver expects its files in examples\/face\/alexNet\/ under the folder Caffe is started in \(copy them there, or change the path\)\.$/,
  );
  // A file of another name, or a path with no folder (looked for beside the solver already): nothing added.
  assert.doesNotMatch(String(messages[1]), /The solver's folder has/);
  assert.match(
    hoverAfter('test_net: "exam', solver),
    /The solver's folder has test\.prototxt: if it is this net, the solver expects its files in examples\/face\/alexNet\//,
  );
  // An absolute folder is the same wherever Caffe starts.
  const absolute = solverInput(
    SOLVER.replace('test_net: "test.prototxt"', 'test_net: "/root/UNet/test.prototxt"'),
  ).input;
  assert.match(
    String(solverFileDiagnostics(absolute, [root])[0]?.message),
    /if it is this net, the solver expects its files in the absolute folder \/root\/UNet\/ \(copy them there, or change the path\)\.$/,
  );
});

test('a path too long for the file system is not found, never an error: hover, definition, completion, diagnostics', () => {
  // stat fails with ENAMETOOLONG (not ENOENT) on a name longer than the file system allows.
  const long = 'n'.repeat(5000);
  const text = SOLVER.replace('models/a/train.prototxt', `${long}.prototxt`).replace(
    'snapshots/run1/a',
    `${long}/a`,
  );
  for (const needle of [`train_net: "${long.slice(0, 10)}`, `snapshot_prefix: "${long.slice(0, 10)}`]) {
    const { input, position } = solverInput(cursorAfter(needle, text));
    const params = { textDocument: { uri: input.doc.uri }, position };
    const hover = provideHover(input, params, services);
    const value =
      hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, /\*\* not found; looked for `/, needle.slice(0, 12));
    assert.equal(provideDefinition(input, params, services), null);
    // Completion offers the folder's entries for the client to filter by what is typed.
    assert.ok(Array.isArray(provideCompletion(input, params, services).items));
  }
  const messages = solverFileDiagnostics(solverInput(text).input, [root]).map((d: Diagnostic) =>
    typeof d.message === 'string' ? d.message : d.message.value,
  );
  assert.equal(messages.filter((m) => m.includes(`${long}.prototxt" (train_net) does not exist`)).length, 1);
  assert.equal(messages.filter((m) => m.startsWith('The snapshot folder of')).length, 1);
});

test('completion in a path: folders and net files of the solver folder and the roots', () => {
  const labels = (needle: string, text = SOLVER) => {
    const { input, position } = solverInput(cursorAfter(needle, text));
    const list = provideCompletion(input, { textDocument: { uri: input.doc.uri }, position }, services);
    return list.items.map((i: CompletionItem) => `${i.label} ${i.detail ?? ''}`).sort();
  };
  assert.deepEqual(
    labels('test_net: "'),
    [
      'models/ in the workspace root ' + root,
      'snapshots/ in the workspace root ' + root,
      "test.prototxt in the solver's folder",
      "train.prototxt in the solver's folder",
    ].sort(),
  );
  assert.deepEqual(labels('train_net: "models/'), [
    `a/ in the workspace root ${root}`,
    `b/ in the workspace root ${root}`,
  ]);
  // snapshot_prefix offers folders only.
  assert.deepEqual(labels('snapshot_prefix: "'), [
    `models/ in the workspace root ${root}`,
    `snapshots/ in the workspace root ${root}`,
  ]);
  // The replaced range is the name after the last slash, to the closing quote.
  const { input, position } = solverInput(cursorAfter('train_net: "models/a/tr'));
  const item = provideCompletion(
    input,
    { textDocument: { uri: input.doc.uri }, position },
    services,
  ).items.find((i) => i.label === 'train.prototxt');
  assert.deepEqual(item?.textEdit && 'range' in item.textEdit ? item.textEdit.range : undefined, {
    start: { line: 0, character: 21 },
    end: { line: 0, character: 35 },
  });
});

test("a path that starts with the workspace folder's own name is found from the folder holding it (Caffe started beside the clone)", () => {
  // ENet's solvers name ENet/prototxts/...: Caffe is started in the folder holding the ENet clone.
  const name = path.basename(root);
  const solver = SOLVER.replace(
    'train_net: "models/a/train.prototxt"',
    `train_net: "${name}/models/a/train.prototxt"`,
  )
    .replace('snapshot_prefix: "snapshots/run1/a"', `snapshot_prefix: "${name}/snapshots/a"`)
    .replace('test_net: "models/a/gone.prototxt"\ntest_iter: 1\n', '');
  const { input } = solverInput(solver);
  assert.deepEqual(
    solverFileDiagnostics(input, [root]).map((d: Diagnostic) => d.message),
    [],
  );
  assert.match(
    hoverAfter(`train_net: "${name.slice(0, 4)}`, solver),
    new RegExp(
      `found from the folder holding the workspace root ${root} \\(the path starts with its name\\): ${path.join(root, 'models/a/train.prototxt')}`,
    ),
  );
  // Another first folder is not taken for the workspace's.
  const other = solverInput(
    SOLVER.replace('train_net: "models/a/train.prototxt"', 'train_net: "Other/models/a/train.prototxt"'),
  ).input;
  assert.match(
    String(solverFileDiagnostics(other, [root])[0]?.message),
    /^"Other\/models\/a\/train\.prototxt" \(train_net\) does not exist/,
  );
});

test('a net path written with Windows separators: found when each \\ is read as one, a warning with / as the fix', () => {
  // Faster R-CNN's MATLAB solvers name `.\models\...`, relative to the repository root Caffe is started in.
  const solver = SOLVER.replace(
    'train_net: "models/a/train.prototxt"',
    'train_net: ".\\\\models\\\\a\\\\train.prototxt"',
  ).replace('test_net: "models/a/gone.prototxt"\n', '');
  const { input } = solverInput(solver);
  const found = solverFileDiagnostics(input, [root]);
  assert.equal(found.length, 2);
  assert.equal(found[0].range.start.line, 0);
  assert.equal(found[0].severity, 2);
  assert.equal(
    found[0].message,
    `".\\models\\a\\train.prototxt" (train_net) uses Windows folder separators (\\): read that way it names ${path.join(root, 'models/a/train.prototxt')}, but Caffe on Linux and macOS takes a \\ for part of the file name and stops when it cannot read the file. Write / instead: Caffe on Windows reads it too.`,
  );
  assert.deepEqual(found[0].data, { suggestions: ['"./models/a/train.prototxt"'] });
  assert.deepEqual(definitionAfter('train_net: ".\\\\mod', solver), [
    pathToFileURL(path.join(root, 'models/a/train.prototxt')).toString(),
  ]);
  assert.match(
    hoverAfter('train_net: ".\\\\mod', solver),
    /found in the workspace root .*, reading each \\ as a folder separator as Caffe on Windows does/,
  );
  // Found nowhere either way: the error, with both readings among the places looked for.
  const gone = solverInput(solver.replace('a\\\\train', 'a\\\\gone')).input;
  const missing = solverFileDiagnostics(gone, [root])[0];
  assert.equal(missing.severity, 1);
  assert.ok(String(missing.message).includes(path.join(root, 'models/a/gone.prototxt')));
  // A Windows path with a drive: the workspace's copy of its tail, as for an absolute path.
  const drive = solverInput(solver.replace('.\\\\models', 'D:\\\\work\\\\models')).input;
  assert.match(
    String(solverFileDiagnostics(drive, [root])[0].message),
    /The workspace has models\/a\/train\.prototxt: the path was written for a copy of the workspace at D:\\work\.$/,
  );
});
