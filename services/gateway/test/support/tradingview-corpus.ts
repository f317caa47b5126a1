// TradingView alert samples and what normalization must make of them. JSON bodies are written
// as objects (sent as JSON text); strings are sent as they are. Every passing sample states the
// instrument, action, side, quantity, price, interval and eventTime it must produce (absent
// fields as undefined); a few also state the order hint or the strategy block.
import type { Instrument, OrderType, Side, SignalAction, SignalStrategy } from '../../../../generated/types.js';

export const RECEIVED_AT = '2026-11-24T14:30:00.409Z';

export interface ExpectedSignal {
  instrument: Instrument;
  action: SignalAction;
  side: Side | undefined;
  quantity: number | undefined;
  price: number | undefined;
  interval: string | undefined;
  eventTime: string;
  orderTypeHint?: OrderType;
  limitPrice?: number;
  stopPrice?: number;
  strategy?: SignalStrategy;
}

export interface PassingSample {
  name: string;
  body: string | Record<string, unknown>;
  /** Defaults: application/json for objects, text/plain; charset=utf-8 for strings. */
  contentType?: string;
  receivedAt?: string;
  expected: ExpectedSignal;
}

export interface FailingSample {
  name: string;
  body: string | Record<string, unknown>;
  contentType?: string;
  reason: string;
}

// Instruments, by the name a reader knows them by.
const ES1: Instrument = { symbol: 'ES1!', assetClass: 'futures', venue: 'CME', root: 'ES', continuous: true };
const ESZ6: Instrument = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' };
const futures = (symbol: string, venue: string, root: string, contractMonth?: string): Instrument =>
  contractMonth === undefined
    ? { symbol, assetClass: 'futures', venue, root, continuous: true }
    : { symbol, assetClass: 'futures', venue, root, contractMonth };
const fx = (symbol: string, venue = 'OANDA'): Instrument => ({
  symbol,
  assetClass: 'fx',
  venue,
  baseCurrency: symbol.slice(0, 3),
  quoteCurrency: symbol.slice(3),
});
const crypto = (symbol: string, venue: string, baseCurrency: string, quoteCurrency: string): Instrument => ({
  symbol,
  assetClass: 'crypto',
  venue,
  baseCurrency,
  quoteCurrency,
});

/** A buy of 1 at no price on the 5-minute chart, fired at T; samples override what they test. */
function buy(instrument: Instrument, overrides: Partial<ExpectedSignal> = {}): ExpectedSignal {
  return { instrument, action: 'buy', side: 'buy', quantity: 1, price: undefined, interval: undefined, eventTime: T, ...overrides };
}

const T = '2026-11-24T14:30:00Z';

