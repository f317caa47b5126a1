// TradingView webhook -> `signals.normalized` payload. Pure: the same input and catalog always
// give the same signal (or the same reason), so a redelivered or replayed raw signal normalizes
// to the same event id and JetStream drops the duplicate.
//
// Field rules (each step lives in its own module):
//   instrument   ticker + exchange through the instrument catalog (ticker.ts)
//   action/side  action words and the strategy-position inference (signal-action.ts)
//   quantity     contracts/qty/size/quantity, > 0
//   price        the strategy's order price, else `price`, else `close`
//   order hint   order-hint.ts (market unless a limit or stop price is given)
//   interval     normalized to the contract's notation (timing.ts)
//   eventTime    timenow, else time, else receivedAt (timing.ts)
//   signalId     UUID v5 layout (SHA-1) of "signals.normalized" + idempotencyKey, from core's
//                deterministicId, the same derivation as the raw signal's id.
// Every output is checked against the contract before it is returned: a normalization bug
// becomes a reason, never an invalid event.
// Core's leaf modules, not its index: the index also brings the NATS runtime and Hono.

import type { SignalNormalized, SignalStrategy } from '../../../../generated/types.js';
import { validateSignalNormalized } from '../../../../generated/validators.js';
import { deterministicId } from '../../../core/src/ids.js';
import type { InstrumentCatalog } from '../../../core/src/instruments/index.js';
import { formatIssues } from '../../../core/src/validation.js';
import { resolveOrderHint } from './order-hint.js';
import { resolveSignalAction } from './signal-action.js';
import { readStrategyState, type StrategyState } from './strategy-state.js';
import { parseTradingViewTicker } from './ticker.js';
import { normalizeInterval, parseEventTime, type TimingRead } from './timing.js';
import { parseTradingViewAlert, type TradingViewFields } from './tradingview.js';

export interface TradingViewWebhookInput {
  rawSignalId: string;
  idempotencyKey: string;
  /** Lower-case source name from the route (`tradingview`). */
  source: string;
  /** RFC 3339 receipt time (the raw signal's `receivedAt`). */
  receivedAt: string;
  /** The raw signal's body. */
  body: string;
  /** The raw signal's `bodyEncoding`; a base64 body (bytes that were not UTF-8) is not an alert. */
  bodyEncoding?: 'utf8' | 'base64';
  contentType: string;
}

export type NormalizeResult = { ok: true; signal: SignalNormalized } | { ok: false; reason: string };

/** Contract limits of SignalStrategy's free-text fields; longer text is cut, not refused (it is commentary). */
const TEXT_LIMITS = { orderId: 256, comment: 1024, alertMessage: 4000 } as const;

export function normalizeTradingView(input: TradingViewWebhookInput, catalog: InstrumentCatalog): NormalizeResult {
  if (input.bodyEncoding === 'base64') return { ok: false, reason: 'the body is not UTF-8 text' };
  const parsed = parseTradingViewAlert(input.body, input.contentType);
  if (!parsed.ok) return parsed;
  const fields = parsed.fields;
  if (fields.ticker === undefined) return { ok: false, reason: 'missing ticker (send "ticker": "{{ticker}}")' };
  const received = new Date(input.receivedAt);
  if (Number.isNaN(received.getTime())) return { ok: false, reason: `receivedAt "${input.receivedAt}" is not a timestamp` };

  const instrument = parseTradingViewTicker(fields.ticker, fields.exchange, catalog, received);
  if (!instrument.ok) return instrument;
  const state = readStrategyState(fields);
  if (!state.ok) return state;
  const action = resolveSignalAction({ action: fields.action, side: fields.side, quantity: fields.quantity, state: state.state });
  if (!action.ok) return action;
  const price = fields.orderPrice ?? fields.price ?? fields.close;
  const order = resolveOrderHint({ orderType: fields.orderType, limitPrice: fields.limitPrice, stopPrice: fields.stopPrice, price });
  if (!order.ok) return order;
  const interval = fields.interval === undefined ? undefined : normalizeInterval(fields.interval);
  if (interval && !interval.ok) return interval;
  const eventTime = eventTimeOf(fields, input.receivedAt);
  if (!eventTime.ok) return eventTime;

  const strategy = strategyOf(fields, state.state);
  const signal: SignalNormalized = {
    signalId: deterministicId('signals.normalized', input.idempotencyKey),
    rawSignalId: input.rawSignalId,
    idempotencyKey: input.idempotencyKey,
    source: input.source,
    instrument: instrument.instrument,
    action: action.action,
    ...(action.side !== undefined && { side: action.side }),
    ...(fields.quantity !== undefined && { quantity: fields.quantity }),
    ...(price !== undefined && { price }),
    ...order.hint,
    ...(interval && { interval: interval.value }),
    ...(strategy && { strategy }),
    eventTime: eventTime.value,
    receivedAt: input.receivedAt,
  };
  const checked = validateSignalNormalized(signal);
  return checked.ok
    ? { ok: true, signal }
    : { ok: false, reason: `the normalized signal breaks the contract: ${formatIssues(checked.issues)}` };
}

function eventTimeOf(fields: TradingViewFields, receivedAt: string): TimingRead {
  if (fields.timenow !== undefined) return parseEventTime('timenow', fields.timenow);
  if (fields.time !== undefined) return parseEventTime('time', fields.time);
  return { ok: true, value: receivedAt };
}

function strategyOf(fields: TradingViewFields, state: StrategyState): SignalStrategy | undefined {
  const strategy: SignalStrategy = {
    ...(state.marketPosition !== undefined && { marketPosition: state.marketPosition }),
    ...(state.positionSize !== undefined && { positionSize: state.positionSize }),
    ...(fields.orderId !== undefined && { orderId: fields.orderId.slice(0, TEXT_LIMITS.orderId) }),
    ...(fields.comment !== undefined && { comment: fields.comment.slice(0, TEXT_LIMITS.comment) }),
    ...(fields.alertMessage !== undefined && { alertMessage: fields.alertMessage.slice(0, TEXT_LIMITS.alertMessage) }),
  };
  return Object.keys(strategy).length > 0 ? strategy : undefined;
}
