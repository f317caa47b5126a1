// Mounts the MCP server on agent-mcp's app at /mcp, backed by the running agent runtime:
// each request's caller (from its bearer token) gets a server bound to its own allowlists.
import type { Hono } from 'hono';
import { REGISTRY } from '../../../../generated/registry.js';
import type { AppEnv } from '../../../core/src/index.js';
import type { AgentMcpDeps } from '../agent-mcp.js';
import { createPrincipalResolver, mountMcpHttp, parseMcpAgents } from './http.js';
import { createMcpServer } from './server.js';
import type { McpAuditEntry } from './types.js';

export function mountAgentMcp(app: Hono<AppEnv>, deps: AgentMcpDeps): void {
  const agents = parseMcpAgents(deps.config.MCP_AGENTS);
  const audit = (entry: McpAuditEntry) => {
    deps.metrics.toolCalls.inc({ tool: entry.tool, outcome: entry.ok ? 'ok' : 'error' });
    deps.logger.info({ audit: entry }, 'mcp tool call');
  };
  if (!deps.config.MCP_AUTH_TOKEN && agents.size === 0)
    deps.logger.warn('neither MCP_AUTH_TOKEN nor MCP_AGENTS is set: /mcp refuses every call');
  mountMcpHttp(app, {
    path: '/mcp',
    authToken: deps.config.MCP_AUTH_TOKEN,
    allowedOrigins: deps.config.MCP_ALLOWED_ORIGINS ?? [],
    resolvePrincipal: createPrincipalResolver(agents),
    audit,
    makeServer: (principal) =>
      createMcpServer({
        control: deps.control,
        signals: deps.signals,
        submitter: deps.submitter,
        executions: deps.executions,
        catalog: deps.catalog,
        registry: REGISTRY,
        audit,
        principal,
      }),
  });
}
