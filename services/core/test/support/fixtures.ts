// Test fixtures: a hand-built order contract (ajv compiled at run time) and small polling helpers.
import { Ajv, type JSONSchemaType } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { EventContract } from '../../src/nats/contract.js';
import { toValidationIssues } from '../../src/validation.js';

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose .default is the plugin.
const addFormats = addFormatsModule.default;

export interface OrderPlaced {
  orderId: string;
  side: 'buy' | 'sell';
  quantity: number;
  instrument: { symbol: string };
  occurredAt: string;
}

export const orderSchema: JSONSchemaType<OrderPlaced> = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'side', 'quantity', 'instrument', 'occurredAt'],
  properties: {
    orderId: { type: 'string' },
    side: { type: 'string', enum: ['buy', 'sell'] },
    quantity: { type: 'number', exclusiveMinimum: 0 },
    instrument: {
      type: 'object',
      additionalProperties: false,
      required: ['symbol'],
      properties: { symbol: { type: 'string' } },
    },
    occurredAt: { type: 'string', format: 'date-time' },
  },
};

export const ajv = new Ajv({ allErrors: true });
addFormats(ajv);

export function makeContract<T>(subject: string, version: string, schema: JSONSchemaType<T>): EventContract<T> {
  const check = ajv.compile(schema);
  return {
    subject,
    version,
    validate: (data) => (check(data) ? { ok: true, value: data } : { ok: false, issues: toValidationIssues(check.errors) }),
  };
}

export function order(overrides: Partial<OrderPlaced> = {}): OrderPlaced {
  return {
    orderId: 'o-1',
    side: 'buy',
    quantity: 10,
    instrument: { symbol: 'AAPL' },
    occurredAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

let counter = 0;
/** Unique names per test, so tests sharing one server never see each other's streams. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
