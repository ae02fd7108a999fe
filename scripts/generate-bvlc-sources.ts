// Fingerprints every version of BVLC Caffe's layer sources (src/caffe/layers/*.cpp on master and on
// the release tags) for server/src/schema/bvlc-sources.ts:
//   node --import tsx scripts/generate-bvlc-sources.ts PATH-TO-BVLC-CAFFE-GIT-DIR
// Writes server/src/schema/generated/bvlc-layer-sources.json: file name -> sorted fingerprints.
// With --ssd and weiliu89/caffe's git directory, the same of SSD's own layer files (branch ssd and
// its tags) into generated/ssd-layer-sources.json: the rules of SSD's layer types follow that code.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFingerprint } from '../server/src/schema/bvlc-sources';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const generated = path.join(repoRoot, 'server/src/schema/generated');
const LAYER_FILE = /^src\/caffe\/layers\/([^/]+\.cpp)$/;

/** Every version's fingerprint of each layer file reachable from `refs` in the clone at `gitDir`. */
function fingerprintsOf(gitDir: string, refs: readonly string[]): Map<string, Set<string>> {
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const objects = git('rev-list', '--objects', ...refs, '--', 'src/caffe/layers').split('\n');
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
  return prints;
}

function write(file: string, from: string, regenerate: string, prints: Map<string, Set<string>>): void {
  const header = {
    generated: 'GENERATED FILE - do not edit; facts only (fingerprints of source files)',
    from,
    regenerate,
  };
  const lines = [...prints.keys()]
    .sort()
    .map((f) => `${JSON.stringify(f)}: ${JSON.stringify([...(prints.get(f) ?? [])].sort())}`);
  fs.writeFileSync(
    file,
    `{\n"$header": ${JSON.stringify(header)},\n"files": {\n${lines.join(',\n')}\n}\n}\n`,
  );
  const versions = [...prints.values()].reduce((n, s) => n + s.size, 0);
  console.log(`${file}: ${prints.size} files, ${versions} versions`);
}

function main(): number {
  const ssd = process.argv[2] === '--ssd';
  const gitDir = process.argv[ssd ? 3 : 2];
  if (!gitDir || !fs.existsSync(gitDir)) {
    console.error(
      'generate-bvlc-sources: pass the git directory of a BVLC Caffe clone, or --ssd and that of weiliu89/caffe',
    );
    return 2;
  }
  const tags = execFileSync('git', ['--git-dir', gitDir, 'tag', '--list'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  if (!ssd) {
    write(
      path.join(generated, 'bvlc-layer-sources.json'),
      `BVLC/caffe src/caffe/layers/*.cpp on master and the tags ${tags.join(' ')}`,
      'node --import tsx scripts/generate-bvlc-sources.ts BVLC-CAFFE-GIT-DIR',
      fingerprintsOf(gitDir, ['master', ...tags]),
    );
    return 0;
  }
  // SSD's own layer files (those BVLC never had), on its branch and its release tag.
  const bvlc = JSON.parse(fs.readFileSync(path.join(generated, 'bvlc-layer-sources.json'), 'utf8')) as {
    files: Record<string, string[]>;
  };
  const refs = ['ssd', ...tags.filter((t) => t.startsWith('ssd'))];
  const prints = fingerprintsOf(gitDir, refs);
  for (const file of [...prints.keys()]) if (bvlc.files[file] !== undefined) prints.delete(file);
  write(
    path.join(generated, 'ssd-layer-sources.json'),
    `weiliu89/caffe src/caffe/layers/*.cpp that BVLC never had, on the branch and tags ${refs.join(' ')}`,
    'node --import tsx scripts/generate-bvlc-sources.ts --ssd WEILIU89-CAFFE-GIT-DIR',
    prints,
  );
  return 0;
}

process.exitCode = main();
