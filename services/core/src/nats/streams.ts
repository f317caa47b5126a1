// Idempotent start-up provisioning of streams and durable pull consumers: create what is missing, update what drifted.
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { ProvisionError } from './errors.js';

export const DEFAULT_STREAM_NAME = 'trading-events';
export const DEAD_LETTER_SUBJECT_PREFIX = 'dlq';

export type StreamSpec = Partial<StreamConfig> & Pick<StreamConfig, 'name' | 'subjects'>;
export type ConsumerSpec = Partial<Omit<ConsumerConfig, 'ack_policy'>> & Required<Pick<ConsumerConfig, 'durable_name' | 'filter_subject'>>;

export const ProvisionAction = { Created: 'created', Updated: 'updated', Unchanged: 'unchanged' } as const;
export type ProvisionAction = (typeof ProvisionAction)[keyof typeof ProvisionAction];

export interface ProvisionResult<I> {
  action: ProvisionAction;
  info: I;
}

export function deadLetterStreamName(stream: string): string {
  return `${stream}-dlq`;
}

/** Dead letters are kept by limits (not work-queue) so an operator can inspect and replay them. */
export function deadLetterStreamConfig(stream: string): StreamSpec {
  return {
    name: deadLetterStreamName(stream),
    subjects: [`${DEAD_LETTER_SUBJECT_PREFIX}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  };
}

export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec): Promise<ProvisionResult<StreamInfo>> {
  try {
    const current = await infoOrUndefined(() => jsm.streams.info(spec.name), JetStreamApiCodes.StreamNotFound);
    // The client mutates the config it is given; pass copies.
    if (!current) return { action: ProvisionAction.Created, info: await jsm.streams.add({ ...spec }) };
    if (driftedKeys(spec, current.config).length === 0) return { action: ProvisionAction.Unchanged, info: current };
    return { action: ProvisionAction.Updated, info: await jsm.streams.update(spec.name, { ...spec }) };
  } catch (cause) {
    throw new ProvisionError(`stream ${spec.name}`, { cause });
  }
}

/** A durable pull consumer with explicit acks, whatever the spec says: the runtime's ack/nak/term needs it. */
export async function ensureConsumer(jsm: JetStreamManager, stream: string, spec: ConsumerSpec): Promise<ProvisionResult<ConsumerInfo>> {
  const wanted: Partial<ConsumerConfig> = { ...spec, ack_policy: AckPolicy.Explicit };
  try {
    const current = await infoOrUndefined(() => jsm.consumers.info(stream, spec.durable_name), JetStreamApiCodes.ConsumerNotFound);
    if (!current) return { action: ProvisionAction.Created, info: await jsm.consumers.add(stream, wanted) };
    const drift = driftedKeys(wanted, current.config);
    if (drift.length === 0) return { action: ProvisionAction.Unchanged, info: current };
    const changes = Object.fromEntries(drift.map((key) => [key, wanted[key]]));
    return { action: ProvisionAction.Updated, info: await jsm.consumers.update(stream, spec.durable_name, changes) };
  } catch (cause) {
    throw new ProvisionError(`consumer ${stream}/${spec.durable_name}`, { cause });
  }
}

async function infoOrUndefined<I>(info: () => Promise<I>, notFoundCode: number): Promise<I | undefined> {
  try {
    return await info();
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === notFoundCode) return undefined;
    throw err;
  }
}

/** Keys set in the spec whose value differs on the server; keys the spec leaves out keep the server's value. */
function driftedKeys<C extends object>(wanted: Partial<C>, actual: C): (keyof C)[] {
  return (Object.keys(wanted) as (keyof C)[]).filter((key) => wanted[key] !== undefined && !sameValue(wanted[key], actual[key]));
}

function sameValue(a: unknown, b: unknown): boolean {
  // Subject lists are sets: order is irrelevant to the server.
  if (Array.isArray(a) && Array.isArray(b)) return canonical([...a].sort()) === canonical([...b].sort());
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}
