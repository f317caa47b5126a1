// agent-mcp's configuration: the shared variables plus its own, validated at start-up.
import { z } from 'zod';
import { commaList, loadConfig } from '../../core/src/index.js';

export const AGENT_MCP_DEFAULTS = { serviceName: 'agent-mcp', port: 8002 };

const apiKey = z.string().min(16, 'must be at least 16 characters');

export const agentMcpVariables = {
  /** The agents file (YAML or JSON); services/agent-mcp/agents.yaml when absent. */
  AGENTS_CONFIG: z.string().min(1).optional(),
  /** Agent ids that start disabled whatever the file says (comma-separated). */
  AGENTS_DISABLED: commaList.optional(),
  /** Bearer key for the REST write routes (enable, disable, configure). */
  AGENT_API_KEY: apiKey.optional(),
  /** exec-sim's trade API, read by the ExecutionView. */
  EXEC_SIM_URL: z.url({ error: 'must be an http(s) URL' }).default('http://127.0.0.1:8004'),
  /** exec-sim's bearer key, for cancel. */
  EXEC_API_KEY: apiKey.optional(),
  /** Bearer token MCP clients must present. */
  MCP_AUTH_TOKEN: apiKey.optional(),
  /** Address agent-mcp (and so its MCP endpoint) binds: loopback unless configured otherwise. */
  MCP_HOST: z.string().min(1).default('127.0.0.1'),
  /** External MCP agents: a JSON object of bearer token -> { id, tools, instruments, maxNotional }. */
  MCP_AGENTS: z.string().min(1).optional(),
  /** Origins allowed to call the MCP endpoint (comma-separated). */
  MCP_ALLOWED_ORIGINS: commaList.optional(),
  INSTRUMENTS_FILE: z.string().min(1).optional(),
};

export type AgentMcpConfig = ReturnType<typeof loadAgentMcpConfig>;

export function loadAgentMcpConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(AGENT_MCP_DEFAULTS, agentMcpVariables, env);
}
