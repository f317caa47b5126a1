// Provisions what the contracts declare, at start-up and idempotently: the platform stream,
// its dead-letter stream and the durable consumers of the receive operations.
import type { JetStreamManager } from '@nats-io/jetstream';
import { type ConsumerSpec, deadLetterStreamConfig, ensureConsumer, ensureStream, type ProvisionAction } from './streams.js';

/** A receive operation of a contract, as the generator writes it into generated/streams.ts. */
export interface ConsumerDeclaration {
  durable: string;
  service: string;
  subject: string;
  maxAckPending?: number;
}

export interface PlatformTopology {
  stream: string;
  subjects: readonly string[];
  consumers: readonly ConsumerDeclaration[];
  /** How long JetStream remembers event ids to drop duplicates. Default 2 minutes (the server's). */
  duplicateWindowMs?: number;
  /** Copies of the stream and its dead-letter stream kept by a NATS cluster; the server's default (1) when absent. */
  replicas?: number;
}

export interface ProvisionReport {
  streams: Record<string, ProvisionAction>;
  consumers: Record<string, ProvisionAction>;
}

const NS_PER_MS = 1_000_000;

export function consumerSpec(declaration: ConsumerDeclaration): ConsumerSpec {
  return {
    durable_name: declaration.durable,
    filter_subject: declaration.subject,
    ...(declaration.maxAckPending === undefined ? {} : { max_ack_pending: declaration.maxAckPending }),
  };
}

export async function provisionPlatform(jsm: JetStreamManager, topology: PlatformTopology): Promise<ProvisionReport> {
  const report: ProvisionReport = { streams: {}, consumers: {} };
  const replicated = topology.replicas === undefined ? {} : { num_replicas: topology.replicas };
  const stream = await ensureStream(jsm, {
    name: topology.stream,
    subjects: [...topology.subjects],
    ...(topology.duplicateWindowMs === undefined ? {} : { duplicate_window: topology.duplicateWindowMs * NS_PER_MS }),
    ...replicated,
  });
  report.streams[topology.stream] = stream.action;
  const dlq = { ...deadLetterStreamConfig(topology.stream), ...replicated };
  report.streams[dlq.name] = (await ensureStream(jsm, dlq)).action;
  for (const declaration of topology.consumers) {
    report.consumers[declaration.durable] = (await ensureConsumer(jsm, topology.stream, consumerSpec(declaration))).action;
  }
  return report;
}
