// Deps module for stdio-main.ts in tests: `--deps services/agent-mcp/test/support/mcp-stdio-deps.ts`.
import { createFakeBackends } from './fake-context.js';

export const createMcpDeps = createFakeBackends;
