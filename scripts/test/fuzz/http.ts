// Two ways to send a hostile request over a real socket: through node:http on keep-alive
// connections (well-formed HTTP, fast), and as raw bytes on a fresh connection for what Node's
// client refuses to send (CR/LF or NUL in headers, broken framing, trickled bodies).
import http from 'node:http';
import { connect } from 'node:net';

export interface HttpRequest {
  method: string;
  /** Already percent-encoded: node:http sends only 0x21-0xff in a path. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Sent with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Keep-alive requests to one port, a few connections at a time. */
export class KeepAliveClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly port: number,
    maxSockets = 16,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  async send(request: HttpRequest, timeoutMs: number): Promise<HttpAnswer> {
    try {
      return await this.once(request, timeoutMs);
    } catch (err) {
      // A kept-alive socket the server closed just as it was reused: Node's documented retry case.
      if ((err as { reusedSocket?: boolean }).reusedSocket) return this.once(request, timeoutMs);
      throw err;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private once({ method, path, headers = {}, body, chunked }: HttpRequest, timeoutMs: number): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const sent = { ...headers, ...(body && !chunked ? { 'content-length': String(body.length) } : {}) };
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers: sent, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      function fail(err: Error) {
        clearTimeout(timer);
        reject(Object.assign(err, { reusedSocket: req.reusedSocket }));
      }
      req.on('error', fail);
      if (!body) req.end();
      else if (!chunked) req.end(body);
      else {
        // Two chunks, so the body really streams in without a declared length.
        const half = Math.floor(body.length / 2);
        req.write(body.subarray(0, half));
        req.end(body.subarray(half));
      }
    });
  }
}

export interface RawExchange {
  /** Every response read from the connection, in order. */
  answers: HttpAnswer[];
  /** The server closed the connection (rather than the client timing out). */
  closedByServer: boolean;
}

/**
 * Writes `parts` on a fresh connection, `gapMs` apart, and reads until the server closes it.
 * Fails when the server neither answers nor closes within `timeoutMs`.
 */
export function rawExchange(port: number, parts: Buffer[], options: { gapMs?: number; timeoutMs: number }): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let next = 0;
    let pacer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server neither answered nor closed within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const writeNext = () => {
      if (socket.destroyed || socket.writableEnded || next >= parts.length) return;
      socket.write(parts[next++] as Buffer);
      if (next < parts.length) pacer = setTimeout(writeNext, options.gapMs ?? 0);
    };
    socket.on('connect', writeNext);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // A reset after the answer (the server stopped reading a body it refused) is not a failure.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(pacer);
      resolve({ answers: parseResponses(Buffer.concat(received)), closedByServer: true });
    });
  });
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** The HTTP/1.1 responses in `data` (Content-Length or chunked bodies, else to the end). */
export function parseResponses(data: Buffer): HttpAnswer[] {
  const answers: HttpAnswer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const headEnd = data.indexOf(HEAD_END, offset);
    const head = data.subarray(offset, headEnd < 0 ? data.length : headEnd).toString('latin1');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
    if (headEnd < 0 || status === undefined) {
      answers.push({ status: 0, body: data.subarray(offset).toString('latin1') });
      break;
    }
    let bodyStart = headEnd + HEAD_END.length;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    if (length !== undefined) {
      answers.push({ status: Number(status), body: data.subarray(bodyStart, bodyStart + Number(length)).toString('utf8') });
      offset = bodyStart + Number(length);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const chunks: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf('\r\n', bodyStart);
        const size = lineEnd < 0 ? 0 : Number.parseInt(data.subarray(bodyStart, lineEnd).toString('latin1'), 16);
        if (!size) {
          bodyStart = lineEnd < 0 ? data.length : lineEnd + 4;
          break;
        }
        chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
        bodyStart = lineEnd + 2 + size + 2;
      }
      answers.push({ status: Number(status), body: Buffer.concat(chunks).toString('utf8') });
      offset = bodyStart;
    } else {
      answers.push({ status: Number(status), body: data.subarray(bodyStart).toString('utf8') });
      break;
    }
  }
  return answers;
}

/** The bytes of one request: request line, header lines as given (nothing checked), body. */
export function rawRequest(requestLine: string, headerLines: string[], body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from(`${requestLine}\r\n${headerLines.map((line) => `${line}\r\n`).join('')}\r\n`, 'utf8'), body]);
}
