# RenderOwl — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8080
ROLE ?= all
DATA ?= $(CURDIR)/.data
export RENDEROWL_DATA := $(DATA)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
# Fewer glibc malloc arenas: less resident memory and less growth over time (ADR 27); the image sets the same.
export MALLOC_ARENA_MAX ?= 2

.PHONY: check-deploy cluster cluster-down cluster-test monitoring monitoring-down run test services services-down services-status build migrate compiled-model docs admin db-cleanup db-stats db-optimize db-integrity db-reencrypt-keys migrate-status migrate-dry-run clean load-test load-test-health bench bench-tool bench-cache bench-monitor bench-data

## Start PostgreSQL (primary + replica) and Redis if needed, apply migrations, serve API + worker + Hangfire dashboard.
run: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet tool restore >/dev/null; \
	exec dotnet run --project src/Api -c Release --no-launch-profile -- \
	  --urls "http://127.0.0.1:$(PORT)" --environment "$${ASPNETCORE_ENVIRONMENT:-Development}" --role "$(ROLE)"

## Run every test project against real PostgreSQL, replica, Redis and ffmpeg (and Chromium, promtool: scripts/test-tools.sh).
test:
	@RENDEROWL_S3=1 scripts/services.sh up >/dev/null
	@scripts/test-tools.sh
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet test RenderOwl.sln -c Release --logger "trx" --results-directory "$(CURDIR)/TestResults" $(TEST_ARGS)

services:
	@scripts/services.sh up >/dev/null

## Two API and two worker instances behind nginx, PgBouncer, an S3-compatible server (scripts/cluster.sh; logs in .data/cluster).
cluster:
	@scripts/cluster.sh up

cluster-down:
	@scripts/cluster.sh down

## The cluster's proofs: the flow through nginx, shared storage, cache and limits, a worker killed, an API stopped under load.
cluster-test:
	@scripts/cluster-test.sh

## The deployment files against their schemas: deploy/compose.yaml (dclint) and deploy/k8s (kubernetes-models + cross-file checks).
check-deploy:
	@scripts/check-deploy.sh

## A local Prometheus (deploy/prometheus: scrape config and alerts) scraping the API that `make run` serves on PORT.
monitoring:
	@API="127.0.0.1:$(PORT)" scripts/monitoring.sh up >/dev/null && API="127.0.0.1:$(PORT)" scripts/monitoring.sh check

monitoring-down:
	@scripts/monitoring.sh down

services-down:
	@scripts/services.sh down

services-status:
	@scripts/services.sh status

build:
	dotnet build RenderOwl.sln -c Release

## Apply migrations by hand (make run does this on start-up too), each timed and its SQL's SHA-256 recorded.
migrate: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	Database__MigrateOnStartup=true dotnet run --project src/Api -c Release --no-launch-profile -- db migrate --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## Every migration: applied or pending, when it was applied, how long it took, whether its SQL still matches (exit 1 if not).
migrate-status: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -- db migrate-status --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## The idempotent SQL of the pending migrations, printed; nothing is applied.
migrate-dry-run: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -v q -- db migrate-dry-run --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## Regenerate the compiled EF model (src/Infrastructure/Persistence/CompiledModel) after changing an entity configuration;
## a test (CompiledModelTests) fails until it is done. Needs no database.
compiled-model:
	@dotnet tool restore >/dev/null
	dotnet ef dbcontext optimize --project src/Infrastructure --startup-project src/Api --context AppDbContext \
	  --output-dir Persistence/CompiledModel --namespace RenderOwl.Infrastructure.Persistence.CompiledModel

## Make an existing account an admin: make admin EMAIL=ada@example.com
admin: services
	@test -n "$(EMAIL)" || { echo "usage: make admin EMAIL=<address of an existing account>"; exit 2; }
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -- admin promote "$(EMAIL)" --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## Run every retention policy now (and the analytics partitions' upkeep), printing what each removed.
db-cleanup: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -- db cleanup --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## Table and index sizes, row estimates, dead tuples (bloat), cache hit ratio, the oldest open transaction.
db-stats: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -- db stats --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## VACUUM (ANALYZE) every table, then the cleanup.
db-optimize: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -- db optimize --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## amcheck on every B-tree index, foreign keys and owner references, render state invariants (exit 1 on a problem).
db-integrity: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -- db integrity --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## After rotating DataProtection:KeyEncryptionKey: re-encrypt every stored Data Protection key with the new one.
db-reencrypt-keys: services
	@set -a; . "$(DATA)/services.env"; set +a; \
	dotnet run --project src/Api -c Release --no-launch-profile -- db reencrypt-keys --environment "$${ASPNETCORE_ENVIRONMENT:-Development}"

## Load-test any endpoint: make load-test ARGS="--endpoint http://127.0.0.1:8080/v1/me --auth rok_… --duration 30s --concurrency 32"
## (--rps N for a constant arrival rate, --json for a machine-readable report; --help lists everything).
load-test:
	@dotnet build tools/RenderOwl.LoadTest -c Release -v q -nologo >/dev/null
	@dotnet tools/RenderOwl.LoadTest/bin/Release/net10.0/RenderOwl.LoadTest.dll $(ARGS)

## The health probe of a running instance (make run) under load: GET /live, 30 s, 32 clients.
load-test-health:
	@$(MAKE) --no-print-directory load-test ARGS="--endpoint http://127.0.0.1:$(PORT)/live --duration 30s --concurrency 32 $(ARGS)"

## The performance table in one run (bench/run.sh): the two baselines and RenderOwl in Production, 100,000 seeded projects,
## a 10-minute soak (BENCH_SOAK_MINUTES=0 skips it); prints every row as a ratio and writes it to docs/benchmarks.md. Needs wrk.
bench:
	@bench/run.sh

## The load-test tool against wrk on the same endpoints, alternating rounds (docs/benchmarks.md).
bench-tool:
	@bench/tool-vs-wrk.sh 3 10

## Cached vs uncached project reads against the bare endpoint (wrk; docs/benchmarks.md).
bench-cache:
	@bench/cache-wrk.sh 15

## What the per-route monitor and the query profiler cost: P1 with Performance:Enabled on vs off (docs/benchmarks.md).
bench-monitor:
	@bench/monitor-cost.sh 15 4

## Data lifecycle figures: COPY vs INSERT ingest, the roll-up of 1,000,000 events, account deletion, streamed export (docs/benchmarks.md).
bench-data: services
	@dotnet build bench/RenderOwl.Benchmarks -c Release -v q -nologo >/dev/null
	@set -a; . ./.data/services.env; set +a; for part in ingest rollup delete export; do \
	  dotnet bench/RenderOwl.Benchmarks/bin/Release/net10.0/RenderOwl.Benchmarks.dll data "$$RENDEROWL_TEST_PG" $$part || exit 1; done

## Regenerate docs/errors.md from the error registry.
docs:
	dotnet run --project src/Api -c Release --no-launch-profile -v q -- errors-doc > docs/errors.md

clean:
	rm -rf TestResults src/*/bin src/*/obj tests/*/bin tests/*/obj tools/*/bin tools/*/obj bench/*/bin bench/*/obj
