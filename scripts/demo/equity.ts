// Equity per strategy over the feed's time: realized plus unrealized PnL, in USD, after every
// alert. Each fill counts at the alert that caused it; open positions are marked at the feed's
// latest price of their instrument. Cash-flow form: equity = Σ(-side·qty·px·multiplier) -
// commissions + Σ position·mark·multiplier, which is realized + unrealized PnL from flat.
// Currencies are converted at the feed's own rates (JPY through USDJPY, EUR through EURUSD);
// USD stablecoins count as USD.
import type { OrderFilled } from '../../generated/index.js';
import type { DemoFeed } from './feed.js';

export interface AttributedFill {
  fill: OrderFilled;
  /** The feed alert whose signal led to the fill. */
  seq: number;
}

export interface EquityPoint {
  seq: number;
  /** The alert's bar time. */
  time: string;
  equity: number;
}

export interface StrategyEquity {
  strategyId: string;
  fills: number;
  points: EquityPoint[];
  final: number;
}

const USD_LIKE = new Set(['USD', 'USDT', 'USDC']);

/** Converts an amount to USD at the current marks; throws for a currency the feed cannot price. */
function toUsd(feed: DemoFeed, marks: ReadonlyMap<string, number>): (amount: number, currency: string) => number {
  return (amount, currency) => {
    if (USD_LIKE.has(currency)) return amount;
    for (const instrument of feed.instruments) {
      const mark = marks.get(instrument.key);
      if (mark === undefined) continue;
      if (instrument.rules.symbol === `${currency}USD`) return amount * mark;
      if (instrument.rules.symbol === `USD${currency}`) return amount / mark;
    }
    throw new Error(`the demo cannot convert ${currency} to USD: no ${currency}USD or USD${currency} price in the feed yet`);
  };
}

interface Book {
  /** Cash per currency. */
  cash: Map<string, number>;
  /** Signed quantity per feed instrument key. */
  positions: Map<string, number>;
  fills: number;
  points: EquityPoint[];
}

export function equityCurves(feed: DemoFeed, fills: readonly AttributedFill[]): StrategyEquity[] {
  const specs = new Map(feed.instruments.map((instrument) => [instrument.key, instrument]));
  const bySeq = new Map<number, AttributedFill[]>();
  for (const fill of fills) bySeq.set(fill.seq, [...(bySeq.get(fill.seq) ?? []), fill]);
  const books = new Map<string, Book>();
  for (const strategyId of new Set(fills.map(({ fill }) => fill.strategyId)).values())
    books.set(strategyId, { cash: new Map(), positions: new Map(), fills: 0, points: [] });
  const marks = new Map<string, number>();
  const usd = toUsd(feed, marks);

  for (const alert of feed.alerts) {
    marks.set(alert.instrument, alert.price);
    for (const { fill } of bySeq.get(alert.seq) ?? []) {
      const book = books.get(fill.strategyId) as Book;
      const { rules } = specs.get(alert.instrument) as DemoFeed['instruments'][number];
      const signed = (fill.side === 'buy' ? 1 : -1) * fill.lastQty;
      book.positions.set(alert.instrument, (book.positions.get(alert.instrument) ?? 0) + signed);
      const add = (currency: string, amount: number) => book.cash.set(currency, (book.cash.get(currency) ?? 0) + amount);
      add(rules.quoteCurrency, -signed * fill.lastPx * rules.multiplier);
      add(fill.commission.currency, -fill.commission.amount);
      book.fills++;
    }
    for (const book of books.values()) {
      let equity = 0;
      for (const [currency, amount] of book.cash) equity += usd(amount, currency);
      for (const [key, quantity] of book.positions) {
        const { rules } = specs.get(key) as DemoFeed['instruments'][number];
        equity += usd(quantity * (marks.get(key) as number) * rules.multiplier, rules.quoteCurrency);
      }
      book.points.push({ seq: alert.seq, time: alert.barTime, equity });
    }
  }
  return [...books]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([strategyId, book]) => ({ strategyId, fills: book.fills, points: book.points, final: book.points.at(-1)?.equity ?? 0 }));
}
