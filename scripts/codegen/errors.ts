// A problem in a contract, reported with the file and the place in it so the author can fix it.
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly file: string,
    readonly location: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${location ? ` ${location}` : ''}: ${reason}`, options);
  }
}
