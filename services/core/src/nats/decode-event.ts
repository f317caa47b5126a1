// Decides what a delivered message is: a valid event under one of the accepted contracts, or a dead letter and why.
import type { MsgHdrs } from '@nats-io/transport-node';
import type { ValidationIssue } from '../validation.js';
import { type EventContract, majorVersion } from './contract.js';
import { DeadLetterReason } from './dead-letter.js';
import { EventHeader, type EventMeta, headersRecord, parseEventHeaders } from './headers.js';

export interface DeliveredMessage {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
}

export type DecodedEvent<T> =
  | { ok: true; payload: T; meta: EventMeta; contract: EventContract<T> }
  | { ok: false; reason: DeadLetterReason; issues: ValidationIssue[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeEvent<T>(msg: DeliveredMessage, contracts: ReadonlyMap<number, EventContract<T>>): DecodedEvent<T> {
  const parsed = parseEventHeaders(msg.headers);
  if (!parsed.ok) return { ok: false, reason: DeadLetterReason.InvalidHeaders, issues: parsed.issues };
  const meta = parsed.value;

  const major = majorVersion(meta.schemaVersion);
  const contract = major === undefined ? undefined : contracts.get(major);
  if (!contract) {
    const accepted = [...contracts.values()].map((c) => c.version).join(', ');
    return reject(
      DeadLetterReason.UnknownMajorVersion,
      `/headers/${EventHeader.SchemaVersion}`,
      'enum',
      `schema version ${meta.schemaVersion} has no accepted major (accepted: ${accepted})`,
    );
  }
  if (msg.subject !== contract.subject) {
    return reject(DeadLetterReason.UnexpectedSubject, '', 'const', `subject ${msg.subject} is not ${contract.subject}`);
  }
  if (meta.subject !== msg.subject) {
    return reject(
      DeadLetterReason.InvalidHeaders,
      `/headers/${EventHeader.Type}`,
      'const',
      `${EventHeader.Type} ${meta.subject} does not match the subject ${msg.subject}`,
    );
  }
  const checkedHeaders = contract.validateHeaders?.(headersRecord(msg.headers));
  if (checkedHeaders && !checkedHeaders.ok) {
    const issues = checkedHeaders.issues.map((issue) => ({ ...issue, path: `/headers${issue.path}` }));
    return { ok: false, reason: DeadLetterReason.InvalidHeaders, issues };
  }

  let data: unknown;
  try {
    data = JSON.parse(utf8.decode(msg.data));
  } catch (err) {
    return reject(DeadLetterReason.Undecodable, '', 'json', `body is not UTF-8 JSON: ${(err as Error).message}`);
  }
  const checked = contract.validate(data);
  if (!checked.ok) return { ok: false, reason: DeadLetterReason.ValidationFailed, issues: checked.issues };
  return { ok: true, payload: checked.value, meta, contract };
}

function reject(reason: DeadLetterReason, path: string, keyword: string, message: string): DecodedEvent<never> {
  return { ok: false, reason, issues: [{ path, keyword, message }] };
}
