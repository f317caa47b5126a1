// The slow-consumer drill as a test: a flood against the real gateway while exec-sim's price
// consumer takes one message at a time (and exec-sim is stalled for a while).
import { expect, it } from 'vitest';
import { runSlowConsumerDrill } from '../slow-consumer.js';

it('refuses webhooks with Retry-After past the backlog threshold, bounds memory, and loses nothing accepted', async () => {
  const result = await runSlowConsumerDrill({ floodMs: 5_000 });

  expect(result.failures).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.observations).toEqual(
    expect.arrayContaining([
      'exec-sim-prices: max_ack_pending 1; gateway threshold GATEWAY_MAX_CONSUMER_PENDING=50',
      expect.stringMatching(/^exec-sim-prices pending \(unprocessed \+ unacked\) during the flood: \+\d/),
      expect.stringMatching(/^\d+ webhooks: [1-9]\d* accepted \(202\), [1-9]\d* refused \(\d+ x 429, \d+ x 503, Retry-After \d/),
      expect.stringMatching(
        /^peak memory \(VmHWM\) after the flood.*gateway \d+ MB.*agent-mcp \d+ MB.*exec-sim \d+ MB.*nats-server \d+ MB/,
      ),
      expect.stringMatching(/^a webhook after the drain: 202 (published|queued)/),
    ]),
  );
}, 180_000);
