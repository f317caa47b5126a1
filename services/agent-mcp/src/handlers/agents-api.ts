// REST for the hosted agents: read freely; enable, disable and reconfigure with AGENT_API_KEY.
import { Hono } from 'hono';
import { type AppEnv, httpError, requireBearer } from '../../../core/src/index.js';
import type { AgentControl } from '../context.js';

export function agentsApiRoutes(control: AgentControl, apiKey: string | undefined): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const writes = requireBearer(apiKey);
  const notFound = (id: string) => httpError(404, `no agent with id ${id}`);

  routes.get('/agents', (c) => c.json({ agents: control.list() }));

  routes.get('/agents/:id', (c) => {
    const agent = control.get(c.req.param('id'));
    if (!agent) throw notFound(c.req.param('id'));
    return c.json({ agent });
  });

  routes.post('/agents/:id/enable', writes, async (c) => {
    const agent = await control.enable(c.req.param('id'));
    if (!agent) throw notFound(c.req.param('id'));
    return c.json({ agent });
  });

  routes.post('/agents/:id/disable', writes, async (c) => {
    const agent = await control.disable(c.req.param('id'));
    if (!agent) throw notFound(c.req.param('id'));
    return c.json({ agent });
  });

  routes.put('/agents/:id/config', writes, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (err) {
      throw httpError(400, `malformed JSON body: ${(err as Error).message}`);
    }
    const result = await control.configure(c.req.param('id'), body);
    if (!result) throw notFound(c.req.param('id'));
    if (!result.ok) {
      const issues = result.issues?.map((i) => ({
        field: i.path.replace(/^\//, '').replaceAll('/', '.') || '(config)',
        message: i.message,
      }));
      return c.json({ error: result.reason, ...(issues ? { issues } : {}) }, 400);
    }
    return c.json({ agent: result.agent });
  });

  return routes;
}
