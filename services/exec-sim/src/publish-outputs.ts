// Publishes what the engine decided: order updates on executions.order and fills on
// executions.fill, with event ids derived from their natural keys, so a re-publish after a
// crash is dropped by JetStream instead of doubling a fill.
import type { JetStreamClient } from '@nats-io/jetstream';
import { publishOrderFilled, publishOrderUpdated } from '../../../generated/index.js';
import { deterministicId, type EventMetrics } from '../../core/src/index.js';
import type { EngineOutput } from './domain/types.js';

export const EXEC_SIM_SOURCE = '/services/exec-sim';

/** Where an input came from, carried onto the events it causes. */
export interface InputTrace {
  causationId?: string;
  correlationId?: string;
  traceparent?: string;
}

export function outputEventId(output: EngineOutput): string {
  return output.kind === 'fill'
    ? deterministicId('executions.fill', output.fill.tradeId)
    : deterministicId('executions.order', `${output.update.clientOrderId}:${output.update.status}:${output.update.filledQty}`);
}

export async function publishOutputs(
  js: JetStreamClient,
  outputs: readonly EngineOutput[],
  trace: InputTrace,
  metrics?: EventMetrics,
): Promise<void> {
  // Sent together, awaited together: one connection keeps them in order on the wire, and a
  // partial failure is retried as a whole under the same ids (JetStream drops the copies).
  await Promise.all(
    outputs.map((output) => {
      const options = {
        source: EXEC_SIM_SOURCE,
        eventId: outputEventId(output),
        ...(trace.causationId ? { causationId: trace.causationId } : {}),
        ...(trace.correlationId ? { correlationId: trace.correlationId } : {}),
        ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
        metrics,
      };
      return output.kind === 'fill' ? publishOrderFilled(js, output.fill, options) : publishOrderUpdated(js, output.update, options);
    }),
  );
}
