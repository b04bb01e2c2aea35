# Developer entry points. `make test` is what CI runs (.ci/run).

GO          ?= go
BIN         ?= bin/sprechstunde
LOAD_BIN    ?= bin/sprechstunde-load
# -timeout per test binary keeps a hung test from eating the CI budget.
TEST_FLAGS  ?= -race -count=1 -timeout 15m
TEST_PKGS   ?= ./...

.PHONY: run build build-deps test test-deps lint fmt load-tool bench bench-sfu screenshots figures clean

## run: build bin/ and start the server in demo mode (override with SPRECHSTUNDE_DEMO=false)
# The first build compiles Go and the C SQLite driver, minutes on a small
# machine, so it says so; later builds are incremental. On a terminal the
# server runs as its own job (bash -m): Ctrl-C reaches it alone, it shuts
# down cleanly and make ends without an error.
run: build-deps
	@mkdir -p data $(dir $(BIN))
	@echo ">> Building $(BIN): the first time takes a few minutes (Go and the C SQLite driver compile), later only seconds."
	@$(GO) build -o $(BIN) .
	@echo ">> Starting $(BIN) serve (demo mode unless SPRECHSTUNDE_DEMO=false); Ctrl-C stops it."
	@export SPRECHSTUNDE_DEMO=$${SPRECHSTUNDE_DEMO:-true}; \
	if [ -t 0 ]; then bash -mc '"$(abspath $(BIN))" serve; exit $$?'; else exec "$(abspath $(BIN))" serve; fi

## build-deps: the C compiler the SQLite driver (cgo) needs
build-deps:
	@command -v gcc >/dev/null || bash scripts/install-test-deps.sh gcc

## build: compile the binary into bin/
build: build-deps
	$(GO) build -o $(BIN) .

## test-deps: install PostgreSQL, Chromium, gcc if missing (apt-get as root)
test-deps:
	bash scripts/install-test-deps.sh

## test: full suite with the race detector against a throw-away PostgreSQL
test: test-deps
	$(GO) vet -tags sfutrace ./sfu/...
	bash scripts/pgtest.sh run -- $(GO) test $(TEST_FLAGS) $(TEST_PKGS)

## lint: formatting, vet and the package layering rules
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags sfutrace ./sfu/...
	$(GO) test -count=1 -run TestImportDirection ./server/

## fmt: format all Go files
fmt:
	gofmt -w .

## load-tool: the load generators' own binary (the product binary has none)
load-tool: build-deps
	$(GO) build -o $(LOAD_BIN) ./cmd/sprechstunde-load

## bench: booking load generator (flags: make bench ARGS='-clients 200')
bench: load-tool
	$(LOAD_BIN) booking $(ARGS)

## bench-sfu: SFU load generator (flags: make bench-sfu ARGS='-steps 50,100')
bench-sfu: load-tool
	$(LOAD_BIN) sfu $(ARGS)

## screenshots: PNGs of every page state, desktop and 390 px phone width, into screenshots/
screenshots: test-deps
	SPRECHSTUNDE_SCREENSHOTS=$(CURDIR)/screenshots $(GO) test -count=1 -run 'TestBrowserJourney' ./server/

## figures: join time (median of 5 calls) and page weights
figures: test-deps
	@SPRECHSTUNDE_FIGURES=1 bash -o pipefail -c "$(GO) test -count=1 -v -run 'TestJoinTimeFigures|TestPageWeight' ./server/ ./frontend/ | grep -E 'join time|page weight|^(ok|FAIL|---)'"

clean:
	rm -rf bin
