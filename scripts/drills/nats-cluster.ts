// Drill nats-cluster: three routed nats-servers, the platform's streams at replication 3, a producer
// publishing order intents under load through the generated publisher (each with its event id as
// Nats-Msg-Id, retried under the same id until acked) and a durable consumer counting them. Once a
// third of the events are acked, the stream's leader is killed with SIGKILL. Expected: a new
// leader takes over, every acked event is in the stream exactly once and the consumer sees all of
// them. Printed: the leader change (old -> new) and the pause (longest gap between two acks).
// `npx tsx scripts/drills/nats-cluster.ts` (or `make drill-nats-cluster`): exit 1 when any of it did not happen.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { consumeOrderIntent, type OrderIntent, orderIntentContract, provisionStreams, publishOrderIntent } from '../../generated/index.js';
import { connectNats, deterministicId, EventHeader, type NatsRuntime } from '../../services/core/src/index.js';
import { describeCause } from '../../services/core/src/nats/errors.js';
import { type NatsClusterHandle, startNatsCluster } from '../../services/core/src/nats/local-cluster.js';
import { waitFor } from '../../services/core/src/testing/events.js';
import { createDrillRecorder, type DrillRecorder, type DrillResult, isMainModule, runDrillCli } from './support/drill.js';

const STREAM = 'trading-events';
const INTENTS = orderIntentContract.subject;
const DURABLE = 'exec-sim-intents';
const REPLICAS = 3;
// A pull that dies with its consumer leader is noticed after two missed heartbeats (one per half of
// this): short, so the consumer resumes within the drill instead of after the client's default 30 s.
const CONSUMER_PULL_EXPIRES_MS = 2000;
const ES = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' } as const;

export interface NatsClusterDrillOptions {
  /** Events published in all (default 1500); the leader dies once a third of them are acked. */
  events?: number;
  /** Publishes awaiting their ack at once (default 32). */
  inFlight?: number;
  /** How long the producer keeps retrying one event before it gives it up (default 20 s). */
  retryForMs?: number;
  natsServerBinary?: string;
}

export async function runNatsClusterDrill(options: NatsClusterDrillOptions = {}): Promise<DrillResult> {
  const drill = createDrillRecorder('nats-cluster');
  const cluster = await startNatsCluster({ name: 'drill', ...(options.natsServerBinary ? { binary: options.natsServerBinary } : {}) });
  const clients: NatsRuntime[] = [];
  try {
    drill.observe(`cluster ${cluster.name}: ${cluster.nodes.map((n) => `${n.name} ${n.url} (pid ${n.pid})`).join(', ')}`);
    const connect = async (name: string) => {
      const client = await connectNats({ servers: cluster.urls, name, reconnectTimeWaitMs: 100, waitOnFirstConnect: false });
      clients.push(client);
      return client;
    };
    const producer = await connect('drill-producer');
    const consumer = await connect('drill-consumer');
    await provisionStreams(producer.jsm, { stream: STREAM, service: 'exec-sim', replicas: REPLICAS });
    // A replicated consumer answers only once its own RAFT group has elected a leader.
    await waitFor(async () => Boolean((await producer.jsm.consumers.info(STREAM, DURABLE)).cluster?.leader), `a leader for ${DURABLE}`);
    const info = await retrying('stream info', () => producer.jsm.streams.info(STREAM));
    const consumerInfo = await retrying('consumer info', () => producer.jsm.consumers.info(STREAM, DURABLE));
    drill.observe(
      `stream ${STREAM} at R${info.config.num_replicas}: leader ${info.cluster?.leader}, followers ${(info.cluster?.replicas ?? []).map((r) => r.name).join(', ')}; consumer ${DURABLE} leader ${consumerInfo.cluster?.leader}`,
    );
    drill.check(info.config.num_replicas === REPLICAS, `the stream has ${info.config.num_replicas} replicas, expected ${REPLICAS}`);
    await killLeaderUnderLoad(drill, cluster, producer, consumer, options);
  } finally {
    for (const client of clients) await client.close().catch(() => undefined);
    await cluster.stop();
  }
  return drill.result();
}

interface LoadRun {
  /** Event id -> stream sequence of every acked event. */
  acked: Map<string, number>;
  /** performance.now() of every ack, in the order they came. */
  ackTimes: number[];
  failedAttempts: number;
  givenUp: string[];
  duplicatesAcked: number;
  finished: boolean;
}

