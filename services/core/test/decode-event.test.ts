import { describe, expect, it } from 'vitest';
import { contractsByMajor, majorVersion } from '../src/nats/contract.js';
import { decodeEvent } from '../src/nats/decode-event.js';
import { buildEventHeaders } from '../src/nats/headers.js';
import { makeContract, order, orderSchema } from './support/fixtures.js';

const subject = 'orders.placed';
const contracts = contractsByMajor([makeContract(subject, '1.4.0', orderSchema), makeContract(subject, '2.0.0', orderSchema)]);
const headersFor = (schemaVersion: string) => buildEventHeaders({ eventId: 'e-1', subject, schemaVersion, source: 'test' });
const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('decodeEvent', () => {
  it('accepts any minor of an accepted major and returns the matching contract', () => {
    const decoded = decodeEvent({ subject, data: body(order()), headers: headersFor('1.9.3') }, contracts);
    expect(decoded.ok && decoded.contract.version).toBe('1.4.0');
    expect(decoded.ok && decoded.payload).toEqual(order());
  });

  it.each([
    ['invalid_headers', { subject, data: body(order()), headers: undefined }],
    ['unknown_major_version', { subject, data: body(order()), headers: headersFor('3.0.0') }],
    ['unknown_major_version', { subject, data: body(order()), headers: headersFor('latest') }],
    ['unexpected_subject', { subject: 'orders.other', data: body(order()), headers: headersFor('1.0.0') }],
    ['undecodable', { subject, data: new Uint8Array([0xff, 0xfe]), headers: headersFor('1.0.0') }],
    ['undecodable', { subject, data: new TextEncoder().encode('{"a":'), headers: headersFor('1.0.0') }],
    ['validation_failed', { subject, data: body({ ...order(), side: 'x' }), headers: headersFor('1.0.0') }],
  ])('classifies as %s', (reason, msg) => {
    const decoded = decodeEvent(msg, contracts);
    expect(decoded).toMatchObject({ ok: false, reason });
    expect(decoded.ok || decoded.issues.length > 0).toBe(true);
  });
});

describe('decodeEvent against the headers contract', () => {
  it('dead-letters an event whose ce-type names another subject', () => {
    const headers = buildEventHeaders({ eventId: 'e-2', subject: 'alerts.fired', schemaVersion: '1.0.0', source: 'test' });
    const decoded = decodeEvent({ subject, data: body(order()), headers }, contracts);
    expect(decoded).toMatchObject({ ok: false, reason: 'invalid_headers', issues: [{ path: '/headers/ce-type' }] });
  });

  it('dead-letters headers the contract rejects, naming the header', () => {
    const strict = {
      ...makeContract(subject, '1.0.0', orderSchema),
      validateHeaders: (h: Record<string, string>) =>
        h['ce-source']?.startsWith('/')
          ? { ok: true as const, value: h }
          : { ok: false as const, issues: [{ path: '/ce-source', keyword: 'pattern', message: 'must start with /' }] },
    };
    const decoded = decodeEvent({ subject, data: body(order()), headers: headersFor('1.0.0') }, contractsByMajor(strict));
    expect(decoded).toMatchObject({ ok: false, reason: 'invalid_headers', issues: [{ path: '/headers/ce-source' }] });
  });
});

describe('contracts', () => {
  it('reads the major of a semver string only', () => {
    expect(majorVersion('2.10.1')).toBe(2);
    expect(majorVersion('0.1.0-rc.1')).toBe(0);
    expect(majorVersion('2')).toBeUndefined();
  });

  it('refuses contract lists a consumer cannot serve unambiguously', () => {
    expect(() => contractsByMajor([])).toThrow(/at least one/);
    expect(() => contractsByMajor([makeContract('a', '1.0.0', orderSchema), makeContract('b', '2.0.0', orderSchema)])).toThrow(
      /share a subject/,
    );
    expect(() => contractsByMajor([makeContract('a', '1.0.0', orderSchema), makeContract('a', '1.1.0', orderSchema)])).toThrow(
      /two contracts/,
    );
  });
});
