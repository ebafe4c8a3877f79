import pLimit from 'p-limit';
import type { Logger } from './logger.js';

/** One unit of a build: runs once the tasks it comes after have finished, with a logger of its own. */
export interface Task<T> {
  id: string;
  after: readonly string[];
  /** Awaited with `after`, before the task takes a slot: something less than another task's end it needs first. */
  ready?: Promise<unknown>;
  run: (logger: Logger) => Promise<T>;
}

/** Thrown into a task's slot when an earlier failure means it never started. */
class NotStarted extends Error {}

/**
 * Runs tasks side by side, at most `limit` at once, each once every task it comes after has finished. The log reads
 * as if they ran one after another in the order given: the first unfinished task logs live, the others' lines are
 * held and written when it finishes. After a failure nothing more starts; the tasks running are awaited (nothing is
 * left writing while the caller cleans up), every held line is written, and the first failure is thrown.
 */
export async function runTasks<T>(tasks: ReadonlyArray<Task<T>>, limit: number, logger: Logger): Promise<Map<string, T>> {
  const index = new Map(tasks.map((task, i) => [task.id, i]));
  const held: Array<Array<(to: Logger) => void>> = tasks.map(() => []);
  const finished = tasks.map(() => false);
  let live = 0;
  const write = (at: number, line: (to: Logger) => void) => (at === live ? line(logger) : held[at]!.push(line));
  const finish = (at: number) => {
    finished[at] = true;
    while (live < tasks.length && finished[live]) {
      live++;
      for (const line of held[live]?.splice(0) ?? []) line(logger);
    }
  };
  const loggerFor = (at: number): Logger => ({
    info: (message) => write(at, (to) => to.info(message)),
    warning: (message, where) => write(at, (to) => to.warning(message, where)),
    error: (message, where) => write(at, (to) => to.error(message, where)),
    detail: (title, text) => write(at, (to) => to.detail(title, text))
  });

  const limiter = pLimit(Math.max(1, limit));
  let failure: { error: unknown } | undefined;
  const started = new Map<string, Promise<T>>();
  const start = (id: string): Promise<T> => {
    let promise = started.get(id);
    if (promise) return promise;
    const at = index.get(id);
    if (at === undefined) throw new Error(`no task ${id}`);
    const task = tasks[at]!;
    promise = (async () => {
      try {
        await Promise.all([...task.after.filter((dep) => index.has(dep)).map(start), task.ready]);
        return await limiter(async () => {
          if (failure) throw new NotStarted();
          try {
            return await task.run(loggerFor(at));
          } catch (error) {
            // Recorded before the slot is given up: the next task in line must see it.
            failure ??= { error };
            throw error;
          }
        });
      } finally {
        finish(at);
      }
    })();
    started.set(id, promise);
    return promise;
  };
  const settled = await Promise.allSettled(tasks.map((task) => start(task.id)));
  if (failure) throw failure.error;
  return new Map(tasks.map((task, i) => [task.id, (settled[i] as PromiseFulfilledResult<T>).value]));
}
