// agent-mcp rebuilds its agents' state from the stream after a kill -9: agent-mcp runs as a real
// child process over a real nats-server with exec-sim, is killed with SIGKILL and started again.
// tv-follow then closes the position it held before the crash (and one decided while it was
// down), and momentum decides on the same signals exactly as an undisturbed run does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type OrderIntent, provisionStreams, publishSignalNormalized, type SignalNormalized } from '../../../generated/index.js';
import { connectNats, createLogger, type NatsRuntime } from '../../core/src/index.js';
import { eventsOn, waitFor } from '../../core/src/testing/events.js';
import { type NatsServerHandle, startNatsServer } from '../../core/src/testing/nats-harness.js';
import { type ServiceProcess, spawnServiceProcess } from '../../core/src/testing/service-process.js';
import { loadExecSimConfig } from '../../exec-sim/src/config.js';
import { type RunningExecSim, startExecSim } from '../../exec-sim/src/exec-sim.js';

const STREAM = 'trading-events';
const logger = createLogger({ service: 'rebuild-test', env: 'test', level: 'silent' });

/** One fresh platform: nats-server, exec-sim in this process, agent-mcp as a child process. */
class Platform {
  private sent = 0;
  agentMcp?: ServiceProcess;

  private constructor(
    private readonly server: NatsServerHandle,
    readonly observer: NatsRuntime,
    private readonly execSim: RunningExecSim,
    private readonly dir: string,
    private readonly agentId: string,
  ) {}

