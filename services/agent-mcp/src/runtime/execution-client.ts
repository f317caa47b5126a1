// ExecutionView over exec-sim's trade API (EXEC_SIM_URL): reads, and cancel with EXEC_API_KEY.
import type { OrderFilled } from '../../../../generated/index.js';
import type { ExecutionView } from '../context.js';

export class ExecutionApiError extends Error {
  override readonly name = 'ExecutionApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

export interface ExecutionClientOptions {
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class ExecSimClient implements ExecutionView {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: ExecutionClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  private async call(method: string, path: string, query: Record<string, string | number | undefined> = {}, auth = false) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const url = `${this.baseUrl}${path}${params.size > 0 ? `?${params}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth && this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const response = await this.fetch(url, { method, headers, signal: AbortSignal.timeout(this.timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, ok: response.ok, body };
  }

  private async read(path: string, query: Record<string, string | number | undefined> = {}): Promise<unknown> {
    const { ok, status, body } = await this.call('GET', path, query);
    if (!ok) throw new ExecutionApiError(status, body, `exec-sim GET ${path} answered ${status}`);
    return body;
  }

  async orders(query: { status?: string; strategyId?: string } = {}): Promise<unknown[]> {
    return ((await this.read('/orders', query)) as { orders?: unknown[] }).orders ?? [];
  }

  async fills(query: { clientOrderId?: string; limit?: number } = {}): Promise<OrderFilled[]> {
    return ((await this.read('/fills', query)) as { fills?: OrderFilled[] }).fills ?? [];
  }

  async positions(query: { strategyId?: string } = {}): Promise<unknown[]> {
    return ((await this.read('/positions', query)) as { positions?: unknown[] }).positions ?? [];
  }

  pnl(): Promise<unknown> {
    return this.read('/pnl');
  }

  async cancel(clientOrderId: string): Promise<{ ok: boolean; status: number; body: unknown }> {
    const { ok, status, body } = await this.call('POST', `/orders/${encodeURIComponent(clientOrderId)}/cancel`, {}, true);
    return { ok, status, body };
  }
}
