// Copies a message that cannot be processed to dlq.<subject>, body unchanged, with why and where it came from.
import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { ValidationIssue } from '../validation.js';
import { DeadLetterError } from './errors.js';
import { EventHeader } from './headers.js';
import { DEAD_LETTER_SUBJECT_PREFIX } from './streams.js';

export const DeadLetterReason = {
  InvalidHeaders: 'invalid_headers',
  UnknownMajorVersion: 'unknown_major_version',
  UnexpectedSubject: 'unexpected_subject',
  Undecodable: 'undecodable',
  ValidationFailed: 'validation_failed',
  HandlerRejected: 'handler_rejected',
  MaxDeliveries: 'max_deliveries',
} as const;
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

export const DeadLetterHeader = {
  Reason: 'dlq-reason',
  Errors: 'dlq-errors',
  OriginalSubject: 'dlq-original-subject',
  Stream: 'dlq-stream',
  StreamSeq: 'dlq-stream-seq',
  Consumer: 'dlq-consumer',
  Time: 'dlq-time',
} as const;

// Keeps the header well under the server's max payload even for a huge array that fails item by item.
const MAX_ISSUES = 50;

export interface DeadLetterInput {
  msg: JsMsg;
  reason: DeadLetterReason;
  issues?: readonly ValidationIssue[];
}

export function deadLetterSubject(subject: string): string {
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${subject}`;
}

export async function deadLetter(js: JetStreamClient, { msg, reason, issues = [] }: DeadLetterInput): Promise<PubAck> {
  const { stream, streamSequence, consumer } = msg.info;
  // Stream + sequence identify the stored message: dead-lettering it again (after a crash) is de-duplicated.
  const msgID = `dlq-${stream}-${streamSequence}`;
  const h = copyEventHeaders(msg.headers);
  h.set(EventHeader.MsgId, msgID);
  h.set(DeadLetterHeader.Reason, reason);
  h.set(DeadLetterHeader.Errors, JSON.stringify(issues.slice(0, MAX_ISSUES)));
  h.set(DeadLetterHeader.OriginalSubject, msg.subject);
  h.set(DeadLetterHeader.Stream, stream);
  h.set(DeadLetterHeader.StreamSeq, String(streamSequence));
  h.set(DeadLetterHeader.Consumer, consumer);
  h.set(DeadLetterHeader.Time, new Date().toISOString());
  try {
    return await js.publish(deadLetterSubject(msg.subject), msg.data, { msgID, headers: h });
  } catch (cause) {
    throw new DeadLetterError(msg.subject, { cause });
  }
}

/** The original headers minus server directives (Nats-Expected-*, Nats-Rollup, ...) that would misfire on the DLQ. */
function copyEventHeaders(original: MsgHdrs | undefined): MsgHdrs {
  const copy = createHeaders();
  for (const [key, values] of original ?? []) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of values) copy.append(key, value);
  }
  return copy;
}
