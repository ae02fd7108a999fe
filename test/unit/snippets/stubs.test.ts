// The shipped `caffe` type stubs parse and describe the layer API the snippets use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../helpers/paths';
import { has } from '../../helpers/resources';

const python = '/usr/bin/python3';

// Prints {class: {member: [parameter names] | "attr"}} for every class of each stub file.
const describeStubs = `
import ast, json, sys
out = {}
for f in sys.argv[1:]:
    tree = ast.parse(open(f).read(), f)
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = out.setdefault(node.name, {})
            for m in node.body:
                if isinstance(m, ast.FunctionDef):
                    members[m.name] = [a.arg for a in m.args.args]
                elif isinstance(m, ast.AnnAssign) and isinstance(m.target, ast.Name):
                    members[m.target.id] = "attr"
        elif isinstance(node, ast.FunctionDef):
            out.setdefault("<module>", {})[node.name] = [a.arg for a in node.args.args]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out.setdefault("<module>", {})[node.target.id] = "attr"
print(json.dumps(out))
`;

test('caffe stubs describe Layer, Blob, Net and the phases', (t) => {
  if (!has(t, 'python')) return;
  const files = ['stubs/caffe/__init__.pyi', 'stubs/caffe/proto/caffe_pb2.pyi'].map((f) =>
    path.join(repoRoot, f),
  );
  const run = spawnSync(python, ['-c', describeStubs, ...files], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const api = JSON.parse(run.stdout) as Record<string, Record<string, string[] | 'attr'>>;
  const layer = api.Layer;
  assert.deepEqual(layer.setup, ['self', 'bottom', 'top']);
  assert.deepEqual(layer.reshape, ['self', 'bottom', 'top']);
  assert.deepEqual(layer.forward, ['self', 'bottom', 'top']);
  assert.deepEqual(layer.backward, ['self', 'top', 'propagate_down', 'bottom']);
  for (const attr of ['param_str', 'param_str_', 'phase']) assert.equal(layer[attr], 'attr', `Layer.${attr}`);
  assert.ok(layer.blobs, 'Layer.blobs');
  for (const member of ['data', 'diff', 'shape', 'count', 'num', 'channels', 'height', 'width', 'reshape']) {
    assert.ok(api.Blob[member], `Blob.${member}`);
  }
  assert.ok(api.BlobVec.add_blob, 'BlobVec.add_blob');
  for (const member of ['blobs', 'params', 'forward', 'backward', 'copy_from'])
    assert.ok(api.Net[member], `Net.${member}`);
  for (const fn of ['set_mode_cpu', 'set_mode_gpu', 'set_device', 'get_solver'])
    assert.ok(api['<module>'][fn], fn);
  assert.equal(api['<module>'].TRAIN, 'attr');
  assert.equal(api['<module>'].TEST, 'attr');
});
