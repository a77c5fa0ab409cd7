/** Worker-thread entry of `simulate cardiac`: writes the subjects it is sent (`runInWorkers` protocol). */
import { parentPort } from 'node:worker_threads';
import { isMultiraterError } from '../errors.ts';
import type { WorkerReply } from './run-in-workers.ts';
import {
  simulateCardiacSubject,
  type CardiacSubjectResult,
  type CardiacSubjectTask,
} from './simulate-cardiac-subject.ts';

parentPort!.on('message', ({ index, task }: { index: number; task: CardiacSubjectTask }) => {
  let reply: WorkerReply<CardiacSubjectResult>;
  try {
    reply = { index, result: simulateCardiacSubject(task) };
  } catch (e) {
    reply = {
      index,
      error: isMultiraterError(e)
        ? { code: e.code, message: e.message }
        : { code: 'internal', message: (e as Error).stack ?? String(e) },
    };
  }
  parentPort!.postMessage(reply);
});
