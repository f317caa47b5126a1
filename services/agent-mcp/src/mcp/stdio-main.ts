// The at-agent-mcp MCP server over stdio, for desktop MCP clients (Claude Desktop, Cursor, ...):
//
//   node --import tsx services/agent-mcp/src/mcp/stdio-main.ts --deps <module>
//
// `--deps` (or env AGENT_MCP_DEPS_MODULE) names a module exporting
// `createMcpDeps(): McpBackends | Promise<McpBackends>`: the agent control, signal view, intent
// submitter, execution view, instrument catalog and contract registry the tools run on.
// The caller is one external agent, from env MCP_AGENT (JSON: {"id", "tools", "instruments",
// "maxNotional"}); without it, `mcp-stdio` with every tool and instrument and no notional limit.
// stdout carries the protocol only; the audit trail goes to stderr as JSON lines.
//
// Example client configuration:
//   { "command": "node", "args": ["--import", "tsx", "services/agent-mcp/src/mcp/stdio-main.ts", "--deps", "<module>"],
//     "env": { "MCP_AGENT": "{\"id\":\"claude\",\"tools\":\"*\",\"instruments\":[\"ESZ6\"],\"maxNotional\":500000}" } }
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { McpBackends } from './stdio.js';
import { parseExternalAgent, serveMcpStdio } from './stdio.js';

function depsModule(argv: string[]): string | undefined {
  const at = argv.indexOf('--deps');
  return (at >= 0 ? argv[at + 1] : undefined) ?? process.env.AGENT_MCP_DEPS_MODULE;
}

async function main(): Promise<void> {
  const module = depsModule(process.argv.slice(2));
  if (!module) throw new Error('no deps module: pass --deps <module> or set AGENT_MCP_DEPS_MODULE');
  const loaded = (await import(pathToFileURL(path.resolve(module)).href)) as { createMcpDeps?: () => McpBackends | Promise<McpBackends> };
  if (typeof loaded.createMcpDeps !== 'function') throw new Error(`${module} does not export createMcpDeps()`);
  const backends = await loaded.createMcpDeps();
  await serveMcpStdio({
    ...backends,
    principal: parseExternalAgent(process.env.MCP_AGENT),
    audit: (entry) => process.stderr.write(`${JSON.stringify({ audit: entry })}\n`),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`at-agent-mcp stdio: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
