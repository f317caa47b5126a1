// Public API of the built-in strategy agents (pure code, no NATS).
export { floorToLot, type InstrumentSpec, instrumentSpec } from './instrument-spec.js';
export { MomentumAgent, type MomentumConfig, momentum, momentumConfigSchema } from './momentum.js';
export { movePosition, type OrderShape } from './position.js';
export { type FillReport, type OrderReport, PositionBook, type PositionBookState } from './position-book.js';
export { BUILTIN_AGENT_KINDS, type ConfigCheck, checkAgentConfig, describeIssues, zodIssues } from './registry.js';
export { type QuantityByAssetClass, quantityByAssetClassSchema, quantityFor, toLots } from './sizing.js';
export {
  TradingViewFollowAgent,
  type TradingViewFollowConfig,
  tradingViewFollow,
  tradingViewFollowConfigSchema,
} from './tradingview-follow.js';
export {
  type Agent,
  type AgentContext,
  type AgentKind,
  type AgentState,
  instrumentKey,
  type OrderIntentDraft,
  opposite,
  orderIdOf,
} from './types.js';
