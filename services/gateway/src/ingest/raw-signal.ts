// Turns an accepted HTTP request into the `signals.raw` event: the webhook exactly as received,
// with the idempotency key every later step derives its ids from.
import { createHash } from 'node:crypto';
import type { SignalRaw } from '../../../../generated/index.js';
import { deterministicId } from '../../../core/src/index.js';

export interface AcceptedWebhook {
  source: string;
  path: string;
  body: Buffer;
  contentType: string;
  headers: Record<string, string>;
  clientAddress: string;
  /** The sender's X-Idempotency-Key, already checked for shape. */
  idempotencyHeader: string | undefined;
  receivedAt: Date;
}

/** Request headers worth keeping with the signal (never credentials). */
export const KEPT_HEADERS = ['content-type', 'content-length', 'user-agent', 'x-forwarded-for', 'x-idempotency-key', 'x-request-id'];

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** The sender's key when it gave one, else source + body hash: a re-sent webhook gets the same key. */
export function idempotencyKeyOf(source: string, header: string | undefined, body: Buffer): string {
  if (header !== undefined) return `${source}:key:${header}`;
  return `${source}:sha256:${createHash('sha256').update(body).digest('hex')}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBody(body: Buffer): { text: string; encoding: 'utf8' | 'base64' } {
  try {
    return { text: utf8.decode(body), encoding: 'utf8' };
  } catch {
    return { text: body.toString('base64'), encoding: 'base64' };
  }
}

export function buildRawSignal(webhook: AcceptedWebhook): SignalRaw {
  const idempotencyKey = idempotencyKeyOf(webhook.source, webhook.idempotencyHeader, webhook.body);
  const { text, encoding } = decodeBody(webhook.body);
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = webhook.headers[name];
    if (value !== undefined) headers[name] = value.slice(0, 1024);
  }
  return {
    rawSignalId: deterministicId('signals.raw', idempotencyKey),
    idempotencyKey,
    source: webhook.source,
    receivedAt: webhook.receivedAt.toISOString(),
    contentType: webhook.contentType || 'application/octet-stream',
    body: text,
    bodyEncoding: encoding,
    headers,
    clientAddress: webhook.clientAddress,
    path: webhook.path,
  };
}
