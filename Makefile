# Developer and CI entry points. `make test` is what .ci/run calls.

SHELL := /bin/bash
GO ?= go

GO_TEST_FLAGS ?= -p 2 -timeout 60m
TEST_PKGS ?= ./...

# The Debian package; its server is /usr/sbin/clickhouse-server.
CLICKHOUSE_PACKAGES := clickhouse-server clickhouse-client
# Debian's chromium prints the reports to PDF and loads them in the report
# tests; fonts-noto-cjk gives it Chinese glyphs.
REPORT_PACKAGES := chromium fonts-noto-cjk poppler-utils

# Apache ECharts, inlined into every HTML report (reports/assets).
ECHARTS_VERSION ?= 5.6.0

# The current ClickHouse engine the compatibility test replays every
# statement on (internal/chcompat): the npm package chdb, whose dependency
# @chdb/lib-linux-x64-gnu ships libchdb.so. About 550 MB: installed once
# into .cache/chdb (ignored by git) and reused.
CHDB_VERSION := 3.4.0
CHDB_DIR := $(CURDIR)/.cache/chdb
export ZENGSHOU_CHDB_NODE_MODULES := $(CHDB_DIR)/node_modules


# The department databases the sqldb tests read (scripts/start-databases).
DATABASE_PACKAGES := postgresql postgresql-client mariadb-server mariadb-client

# The daemon's metrics test scrapes it with a real Prometheus (/usr/bin/prometheus).
PROMETHEUS_PACKAGES := prometheus

.PHONY: deps deps-clickhouse deps-report deps-prometheus deps-databases chdb echarts build test test-go test-short demo lint bench bench-go fuzz

# make bench: the base size (1×) of the run bench; province scale is
# BENCH_HOUSEHOLDS=1000000 (BENCH_FLAGS=--december=false for January only).
BENCH_HOUSEHOLDS ?= 100000
BENCH_FLAGS ?=

## deps: install what the warehouse, the reports, the daemon and the tests
## need: ClickHouse, chromium with CJK fonts, Prometheus, PostgreSQL and
## MariaDB (the department databases of the sqldb tests).
deps: deps-clickhouse deps-report deps-prometheus deps-databases

## deps-clickhouse: the ClickHouse server the embedded warehouse and the tests run.
deps-clickhouse:
	@if command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ]; then \
		exit 0; \
	elif [ "$$(id -u)" -eq 0 ]; then \
		echo "installing $(CLICKHOUSE_PACKAGES) from Debian"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(CLICKHOUSE_PACKAGES); \
	else \
		echo "clickhouse-server is not installed; install it with:" >&2; \
		echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $(CLICKHOUSE_PACKAGES)" >&2; \
		exit 1; \
	fi

## deps-report: chromium and the CJK fonts (PDF reports, report tests), and
## poppler-utils' pdftotext (the privacy test reads the PDF reports' text).
deps-report:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -z "$$missing" ]; then \
		exit 0; \
	elif [ "$$(id -u)" -eq 0 ]; then \
		echo "installing $(REPORT_PACKAGES) from Debian"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(REPORT_PACKAGES); \
	else \
		echo "$$missing not installed; install with:" >&2; \
		echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $(REPORT_PACKAGES)" >&2; \
		exit 1; \
	fi

## echarts: refresh reports/assets/echarts.min.js from the npm package
## echarts@$(ECHARTS_VERSION) (commit the result).
echarts:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && tar xzf echarts-$(ECHARTS_VERSION).tgz package/dist/echarts.min.js package/LICENSE) && \
	cp "$$tmp/package/dist/echarts.min.js" reports/assets/echarts.min.js && \
	cp "$$tmp/package/LICENSE" reports/assets/ECHARTS-LICENSE && \
	echo "$(ECHARTS_VERSION)" > reports/assets/ECHARTS-VERSION && \
	echo "reports/assets/echarts.min.js is echarts $(ECHARTS_VERSION)"

