// End-to-end latency from event timestamps and causation: a normalized signal's time is
// remembered under its event id and its correlation id; an intent caused by it (or sharing its
// correlation) gives signal-to-intent, a fill in the same correlation gives signal-to-fill.
// The tap reads each subject through its own consumer, so an intent or fill may be seen before
// its signal (above all while catching up): it then waits for the signal, within the same bounds.
import { ExpiringMap, type ExpiringMapOptions } from './expiring-map.js';

export const LatencyKind = { SignalToIntent: 'signal_to_intent', SignalToFill: 'signal_to_fill' } as const;
export type LatencyKind = (typeof LatencyKind)[keyof typeof LatencyKind];

export const LatencySubject = {
  Signal: 'signals.normalized',
  Intent: 'decisions.order_intent',
  Fill: 'executions.fill',
} as const;

export interface TimedEvent {
  subject: string;
  eventId: string;
  correlationId: string;
  causationId?: string;
  /** When the event happened at its producer (ce-time), in epoch milliseconds. */
  timeMs: number;
}

export interface LatencyObservation {
  kind: LatencyKind;
  seconds: number;
}

interface Waiting {
  kind: LatencyKind;
  timeMs: number;
}

/** Events of one correlation that may wait for their signal; more are dropped (a runaway flow must not grow memory). */
const MAX_WAITING_PER_CORRELATION = 64;

export class LatencyJoin {
  private readonly signals: ExpiringMap<string, number>;
  private readonly waiting: ExpiringMap<string, Waiting[]>;

  constructor(options: ExpiringMapOptions) {
    this.signals = new ExpiringMap(options);
    this.waiting = new ExpiringMap(options);
  }

  /** Entries held (signals remembered, correlations with events waiting). */
  get memory(): { signals: number; waiting: number } {
    return { signals: this.signals.size, waiting: this.waiting.size };
  }

  record(event: TimedEvent): LatencyObservation[] {
    switch (event.subject) {
      case LatencySubject.Signal:
        return this.recordSignal(event);
      case LatencySubject.Intent: {
        const signalMs =
          (event.causationId !== undefined ? this.signals.get(event.causationId) : undefined) ?? this.signals.get(event.correlationId);
        return this.measureOrWait(LatencyKind.SignalToIntent, event, signalMs);
      }
      case LatencySubject.Fill:
        return this.measureOrWait(LatencyKind.SignalToFill, event, this.signals.get(event.correlationId));
      default:
        return [];
    }
  }

  private recordSignal(event: TimedEvent): LatencyObservation[] {
    this.signals.set(event.eventId, event.timeMs);
    // The first signal of a correlation starts it: a later one must not shorten the measure.
    if (this.signals.get(event.correlationId) === undefined) this.signals.set(event.correlationId, event.timeMs);
    const waiting = this.waiting.get(event.correlationId) ?? [];
    this.waiting.delete(event.correlationId);
    return waiting.flatMap((w) => observation(w.kind, event.timeMs, w.timeMs));
  }

  private measureOrWait(kind: LatencyKind, event: TimedEvent, signalMs: number | undefined): LatencyObservation[] {
    if (signalMs !== undefined) return observation(kind, signalMs, event.timeMs);
    const waiting = this.waiting.get(event.correlationId) ?? [];
    if (waiting.length < MAX_WAITING_PER_CORRELATION) this.waiting.set(event.correlationId, [...waiting, { kind, timeMs: event.timeMs }]);
    return [];
  }
}

/** A negative span means skewed producer clocks: no observation rather than a wrong one. */
function observation(kind: LatencyKind, fromMs: number, toMs: number): LatencyObservation[] {
  return toMs >= fromMs ? [{ kind, seconds: (toMs - fromMs) / 1000 }] : [];
}
