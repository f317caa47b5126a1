// The process around a service: listen, and on SIGTERM/SIGINT stop accepting HTTP, finish
// in-flight requests, run the service's own shutdown (drain NATS, flush), then exit 0.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { ConfigError } from './config.js';
import { createHttpServer } from './http-server.js';

export interface HttpListener {
  server: Server;
  port: number;
  /** Stops accepting connections and resolves when in-flight requests are done. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /**
   * Time to receive a whole request, headers and body (HTTP_REQUEST_TIMEOUT_MS); past it the
   * client gets 408 and the connection closes. Node's own default is 5 minutes, enough for a
   * trickled body to hold a connection and a handler that long.
   */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its env
export async function listen(app: Hono<any>, port: number, host: string, options: ListenOptions = {}): Promise<HttpListener> {
  const server = createHttpServer(app, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  server.listen(port, host);
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive connections turn idle once their in-flight request is answered: close them as they do.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close((err) => {
          clearInterval(sweep);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** Runs `shutdown` once on the first SIGTERM or SIGINT, then exits (0, or 1 if shutdown failed). */
export function onShutdownSignal(logger: Logger, shutdown: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    shutdown().then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush(() => process.exit(1));
      },
    );
  };
  // Stay subscribed: a second signal (Ctrl-C reaches the whole process group, and a supervisor
  // may send SIGTERM too) must not kill the process halfway through its shutdown.
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/** Start-up failures (bad config above all) end the process with a readable message, not a stack. */
export function exitOnStartupError(service: string, err: unknown): never {
  if (err instanceof ConfigError) console.error(`${service}: ${err.message}`);
  else console.error(`${service}: failed to start:`, err);
  process.exit(1);
}
