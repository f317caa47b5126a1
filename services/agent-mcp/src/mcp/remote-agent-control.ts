// AgentControl over agent-mcp's REST API (GET /agents, POST /agents/:id/enable|disable,
// PUT /agents/:id/config with the bearer AGENT_API_KEY), for an MCP server running outside the
// agent-mcp process (the stdio server). list()/get() are synchronous, so they answer from a cache
// refreshed on start, every few seconds and after each change.
import type { ValidationIssue } from '../../../core/src/index.js';
import type { AgentControl, AgentInfo, ConfigureResult } from '../context.js';

export interface RemoteAgentControlOptions {
  /** agent-mcp's base URL, e.g. http://127.0.0.1:8002. */
  baseUrl: string;
  /** AGENT_API_KEY, for enable, disable and configure. */
  apiKey?: string;
  /** How often the agent list is re-read (default 5 s). */
  refreshMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Where refresh failures are reported (default: nowhere). */
  onError?: (error: Error) => void;
}

interface Answer {
  status: number;
  ok: boolean;
  body: unknown;
}

export class RemoteAgentControl implements AgentControl {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private agents: AgentInfo[] | undefined;
  private lastError: Error | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RemoteAgentControlOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Reads the agents once (a failure is kept and reported by list()) and keeps them fresh. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer ??= setInterval(() => void this.refresh(), this.options.refreshMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-reads GET /agents; true when it answered. */
  async refresh(): Promise<boolean> {
    try {
      const answer = await this.call('GET', '/agents');
      if (!answer.ok) throw new Error(`agent-mcp GET /agents answered ${answer.status}${describe(answer.body)}`);
      this.agents = ((answer.body as { agents?: AgentInfo[] }).agents ?? []).slice();
      this.lastError = undefined;
      return true;
    } catch (err) {
      this.lastError = err instanceof Error ? err : new Error(String(err));
      this.options.onError?.(this.lastError);
      return false;
    }
  }

  list(): AgentInfo[] {
    if (this.agents === undefined)
      throw new Error(`agent-mcp at ${this.baseUrl} is unreachable: ${this.lastError?.message ?? 'not read yet'}`);
    return this.agents.slice();
  }

  get(id: string): AgentInfo | undefined {
    return this.list().find((a) => a.id === id);
  }

  enable(id: string): Promise<AgentInfo | undefined> {
    return this.change('POST', `/agents/${encodeURIComponent(id)}/enable`);
  }

  disable(id: string): Promise<AgentInfo | undefined> {
    return this.change('POST', `/agents/${encodeURIComponent(id)}/disable`);
  }

  async configure(id: string, config: unknown): Promise<ConfigureResult | undefined> {
    const path = `/agents/${encodeURIComponent(id)}/config`;
    const answer = await this.call('PUT', path, config);
    if (unknownAgent(answer)) return undefined;
    if (answer.status === 400) {
      const body = (answer.body ?? {}) as { error?: string; issues?: { field: string; message: string }[] };
      const issues: ValidationIssue[] | undefined = body.issues?.map((i) => ({
        path: i.field === '(config)' ? '' : `/${i.field.replaceAll('.', '/')}`,
        message: i.message,
        keyword: 'remote',
      }));
      return { ok: false, reason: body.error ?? 'invalid configuration', ...(issues ? { issues } : {}) };
    }
    const agent = this.expectAgent('PUT', path, answer);
    return { ok: true, agent };
  }

  private async change(method: string, path: string): Promise<AgentInfo | undefined> {
    const answer = await this.call(method, path);
    if (unknownAgent(answer)) return undefined;
    return this.expectAgent(method, path, answer);
  }

  private expectAgent(method: string, path: string, answer: Answer): AgentInfo {
    const agent = (answer.body as { agent?: AgentInfo } | undefined)?.agent;
    if (!answer.ok || !agent) throw new Error(`agent-mcp ${method} ${path} answered ${answer.status}${describe(answer.body)}`);
    if (this.agents) this.agents = this.agents.map((a) => (a.id === agent.id ? agent : a));
    void this.refresh();
    return agent;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET' && this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, ok: response.ok, body: parsed };
  }
}

/** A 404 for the agent itself (not for a wrong base URL, which is reported as an error). */
function unknownAgent(answer: Answer): boolean {
  const error = (answer.body as { error?: unknown } | undefined)?.error;
  return answer.status === 404 && typeof error === 'string' && error.startsWith('no agent with id');
}

function describe(body: unknown): string {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return `: ${error}`;
  return typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : '';
}
