// Netting positions: one signed quantity per strategy and instrument, its average entry price,
// and the PnL realized by the quantity closed. A fill on the position's side adds to it at a
// weighted average price; a fill against it closes min(|position|, fill) and realizes
// (fill price - average) × closed × multiplier (× -1 for a short); what is left of the fill after
// the position is flat opens the other way at the fill price (a flip). Commissions are
// subtracted from the realized PnL when they are in its currency (always, with the catalog's
// fee currencies).
import type { Instrument, Money, Side } from '../../../../generated/types.js';
import type { InstrumentRules } from './instrument-rules.js';
import { roundAverage, roundMoney, roundToStep } from './numeric.js';
import type { PositionRecord, PositionView } from './types.js';

export function newPosition(strategyId: string, instrument: Instrument, rules: InstrumentRules): PositionRecord {
  return {
    strategyId,
    instrument,
    instrumentKey: rules.key,
    quantity: 0,
    avgPx: 0,
    realizedPnl: 0,
    currency: rules.currency,
    multiplier: rules.multiplier,
    lotSize: rules.lotSize,
  };
}

/** Applies one fill to `position` in place. */
export function applyFillToPosition(position: PositionRecord, side: Side, quantity: number, price: number, commission: Money): void {
  const before = position.quantity;
  const signed = side === 'buy' ? quantity : -quantity;
  const after = roundToStep(before + signed, position.lotSize);
  if (before === 0 || Math.sign(before) === Math.sign(signed)) {
    position.avgPx = roundAverage((Math.abs(before) * position.avgPx + quantity * price) / Math.abs(after));
  } else {
    const closed = Math.min(Math.abs(before), quantity);
    position.realizedPnl += (price - position.avgPx) * closed * Math.sign(before) * position.multiplier;
    if (after === 0) position.avgPx = 0;
    else if (Math.sign(after) !== Math.sign(before)) position.avgPx = price;
  }
  position.quantity = after;
  if (commission.currency === position.currency) position.realizedPnl -= commission.amount;
  position.realizedPnl = roundMoney(position.realizedPnl);
}

/** PnL of the open quantity marked at `markPrice` (the last price; the entry price when none is known, i.e. 0). */
export function unrealizedPnl(position: PositionRecord, markPrice: number | undefined): number {
  if (position.quantity === 0 || markPrice === undefined) return 0;
  return roundMoney((markPrice - position.avgPx) * position.quantity * position.multiplier);
}

export function toPositionView(position: PositionRecord, lastPrice: number | undefined): PositionView {
  const money = (amount: number): Money => ({ amount, currency: position.currency });
  return {
    strategyId: position.strategyId,
    instrument: structuredClone(position.instrument),
    quantity: position.quantity,
    ...(position.quantity !== 0 && { avgPx: position.avgPx }),
    ...(lastPrice !== undefined && { lastPrice }),
    realizedPnl: money(position.realizedPnl),
    unrealizedPnl: money(unrealizedPnl(position, lastPrice)),
  };
}
