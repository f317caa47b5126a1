// The gateway process: config -> start -> serve until SIGTERM/SIGINT -> drain -> exit 0.
import { createLogger, exitOnStartupError, onShutdownSignal } from '../../core/src/index.js';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger({ service: config.SERVICE_NAME, env: config.ENV, level: config.LOG_LEVEL });
  if (!config.TRADINGVIEW_WEBHOOK_TOKEN?.length)
    logger.warn('TRADINGVIEW_WEBHOOK_TOKEN is not set: every TradingView webhook will be refused');
  const gateway = await startGateway(config, logger);
  onShutdownSignal(logger, () => gateway.stop());
}

main().catch((err: unknown) => exitOnStartupError('gateway', err));
