// The observability process: config -> tap and watch the platform stream -> serve until SIGTERM -> drain.
import { createLogger, exitOnStartupError, onShutdownSignal } from '../../core/src/index.js';
import { loadObservabilityConfig } from './config.js';
import { startObservability } from './observability.js';

async function main(): Promise<void> {
  const config = loadObservabilityConfig();
  const logger = createLogger({ service: config.SERVICE_NAME, env: config.ENV, level: config.LOG_LEVEL });
  const observability = await startObservability(config, logger);
  onShutdownSignal(logger, () => observability.stop());
}

main().catch((err: unknown) => exitOnStartupError('observability', err));
