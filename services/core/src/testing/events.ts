// Test helpers shared by the services' integration tests: read what a stream holds on a
// subject, and wait for an asynchronous outcome with a readable timeout message.
import type { JetStreamManager } from '@nats-io/jetstream';

/** Every event stored on `subject` in `stream`, in stream order (parsed JSON payloads). */
export async function eventsOn<T>(jsm: JetStreamManager, stream: string, subject: string): Promise<T[]> {
  const info = await jsm.streams.info(stream);
  const events: T[] = [];
  for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg?.subject === subject) events.push(msg.json<T>());
  }
  return events;
}

/** Polls `condition` until it holds; a throwing condition (a reconnecting client) counts as not yet. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
