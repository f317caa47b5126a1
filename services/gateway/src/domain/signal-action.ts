// What a signal asks for. Users write the action in many ways (buy/long, sell/short,
// exit/close/flat, reverse); TradingView strategy alerts only ever say buy or sell, and the
// strategy's position after the order tells whether that order opened, closed or flipped it.
//
// Inference from the strategy state, applied to buy/sell only (explicit exit/reverse words win):
//   - position after the order is flat                    -> exit (the order closed the position);
//   - position after is in the order's direction and either the previous position was the
//     opposite, or the order is bigger than the position it left (it went through zero)
//                                                         -> reverse;
//   - anything else (opening, adding, reducing)           -> buy / sell as written.
// A reduced-but-not-closed position stays buy/sell: the contract has no "reduce" action.
// `side` is the side of the order: for exit the side that closes (sell closes a long), for
// reverse the side of the new position; it is left out when nothing says it.
import type { MarketPosition, Side, SignalAction } from '../../../../generated/types.js';
import type { StrategyState } from './strategy-state.js';

type ActionMeaning = { action: SignalAction; side?: Side };

const ACTION_WORDS: Record<string, ActionMeaning> = {
  buy: { action: 'buy', side: 'buy' },
  long: { action: 'buy', side: 'buy' },
  sell: { action: 'sell', side: 'sell' },
  short: { action: 'sell', side: 'sell' },
  exit: { action: 'exit' },
  close: { action: 'exit' },
  flat: { action: 'exit' },
  flatten: { action: 'exit' },
  exit_long: { action: 'exit', side: 'sell' },
  close_long: { action: 'exit', side: 'sell' },
  exit_short: { action: 'exit', side: 'buy' },
  close_short: { action: 'exit', side: 'buy' },
  reverse: { action: 'reverse' },
};

const SIDE_WORDS: Record<string, Side> = { buy: 'buy', long: 'buy', sell: 'sell', short: 'sell' };

function wordKey(word: string): string {
  return word
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Whether a free-text word is an action (`BUY`, `close`, `exit-long`). */
export function isActionWord(word: string): boolean {
  return wordKey(word) in ACTION_WORDS;
}

export type ActionResolution = { ok: true; action: SignalAction; side?: Side } | { ok: false; reason: string };

export interface ActionInput {
  /** The action field as written (`buy`, `Long`, `close_short`, ...). */
  action?: string;
  /** A separate side field; stands in for the action when there is none. */
  side?: string;
  quantity?: number;
  state: StrategyState;
}

export function resolveSignalAction(input: ActionInput): ActionResolution {
  const written = input.action ?? input.side;
  if (written === undefined) return { ok: false, reason: 'missing action (send "action": "{{strategy.order.action}}")' };
  const meaning = ACTION_WORDS[wordKey(written)];
  if (!meaning) return { ok: false, reason: `unknown action "${written}" (expected buy, sell, long, short, exit, close, flat or reverse)` };
  let side = meaning.side;
  if (input.action !== undefined && input.side !== undefined) {
    const stated = SIDE_WORDS[wordKey(input.side)];
    if (!stated) return { ok: false, reason: `unknown side "${input.side}" (expected buy, sell, long or short)` };
    if (side !== undefined && side !== stated) return { ok: false, reason: `action "${input.action}" contradicts side "${input.side}"` };
    side = stated;
  }
  if (meaning.action === 'buy' || meaning.action === 'sell') return inferFromPosition(meaning.action, input.quantity, input.state);
  return { ok: true, action: meaning.action, ...withSide(side ?? closingSide(meaning.action, input.state)) };
}

function inferFromPosition(order: Side, quantity: number | undefined, state: StrategyState): ActionResolution {
  const { marketPosition: after, prevMarketPosition: before, positionSize } = state;
  if (after === 'flat') return { ok: true, action: 'exit', side: order };
  const sameDirection = after === directionOf(order);
  const flipped = before !== undefined && before !== 'flat' && before !== after;
  const crossedZero = quantity !== undefined && positionSize !== undefined && positionSize > 0 && quantity > positionSize;
  if (sameDirection && (flipped || crossedZero)) return { ok: true, action: 'reverse', side: order };
  return { ok: true, action: order, side: order };
}

/** Exit: the side that closes the previous position; reverse: the side of the new one. */
function closingSide(action: SignalAction, state: StrategyState): Side | undefined {
  if (action === 'exit') return sideToClose(state.prevMarketPosition);
  if (state.marketPosition === 'long') return 'buy';
  if (state.marketPosition === 'short') return 'sell';
  return sideToClose(state.prevMarketPosition);
}

function sideToClose(position: MarketPosition | undefined): Side | undefined {
  if (position === 'long') return 'sell';
  if (position === 'short') return 'buy';
  return undefined;
}

function directionOf(side: Side): MarketPosition {
  return side === 'buy' ? 'long' : 'short';
}

function withSide(side: Side | undefined): { side?: Side } {
  return side === undefined ? {} : { side };
}