function intent(n: number): OrderIntent {
  return {
    clientOrderId: `drill-cluster-${n}`,
    strategyId: 'drill',
    agentId: 'nats-cluster-drill',
    instrument: ES,
    side: n % 2 === 0 ? 'buy' : 'sell',
    orderType: 'market',
    timeInForce: 'GTC',
    quantity: 1,
    reduceOnly: false,
    createdAt: new Date().toISOString(),
  };
}

/** Publishes `total` intents from `inFlight` workers; a failed publish is retried under the same event id. */
function startLoad(js: NatsRuntime['js'], total: number, inFlight: number, retryForMs: number): { run: LoadRun; done: Promise<void> } {
  const run: LoadRun = { acked: new Map(), ackTimes: [], failedAttempts: 0, givenUp: [], duplicatesAcked: 0, finished: false };
  let next = 0;
  const publishOne = async (n: number) => {
    const event = intent(n);
    const eventId = deterministicId(INTENTS, event.clientOrderId);
    const giveUpAt = performance.now() + retryForMs;
    for (;;) {
      try {
        const published = await publishOrderIntent(js, event, { source: 'drill', eventId, timeoutMs: 1000 });
        run.ackTimes.push(performance.now());
        run.acked.set(eventId, published.seq);
        if (published.duplicate) run.duplicatesAcked++;
        return;
      } catch {
        // No ack (leader gone, reconnecting): the event may or may not be stored; the same id makes the retry safe.
        run.failedAttempts++;
        if (performance.now() > giveUpAt) return void run.givenUp.push(eventId);
        await sleep(50);
      }
    }
  };
  const worker = async () => {
    while (next < total) await publishOne(next++);
  };
  const done = Promise.all(Array.from({ length: inFlight }, worker)).then(() => {
    run.finished = true;
  });
  return { run, done };
}

/** Cluster requests time out while a RAFT group elects its leader: ask again, and say what failed in the end. */
async function retrying<T>(what: string, request: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await request();
    } catch (err) {
      if (performance.now() > deadline) throw new Error(`${what}: ${describeCause(err)}`, { cause: err });
      await sleep(100);
    }
  }
}

async function streamLeader(jsm: NatsRuntime['jsm']): Promise<string | undefined> {
  return (await jsm.streams.info(STREAM)).cluster?.leader;
}

/** Event ids of everything the stream holds, read with an ordered consumer, and how often each occurs. */
async function storedEventIds(nats: NatsRuntime): Promise<Map<string, number>> {
  const total = (await retrying('stream info', () => nats.jsm.streams.info(STREAM))).state.messages;
  const counts = new Map<string, number>();
  if (total === 0) return counts;
  const messages = await retrying('reading the stream', async () => (await nats.js.consumers.get(STREAM)).consume());
  const giveUp = setTimeout(() => void messages.close(), 15_000); // a short read ends the loop; the counts then say what is missing
  let read = 0;
  for await (const msg of messages) {
    const id = msg.headers?.get(EventHeader.Id) ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
    if (++read >= total) break;
  }
  clearTimeout(giveUp);
  await messages.close();
  return counts;
}

/** The longest time between two consecutive acks, and when it ended. */
function longestGap(times: readonly number[]): { ms: number; endedAt: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let gap = { ms: 0, endedAt: sorted[0] ?? 0 };
  for (let i = 1; i < sorted.length; i++) {
    const ms = (sorted[i] as number) - (sorted[i - 1] as number);
    if (ms > gap.ms) gap = { ms, endedAt: sorted[i] as number };
  }
  return gap;
}

const round = (ms: number) => Math.round(ms);

