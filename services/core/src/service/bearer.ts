// Bearer-key middleware for write endpoints, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { httpError } from './app.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Requires `Authorization: Bearer <key>`; with no key configured every request is refused. */
export function requireBearer(key: string | undefined): MiddlewareHandler {
  const expected = key === undefined ? undefined : digest(key);
  return async function bearerAuth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
    if (!expected || !timingSafeEqual(digest(presented), expected)) {
      throw httpError(401, 'a valid bearer key is required (Authorization: Bearer <key>)', { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}
