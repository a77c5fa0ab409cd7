import { describe, expect, it } from 'vitest';
import { vanishedJobId } from './queue-state.ts';

describe('vanishedJobId', () => {
  it('names the job of BullMQ’s errors about a job gone from the queue', () => {
    const errors = [
      'Missing key for job train-0123456789ab. moveToFinished',
      'Missing key for job train-0123456789ab. moveToDelayed',
      'Missing lock for job train-0123456789ab. moveToFinished',
      'Lock mismatch for job train-0123456789ab. Cmd moveToFinished from active',
      'Job train-0123456789ab is not in the active state. moveToFinished',
      'could not renew lock for job train-0123456789ab',
    ];
    for (const message of errors) expect(vanishedJobId(new Error(message))).toBe('train-0123456789ab');
  });

  it('leaves every other error alone', () => {
    for (const message of [
      'connect ECONNREFUSED 127.0.0.1:6379',
      'Connection is closed.',
      'Missing key for parent job bull:multirater:aggregate-0123456789ab. addJob',
      'job train-0123456789ab failed',
    ]) {
      expect(vanishedJobId(new Error(message))).toBeUndefined();
    }
  });
});