export const PASSING_SAMPLES: PassingSample[] = [
  // --- The contract's own examples --------------------------------------------------------
  {
    name: 'contract example: ES1! JSON strategy alert with a limit order type',
    body: '{"ticker":"ES1!","exchange":"CME_MINI","interval":"5","time":"2026-11-24T14:25:00Z","timenow":"2026-11-24T14:30:00Z","action":"buy","contracts":2,"price":6012.25,"orderType":"limit","marketPosition":"long","positionSize":2,"orderId":"ORB Long","comment":"opening range breakout","alertMessage":"ES ORB long 2 @ 6012.25"}',
    contentType: 'application/json; charset=utf-8',
    expected: {
      ...buy(ES1, { quantity: 2, price: 6012.25, interval: '5' }),
      orderTypeHint: 'limit',
      limitPrice: 6012.25,
      strategy: {
        marketPosition: 'long',
        positionSize: 2,
        orderId: 'ORB Long',
        comment: 'opening range breakout',
        alertMessage: 'ES ORB long 2 @ 6012.25',
      },
    },
  },
  {
    name: 'contract example: BTCUSDT plain-text indicator alert',
    body: 'sell BTCUSDT qty=0.05 price=97850.5 tf=15 exchange=BINANCE time=2026-11-24T14:45:00Z',
    expected: {
      instrument: crypto('BTCUSDT', 'BINANCE', 'BTC', 'USDT'),
      action: 'sell',
      side: 'sell',
      quantity: 0.05,
      price: 97850.5,
      interval: '15',
      eventTime: '2026-11-24T14:45:00Z',
      orderTypeHint: 'market',
    },
  },
  {
    name: 'contract example: EURUSD exit with an alert id (no direction given, so no side)',
    body: '{"alertId":"eurusd-ema-exit-2026-11-24T15:00:00Z","ticker":"EURUSD","exchange":"OANDA","interval":"60","time":"2026-11-24T14:00:00Z","timenow":"2026-11-24T15:00:00Z","action":"exit","contracts":100000,"price":1.05432,"orderType":"market","marketPosition":"flat","positionSize":0,"orderId":"EMA Exit","comment":"ema 20/50 cross down"}',
    expected: {
      instrument: fx('EURUSD'),
      action: 'exit',
      side: undefined,
      quantity: 100000,
      price: 1.05432,
      interval: '60',
      eventTime: '2026-11-24T15:00:00Z',
      orderTypeHint: 'market',
      strategy: { marketPosition: 'flat', positionSize: 0, orderId: 'EMA Exit', comment: 'ema 20/50 cross down' },
    },
  },

  // --- Futures: continuous, dated, micro, delayed, every exchange -------------------------
  {
    name: 'prefixed tickerid, string contracts',
    body: { tickerid: 'CME_MINI:ES1!', action: 'buy', contracts: '1', timenow: T },
    expected: buy(ES1),
  },
  {
    name: 'NQ1! sell with string numbers and a 15-minute interval',
    body: { ticker: 'NQ1!', exchange: 'CME_MINI', action: 'sell', qty: '3', price: '21012.50', interval: '15', timenow: T },
    expected: { ...buy(futures('NQ1!', 'CME', 'NQ'), { action: 'sell', side: 'sell', quantity: 3, price: 21012.5, interval: '15' }) },
  },
  {
    name: 'delayed-data exchange suffix is stripped',
    body: { ticker: 'CME_MINI_DL:ES1!', action: 'buy', contracts: 1, timenow: T },
    expected: buy(ES1),
  },
  {
    name: 'delayed suffix in the separate exchange field',
    body: { ticker: 'NQ1!', exchange: 'CME_MINI_DL', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('NQ1!', 'CME', 'NQ')),
  },
  {
    name: 'second continuous contract',
    body: { ticker: 'ES2!', exchange: 'CME_MINI', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('ES2!', 'CME', 'ES')),
  },
  { name: 'dated contract, 4-digit year', body: { ticker: 'ESZ2026', action: 'buy', contracts: 1, timenow: T }, expected: buy(ESZ6) },
  { name: 'dated contract, 2-digit year', body: { ticker: 'ESZ26', action: 'buy', contracts: 1, timenow: T }, expected: buy(ESZ6) },
  { name: 'dated contract, 1-digit year', body: { ticker: 'CME_MINI:ESZ6', action: 'buy', contracts: 1, timenow: T }, expected: buy(ESZ6) },
  {
    name: 'dated contract, 1-digit year in the next year',
    body: { ticker: 'ESH7', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('ESH7', 'CME', 'ES', '2027-03')),
  },
  {
    name: 'micro E-mini S&P continuous',
    body: { ticker: 'MES1!', exchange: 'CME_MINI', action: 'buy', contracts: 5, timenow: T },
    expected: buy(futures('MES1!', 'CME', 'MES'), { quantity: 5 }),
  },
  {
    name: 'micro Nasdaq dated',
    body: { ticker: 'MNQZ2026', exchange: 'CME_MINI', action: 'sell', contracts: 2, timenow: T },
    expected: buy(futures('MNQZ6', 'CME', 'MNQ', '2026-12'), { action: 'sell', side: 'sell', quantity: 2 }),
  },
  {
    name: 'micro Russell (root with a digit)',
    body: { ticker: 'M2K1!', exchange: 'CME_MINI', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('M2K1!', 'CME', 'M2K')),
  },
  {
    name: 'micro Dow on CBOT_MINI',
    body: { ticker: 'CBOT_MINI:MYM1!', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('MYM1!', 'CBOT', 'MYM')),
  },
  {
    name: 'crude oil on NYMEX with a string price',
    body: { ticker: 'NYMEX:CL1!', action: 'buy', contracts: 1, price: '71.23', timenow: T },
    expected: buy(futures('CL1!', 'NYMEX', 'CL'), { price: 71.23 }),
  },
  {
    name: 'micro crude, action "short"',
    body: { ticker: 'NYMEX:MCL1!', action: 'short', contracts: 3, timenow: T },
    expected: buy(futures('MCL1!', 'NYMEX', 'MCL'), { action: 'sell', side: 'sell', quantity: 3 }),
  },
  {
    name: 'gold on COMEX, action "long"',
    body: { ticker: 'COMEX:GC1!', action: 'long', contracts: 1, price: 2650.4, timenow: T },
    expected: buy(futures('GC1!', 'COMEX', 'GC'), { price: 2650.4 }),
  },
  {
    name: 'micro gold dated, serial month',
    body: { ticker: 'COMEX:MGCG2027', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('MGCG7', 'COMEX', 'MGC', '2027-02')),
  },
  {
    name: 'silver without exchange takes the root exchange',
    body: { ticker: 'SI1!', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('SI1!', 'COMEX', 'SI')),
  },
  {
    name: 'natural gas January contract',
    body: { ticker: 'NYMEX:NGF2027', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('NGF7', 'NYMEX', 'NG', '2027-01')),
  },
  {
    name: '10-year note on the daily chart ("D" -> "1D")',
    body: { ticker: 'CBOT:ZN1!', action: 'buy', contracts: 1, interval: 'D', timenow: T },
    expected: buy(futures('ZN1!', 'CBOT', 'ZN'), { interval: '1D' }),
  },
  {
    name: 'bond dated, weekly chart ("W" -> "1W")',
    body: { ticker: 'CBOT:ZBH2027', action: 'sell', contracts: 1, interval: 'W', timenow: T },
    expected: buy(futures('ZBH7', 'CBOT', 'ZB', '2027-03'), { action: 'sell', side: 'sell', interval: '1W' }),
  },
  {
    name: 'corn, monthly chart ("M" -> "1M")',
    body: { ticker: 'CBOT:ZCN2027', action: 'buy', contracts: 2, price: 452.25, interval: 'M', timenow: T },
    expected: buy(futures('ZCN7', 'CBOT', 'ZC', '2027-07'), { quantity: 2, price: 452.25, interval: '1M' }),
  },
  {
    name: 'euro FX futures on the 4-hour chart',
    body: { ticker: 'CME:6E1!', action: 'buy', contracts: 1, interval: '240', timenow: T },
    expected: buy(futures('6E1!', 'CME', '6E'), { interval: '240' }),
  },
  {
    name: 'yen futures dated',
    body: { ticker: 'CME:6JZ2026', action: 'sell', contracts: 1, price: 0.0067125, timenow: T },
    expected: buy(futures('6JZ6', 'CME', '6J', '2026-12'), { action: 'sell', side: 'sell', price: 0.0067125 }),
  },
  {
    name: 'CME bitcoin futures (not the crypto pair)',
    body: { ticker: 'CME:BTC1!', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('BTC1!', 'CME', 'BTC')),
  },
  {
    name: 'micro bitcoin futures',
    body: { ticker: 'MBT1!', exchange: 'CME', action: 'buy', contracts: 4, timenow: T },
    expected: buy(futures('MBT1!', 'CME', 'MBT'), { quantity: 4 }),
  },
  {
    name: 'CME ether futures and micro ether',
    body: { ticker: 'CME:MET1!', action: 'sell', contracts: 10, timenow: T },
    expected: buy(futures('MET1!', 'CME', 'MET'), { action: 'sell', side: 'sell', quantity: 10 }),
  },
  {
    name: 'CME ether futures',
    body: { ticker: 'ETH1!', action: 'buy', contracts: 1, timenow: T },
    expected: buy(futures('ETH1!', 'CME', 'ETH')),
  },

  // --- FX ---------------------------------------------------------------------------------
  {
    name: 'FX feed maps to OANDA',
    body: { ticker: 'FX:EURUSD', action: 'buy', units: 10000, timenow: T },
    expected: buy(fx('EURUSD'), { quantity: 10000 }),
  },
  {
    name: 'OANDA kept',
    body: { ticker: 'OANDA:EURUSD', action: 'buy', quantity: 1000, timenow: T },
    expected: buy(fx('EURUSD'), { quantity: 1000 }),
  },
  {
    name: 'no exchange defaults to OANDA',
    body: { ticker: 'EURUSD', action: 'buy', quantity: 1000, timenow: T },
    expected: buy(fx('EURUSD'), { quantity: 1000 }),
  },
  {
    name: 'FX_IDC feed, JPY pair',
    body: { ticker: 'FX_IDC:USDJPY', action: 'sell', size: 5000, close: 154.321, timenow: T },
    expected: buy(fx('USDJPY'), { action: 'sell', side: 'sell', quantity: 5000, price: 154.321 }),
  },
  {
    name: 'gold spot on OANDA',
    body: { ticker: 'OANDA:XAUUSD', action: 'buy', quantity: 10, price: 2650.55, timenow: T },
    expected: buy(fx('XAUUSD'), { quantity: 10, price: 2650.55 }),
  },
  {
    name: 'Pepperstone venue kept',
    body: { ticker: 'PEPPERSTONE:GBPJPY', action: 'buy', quantity: 1000, timenow: T },
    expected: buy(fx('GBPJPY', 'PEPPERSTONE'), { quantity: 1000 }),
  },
  {
    name: 'separate exchange field FOREXCOM',
    body: { symbol: 'USDCAD', exchange: 'FOREXCOM', side: 'buy', qty: 2000, timenow: T },
    expected: buy(fx('USDCAD', 'FOREXCOM'), { quantity: 2000 }),
  },
  {
    name: 'FXCM silver',
    body: { ticker: 'FXCM:XAGUSD', action: 'sell', quantity: 50, timenow: T },
    expected: buy(fx('XAGUSD', 'FXCM'), { action: 'sell', side: 'sell', quantity: 50 }),
  },
  {
    name: 'exchange "FX" field with a bare ticker',
    body: { ticker: 'EURGBP', exchange: 'FX', action: 'buy', quantity: 1000, timenow: T },
    expected: buy(fx('EURGBP'), { quantity: 1000 }),
  },

  // --- Crypto -----------------------------------------------------------------------------
  {
    name: 'Binance spot JSON',
    body: { ticker: 'BINANCE:BTCUSDT', action: 'buy', qty: '0.015', price: '97,850.50', interval: '60', timenow: T },
    expected: buy(crypto('BTCUSDT', 'BINANCE', 'BTC', 'USDT'), { quantity: 0.015, price: 97850.5, interval: '60' }),
  },
  {
    name: 'Coinbase dash pair becomes BTCUSD',
    body: { ticker: 'COINBASE:BTC-USD', action: 'buy', quantity: 0.5, timenow: T },
    expected: buy(crypto('BTCUSD', 'COINBASE', 'BTC', 'USD'), { quantity: 0.5 }),
  },
  {
    name: 'Binance perpetual keeps .P',
    body: { ticker: 'BINANCE:BTCUSDT.P', action: 'sell', contracts: 0.01, timenow: T },
    expected: buy(crypto('BTCUSDT.P', 'BINANCE', 'BTC', 'USDT'), { action: 'sell', side: 'sell', quantity: 0.01 }),
  },
  {
    name: 'Bybit perpetual',
    body: { ticker: 'BYBIT:ETHUSDT.P', action: 'buy', contracts: 0.2, timenow: T },
    expected: buy(crypto('ETHUSDT.P', 'BYBIT', 'ETH', 'USDT'), { quantity: 0.2 }),
  },
  {
    name: 'Kraken euro pair',
    body: { ticker: 'KRAKEN:BTCEUR', action: 'buy', quantity: 0.1, timenow: T },
    expected: buy(crypto('BTCEUR', 'KRAKEN', 'BTC', 'EUR'), { quantity: 0.1 }),
  },
  {
    name: 'BTC-quoted pair',
    body: { ticker: 'BINANCE:ETHBTC', action: 'sell', quantity: 1.5, timenow: T },
    expected: buy(crypto('ETHBTC', 'BINANCE', 'ETH', 'BTC'), { action: 'sell', side: 'sell', quantity: 1.5 }),
  },
  {
    name: 'separate exchange field, pair not in the catalog',
    body: { ticker: 'SOLUSDC', exchange: 'BINANCE', action: 'buy', quantity: 3, timenow: T },
    expected: buy(crypto('SOLUSDC', 'BINANCE', 'SOL', 'USDC'), { quantity: 3 }),
  },

  // --- Actions and strategy-position inference --------------------------------------------
  {
    name: 'action "exit" with the previous position long closes with a sell',
    body: { ticker: 'ES1!', action: 'exit', contracts: 2, prev_market_position: 'long', timenow: T },
    expected: buy(ES1, { action: 'exit', side: 'sell', quantity: 2 }),
  },
  {
    name: 'action "close"',
    body: { ticker: 'ES1!', action: 'close', timenow: T },
    expected: buy(ES1, { action: 'exit', side: undefined, quantity: undefined }),
  },
  {
    name: 'action "flat"',
    body: { ticker: 'ES1!', action: 'FLAT', timenow: T },
    expected: buy(ES1, { action: 'exit', side: undefined, quantity: undefined }),
  },
  {
    name: 'action "close_short"',
    body: { ticker: 'ES1!', action: 'close_short', timenow: T },
    expected: buy(ES1, { action: 'exit', side: 'buy', quantity: undefined }),
  },
  {
    name: 'action "exit long"',
    body: { ticker: 'ES1!', action: 'exit long', timenow: T },
    expected: buy(ES1, { action: 'exit', side: 'sell', quantity: undefined }),
  },
  {
    name: 'action "reverse" to a short',
    body: { ticker: 'ES1!', action: 'reverse', contracts: 4, market_position: 'short', timenow: T },
    expected: { ...buy(ES1, { action: 'reverse', side: 'sell', quantity: 4 }), strategy: { marketPosition: 'short' } },
  },
  {
    name: 'sell that leaves the strategy flat is an exit',
    body: { ticker: 'ES1!', action: 'sell', contracts: 2, market_position: 'flat', position_size: 0, timenow: T },
    expected: { ...buy(ES1, { action: 'exit', side: 'sell', quantity: 2 }), strategy: { marketPosition: 'flat', positionSize: 0 } },
  },
  {
    name: 'buy that leaves the strategy flat is an exit of a short',
    body: { ticker: 'ES1!', action: 'buy', contracts: 2, marketPosition: 'flat', timenow: T },
    expected: buy(ES1, { action: 'exit', side: 'buy', quantity: 2 }),
  },
  {
    name: 'buy bigger than the resulting long went through zero: reverse',
    body: { ticker: 'ES1!', action: 'buy', contracts: 4, market_position: 'long', position_size: 2, timenow: T },
    expected: { ...buy(ES1, { action: 'reverse', side: 'buy', quantity: 4 }), strategy: { marketPosition: 'long', positionSize: 2 } },
  },
  {
    name: 'previous position short, now long: reverse',
    body: { ticker: 'ES1!', action: 'buy', contracts: 2, market_position: 'long', prev_market_position: 'short', timenow: T },
    expected: buy(ES1, { action: 'reverse', side: 'buy', quantity: 2 }),
  },
  {
    name: 'buy adding to a long stays buy',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, market_position: 'long', position_size: 3, timenow: T },
    expected: { ...buy(ES1), strategy: { marketPosition: 'long', positionSize: 3 } },
  },
  {
    name: 'signed position_size gives the direction',
    body: { ticker: 'ES1!', action: 'sell', contracts: 1, position_size: '-3', timenow: T },
    expected: { ...buy(ES1, { action: 'sell', side: 'sell' }), strategy: { marketPosition: 'short', positionSize: 3 } },
  },
  {
    name: 'action "exit" with a side field',
    body: { ticker: 'EURUSD', action: 'exit', side: 'buy', quantity: 1000, timenow: T },
    expected: buy(fx('EURUSD'), { action: 'exit', side: 'buy', quantity: 1000 }),
  },
  {
    name: 'nested JSON in TradingView placeholder names',
    body: {
      ticker: 'ES1!',
      strategy: { order: { action: 'sell', contracts: '1', price: 6001, id: 'Exit L' }, market_position: 'flat' },
      timenow: T,
    },
    expected: { ...buy(ES1, { action: 'exit', side: 'sell', price: 6001 }), strategy: { marketPosition: 'flat', orderId: 'Exit L' } },
  },

  // --- Prices, order hints, intervals, times ----------------------------------------------
  {
    name: 'order price wins over close; limit price makes a limit hint',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, close: 6010, order_price: 6011, limit_price: 6008.5, timenow: T },
    expected: { ...buy(ES1, { price: 6011 }), orderTypeHint: 'limit', limitPrice: 6008.5 },
  },
  {
    name: 'stop price makes a stop hint',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, stop_price: '6020.25', timenow: T },
    expected: { ...buy(ES1), orderTypeHint: 'stop', stopPrice: 6020.25 },
  },
  {
    name: 'stop and limit prices make a stop_limit hint',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, stopPrice: 6020, limitPrice: 6021, timenow: T },
    expected: { ...buy(ES1), orderTypeHint: 'stop_limit', stopPrice: 6020, limitPrice: 6021 },
  },
  {
    name: 'order_type stop borrows the price',
    body: { ticker: 'CL1!', action: 'sell', contracts: 1, price: 70.5, order_type: 'Stop', timenow: T },
    expected: {
      ...buy(futures('CL1!', 'NYMEX', 'CL'), { action: 'sell', side: 'sell', price: 70.5 }),
      orderTypeHint: 'stop',
      stopPrice: 70.5,
    },
  },
  {
    name: 'a negative futures price is a price',
    body: { ticker: 'CL1!', action: 'buy', contracts: 1, price: -37.63, timenow: T },
    expected: buy(futures('CL1!', 'NYMEX', 'CL'), { price: -37.63 }),
  },
  {
    name: 'interval "1D" kept',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, interval: '1D', timenow: T },
    expected: buy(ES1, { interval: '1D' }),
  },
  {
    name: 'interval "30S"',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, interval: '30S', timenow: T },
    expected: buy(ES1, { interval: '30S' }),
  },
  {
    name: 'interval as a JSON number',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, interval: 1, timenow: T },
    expected: buy(ES1, { interval: '1' }),
  },
  {
    name: 'interval "4h" -> 240 minutes',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, timeframe: '4h', timenow: T },
    expected: buy(ES1, { interval: '240' }),
  },
  {
    name: 'interval "15m"',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, tf: '15m', timenow: T },
    expected: buy(ES1, { interval: '15' }),
  },
  {
    name: 'interval "3M" is three months',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, interval: '3M', timenow: T },
    expected: buy(ES1, { interval: '3M' }),
  },
  {
    name: 'bar time used when timenow is absent',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, time: '2026-11-24T14:25:00Z' },
    expected: buy(ES1, { eventTime: '2026-11-24T14:25:00Z' }),
  },
  {
    name: 'receivedAt used when no time is given',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1 },
    expected: buy(ES1, { eventTime: RECEIVED_AT }),
  },
  {
    name: 'epoch milliseconds',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, timenow: 1795962600000 },
    expected: buy(ES1, { eventTime: '2026-11-29T14:30:00.000Z' }),
  },
  {
    name: 'offset timestamp kept as written',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1, timenow: '2026-11-24T15:30:00+01:00' },
    expected: buy(ES1, { eventTime: '2026-11-24T15:30:00+01:00' }),
  },
  {
    name: 'JSON sent as text/plain',
    body: '{"ticker":"ES1!","action":"buy","contracts":"1","timenow":"2026-11-24T14:30:00Z"}',
    contentType: 'text/plain; charset=utf-8',
    expected: buy(ES1),
  },
  {
    name: 'thousands separators',
    body: { ticker: 'EURUSD', action: 'buy', quantity: '100,000', price: '1.05432', timenow: T },
    expected: buy(fx('EURUSD'), { quantity: 100000, price: 1.05432 }),
  },

  // --- Plain text -------------------------------------------------------------------------
  {
    name: 'terse text "BUY 2 ES1! @ 6012.25"',
    body: 'BUY 2 ES1! @ 6012.25',
    expected: { ...buy(ES1, { quantity: 2, price: 6012.25, eventTime: RECEIVED_AT }), orderTypeHint: 'market' },
  },
  {
    name: "TradingView's default strategy message",
    body: 'order buy @ 2 filled on ESZ2026. New strategy position is 2',
    expected: { ...buy(ESZ6, { quantity: 2, eventTime: RECEIVED_AT }), strategy: { marketPosition: 'long', positionSize: 2 } },
  },
  {
    name: 'default strategy message: a sell to flat is an exit',
    body: 'Strategy ORB: order sell @ 2 filled on CME_MINI:NQ1!. New strategy position is 0',
    expected: {
      ...buy(futures('NQ1!', 'CME', 'NQ'), { action: 'exit', side: 'sell', quantity: 2, eventTime: RECEIVED_AT }),
      strategy: { marketPosition: 'flat', positionSize: 0 },
    },
  },
  {
    name: 'default strategy message on a perpetual, reversing',
    body: 'order sell @ 0.004 filled on BINANCE:BTCUSDT.P. New strategy position is -0.002',
    expected: buy(crypto('BTCUSDT.P', 'BINANCE', 'BTC', 'USDT'), {
      action: 'reverse',
      side: 'sell',
      quantity: 0.004,
      eventTime: RECEIVED_AT,
    }),
  },
  {
    name: '"key: value" lines',
    body: 'ticker: MNQ1!\nexchange: CME_MINI\naction: sell\ncontracts: 3\nprice: 21010.75\ninterval: 5\ntimenow: 2026-11-24T14:30:00Z\ncomment: fade the open',
    expected: {
      ...buy(futures('MNQ1!', 'CME', 'MNQ'), { action: 'sell', side: 'sell', quantity: 3, price: 21010.75, interval: '5' }),
      strategy: { comment: 'fade the open' },
    },
  },
  {
    name: 'key=value pairs with a quoted comment',
    body: 'action=close ticker=OANDA:GBPUSD qty=1000 comment="stop hit" timenow=2026-11-24T14:30:00Z',
    expected: { ...buy(fx('GBPUSD'), { action: 'exit', side: undefined, quantity: 1000 }), strategy: { comment: 'stop hit' } },
  },
  {
    name: 'terse "long" with a Coinbase pair',
    body: 'long 0.5 COINBASE:ETH-USD @ 3012.5',
    expected: buy(crypto('ETHUSD', 'COINBASE', 'ETH', 'USD'), { quantity: 0.5, price: 3012.5, eventTime: RECEIVED_AT }),
  },
  {
    name: 'terse "close EURUSD"',
    body: 'close EURUSD',
    expected: buy(fx('EURUSD'), { action: 'exit', side: undefined, quantity: undefined, eventTime: RECEIVED_AT }),
  },
];

