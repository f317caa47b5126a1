// The exec-sim process: config -> rebuild from the journal -> consume and serve -> drain on SIGTERM.
import { createLogger, exitOnStartupError, onShutdownSignal } from '../../core/src/index.js';
import { loadExecSimConfig } from './config.js';
import { startExecSim } from './exec-sim.js';

async function main(): Promise<void> {
  const config = loadExecSimConfig();
  const logger = createLogger({ service: config.SERVICE_NAME, env: config.ENV, level: config.LOG_LEVEL });
  if (!config.EXEC_API_KEY) logger.warn('EXEC_API_KEY is not set: every write endpoint will answer 401');
  const execSim = await startExecSim(config, logger);
  onShutdownSignal(logger, () => execSim.stop());
}

main().catch((err: unknown) => exitOnStartupError('exec-sim', err));
