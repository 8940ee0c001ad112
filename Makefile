# Developer and CI entry points. `make test` is what .ci/run calls.

SHELL := /bin/bash
GO ?= go

GO_TEST_FLAGS ?= -p 2 -timeout 60m
TEST_PKGS ?= ./...

# The Debian package; its server is /usr/sbin/clickhouse-server.
CLICKHOUSE_PACKAGES := clickhouse-server clickhouse-client

.PHONY: deps build test test-go test-short demo lint bench

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

## build: build the zengshou binary into bin/.
build:
	$(GO) build -o bin/zengshou ./cmd/zengshou

## test: run every test, integration tests included, against a throwaway
## ClickHouse that is stopped afterwards whatever the tests' outcome; then lint.
test: deps test-go lint

test-go: deps
	@tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/zengshou-test.XXXXXX"); \
	cleanup() { \
		"$$tmp/chserver" down "$$tmp/data" || echo "make test: could not stop the test ClickHouse in $$tmp/data" >&2; \
		rm -rf "$$tmp"; \
	}; \
	if ! $(GO) build -o "$$tmp/chserver" ./internal/testenv/chserver; then rm -rf "$$tmp"; exit 1; fi; \
	trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	dsn=$$("$$tmp/chserver" up "$$tmp/data") || exit 1; \
	echo "make test: ClickHouse for integration tests at $$dsn"; \
	rc=0; \
	ZENGSHOU_TEST_CLICKHOUSE="$$dsn" $(GO) test $(GO_TEST_FLAGS) $(TEST_PKGS) || rc=$$?; \
	exit $$rc

## test-short: the quick loop; integration tests skip themselves.
test-short:
	$(GO) test -short ./...

## demo: build and run the demo on the embedded warehouse.
demo: deps build
	./bin/zengshou demo

## lint: gofmt, go vet and staticcheck must all be clean.
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt -l reports:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## bench: run the benchmarks only.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
