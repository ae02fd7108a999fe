// The gradient check of a small Python layer (test/fixtures/layers: ChannelScale on a 2×3×4×5 blob)
// as users run it: `caffe-prototxt run-layer --gradcheck` as a whole process, beside the bare start of
// the same interpreter importing numpy in the same run; and the check's own time as the harness reports it.

import path from 'node:path';
import type { Figure } from './figures';
import { cliPath, median, repoRoot, runProcess, takeTurns } from './processes';

const NET = path.join(repoRoot, 'test/fixtures/layers/layers.prototxt');

interface RunJson {
  python?: string;
  passed?: boolean;
  result?: { timings?: Record<string, number> };
}

export function gradcheckFigures(log: (line: string) => void, rounds = 5): Figure[] {
  const args = [cliPath, 'run-layer', NET, '--layer', 'scale', '--gradcheck', '--pycaffe', 'never', '--json'];
  const probe = runProcess(process.execPath, args);
  let first: RunJson;
  try {
    first = JSON.parse(probe.stdout) as RunJson;
  } catch {
    log(`gradient check: no usable run (${probe.stderr.trim().split('\n')[0] ?? ''}); skipped`);
    return [];
  }
  const python = first.python ?? 'python3';
  const turns = takeTurns(
    {
      ours: () => runProcess(process.execPath, args),
      numpy: () => runProcess(python, ['-c', 'import numpy']),
    },
    rounds,
    false,
  );
  const check = median(
    turns.ours.map((r) => (JSON.parse(r.stdout) as RunJson).result?.timings?.gradcheck ?? NaN),
  );
  const whole = median(turns.ours.map((r) => r.seconds));
  const numpy = median(turns.numpy.map((r) => r.seconds));
  if (!turns.ours.every((r) => (JSON.parse(r.stdout) as RunJson).passed))
    log('gradient check: a run did not pass');
  return [
    {
      name: 'gradient check, harness time (ChannelScale, 2×3×4×5)',
      value: check,
      unit: 'ms',
      target: { value: 1000 },
    },
    {
      name: 'run-layer --gradcheck, whole process',
      value: whole,
      unit: 's',
      ratio: {
        anchor: `python -c "import numpy" (${numpy.toFixed(2)} s)`,
        value: whole / numpy,
        higherIsBetter: false,
      },
    },
  ];
}
