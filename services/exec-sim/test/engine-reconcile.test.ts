import { describe, expect, it } from 'vitest';
import { ExecutionEngine } from '../src/domain/engine.js';
import type { EngineSnapshot } from '../src/domain/snapshot.js';
import { catalog, ESZ6, EURUSD, expectReconciledValid, testConfig, Venue } from './support/engine-harness.js';

const AS_OF = '2026-11-24T16:00:00.000Z';

/** ES: long 2 @ 6000.25, then sell 3 @ 6010.50 (short 1), a working buy limit, and a flat EURUSD round trip. */
function tradedVenue(): Venue {
  const venue = new Venue();
  venue.price(ESZ6, 6000.25);
  venue.send({ clientOrderId: 'es-buy', instrument: ESZ6, side: 'buy', quantity: 2 });
  venue.price(ESZ6, 6010.5);
  venue.send({ clientOrderId: 'es-sell', instrument: ESZ6, side: 'sell', quantity: 3 });
  venue.send({ clientOrderId: 'es-bid', instrument: ESZ6, side: 'buy', quantity: 1, orderType: 'limit', limitPrice: 6000 });
  venue.price(EURUSD, 1.085);
  venue.send({ clientOrderId: 'eu-in', instrument: EURUSD, side: 'buy', quantity: 100_000, strategyId: 'strat-fx' });
  venue.send({ clientOrderId: 'eu-out', instrument: EURUSD, side: 'sell', quantity: 100_000, strategyId: 'strat-fx' });
  return venue;
}

function tampered(venue: Venue, edit: (snapshot: EngineSnapshot) => void): ExecutionEngine {
  const snapshot = JSON.parse(JSON.stringify(venue.engine.snapshot())) as EngineSnapshot;
  edit(snapshot);
  return ExecutionEngine.restore(snapshot, testConfig(), catalog);
}

function reconciled(engine: ExecutionEngine) {
  const snapshots = engine.reconcile(AS_OF);
  expectReconciledValid(snapshots);
  return snapshots;
}

