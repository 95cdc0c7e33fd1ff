# lutrace: the one entry point. See README.md.
#
#   make demo        build, boot, live-update the VM's devices, print the report
#   make test        everything: unit tests, checks, kernel build, VM scenarios
#   make test-unit   Criterion unit tests only (seconds, no root)
#   make bench       what lutrace and the series cost: bench/RESULTS.md
#   make install     lutrace, its man page and systemd units (PREFIX, DESTDIR)
#   make deb         the lutrace Debian package: build/deb/

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := demo
.DELETE_ON_ERROR:

export LUTRACE_CACHE ?= /var/cache/lutrace
BUILD := build
# Every rule that builds anything waits for this (order-only), so missing
# packages are installed and problems reported before any long build.
# A package build, whose packages are its Build-Depends, says PREFLIGHT=.
PREFLIGHT := preflight

# The guest kernel depends on the series, the guest variant and its fragments.
KERNEL_INPUTS := $(wildcard kernel/patches/*.patch kernel/scripts/*.sh) kernel/configs/guest.variant \
	$(addprefix kernel/configs/,$(shell grep -v "^\#" kernel/configs/guest.variant))
KERNEL_OUT := $(LUTRACE_CACHE)/build/guest
KHDR := $(KERNEL_OUT)/usr/include
GUEST_BIN := $(BUILD)/guest/bin
INITRAMFS := $(BUILD)/vm/initramfs.cpio.gz
DEMO_DEVICES ?= 2
# default, or keep-running (the experimental mode: tests/vm/demo.sh)
DEMO_MODE ?= default

.PHONY: FORCE all deps preflight kernel kernel-export kernel-deb guest-progs initramfs tracer demo test test-unit \
	shellcheck bench clean

all: kernel initramfs

# Packages, tools, static libraries, disk, memory and the kernel source:
# checked on every run (under a second), packages installed when missing.
preflight:
	@scripts/preflight.sh $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))

deps:
	scripts/deps.sh

# The guest kernel and its uapi headers. build-kernel.sh skips kbuild
# entirely when the tree, the config and the targets are unchanged.
$(BUILD)/kernel/bzImage: $(KERNEL_INPUTS) | $(PREFLIGHT)
	kernel/scripts/build-kernel.sh guest bzImage headers_install
	@mkdir -p $(@D)
	cp $(KERNEL_OUT)/arch/x86/boot/bzImage $@

kernel: $(BUILD)/kernel/bzImage

kernel-export:
	kernel/scripts/export-series.sh

# Debian packages of the patched kernel (kbuild's bindeb-pkg) in
# build/deb/kernel/. VARIANT=host packages a host's own config with the
# series merged on top: see kernel/configs/host.variant.
VARIANT ?= guest
KERNEL_DEB_STAMP := $(BUILD)/deb/kernel-$(VARIANT).stamp
$(KERNEL_DEB_STAMP): $(KERNEL_INPUTS) kernel/configs/$(VARIANT).variant \
		kernel/configs/liveupdate.config | $(PREFLIGHT)
	kernel/scripts/build-kernel-deb.sh $(VARIANT)
	@touch $@

kernel-deb: $(KERNEL_DEB_STAMP)

# Static programs that run in the guest, built against the guest's uapi.
GUEST_TOOLS := vfio_cdev_check vfio_config_flr lu_vfio lu_loop lu_keep
GUEST_TOOL_LIB := $(wildcard tests/vm/guest/*.h) tests/vm/guest/vfio_cdev.c tests/vm/guest/edu.c \
	tests/vm/guest/frozen_probe.c tests/vm/guest/luo.c
$(GUEST_BIN)/%: tests/vm/guest/%.c $(GUEST_TOOL_LIB) $(BUILD)/kernel/bzImage
	@mkdir -p $(@D)
	gcc -std=gnu11 -static -pthread -O2 -Wall -Wextra -Werror -isystem $(KHDR) \
		-o $@ $< $(filter %.c,$(GUEST_TOOL_LIB))

$(BUILD)/guest/selftests.stamp: tests/vm/build-selftests.sh $(BUILD)/kernel/bzImage
	tests/vm/build-selftests.sh $(GUEST_BIN)
	@touch $@

GUEST_PROGS := $(addprefix $(GUEST_BIN)/,$(GUEST_TOOLS)) $(BUILD)/guest/selftests.stamp

guest-progs: $(GUEST_PROGS)

VM_INPUTS := tests/vm/init tests/vm/guest-lib.sh tests/vm/build-initramfs.sh tests/vm/copy-dynamic.sh \
	$(sort $(shell find tests/e2e -type f))
# The names of those files, rewritten only when one is added or removed: a
# scenario added with old mtimes, or one deleted, still rebuilds the image.
VM_MANIFEST := $(BUILD)/vm/initramfs.inputs

FORCE:

$(VM_MANIFEST): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(VM_INPUTS) >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(INITRAMFS): $(GUEST_PROGS) $(BUILD)/lutrace $(VM_INPUTS) $(VM_MANIFEST)
	tests/vm/build-initramfs.sh $@ $(GUEST_BIN) $(BUILD)/lutrace

initramfs: $(INITRAMFS)

SHELL_SCRIPTS := scripts/deps.sh scripts/preflight.sh $(wildcard kernel/scripts/*.sh tests/*.sh tests/vm/*.sh) \
	tests/vm/init .ci/run deploy/lutrace-report.in deploy/build-deb.sh deploy/built-using.sh $(wildcard tests/e2e/*/host-check.sh bench/*.sh tests/fuzz/*.sh)
GUEST_SCRIPTS := $(filter-out %/host-check.sh,$(wildcard tests/e2e/*/*.sh)) tests/vm/systemd/run-stage \
	tests/vm/systemd/vmm-devices
shellcheck:
	shellcheck -x $(SHELL_SCRIPTS)
	shellcheck -s sh -x $(GUEST_SCRIPTS)

-include tracer/tracer.mk
-include tests/fuzz/fuzz.mk
-include deploy/deploy.mk

demo: kernel initramfs | $(PREFLIGHT)
	DEMO_MODE=$(DEMO_MODE) tests/vm/demo.sh $(DEMO_DEVICES)

test: | $(PREFLIGHT)
	tests/run-tests.sh

# A generated flight log of a good live update (bench/gen_flight.c), for the
# analysis bench and the tests of the report script.
$(BUILD)/bench/gen_flight: bench/gen_flight.c $(wildcard tracer/log/*.[ch])
	@mkdir -p $(@D)
	gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Itracer -o $@ $< $(filter %.c,$(wordlist 2,99,$^))

# Every benchmark in bench/ (bench/run.sh): a table of figures against their
# targets, and bench/RESULTS.md. BENCH_TINY=1: each in seconds, into build/.
bench: $(BUILD)/lutrace | $(PREFLIGHT)
	bench/run.sh

clean:
	rm -rf $(BUILD)
