// The simulator around the pure engine: inputs are applied one at a time, each recorded in the
// journal before it is applied and its outputs published before the input is acknowledged.
//
// Exactly once, across crashes: the engine is deterministic, so replaying the journal at start-up
// rebuilds the state from before a crash. An input redelivered by JetStream (its ack was lost in
// the crash) is found in the journal by its id: it is not applied again; its outputs, which may
// not have been published, are published again under the same event ids, and JetStream drops the
// copies. A client order id sent twice is refused by the engine itself.
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { ExecutionEngine } from './domain/engine.js';
import type { EngineInput, EngineOutput } from './domain/types.js';
import type { Journal } from './journal.js';
import type { ExecSimMetrics } from './metrics.js';
import { type InputTrace, publishOutputs } from './publish-outputs.js';

export interface SimulatorInput {
  input: EngineInput;
  trace: InputTrace;
}

/** Outputs remembered per journal entry, for re-publishing after a redelivery. */
const REMEMBERED = 20_000;
/** Journal entries whose outputs are published again after a restart (at least max_ack_pending). */
const REPUBLISH_TAIL = 512;

export class Simulator {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly outputsById = new Map<string, { outputs: EngineOutput[]; trace: InputTrace }>();

  constructor(
    readonly engine: ExecutionEngine,
    private readonly journal: Journal<SimulatorInput>,
    private readonly js: JetStreamClient,
    private readonly logger: Logger,
    /** Told about every newly applied input's outputs once they are published; its event metrics count the publishes. */
    private readonly metrics?: Pick<ExecSimMetrics, 'record' | 'events'>,
  ) {}

  /** Rebuilds the engine from the journal, then re-publishes the outputs of its newest entries. */
  async recover(): Promise<number> {
    const tail: string[] = [];
    const count = await this.journal.replay((entry) => {
      const outputs = this.applySafely(entry.input.input);
      this.remember(entry.id, outputs, entry.input.trace);
      tail.push(entry.id);
      if (tail.length > REPUBLISH_TAIL) tail.shift();
    });
    for (const id of tail) {
      const remembered = this.outputsById.get(id);
      if (remembered) await this.publish(remembered.outputs, remembered.trace);
    }
    if (count > 0) this.logger.info({ entries: count, republished: tail.length }, 'state rebuilt from the journal');
    return count;
  }

  /** Applies one input exactly once (by id) and publishes its outputs; serialized with every other input. */
  submit(id: string, input: EngineInput, trace: InputTrace = {}): Promise<EngineOutput[]> {
    const run = this.queue.then(() => this.applyOnce(id, input, trace));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyOnce(id: string, input: EngineInput, trace: InputTrace): Promise<EngineOutput[]> {
    const appended = await this.journal.append({ id, input: { input, trace } });
    if (appended.duplicate) {
      const remembered = this.outputsById.get(id);
      if (remembered) await this.publish(remembered.outputs, remembered.trace);
      return remembered?.outputs ?? [];
    }
    const outputs = this.applySafely(input);
    this.remember(id, outputs, trace);
    await this.publish(outputs, trace);
    this.metrics?.record(outputs);
    return outputs;
  }

  private publish(outputs: readonly EngineOutput[], trace: InputTrace): Promise<void> {
    return publishOutputs(this.js, outputs, trace, this.metrics?.events);
  }

  /** An input the engine cannot apply changes nothing, now and on every replay: it is logged, not retried. */
  private applySafely(input: EngineInput): EngineOutput[] {
    try {
      return this.engine.apply(input);
    } catch (err) {
      this.logger.error({ err, kind: input.kind }, 'input not applied');
      return [];
    }
  }

  private remember(id: string, outputs: EngineOutput[], trace: InputTrace): void {
    this.outputsById.set(id, { outputs, trace });
    if (this.outputsById.size > REMEMBERED) {
      const oldest = this.outputsById.keys().next().value;
      if (oldest !== undefined) this.outputsById.delete(oldest);
    }
  }
}
