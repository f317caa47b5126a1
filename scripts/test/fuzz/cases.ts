// A fuzz case is a request plus the statuses it may get; a batch of cases is sent concurrently
// and every answer is judged: an expected status, a 4xx with a reason a client can act on, and
// an answer at all (a timeout is a hang, a dropped connection a crash).
import fc from 'fast-check';
import { brief } from './hostile.js';
import type { HttpAnswer, HttpRequest, KeepAliveClient } from './http.js';

export interface HttpCase {
  label: string;
  request: HttpRequest;
  /** The statuses this request may get: only 4xx, or 2xx for a request built to be valid. */
  expected: readonly number[];
}

/** A case whose counterexample prints as its label, not as kilobytes of body. */
export function httpCase(label: string, request: HttpRequest, expected: readonly number[]): HttpCase {
  return Object.assign(
    { label, request, expected },
    { [fc.toStringMethod]: () => `${request.method} ${request.path.slice(0, 60)} [${label}]` },
  );
}

export type Outcome = { ok: true; answer: HttpAnswer } | { ok: false; error: string };

export async function sendAll(client: KeepAliveClient, cases: readonly HttpCase[], timeoutMs: number): Promise<Outcome[]> {
  return Promise.all(
    cases.map((c) =>
      client.send(c.request, timeoutMs).then(
        (answer): Outcome => ({ ok: true, answer }),
        (err: unknown): Outcome => ({ ok: false, error: err instanceof Error ? err.message : String(err) }),
      ),
    ),
  );
}

/** What is wrong with an answer to a request that expected one of `expected`, if anything. */
export function judge(answer: HttpAnswer, expected: readonly number[]): string | undefined {
  if (!expected.includes(answer.status)) return `got ${answer.status}, expected ${expected.join(' or ')}: ${brief(answer.body)}`;
  if (answer.status >= 400 && answer.status < 500) {
    let reason: unknown;
    try {
      const { error } = JSON.parse(answer.body) as { error?: unknown };
      // The app's `{ error: "..." }`, or JSON-RPC's `{ error: { message } }` from the MCP endpoint.
      reason = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error;
    } catch {
      // not JSON
    }
    if (typeof reason !== 'string' || reason.length === 0) return `a ${answer.status} without a JSON reason: ${brief(answer.body)}`;
  }
  return undefined;
}

/** One line per case that failed, naming the request. */
export function failuresOf(cases: readonly HttpCase[], outcomes: readonly Outcome[]): string[] {
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const outcome = outcomes[i] as Outcome;
    const problem = outcome.ok ? judge(outcome.answer, c.expected) : `no answer: ${outcome.error}`;
    if (problem)
      failures.push(
        `${c.request.method} ${brief(c.request.path, 80)} [${c.label}] headers ${brief(c.request.headers ?? {})} body ${brief(c.request.body ?? '')}: ${problem}`,
      );
  });
  return failures;
}

export function assertNoFailures(what: string, failures: readonly string[]): void {
  if (failures.length > 0) throw new Error(`${what}: ${failures.length} failed\n${failures.slice(0, 20).join('\n')}`);
}

export const WRONG_METHODS = ['GET', 'PUT', 'DELETE', 'PATCH'] as const;

/** Every client-error status: for refusals whose exact status is the server's or the SDK's choice. */
export const FOUR_XX: readonly number[] = Array.from({ length: 100 }, (_, i) => 400 + i);
