// What every step of the engine works on: the configuration, the catalog and the mutable state,
// plus small lookups over the state shared by the input handlers.
import type { Instrument } from '../../../../generated/types.js';
import type { InstrumentCatalog } from '../../../core/src/instruments/index.js';
import type { EngineConfig } from './config.js';
import { type RulesLookup, resolveInstrumentRules } from './instrument-rules.js';
import { type EngineState, type OrderRecord, positionKey, TradingState, WORKING_STATUSES } from './types.js';

export interface EngineContext {
  readonly config: EngineConfig;
  readonly catalog: InstrumentCatalog;
  state: EngineState;
  /** Derived from the catalog only, so it is not part of the state (nor of snapshots). */
  readonly rulesCache: Map<string, RulesLookup>;
}

export function emptyState(): EngineState {
  return {
    seq: 0,
    tradingState: TradingState.Active,
    orders: new Map(),
    book: [],
    fills: [],
    positions: new Map(),
    lastPrices: new Map(),
    rateWindows: new Map(),
  };
}

export function rulesFor(ctx: EngineContext, instrument: Instrument): RulesLookup {
  const cacheKey = `${instrument.assetClass}:${instrument.venue}:${instrument.symbol}`;
  const cached = ctx.rulesCache.get(cacheKey);
  if (cached) return cached;
  const lookup = resolveInstrumentRules(ctx.catalog, instrument);
  ctx.rulesCache.set(cacheKey, lookup);
  return lookup;
}

/** The strategy's signed position on the instrument (0 when it never traded it). */
export function positionOf(state: EngineState, strategyId: string, instrumentKey: string): number {
  return state.positions.get(positionKey(strategyId, instrumentKey))?.quantity ?? 0;
}

export function isWorking(order: OrderRecord): boolean {
  return WORKING_STATUSES.has(order.status);
}

/** The working orders of the book, in time priority (entries whose record is gone or finished are skipped). */
export function workingOrders(state: EngineState): OrderRecord[] {
  const orders: OrderRecord[] = [];
  for (const entry of state.book) {
    const order = state.orders.get(entry.clientOrderId);
    if (order && isWorking(order)) orders.push(order);
  }
  return orders;
}

/** The value under `key`, created and stored on first use. */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const created = create();
  map.set(key, created);
  return created;
}

export function removeFromBook(state: EngineState, clientOrderId: string): void {
  state.book = state.book.filter((entry) => entry.clientOrderId !== clientOrderId);
}
