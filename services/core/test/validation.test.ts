import { describe, expect, it } from 'vitest';
import { ContractValidationError, formatIssues, toValidationIssues } from '../src/validation.js';
import { makeContract, order, orderSchema } from './support/fixtures.js';

const contract = makeContract('orders.placed', '1.0.0', orderSchema);

function issuesOf(data: unknown) {
  const result = contract.validate(data);
  if (result.ok) throw new Error('expected the payload to be invalid');
  return result.issues;
}

describe('toValidationIssues', () => {
  it('returns no issues for null or undefined', () => {
    expect(toValidationIssues(null)).toEqual([]);
    expect(toValidationIssues(undefined)).toEqual([]);
  });

  it('names the enum values', () => {
    expect(issuesOf(order({ side: 'hold' as never }))).toEqual([{ path: '/side', keyword: 'enum', message: 'must be one of buy, sell' }]);
  });

  it('names the expected type', () => {
    expect(issuesOf(order({ quantity: '10' as never }))).toEqual([{ path: '/quantity', keyword: 'type', message: 'must be number' }]);
  });

  it('points a missing field at the field itself', () => {
    const { side: _omitted, ...withoutSide } = order();
    expect(issuesOf(withoutSide)).toEqual([{ path: '/side', keyword: 'required', message: 'missing required field "side"' }]);
  });

  it('points a missing nested field and an extra field at those fields', () => {
    const issues = issuesOf({ ...order(), instrument: {}, extra: true });
    expect(issues).toContainEqual({ path: '/instrument/symbol', keyword: 'required', message: 'missing required field "symbol"' });
    expect(issues).toContainEqual({ path: '/extra', keyword: 'additionalProperties', message: 'unexpected field "extra"' });
  });

  it('describes formats and falls back to the ajv message for other keywords', () => {
    const issues = issuesOf(order({ occurredAt: 'yesterday', quantity: 0 }));
    expect(issues).toContainEqual({ path: '/occurredAt', keyword: 'format', message: 'must be a valid date-time' });
    expect(issues).toContainEqual({ path: '/quantity', keyword: 'exclusiveMinimum', message: 'must be > 0' });
  });

  it('escapes property names per RFC 6901', () => {
    const issues = toValidationIssues([
      { keyword: 'required', instancePath: '/a', schemaPath: '#/required', params: { missingProperty: 'x/y~z' } },
    ]);
    expect(issues[0]?.path).toBe('/a/x~1y~0z');
  });
});

describe('formatIssues', () => {
  it('reports missing and extra fields on their parent, others on the field', () => {
    const { side: _omitted, ...withoutSide } = order({ quantity: '1' as never });
    const text = formatIssues(issuesOf({ ...withoutSide, instrument: {} }));
    expect(text).toContain('(root): missing required field "side"');
    expect(text).toContain('/instrument: missing required field "symbol"');
    expect(text).toContain('/quantity: must be number');
    expect(text.split('; ')).toHaveLength(3);
  });
});

describe('ContractValidationError', () => {
  it('carries subject, version and issues, and names the fields in its message', () => {
    const issues = issuesOf(order({ side: 'hold' as never }));
    const error = new ContractValidationError('orders.placed', '1.0.0', issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ContractValidationError');
    expect(error.subject).toBe('orders.placed');
    expect(error.version).toBe('1.0.0');
    expect(error.issues).toEqual(issues);
    expect(error.message).toBe('invalid orders.placed v1.0.0 payload: /side: must be one of buy, sell');
  });
});
