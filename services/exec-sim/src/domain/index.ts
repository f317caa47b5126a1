// Public API of exec-sim's domain: the execution engine, its configuration, inputs and outputs.

export {
  DEFAULT_ENGINE_CONFIG,
  type EngineConfig,
  engineConfigSchema,
  type FillModelConfig,
  type InstrumentLimits,
  parseEngineConfig,
  type RiskLimits,
  type SlippageConfig,
  type StrategyLimits,
} from './config.js';
export { ExecutionEngine } from './engine.js';
export { EngineConfigError, type EngineConfigIssue, EngineInputError, EngineSnapshotError } from './errors.js';
export { type InstrumentRules, instrumentKey, resolveInstrumentRules } from './instrument-rules.js';
export { type EngineSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot.js';
export {
  type EngineInput,
  type EngineOutput,
  type OrderView,
  type PnlLine,
  type PnlReport,
  type PositionView,
  TradingState,
} from './types.js';
