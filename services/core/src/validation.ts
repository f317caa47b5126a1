// Turns ajv errors into issues a person can act on, and the error thrown when a payload breaks its contract.
import type { ErrorObject } from 'ajv';

/** One problem in a payload. `path` is a JSON pointer ("" is the root) naming the offending field. */
export interface ValidationIssue {
  path: string;
  message: string;
  keyword: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Keywords whose issue path names a child of the object the error was raised on. */
const CHILD_KEYWORDS = new Set(['required', 'additionalProperties']);

export function toValidationIssues(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map(toIssue);
}

function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  const { keyword, instancePath } = error;
  switch (keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      return { keyword, path: childPointer(instancePath, field), message: `missing required field "${field}"` };
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return { keyword, path: childPointer(instancePath, field), message: `unexpected field "${field}"` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(describeValue).join(', ');
      return { keyword, path: instancePath, message: `must be one of ${allowed}` };
    }
    case 'type': {
      const types = ([] as unknown[]).concat(params.type).join(' or ');
      return { keyword, path: instancePath, message: `must be ${types}` };
    }
    case 'const':
      return { keyword, path: instancePath, message: `must be ${describeValue(params.allowedValue)}` };
    case 'format':
      return { keyword, path: instancePath, message: `must be a valid ${String(params.format)}` };
    default:
      return { keyword, path: instancePath, message: error.message ?? `fails "${keyword}"` };
  }
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** RFC 6901 escaping, so a property named "a/b" stays one segment. */
function childPointer(parent: string, property: string): string {
  return `${parent}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function parentPointer(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

/** "/side: must be one of buy, sell"; a missing or extra field is reported on its parent: "(root): missing ...". */
export function formatIssue(issue: ValidationIssue): string {
  const location = CHILD_KEYWORDS.has(issue.keyword) ? parentPointer(issue.path) : issue.path;
  return `${location === '' ? '(root)' : location}: ${issue.message}`;
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map(formatIssue).join('; ');
}

/** Thrown by publish when a payload breaks its contract; nothing has been sent. */
export class ContractValidationError extends Error {
  override readonly name = 'ContractValidationError';

  constructor(
    readonly subject: string,
    readonly version: string,
    readonly issues: readonly ValidationIssue[],
    options?: ErrorOptions,
  ) {
    super(`invalid ${subject} v${version} payload: ${formatIssues(issues)}`, options);
  }
}
