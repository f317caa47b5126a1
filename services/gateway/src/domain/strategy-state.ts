// The strategy's position as a TradingView strategy alert reports it. Two placeholders carry the
// size: `{{strategy.position_size}}` is signed (negative when short) and
// `{{strategy.market_position_size}}` is absolute; the contract keeps the absolute size plus the
// direction, so a signed size is split into both, and a direction that contradicts the size
// (`short` with +2 is accepted as an absolute size, `long` with -2 is not) is refused.
import type { MarketPosition } from '../../../../generated/types.js';
import type { TradingViewFields } from './tradingview-aliases.js';

export interface StrategyState {
  /** Position after the order. */
  marketPosition?: MarketPosition;
  /** Absolute size of the position after the order. */
  positionSize?: number;
  /** Position before the order (`{{strategy.prev_market_position}}`). */
  prevMarketPosition?: MarketPosition;
}

export type StrategyStateRead = { ok: true; state: StrategyState } | { ok: false; reason: string };

const POSITIONS: readonly MarketPosition[] = ['long', 'short', 'flat'];

export function readStrategyState(fields: TradingViewFields): StrategyStateRead {
  const after = parsePosition('market_position', fields.marketPosition);
  if (!after.ok) return after;
  const before = parsePosition('prev_market_position', fields.prevMarketPosition);
  if (!before.ok) return before;
  const stated = after.position;

  const signed = fields.positionSize;
  const absolute = fields.marketPositionSize;
  if (signed !== undefined && absolute !== undefined && Math.abs(signed) !== absolute) {
    return { ok: false, reason: `position_size ${signed} and market_position_size ${absolute} disagree` };
  }
  const size = absolute ?? (signed === undefined ? undefined : Math.abs(signed));
  const implied: MarketPosition | undefined = signed === undefined ? undefined : signed > 0 ? 'long' : signed < 0 ? 'short' : 'flat';
  const marketPosition = stated ?? implied;

  if (stated !== undefined && size !== undefined) {
    const contradiction =
      (stated === 'flat' && size !== 0) || (stated !== 'flat' && size === 0) || (stated === 'long' && signed !== undefined && signed < 0);
    if (contradiction) return { ok: false, reason: `market_position "${stated}" contradicts position size ${signed ?? size}` };
  }
  return {
    ok: true,
    state: {
      ...(marketPosition !== undefined && { marketPosition }),
      ...(size !== undefined && { positionSize: size }),
      ...(before.position !== undefined && { prevMarketPosition: before.position }),
    },
  };
}

type PositionRead = { ok: true; position?: MarketPosition } | { ok: false; reason: string };

function parsePosition(field: string, written: string | undefined): PositionRead {
  if (written === undefined) return { ok: true };
  const word = written.trim().toLowerCase();
  return isPosition(word) ? { ok: true, position: word } : { ok: false, reason: `${field} "${written}" is not long, short or flat` };
}

function isPosition(word: string): word is MarketPosition {
  return (POSITIONS as readonly string[]).includes(word);
}
