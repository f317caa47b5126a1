// Order records -> the wire shapes (OrderUpdated, OpenOrder) and the views of orders().
import type { OpenOrder, OrderIntent, OrderReasonCode, OrderUpdated } from '../../../../generated/types.js';
import { roundAverage } from './numeric.js';
import type { OrderRecord, OrderView } from './types.js';

/** The order as its intent asked for it: the fields every OrderUpdated repeats. */
function orderFields(intent: OrderIntent) {
  return {
    clientOrderId: intent.clientOrderId,
    strategyId: intent.strategyId,
    agentId: intent.agentId,
    instrument: structuredClone(intent.instrument),
    side: intent.side,
    orderType: intent.orderType,
    timeInForce: intent.timeInForce,
    quantity: intent.quantity,
    ...(intent.limitPrice !== undefined && { limitPrice: intent.limitPrice }),
    ...(intent.stopPrice !== undefined && { stopPrice: intent.stopPrice }),
    reduceOnly: intent.reduceOnly,
  };
}

export function averagePrice(order: OrderRecord): number | undefined {
  return order.filledQty > 0 ? roundAverage(order.filledValue / order.filledQty) : undefined;
}

/** The order's state now, stamped with `eventTime` (also its recordedAt: the engine has no clock of its own). */
export function orderUpdated(order: OrderRecord, eventTime: string): OrderUpdated {
  const avgPx = averagePrice(order);
  const { venueOrderId, reasonCode, reason } = order;
  return {
    ...orderFields(order.intent),
    ...(venueOrderId !== undefined && { venueOrderId }),
    status: order.status,
    ...(reasonCode !== undefined && { reasonCode }),
    ...(reason !== undefined && { reason }),
    filledQty: order.filledQty,
    leavesQty: order.leavesQty,
    ...(avgPx !== undefined && { avgPx }),
    causationId: order.causationId,
    eventTime,
    recordedAt: eventTime,
  };
}

/** A rejection of an intent that gets no record of its own (a duplicate clientOrderId). */
export function rejectionUpdated(
  intent: OrderIntent,
  causationId: string,
  code: OrderReasonCode,
  reason: string,
  eventTime: string,
): OrderUpdated {
  return {
    ...orderFields(intent),
    status: 'rejected',
    reasonCode: code,
    reason,
    filledQty: 0,
    leavesQty: 0,
    causationId,
    eventTime,
    recordedAt: eventTime,
  };
}

export function toOpenOrder(order: OrderRecord): OpenOrder {
  const { intent } = order;
  return {
    clientOrderId: intent.clientOrderId,
    venueOrderId: order.venueOrderId ?? '',
    side: intent.side,
    orderType: intent.orderType,
    quantity: intent.quantity,
    leavesQty: order.leavesQty,
    ...(intent.limitPrice !== undefined && { limitPrice: intent.limitPrice }),
    ...(intent.stopPrice !== undefined && { stopPrice: intent.stopPrice }),
  };
}

export function toOrderView(order: OrderRecord): OrderView {
  const avgPx = averagePrice(order);
  return {
    ...orderFields(order.intent),
    ...(order.venueOrderId !== undefined && { venueOrderId: order.venueOrderId }),
    status: order.status,
    ...(order.reasonCode !== undefined && { reasonCode: order.reasonCode }),
    filledQty: order.filledQty,
    leavesQty: order.leavesQty,
    ...(avgPx !== undefined && { avgPx }),
    triggered: order.triggered,
  };
}
