// Typed NATS JetStream code per subject (contract object, publisher, consumer), the stream
// and consumer configuration derived from the contracts, and the registry index.
import type { CompiledContracts, CompiledSubject } from './compile.js';
import { lowerFirst } from './emit-validators.js';
import { generatedHeader } from './header.js';
import { type JsonValue, sortKeys } from './json.js';

const CORE = '../services/core/src/index.js';

export function contractConst(s: CompiledSubject): string {
  return `${lowerFirst(s.typeName)}Contract`;
}

export function renderClients(compiled: CompiledContracts, sources: string[]): string {
  const types = compiled.subjects.map((s) => s.typeName).join(', ');
  const lines = [
    generatedHeader(sources, 'NATS JetStream clients'),
    "import type { JetStreamClient } from '@nats-io/jetstream';",
    `import { type ConsumeEventsOptions, type EventConsumerHandle, type EventContract, type PublishEventOptions, type PublishedEvent, consumeEvents, publishEvent } from '${CORE}';`,
    `import type { ${types} } from './types.js';`,
    `import { ${compiled.subjects.map((s) => `validate${s.typeName}, validate${s.typeName}Headers`).join(', ')} } from './validators.js';`,
  ];
  for (const s of compiled.subjects) {
    const c = contractConst(s);
    lines.push(
      '',
      `/** ${s.subject} ${s.version} (${s.compatibility}), produced by ${s.owner}. ${s.summary} */`,
      `export const ${c}: EventContract<${s.typeName}> = {`,
      `  subject: ${JSON.stringify(s.subject)},`,
      `  version: ${JSON.stringify(s.version)},`,
      `  validate: validate${s.typeName},`,
      `  validateHeaders: validate${s.typeName}Headers,`,
      '};',
      `/** Validates, then publishes on ${s.subject} with the platform headers; nothing invalid reaches NATS. */`,
      `export function publish${s.typeName}(js: JetStreamClient, payload: ${s.typeName}, options: PublishEventOptions): Promise<PublishedEvent> {`,
      `  return publishEvent(js, ${c}, payload, options);`,
      '}',
      `/** A durable pull consumer on ${s.subject}; invalid messages go to the dead-letter stream. */`,
      `export function consume${s.typeName}(nats: { js: JetStreamClient }, options: Omit<ConsumeEventsOptions<${s.typeName}>, 'contract'>): Promise<EventConsumerHandle> {`,
      `  return consumeEvents(nats, { ...options, contract: ${c} });`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderStreams(compiled: CompiledContracts, sources: string[]): string {
  const subjects = compiled.subjects.map((s) => s.subject);
  const consumers = compiled.set.consumers.map((c) => ({
    durable: c.durable,
    service: c.service,
    subject: c.subject,
    ...(c.maxAckPending === undefined ? {} : { maxAckPending: c.maxAckPending }),
  }));
  return [
    generatedHeader(sources, 'stream configuration'),
    "import type { JetStreamManager } from '@nats-io/jetstream';",
    `import { type ConsumerDeclaration, DEFAULT_STREAM_NAME, type ProvisionReport, provisionPlatform } from '${CORE}';`,
    '',
    '/** Every subject a contract defines: the platform stream captures exactly these. */',
    `export const STREAM_SUBJECTS: readonly string[] = ${JSON.stringify(subjects, null, 2)};`,
    '',
    '/** Every receive operation in the contracts, as a durable pull consumer. */',
    `export const CONSUMERS: readonly ConsumerDeclaration[] = ${JSON.stringify(consumers, null, 2)};`,
    '',
    'export function consumersOf(service: string): ConsumerDeclaration[] {',
    '  return CONSUMERS.filter((consumer) => consumer.service === service);',
    '}',
    '',
    "/** Creates or updates the stream, its dead-letter stream and the consumers (all, or one service's). */",
    'export function provisionStreams(jsm: JetStreamManager, options: { stream?: string; service?: string; duplicateWindowMs?: number; replicas?: number } = {}): Promise<ProvisionReport> {',
    '  return provisionPlatform(jsm, {',
    '    stream: options.stream ?? DEFAULT_STREAM_NAME,',
    '    subjects: STREAM_SUBJECTS,',
    '    consumers: options.service === undefined ? CONSUMERS : consumersOf(options.service),',
    '    ...(options.duplicateWindowMs === undefined ? {} : { duplicateWindowMs: options.duplicateWindowMs }),',
    '    ...(options.replicas === undefined ? {} : { replicas: options.replicas }),',
    '  });',
    '}',
    '',
  ].join('\n');
}

export function renderRegistry(compiled: CompiledContracts, sources: string[]): string {
  const entries = compiled.subjects.map((s) =>
    sortKeys({
      subject: s.subject,
      name: s.name,
      typeName: s.typeName,
      version: s.version,
      compatibility: s.compatibility,
      owner: s.owner,
      contentType: s.contentType,
      source: s.sourceFile,
      payloadSchema: s.payloadSchema,
      headersSchema: s.headersSchema,
      examples: s.examples as unknown as JsonValue,
    }),
  );
  return [
    generatedHeader(sources, 'registry index'),
    "import type { RegistryEntry } from '../services/core/src/registry.js';",
    '',
    '/** Every subject with its version, compatibility mode, owner, JSON Schemas and examples. */',
    `export const REGISTRY: readonly RegistryEntry[] = ${JSON.stringify(entries, null, 2)};`,
    '',
    'export function registryEntry(subject: string): RegistryEntry | undefined {',
    '  return REGISTRY.find((entry) => entry.subject === subject);',
    '}',
    '',
  ].join('\n');
}
