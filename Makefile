# lutrace: the one entry point. See README.md.
#
#   make demo        build, boot, live-update the VM's devices, print the report
#   make test        everything: unit tests, checks, kernel build, VM scenarios
#   make test-unit   Criterion unit tests only (seconds, no root)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := demo
.DELETE_ON_ERROR:

export LUTRACE_CACHE ?= /var/cache/lutrace
BUILD := build
DEPS_STAMP := $(BUILD)/.deps-ok

KERNEL_INPUTS := $(wildcard kernel/patches/*.patch kernel/configs/* kernel/scripts/*.sh)
KERNEL_OUT := $(LUTRACE_CACHE)/build/guest

.PHONY: all deps kernel kernel-export demo test test-unit bench clean

all: kernel tracer

# Packages: checked every run (cheap), installed only when something is missing.
$(DEPS_STAMP): scripts/deps.sh
	@mkdir -p $(@D)
	@scripts/deps.sh --check 2>/dev/null || scripts/deps.sh
	@touch $@

deps:
	scripts/deps.sh

# The guest kernel. build-kernel.sh itself skips kbuild when nothing changed.
$(BUILD)/kernel/bzImage: $(KERNEL_INPUTS) | $(DEPS_STAMP)
	kernel/scripts/build-kernel.sh guest bzImage headers_install
	@mkdir -p $(@D)
	cp $(KERNEL_OUT)/arch/x86/boot/bzImage $@

kernel: $(BUILD)/kernel/bzImage

kernel-export:
	kernel/scripts/export-series.sh

-include tracer/tracer.mk

clean:
	rm -rf $(BUILD)
