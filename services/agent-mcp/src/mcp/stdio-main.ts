// The at-agent-mcp MCP server over stdio, for desktop MCP clients (Claude Desktop, Cursor, ...),
// against the running platform: NATS (signals in, order intents out), agent-mcp's REST API (the
// hosted agents) and exec-sim's API (orders, fills, positions, P&L). See network-deps.ts.
//
//   npx at-agent-mcp-stdio                                   (package.json "bin": stdio-bin.mjs)
//   node --import tsx services/agent-mcp/src/mcp/stdio-main.ts [--deps <module>]
//
// `--deps` (or env AGENT_MCP_DEPS_MODULE) names another module exporting
// `createMcpDeps(): McpBackends | Promise<McpBackends>` (tests pass in-memory fakes); without it
// the backends are network-deps.ts's, configured by env:
//   NATS_URL (nats://127.0.0.1:4222), NATS_STREAM (trading-events), AGENT_MCP_URL
//   (http://127.0.0.1:8002), AGENT_API_KEY (for enable/disable), EXEC_SIM_URL
//   (http://127.0.0.1:8004), EXEC_API_KEY (for cancel), INSTRUMENTS_FILE.
// The caller is one external agent, from env MCP_AGENT (JSON: {"id", "tools", "instruments",
// "maxNotional"}); without it, `mcp-stdio` with every tool and instrument and no notional limit.
// stdout carries the protocol only; the audit trail goes to stderr as JSON lines.
//
// Client configuration (claude_desktop_config.json / .cursor/mcp.json), with the repository at
// /path/to/repo (dependencies installed):
//   {
//     "mcpServers": {
//       "at-agent-mcp": {
//         "command": "node",
//         "args": ["/path/to/repo/services/agent-mcp/src/mcp/stdio-bin.mjs"],
//         "env": {
//           "NATS_URL": "nats://127.0.0.1:4222",
//           "AGENT_MCP_URL": "http://127.0.0.1:8002",
//           "AGENT_API_KEY": "<agent-mcp's AGENT_API_KEY>",
//           "EXEC_SIM_URL": "http://127.0.0.1:8004",
//           "EXEC_API_KEY": "<exec-sim's EXEC_API_KEY>",
//           "MCP_AGENT": "{\"id\":\"claude\",\"tools\":\"*\",\"instruments\":[\"ESZ6\"],\"maxNotional\":500000}"
//         }
//       }
//     }
//   }
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { McpBackends } from './stdio.js';
import { parseExternalAgent, serveMcpStdio } from './stdio.js';

type DepsModule = {
  createMcpDeps?: () => (McpBackends & { close?: () => Promise<void> }) | Promise<McpBackends & { close?: () => Promise<void> }>;
};

function depsModule(argv: string[]): string | undefined {
  const at = argv.indexOf('--deps');
  return (at >= 0 ? argv[at + 1] : undefined) ?? process.env.AGENT_MCP_DEPS_MODULE;
}

async function main(): Promise<void> {
  const module = depsModule(process.argv.slice(2));
  const loaded: DepsModule = module
    ? ((await import(pathToFileURL(path.resolve(module)).href)) as DepsModule)
    : await import('./network-deps.js');
  if (typeof loaded.createMcpDeps !== 'function') throw new Error(`${module} does not export createMcpDeps()`);
  const backends = await loaded.createMcpDeps();
  const { close, ...tools } = backends;
  await serveMcpStdio({
    ...tools,
    principal: parseExternalAgent(process.env.MCP_AGENT),
    audit: (entry) => process.stderr.write(`${JSON.stringify({ audit: entry })}\n`),
  });
  // The client closing our stdin (or signalling) ends the session: release NATS and exit.
  let exiting = false;
  const exit = () => {
    if (exiting) return;
    exiting = true;
    void Promise.resolve(close?.())
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.stdin.once('end', exit);
  process.stdin.once('close', exit);
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
}

main().catch((error: unknown) => {
  process.stderr.write(`at-agent-mcp stdio: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
