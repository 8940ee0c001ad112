# Developer and CI entry points. `make test` is what .ci/run calls.

SHELL := /bin/bash
GO ?= go

GO_TEST_FLAGS ?= -p 2 -timeout 60m
TEST_PKGS ?= ./...

# The Debian package; its server is /usr/sbin/clickhouse-server.
CLICKHOUSE_PACKAGES := clickhouse-server clickhouse-client

# The current ClickHouse engine the compatibility test replays every
# statement on (internal/chcompat): the npm package chdb, whose dependency
# @chdb/lib-linux-x64-gnu ships libchdb.so. About 550 MB: installed once
# into .cache/chdb (ignored by git) and reused.
CHDB_VERSION := 3.4.0
CHDB_DIR := $(CURDIR)/.cache/chdb
export ZENGSHOU_CHDB_NODE_MODULES := $(CHDB_DIR)/node_modules

.PHONY: deps chdb build test test-go test-short demo lint bench

## deps: install the ClickHouse server the embedded warehouse and the tests run.
deps:
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

test-go: deps chdb
	scripts/with-clickhouse $(GO) test $(GO_TEST_FLAGS) $(TEST_PKGS)

## test-short: the quick loop; integration tests skip themselves.
test-short:
	$(GO) test -short ./...

## demo: build and run the demo on the embedded warehouse.
demo: deps build
	./bin/zengshou demo

## lint: gofmt, go vet, staticcheck and go mod tidy must all be clean.
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt -l reports:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) mod tidy -diff

## bench: run the benchmarks (the load and whole-run ones against a
## throwaway ClickHouse) and print them as a table.
bench: deps
	scripts/with-clickhouse $(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...
