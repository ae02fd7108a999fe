// Fingerprints every version of BVLC Caffe's layer sources (src/caffe/layers/*.cpp on master and on
// the release tags) for server/src/schema/bvlc-sources.ts:
//   node --import tsx scripts/generate-bvlc-sources.ts PATH-TO-BVLC-CAFFE-GIT-DIR
// Writes server/src/schema/generated/bvlc-layer-sources.json: file name -> sorted fingerprints.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFingerprint } from '../server/src/schema/bvlc-sources';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(repoRoot, 'server/src/schema/generated/bvlc-layer-sources.json');
const LAYER_FILE = /^src\/caffe\/layers\/([^/]+\.cpp)$/;

function main(): number {
  const gitDir = process.argv[2];
  if (!gitDir || !fs.existsSync(gitDir)) {
    console.error('generate-bvlc-sources: pass the git directory of a BVLC Caffe clone');
    return 2;
  }
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const tags = git('tag', '--list').split('\n').filter(Boolean);
  const objects = git('rev-list', '--objects', 'master', ...tags, '--', 'src/caffe/layers').split('\n');
  const prints = new Map<string, Set<string>>();
  for (const line of objects) {
    const space = line.indexOf(' ');
    const file = space < 0 ? undefined : LAYER_FILE.exec(line.slice(space + 1));
    if (!file) continue;
    const text = git('cat-file', 'blob', line.slice(0, space));
    let set = prints.get(file[1]);
    if (!set) prints.set(file[1], (set = new Set()));
    set.add(sourceFingerprint(text));
  }
  const header = {
    generated: 'GENERATED FILE - do not edit; facts only (fingerprints of source files)',
    from: `BVLC/caffe src/caffe/layers/*.cpp on master and the tags ${tags.join(' ')}`,
    regenerate: 'node --import tsx scripts/generate-bvlc-sources.ts BVLC-CAFFE-GIT-DIR',
  };
  const lines = [...prints.keys()]
    .sort()
    .map((f) => `${JSON.stringify(f)}: ${JSON.stringify([...(prints.get(f) ?? [])].sort())}`);
  fs.writeFileSync(out, `{\n"$header": ${JSON.stringify(header)},\n"files": {\n${lines.join(',\n')}\n}\n}\n`);
  const versions = [...prints.values()].reduce((n, s) => n + s.size, 0);
  console.log(`${out}: ${prints.size} files, ${versions} versions (master and ${tags.length} tags)`);
  return 0;
}

process.exitCode = main();