  static async start(agent: { id: string; kind: string; config: Record<string, unknown> }): Promise<Platform> {
    const server = await startNatsServer();
    const observer = await connectNats({ servers: server.url, name: 'rebuild-observer' });
    await provisionStreams(observer.jsm, { stream: STREAM });
    const execSim = await startExecSim(
      loadExecSimConfig({ NATS_URL: server.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }),
      logger,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'agent-rebuild-'));
    writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ agents: [agent] }));
    const platform = new Platform(server, observer, execSim, dir, agent.id);
    await platform.startAgentMcp();
    return platform;
  }

  async startAgentMcp(): Promise<ServiceProcess> {
    this.agentMcp = await spawnServiceProcess({
      name: 'agent-mcp',
      main: 'services/agent-mcp/src/main.ts',
      env: {
        NATS_URL: this.server.url,
        EXEC_SIM_URL: `http://127.0.0.1:${this.execSim.port}`,
        AGENTS_CONFIG: path.join(this.dir, 'agents.json'),
      },
    });
    return this.agentMcp;
  }

  async send(overrides: Partial<SignalNormalized>): Promise<string> {
    this.sent++;
    const id = `00000000-0000-5000-8000-${String(this.sent).padStart(12, '0')}`;
    const signal: SignalNormalized = {
      signalId: id,
      rawSignalId: id,
      idempotencyKey: `tradingview:alert:rebuild-${this.sent}`,
      source: 'tradingview',
      instrument: { symbol: 'ES1!', assetClass: 'futures', venue: 'CME', root: 'ES', continuous: true },
      action: 'buy',
      eventTime: '2026-11-24T14:30:00Z',
      receivedAt: '2026-11-24T14:30:00Z',
      ...overrides,
    };
    await publishSignalNormalized(this.observer.js, signal, { source: '/test', eventId: id });
    return signal.idempotencyKey;
  }

  /** Until exec-sim and the running agent-mcp have taken everything published so far. */
  async settled(): Promise<void> {
    const durables = [
      'exec-sim-prices',
      'exec-sim-intents',
      `agent-${this.agentId}`,
      'agent-mcp-executions-fill',
      'agent-mcp-executions-order',
    ];
    const lastSeq = async () => (await this.observer.jsm.streams.info(STREAM)).state.last_seq;
    await waitFor(async () => {
      const before = await lastSeq();
      for (const durable of durables) {
        const info = await this.observer.jsm.consumers.info(STREAM, durable);
        if (info.num_pending + info.num_ack_pending > 0) return false;
      }
      return (await lastSeq()) === before;
    }, 'exec-sim and agent-mcp to settle');
  }

  intents(): Promise<OrderIntent[]> {
    return eventsOn<OrderIntent>(this.observer.jsm, STREAM, 'decisions.order_intent');
  }

  /** exec-sim's non-zero positions, `symbol@venue` -> signed quantity. */
  async positions(): Promise<Record<string, number>> {
    const response = await fetch(`http://127.0.0.1:${this.execSim.port}/positions?strategyId=${this.agentId}`);
    const { positions } = (await response.json()) as { positions: { instrument: { symbol: string; venue: string }; quantity: number }[] };
    return Object.fromEntries(
      positions.filter((p) => p.quantity !== 0).map((p) => [`${p.instrument.symbol}@${p.instrument.venue}`, p.quantity]),
    );
  }

  /** The rebuild's log line of the running agent-mcp. */
  rebuildLog(): { read: number; replayed: number; agents: Record<string, { signals: number; unacknowledged: number }> } {
    const line = this.agentMcp
      ?.output()
      .split('\n')
      .find((l) => l.includes('"msg":"agent state rebuilt from the stream"'));
    if (!line) throw new Error(`no rebuild logged:\n${this.agentMcp?.output()}`);
    return JSON.parse(line);
  }

  async stop(): Promise<void> {
    await this.agentMcp?.stop();
    await this.execSim.stop();
    await this.observer.close();
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const platforms: Platform[] = [];
const startPlatform = async (agent: Parameters<typeof Platform.start>[0]) => {
  const platform = await Platform.start(agent);
  platforms.push(platform);
  return platform;
};

afterEach(async () => {
  for (const platform of platforms.splice(0)) await platform.stop();
});

const intentShape = (intents: OrderIntent[]) =>
  intents.map((i) => [i.clientOrderId, i.side, i.quantity, i.reduceOnly, i.instrument.symbol]);

describe('tv-follow after kill -9 of agent-mcp', () => {
  it('closes the position held before the crash and the one decided while down: exec-sim ends flat', async () => {
    const platform = await startPlatform({ id: 'tv', kind: 'tradingview-follow', config: { sources: ['tradingview'] } });
    await platform.send({ source: 'feed', price: 6000 }); // exec-sim learns ESZ6's price; tv ignores the source
    await platform.send({ action: 'buy', quantity: 2, price: 6000 });
    await platform.settled();
    expect(await platform.positions()).toEqual({ 'ESZ6@CME': 2 });

    await platform.agentMcp?.crash();
    // Published while agent-mcp is down: above its durable's ack floor, decided by the rebuild and published at start-up.
    await platform.send({ action: 'buy', quantity: 1, price: 6000 });
    await platform.startAgentMcp();
    expect(platform.rebuildLog().agents.tv).toEqual({ signals: 3, unacknowledged: 1 });

    const exitKey = await platform.send({ action: 'exit', side: 'sell', price: 6000 });
    await platform.settled();
    const intents = await platform.intents();
    expect(intents.map((i) => [i.side, i.quantity, i.reduceOnly])).toEqual([
      ['buy', 2, false],
      ['buy', 1, false],
      ['sell', 3, true],
    ]);
    expect(intents.at(-1)?.rationale).toMatch(/tradingview exit/);
    expect(exitKey).toBe('tradingview:alert:rebuild-4');
    expect(await platform.positions()).toEqual({});
  }, 120_000);
});

describe('momentum after kill -9 of agent-mcp', () => {
  const momentum = {
    id: 'mom',
    kind: 'momentum',
    config: { lookback: 3, threshold: 0.001, quantity: { futures: 1 }, sources: ['feed'] },
  };
  // Long at #4 (+0.17 % over 3), short at #8, long at #12: each decision needs the 3 prices before it.
  const prices = [6000, 6000, 6000, 6010, 6010, 6010, 6010, 5990, 5990, 5990, 5995, 6020, 6020];
  const killAfter = 6; // the window [6010, 6010, 6010] and the long position live only in memory

  async function run(kill: boolean): Promise<{ intents: OrderIntent[]; positions: Record<string, number> }> {
    const platform = await startPlatform(momentum);
    for (const [i, price] of prices.entries()) {
      if (kill && i === killAfter) {
        await platform.agentMcp?.crash();
        await platform.startAgentMcp();
      }
      await platform.send({ source: 'feed', price });
      await platform.settled();
    }
    if (kill) expect(platform.rebuildLog().agents.mom).toEqual({ signals: killAfter, unacknowledged: 0 });
    return { intents: await platform.intents(), positions: await platform.positions() };
  }

  it('makes the decisions of an undisturbed run on the same signals', async () => {
    const undisturbed = await run(false);
    const killed = await run(true);
    expect(intentShape(undisturbed.intents).map(([, side, qty, reduceOnly]) => [side, qty, reduceOnly])).toEqual([
      ['buy', 1, false],
      ['sell', 1, true],
      ['sell', 1, false],
      ['buy', 1, true],
      ['buy', 1, false],
    ]);
    expect(intentShape(killed.intents)).toEqual(intentShape(undisturbed.intents));
    expect(killed.positions).toEqual(undisturbed.positions);
    expect(undisturbed.positions).toEqual({ 'ESZ6@CME': 1 });
  }, 180_000);
});
