// The names users give TradingView alert fields. Alert messages are hand-written templates, so
// the same placeholder shows up under many names; this table is the one place that says which
// name means which field. Names are compared after `aliasKey` (lower case, no `_`, `-`, `.` or
// spaces), so `market_position`, `marketPosition` and `strategy.market_position` inside nested
// JSON ({"strategy": {"market_position": ...}}) all work without listing every spelling.
//
// Deliberately absent: bare `stop`/`limit`/`sl`/`tp` (usually a bracket's protective levels, not
// an entry order's trigger), `lots` (an fx lot is 100,000 units, not one), `id`/`type`/`message`
// (too generic to mean one thing).

/** How a field's value is read: text, a signed number, a quantity (> 0), a size (>= 0), a timestamp (text or epoch number). */
export type FieldKind = 'text' | 'number' | 'quantity' | 'size' | 'time';

export const TRADINGVIEW_FIELDS = {
  ticker: { kind: 'text', placeholder: '{{ticker}}', names: ['ticker', 'symbol', 'tickerid', 'syminfo.tickerid', 'instrument', 'pair'] },
  exchange: { kind: 'text', placeholder: '{{exchange}}', names: ['exchange', 'syminfo.prefix', 'venue'] },
  action: {
    kind: 'text',
    placeholder: '{{strategy.order.action}}',
    names: ['action', 'strategy.order.action', 'order.action', 'order_action', 'signal'],
  },
  side: { kind: 'text', placeholder: '{{strategy.order.action}}', names: ['side', 'order_side', 'direction'] },
  quantity: {
    kind: 'quantity',
    placeholder: '{{strategy.order.contracts}}',
    names: [
      'contracts',
      'quantity',
      'qty',
      'size',
      'units',
      'strategy.order.contracts',
      'order.contracts',
      'order_contracts',
      'order.qty',
      'order_qty',
    ],
  },
  close: { kind: 'number', placeholder: '{{close}}', names: ['close', 'bar_close'] },
  price: { kind: 'number', placeholder: '{{close}}', names: ['price', 'entry_price'] },
  orderPrice: {
    kind: 'number',
    placeholder: '{{strategy.order.price}}',
    names: ['strategy.order.price', 'order.price', 'order_price', 'fill_price'],
  },
  limitPrice: { kind: 'number', placeholder: 'a limit price', names: ['limit_price', 'order.limit_price', 'lmt_price'] },
  stopPrice: { kind: 'number', placeholder: 'a stop price', names: ['stop_price', 'order.stop_price', 'trigger_price'] },
  orderType: { kind: 'text', placeholder: 'market|limit|stop|stop_limit', names: ['order_type', 'order.type'] },
  interval: { kind: 'text', placeholder: '{{interval}}', names: ['interval', 'timeframe', 'tf', 'resolution'] },
  time: { kind: 'time', placeholder: '{{time}}', names: ['time', 'bar_time'] },
  timenow: { kind: 'time', placeholder: '{{timenow}}', names: ['timenow', 'time_now', 'fired_at', 'timestamp'] },
  orderId: { kind: 'text', placeholder: '{{strategy.order.id}}', names: ['order_id', 'strategy.order.id', 'order.id'] },
  comment: {
    kind: 'text',
    placeholder: '{{strategy.order.comment}}',
    names: ['comment', 'strategy.order.comment', 'order.comment', 'order_comment'],
  },
  alertMessage: {
    kind: 'text',
    placeholder: '{{strategy.order.alert_message}}',
    names: ['alert_message', 'strategy.order.alert_message', 'order.alert_message'],
  },
  marketPosition: {
    kind: 'text',
    placeholder: '{{strategy.market_position}}',
    names: ['market_position', 'strategy.market_position', 'position'],
  },
  /** Signed, as `{{strategy.position_size}}`: negative for a short. */
  positionSize: { kind: 'number', placeholder: '{{strategy.position_size}}', names: ['position_size', 'strategy.position_size'] },
  /** Absolute, as `{{strategy.market_position_size}}`. */
  marketPositionSize: {
    kind: 'size',
    placeholder: '{{strategy.market_position_size}}',
    names: ['market_position_size', 'strategy.market_position_size'],
  },
  prevMarketPosition: {
    kind: 'text',
    placeholder: '{{strategy.prev_market_position}}',
    names: ['prev_market_position', 'strategy.prev_market_position', 'previous_position'],
  },
  alertId: { kind: 'text', placeholder: 'an alert id', names: ['alert_id'] },
} as const satisfies Record<string, { kind: FieldKind; placeholder: string; names: readonly string[] }>;

export type TradingViewFieldName = keyof typeof TRADINGVIEW_FIELDS;

type ValueOf<K extends FieldKind> = K extends 'text' ? string : K extends 'time' ? string | number : number;

/** The alert's fields under their canonical names, values already type-checked. */
export type TradingViewFields = { -readonly [F in TradingViewFieldName]?: ValueOf<(typeof TRADINGVIEW_FIELDS)[F]['kind']> };

/** The comparison key of a field name: `Market_Position`, `marketPosition`, `strategy.market-position` -> `marketposition` / `strategymarketposition`. */
export function aliasKey(name: string): string {
  return name.toLowerCase().replace(/[\s._-]/g, '');
}

const BY_ALIAS = new Map<string, TradingViewFieldName>();
for (const [field, spec] of Object.entries(TRADINGVIEW_FIELDS) as [TradingViewFieldName, { names: readonly string[] }][]) {
  for (const name of [field, ...spec.names]) {
    const claimedBy = BY_ALIAS.get(aliasKey(name));
    // Two fields claiming one spelling would make the table order decide; refuse at load time.
    if (claimedBy !== undefined && claimedBy !== field) throw new Error(`alias "${name}" is claimed by both ${claimedBy} and ${field}`);
    BY_ALIAS.set(aliasKey(name), field);
  }
}

/** The canonical field a user's key stands for, if any. */
export function fieldForName(name: string): TradingViewFieldName | undefined {
  return BY_ALIAS.get(aliasKey(name));
}
