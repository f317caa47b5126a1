// The agent-mcp process: config -> agents and consumers -> serve -> drain on SIGTERM.
import { createLogger, exitOnStartupError, onShutdownSignal } from '../../core/src/index.js';
import { startAgentMcp } from './agent-mcp.js';
import { loadAgentMcpConfig } from './config.js';
import { mountAgentMcp } from './mcp/mount.js';

async function main(): Promise<void> {
  const config = loadAgentMcpConfig();
  const logger = createLogger({ service: config.SERVICE_NAME, env: config.ENV, level: config.LOG_LEVEL });
  if (!config.AGENT_API_KEY) logger.warn('AGENT_API_KEY is not set: every REST write endpoint will answer 401');
  const agentMcp = await startAgentMcp(config, logger, { mountMcp: mountAgentMcp });
  onShutdownSignal(logger, () => agentMcp.stop());
}

main().catch((err: unknown) => exitOnStartupError('agent-mcp', err));
