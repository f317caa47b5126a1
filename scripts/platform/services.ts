// The platform's services, in the original design's run order, with their default ports.
// `make dev`, `make status`, the demo, the drills and the end-to-end tests all start from this list.
export interface ServiceSpec {
  name: string;
  /** Entry point, relative to the repository root. */
  main: string;
  /** The original design's port for it (PORT overrides it per process). */
  port: number;
}

export const SERVICES: readonly ServiceSpec[] = [
  { name: 'gateway', main: 'services/gateway/src/main.ts', port: 8001 },
  { name: 'agent-mcp', main: 'services/agent-mcp/src/main.ts', port: 8002 },
  { name: 'exec-sim', main: 'services/exec-sim/src/main.ts', port: 8004 },
  // Not in the original design's table; 8005 is the next free port.
  { name: 'observability', main: 'services/observability/src/main.ts', port: 8005 },
];

export type ServiceName = string;
