// The CLI entry point (bundled as dist/cli.js, run by bin/caffe-prototxt.js).

import { runCli } from './commands';

// Run by bin/load-cached.js before it saves V8's code cache on a first start.
export { warmUp } from '../features/diagnostics/warm-up';

// A reader that stops early (`check models | head -1`) closes the pipe: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Started a microtask later, once every module is set up: bin/load-cached.js saves V8's code cache
// from that state, the same whichever command runs first.
queueMicrotask(() => void main());

async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  });
}
