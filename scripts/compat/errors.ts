// Bad input to the gate (exit 2): a file it cannot read or understand, or a bad flag. Kept apart
// from findings so "the contract is incompatible" (exit 1) never hides "the gate could not run".
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** The file (or flag) at fault, as the user named it. */
    readonly source: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${reason}`, options);
  }
}
