// Hostile input against agent-mcp (in process, real HTTP, a real nats-server): the agents REST
// API (bad keys, hostile ids, configs broken every way the schema forbids, wrong methods), the
// MCP endpoint's HTTP edge, and hostile tool arguments through a real MCP client. A refused
// request gets a 4xx with a reason; a hostile tool call gets a tool error or an MCP error, never
// a hang; decisions.order_intent grows only by the intents the tool says it submitted.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionStreams } from '../../../generated/index.js';
import { type RunningAgentMcp, startAgentMcp } from '../../../services/agent-mcp/src/agent-mcp.js';
import { loadAgentMcpConfig } from '../../../services/agent-mcp/src/config.js';
import { mountAgentMcp } from '../../../services/agent-mcp/src/mcp/mount.js';
import { MCP_TOOLS } from '../../../services/agent-mcp/src/mcp/types.js';
import { connectNats, createLogger, type NatsRuntime } from '../../../services/core/src/index.js';
import { freePort, type NatsServerHandle, startNatsServer } from '../../../services/core/src/testing/nats-harness.js';
import { assertNoFailures, FOUR_XX, failuresOf, type HttpCase, httpCase, sendAll, WRONG_METHODS } from './cases.js';
import { brief, encodeSegment, hostileString, hostileValue, notJson } from './hostile.js';
import { KeepAliveClient } from './http.js';
import { bearerHeader, hostileIntent, ORDER_INTENT_SUBJECT, validIntent } from './intents.js';
import { malformedAndSlowRequests, malformedRequest, slowRequest } from './raw-cases.js';
import { fuzzOptions, SERVICE_RUNS } from './settings.js';
import { subjectCount } from './stream-count.js';

const API_KEY = 'agent-api-key-fuzz-0123456789';
const MCP_TOKEN = 'mcp-token-fuzz-0123456789';
const STREAM = 'trading-events';
const REQUEST_TIMEOUT_MS = 1_500;
const ANSWER_TIMEOUT_MS = 10_000;
const BODY_LIMIT = 64 * 1024;
const BATCH = 50;
const MCP_BATCH = 25;
const FOLLOW_AGENT = 'tv-follow';
const logger = createLogger({ service: 'agent-mcp-fuzz', env: 'test', level: 'silent' });

