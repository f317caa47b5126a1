// The HTTP server under every service: requests that never reach the app (malformed, no Host,
// not received in time) get a 4xx with a JSON reason, over a real socket; the app keeps serving.
import { connect } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpListener, listen, loadConfig, readBody } from '../src/service/index.js';

const REQUEST_TIMEOUT_MS = 300;
let listener: HttpListener;

/** Sends `parts` (the last after `stallMs`, if given) and reads until the server closes. */
function exchange(parts: string[], stallMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: listener.port });
    const received: Buffer[] = [];
    socket.on('connect', () => {
      socket.write(parts[0] as string);
      if (parts.length > 1) setTimeout(() => socket.writable && socket.write(parts.slice(1).join('')), stallMs);
    });
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(received).toString('utf8')));
    setTimeout(() => reject(new Error('no answer')), 10_000).unref();
  });
}

function statusAndReason(response: string): { status: number; error: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
  const body = response.slice(response.indexOf('\r\n\r\n') + 4);
  return { status, error: (JSON.parse(body) as { error?: unknown }).error };
}

beforeAll(async () => {
  const app = new Hono();
  app.post('/echo', async (c) => c.text((await readBody(c)).toString('utf8')));
  listener = await listen(app, 0, '127.0.0.1', { requestTimeoutMs: REQUEST_TIMEOUT_MS });
});

afterAll(async () => listener?.close());

describe('requests that never reach the app', () => {
  it('answers a body stalled past the request timeout with 408 and a reason', async () => {
    const head = 'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n{"a"';
    const answer = statusAndReason(await exchange([head]));
    expect(answer).toEqual({ status: 408, error: expect.stringContaining(`within ${REQUEST_TIMEOUT_MS} ms`) });
  });

  it('answers headers trickled past the request timeout (slowloris) with 408', async () => {
    const answer = statusAndReason(await exchange(['POST /echo HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: 1\r\n'], REQUEST_TIMEOUT_MS * 4));
    expect(answer.status).toBe(408);
  });

  it.each([
    ['a CR inside a header value', 'POST /echo HTTP/1.1\r\nHost: localhost\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n'],
    ['two different Content-Lengths', 'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ['no Host header', 'POST /echo HTTP/1.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab'],
    ['an asterisk target', 'POST * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab'],
  ])('refuses %s with 400 and a reason', async (_name, request) => {
    const answer = statusAndReason(await exchange([request]));
    expect(answer).toEqual({ status: 400, error: expect.stringMatching(/^malformed HTTP request: ./) });
  });

  it('still serves a whole request sent in one go', async () => {
    const response = await fetch(`http://127.0.0.1:${listener.port}/echo`, { method: 'POST', body: 'hello' });
    expect(await response.text()).toBe('hello');
  });
});

describe('HTTP_REQUEST_TIMEOUT_MS', () => {
  const defaults = { serviceName: 'svc', port: 1 };
  it('defaults to 10 s and refuses what is not a positive integer', () => {
    expect(loadConfig(defaults, {}, {}).HTTP_REQUEST_TIMEOUT_MS).toBe(10_000);
    expect(() => loadConfig(defaults, {}, { HTTP_REQUEST_TIMEOUT_MS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS: must be positive/);
  });
});
