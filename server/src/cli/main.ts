// The CLI entry point (bundled as dist/cli.js, run by bin/caffe-prototxt.js).

import { runCli } from './commands';

void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
