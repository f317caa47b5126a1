// The bad-contract drill as a test: the gate, the publisher and the dead-letter path, against a
// real compatibility-gate process, a real nats-server and a real exec-sim process.
import { expect, it } from 'vitest';
import { runBadContractDrill } from '../bad-contract.js';

it('stops a breaking contract edit at the gate, a producer bug at publish, rogue messages at the dead-letter stream', async () => {
  const result = await runBadContractDrill();

  expect(result.failures).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.observations).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\(a\) gate on an unchanged copy of contracts\/: exit 0$/),
      expect.stringMatching(/^\(a\) gate after the edits .*: exit 1$/),
      expect.stringMatching(/finding signals\.normalized required-added at \/payload\/properties\/price: "price" is now required/),
      expect.stringMatching(/finding signals\.raw enum-narrowed at \/payload\/properties\/bodyEncoding\/enum: "base64" no longer allowed/),
      expect.stringMatching(
        /^\(b\) producer refused before NATS: invalid decisions\.order_intent v1\.\d+\.\d+ payload: \/side: .*\/quantity: /,
      ),
      expect.stringMatching(/^\(b\) stream trading-events: (\d+) messages \(last seq (\d+)\) before, \1 \(last seq \2\) after$/),
      expect.stringMatching(
        /rogue #1 .*: reason invalid_headers, consumer exec-sim-intents, errors: \/headers\/ce-id missing required header/,
      ),
      expect.stringMatching(/rogue #2 .*: reason validation_failed, consumer exec-sim-intents, errors: .*\/quantity must be number/),
      expect.stringMatching(
        /valid intent drill-valid-after-rogues published after the rogues: 1 fill\(s\), 1 filled; exec-sim still running$/,
      ),
    ]),
  );
}, 120_000);
