# Hearth. `make help` lists the targets.
SHELL := /bin/bash
HEARTH := .data/bin/hearth

.PHONY: help run test test-dates explain verify generate lint bench assets browser build

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

run: ## start Hearth on http://localhost:8080 (private PostgreSQL and demo data unless DATABASE_URL is set)
	go run ./cmd/hearth serve --demo-if-empty

build: ## build the hearth binary into .data/bin
	go build -o $(HEARTH) ./cmd/hearth

test: build ## vet, check generated code, and run every test (race detector) on a throwaway PostgreSQL
	@set -euo pipefail; \
	if [ -z "$${TEST_DATABASE_URL:-}" ]; then \
	  dir=$$(mktemp -d /tmp/hearth-test.XXXXXX); chmod 755 "$$dir"; \
	  trap '$(HEARTH) devdb stop --dir "'"$$dir"'/pg" >/dev/null 2>&1 || true; rm -rf "'"$$dir"'"' EXIT; \
	  TEST_DATABASE_URL=$$($(HEARTH) devdb start --fast --port 0 --dir "$$dir/pg"); export TEST_DATABASE_URL; \
	fi; \
	$(MAKE) --no-print-directory browser; \
	echo "== go vet"; go vet ./...; \
	$(MAKE) --no-print-directory verify; \
	echo "== go test"; go test -race -count=1 -timeout 30m ./...; \
	$(MAKE) --no-print-directory test-dates; \
	echo "== go test, disclosure attacks and forecast backtests at full size (the race detector slows them tenfold)"; \
	go test -count=1 -timeout 30m -run 'TestAttacks|TestExtractKAnonymousAtScale' ./internal/sharing/; \
	go test -count=1 -timeout 30m -run 'TestBacktestTargets|TestBacktestEngland|TestBacktestModelError|TestBacktestNeeds' ./internal/forecast/

# Awkward days for the tests that take "today" from dbtest.Today: a month's
# first day, the day before and on 29 February, a financial year's last and
# first days, and the day BST ends. The main run uses dbtest.DefaultToday.
TEST_DATES := 2027-02-28 2028-02-29 2027-03-31 2027-04-01 2026-10-25

test-dates: ## rerun the date-sensitive tests with the injected clock on each of TEST_DATES
	@set -euo pipefail; \
	pkgs=$$(grep -l 'dbtest.Today(' $$(git ls-files '*_test.go') | xargs -n1 dirname | sort -u | sed 's|^|./|'); \
	for d in $(TEST_DATES); do \
	  echo "== go test, today $$d: $$(echo $$pkgs)"; \
	  HEARTH_TEST_TODAY=$$d go test -short -count=1 $$pkgs; \
	done

explain: build ## plan every query on EXPLAIN_DATABASE_URL (default: make run's database, e.g. the national demo); fail on a full read of a council's table
	@url=$${EXPLAIN_DATABASE_URL:-$$($(HEARTH) devdb url)}; EXPLAIN_DATABASE_URL=$$url go test -count=1 -v -run TestQueriesUseTheirIndexes ./queries/

verify: ## fail if internal/db is not what sqlc generates from queries/ and schema/
	@echo "== sqlc diff"; go tool sqlc diff

generate: ## regenerate internal/db from queries/ and schema/
	go tool sqlc generate

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...

bench: ## Go benchmarks
	go test -run '^$$' -bench . -benchmem ./...

browser: ## install Debian's chromium (browser tests) and poppler-utils (PDF tests) if they are missing
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "== installing chromium"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package (sudo apt-get install chromium)"; exit 1; fi; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "== installing poppler-utils"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "pdftoppm is missing: install Debian's poppler-utils package"; exit 1; fi; }

assets: ## rebuild web/static from GOV.UK Frontend (needs npm; the output is committed)
	cd web/assets && npm ci --no-audit --no-fund && npx sass --load-path=node_modules --style=compressed --no-source-map app.scss ../static/hearth.css
	cp web/assets/node_modules/govuk-frontend/dist/govuk/all.bundle.js web/static/govuk-frontend.js
