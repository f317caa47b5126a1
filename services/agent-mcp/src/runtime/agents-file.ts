// The agents file (AGENTS_CONFIG, YAML or JSON): which agents run, of which kind, with which
// configuration. A bad file stops the service with the file and the offending field named.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checkAgentConfig, zodIssues } from '../agents/registry.js';

/** services/agent-mcp/agents.yaml, found relative to this module. */
export const DEFAULT_AGENTS_CONFIG = fileURLToPath(new URL('../../agents.yaml', import.meta.url));

export const AGENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,48}$/;

const agentEntrySchema = z.strictObject({
  id: z.string().regex(AGENT_ID_PATTERN, 'must be 1-48 letters, digits, _ or - (it names the durable consumer agent-<id>)'),
  kind: z.string().min(1),
  enabled: z.boolean().default(true),
  /** Positions and PnL are kept per strategy; defaults to the agent id. */
  strategyId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits, . _ : or -')
    .optional(),
  config: z.record(z.string(), z.unknown()).default({}),
});

const agentsFileSchema = z.strictObject({ agents: z.array(agentEntrySchema) });

export interface AgentSpec {
  id: string;
  kind: string;
  enabled: boolean;
  strategyId: string;
  /** The kind's configuration with its defaults applied. */
  config: Record<string, unknown>;
}

export class AgentsConfigError extends Error {
  override readonly name = 'AgentsConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid agents config ${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Parses the agents document; `disabled` ids (AGENTS_DISABLED) start disabled whatever the file says. */
export function parseAgentsConfig(document: unknown, source: string, disabled: readonly string[] = []): AgentSpec[] {
  const parsed = agentsFileSchema.safeParse(document);
  if (!parsed.success) {
    throw new AgentsConfigError(
      source,
      zodIssues(parsed.error).map((i) => `${i.path.replace(/^\//, '').replaceAll('/', '.') || '(file)'}: ${i.message}`),
    );
  }
  const problems: string[] = [];
  const specs: AgentSpec[] = [];
  const seen = new Set<string>();
  parsed.data.agents.forEach((entry, index) => {
    if (seen.has(entry.id)) problems.push(`agents.${index}.id: duplicate agent id "${entry.id}"`);
    seen.add(entry.id);
    const check = checkAgentConfig(entry.kind, entry.config);
    if (!check.ok) {
      for (const issue of check.issues) {
        const field = issue.path === '/kind' ? 'kind' : `config${issue.path.replaceAll('/', '.')}`;
        problems.push(`agents.${index}.${field}: ${issue.message}`);
      }
      return;
    }
    specs.push({
      id: entry.id,
      kind: entry.kind,
      enabled: entry.enabled && !disabled.includes(entry.id),
      strategyId: entry.strategyId ?? entry.id,
      config: check.config,
    });
  });
  for (const id of disabled) if (!seen.has(id)) problems.push(`AGENTS_DISABLED: no agent "${id}" in the file`);
  if (problems.length > 0) throw new AgentsConfigError(source, problems);
  return specs;
}

export function loadAgentsConfig(path: string = DEFAULT_AGENTS_CONFIG, disabled: readonly string[] = []): AgentSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AgentsConfigError(path, [`cannot read the file (${(err as Error).message})`]);
  }
  let document: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    document = parseYaml(text);
  } catch (err) {
    throw new AgentsConfigError(path, [`not valid YAML or JSON (${(err as Error).message})`]);
  }
  return parseAgentsConfig(document, path, disabled);
}
