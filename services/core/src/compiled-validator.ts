// Wraps an ajv standalone validator (generated code) into a type guard plus a validate()
// that returns readable issues. Generated validators call this; nothing compiles at run time.
import type { ErrorObject } from 'ajv';
import { toValidationIssues, type ValidationResult } from './validation.js';

/** The shape of one function in ajv's standalone output. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** NATS headers as a plain record, the form the headers schemas validate. */
export type EventHeadersRecord = Record<string, string>;

export interface ContractValidator<T> {
  is(data: unknown): data is T;
  validate(data: unknown): ValidationResult<T>;
}

export function contractValidator<T>(compiled: CompiledValidator): ContractValidator<T> {
  return {
    is: (data: unknown): data is T => compiled(data),
    validate: (data: unknown): ValidationResult<T> =>
      compiled(data) ? { ok: true, value: data as T } : { ok: false, issues: toValidationIssues(compiled.errors) },
  };
}
