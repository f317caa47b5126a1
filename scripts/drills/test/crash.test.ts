// The crash drill as a test: kill -9 of each real service process in turn under a webhook
// stream, compared with an undisturbed run of the same feed on a fresh platform.
import { expect, it } from 'vitest';
import { runCrashDrill } from '../crash.js';

it('loses and doubles nothing when each service is killed with -9 in turn, and ends with the undisturbed positions', async () => {
  const result = await runCrashDrill({ webhooks: 36 });

  expect(result.failures).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.observations).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^kill -9 gateway \(pid \d+\) before webhook #10; restarted and healthy after/),
      expect.stringMatching(/^kill -9 agent-mcp \(pid \d+\) before webhook #19; restarted and healthy after/),
      expect.stringMatching(/^kill -9 exec-sim \(pid \d+\) before webhook #28; restarted and healthy after/),
      expect.stringMatching(/^36 webhooks accepted; [1-9]\d* needed a retry \(same X-Idempotency-Key\)$/),
      expect.stringMatching(
        /^redeliveries after the kills: agent-tv-follow \d+, agent-momentum-20 \d+, exec-sim-intents \d+, exec-sim-prices \d+$/,
      ),
      // 18 alerts per instrument: three rounds of buy 2, buy 1, reverse to short 2 (close 3, open
      // 2: two intents), sell 1, exit, buy 1; seven intents a round, ending long 1.
      'undisturbed run: 42 intents, 42 fills, positions tv-follow ESZ6=1, tv-follow NQZ6=1',
      'disturbed run: 42 intents, 42 fills, positions tv-follow ESZ6=1, tv-follow NQZ6=1',
      'positions equal those of the undisturbed run',
    ]),
  );
}, 240_000);
