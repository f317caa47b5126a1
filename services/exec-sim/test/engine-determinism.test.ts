import { describe, expect, it } from 'vitest';
import { ExecutionEngine } from '../src/domain/engine.js';
import { EngineInputError, EngineSnapshotError } from '../src/domain/errors.js';
import type { EngineSnapshot } from '../src/domain/snapshot.js';
import type { EngineInput, EngineOutput } from '../src/domain/types.js';
import {
  BTCUSDT,
  catalog,
  ESZ6,
  EURUSD,
  expectContractValid,
  fillsOf,
  type IntentFields,
  makeIntent,
  orderUpdates,
  START,
  testConfig,
} from './support/engine-harness.js';

/** Slippage, latency and liquidity caps all on, so every random stream matters. */
const noisy = (seed: number) =>
  testConfig({
    seed,
    fillModel: {
      slippage: { futures: { unit: 'ticks', max: 3 }, fx: { unit: 'bps', max: 1 }, crypto: { unit: 'bps', max: 5 } },
      latencyMs: { min: 3, max: 40 },
      liquidityPerEvent: { futures: 4, fx: 2_000_000, crypto: 0.5 },
    },
  });

/** A day of mixed activity over three asset classes. */
function scenario(): EngineInput[] {
  const inputs: EngineInput[] = [];
  let now = START;
  const at = () => {
    now += 137;
    return new Date(now).toISOString();
  };
  const intent = (fields: IntentFields) =>
    inputs.push({ kind: 'intent', intent: makeIntent(fields), eventId: `evt-${fields.clientOrderId}`, at: at() });
  const price = (instrument: typeof ESZ6, value: number) => inputs.push({ kind: 'price', instrument, price: value, at: at() });
  price(ESZ6, 6000);
  price(EURUSD, 1.085);
  price(BTCUSDT, 60_000);
  intent({ clientOrderId: 'es-1', instrument: ESZ6, side: 'buy', quantity: 6 });
  intent({ clientOrderId: 'es-2', instrument: ESZ6, side: 'sell', quantity: 2, orderType: 'limit', limitPrice: 6010, timeInForce: 'DAY' });
  intent({ clientOrderId: 'es-3', instrument: ESZ6, side: 'sell', quantity: 3, orderType: 'stop', stopPrice: 5990, reduceOnly: true });
  intent({ clientOrderId: 'fx-1', instrument: EURUSD, side: 'buy', quantity: 3_000_000, timeInForce: 'IOC' });
  intent({ clientOrderId: 'btc-1', instrument: BTCUSDT, side: 'sell', quantity: 1.2, orderType: 'limit', limitPrice: 60_100 });
  intent({ clientOrderId: 'btc-2', instrument: BTCUSDT, side: 'buy', quantity: 0.7 });
  for (const [i, px] of [6004, 6011, 6012.5, 5995, 5989].entries()) {
    price(ESZ6, px);
    price(BTCUSDT, 60_000 + i * 40);
    price(EURUSD, 1.085 + i * 0.0002);
  }
  intent({ clientOrderId: 'es-1', instrument: ESZ6, side: 'buy', quantity: 6 });
  inputs.push({ kind: 'cancel', clientOrderId: 'btc-1', at: at() });
  inputs.push({ kind: 'session-end', at: at() });
  return inputs;
}

function run(engine: ExecutionEngine, inputs: readonly EngineInput[]): EngineOutput[] {
  return inputs.flatMap((input) => engine.apply(input));
}

