// Makes the training-log fixtures with the real pycaffe: every solver in test/fixtures/training/ is
// solved in that folder and its log, from "Solving" on, written to test/fixtures/training/logs/; the
// small classifier of training/classifier/ (6,000 iterations) gives logs/classifier.log.
//   node --import tsx scripts/training-logs.ts        (CAFFE_PROTOTXT_PYCAFFE=<pycaffe folder> to choose)

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPycaffe, fromSolving, solveWithCaffe } from '../test/helpers/caffe-solver';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/training');

function main(): number {
  const pycaffe = findPycaffe();
  if (!pycaffe.folder) {
    console.error(`training-logs: ${pycaffe.missing}`);
    return 2;
  }
  // The solvers among the fixtures (the nets beside them have no lr_policy).
  const solvers = fs
    .readdirSync(folder)
    .filter(
      (f) => f.endsWith('.prototxt') && fs.readFileSync(path.join(folder, f), 'utf8').includes('lr_policy'),
    );
  const runs = solvers.sort().map((solver) => ({ solver, cwd: folder, name: solver }));
  runs.push({ solver: 'solver.prototxt', cwd: path.join(folder, 'classifier'), name: 'classifier.prototxt' });
  for (const { solver, cwd, name } of runs) {
    const run = solveWithCaffe(pycaffe.folder, solver, cwd);
    if (run.status !== 0) {
      console.error(
        `training-logs: ${solver} failed (${run.error?.message ?? `exit ${run.status}`}):\n${run.log}`,
      );
      return 1;
    }
    const out = path.join(folder, 'logs', name.replace(/\.prototxt$/, '.log'));
    fs.writeFileSync(out, fromSolving(run.log));
    console.log(`${path.relative(process.cwd(), out)}: ${fromSolving(run.log).split('\n').length - 1} lines`);
  }
  return 0;
}

process.exitCode = main();
