// The nats-outage drill as a test: real nats-server stopped and restarted under a webhook
// stream, real gateway, agent-mcp and exec-sim processes.
import { expect, it } from 'vitest';
import { runNatsOutageDrill } from '../nats-outage.js';

it('keeps the services up through a NATS outage, spools, and loses or doubles nothing once NATS is back', async () => {
  const result = await runNatsOutageDrill({ webhooks: 40 });

  expect(result.failures).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.observations).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^during the outage gateway: \/health 200, \/ready 200 degraded \(nats: not connected/),
      expect.stringMatching(/^during the outage agent-mcp: \/health 200, \/ready 503 not ready \(nats: not connected/),
      expect.stringMatching(/^during the outage exec-sim: \/health 200, \/ready 503 not ready \(nats: not connected/),
      expect.stringMatching(/^40 webhooks \(NATS stopped before #11\): \d+ answered 202 published, [1-9]\d* answered 202 queued, 0 other$/),
      // Buys only: tv-follow orders once per alert, 1 or 2 contracts (14 alerts of 2, 26 of 1).
      expect.stringMatching(/^stream after recovery: 40 normalized signals, 40 intents, 40 fills; filled by agent \{"tv-follow":54\}$/),
      expect.stringMatching(/^recovery: NATS back at \+0\.0 s -> spool drained at \+\d+\.\d s -> all fills in at \+\d+\.\d s/),
    ]),
  );
}, 180_000);
