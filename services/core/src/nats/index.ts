// Public API of the NATS JetStream event runtime.

export {
  type ConnectNatsOptions,
  connectNats,
  NatsConnectError,
  type NatsRuntime,
  type NatsStatusSnapshot,
} from './connection.js';
export {
  type ConsumedEvent,
  type ConsumeEventsOptions,
  type ConsumerCounters,
  consumeEvents,
  type EventConsumerHandle,
  type EventHandler,
} from './consume.js';
export { contractsByMajor, type EventContract, majorVersion } from './contract.js';
export {
  DeadLetterHeader,
  type DeadLetterInput,
  DeadLetterReason,
  deadLetter,
  deadLetterSubject,
} from './dead-letter.js';
export { type DecodedEvent, type DeliveredMessage, decodeEvent } from './decode-event.js';
export { DeadLetterError, EventPublishError, PermanentHandlerError, ProvisionError } from './errors.js';
export { ConsumeOutcome, type EventMetrics, PublishOutcome, ValidationDirection } from './event-metrics.js';
export {
  buildEventHeaders,
  CLOUDEVENTS_SPEC_VERSION,
  createEventMeta,
  EventHeader,
  type EventMeta,
  type EventMetaInput,
  eventHeaders,
  parseEventHeaders,
} from './headers.js';
export { type EventLogger, silentLogger } from './logger.js';
export {
  type ConsumerDeclaration,
  consumerSpec,
  type PlatformTopology,
  type ProvisionReport,
  provisionPlatform,
} from './provision.js';
export { type PublishEventOptions, type PublishedEvent, publishEvent } from './publish.js';
export {
  type ConsumerSpec,
  DEAD_LETTER_SUBJECT_PREFIX,
  DEFAULT_STREAM_NAME,
  deadLetterStreamConfig,
  deadLetterStreamName,
  ensureConsumer,
  ensureStream,
  ProvisionAction,
  type ProvisionResult,
  type StreamSpec,
} from './streams.js';
export { childTraceparent, newTraceparent, parseTraceparent, type Traceparent } from './trace-context.js';
