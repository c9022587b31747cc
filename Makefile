# ghlctl's everyday tasks. CI runs `make ci`; `make bench` is for people.
GO ?= go

.PHONY: build test lint fmt-check ci demo bench chaos fuzz

build:
	$(GO) build -o ghlctl .

test:
	$(GO) test ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

lint: fmt-check
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

# Runs the example agency against the built-in sandbox: plan, apply, plan.
demo:
	$(GO) run . plan --sandbox -f examples/agency
	$(GO) run . apply --sandbox --auto-approve -f examples/agency
	$(GO) run . plan --sandbox --detailed-exitcode -f examples/agency

ci: lint test
