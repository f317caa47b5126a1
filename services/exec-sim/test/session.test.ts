import { describe, expect, it } from 'vitest';
import { nextSessionEnd, parseSessionEnd } from '../src/session.js';

describe('session end', () => {
  it('is later the same day, or tomorrow once passed', () => {
    const end = parseSessionEnd('21:00');
    expect(nextSessionEnd(new Date('2026-11-24T14:30:00Z'), end).toISOString()).toBe('2026-11-24T21:00:00.000Z');
    expect(nextSessionEnd(new Date('2026-11-24T21:00:00Z'), end).toISOString()).toBe('2026-11-25T21:00:00.000Z');
    expect(nextSessionEnd(new Date('2026-12-31T22:00:00Z'), end).toISOString()).toBe('2027-01-01T21:00:00.000Z');
  });

  it('refuses a malformed time, naming the variable', () => {
    expect(() => parseSessionEnd('9pm')).toThrow(/EXEC_SESSION_END_UTC: expected HH:MM/);
    expect(() => parseSessionEnd('24:00')).toThrow(/EXEC_SESSION_END_UTC/);
  });
});
