// Serving the MCP server over stdio (one caller: the process that launched us).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from './server.js';
import type { ExternalAgent, McpDeps } from './types.js';

/** The backends the tools run on: everything in McpDeps but the caller and the audit sink. */
export type McpBackends = Omit<McpDeps, 'principal' | 'audit'>;

export const DEFAULT_STDIO_AGENT: ExternalAgent = { id: 'mcp-stdio', tools: '*', instruments: '*', maxNotional: Number.POSITIVE_INFINITY };

/** MCP_AGENT: one external agent as JSON; the default stdio agent when absent. */
export function parseExternalAgent(json: string | undefined): ExternalAgent {
  if (json === undefined || json.trim() === '') return DEFAULT_STDIO_AGENT;
  const value = JSON.parse(json) as Partial<ExternalAgent>;
  const list = (v: unknown) => v === '*' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
  if (
    typeof value.id !== 'string' ||
    value.id === '' ||
    !list(value.tools) ||
    !list(value.instruments) ||
    typeof value.maxNotional !== 'number'
  )
    throw new Error('MCP_AGENT must be {"id": string, "tools": "*" | string[], "instruments": "*" | string[], "maxNotional": number}');
  return value as ExternalAgent;
}

export async function serveMcpStdio(deps: McpDeps): Promise<McpServer> {
  const server = createMcpServer(deps);
  await server.connect(new StdioServerTransport());
  return server;
}
