// Public API of services/core: contract validation and the NATS JetStream event runtime.

export * from './compiled-validator.js';
export * from './ids.js';
export * from './instruments/index.js';
export * from './nats/index.js';
export * from './registry.js';
export * from './service/index.js';
export * from './validation.js';
