// Hostile HTTP below the app, sent as raw bytes to any service: header injection, broken framing,
// broken request lines, missing Host, oversize headers, and requests trickled slower than the
// request timeout. `malformedAndSlowRequests` registers the two properties every service shares:
// each connection gets only 4xx answers with a reason (408 for the slow ones), nothing is
// published, and the service stays healthy.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { assertNoFailures, FOUR_XX, judge } from './cases.js';
import { brief, injectedHeaderValue } from './hostile.js';
import { type HttpAnswer, KeepAliveClient, rawExchange, rawRequest } from './http.js';
import { fuzzOptions } from './settings.js';

export interface RawCase {
  label: string;
  bytes: Buffer;
}

export interface SlowCase {
  label: string;
  parts: Buffer[];
  gapMs: number;
}

const BATCH = 50;
const ANSWER_TIMEOUT_MS = 10_000;
const TRICKLE_GAP_MS = 250;

const withLabel = <T extends { label: string }>(value: T): T => Object.assign(value, { [fc.toStringMethod]: () => value.label });

/** Raw requests to `targets`, which must be refused whatever an injected header adds (no valid credentials). */
export function malformedRequest(targets: readonly string[], headers: readonly string[]): fc.Arbitrary<RawCase> {
  const target = fc.constantFrom(...targets);
  const request = (line: string, lines: string[], body = '{}') => rawRequest(line, lines, Buffer.from(body));
  return fc.oneof(
    // A CR/LF/NUL or raw UTF-8 in a header value.
    fc.record({ target, header: fc.constantFrom(...headers), value: injectedHeaderValue }).map(({ target, header, value }) =>
      withLabel({
        label: `header injection in ${header}`,
        bytes: request(`POST ${target} HTTP/1.1`, ['Host: localhost', 'Connection: close', `${header}: ${value}`, 'Content-Length: 2']),
      }),
    ),
    // Framing a server must not guess at.
    fc
      .record({
        target,
        framing: fc.constantFrom(
          ['Content-Length: 2', 'Content-Length: 3'],
          ['Content-Length: -1'],
          ['Content-Length: +2'],
          ['Content-Length: 0x2'],
          ['Content-Length: 2, 2'],
          ['Content-Length: 99999999999999999999'],
          ['Transfer-Encoding: chunked', 'Content-Length: 2'],
          ['Transfer-Encoding: chunked, identity'],
          ['Transfer-Encoding: gzip'],
          ['Transfer-Encoding: chunked'],
        ),
        body: fc.constantFrom('{}', 'zz\r\n{}\r\n0\r\n\r\n', '2;ext="\u0000"\r\n{}\r\n0\r\n\r\n', '2\r\n{}\r\n1\r\n', '-1\r\n\r\n'),
      })
      .map(({ target, framing, body }) =>
        withLabel({
          label: `framing ${framing.join(' / ')}`,
          bytes: request(`POST ${target} HTTP/1.1`, ['Host: localhost', 'Connection: close', ...framing], body),
        }),
      ),
    // A broken request line: methods, targets and versions that are not HTTP/1.1.
    fc
      .record({
        method: fc.constantFrom('POST', 'post', 'P0ST', 'POST\u0000', 'GET /health', ''),
        target: fc.oneof(target, fc.constantFrom('/a b', '/\u202e\u0415', 'http://evil.example/', '*', 'no-slash')),
        version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', 'HTTX/1.1', ''),
      })
      .map(({ method, target, version }) =>
        withLabel({
          label: `request line ${JSON.stringify(`${method} ${target} ${version}`)}`,
          bytes: request(`${method} ${target} ${version}`, ['Host: localhost', 'Connection: close', 'Content-Length: 2']),
        }),
      ),
    // Missing or repeated Host, and headers past Node's size limit.
    fc
      .record({ target, host: fc.constantFrom([], ['Host: a', 'Host: b'], ['Host: \u0000']), big: fc.integer({ min: 0, max: 20_000 }) })
      .map(({ target, host, big }) =>
        withLabel({
          label: `host ${JSON.stringify(host)}, ${big}-byte header`,
          bytes: request(`POST ${target} HTTP/1.1`, [...host, 'Connection: close', `X-Big: ${'a'.repeat(big)}`, 'Content-Length: 2']),
        }),
      ),
  );
}

