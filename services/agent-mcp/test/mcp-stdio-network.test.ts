// The stdio MCP server with its default (network) backends against a running platform: a real
// nats-server and agent-mcp started in-process; stdio-main.ts launched WITHOUT --deps by the SDK
// client sees the runtime's agents, the signals already on the stream, and disables an agent in
// the running service through its REST API.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionStreams, publishSignalNormalized, type SignalNormalized } from '../../../generated/index.js';
import { connectNats, createLogger, deterministicId, type NatsRuntime } from '../../core/src/index.js';
import { waitFor } from '../../core/src/testing/events.js';
import { type NatsServerHandle, startNatsServer } from '../../core/src/testing/nats-harness.js';
import { type RunningAgentMcp, startAgentMcp } from '../src/agent-mcp.js';
import { loadAgentMcpConfig } from '../src/config.js';
import type { AgentInfo } from '../src/context.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const STREAM = 'trading-events';
const API_KEY = 'agent-api-key-stdio-0123456789';
const logger = createLogger({ service: 'mcp-stdio-network-test', env: 'test', level: 'silent' });

const KEY = 'tradingview:alert:stdio-network';
const SIGNAL: SignalNormalized = {
  signalId: deterministicId('signals.normalized', KEY),
  rawSignalId: deterministicId('signals.raw', KEY),
  idempotencyKey: KEY,
  source: 'tradingview',
  instrument: { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' },
  action: 'buy',
  quantity: 1,
  price: 6000.25,
  eventTime: '2026-11-24T14:30:00Z',
  receivedAt: '2026-11-24T14:30:01Z',
};

let server: NatsServerHandle;
let publisher: NatsRuntime;
let dir: string;
let svc: RunningAgentMcp;
let client: Client;
let stderr = '';

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

beforeAll(async () => {
  server = await startNatsServer();
  publisher = await connectNats({ servers: server.url, name: 'stdio-network-test' });
  await provisionStreams(publisher.jsm, { stream: STREAM });
  dir = await mkdtemp(path.join(tmpdir(), 'mcp-stdio-network-'));
  const agentsFile = path.join(dir, 'agents.yaml');
  await writeFile(
    agentsFile,
    ['agents:', '  - id: tv-a', '    kind: tradingview-follow', '  - id: tv-b', '    kind: tradingview-follow'].join('\n'),
  );
  svc = await startAgentMcp(
    loadAgentMcpConfig({ NATS_URL: server.url, PORT: '0', HOST: '127.0.0.1', AGENT_API_KEY: API_KEY, AGENTS_CONFIG: agentsFile }),
    logger,
  );
  // Published before the stdio server starts: its consumer must pick it up from the stream's history.
  await publishSignalNormalized(publisher.js, SIGNAL, { source: 'test', eventId: SIGNAL.signalId });

  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const name of ['AGENT_MCP_DEPS_MODULE', 'MCP_AGENT', 'NATS_STREAM', 'EXEC_SIM_URL', 'EXEC_API_KEY', 'INSTRUMENTS_FILE'])
    delete env[name];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'services/agent-mcp/src/mcp/stdio-main.ts'],
    cwd: ROOT,
    env: { ...env, NATS_URL: server.url, AGENT_MCP_URL: `http://127.0.0.1:${svc.port}`, AGENT_API_KEY: API_KEY },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  client = new Client({ name: 'mcp-stdio-network-test', version: '1.0.0' });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await svc?.stop();
  await publisher?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('stdio MCP server on the network backends (no --deps)', () => {
  it('lists the running runtime’s agents', async () => {
    const result = await call('list_agents');
    expect(result.isError, stderr).toBeFalsy();
    const agents = (result.structuredContent as { agents: AgentInfo[] }).agents;
    expect(agents.map((a) => a.id).sort()).toEqual(['tv-a', 'tv-b']);
    expect(agents.every((a) => a.enabled && a.kind === 'tradingview-follow')).toBe(true);
  });

  it('returns the signal already on the stream', async () => {
    let signals: SignalNormalized[] = [];
    await waitFor(async () => {
      const result = await call('latest_signals', { symbol: 'ESZ6' });
      signals = (result.structuredContent as { signals: SignalNormalized[] }).signals;
      return signals.length === 1;
    }, 'the signal');
    expect(signals[0]).toMatchObject({ signalId: SIGNAL.signalId, idempotencyKey: KEY, instrument: { symbol: 'ESZ6' }, price: 6000.25 });
  });

  it('disables an agent in the running service', async () => {
    const result = await call('disable_agent', { id: 'tv-b' });
    expect(result.isError, stderr).toBeFalsy();
    expect((result.structuredContent as { agent: AgentInfo }).agent).toMatchObject({ id: 'tv-b', enabled: false });
    const res = await fetch(`http://127.0.0.1:${svc.port}/agents`);
    const { agents } = (await res.json()) as { agents: AgentInfo[] };
    expect(agents.find((a) => a.id === 'tv-b')?.enabled).toBe(false);
    expect(agents.find((a) => a.id === 'tv-a')?.enabled).toBe(true);
    expect(svc.control.get('tv-b')?.enabled).toBe(false);
    // The stdio server's cache follows: list_agents shows the change at once.
    const listed = (await call('list_agents')).structuredContent as { agents: AgentInfo[] };
    expect(listed.agents.find((a) => a.id === 'tv-b')?.enabled).toBe(false);
  });

  it('reports an unknown agent as a tool error', async () => {
    const result = await call('enable_agent', { id: 'nope' });
    expect(result.isError).toBe(true);
  });
});
