// Deterministic venue ids. A replay of the same inputs must give the same ids, and a re-published
// event must keep its id so JetStream drops the copy: ids are derived from what identifies the
// thing (the client order id, the fill's index in the order), never from a counter or a clock.
import { createHash } from 'node:crypto';
import { deterministicId } from '../../../core/src/ids.js';

/** 64 bits of SHA-256: collisions need ~4 billion orders, and the id stays short. */
function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** `SIM-<venue>-<hash of clientOrderId>`: one per order, the same on every replay. */
export function venueOrderIdFor(venue: string, clientOrderId: string): string {
  return `SIM-${venue}-${digest(clientOrderId)}`;
}

/** `SIM-T-<hash of clientOrderId>-<fill index from 1>`: unique because a clientOrderId is accepted once. */
export function tradeIdFor(clientOrderId: string, fillIndex: number): string {
  return `SIM-T-${digest(clientOrderId)}-${fillIndex}`;
}

/**
 * One reconciliation snapshot: the run is named by its time and by how many inputs the engine had
 * applied, so two runs over different states never share an id, and re-running over the same
 * state (a retried publish) gives the same id.
 */
export function reconcileSnapshotId(asOf: string, inputSeq: number, strategyId: string, instrumentKey: string): string {
  return deterministicId('executions.reconcile', `${asOf}:${inputSeq}:${strategyId}:${instrumentKey}`);
}