/** `method target` requests (with `headers`) whose body or headers arrive slower than `requestTimeoutMs`. */
export function slowRequest(method: string, target: string, headers: readonly string[], requestTimeoutMs: number): fc.Arbitrary<SlowCase> {
  // Enough pieces that trickling them takes about twice the request timeout.
  const pieces = Math.ceil((requestTimeoutMs * 2) / TRICKLE_GAP_MS);
  const head = (framing: string) => rawRequest(`${method} ${target} HTTP/1.1`, ['Host: localhost', ...headers, framing]);
  const body = '{}'.padEnd(pieces, ' ');
  return fc
    .constantFrom<SlowCase>(
      {
        label: 'body trickled a byte at a time',
        parts: [head(`Content-Length: ${body.length}`), ...[...body].map((ch) => Buffer.from(ch))],
        gapMs: TRICKLE_GAP_MS,
      },
      {
        label: 'chunked body trickled',
        parts: [head('Transfer-Encoding: chunked'), ...Array.from({ length: pieces }, () => Buffer.from('1\r\n \r\n'))],
        gapMs: TRICKLE_GAP_MS,
      },
      { label: 'declared body never sent', parts: [head('Content-Length: 100'), Buffer.from('{"a"')], gapMs: 0 },
      {
        label: 'headers trickled (slowloris)',
        parts: [
          `POST ${target} HTTP/1.1\r\n`,
          'Host: localhost\r\n',
          ...Array.from({ length: pieces }, (_, i) => `X-Slow-${i}: 1\r\n`),
        ].map((line) => Buffer.from(line)),
        gapMs: TRICKLE_GAP_MS,
      },
    )
    .map((c) => withLabel({ ...c }));
}

/** What is wrong with the answers on one raw connection: none, a non-4xx, a 4xx without a reason. */
function rawProblems(c: RawCase, answers: HttpAnswer[]): string[] {
  if (answers.length === 0) return [`[${c.label}] ${brief(c.bytes)}: closed without an answer`];
  return answers.flatMap((answer) => {
    const problem = judge(answer, FOUR_XX);
    return problem ? [`[${c.label}] ${brief(c.bytes)}: ${problem}`] : [];
  });
}

export interface RawSuiteOptions {
  service: string;
  port: () => number;
  /** A count that grows with every event the service publishes (a stream's last sequence, a subject's count). */
  published: () => Promise<number>;
  malformed: fc.Arbitrary<RawCase>;
  malformedRuns: number;
  slow: fc.Arbitrary<SlowCase>;
  slowRuns: number;
  requestTimeoutMs: number;
}

async function expectHealthy(port: number): Promise<void> {
  const client = new KeepAliveClient(port, 1);
  try {
    expect((await client.send({ method: 'GET', path: '/health' }, ANSWER_TIMEOUT_MS)).status).toBe(200);
  } finally {
    client.close();
  }
}

/** Registers the malformed-HTTP and slow-request properties for one running service. */
export function malformedAndSlowRequests(options: RawSuiteOptions): void {
  const { service, port, published } = options;

  it('refuses malformed HTTP (header injection, broken framing) with a 4xx and a reason, and publishes nothing', async () => {
    const runs = Math.max(BATCH, Math.ceil(options.malformedRuns / BATCH) * BATCH);
    await fc.assert(
      fc.asyncProperty(fc.array(options.malformed, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        const before = await published();
        const results = await Promise.all(
          cases.map((c) =>
            rawExchange(port(), [c.bytes], { timeoutMs: ANSWER_TIMEOUT_MS }).then(
              (exchange) => rawProblems(c, exchange.answers),
              (err: Error) => [`[${c.label}] ${brief(c.bytes)}: ${err.message}`],
            ),
          ),
        );
        assertNoFailures(`${service}, raw requests`, results.flat());
        expect(await published(), 'events published in this batch').toBe(before);
      }),
      fuzzOptions(`${service}, malformed HTTP`, runs, BATCH),
    );
    await expectHealthy(port());
  }, 120_000);

  it('answers bodies and headers slower than HTTP_REQUEST_TIMEOUT_MS with 408, and publishes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(options.slow, { minLength: options.slowRuns, maxLength: options.slowRuns }), async (cases) => {
        const before = await published();
        const exchanges = await Promise.all(
          cases.map((c) => rawExchange(port(), c.parts, { gapMs: c.gapMs, timeoutMs: options.requestTimeoutMs + ANSWER_TIMEOUT_MS })),
        );
        const failures = exchanges.flatMap(({ answers }, i) => {
          const [only] = answers;
          const problem = answers.length === 1 && only ? judge(only, [408]) : `${answers.length} answers`;
          return problem ? [`[${(cases[i] as SlowCase).label}] got ${answers.map((a) => a.status).join(', ')}: ${problem}`] : [];
        });
        assertNoFailures(`${service}, slow requests`, failures);
        expect(await published(), 'events published').toBe(before);
      }),
      fuzzOptions(`${service}, slow requests`, options.slowRuns, options.slowRuns),
    );
    await expectHealthy(port());
  }, 60_000);
}
