// The order type a signal suggests. An explicit `order_type` wins; it may borrow the reference
// price (a "limit" with only `price` is a limit at that price, as in the contract's example).
// Without one: a limit price and a stop price make a stop_limit, either alone a limit or a stop,
// neither a market order. A type that needs a price nobody gave is refused rather than sent
// with a made-up price.
import type { OrderType } from '../../../../generated/types.js';

export interface OrderHint {
  orderTypeHint: OrderType;
  limitPrice?: number;
  stopPrice?: number;
}

export type OrderHintRead = { ok: true; hint: OrderHint } | { ok: false; reason: string };

export interface OrderHintInput {
  orderType?: string;
  limitPrice?: number;
  stopPrice?: number;
  /** The signal's reference price (order price or close). */
  price?: number;
}

const ORDER_TYPE_WORDS: Record<string, OrderType> = {
  market: 'market',
  mkt: 'market',
  limit: 'limit',
  lmt: 'limit',
  stop: 'stop',
  stp: 'stop',
  stop_market: 'stop',
  stop_limit: 'stop_limit',
  stoplimit: 'stop_limit',
};

export function resolveOrderHint(input: OrderHintInput): OrderHintRead {
  const { limitPrice, stopPrice, price } = input;
  if (input.orderType === undefined) {
    if (limitPrice !== undefined && stopPrice !== undefined) return hint({ orderTypeHint: 'stop_limit', limitPrice, stopPrice });
    if (limitPrice !== undefined) return hint({ orderTypeHint: 'limit', limitPrice });
    if (stopPrice !== undefined) return hint({ orderTypeHint: 'stop', stopPrice });
    return hint({ orderTypeHint: 'market' });
  }
  const type =
    ORDER_TYPE_WORDS[
      input.orderType
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_')
    ];
  if (type === undefined)
    return { ok: false, reason: `unknown order type "${input.orderType}" (expected market, limit, stop or stop_limit)` };
  switch (type) {
    case 'market':
      return hint({ orderTypeHint: 'market' });
    case 'limit': {
      const at = limitPrice ?? price;
      return at === undefined ? needs('limit', 'a limit price or a price') : hint({ orderTypeHint: 'limit', limitPrice: at });
    }
    case 'stop': {
      const at = stopPrice ?? price;
      return at === undefined ? needs('stop', 'a stop price or a price') : hint({ orderTypeHint: 'stop', stopPrice: at });
    }
    case 'stop_limit':
      if (limitPrice === undefined || stopPrice === undefined) return needs('stop_limit', 'both a stop price and a limit price');
      return hint({ orderTypeHint: 'stop_limit', limitPrice, stopPrice });
  }
}

function hint(value: OrderHint): OrderHintRead {
  return { ok: true, hint: value };
}

function needs(type: OrderType, what: string): OrderHintRead {
  return { ok: false, reason: `order type "${type}" needs ${what}` };
}