let server: NatsServerHandle;
let observer: NatsRuntime;
let svc: RunningAgentMcp;
let client: KeepAliveClient;
let mcp: Client;
let agentIds: string[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  observer = await connectNats({ servers: server.url, name: 'fuzz-observer' });
  await provisionStreams(observer.jsm, { stream: STREAM });
  svc = await startAgentMcp(
    loadAgentMcpConfig({
      NATS_URL: server.url,
      PORT: '0',
      MCP_HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AGENT_API_KEY: API_KEY,
      MCP_AUTH_TOKEN: MCP_TOKEN,
      // A port nothing listens on: exec-sim is away, so its tools fail fast.
      EXEC_SIM_URL: `http://127.0.0.1:${await freePort()}`,
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    }),
    logger,
    { mountMcp: mountAgentMcp },
  );
  client = new KeepAliveClient(svc.port);
  agentIds = svc.control.list().map((agent) => agent.id);
  mcp = new Client({ name: 'fuzz', version: '1.0.0' });
  const url = new URL(`http://127.0.0.1:${svc.port}/mcp`);
  await mcp.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${MCP_TOKEN}` } } }));
  // With the tools listed, the client also checks every structured result against its output schema.
  await mcp.listTools();
});

afterAll(async () => {
  await mcp?.close();
  client?.close();
  await svc?.stop();
  await observer?.close();
  await server?.stop();
});

const intentsPublished = () => subjectCount(observer.jsm, STREAM, ORDER_INTENT_SUBJECT);
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const unknownAgentId = hostileString.filter((id) => id.length > 0 && !agentIds.includes(id));

// ---- the agents REST API and the MCP endpoint's HTTP edge ------------------------------------

const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY'];

/** A tradingview-follow config its schema accepts (`null` means the defaults). */
const validFollowConfig: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      sources: fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
      symbols: fc.array(
        hostileString.filter((s) => s.length > 0),
        { maxLength: 3 },
      ),
      sizing: fc.constant('signal'),
      defaultQuantity: fc.integer({ min: 1, max: 10 }),
      maxQuantity: fc.double({ min: 0.5, max: 100, noNaN: true }),
      timeInForce: fc.constantFrom(...TIME_IN_FORCE),
      useOrderTypeHints: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  fc.constant(null),
);

const KNOWN_KEYS = [
  'sources',
  'symbols',
  'sizing',
  'defaultQuantity',
  'maxQuantity',
  'riskPerTrade',
  'stopTicks',
  'timeInForce',
  'useOrderTypeHints',
];

const notA = (type: string) => hostileValue.filter((v) => typeof v !== type || v === null);

/** A config with one thing its strict schema forbids. */
const invalidFollowConfig: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(
      validFollowConfig.filter((c) => c !== null),
      fc.oneof(
        fc.record({ key: fc.constantFrom('defaultQuantity', 'maxQuantity'), value: fc.oneof(fc.constantFrom(0, -1), notA('number')) }),
        fc.record({ key: fc.constantFrom('sizing'), value: hostileValue.filter((v) => v !== 'signal' && v !== 'risk') }),
        fc.record({ key: fc.constantFrom('timeInForce'), value: hostileValue.filter((v) => !TIME_IN_FORCE.includes(v as string)) }),
        fc.record({ key: fc.constantFrom('useOrderTypeHints'), value: notA('boolean') }),
        fc.record({ key: fc.constantFrom('sources'), value: fc.oneof(fc.constant([]), fc.constant(['']), notA('object')) }),
        fc.record({
          key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'kind'), hostileString).filter((key) => !KNOWN_KEYS.includes(key)),
          value: hostileValue,
        }),
      ),
    )
    .map(([config, { key, value }]) => {
      const copy = { ...(config as Record<string, unknown>) };
      Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
      return copy;
    }),
  fc.constant({ sizing: 'risk' }),
  fc.oneof(fc.array(hostileValue), hostileString, fc.double(), fc.boolean()),
);

const configure: fc.Arbitrary<HttpCase> = fc
  .record({
    auth: bearerHeader(API_KEY),
    target: fc.oneof({ weight: 3, arbitrary: fc.constant(FOLLOW_AGENT) }, unknownAgentId),
    body: fc.oneof(
      validFollowConfig.map((config) => ({ bytes: json(config), valid: true, label: 'valid config' })),
      invalidFollowConfig.map((config) => ({ bytes: json(config), valid: false, label: 'invalid config' })),
      notJson.map((bytes) => ({ bytes, valid: false, label: 'not JSON' })),
      fc
        .integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 2 })
        .map((size) => ({ bytes: Buffer.alloc(size, ' '), valid: false, label: 'oversize' })),
    ),
  })
  .map(({ auth, target, body }) => {
    const request = {
      method: 'PUT',
      path: `/agents/${encodeSegment(target)}/config`,
      headers: { ...(auth.header === undefined ? {} : { authorization: auth.header }), 'content-type': 'application/json' },
      body: body.bytes,
    };
    if (body.bytes.length > BODY_LIMIT) return httpCase('oversize', request, [413]);
    if (!auth.valid) return httpCase(`bad key: ${auth.label}`, request, [401]);
    if (body.label === 'not JSON') return httpCase('not JSON', request, [400]);
    if (target !== FOLLOW_AGENT) return httpCase('unknown agent', request, [404]);
    return httpCase(body.label, request, [body.valid ? 200 : 400]);
  });

const agentsRest: fc.Arbitrary<HttpCase> = fc.oneof(
  { weight: 4, arbitrary: configure },
  fc.constant(httpCase('list', { method: 'GET', path: '/agents' }, [200])),
  unknownAgentId.map((id) => httpCase('unknown agent', { method: 'GET', path: `/agents/${encodeSegment(id)}` }, [404])),
  fc.record({ auth: bearerHeader(API_KEY), id: unknownAgentId, action: fc.constantFrom('enable', 'disable') }).map(({ auth, id, action }) =>
    httpCase(
      `${action} ${auth.valid ? 'unknown agent' : `bad key: ${auth.label}`}`,
      {
        method: 'POST',
        path: `/agents/${encodeSegment(id)}/${action}`,
        headers: auth.header === undefined ? {} : { authorization: auth.header },
      },
      [auth.valid ? 404 : 401],
    ),
  ),
  fc
    .record({
      method: fc.constantFrom(...WRONG_METHODS),
      path: fc.constantFrom('/agents', `/agents/${FOLLOW_AGENT}/enable`, `/agents/${FOLLOW_AGENT}/config`),
    })
    .filter(({ method, path }) => !(method === 'GET' && path === '/agents') && !(method === 'PUT' && path.endsWith('/config')))
    .map(({ method, path }) => httpCase('wrong method', { method, path, headers: { authorization: `Bearer ${API_KEY}` } }, [405])),
);

/** The MCP endpoint over plain HTTP: without the token, with junk instead of JSON-RPC, with GET. */
const mcpHttp: fc.Arbitrary<HttpCase> = fc.oneof(
  bearerHeader(MCP_TOKEN)
    .filter((auth) => !auth.valid)
    .map((auth) =>
      httpCase(
        `bad token: ${auth.label}`,
        {
          method: 'POST',
          path: '/mcp',
          headers: auth.header === undefined ? {} : { authorization: auth.header },
          body: json({ jsonrpc: '2.0' }),
        },
        [401],
      ),
    ),
  fc.oneof(notJson, hostileValue.map(json)).map((body) =>
    httpCase(
      'junk JSON-RPC',
      {
        method: 'POST',
        path: '/mcp',
        headers: {
          authorization: `Bearer ${MCP_TOKEN}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body,
      },
      // The SDK takes an empty batch as notifications only and answers 202, having run nothing.
      body.toString() === '[]' ? [202, ...FOUR_XX] : FOUR_XX,
    ),
  ),
  fc
    .constantFrom('GET', 'DELETE', 'PUT')
    .map((method) => httpCase('stateless endpoint', { method, path: '/mcp', headers: { authorization: `Bearer ${MCP_TOKEN}` } }, [405])),
);

