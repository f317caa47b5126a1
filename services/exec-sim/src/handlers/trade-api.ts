// The trade API: read the book (orders, fills, positions, PnL) and, with the bearer key, send a
// manual order (published as an intent on NATS, the same path as the agents' intents), cancel,
// halt, reduce or resume trading, and reconcile on demand.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { type OrderIntent, type PositionReconciled, publishOrderIntent, validateOrderIntent } from '../../../../generated/index.js';
import { type AppEnv, deterministicId, type EventMetrics, httpError, type NatsRuntime, requireBearer } from '../../../core/src/index.js';
import type { TradingState } from '../domain/types.js';
import type { Simulator } from '../simulator.js';

export interface TradeApiDeps {
  simulator: Simulator;
  nats: () => NatsRuntime | undefined;
  apiKey: string | undefined;
  reconcile: () => Promise<PositionReconciled[]>;
  now?: () => Date;
  /** Counts the manual orders' intents with the service's other published events. */
  events?: EventMetrics;
}

const API_SOURCE = '/services/exec-sim/api';
const MAX_FILLS = 5_000;

export function tradeApiRoutes(deps: TradeApiDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const now = deps.now ?? (() => new Date());
  const engine = () => deps.simulator.engine;
  const writes = requireBearer(deps.apiKey);

  routes.get('/orders', (c) => {
    const status = c.req.query('status');
    const strategyId = c.req.query('strategyId');
    const open = new Set(['accepted', 'partially_filled']);
    const orders = engine()
      .orders()
      .filter((o) => (status === 'open' ? open.has(o.status) : status ? o.status === status : true))
      .filter((o) => !strategyId || o.strategyId === strategyId);
    return c.json({ orders });
  });

  routes.get('/orders/:id', (c) => {
    const order = engine().order(c.req.param('id'));
    if (!order) throw httpError(404, `no order with clientOrderId ${c.req.param('id')}`);
    return c.json({
      order,
      fills: engine()
        .fills()
        .filter((f) => f.clientOrderId === order.clientOrderId),
    });
  });

  routes.get('/fills', (c) => {
    const limit = Number(c.req.query('limit') ?? 500);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FILLS) throw httpError(400, `limit must be an integer from 1 to ${MAX_FILLS}`);
    const clientOrderId = c.req.query('clientOrderId');
    const fills = engine()
      .fills()
      .filter((f) => !clientOrderId || f.clientOrderId === clientOrderId);
    return c.json({ fills: fills.slice(-limit) });
  });

  routes.get('/positions', (c) => {
    const strategyId = c.req.query('strategyId');
    return c.json({
      positions: engine()
        .positions()
        .filter((p) => !strategyId || p.strategyId === strategyId),
    });
  });

  routes.get('/pnl', (c) => c.json(engine().pnl()));
  routes.get('/risk', (c) => c.json({ tradingState: engine().tradingState }));

  routes.post('/orders', writes, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (err) {
      throw httpError(400, `malformed JSON body: ${(err as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw httpError(400, 'the body must be a JSON object (an order intent)');
    // A manual order: the API fills in who and when; a supplied clientOrderId makes the call idempotent.
    const intent = {
      clientOrderId: `manual-${randomUUID()}`,
      strategyId: 'manual',
      agentId: 'manual',
      timeInForce: 'GTC',
      reduceOnly: false,
      createdAt: now().toISOString(),
      ...body,
    };
    const checked = validateOrderIntent(intent);
    if (!checked.ok) {
      return c.json(
        { error: 'invalid order intent', issues: checked.issues.map((i) => ({ field: i.path || '(root)', message: i.message })) },
        400,
      );
    }
    const nats = deps.nats();
    if (!nats?.connected) throw httpError(503, 'NATS is unavailable; retry later', { 'Retry-After': '5' });
    const order: OrderIntent = checked.value;
    const published = await publishOrderIntent(nats.js, order, {
      source: API_SOURCE,
      eventId: deterministicId('decisions.order_intent', order.clientOrderId),
      metrics: deps.events,
    });
    return c.json({ clientOrderId: order.clientOrderId, eventId: published.eventId, duplicate: published.duplicate }, 202);
  });

  routes.post('/orders/:id/cancel', writes, async (c) => {
    const clientOrderId = c.req.param('id');
    if (!engine().order(clientOrderId)) throw httpError(404, `no order with clientOrderId ${clientOrderId}`);
    const outputs = await deps.simulator.submit(`cancel:${clientOrderId}:${c.get('requestId')}`, {
      kind: 'cancel',
      clientOrderId,
      at: now().toISOString(),
    });
    const canceled = outputs.find((o) => o.kind === 'order' && o.update.status === 'canceled');
    if (canceled?.kind !== 'order') throw httpError(409, `order ${clientOrderId} is not open`);
    return c.json({ order: canceled.update });
  });

  const setState = (state: TradingState) =>
    routes.post(`/risk/${state === 'HALTED' ? 'halt' : state === 'REDUCING' ? 'reduce' : 'resume'}`, writes, async (c) => {
      await deps.simulator.submit(`trading-state:${state}:${c.get('requestId')}`, {
        kind: 'trading-state',
        state,
        at: now().toISOString(),
      });
      return c.json({ tradingState: engine().tradingState });
    });
  setState('HALTED');
  setState('REDUCING');
  setState('ACTIVE');

  routes.post('/reconcile', writes, async (c) => c.json({ snapshots: await deps.reconcile() }));
  return routes;
}
