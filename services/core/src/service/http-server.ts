// The Node HTTP server under every service's app. It bounds the time to receive a request, and
// answers the requests that never reach the app with the same JSON reason as the app's own 4xx:
// the ones Node's parser refuses (malformed request line or headers, headers too large), the ones
// not received in full in time (a stalled or trickled body, slowloris headers: 408), and the ones
// no web Request can be built from (no Host, a bad target). A refused connection closes after a
// short linger, so a client still sending does not turn the answer into a TCP reset that loses it.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

const LINGER_MS = 1_000;

interface ClientError extends Error {
  code?: string;
  /** llhttp's description of what was malformed. */
  reason?: string;
}

function answerFor(err: ClientError, requestTimeoutMs: number): { status: number; text: string; error: string } {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        text: 'Request Timeout',
        error: `the request was not received in full within ${requestTimeoutMs} ms (HTTP_REQUEST_TIMEOUT_MS)`,
      };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, text: 'Request Header Fields Too Large', error: 'the request headers are too large' };
    default:
      return { status: 400, text: 'Bad Request', error: `malformed HTTP request: ${err.reason ?? err.code ?? err.message}` };
  }
}

function rawResponse(status: number, text: string, error: string): string {
  const body = JSON.stringify({ error });
  return (
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

/** Requests @hono/node-server cannot turn into a web Request (it names them RequestError). */
function refuseUnbuildable(err: unknown): Response {
  if (err instanceof Error && err.name === 'RequestError')
    return Response.json({ error: `malformed HTTP request: ${err.message}` }, { status: 400 });
  return Response.json({ error: 'internal error' }, { status: 500 });
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its env
export function createHttpServer(app: Hono<any>, requestTimeoutMs: number): Server {
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      // How often Node looks for expired requests (30 s by default): a fraction of the timeout.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestTimeoutMs / 4))),
      // Node's own refusal of a missing Host is a bare 400; refuseUnbuildable says why.
      requireHostHeader: false,
    },
    getRequestListener(app.fetch, { errorHandler: refuseUnbuildable }),
  );
  answerClientErrors(server, requestTimeoutMs);
  return server;
}

/** Answers parser errors and request timeouts with a JSON reason instead of Node's bare status line. */
function answerClientErrors(server: Server, requestTimeoutMs: number): void {
  const answered = new WeakSet<Socket>();
  server.on('clientError', (err: ClientError, socket: Socket) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    // Node's own default makes the same check: once the app has started a response, raw bytes
    // would corrupt it (an early 413 whose body then stalls), so the connection just closes.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, text, error } = answerFor(err, requestTimeoutMs);
    socket.end(rawResponse(status, text, error));
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}
