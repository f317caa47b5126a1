# One image for every service: SERVICE picks `npm run start:$SERVICE` (gateway, agent-mcp, exec-sim, observability).
#   docker build --build-arg SERVICE=exec-sim -t at-exec-sim .
# tsx runs the TypeScript directly, so there is no build step and devDependencies stay installed.
FROM node:20-bookworm-slim

ARG SERVICE=gateway
ENV SERVICE=${SERVICE} \
    NODE_ENV=development \
    PUPPETEER_SKIP_DOWNLOAD=1 \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

# Dependencies first: this layer is reused until package.json or the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .
# The gateway's spool (GATEWAY_SPOOL_DIR=.tmp/gateway-spool) and other run-time files live under .tmp.
RUN mkdir -p .tmp && chown -R node:node .tmp

USER node

# PORT comes from the environment (compose sets it per service); the services' own defaults otherwise.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT||({gateway:8001,'agent-mcp':8002,'exec-sim':8004,observability:8005}[process.env.SERVICE]);fetch('http://127.0.0.1:'+p+'/health',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# exec: npm becomes PID 1 and passes SIGTERM on, so the service drains NATS before it exits.
CMD ["sh", "-c", "exec npm run --silent start:$SERVICE"]
