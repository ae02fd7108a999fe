// The CLI installs without a clone: `npm pack` holds the bundles, and the tarball installed into an
// empty folder runs `caffe-prototxt check` (the bundles carry every runtime dependency).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/lsp-client';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack, install the tarball into a temporary folder, run caffe-prototxt check from there', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caffe-prototxt-pack-'));
  // dist/ is built before the protocol tests; `prepack` builds it for a plain `npm pack`.
  const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const [{ filename, files }] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
  const paths = files.map((f) => f.path);
  for (const needed of [
    'bin/caffe-prototxt.js',
    'dist/cli.js',
    'dist/elk.js',
    'dist/python-index-worker.js',
    'dist/tree-sitter-python.wasm',
  ])
    assert.ok(paths.includes(needed), `${needed} is packed`);
  assert.ok(
    !paths.some((p) => p.startsWith('server/') || p.startsWith('test/') || p.endsWith('.map')),
    'no sources, tests or maps',
  );

  const prefix = path.join(tmp, 'install');
  fs.mkdirSync(prefix);
  fs.writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, filename)], {
    cwd: prefix,
    encoding: 'utf8',
  });
  const bin = path.join(prefix, 'node_modules', '.bin', 'caffe-prototxt');
  const work = path.join(tmp, 'work');
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, 'net.prototxt'), 'name: "n"\nlayer { nmae: "x" }\n');
  const run = spawnSync(bin, ['check', 'net.prototxt'], { cwd: work, encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /^net\.prototxt:2:9: error: .*"nmae".*\[unknown-field\]\n$/);
  // The graph's layout loads ELK from dist/elk.js beside the CLI.
  fs.writeFileSync(
    path.join(work, 'small.prototxt'),
    'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 } } }\n' +
      'layer { name: "relu" type: "ReLU" bottom: "x" top: "y" }\n',
  );
  const graph = spawnSync(bin, ['graph', 'small.prototxt'], { cwd: work, encoding: 'utf8' });
  assert.equal(graph.status, 0, graph.stderr);
  assert.match(graph.stdout, /^<svg [^]*>relu<[^]*<\/svg>\n$/);
  const version = spawnSync(bin, ['--version'], { cwd: work, encoding: 'utf8' });
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  assert.equal(version.stdout.trim(), manifest.version);
  fs.rmSync(tmp, { recursive: true, force: true });
});
