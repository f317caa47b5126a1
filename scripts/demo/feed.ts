// The demo's bundled feed: TradingView strategy alerts across futures, FX and crypto, generated
// from a seed so every run (and every machine) replays the same alerts.
//
// Prices follow geometric Brownian motion on 5-minute bars, each instrument with its own level,
// annual volatility and the tick size of services/core/data/instruments.yaml. A moving-average
// crossover strategy trades them: a fast MA crossing the slow one opens a position in its
// direction (closing an opposite one first), a stop, a target or a time limit closes it. Each
// order is one alert, shaped as the README's recommended template fills it in, so the gateway
// infers entries and exits from `market_position` exactly as it does for real TradingView alerts.
// `timenow` (when the alert fired) is the only field not fixed by the seed: webhookBody() stamps it
// at send time. Futures alerts name TradingView's usual continuous series (CME_MINI:ES1!); the
// agents order, and exec-sim prices, its dated front contract at the alert's `timenow` (ESZ6).
import type { InstrumentCatalog } from '../../services/core/src/instruments/index.js';
// The fill model's seeded PRNG (mulberry32) and seed hash: pure functions, no service state.
import { hashString, mulberry32 } from '../../services/exec-sim/src/domain/rng.js';

export const DEFAULT_SEED = 7;
export const DEFAULT_MIN_ALERTS = 240;
const BAR_MINUTES = 5;
const FIRST_BAR = Date.UTC(2025, 2, 3, 14, 30);
const FAST = 5;
const SLOW = 20;
/** Bars a position is held at most; a stop or target at this many per-bar deviations closes it earlier. */
const MAX_HOLD_BARS = 30;
const EXIT_SIGMAS = 5;
const MAX_BARS = 20_000;

/** What the feed trades: TradingView's names for it and how its price moves. */
export interface FeedInstrumentSpec {
  key: string;
  /** `{{ticker}}` as a strategy on an exchange-prefixed chart sends it. */
  ticker: string;
  /** `{{exchange}}`. */
  exchange: string;
  startPrice: number;
  /** Annualized volatility of log returns. */
  annualVol: number;
  /** Trading minutes per year: 24/5 markets and 24/7 crypto differ. */
  minutesPerYear: number;
  /** Order sizes the strategy picks from (contracts, base units). */
  quantities: readonly number[];
}

const FIVE_DAYS_A_WEEK = 252 * 23 * 60;
const EVERY_DAY = 365 * 24 * 60;

export const FEED_INSTRUMENTS: readonly FeedInstrumentSpec[] = [
  {
    key: 'ES',
    ticker: 'CME_MINI:ES1!',
    exchange: 'CME_MINI',
    startPrice: 5_950,
    annualVol: 0.18,
    minutesPerYear: FIVE_DAYS_A_WEEK,
    quantities: [1, 2],
  },
  {
    key: 'NQ',
    ticker: 'CME_MINI:NQ1!',
    exchange: 'CME_MINI',
    startPrice: 21_200,
    annualVol: 0.24,
    minutesPerYear: FIVE_DAYS_A_WEEK,
    quantities: [1],
  },
  {
    key: 'EURUSD',
    ticker: 'OANDA:EURUSD',
    exchange: 'OANDA',
    startPrice: 1.085,
    annualVol: 0.08,
    minutesPerYear: FIVE_DAYS_A_WEEK,
    quantities: [10_000, 20_000, 50_000],
  },
  {
    key: 'USDJPY',
    ticker: 'FX:USDJPY',
    exchange: 'FX',
    startPrice: 149.5,
    annualVol: 0.1,
    minutesPerYear: FIVE_DAYS_A_WEEK,
    quantities: [10_000, 20_000, 50_000],
  },
  {
    key: 'BTCUSDT',
    ticker: 'BINANCE:BTCUSDT',
    exchange: 'BINANCE',
    startPrice: 94_000,
    annualVol: 0.6,
    minutesPerYear: EVERY_DAY,
    quantities: [0.01, 0.02, 0.05],
  },
  {
    key: 'ETHUSDT',
    ticker: 'BINANCE:ETHUSDT',
    exchange: 'BINANCE',
    startPrice: 3_400,
    annualVol: 0.75,
    minutesPerYear: EVERY_DAY,
    quantities: [0.1, 0.2, 0.5],
  },
];

/** The catalog's trading rules of an instrument, the ones the feed and the report need. */
export interface TradingRules {
  assetClass: 'futures' | 'fx' | 'crypto';
  /** The venue-neutral symbol of the alerts' signals (`ES1!`, `EURUSD`, `BTCUSDT`); orders on ES1! name its dated contract. */
  symbol: string;
  tickSize: number;
  lotSize: number;
  /** Quote currency per point per unit (futures: the contract multiplier; 1 otherwise). */
  multiplier: number;
  quoteCurrency: string;
}

