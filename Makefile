# Every task of the platform. `make help` lists them.
SHELL := /bin/bash
export PUPPETEER_SKIP_DOWNLOAD := 1
# The AsyncAPI CLI otherwise waits on an analytics call this network refuses.
export ASYNCAPI_METRICS_CONFIG_PATH := $(CURDIR)/.asyncapi-analytics
export SUPPRESS_NO_CONFIG_WARNING := 1

.PHONY: help install system-deps generate check-generated compat release-contracts validate-contracts typecheck lint format test docs dev bench bench-gateway bench-exec bench-e2e bench-generate bench-report ci status compose-config demo

help: ## List the tasks
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed ## Install npm packages (npm ci)

system-deps: ## nats-server and chromium, with apt-get when missing
	@bash scripts/ensure-system-deps.sh

generate: install ## contracts/ -> generated/ and asyncapi.yaml
	npx tsx scripts/generate.ts

check-generated: install ## Fail when generated/ or asyncapi.yaml differ from what the contracts give
	npx tsx scripts/generate.ts --check

compat: install ## The compatibility gate: contracts/ against their released versions (and the merge base)
	npx tsx scripts/compat/cli.ts

release-contracts: install ## Freeze changed contracts as new released versions (checks the semver bump), regenerate
	npx tsx scripts/release-contracts.ts

validate-contracts: install ## asyncapi validate (AsyncAPI CLI) on the root asyncapi.yaml
	npx asyncapi validate asyncapi.yaml --fail-severity error

typecheck: install ## tsc --noEmit over services, generated and scripts
	npx tsc --noEmit -p tsconfig.json

lint: install ## Biome: lint and format check
	npx biome check .

format: install ## Biome: format in place
	npx biome check --write .

test: install system-deps compat ## The compatibility gate, then the whole test suite (starts its own nats-server)
	npx vitest run

.PHONY: fuzz
fuzz: install system-deps ## Hostile-input fuzz of the gateway, exec-sim and agent-mcp (fast-check; FUZZ_RUNS, FUZZ_SEED)
	npx vitest run scripts/test/fuzz

docs: install ## AsyncAPI HTML docs into dist/docs/
	npx tsx scripts/docs.ts

dev: install system-deps ## Run the platform on this machine (NATS, streams, services so far)
	npx tsx scripts/dev.ts

demo: install system-deps ## Replay a seeded feed of 240+ TradingView alerts through the platform (the running one, else its own): fills, PnL, dist/demo/report.html
	npx tsx scripts/demo/demo.ts

status: install ## Is the platform healthy? Services' /health and /ready, NATS consumers, Prometheus targets (exit 1 if not)
	npx tsx scripts/status.ts

compose-config: system-deps ## Validate docker-compose.dev.yml (docker-compose config -q; no Docker engine needed)
	docker-compose -f docker-compose.dev.yml config -q

# `make bench` runs every benchmark with short settings (a few minutes in all); a BENCH_* variable
# the caller sets wins. The single-bench targets below keep each script's longer defaults.
bench: install system-deps ## Every benchmark, short settings, then dist/bench/index.html; figures printed and written under dist/bench/
	@echo '== bench 1/7: validators (generated standalone vs ajv at run time)'
	npx tsx scripts/bench/validators.ts
	@echo '== bench 2/7: compatibility gate, working tree'
	npx tsx scripts/bench/compat.ts
	@echo '== bench 3/7: compatibility gate vs asyncapi diff'
	npx tsx scripts/bench/compat-vs-diff.ts
	@echo '== bench 4/7: generator and compatibility check on 10, 50, 100 synthetic channels'
	BENCH_RUNS=$${BENCH_RUNS:-2} npx tsx scripts/bench/generate-scaling.ts
	@echo '== bench 5/7: gateway ingest vs node:http + JetStream'
	BENCH_SECONDS=$${BENCH_SECONDS:-3} BENCH_WARMUP_SECONDS=$${BENCH_WARMUP_SECONDS:-1} BENCH_ROUNDS=$${BENCH_ROUNDS:-1} npx tsx scripts/bench/gateway.ts
	@echo '== bench 6/7: exec-sim vs a bare relay'
	BENCH_INTENTS=$${BENCH_INTENTS:-2000} BENCH_WARMUP=$${BENCH_WARMUP:-200} BENCH_ROUNDS=$${BENCH_ROUNDS:-1} npx tsx scripts/bench/exec-sim.ts
	@echo '== bench 7/7: end to end, webhook to fill, vs a three-hop JetStream relay'
	BENCH_SECONDS=$${BENCH_SECONDS:-3} npx tsx scripts/bench/end-to-end.ts
	@echo '== report: dist/bench/*.json -> dist/bench/index.html'
	npx tsx scripts/bench/report.ts

bench-gateway: install system-deps ## Gateway req/s and latency against a bare node:http + JetStream ceiling (BENCH_SECONDS, BENCH_CONNECTIONS)
	npx tsx scripts/bench/gateway.ts

bench-exec: install system-deps ## exec-sim against a bare relay on one nats-server: intents/s, intent-to-fill p50/p99 (BENCH_INTENTS, BENCH_IN_FLIGHT)
	npx tsx scripts/bench/exec-sim.ts

bench-e2e: install system-deps ## Webhook to fill through gateway, agent-mcp, exec-sim vs a 3-hop JetStream relay: fills/s, p50/p99, peak memory (BENCH_SECONDS, BENCH_LOADS)
	npx tsx scripts/bench/end-to-end.ts

bench-generate: install ## make generate and the compatibility check on 10/50/100 synthetic channels: how the time grows (BENCH_CHANNELS, BENCH_RUNS)
	npx tsx scripts/bench/generate-scaling.ts

bench-report: install ## dist/bench/*.json -> dist/bench/index.html (charts, inline SVG)
	npx tsx scripts/bench/report.ts

ci: check-generated typecheck lint validate-contracts compat test ## What CI runs

# Failure drills (scripts/drills/): each runs against real processes, prints what it saw, exits 1 when the expected outcome did not happen.
.PHONY: drill drill-nats-outage drill-crash drill-slow-consumer drill-bad-contract drill-nats-cluster
drill: drill-nats-outage drill-crash drill-slow-consumer drill-bad-contract drill-nats-cluster ## Every failure drill, one after the other

drill-nats-outage: install system-deps ## Drill: nats-server stopped mid-stream; spool, readiness, no loss or duplicate, time to recover
	npx tsx scripts/drills/nats-outage.ts

drill-crash: install system-deps ## Drill: kill -9 of each service in turn mid-stream; nothing lost or doubled, positions as undisturbed
	npx tsx scripts/drills/crash.ts

drill-slow-consumer: install system-deps ## Drill: exec-sim consumer at max_ack_pending=1 under a flood; 429 + Retry-After, bounded pending and memory
	npx tsx scripts/drills/slow-consumer.ts

drill-bad-contract: install system-deps ## Drill: a breaking contract edit fails the gate, a bad payload is refused, rogue messages reach the DLQ
	npx tsx scripts/drills/bad-contract.ts

drill-nats-cluster: install system-deps ## Drill: kill -9 the stream leader of a 3-node R3 cluster under load; no loss, leader change, pause
	npx tsx scripts/drills/nats-cluster.ts
