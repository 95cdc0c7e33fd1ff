# lutrace build rules, included by the top-level Makefile (which defines
# BUILD and DEPS_STAMP).
#
#   make tracer      $(BUILD)/lutrace, statically linked (runs in the initramfs)
#   make test-unit   Criterion suites under ASan/UBSan; no root, no kernel

TRACER_CC := gcc
TRACER_WARN := -Wall -Wextra -Werror
TRACER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(TRACER_WARN) -MMD -MP
UNIT_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# The library is everything but the command line, so the unit tests link it.
TRACER_CLI_SRCS := tracer/lutrace.c $(wildcard tracer/cmd_*.c)
TRACER_LIB_SRCS := $(filter-out $(TRACER_CLI_SRCS),$(wildcard tracer/*.c))
TRACER_LIB_OBJS := $(patsubst tracer/%.c,$(BUILD)/tracer/%.o,$(TRACER_LIB_SRCS))
TRACER_CLI_OBJS := $(patsubst tracer/%.c,$(BUILD)/tracer/%.o,$(TRACER_CLI_SRCS))
TRACER_LDLIBS := -lm
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tracer/%.c,$(BUILD)/unit/tracer/%.o,$(TRACER_LIB_SRCS)) \
	$(patsubst tests/unit/%.c,$(BUILD)/unit/tests/%.o,$(UNIT_SRCS))
UNIT_BIN := $(BUILD)/unit/lutrace-unit

.PHONY: tracer test-unit

tracer: $(BUILD)/lutrace

$(BUILD)/lutrace: $(TRACER_CLI_OBJS) $(TRACER_LIB_OBJS)
	$(TRACER_CC) -static $^ $(TRACER_LDLIBS) -o $@

$(BUILD)/tracer/%.o: tracer/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) -c $< -o $@

$(BUILD)/unit/tracer/%.o: tracer/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) $(UNIT_SANITIZE) -c $< -o $@

$(BUILD)/unit/tests/%.o: tests/unit/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) $(UNIT_SANITIZE) -Itracer -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS)
	$(TRACER_CC) $(UNIT_SANITIZE) $^ -lcriterion -lm -o $@

# test_cli.c runs the real binary named by LUTRACE_BIN.
test-unit: $(UNIT_BIN) $(BUILD)/lutrace
	LUTRACE_BIN=$(BUILD)/lutrace $(UNIT_BIN) --jobs=2

-include $(TRACER_LIB_OBJS:.o=.d) $(TRACER_CLI_OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