export function tradingRules(catalog: InstrumentCatalog, ticker: string): TradingRules {
  const resolved = catalog.resolve(ticker);
  if (!resolved.ok) throw new Error(`the demo feed's ticker ${ticker} is not in ${catalog.source}: ${resolved.reason}`);
  switch (resolved.assetClass) {
    case 'futures': {
      const { contract, rules } = resolved;
      const symbol =
        contract.kind === 'continuous' ? `${rules.root}${contract.rank}!` : `${rules.root}${contract.monthCode}${contract.year.slice(-1)}`;
      return {
        assetClass: 'futures',
        symbol,
        tickSize: rules.tickSize,
        lotSize: rules.lotSize,
        multiplier: rules.multiplier,
        quoteCurrency: rules.currency,
      };
    }
    case 'fx': {
      const { tickSize, lotSize, quote } = resolved.rules;
      return { assetClass: 'fx', symbol: resolved.symbol, tickSize, lotSize, multiplier: 1, quoteCurrency: quote };
    }
    case 'crypto': {
      if (!resolved.pairRules) throw new Error(`${ticker}: ${catalog.source} lists no tick and lot size for it`);
      const { tickSize, lotSize } = resolved.pairRules;
      return { assetClass: 'crypto', symbol: resolved.symbol, tickSize, lotSize, multiplier: 1, quoteCurrency: resolved.quoteCurrency };
    }
  }
}

export type MarketPosition = 'long' | 'short' | 'flat';

export interface FeedAlert {
  /** Position in the feed, from 0. */
  seq: number;
  /** FeedInstrumentSpec.key. */
  instrument: string;
  /** The bar's open time (RFC 3339), `{{time}}`. */
  barTime: string;
  price: number;
  /** The order TradingView reports: always buy or sell. */
  action: 'buy' | 'sell';
  /** Whether the order opens a position or closes one. */
  purpose: 'entry' | 'exit';
  quantity: number;
  /** The strategy's signed position after the order. */
  positionAfter: number;
  /** The alert message without `timenow`: field name -> text, as TradingView fills the template in. */
  fields: Readonly<Record<string, string>>;
}

export interface DemoFeed {
  seed: number;
  instruments: readonly (FeedInstrumentSpec & { rules: TradingRules })[];
  alerts: readonly FeedAlert[];
  /** Bars simulated (the alerts are the bars where the strategy traded). */
  bars: number;
}

export interface FeedOptions {
  seed?: number;
  /** Bars are simulated until at least this many alerts were generated. */
  minAlerts?: number;
}

/** A standard normal draw (Box-Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) is -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** DEMO_SEED as an integer; a clear error for anything else. */
export function seedFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SEED;
  if (!/^-?\d+$/.test(value.trim())) throw new Error(`DEMO_SEED must be an integer, got "${value}"`);
  return Number(value.trim()) >>> 0;
}

function decimalsOf(step: number): number {
  const text = step.toString();
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Number(exponent[1]);
  return text.includes('.') ? (text.split('.')[1] as string).length : 0;
}

/** A value on the step's grid, as text without float noise (`6012.25`, `1.08512`, `0.05`). */
function onGrid(value: number, step: number): string {
  return (Math.round(value / step) * step).toFixed(decimalsOf(step));
}

/** One instrument's price path and strategy: advanced one bar at a time, emits the bar's orders. */
class InstrumentStrategy {
  private readonly random: () => number;
  private readonly barSigma: number;
  private readonly closes: number[] = [];
  private logPrice: number;
  private position = 0;
  private entryPrice = 0;
  private heldBars = 0;

  constructor(
    readonly spec: FeedInstrumentSpec & { rules: TradingRules },
    seed: number,
  ) {
    this.random = mulberry32(hashString(`${seed}:${spec.key}`));
    this.barSigma = spec.annualVol * Math.sqrt(BAR_MINUTES / spec.minutesPerYear);
    this.logPrice = Math.log(spec.startPrice);
  }