describe('reconcile', () => {
  it('reports each strategy × instrument with position, PnL and open orders; no discrepancies when all agree', () => {
    const snapshots = reconciled(tradedVenue().engine);
    expect(snapshots.map((s) => [s.strategyId, s.instrument.symbol])).toEqual([
      ['strat-a', 'ESZ6'],
      ['strat-fx', 'EURUSD'],
    ]);
    const [es, fx] = snapshots;
    expect(es).toMatchObject({
      positionQty: -1,
      avgPx: 6010.5,
      realizedPnl: { amount: 1013.75, currency: 'USD' },
      unrealizedPnl: { amount: 0, currency: 'USD' },
      openOrders: [{ clientOrderId: 'es-bid', side: 'buy', orderType: 'limit', quantity: 1, leavesQty: 1, limitPrice: 6000 }],
      discrepancies: [],
      asOf: AS_OF,
    });
    expect(fx).toMatchObject({ positionQty: 0, openOrders: [], discrepancies: [] });
    expect(fx?.avgPx).toBeUndefined();
  });

  it('gives deterministic snapshot ids: the same for the same state and time, new for a new run', () => {
    const venue = tradedVenue();
    const first = reconciled(venue.engine).map((s) => s.snapshotId);
    expect(reconciled(tradedVenue().engine).map((s) => s.snapshotId)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    expect(venue.engine.reconcile('2026-11-24T16:01:00.000Z').map((s) => s.snapshotId)).not.toEqual(first);
    venue.price(ESZ6, 6001);
    expect(venue.engine.reconcile(AS_OF).map((s) => s.snapshotId)).not.toEqual(first);
  });

  it('position_mismatch: the book position differs from the replayed fills', () => {
    const engine = tampered(tradedVenue(), (snapshot) => {
      const es = snapshot.positions.find((p) => p.instrument.symbol === 'ESZ6');
      if (es) es.quantity = 5;
    });
    const [es] = reconciled(engine);
    expect(es?.positionQty).toBe(5);
    expect(es?.discrepancies).toEqual([
      { kind: 'position_mismatch', detail: 'The ESZ6 position is 5 on the book but the fills add up to -1.', expected: -1, actual: 5 },
    ]);
  });

  it('position_mismatch: same quantity, different average price', () => {
    const engine = tampered(tradedVenue(), (snapshot) => {
      const es = snapshot.positions.find((p) => p.instrument.symbol === 'ESZ6');
      if (es) es.avgPx = 6020;
    });
    expect(reconciled(engine)[0]?.discrepancies.map((d) => d.kind)).toEqual(['position_mismatch']);
  });

  it('unexpected_fill: a fill whose order is unknown', () => {
    const engine = tampered(tradedVenue(), (snapshot) => {
      const [fill] = snapshot.fills;
      if (fill) snapshot.fills.push({ ...fill, tradeId: 'SIM-T-ghost-1', clientOrderId: 'ghost-order' });
    });
    const discrepancies = reconciled(engine)[0]?.discrepancies ?? [];
    expect(discrepancies.map((d) => [d.kind, d.clientOrderId])).toEqual([
      ['unexpected_fill', 'ghost-order'],
      ['position_mismatch', undefined],
    ]);
  });

  it('duplicate_fill: one trade recorded twice is counted once', () => {
    const engine = tampered(tradedVenue(), (snapshot) => {
      const [fill] = snapshot.fills;
      if (fill) snapshot.fills.push({ ...fill });
    });
    expect(reconciled(engine)[0]?.discrepancies).toEqual([
      expect.objectContaining({ kind: 'duplicate_fill', clientOrderId: 'es-buy', expected: 2, actual: 4 }),
    ]);
  });

  it('missing_fill: an order filled for more than its fills', () => {
    const engine = tampered(tradedVenue(), (snapshot) => {
      const order = snapshot.orders.find((o) => o.intent.clientOrderId === 'es-sell');
      if (order) order.filledQty = 4;
    });
    expect(reconciled(engine)[0]?.discrepancies).toEqual([
      expect.objectContaining({ kind: 'missing_fill', clientOrderId: 'es-sell', expected: 4, actual: 3 }),
    ]);
  });

  it('orphan_order: a book entry whose order is finished or unknown', () => {
    const engine = tampered(tradedVenue(), (snapshot) => {
      const es = snapshot.book[0];
      if (!es) return;
      snapshot.book.push({ ...es, clientOrderId: 'es-buy' }, { ...es, clientOrderId: 'lost-intent' });
    });
    const [es] = reconciled(engine);
    expect(es?.openOrders.map((o) => o.clientOrderId)).toEqual(['es-bid']);
    expect(es?.discrepancies.map((d) => [d.kind, d.clientOrderId])).toEqual([
      ['orphan_order', 'es-buy'],
      ['orphan_order', 'lost-intent'],
    ]);
  });

  it('orphan_order: a reduce-only stop still working after the position is gone', () => {
    const venue = new Venue();
    venue.price(ESZ6, 6000);
    venue.send({ clientOrderId: 'long', instrument: ESZ6, side: 'buy', quantity: 1 });
    venue.send({
      clientOrderId: 'stop',
      instrument: ESZ6,
      side: 'sell',
      quantity: 1,
      orderType: 'stop',
      stopPrice: 5990,
      reduceOnly: true,
    });
    expect(venue.reconcile()[0]?.discrepancies).toEqual([]);
    venue.send({ clientOrderId: 'exit', instrument: ESZ6, side: 'sell', quantity: 1 });
    const [es] = venue.reconcile();
    expect(es).toMatchObject({ positionQty: 0, openOrders: [{ clientOrderId: 'stop', stopPrice: 5990 }] });
    expect(es?.discrepancies).toEqual([expect.objectContaining({ kind: 'orphan_order', clientOrderId: 'stop', expected: 0, actual: 1 })]);
  });
});
