// What every failure drill shares: a result (what it saw, what went wrong), a collector that
// turns expectations into failures instead of exceptions (a drill reports every broken
// expectation, not just the first), and the CLI wrapper that prints it and sets the exit code.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DrillResult {
  name: string;
  /** True when every check held. */
  ok: boolean;
  observations: string[];
  failures: string[];
}

export interface DrillRecorder {
  /** Records what the drill saw (printed whether it passes or not). */
  observe(message: string): void;
  /** Records a failure when `condition` is false; returns the condition. */
  check(condition: boolean, message: string): boolean;
  result(): DrillResult;
}

export function createDrillRecorder(name: string): DrillRecorder {
  const observations: string[] = [];
  const failures: string[] = [];
  return {
    observe: (message) => void observations.push(message),
    check(condition, message) {
      if (!condition) failures.push(message);
      return condition;
    },
    result: () => ({ name, ok: failures.length === 0, observations: [...observations], failures: [...failures] }),
  };
}

/** True when the module at `moduleUrl` is the script node was started with (not imported by a test). */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/** Runs a drill from the command line: prints observations and failures, exit code 1 when it failed or threw. */
export async function runDrillCli(run: () => Promise<DrillResult>): Promise<void> {
  try {
    const result = await run();
    for (const line of result.observations) console.log(`  ${line}`);
    for (const line of result.failures) console.error(`  FAILED: ${line}`);
    console.log(`drill ${result.name}: ${result.ok ? 'passed' : 'FAILED'}`);
    process.exitCode = result.ok ? 0 : 1;
  } catch (err) {
    console.error('drill could not run:', err);
    process.exitCode = 1;
  }
}
