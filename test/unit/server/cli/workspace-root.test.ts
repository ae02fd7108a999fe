// The CLI's default workspace root: the project a file belongs to, never a home folder or a whole disk
// that only happens to hold it (a walk of one for solvers and Python modules takes minutes).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workspaceRootOf } from '../../../../server/src/cli/check-workspace';

let outer: string;
let repo: string;
let loose: string;
const NET = 'name: "n"\n';

before(() => {
  outer = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'caffe-root-')));
  repo = path.join(outer, 'repo');
  loose = path.join(outer, 'loose');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'nets'));
  mkdirSync(path.join(loose, 'deep'), { recursive: true });
  writeFileSync(path.join(repo, 'nets', 'x.prototxt'), NET);
  writeFileSync(path.join(loose, 'deep', 'y.prototxt'), NET);
});
after(() => rmSync(outer, { recursive: true, force: true }));

function withHome<T>(home: string, f: () => T): T {
  const was = process.env.HOME;
  process.env.HOME = home;
  try {
    return f();
  } finally {
    if (was === undefined) delete process.env.HOME;
    else process.env.HOME = was;
  }
}

test('inside a repository the current folder is in, that repository is the root', () => {
  assert.equal(workspaceRootOf(path.join(repo, 'nets', 'x.prototxt'), path.join(repo, 'nets')), repo);
});

test('from a folder outside any repository, a file in a repository takes that repository, not the folder', () => {
  assert.equal(workspaceRootOf(path.join(repo, 'nets', 'x.prototxt'), outer), repo);
});

test('a file in no repository takes the current folder that holds it', () => {
  assert.equal(workspaceRootOf(path.join(loose, 'deep', 'y.prototxt'), outer), outer);
});

test(
  'a home folder is no project: the given folder, else the file’s own folder',
  { skip: process.platform === 'win32' },
  () => {
    const file = path.join(loose, 'deep', 'y.prototxt');
    withHome(outer, () => {
      assert.equal(workspaceRootOf(file, outer), path.join(loose, 'deep'));
      assert.equal(workspaceRootOf(file, outer, undefined, loose), loose);
      // A file in a repository below the home folder still takes the repository.
      assert.equal(workspaceRootOf(path.join(repo, 'nets', 'x.prototxt'), outer), repo);
      // --root says otherwise when asked.
      assert.equal(workspaceRootOf(file, outer, '.'), outer);
    });
  },
);

test(
  'a home folder kept in git (its dotfiles) is no project: the repository below it, else the file’s folder',
  { skip: process.platform === 'win32' },
  () => {
    const home = path.join(outer, 'home');
    mkdirSync(path.join(home, '.git'), { recursive: true });
    mkdirSync(path.join(home, 'proj', '.git'), { recursive: true });
    mkdirSync(path.join(home, 'nets'));
    writeFileSync(path.join(home, 'proj', 'n.prototxt'), NET);
    writeFileSync(path.join(home, 'nets', 'm.prototxt'), NET);
    withHome(home, () => {
      assert.equal(workspaceRootOf(path.join(home, 'proj', 'n.prototxt'), home), path.join(home, 'proj'));
      assert.equal(workspaceRootOf(path.join(home, 'nets', 'm.prototxt'), home), path.join(home, 'nets'));
      assert.equal(
        workspaceRootOf(path.join(home, 'nets', 'm.prototxt'), path.join(home, 'nets')),
        path.join(home, 'nets'),
      );
    });
  },
);

test('the root of the disk is no project either', () => {
  const file = path.join(loose, 'deep', 'y.prototxt');
  const disk = path.parse(file).root;
  assert.equal(workspaceRootOf(file, disk), path.join(loose, 'deep'));
});
