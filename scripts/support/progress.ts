// Progress for long-running commands: a line when a step starts, and while it is slow, a line
// every few seconds saying what it is still waiting for, so a quiet terminal never looks hung.

export interface Step {
  /** Ends the step, printing how long it took (and an outcome, when given). */
  done(outcome?: string): void;
}

export function startStep(what: string, options: { prefix?: string; everyMs?: number; log?: (line: string) => void } = {}): Step {
  const log = options.log ?? ((line: string) => console.log(line));
  const prefix = options.prefix ?? '';
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  log(`${prefix}${what} ...`);
  const timer = setInterval(() => log(`${prefix}  still waiting for ${what} (${elapsed()})`), options.everyMs ?? 5_000);
  timer.unref();
  return {
    done(outcome) {
      clearInterval(timer);
      log(`${prefix}${what}: ${outcome ?? 'done'} in ${elapsed()}`);
    },
  };
}
