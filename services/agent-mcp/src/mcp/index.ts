// Public API of at-agent-mcp's MCP server.
export {
  createPrincipalResolver,
  DEFAULT_MCP_AGENT,
  type McpHttpOptions,
  mountMcpHttp,
  parseMcpAgents,
} from './http.js';
export { createMcpServer, MCP_SERVER_NAME, MCP_SERVER_VERSION } from './server.js';
export { DEFAULT_STDIO_AGENT, type McpBackends, parseExternalAgent, serveMcpStdio } from './stdio.js';
export {
  type ExternalAgent,
  instrumentAllowed,
  MCP_TOOLS,
  type McpAuditEntry,
  type McpDeps,
  type McpToolName,
  toolAllowed,
} from './types.js';
export { markUntrusted, UNTRUSTED_NOTE, type UntrustedText, untrusted, untrustedTextSchema } from './untrusted.js';
