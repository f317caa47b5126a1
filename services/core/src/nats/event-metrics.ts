// What the event runtime reports while it publishes and consumes. publishEvent and consumeEvents
// take one as an option; the service kit's createEventMetrics implements it on a service's
// Prometheus registry, so the runtime itself keeps no global state and needs no metrics library.

export const PublishOutcome = {
  /** The stream stored the event. */
  Stored: 'stored',
  /** The stream already held this event id (a re-sent event): nothing new was stored. */
  Duplicate: 'duplicate',
  /** The broker did not acknowledge it (no stream, timeout, connection lost). */
  Failed: 'failed',
} as const;
export type PublishOutcome = (typeof PublishOutcome)[keyof typeof PublishOutcome];

export const ConsumeOutcome = {
  Ack: 'ack',
  /** Handed back for a redelivery after a delay (a transient failure). */
  Nak: 'nak',
  /** Copied to the dead-letter stream and terminated. */
  DeadLetter: 'dead_letter',
} as const;
export type ConsumeOutcome = (typeof ConsumeOutcome)[keyof typeof ConsumeOutcome];

export const ValidationDirection = {
  /** A producer's own event, refused before it reached the wire. */
  Publish: 'publish',
  /** A delivered message that is not a valid event under any accepted contract. */
  Consume: 'consume',
} as const;
export type ValidationDirection = (typeof ValidationDirection)[keyof typeof ValidationDirection];

export interface EventMetrics {
  published(subject: string, outcome: PublishOutcome): void;
  consumed(subject: string, consumer: string, outcome: ConsumeOutcome): void;
  validationFailed(subject: string, schemaVersion: string, direction: ValidationDirection): void;
}