  /** Moves the price one bar and returns the orders the strategy sends on its close. */
  step(): { price: number; orders: Omit<FeedAlert, 'seq' | 'barTime' | 'fields' | 'instrument'>[] } {
    // Zero drift: E[price] stays at the start level; -σ²/2 is the Itô correction of the log.
    this.logPrice += -0.5 * this.barSigma ** 2 + this.barSigma * gaussian(this.random);
    const price = Number(onGrid(Math.exp(this.logPrice), this.spec.rules.tickSize));
    this.closes.push(price);
    if (this.closes.length > SLOW + 1) this.closes.shift();
    const orders: ReturnType<InstrumentStrategy['step']>['orders'] = [];
    const close = (why: 'exit') => {
      const quantity = Math.abs(this.position);
      orders.push({ price, action: this.position > 0 ? 'sell' : 'buy', purpose: why, quantity, positionAfter: 0 });
      this.position = 0;
    };
    if (this.position !== 0) {
      this.heldBars++;
      const move = (Math.sign(this.position) * (price - this.entryPrice)) / this.entryPrice;
      if (Math.abs(move) > EXIT_SIGMAS * this.barSigma || this.heldBars >= MAX_HOLD_BARS) close('exit');
    }
    const cross = this.crossing();
    if (cross !== 0 && Math.sign(this.position) !== cross) {
      if (this.position !== 0) close('exit');
      const quantities = this.spec.quantities;
      const quantity = quantities[Math.floor(this.random() * quantities.length)] as number;
      this.position = cross * quantity;
      this.entryPrice = price;
      this.heldBars = 0;
      orders.push({ price, action: cross > 0 ? 'buy' : 'sell', purpose: 'entry', quantity, positionAfter: this.position });
    }
    return { price, orders };
  }

  /** +1 when the fast MA crossed above the slow one on this bar, -1 below, 0 otherwise. */
  private crossing(): number {
    if (this.closes.length < SLOW + 1) return 0;
    const mean = (from: number, to: number) => this.closes.slice(from, to).reduce((sum, p) => sum + p, 0) / (to - from);
    const n = this.closes.length;
    const before = mean(n - 1 - FAST, n - 1) - mean(n - 1 - SLOW, n - 1);
    const now = mean(n - FAST, n) - mean(n - SLOW, n);
    if (before <= 0 && now > 0) return 1;
    if (before >= 0 && now < 0) return -1;
    return 0;
  }
}

function positionWord(signed: number): MarketPosition {
  return signed > 0 ? 'long' : signed < 0 ? 'short' : 'flat';
}

function alertFields(
  spec: FeedInstrumentSpec & { rules: TradingRules },
  order: Omit<FeedAlert, 'seq' | 'barTime' | 'fields' | 'instrument'>,
  barTime: string,
): Record<string, string> {
  const { tickSize, lotSize } = spec.rules;
  const before = order.purpose === 'exit' ? (order.action === 'sell' ? 'long' : 'short') : 'flat';
  const price = onGrid(order.price, tickSize);
  return {
    ticker: spec.ticker,
    exchange: spec.exchange,
    interval: String(BAR_MINUTES),
    time: barTime,
    action: order.action,
    contracts: onGrid(order.quantity, lotSize),
    price,
    close: price,
    orderId: order.purpose === 'exit' ? 'Close' : order.action === 'buy' ? 'Long' : 'Short',
    comment: order.purpose === 'exit' ? 'MA cross exit' : `MA ${FAST}/${SLOW} cross ${order.action === 'buy' ? 'up' : 'down'}`,
    marketPosition: positionWord(order.positionAfter),
    prevMarketPosition: before,
    positionSize: onGrid(order.positionAfter, lotSize),
    alertMessage: `demo ${spec.key}`,
  };
}

/** The feed for a seed: the same seed and catalog always give the same alerts. */
export function generateFeed(catalog: InstrumentCatalog, options: FeedOptions = {}): DemoFeed {
  const seed = options.seed ?? DEFAULT_SEED;
  const minAlerts = options.minAlerts ?? DEFAULT_MIN_ALERTS;
  const instruments = FEED_INSTRUMENTS.map((spec) => ({ ...spec, rules: tradingRules(catalog, spec.ticker) }));
  const strategies = instruments.map((spec) => new InstrumentStrategy(spec, seed));
  const alerts: FeedAlert[] = [];
  let bars = 0;
  while (alerts.length < minAlerts) {
    if (bars >= MAX_BARS) throw new Error(`the feed made only ${alerts.length} alerts in ${MAX_BARS} bars (wanted ${minAlerts})`);
    const barTime = new Date(FIRST_BAR + bars * BAR_MINUTES * 60_000).toISOString();
    for (const strategy of strategies) {
      for (const order of strategy.step().orders) {
        alerts.push({
          seq: alerts.length,
          instrument: strategy.spec.key,
          barTime,
          ...order,
          fields: alertFields(strategy.spec, order, barTime),
        });
      }
    }
    bars++;
  }
  return { seed, instruments, alerts, bars };
}

/** The webhook body TradingView would send for the alert, fired at `firedAt`. */
export function webhookBody(alert: FeedAlert, firedAt: Date): string {
  return JSON.stringify({ ...alert.fields, timenow: firedAt.toISOString() });
}
