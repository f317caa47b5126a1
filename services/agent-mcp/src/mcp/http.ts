// MCP over Streamable HTTP inside a Hono app, stateless: every POST gets a fresh server built
// for the caller (its principal comes from its bearer token) and a fresh transport. Requests
// are refused before they reach the SDK when the Origin is not allowed (403, DNS-rebinding
// protection) or the bearer token is unknown (401, compared in constant time).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { type ExternalAgent, MCP_TOOLS, type McpAuditEntry } from './types.js';

export interface McpHttpOptions {
  path: string;
  /** MCP_AUTH_TOKEN: its bearer is the default agent unless `resolvePrincipal` knows the token. */
  authToken: string | undefined;
  /** Browser origins allowed to call; a request with another `Origin` header is refused. */
  allowedOrigins: string[];
  /** The external agent a bearer token stands for (see `createPrincipalResolver`). */
  resolvePrincipal: (token: string) => ExternalAgent | undefined;
  /** Builds the MCP server a principal talks to (createMcpServer with its deps). */
  makeServer: (principal: ExternalAgent) => McpServer;
  /** The agent MCP_AUTH_TOKEN stands for; DEFAULT_MCP_AGENT when absent. */
  defaultPrincipal?: ExternalAgent;
  /** Records refused requests (401, 403); tool calls are audited by the server itself. */
  audit?: (entry: McpAuditEntry) => void;
}

/** MCP_AUTH_TOKEN alone: every tool, every instrument, no notional limit. */
export const DEFAULT_MCP_AGENT: ExternalAgent = { id: 'mcp-default', tools: '*', instruments: '*', maxNotional: Number.POSITIVE_INFINITY };

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

const externalAgentSchema = z.strictObject({
  id: z.string().min(1),
  tools: z.union([z.literal('*'), z.array(z.enum(MCP_TOOLS))]),
  instruments: z.union([z.literal('*'), z.array(z.string().min(1))]),
  maxNotional: z.number().min(0),
});

/** MCP_AGENTS: a JSON object of bearer token -> external agent. Throws with the offending path. */
export function parseMcpAgents(json: string | undefined): Map<string, ExternalAgent> {
  if (json === undefined || json.trim() === '') return new Map();
  const parsed = z.record(z.string().min(16, 'tokens must be at least 16 characters'), externalAgentSchema).safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`MCP_AGENTS is invalid: ${z.prettifyError(parsed.error)}`);
  return new Map(Object.entries(parsed.data));
}

/** Looks a token up among known ones, comparing against every token in constant time. */
export function createPrincipalResolver(agents: ReadonlyMap<string, ExternalAgent>): (token: string) => ExternalAgent | undefined {
  const entries = [...agents];
  return (token) => {
    let found: ExternalAgent | undefined;
    for (const [known, agent] of entries) if (sameSecret(token, known) && !found) found = agent;
    return found;
  };
}

function jsonRpcError(c: Context, status: 401 | 403 | 405, message: string, headers: Record<string, string> = {}): Response {
  return c.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, status, headers);
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its env
export function mountMcpHttp(app: Hono<any>, options: McpHttpOptions): void {
  const allowedOrigins = new Set(options.allowedOrigins);
  const authenticate = (header: string | undefined): ExternalAgent | undefined => {
    const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
    if (!token) return undefined;
    const principal = options.resolvePrincipal(token);
    if (principal) return principal;
    if (options.authToken !== undefined && sameSecret(token, options.authToken)) return options.defaultPrincipal ?? DEFAULT_MCP_AGENT;
    return undefined;
  };

  const refused = (agent: string, summary: string) =>
    options.audit?.({ at: new Date().toISOString(), agent, tool: 'http', arguments: null, ok: false, summary });

  app.all(options.path, async (c) => {
    const origin = c.req.header('origin');
    const principal = authenticate(c.req.header('authorization'));
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      refused(principal?.id ?? 'unauthenticated', `403 origin ${origin} is not allowed`);
      return jsonRpcError(c, 403, `origin ${origin} is not allowed`);
    }
    if (!principal) {
      refused('unauthenticated', '401 missing or unknown bearer token');
      return jsonRpcError(c, 401, 'a valid bearer token is required (Authorization: Bearer <token>)', { 'WWW-Authenticate': 'Bearer' });
    }
    // Stateless: no session, so no server-to-client stream (GET) and nothing to delete (DELETE).
    if (c.req.method !== 'POST')
      return jsonRpcError(c, 405, 'method not allowed: this MCP endpoint is stateless, use POST', { Allow: 'POST' });

    const server = options.makeServer(principal);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      return await transport.handleRequest(c.req.raw, { authInfo: { token: '', clientId: principal.id, scopes: [] } });
    } finally {
      // JSON responses are complete when handleRequest returns.
      await server.close();
    }
  });
}
