// The last line of defence: a promise that fails with nobody awaiting it (follow-up work a
// notification started) is logged. Node's default for such a rejection is to end the process, which
// would take every open document's features down with one failed analysis.

import type { Logger } from './handle';

export function logUnhandledRejections(
  target: { on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown },
  logger: Logger,
): void {
  target.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    logger.error(`A background task failed (the server keeps running): ${text}`);
  });
}