// ---- hostile tool arguments ------------------------------------------------------------------

type Expectation = 'error' | 'ok' | 'either';

interface ToolCase {
  label: string;
  name: string;
  args: Record<string, unknown>;
  expect: Expectation;
}

const toolCase = (label: string, name: string, args: Record<string, unknown>, expected: Expectation): ToolCase =>
  Object.assign({ label, name, args, expect: expected }, { [fc.toStringMethod]: () => `${name} [${label}]` });

const hostileArgs = fc.dictionary(
  fc.oneof(fc.constantFrom('symbol', 'limit', 'strategyId', 'status', 'clientOrderId', '__proto__'), hostileString),
  hostileValue,
  {
    maxKeys: 4,
  },
);

const submit: fc.Arbitrary<ToolCase> = fc.oneof(
  fc
    .tuple(hostileIntent, fc.boolean())
    .map(([intent, dryRun]) =>
      toolCase(intent.label, 'submit_order_intent', { ...intent.value, dry_run: dryRun }, intent.unknownKeysOnly ? 'either' : 'error'),
    ),
  // A valid intent passes the notional check only with a price: a limit order (no signals flow here).
  fc
    .tuple(validIntent, fc.boolean())
    .map(([intent, dryRun]) =>
      toolCase('valid intent', 'submit_order_intent', { ...intent, dry_run: dryRun }, intent.limitPrice === undefined ? 'error' : 'ok'),
    ),
);

const otherTool: fc.Arbitrary<ToolCase> = fc.oneof(
  fc
    .record({
      tool: fc.constantFrom('enable_agent', 'disable_agent'),
      id: fc.oneof(
        unknownAgentId,
        hostileValue.filter((v) => typeof v !== 'string'),
      ),
    })
    .map(({ tool, id }) => toolCase('unknown agent', tool, { id }, 'error')),
  hostileValue.map((clientOrderId) => toolCase('cancel', 'cancel_order', { clientOrderId }, 'error')),
  hostileString
    .filter((name) => !(MCP_TOOLS as readonly string[]).includes(name))
    .map((name) => toolCase('unknown tool', name, {}, 'error')),
  fc
    .record({
      tool: fc.constantFrom('latest_signals', 'get_instrument', 'get_positions', 'get_orders', 'get_fills', 'get_pnl', 'list_agents'),
      args: hostileArgs,
    })
    .map(({ tool, args }) => toolCase('hostile read', tool, args, 'either')),
);

