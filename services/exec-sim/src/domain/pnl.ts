// PnL totals per strategy and overall. Amounts in different currencies are never added: each
// currency gets its own line (the engine has no exchange rates).
import { getOrCreate } from './context.js';
import { roundMoney } from './numeric.js';
import type { PnlLine, PnlReport, PositionView } from './types.js';

export function pnlReport(positions: readonly PositionView[]): PnlReport {
  const byStrategy = new Map<string, Map<string, PnlLine>>();
  const total = new Map<string, PnlLine>();
  for (const position of positions) {
    const lines = getOrCreate(byStrategy, position.strategyId, () => new Map<string, PnlLine>());
    for (const table of [lines, total])
      add(table, position.realizedPnl.currency, position.realizedPnl.amount, position.unrealizedPnl.amount);
  }
  return {
    strategies: [...byStrategy.keys()].sort().map((strategyId) => ({ strategyId, lines: sortedLines(byStrategy.get(strategyId)) })),
    total: sortedLines(total),
  };
}

function add(table: Map<string, PnlLine>, currency: string, realized: number, unrealized: number): void {
  const line = table.get(currency) ?? { currency, realized: 0, unrealized: 0, total: 0 };
  line.realized = roundMoney(line.realized + realized);
  line.unrealized = roundMoney(line.unrealized + unrealized);
  line.total = roundMoney(line.realized + line.unrealized);
  table.set(currency, line);
}

function sortedLines(table: Map<string, PnlLine> | undefined): PnlLine[] {
  return [...(table?.values() ?? [])].sort((a, b) => a.currency.localeCompare(b.currency));
}
