// The test harness's nats-server: a server per test file, on a free port with a temp store.
export { freePort, type NatsServerHandle, type StartNatsServerOptions, startNatsServer } from '../nats/local-server.js';
