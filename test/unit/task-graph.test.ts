import { runTasks, type Task } from '../../src/shared/task-graph.js';
import { recordingLogger } from '../helpers/fake-app.js';

/** A task that logs when it starts and ends, and finishes when `release` is called (or at once). */
function task(id: string, after: string[], events: string[], gate?: Promise<void>, fail = false): Task<string> {
  return {
    id,
    after,
    run: async (logger) => {
      events.push(`start ${id}`);
      logger.info(`${id} starts`);
      await gate;
      logger.warning(`${id} ends`);
      events.push(`end ${id}`);
      if (fail) throw new Error(`${id} failed`);
      return id.toUpperCase();
    }
  };
}

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

test('independent tasks run side by side, dependents after their dependencies; the log reads in the order given', async () => {
  const logger = recordingLogger();
  const events: string[] = [];
  const slowB = gate();
  const running = runTasks(
    [task('a', [], events), task('b', ['a'], events, slowB.opened), task('c', ['a'], events), task('d', ['b', 'c'], events)],
    2,
    logger
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  // c ran to its end while b waits: side by side, and d has not started (it needs b).
  expect(events).toEqual(['start a', 'end a', 'start b', 'start c', 'end c']);
  slowB.open();
  expect([...(await running).entries()]).toEqual([
    ['a', 'A'],
    ['b', 'B'],
    ['c', 'C'],
    ['d', 'D']
  ]);
  expect(logger.logged.map((l) => l.message)).toEqual([
    'a starts',
    'a ends',
    'b starts',
    'b ends',
    'c starts',
    'c ends',
    'd starts',
    'd ends'
  ]);
});

test('at most `limit` at once', async () => {
  const events: string[] = [];
  const first = gate();
  const running = runTasks([task('a', [], events, first.opened), task('b', [], events), task('c', [], events)], 1, recordingLogger());
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(events).toEqual(['start a']);
  first.open();
  await running;
  expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('after a failure nothing more starts, the running task is awaited, every line is written, the first failure thrown', async () => {
  const logger = recordingLogger();
  const events: string[] = [];
  const slow = gate();
  const running = runTasks(
    [task('a', [], events, undefined, true), task('b', [], events, slow.opened), task('c', [], events), task('d', ['a'], events)],
    2,
    logger
  );
  let settled = false;
  void running.catch(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(settled).toBe(false); // b still runs: the caller must not clean up under it
  slow.open();
  await expect(running).rejects.toThrow('a failed');
  // a and b side by side; c was never started, nor d (after a).
  expect([...events].sort()).toEqual(['end a', 'end b', 'start a', 'start b']);
  expect(logger.logged.map((l) => l.message)).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
});

test('a task waiting for `ready` holds no slot: the next one runs meanwhile', async () => {
  const events: string[] = [];
  const ready = gate();
  const running = runTasks([{ ...task('a', [], events), ready: ready.opened }, task('b', [], events)], 1, recordingLogger());
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(events).toEqual(['start b', 'end b']);
  ready.open();
  await running;
  expect(events).toEqual(['start b', 'end b', 'start a', 'end a']);
});
