# pacsim — see README.md.
GO       ?= go
ARGS     ?=
FUZZTIME ?= 30s
BENCH    ?= .

.PHONY: run test test-chart bench fuzz build vet image

## run: the simulator on its embedded default site (pass flags with ARGS="--clock virtual")
run: build
	./bin/pacsim serve $(ARGS)

## test: vet, then every test with the race detector, then the deploy/ module's (the image and
## the Helm chart). go vet runs every analyzer over each package and, for facts, its
## dependencies: go test's own vet (a subset) would make that pass over the dependencies again,
## so it is off. vet builds with -race so that its packages are the tests' (one compile of the
## module, not two). The image's static binary is built once before deploy/'s two test packages
## each build it (at once, so both compiled it). Cold build cache, 2 cores: under 10 minutes.
test:
	$(GO) vet -race ./...
	$(GO) test -vet=off -race ./...
	CGO_ENABLED=0 $(GO) build -trimpath -tags timetzdata -o /dev/null ./cmd/pacsim
	cd deploy && $(GO) vet ./... && $(GO) test -vet=off ./...

## test-chart: the Helm chart's tests alone (make test runs them too)
test-chart:
	cd deploy && $(GO) vet ./helm/... && $(GO) test -vet=off ./helm/...

## image: the OCI image pacsim-image.tar, without a Docker daemon (docker load -i pacsim-image.tar)
image:
	cd deploy && $(GO) run ./cmd/pacsim-image -o ../pacsim-image.tar \
	  -version "$$(git -C .. describe --tags --always 2>/dev/null || echo dev)" \
	  -revision "$$(git -C .. rev-parse HEAD 2>/dev/null || echo unknown)"

## bench: every benchmark with allocations (BENCH=regexp to choose)
bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem ./...

## fuzz: every fuzz target for FUZZTIME each
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  d=$$(dirname $$f); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
	    echo "== $$d $$t"; $(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=3s ./$$d; \
	  done; \
	done

## build: the pacsim binary in bin/
build:
	$(GO) build -o bin/pacsim ./cmd/pacsim

vet:
	$(GO) vet ./...
