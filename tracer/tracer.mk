# lutrace build rules, included by the top-level Makefile (which defines
# BUILD and PREFLIGHT).
#
#   make tracer      $(BUILD)/lutrace, statically linked (runs in the initramfs)
#   make test-unit   Criterion suites under ASan/UBSan; no root, no kernel
#   make man         the man page's RULES entries from the verify rule table
#   make test-bpf    the BPF programs (BPF_PROG_TEST_RUN) and tracefs on the
#                    host kernel; needs root

TRACER_CC := gcc
TRACER_WARN := -Wall -Wextra -Werror
TRACER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(TRACER_WARN) -MMD -MP
UNIT_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# One directory per stage of the data path (tracer/README.md).
TRACER_DIRS := log record analyze output cli
TRACER_INC := -Itracer
# The library is everything but the command line and the BPF loader, so the
# unit tests link it without a BPF build.
TRACER_CLI_SRCS := $(wildcard tracer/cli/*.c) tracer/record/bpf_loader.c
TRACER_LIB_SRCS := $(filter-out $(TRACER_CLI_SRCS),$(wildcard $(TRACER_DIRS:%=tracer/%/*.c)))
TRACER_LIB_OBJS := $(patsubst tracer/%.c,$(BUILD)/tracer/%.o,$(TRACER_LIB_SRCS))
TRACER_CLI_OBJS := $(patsubst tracer/%.c,$(BUILD)/tracer/%.o,$(TRACER_CLI_SRCS))
# Link flags are asked of pkg-config when the link runs, never when make
# parses this file: on a fresh machine that is before `make deps` has
# installed pkg-config and libbpf-dev, and the answer would be empty. The
# same goes for the include flags of libtracefs and libtraceevent (tracefs.h
# includes <event-parse.h>): a recursive variable, expanded in recipes only.
TRACER_LIBS := libbpf libtracefs libtraceevent
TRACEFS_CFLAGS = $(shell pkg-config --cflags libtracefs libtraceevent)

# BPF: CO-RE against bpf/kernel_types.h, which declares the few kernel
# types the programs read, so the object does not depend on any kernel's
# BTF being present at build time (fresh machine, chroot, package build).
BPF_CLANG := clang
BPF_STRIP := llvm-strip
# -mcpu=v3: atomics that return the old value (the iommu_domain numbers);
# kernels since 5.12 take them.
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror
BPF_SKEL := $(BUILD)/bpf/lutrace.skel.h

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tracer/%.c,$(BUILD)/unit/tracer/%.o,$(TRACER_LIB_SRCS)) \
	$(patsubst tests/unit/%.c,$(BUILD)/unit/tests/%.o,$(UNIT_SRCS))
UNIT_BIN := $(BUILD)/unit/lutrace-unit
BPF_TEST_BIN := $(BUILD)/unit/lutrace-bpf-test

.PHONY: tracer test-unit test-bpf man check-layers

tracer: $(BUILD)/lutrace

# The skeleton embeds the object in lutrace: DWARF is 80% of it and libbpf
# needs only the BTF, which llvm-strip -g keeps.
$(BUILD)/bpf/lutrace.bpf.o: bpf/lutrace.bpf.c bpf/lutrace.h bpf/kernel_types.h | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(BPF_CLANG) $(BPF_CFLAGS) -Ibpf -c $< -o $@.tmp
	$(BPF_STRIP) -g $@.tmp
	mv $@.tmp $@

$(BPF_SKEL): $(BUILD)/bpf/lutrace.bpf.o
	bpftool gen skeleton $< name lutrace_bpf > $@.tmp
	mv $@.tmp $@

$(BUILD)/tracer/record/bpf_loader.o: $(BPF_SKEL)

# The static link warns that libtraceevent's plugin loader uses dlopen():
# lutrace never loads plugins (it reads fields by name, prints nothing).
# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line
# (a package build's hardening flags: debian/rules) come after lutrace's own.
$(BUILD)/lutrace: $(TRACER_CLI_OBJS) $(TRACER_LIB_OBJS)
	libs=$$(pkg-config --static --libs $(TRACER_LIBS)); \
	$(TRACER_CC) -static $(LDFLAGS) $^ $$libs -lm -o $@

$(BUILD)/tracer/%.o: tracer/%.c | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(TRACER_INC) $(TRACEFS_CFLAGS) -I$(BUILD)/bpf -c $< -o $@

$(BUILD)/unit/tracer/%.o: tracer/%.c | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) $(UNIT_SANITIZE) $(TRACER_INC) $(TRACEFS_CFLAGS) -c $< -o $@

$(BUILD)/unit/tests/%.o: tests/unit/%.c | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) $(UNIT_SANITIZE) $(TRACER_INC) $(TRACEFS_CFLAGS) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS)
	libs=$$(pkg-config --libs $(TRACER_LIBS)); \
	$(TRACER_CC) $(UNIT_SANITIZE) $^ -lcriterion $$libs -lm -o $@

# What each stage may include (tracer/README.md): the log format nothing
# else, analysis the log, outputs the analysis, and nothing outside cli/
# (which wires everything) may include record/, the part that needs root
# and BPF, or cli/. record/ writes a log copy whole through atomic_file.
TRACER_MAY_INCLUDE_log := log/
TRACER_MAY_INCLUDE_record := log/ record/ output/atomic_file.h
TRACER_MAY_INCLUDE_analyze := log/ analyze/
TRACER_MAY_INCLUDE_output := log/ analyze/ output/

check-layers:
	@bad=0; \
	$(foreach d,log record analyze output,\
	while IFS= read -r hit; do \
		inc=$${hit#*\"}; inc=$${inc%\"}; ok=0; \
		for may in $(TRACER_MAY_INCLUDE_$(d)); do \
			case $$inc in ("$$may"*) ok=1 ;; esac; \
		done; \
		[ $$ok = 1 ] || { echo "$${hit%%:*}: includes $$inc, outside what tracer/$(d)/ may include ($(TRACER_MAY_INCLUDE_$(d)))" >&2; bad=1; }; \
	done < <(grep -Ho '^#include "[a-z]*/[^"]*"' tracer/$(d)/*.[ch]);) \
	exit $$bad

# test_cli.c runs the real binary named by LUTRACE_BIN; test_rule_table.c
# checks the RULES section of LUTRACE_MAN against the verify rule table.
test-unit: $(UNIT_BIN) $(BUILD)/lutrace check-layers
	LUTRACE_BIN=$(BUILD)/lutrace LUTRACE_MAN=tracer/lutrace.8 $(UNIT_BIN) --jobs=2

# The RULES entries of the man page, rewritten from the verify rule table
# (tracer/analyze/verify_rules.c) after a rule was added or changed.
man: $(UNIT_BIN)
	LUTRACE_MAN=tracer/lutrace.8 LUTRACE_MAN_UPDATE=1 $(UNIT_BIN) --filter 'rule_table/*'

# BPF_PROG_TEST_RUN and tracefs on the host kernel: needs root, not part of
# test-unit.
BPF_TEST_OBJS := $(patsubst tests/unit/bpf/%.c,$(BUILD)/unit/bpf/%.o,$(wildcard tests/unit/bpf/*.c))

$(BUILD)/unit/bpf/%.o: tests/unit/bpf/%.c $(BPF_SKEL) | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) -I$(BUILD)/bpf -Ibpf $(TRACER_INC) $(TRACEFS_CFLAGS) -c $< -o $@

$(BPF_TEST_BIN): $(BPF_TEST_OBJS) $(TRACER_LIB_OBJS)
	libs=$$(pkg-config --libs $(TRACER_LIBS)); \
	$(TRACER_CC) $^ -lcriterion $$libs -lm -o $@

test-bpf: $(BPF_TEST_BIN)
	$(BPF_TEST_BIN) --jobs=1

-include $(BPF_TEST_OBJS:.o=.d)
-include $(TRACER_LIB_OBJS:.o=.d) $(TRACER_CLI_OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
