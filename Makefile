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

# Times plan and apply of 1,000 sub-accounts against a sandbox that answers
# after 50 ms, and a per-object plan beside them; see README, Performance.
bench:
	$(GO) run ./internal/bench

ci: lint test

# Applies a 50-sub-account fleet through a sandbox with faults injected, with
# a random seed (printed, so a failure can be replayed with GHLCTL_CHAOS_SEED).
chaos:
	@seed=$${GHLCTL_CHAOS_SEED:-$$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}; \
	echo "fault seed $$seed"; \
	GHLCTL_CHAOS_SEED=$$seed $(GO) test ./e2e -run TestFaultyNetworkConverges -count=1 -v | \
		grep -E 'seed|API:|^(--- |ok|FAIL)'
