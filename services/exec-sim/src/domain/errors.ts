// Errors the engine throws. Business outcomes (a risk denial, an unfillable FOK) are never
// errors: they are `rejected` or `canceled` order updates. These are for inputs the caller must
// not send (an unparsable time, a NaN price), a bad configuration and an unusable snapshot.

/** An engine input is malformed (the caller's bug, not the agent's). */
export class EngineInputError extends Error {
  override readonly name = 'EngineInputError';
}

/** One problem in an engine configuration; `path` is dotted (`risk.defaults.futures.maxPosition`). */
export interface EngineConfigIssue {
  path: string;
  message: string;
}

/** The engine configuration does not match its schema. */
export class EngineConfigError extends Error {
  override readonly name = 'EngineConfigError';

  constructor(
    readonly issues: EngineConfigIssue[],
    options?: ErrorOptions,
  ) {
    super(`invalid exec-sim engine config:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`, options);
  }
}

/** A snapshot is not one this engine wrote (wrong format or version). */
export class EngineSnapshotError extends Error {
  override readonly name = 'EngineSnapshotError';
}
