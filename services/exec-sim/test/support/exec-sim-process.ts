// Runs exec-sim as a real child process (so a test can kill -9 it), reading its port from its log.
import { type ServiceProcess, spawnServiceProcess } from '../../../core/src/testing/service-process.js';

export type ExecSimProcess = ServiceProcess;

export function spawnExecSim(env: Record<string, string>): Promise<ExecSimProcess> {
  return spawnServiceProcess({ name: 'exec-sim', main: 'services/exec-sim/src/main.ts', env });
}
