/** Monotonic milliseconds. The front doors pass one (performance.now); the engine never reads a clock of its own, so tests can give theirs. */
export type Clock = () => number;

/** What a step needs to have its parts timed: a named phase around each. */
export interface PhaseTimer<P extends string> {
  time<T>(phase: P, work: () => Promise<T>): Promise<T>;
}

/** Sums the milliseconds spent in each named phase (a phase may run more than once: the sum is kept). */
export class Stopwatch<P extends string> implements PhaseTimer<P> {
  private readonly spent = new Map<P, number>();

  constructor(private readonly clock: Clock) {}

  async time<T>(phase: P, work: () => Promise<T>): Promise<T> {
    const started = this.clock();
    try {
      return await work();
    } finally {
      // Time spent in a phase that failed still counts: the build's time went there.
      this.spent.set(phase, (this.spent.get(phase) ?? 0) + Math.max(0, this.clock() - started));
    }
  }

  /** Milliseconds per phase that ran, to a tenth of a millisecond; phases that never ran are absent. */
  timings(): Partial<Record<P, number>> {
    return Object.fromEntries([...this.spent].map(([phase, ms]) => [phase, Math.round(ms * 10) / 10])) as Partial<Record<P, number>>;
  }
}

/** `work`, timed as `phase` when there is a timer. */
export const timed = <P extends string, T>(timer: PhaseTimer<P> | undefined, phase: P, work: () => Promise<T>): Promise<T> =>
  timer ? timer.time(phase, work) : work();
