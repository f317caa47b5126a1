// The built-in agent kinds and the validation of an agent's configuration.
import type { z } from 'zod';
import type { ValidationIssue } from '../../../core/src/index.js';
import { momentum } from './momentum.js';
import { tradingViewFollow } from './tradingview-follow.js';
import type { AgentKind } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: each kind has its own config type
export const BUILTIN_AGENT_KINDS: Readonly<Record<string, AgentKind<any>>> = {
  [tradingViewFollow.kind]: tradingViewFollow,
  [momentum.kind]: momentum,
};

export type ConfigCheck =
  // biome-ignore lint/suspicious/noExplicitAny: the kind's own config type
  { ok: true; kind: AgentKind<any>; config: Record<string, unknown> } | { ok: false; reason: string; issues: ValidationIssue[] };

export function zodIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: `${prefix}/${issue.path.map(String).join('/')}`.replace(/\/$/, ''),
    keyword: issue.code,
    message: issue.message,
  }));
}

/** `stopTicks: is required when sizing is "risk"; lookback: must be at least 1` */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path.replace(/^\//, '').replaceAll('/', '.') || '(config)'}: ${i.message}`).join('; ');
}

/** Validates a kind's configuration; the reason names every bad field. */
export function checkAgentConfig(kindName: string, config: unknown): ConfigCheck {
  const kind = BUILTIN_AGENT_KINDS[kindName];
  if (!kind) {
    const issues = [
      {
        path: '/kind',
        keyword: 'enum',
        message: `unknown agent kind "${kindName}" (known: ${Object.keys(BUILTIN_AGENT_KINDS).join(', ')})`,
      },
    ];
    return { ok: false, reason: describeIssues(issues), issues };
  }
  const parsed = kind.configSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    return { ok: false, reason: `invalid ${kindName} config: ${describeIssues(issues)}`, issues };
  }
  return { ok: true, kind, config: parsed.data as Record<string, unknown> };
}
