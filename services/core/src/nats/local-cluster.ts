// Starts a local NATS cluster for drills and scale-out checks: `size` nats-servers with JetStream,
// each with its own store and server name, routed to one another on free ports. It resolves once
// JetStream can place a stream on every node (a meta leader is elected and knows its peers).
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort, type NatsServerHandle, startNatsServer } from './local-server.js';

export interface NatsClusterNode extends NatsServerHandle {
  /** The server name (`n1`, `n2`, ...): what stream info's `cluster.leader` reports. */
  readonly name: string;
}

export interface NatsClusterHandle {
  readonly name: string;
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL: a client given all of them fails over when one node dies. */
  readonly urls: string[];
  node(name: string): NatsClusterNode | undefined;
  /** Stops every node still running and removes the stores. */
  stop(): Promise<void>;
}

export interface StartNatsClusterOptions {
  /** Number of servers; 3 by default (the smallest that survives losing one). */
  size?: number;
  /** The cluster name; `local` by default. */
  name?: string;
  /** Path of the server binary, as for startNatsServer. */
  binary?: string;
}

const HOST = '127.0.0.1';
const JETSTREAM_READY_TIMEOUT_MS = 30_000;

export async function startNatsCluster(options: StartNatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const size = options.size ?? 3;
  const cluster = options.name ?? 'local';
  if (!Number.isInteger(size) || size < 1) throw new TypeError(`a cluster needs a positive whole number of servers, got ${size}`);
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) routePorts.push(await freePort());
  // Every node solicits every route, its own included: the server drops the route to itself.
  const routes = routePorts.map((port) => `nats://${HOST}:${port}`).join(',');
  const started = await Promise.allSettled(
    routePorts.map(async (routePort, i): Promise<NatsClusterNode> => {
      const name = `n${i + 1}`;
      const args = ['--server_name', name, '--cluster_name', cluster, '--cluster', `nats://${HOST}:${routePort}`, '--routes', routes];
      const server = await startNatsServer({ ...(options.binary ? { binary: options.binary } : {}), args });
      return Object.assign(server, { name });
    }),
  );
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => void (await Promise.all(nodes.map((node) => node.stop())));
  const failure = started.find((result) => result.status === 'rejected');
  try {
    if (failure) throw failure.reason;
    await waitForJetStream(nodes.map((node) => node.url));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name: cluster,
    nodes,
    urls: nodes.map((node) => node.url),
    node: (name) => nodes.find((node) => node.name === name),
    stop,
  };
}

/**
 * Until the meta leader is elected and knows every peer, JetStream requests go unanswered or a
 * replicated stream finds no room: place (and drop) a probe stream on every node until it works.
 */
async function waitForJetStream(urls: string[]): Promise<void> {
  const nc = await connect({ servers: urls });
  const deadline = Date.now() + JETSTREAM_READY_TIMEOUT_MS;
  const probe = { name: 'cluster-ready-probe', subjects: ['cluster-ready-probe'], storage: StorageType.Memory, num_replicas: urls.length };
  try {
    for (;;) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 1000, checkAPI: false });
        await jsm.streams.add({ ...probe });
        await jsm.streams.delete(probe.name);
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`the NATS cluster could not place an R${urls.length} stream within ${JETSTREAM_READY_TIMEOUT_MS} ms`, {
            cause: err,
          });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await nc.close();
  }
}
