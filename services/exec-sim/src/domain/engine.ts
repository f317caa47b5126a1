// The simulated execution venue's deterministic core. No I/O, no clock, no Math.random: the
// outputs are a function of the configuration (seed included), the catalog and the inputs, in
// order. The same inputs in the same order give byte-identical outputs, ids included, and an
// engine restored from a snapshot continues exactly as the original would have.
//
//   apply(input)   intent | price | cancel | trading-state | session-end -> what happened, in order
//   queries        orders(), fills(), positions(), pnl(), tradingState; reconcile(at)
//   persistence    snapshot() / ExecutionEngine.restore(snapshot, config, catalog); restore with
//                  the same config (seed included) to continue exactly
//
// Where each choice is documented:
//   risk.ts               the order of the checks and what each reason code covers
//   validation.ts         lot and tick: off-grid quantities and prices are rejected, not rounded
//   matching.ts           triggers, crossing, taker vs maker, IOC/FOK, reduce-only cuts
//   fill-model.ts         slippage, spread, rounding of fill prices, latency, liquidity cap
//   instrument-rules.ts   fees per asset class (fx: the spread, no commission)
//   positions.ts          netting, flips, realized PnL net of commissions
//   venue-events.ts       HALTED freezes the book; cancel of an unknown/finished order: no output
//   intake.ts             duplicates; orders accepted with no last price
//   reconcile.ts          the discrepancy kinds
// Every order received is kept (rejected ones too) so a clientOrderId is never reused.
import type { OrderFilled, PositionReconciled } from '../../../../generated/types.js';
import { validateOrderIntent } from '../../../../generated/validators.js';
import type { InstrumentCatalog } from '../../../core/src/instruments/index.js';
import { formatIssues } from '../../../core/src/validation.js';
import { type EngineConfig, engineConfigSchema } from './config.js';
import { type EngineContext, emptyState } from './context.js';
import { EngineConfigError, EngineInputError } from './errors.js';
import { handleIntent } from './intake.js';
import { parseTime } from './numeric.js';
import { toOrderView } from './order-events.js';
import { pnlReport } from './pnl.js';
import { toPositionView } from './positions.js';
import { reconcile } from './reconcile.js';
import { type EngineSnapshot, fromSnapshot, toSnapshot } from './snapshot.js';
import type { EngineInput, EngineOutput, OrderView, PnlReport, PositionView, TradingState } from './types.js';
import { handleCancel, handlePrice, handleSessionEnd } from './venue-events.js';

export class ExecutionEngine {
  readonly #ctx: EngineContext;

  /** Throws EngineConfigError when `config` does not match the schema (use parseEngineConfig to build one). */
  constructor(config: EngineConfig, catalog: InstrumentCatalog) {
    const checked = engineConfigSchema.safeParse(config);
    if (!checked.success) {
      throw new EngineConfigError(
        checked.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      );
    }
    this.#ctx = { config: checked.data, catalog, state: emptyState(), rulesCache: new Map() };
  }

  /** An engine that continues from `snapshot`; throws EngineSnapshotError on a foreign snapshot. */
  static restore(snapshot: EngineSnapshot, config: EngineConfig, catalog: InstrumentCatalog): ExecutionEngine {
    const engine = new ExecutionEngine(config, catalog);
    engine.#ctx.state = fromSnapshot(snapshot);
    return engine;
  }

  /** Applies one input; throws EngineInputError on a malformed input (an unparsable time, a NaN price). */
  apply(input: EngineInput): EngineOutput[] {
    const atMs = checkInput(input);
    const ctx = this.#ctx;
    ctx.state.seq += 1;
    switch (input.kind) {
      case 'intent':
        return handleIntent(ctx, input.intent, input.eventId, atMs);
      case 'price':
        return handlePrice(ctx, input.instrument, input.price, atMs);
      case 'cancel':
        return handleCancel(ctx, input.clientOrderId, atMs);
      case 'session-end':
        return handleSessionEnd(ctx, atMs);
      case 'trading-state':
        ctx.state.tradingState = input.state;
        return [];
    }
  }

  get tradingState(): TradingState {
    return this.#ctx.state.tradingState;
  }

  /** Every order received (rejected ones included), in arrival order. */
  orders(): OrderView[] {
    return [...this.#ctx.state.orders.values()].map(toOrderView);
  }

  order(clientOrderId: string): OrderView | undefined {
    const order = this.#ctx.state.orders.get(clientOrderId);
    return order && toOrderView(order);
  }

  /** The fill log, in execution order. */
  fills(): OrderFilled[] {
    return structuredClone(this.#ctx.state.fills);
  }

  /** Every strategy × instrument that traded, flat ones included, marked at the last price. */
  positions(): PositionView[] {
    const { state } = this.#ctx;
    return [...state.positions.values()]
      .map((position) => toPositionView(position, state.lastPrices.get(position.instrumentKey)))
      .sort((a, b) => compareKeys(a, b));
  }

  pnl(): PnlReport {
    return pnlReport(this.positions());
  }

  /** One PositionReconciled per strategy × instrument, with the discrepancies found (reconcile.ts). */
  reconcile(at: string): PositionReconciled[] {
    parseTime(at, 'asOf');
    return reconcile(this.#ctx, at);
  }

  snapshot(): EngineSnapshot {
    return toSnapshot(this.#ctx.state);
  }
}

/**
 * Malformed inputs throw before anything changes, so a refused input leaves no trace. An intent
 * must meet its own contract (decisions.order_intent): the engine answers every intent with an
 * OrderUpdated that repeats its fields, and could not answer one that breaks it (a quantity of 0,
 * a clientOrderId of 40 characters) with a valid event. Consumers validate on receipt, so this
 * only catches a caller's bug.
 */
function checkInput(input: EngineInput): number {
  const atMs = parseTime(input.at);
  if (input.kind === 'price' && !Number.isFinite(input.price)) {
    throw new EngineInputError(`price ${input.price} of ${input.instrument.symbol} is not a finite number`);
  }
  if (input.kind === 'intent') {
    const checked = validateOrderIntent(input.intent);
    if (!checked.ok) throw new EngineInputError(`the intent breaks the decisions.order_intent contract: ${formatIssues(checked.issues)}`);
    if (input.eventId.length < 1 || input.eventId.length > 128) throw new EngineInputError('eventId must be 1 to 128 characters');
  }
  return atMs;
}

/** Strategy, then venue and symbol: a stable, readable order. */
function compareKeys(a: PositionView, b: PositionView): number {
  const left = `${a.strategyId}\u0000${a.instrument.venue}:${a.instrument.symbol}`;
  const right = `${b.strategyId}\u0000${b.instrument.venue}:${b.instrument.symbol}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