describe('determinism', () => {
  it('the same seed and inputs give byte-identical outputs, ids and reconciliations', () => {
    const a = new ExecutionEngine(noisy(7), catalog);
    const b = new ExecutionEngine(noisy(7), catalog);
    const outputsA = run(a, scenario());
    const outputsB = run(b, scenario());
    expectContractValid(outputsA);
    expect(fillsOf(outputsA).length).toBeGreaterThan(8);
    expect(JSON.stringify(outputsB)).toBe(JSON.stringify(outputsA));
    expect(JSON.stringify(b.reconcile('2026-11-24T21:00:00.000Z'))).toBe(JSON.stringify(a.reconcile('2026-11-24T21:00:00.000Z')));
    expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(a.snapshot()));
  });

  it('a different seed draws different slippage and latency', () => {
    const prices = (seed: number) =>
      fillsOf(run(new ExecutionEngine(noisy(seed), catalog), scenario())).map((f) => `${f.lastPx}@${f.eventTime}`);
    expect(prices(8)).not.toEqual(prices(7));
  });

  it('ids are derived from the client order id, not from a counter', () => {
    const outputs = run(new ExecutionEngine(noisy(7), catalog), scenario());
    const fill = fillsOf(outputs).find((f) => f.clientOrderId === 'es-1');
    expect(fill?.venueOrderId).toMatch(/^SIM-CME-[0-9a-f]{16}$/);
    expect(fill?.tradeId).toMatch(/^SIM-T-[0-9a-f]{16}-1$/);
    const alone = new ExecutionEngine(noisy(99), catalog);
    alone.apply({ kind: 'price', instrument: ESZ6, price: 6000, at: new Date(START).toISOString() });
    const [, solo] = alone.apply({
      kind: 'intent',
      intent: makeIntent({ clientOrderId: 'es-1', instrument: ESZ6, side: 'buy', quantity: 1 }),
      eventId: 'evt-other',
      at: new Date(START).toISOString(),
    });
    expect(solo?.kind === 'fill' && solo.fill.tradeId).toBe(fill?.tradeId);
  });

  it('eventTime = input time + a latency in [min, max], and never goes back for one order', () => {
    const inputs = scenario();
    const engine = new ExecutionEngine(noisy(7), catalog);
    const lastByOrder = new Map<string, string>();
    for (const input of inputs) {
      for (const output of engine.apply(input)) {
        const event = output.kind === 'fill' ? output.fill : output.update;
        const delay = Date.parse(event.eventTime) - Date.parse(input.at);
        expect(delay).toBeGreaterThanOrEqual(3);
        expect(event.eventTime >= (lastByOrder.get(event.clientOrderId) ?? '')).toBe(true);
        lastByOrder.set(event.clientOrderId, event.eventTime);
        if (output.kind === 'order' && output.update.status === 'accepted') expect(delay).toBeLessThanOrEqual(40);
      }
    }
  });
});

describe('snapshot and restore', () => {
  it('restore(snapshot()).apply(x) equals apply(x) on the original, through a JSON round trip', () => {
    const inputs = scenario();
    const half = Math.floor(inputs.length / 2);
    const original = new ExecutionEngine(noisy(7), catalog);
    run(original, inputs.slice(0, half));
    const saved = JSON.parse(JSON.stringify(original.snapshot())) as EngineSnapshot;
    const restored = ExecutionEngine.restore(saved, noisy(7), catalog);
    for (const input of inputs.slice(half)) {
      expect(JSON.stringify(restored.apply(input))).toBe(JSON.stringify(original.apply(input)));
    }
    expect(restored.snapshot()).toEqual(original.snapshot());
    expect(restored.orders()).toEqual(original.orders());
    expect(restored.pnl()).toEqual(original.pnl());
  });

  it('a restored engine ends where an uninterrupted one does', () => {
    const inputs = scenario();
    const straight = new ExecutionEngine(noisy(7), catalog);
    const straightOutputs = run(straight, inputs);
    const first = new ExecutionEngine(noisy(7), catalog);
    const before = run(first, inputs.slice(0, 10));
    const after = run(ExecutionEngine.restore(first.snapshot(), noisy(7), catalog), inputs.slice(10));
    expect(JSON.stringify([...before, ...after])).toBe(JSON.stringify(straightOutputs));
  });

  it('a snapshot is plain JSON', () => {
    const engine = new ExecutionEngine(noisy(7), catalog);
    run(engine, scenario());
    const snapshot = engine.snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toMatchObject({ format: 'exec-sim.engine', version: 1 });
  });

  it('refuses a snapshot it did not write', () => {
    const foreign = { ...new ExecutionEngine(noisy(7), catalog).snapshot(), version: 2 } as unknown as EngineSnapshot;
    expect(() => ExecutionEngine.restore(foreign, noisy(7), catalog)).toThrow(EngineSnapshotError);
  });
});

describe('malformed inputs', () => {
  it('throw EngineInputError and change nothing', () => {
    const engine = new ExecutionEngine(noisy(7), catalog);
    run(engine, scenario().slice(0, 6));
    const before = JSON.stringify(engine.snapshot());
    expect(() => engine.apply({ kind: 'session-end', at: 'yesterday' })).toThrow(EngineInputError);
    expect(() => engine.apply({ kind: 'price', instrument: ESZ6, price: Number.NaN, at: new Date(START).toISOString() })).toThrow(
      EngineInputError,
    );
    expect(() => engine.reconcile('not a time')).toThrow(EngineInputError);
    expect(JSON.stringify(engine.snapshot())).toBe(before);
  });

  it('an order update repeats the intent (agentId, causationId from the event id)', () => {
    const engine = new ExecutionEngine(noisy(7), catalog);
    const [update] = orderUpdates(
      engine.apply({
        kind: 'intent',
        intent: makeIntent({ clientOrderId: 'echo', instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 5000 }),
        eventId: 'ce-id-of-the-intent',
        at: new Date(START).toISOString(),
      }),
    );
    expect(update).toMatchObject({
      agentId: 'agent-test',
      causationId: 'ce-id-of-the-intent',
      limitPrice: 5000,
      reduceOnly: false,
      timeInForce: 'GTC',
    });
  });
});
