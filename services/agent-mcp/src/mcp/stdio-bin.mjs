#!/usr/bin/env node
// `at-agent-mcp-stdio`: the stdio MCP server (stdio-main.ts) without a build step, through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./stdio-main.ts');
