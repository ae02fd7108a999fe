// The upgrade against Caffe's own tools (upgrade_net_proto_text, upgrade_solver_proto_text, built with
// the real pycaffe): on every V1 and V0 net of the corpus and every solver with solver_type, Caffe's
// result and ours, encoded by protoc, are the same bytes (comments, layout and field order aside).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { upgradeNet } from '../../../../../server/src/analysis/transforms/upgrade';
import { schemaFromProtoText } from '../../../../../server/src/schema/user-proto';
import { corpusDir, has, pycaffePath } from '../../../../helpers/resources';

interface Row {
  file: string;
  kind: string;
  format: string;
  acceptedBy: string;
}

function corpusRows(): Row[] {
  return readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [file, kind, format, acceptedBy] = line.split('\t');
      return { file, kind, format, acceptedBy };
    });
}

test("upgrade gives what Caffe's upgrade tools give, on every old net and solver of the corpus", (t) => {
  if (!has(t, 'pycaffe', 'protoc', 'corpus')) return;
  const build = path.join(path.dirname(pycaffePath() as string), 'build');
  const tool = (name: string) => path.join(build, 'tools', name);
  assert.ok(existsSync(tool('upgrade_net_proto_text')), `no ${tool('upgrade_net_proto_text')}`);
  const protoDir = path.join(corpusDir, 'schemas', 'bvlc');
  const protoFile = path.join(protoDir, 'caffe.proto');
  const { schema } = schemaFromProtoText(readFileSync(protoFile, 'utf8'), protoFile);
  const encode = (message: string, text: string) => {
    const run = spawnSync(
      'protoc',
      [`--encode=caffe.${message}`, `--proto_path=${protoDir}`, 'caffe.proto'],
      {
        input: text,
      },
    );
    assert.equal(run.status, 0, run.stderr.toString());
    return run.stdout;
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'upgrade-caffe-'));
  try {
    const rows = corpusRows().filter((r) => r.acceptedBy.split(',').includes('bvlc'));
    const nets = rows.filter((r) => r.kind === 'net' && (r.format === 'v1' || r.format === 'v0'));
    const solvers = rows.filter(
      (r) =>
        r.kind === 'solver' &&
        readFileSync(path.join(corpusDir, 'files', r.file), 'utf8').includes('solver_type'),
    );
    assert.ok(nets.length >= 10 && solvers.length >= 10, `${nets.length} nets, ${solvers.length} solvers`);
    for (const [rows, name, message] of [
      [nets, 'upgrade_net_proto_text', 'NetParameter'],
      [solvers, 'upgrade_solver_proto_text', 'SolverParameter'],
    ] as const) {
      for (const row of rows) {
        const file = path.join(corpusDir, 'files', row.file);
        const text = readFileSync(file, 'utf8');
        const out = path.join(dir, 'caffe.prototxt');
        const run = spawnSync(tool(name), [file, out], {
          env: { ...process.env, LD_LIBRARY_PATH: path.join(build, 'lib'), GLOG_minloglevel: '3' },
        });
        assert.equal(run.status, 0, `${name} ${row.file}: ${run.stderr.toString().slice(-300)}`);
        const ours = upgradeNet(text, { indent: '  ', eol: '\n' }, schema);
        assert.deepEqual(ours.problems, [], row.file);
        // Already current (solver_type only in a comment, say): Caffe writes the same message back.
        const upgraded = ours.text ?? (ours.current ? text : undefined);
        assert.ok(upgraded !== undefined, `${row.file}: ${ours.message}`);
        assert.ok(
          encode(message, readFileSync(out, 'utf8')).equals(encode(message, upgraded)),
          `${row.file}: Caffe's upgrade and ours differ`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