async function killLeaderUnderLoad(
  drill: DrillRecorder,
  cluster: NatsClusterHandle,
  producer: NatsRuntime,
  consumer: NatsRuntime,
  options: NatsClusterDrillOptions,
): Promise<void> {
  const total = options.events ?? 1500;
  const inFlight = options.inFlight ?? 32;
  const seen = new Map<string, number>();
  const deliveryTimes: number[] = [];
  const consuming = await retrying(`consuming ${DURABLE}`, () =>
    consumeOrderIntent(consumer, {
      stream: STREAM,
      durable: DURABLE,
      expiresMs: CONSUMER_PULL_EXPIRES_MS,
      handler: async ({ meta }) => {
        deliveryTimes.push(performance.now());
        seen.set(meta.eventId, (seen.get(meta.eventId) ?? 0) + 1);
      },
    }),
  );
  // Stream info comes from the stream leader: while there is none, fail fast and ask again rather than wait 5 s.
  const jsm = await jetstreamManager(producer.nc, { timeout: 500, checkAPI: false });
  try {
    const started = performance.now();
    const { run, done } = startLoad(producer.js, total, inFlight, options.retryForMs ?? 20_000);
    await waitFor(() => run.acked.size >= total / 3 || run.finished, 'a third of the events acked', 30_000);

    const oldLeader = await retrying('stream leader', () => streamLeader(producer.jsm));
    const victim = oldLeader === undefined ? undefined : cluster.node(oldLeader);
    const ackedAtKill = run.acked.size;
    const killedAt = performance.now();
    if (drill.check(victim?.pid !== undefined, `no running node is the stream leader (${oldLeader})`) && victim?.pid) {
      process.kill(victim.pid, 'SIGKILL');
      drill.observe(
        `killed ${victim.name} (stream leader, pid ${victim.pid}) with SIGKILL after ${ackedAtKill} of ${total} acks; producer on ${producer.nc.getServer()}, consumer on ${consumer.nc.getServer()}`,
      );
    }
    drill.check(ackedAtKill < total, 'the load was over before the kill: not a kill under load');
    let newLeader: string | undefined;
    await waitFor(async () => {
      newLeader = await streamLeader(jsm);
      return newLeader !== undefined && newLeader !== oldLeader;
    }, 'a new stream leader').catch(() => undefined); // the check below says what is missing
    drill.observe(`leader change: ${oldLeader} -> ${newLeader ?? 'none'} (seen ${round(performance.now() - killedAt)} ms after the kill)`);
    drill.check(newLeader !== undefined && newLeader !== oldLeader, `no new stream leader after ${oldLeader} was killed`);

    await done;
    const elapsed = performance.now() - started;
    const pause = longestGap(run.ackTimes);
    drill.observe(
      `load: ${run.acked.size} of ${total} events acked in ${(elapsed / 1000).toFixed(1)} s with ${inFlight} in flight (${Math.round(run.acked.size / ((elapsed - pause.ms) / 1000))}/s outside the pause); ${run.failedAttempts} failed attempts retried, ${run.duplicatesAcked} retries acked as duplicates, ${run.givenUp.length} given up`,
    );
    drill.observe(`pause: longest gap between two acks ${round(pause.ms)} ms, ended ${round(pause.endedAt - killedAt)} ms after the kill`);
    drill.check(run.givenUp.length === 0, `${run.givenUp.length} events were never acked (e.g. ${run.givenUp.slice(0, 3).join(', ')})`);

    const stored = await storedEventIds(producer);
    const missing = [...run.acked.keys()].filter((id) => !stored.has(id));
    const doubled = [...stored].filter(([, count]) => count > 1).map(([id]) => id);
    const unexpected = [...stored.keys()].filter((id) => !run.acked.has(id));
    drill.observe(
      `stream ${STREAM} holds ${[...stored.values()].reduce((a, b) => a + b, 0)} events: ${missing.length} acked events missing, ${doubled.length} stored twice, ${unexpected.length} never acked`,
    );
    drill.check(missing.length === 0, `acked events missing from the stream: ${missing.slice(0, 3).join(', ')}`);
    drill.check(doubled.length === 0, `events stored more than once: ${doubled.slice(0, 3).join(', ')}`);
    drill.check(unexpected.length === 0, `events stored but never acked to the producer: ${unexpected.slice(0, 3).join(', ')}`);

    await waitFor(() => [...run.acked.keys()].every((id) => seen.has(id)), 'the consumer to see every acked event').catch(() => undefined);
    const unseen = [...run.acked.keys()].filter((id) => !seen.has(id));
    const deliveries = [...seen.values()].reduce((a, b) => a + b, 0);
    drill.observe(
      `consumer ${DURABLE}: ${seen.size} distinct events in ${deliveries} deliveries (${deliveries - seen.size} redelivered), ${unseen.length} acked events unseen; longest gap between deliveries ${round(longestGap(deliveryTimes).ms)} ms (pulls expire after ${CONSUMER_PULL_EXPIRES_MS} ms)`,
    );
    drill.check(unseen.length === 0, `the consumer never saw ${unseen.length} acked events (e.g. ${unseen.slice(0, 3).join(', ')})`);
  } finally {
    await consuming.stop();
  }
}

if (isMainModule(import.meta.url)) await runDrillCli(() => runNatsClusterDrill());
