// Deterministic ids of an agent's orders: the same signal (by its idempotency key) and agent
// always give the same clientOrderId, and the same clientOrderId the same event id, so a
// redelivered or re-sent signal republishes under an id JetStream already holds.
import { createHash } from 'node:crypto';
import { deterministicId } from '../../../core/src/index.js';

export const AGENT_MCP_SOURCE = '/services/agent-mcp';
export const ORDER_INTENT_SUBJECT = 'decisions.order_intent';

/** `ag-` + 32 hex digits (128 bits of SHA-256 over agent, key and leg): 35 characters of [a-z0-9-]. */
export function agentClientOrderId(agentId: string, idempotencyKey: string, leg = 0): string {
  const hash = createHash('sha256').update(`${agentId}\n${idempotencyKey}\n${leg}`, 'utf8').digest('hex');
  return `ag-${hash.slice(0, 32)}`;
}

export const intentEventId = (clientOrderId: string): string => deterministicId(ORDER_INTENT_SUBJECT, clientOrderId);

/** Durable consumer of one agent on `signals.normalized`. */
export const agentDurable = (agentId: string): string => `agent-${agentId}`;
