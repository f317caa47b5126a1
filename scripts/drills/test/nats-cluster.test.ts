// The nats-cluster drill as a test: three real nats-servers, the stream leader killed with SIGKILL
// under load, nothing lost or doubled.
import { expect, it } from 'vitest';
import { runNatsClusterDrill } from '../nats-cluster.js';

it('loses no acked event and doubles none when the stream leader of a three-node cluster is killed under load', async () => {
  const result = await runNatsClusterDrill();

  expect(result.failures).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.observations).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^stream trading-events at R3: leader (n\d), followers n\d, n\d; consumer exec-sim-intents leader n\d$/),
      expect.stringMatching(/^killed (n\d) \(stream leader, pid \d+\) with SIGKILL after \d+ of 1500 acks/),
      expect.stringMatching(/^leader change: (n\d) -> (?!\1)n\d \(seen \d+ ms after the kill\)$/),
      expect.stringMatching(/^load: 1500 of 1500 events acked .*, 0 given up$/),
      expect.stringMatching(/^pause: longest gap between two acks \d+ ms/),
      expect.stringMatching(/^stream trading-events holds 1500 events: 0 acked events missing, 0 stored twice, 0 never acked$/),
      expect.stringMatching(
        /^consumer exec-sim-intents: 1500 distinct events in \d+ deliveries \(\d+ redelivered\), 0 acked events unseen/,
      ),
    ]),
  );
}, 120_000);
