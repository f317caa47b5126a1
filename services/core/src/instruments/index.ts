// Public API of the instrument catalog: the data file's schema, the loader and the lookups.

export type { InstrumentCatalog } from './catalog.js';
export { createInstrumentCatalog } from './catalog.js';
export { datedContract, ROLL_DAYS_BEFORE_EXPIRY, tradableInstrument } from './continuous.js';
export type { CryptoSymbol } from './crypto-symbol.js';
export { type FuturesContractSpec, MONTH_CODES, type MonthCode, parseFuturesSymbol } from './futures-symbol.js';
export {
  type CatalogIssue,
  DEFAULT_INSTRUMENTS_PATH,
  InstrumentCatalogError,
  loadInstrumentCatalog,
  parseInstrumentCatalog,
} from './load.js';
export type { InstrumentResolution, ResolvedCrypto, ResolvedFutures, ResolvedFx } from './resolve.js';
export * from './schema.js';