## deps-prometheus: the Prometheus the daemon's metrics test starts.
deps-prometheus:
	@if command -v prometheus >/dev/null 2>&1; then \
		exit 0; \
	elif [ "$$(id -u)" -eq 0 ]; then \
		echo "installing $(PROMETHEUS_PACKAGES) from Debian"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(PROMETHEUS_PACKAGES); \
	else \
		echo "prometheus is not installed; install it with:" >&2; \
		echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(PROMETHEUS_PACKAGES)" >&2; \
		exit 1; \
	fi

## deps-databases: install Debian's PostgreSQL and MariaDB when missing.
deps-databases:
	@if command -v pg_ctlcluster >/dev/null 2>&1 && [ -x /usr/sbin/mariadbd ] && command -v psql >/dev/null 2>&1 && command -v mariadb >/dev/null 2>&1; then \
		exit 0; \
	elif [ "$$(id -u)" -eq 0 ]; then \
		echo "installing $(DATABASE_PACKAGES) from Debian"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DATABASE_PACKAGES); \
	else \
		echo "PostgreSQL or MariaDB is not installed; install them with:" >&2; \
		echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $(DATABASE_PACKAGES)" >&2; \
		exit 1; \
	fi

## chdb: install the npm package chdb (current ClickHouse, in-process) for
## the compatibility test, unless the pinned version is already there.
chdb:
	@if [ -f "$(CHDB_DIR)/node_modules/chdb/package.json" ] && \
		grep -q '"version": "$(CHDB_VERSION)"' "$(CHDB_DIR)/node_modules/chdb/package.json"; then \
		exit 0; \
	fi; \
	if ! command -v npm >/dev/null 2>&1; then \
		if [ "$$(id -u)" -eq 0 ]; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; \
		else \
			echo "npm is needed for the current-ClickHouse test: sudo apt-get install -y nodejs npm" >&2; exit 1; \
		fi; \
	fi; \
	echo "installing chdb@$(CHDB_VERSION) into $(CHDB_DIR) (once; about 550 MB)"; \
	mkdir -p "$(CHDB_DIR)" && npm install --prefix "$(CHDB_DIR)" --no-audit --no-fund --no-save chdb@$(CHDB_VERSION)

## build: build the zengshou binary into bin/.
build:
	$(GO) build -o bin/zengshou ./cmd/zengshou

## test: run every test, integration tests included, against a throwaway
## ClickHouse that is stopped afterwards whatever the tests' outcome (after lint).
test: deps lint test-go

test-go: deps deps-databases chdb
	scripts/start-databases
	scripts/with-clickhouse $(GO) test $(GO_TEST_FLAGS) $(TEST_PKGS)

## test-short: the quick loop; integration tests skip themselves.
test-short:
	$(GO) test -short ./...

## demo: build and run the demo on the embedded warehouse.
demo: deps-clickhouse deps-report build
	./bin/zengshou demo

## lint: gofmt, go vet, staticcheck and go mod tidy must all be clean.
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt -l reports:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) mod tidy -diff

## bench: the floor (clickhouse-client importing a month's files) next to
## `zengshou run` of the same files, January and December, the stages, and
## the scaling at 0.25×, 0.5×, 1× of BENCH_HOUSEHOLDS; prints the Markdown
## table and writes docs/performance.md.
bench: deps-clickhouse build
	./bin/zengshou bench --households $(BENCH_HOUSEHOLDS) --out docs/performance.md $(BENCH_FLAGS)

## bench-go: the Go benchmarks (the load and whole-run ones against a
## throwaway ClickHouse), -benchmem.
bench-go: deps-clickhouse deps-databases
	scripts/start-databases
	scripts/with-clickhouse $(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## fuzz: run each fuzz target for FUZZTIME (default 20s); not part of make test.
## The seed corpora are committed in the targets (f.Add); none may panic.
FUZZTIME ?= 20s
FUZZ_TARGETS := ./transforms/values:FuzzParseMoney ./transforms/values:FuzzParseMonth ./transforms/values:FuzzParseDate \
	./schemas:FuzzMapHeader ./pipeline/source/csvfile:FuzzRead ./pipeline/source/xlsxfile:FuzzRead
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done
