// How many messages a stream holds on one subject: what "nothing was published" is measured with
// when other subjects of the stream keep moving (exec-sim answers intents with order updates).
import type { JetStreamManager } from '@nats-io/jetstream';

export async function subjectCount(jsm: JetStreamManager, stream: string, subject: string): Promise<number> {
  const info = await jsm.streams.info(stream, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}
