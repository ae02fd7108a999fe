import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { logUnhandledRejections } from '../../../../server/src/util/process-guard';

test('an unhandled rejection is logged with its stack instead of ending the process', () => {
  const target = new EventEmitter();
  const errors: string[] = [];
  logUnhandledRejections(target, { log: () => undefined, error: (m) => errors.push(m) });
  target.emit('unhandledRejection', new Error('index failed'));
  target.emit('unhandledRejection', 'plain reason');
  assert.equal(errors.length, 2);
  assert.match(
    errors[0],
    /^A background task failed \(the server keeps running\): Error: index failed\n\s+at /,
  );
  assert.equal(errors[1], 'A background task failed (the server keeps running): plain reason');
});