export const FAILING_SAMPLES: FailingSample[] = [
  { name: 'unknown futures root', body: { ticker: 'XX1!', action: 'buy' }, reason: 'unknown futures root "XX"' },
  { name: 'unknown dated root', body: { ticker: 'XXZ2026', action: 'buy' }, reason: 'unknown futures root "XX"' },
  { name: 'asset class cannot be told', body: { ticker: 'FOO', action: 'buy' }, reason: 'cannot tell the asset class of "FOO"' },
  {
    name: 'crypto pair without exchange',
    body: { ticker: 'BTCUSDT', action: 'buy' },
    reason: '"BTCUSDT" looks like a crypto pair but names no exchange (one of BINANCE, COINBASE, BYBIT, KRAKEN)',
  },
  { name: 'unknown exchange', body: { ticker: 'SAXO:EURUSD', action: 'buy' }, reason: 'unknown exchange "SAXO"' },
  { name: 'root on the wrong exchange', body: { ticker: 'NYMEX:ES1!', action: 'buy' }, reason: 'ES is listed on CME, not NYMEX' },
  {
    name: 'month the root does not list',
    body: { ticker: 'ESF2026', action: 'buy' },
    reason: 'ES has no F (January) contract; listed months are H M U Z',
  },
  {
    name: 'perpetual on a venue without perpetuals',
    body: { ticker: 'COINBASE:BTCUSD.P', action: 'buy' },
    reason: 'COINBASE lists no perpetuals ("BTCUSD.P")',
  },
  { name: 'unknown fx pair', body: { ticker: 'OANDA:AUDCAD', action: 'buy' }, reason: 'unknown fx pair "AUDCAD"' },
  {
    name: 'ticker and exchange disagree',
    body: { ticker: 'NYMEX:CL1!', exchange: 'CME', action: 'buy' },
    reason: 'ticker "NYMEX:CL1!" and exchange "CME" name different venues',
  },
  {
    name: 'extended ticker id',
    body: { ticker: '={"symbol":"CME_MINI:ES1!","session":"extended"}', action: 'buy' },
    reason: 'the ticker is an extended ticker id ("={...}"); send {{ticker}} and {{exchange}} instead',
  },
  {
    name: 'literal placeholder in a string',
    body: { ticker: '{{ticker}}', action: 'buy' },
    reason: 'field "ticker" was not filled in: TradingView left the placeholder {{ticker}}',
  },
  {
    name: 'literal placeholder for the action',
    body: { ticker: 'ES1!', action: '{{strategy.order.action}}' },
    reason: 'field "action" was not filled in: TradingView left the placeholder {{strategy.order.action}}',
  },
  {
    name: 'unquoted placeholder makes invalid JSON',
    body: '{"ticker":"ES1!","action":"buy","price":{{close}}}',
    contentType: 'text/plain; charset=utf-8',
    reason: 'field "price" was not filled in: TradingView left the placeholder {{close}}',
  },
  {
    name: 'placeholder in a text alert',
    body: '{{strategy.order.action}} 2 ES1!',
    reason: 'the text alert holds an unfilled placeholder {{strategy.order.action}}',
  },
  {
    name: 'bad number',
    body: { ticker: 'ES1!', action: 'buy', contracts: 'abc' },
    reason: 'field "contracts" "abc" is not a number (expected {{strategy.order.contracts}})',
  },
  {
    name: 'NaN',
    body: { ticker: 'ES1!', action: 'buy', price: 'NaN' },
    reason: 'field "price" "NaN" is not a number (expected {{close}})',
  },
  {
    name: 'Infinity',
    body: { ticker: 'ES1!', action: 'buy', price: 'Infinity' },
    reason: 'field "price" "Infinity" is not a number (expected {{close}})',
  },
  {
    name: 'number with trailing junk',
    body: { ticker: 'ES1!', action: 'buy', qty: '2abc' },
    reason: 'field "qty" "2abc" is not a number (expected {{strategy.order.contracts}})',
  },
  {
    name: 'malformed thousands grouping',
    body: { ticker: 'ES1!', action: 'buy', price: '1,00' },
    reason: 'field "price" "1,00" is not a number (expected {{close}})',
  },
  {
    name: 'negative quantity',
    body: { ticker: 'ES1!', action: 'buy', contracts: -2 },
    reason: 'field "contracts" must be greater than 0, got -2',
  },
  { name: 'zero quantity', body: { ticker: 'ES1!', action: 'buy', qty: '0' }, reason: 'field "qty" must be greater than 0, got 0' },
  {
    name: 'huge number',
    body: { ticker: 'ES1!', action: 'buy', contracts: 1e16 },
    reason:
      'field "contracts" 10000000000000000 is out of range (magnitude above 1000000000000000) (expected {{strategy.order.contracts}})',
  },
  {
    name: 'huge number as text',
    body: { ticker: 'ES1!', action: 'buy', price: '1e300' },
    reason: 'field "price" 1e300 is out of range (magnitude above 1000000000000000) (expected {{close}})',
  },
  {
    name: 'number beyond a double',
    body: '{"ticker":"ES1!","action":"buy","price":1e400}',
    reason: 'field "price" "Infinity" is not a finite number (expected {{close}})',
  },
  {
    name: 'conflicting quantity aliases',
    body: { ticker: 'ES1!', action: 'buy', qty: 1, contracts: 2 },
    reason: 'conflicting values for quantity: "qty" is 1, "contracts" is 2',
  },
  { name: 'missing ticker', body: { action: 'buy', contracts: 1 }, reason: 'missing ticker (send "ticker": "{{ticker}}")' },
  { name: 'empty ticker', body: { ticker: '  ', action: 'buy' }, reason: 'missing ticker (send "ticker": "{{ticker}}")' },
  { name: 'missing action', body: { ticker: 'ES1!', contracts: 1 }, reason: 'missing action (send "action": "{{strategy.order.action}}")' },
  {
    name: 'unknown action',
    body: { ticker: 'ES1!', action: 'hold' },
    reason: 'unknown action "hold" (expected buy, sell, long, short, exit, close, flat or reverse)',
  },
  {
    name: 'action contradicts side',
    body: { ticker: 'ES1!', action: 'buy', side: 'sell' },
    reason: 'action "buy" contradicts side "sell"',
  },
  {
    name: 'unknown market position',
    body: { ticker: 'ES1!', action: 'buy', market_position: 'sideways' },
    reason: 'market_position "sideways" is not long, short or flat',
  },
  {
    name: 'market position contradicts the signed size',
    body: { ticker: 'ES1!', action: 'buy', market_position: 'long', position_size: -2 },
    reason: 'market_position "long" contradicts position size -2',
  },
  {
    name: 'limit order type without any price',
    body: { ticker: 'ES1!', action: 'buy', order_type: 'limit' },
    reason: 'order type "limit" needs a limit price or a price',
  },
  {
    name: 'unknown order type',
    body: { ticker: 'ES1!', action: 'buy', order_type: 'iceberg' },
    reason: 'unknown order type "iceberg" (expected market, limit, stop or stop_limit)',
  },
  {
    name: 'range-chart interval',
    body: { ticker: 'ES1!', action: 'buy', interval: '100R' },
    reason: 'interval "100R" is a tick or range chart, which has no timeframe the contract can carry',
  },
  {
    name: 'zero interval',
    body: { ticker: 'ES1!', action: 'buy', interval: '0' },
    reason: 'interval "0" is out of range (1 to 99999 units)',
  },
  {
    name: 'nonsense interval',
    body: { ticker: 'ES1!', action: 'buy', interval: 'hourly' },
    reason: 'interval "hourly" is not a TradingView timeframe (e.g. 5, 60, 1D, W, 30S)',
  },
  {
    name: 'time without a zone',
    body: { ticker: 'ES1!', action: 'buy', timenow: '2026-11-24 14:30:00' },
    reason: 'timenow "2026-11-24 14:30:00" has no time zone (send {{timenow}}, which is UTC)',
  },
  {
    name: 'time that is not a time',
    body: { ticker: 'ES1!', action: 'buy', time: 'yesterday' },
    reason: 'time "yesterday" is not an RFC 3339 timestamp',
  },
  { name: 'empty body', body: '', reason: 'empty body' },
  { name: 'blank body', body: '  \n\t ', reason: 'empty body' },
  {
    name: 'deeply nested junk',
    body: { ticker: 'ES1!', action: 'buy', a: { b: { c: { d: { e: 'junk' } } } } },
    reason: 'the JSON body nests deeper than 4 levels (at "a.b.c.d")',
  },
  {
    name: 'too many fields',
    body: Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`field${i}`, i])),
    reason: 'the JSON body has more than 200 fields',
  },
  {
    name: 'a JSON array',
    body: '[{"ticker":"ES1!","action":"buy"}]',
    contentType: 'application/json',
    reason: 'a JSON body must be an object, got an array',
  },
  {
    name: 'malformed JSON sent as JSON',
    body: '{"ticker": "ES1!", "action": "buy",}',
    contentType: 'application/json',
    reason: expectMalformedJson(),
  },
  {
    name: 'object where text is expected',
    body: { ticker: { symbol: 'ES1!' }, action: 'buy' },
    reason: 'missing ticker (send "ticker": "{{ticker}}")',
  },
  {
    name: 'array where a number is expected',
    body: { ticker: 'ES1!', action: 'buy', contracts: [1, 2] },
    reason: 'field "contracts" must be a number, got an array',
  },
  {
    name: 'boolean where a number is expected',
    body: { ticker: 'ES1!', action: 'buy', price: true },
    reason: 'field "price" must be a number, got boolean true (expected {{close}})',
  },
  {
    name: 'text with nothing usable',
    body: 'hello world',
    reason: 'no fields found in the text alert (expected key=value pairs or "BUY 2 ES1! @ 6012.25")',
  },
];

/** V8's wording of a JSON syntax error, so the sample states the whole reason. */
function expectMalformedJson(): string {
  try {
    JSON.parse('{"ticker": "ES1!", "action": "buy",}');
  } catch (err) {
    return `malformed JSON body: ${(err as Error).message}`;
  }
  throw new Error('expected malformed JSON');
}
