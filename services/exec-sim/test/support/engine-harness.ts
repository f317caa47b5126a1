// A small driver for the execution engine in unit tests: a simulated clock, intent builders,
// instruments from the real catalog, and a contract check of every event the engine emits.
import { expect } from 'vitest';
import type { Instrument, OrderFilled, OrderIntent, OrderUpdated, PositionReconciled } from '../../../../generated/types.js';
import { validateOrderFilled, validateOrderUpdated, validatePositionReconciled } from '../../../../generated/validators.js';
import { loadInstrumentCatalog } from '../../../core/src/instruments/index.js';
import { type EngineConfig, parseEngineConfig } from '../../src/domain/config.js';
import { ExecutionEngine } from '../../src/domain/engine.js';
import type { EngineInput, EngineOutput, TradingState } from '../../src/domain/types.js';

export const catalog = loadInstrumentCatalog();

export const ESZ6: Instrument = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' };
export const MESZ6: Instrument = { symbol: 'MESZ6', assetClass: 'futures', venue: 'CME', root: 'MES', contractMonth: '2026-12' };
export const ES1: Instrument = { symbol: 'ES1!', assetClass: 'futures', venue: 'CME', root: 'ES', continuous: true };
export const EURUSD: Instrument = { symbol: 'EURUSD', assetClass: 'fx', venue: 'OANDA', baseCurrency: 'EUR', quoteCurrency: 'USD' };
export const USDJPY: Instrument = { symbol: 'USDJPY', assetClass: 'fx', venue: 'OANDA', baseCurrency: 'USD', quoteCurrency: 'JPY' };
export const BTCUSDT: Instrument = {
  symbol: 'BTCUSDT',
  assetClass: 'crypto',
  venue: 'BINANCE',
  baseCurrency: 'BTC',
  quoteCurrency: 'USDT',
};
export const BTCUSDT_PERP: Instrument = {
  symbol: 'BTCUSDT.P',
  assetClass: 'crypto',
  venue: 'BINANCE',
  baseCurrency: 'BTC',
  quoteCurrency: 'USDT',
};

export const START = Date.parse('2026-11-24T14:30:00.000Z');

/**
 * Hand-computable defaults: no slippage, no latency, no liquidity cap, loose risk limits.
 * `overrides` is laid over them like a config file.
 */
export function testConfig(overrides: unknown = {}): EngineConfig {
  const base = parseEngineConfig({
    seed: 42,
    fillModel: {
      slippage: { futures: { unit: 'ticks', max: 0 }, fx: { unit: 'bps', max: 0 }, crypto: { unit: 'bps', max: 0 } },
      latencyMs: { min: 0, max: 0 },
      liquidityPerEvent: { futures: null, fx: null, crypto: null },
    },
  });
  return parseEngineConfig(overrides, base);
}

export type IntentFields = Partial<OrderIntent> & Pick<OrderIntent, 'clientOrderId' | 'instrument' | 'side' | 'quantity'>;

export function makeIntent(fields: IntentFields): OrderIntent {
  return {
    strategyId: 'strat-a',
    agentId: 'agent-test',
    orderType: 'market',
    timeInForce: 'GTC',
    reduceOnly: false,
    createdAt: new Date(START).toISOString(),
    ...fields,
  };
}

export function orderUpdates(outputs: readonly EngineOutput[]): OrderUpdated[] {
  return outputs.flatMap((output) => (output.kind === 'order' ? [output.update] : []));
}

export function fillsOf(outputs: readonly EngineOutput[]): OrderFilled[] {
  return outputs.flatMap((output) => (output.kind === 'fill' ? [output.fill] : []));
}

/** `kind:status` or `kind:qty@px` per output: a compact picture of what happened. */
export function story(outputs: readonly EngineOutput[]): string[] {
  return outputs.map((output) =>
    output.kind === 'fill'
      ? `fill ${output.fill.clientOrderId} ${output.fill.side} ${output.fill.lastQty}@${output.fill.lastPx} ${output.fill.liquiditySide}`
      : `order ${output.update.clientOrderId} ${output.update.status}${output.update.reasonCode ? ` ${output.update.reasonCode}` : ''}`,
  );
}

export function expectContractValid(outputs: readonly EngineOutput[]): void {
  for (const output of outputs) {
    if (output.kind === 'order') expect(validateOrderUpdated(output.update)).toEqual({ ok: true, value: output.update });
    else expect(validateOrderFilled(output.fill)).toEqual({ ok: true, value: output.fill });
  }
}

export function expectReconciledValid(snapshots: readonly PositionReconciled[]): void {
  for (const snapshot of snapshots) expect(validatePositionReconciled(snapshot)).toEqual({ ok: true, value: snapshot });
}

/** Drives one engine with a clock that moves 100 ms per input unless told otherwise. */
export class Venue {
  now = START;
  readonly log: EngineOutput[] = [];
  readonly inputs: EngineInput[] = [];

  constructor(readonly engine: ExecutionEngine = new ExecutionEngine(testConfig(), catalog)) {}

  static with(overrides: unknown): Venue {
    return new Venue(new ExecutionEngine(testConfig(overrides), catalog));
  }

  get at(): string {
    return new Date(this.now).toISOString();
  }

  /** Applies an input at the current time, checks every output against its contract, then advances the clock. */
  apply(input: EngineInput, advanceMs = 100): EngineOutput[] {
    this.inputs.push(input);
    const outputs = this.engine.apply(input);
    expectContractValid(outputs);
    this.log.push(...outputs);
    this.now += advanceMs;
    return outputs;
  }

  send(fields: IntentFields, advanceMs?: number): EngineOutput[] {
    const intent = makeIntent(fields);
    return this.apply({ kind: 'intent', intent, eventId: `evt-${intent.clientOrderId}`, at: this.at }, advanceMs);
  }

  price(instrument: Instrument, price: number, advanceMs?: number): EngineOutput[] {
    return this.apply({ kind: 'price', instrument, price, at: this.at }, advanceMs);
  }

  cancel(clientOrderId: string): EngineOutput[] {
    return this.apply({ kind: 'cancel', clientOrderId, at: this.at });
  }

  sessionEnd(): EngineOutput[] {
    return this.apply({ kind: 'session-end', at: this.at });
  }

  tradingState(state: TradingState): EngineOutput[] {
    return this.apply({ kind: 'trading-state', state, at: this.at });
  }

  reconcile(): PositionReconciled[] {
    const snapshots = this.engine.reconcile(this.at);
    expectReconciledValid(snapshots);
    return snapshots;
  }

  /** The last OrderUpdated of every output so far for `clientOrderId`. */
  lastUpdate(clientOrderId: string): OrderUpdated | undefined {
    return orderUpdates(this.log)
      .filter((update) => update.clientOrderId === clientOrderId)
      .at(-1);
  }
}