type Called = { result: CallToolResult } | { mcpError: string } | { failure: string };

async function callTool(c: ToolCase): Promise<Called> {
  try {
    return {
      result: (await mcp.callTool({ name: c.name, arguments: c.args }, undefined, { timeout: ANSWER_TIMEOUT_MS })) as CallToolResult,
    };
  } catch (err) {
    // A timeout is a hang, and a result off its own output schema is the server's bug: both fail.
    if (err instanceof McpError && err.code !== ErrorCode.RequestTimeout && !/output schema/i.test(err.message))
      return { mcpError: err.message };
    return { failure: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

function toolProblem(c: ToolCase, called: Called): string | undefined {
  if ('failure' in called) return called.failure;
  const isError = 'mcpError' in called || called.result.isError === true;
  if (c.expect === 'error' && !isError) return `expected an error, got ${brief(called.result.structuredContent)}`;
  if (c.expect === 'ok' && isError)
    return `expected a result, got ${'mcpError' in called ? called.mcpError : brief(called.result.content)}`;
  return undefined;
}

/** An intent the tool says it published (not a dry run, not a duplicate). */
function intentsOwed(called: Called): number {
  if (!('result' in called) || called.result.isError) return 0;
  const content = called.result.structuredContent as { dryRun?: boolean; duplicate?: boolean } | undefined;
  return content?.dryRun === false && content.duplicate !== true ? 1 : 0;
}

describe('agent-mcp under hostile input', () => {
  it('answers hostile REST and MCP-endpoint requests with their status and a reason, and publishes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 4, arbitrary: agentsRest }, mcpHttp), { minLength: BATCH, maxLength: BATCH }),
        async (cases) => {
          const before = await intentsPublished();
          assertNoFailures('agents API', failuresOf(cases, await sendAll(client, cases, ANSWER_TIMEOUT_MS)));
          expect(await intentsPublished(), 'intents published in this batch').toBe(before);
        },
      ),
      fuzzOptions('agent-mcp, REST and /mcp over HTTP', SERVICE_RUNS, BATCH),
    );
  }, 120_000);

  it('answers hostile tool arguments with a tool error or an MCP error, and publishes only what a tool says it submitted', async () => {
    let submitted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(submit, otherTool), { minLength: MCP_BATCH, maxLength: MCP_BATCH }), async (cases) => {
        const before = await intentsPublished();
        const calls = await Promise.all(cases.map(callTool));
        const failures = cases.flatMap((c, i) => {
          const problem = toolProblem(c, calls[i] as Called);
          return problem ? [`${c.name} [${c.label}] ${brief(c.args)}: ${problem}`] : [];
        });
        assertNoFailures('MCP tool calls', failures);
        const owed = calls.reduce((sum, called) => sum + intentsOwed(called), 0);
        submitted += owed;
        expect(await intentsPublished(), 'intents published in this batch').toBe(before + owed);
      }),
      fuzzOptions('agent-mcp, MCP tool calls', SERVICE_RUNS, MCP_BATCH),
    );
    console.info(`[fuzz] agent-mcp: ${submitted} valid intents submitted through MCP`);
    expect((await client.send({ method: 'GET', path: '/health' }, ANSWER_TIMEOUT_MS)).status).toBe(200);
  }, 120_000);

  malformedAndSlowRequests({
    service: 'agent-mcp',
    port: () => svc.port,
    published: intentsPublished,
    // No key or token anywhere: whatever an injected header adds, the request is refused.
    malformed: malformedRequest(
      [`/agents/${FOLLOW_AGENT}/disable`, '/mcp', '/agents/x/config'],
      ['Authorization', 'Content-Type', 'Origin'],
    ),
    malformedRuns: Math.ceil(SERVICE_RUNS / 5),
    slow: slowRequest(
      'PUT',
      `/agents/${FOLLOW_AGENT}/config`,
      [`Authorization: Bearer ${API_KEY}`, 'Content-Type: application/json'],
      REQUEST_TIMEOUT_MS,
    ),
    slowRuns: 4,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
});
