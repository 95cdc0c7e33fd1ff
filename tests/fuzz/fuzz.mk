# libFuzzer targets over lutrace's untrusted input, included by the top-level
# Makefile after tracer/tracer.mk (whose source lists they reuse).
#
#   make fuzz-build   $(BUILD)/fuzz/fuzz_log, fuzz_text and fuzz_rules
#   make fuzz         each target FUZZ_SECONDS (60) from a fixed seed over the
#                     checked-in corpus; any crash, leak or UB fails
#   make fuzz-seeds   (re)writes the log seeds made with the unit tests'
#                     log builders into tests/fuzz/corpus/log
#
# clang's -fsanitize=fuzzer (Debian package libclang-rt-14-dev), with ASan
# and UBSan; -fno-sanitize-recover=all makes every UB report a crash. The
# objects depend on this file: its flags are part of what they are.
# bench/fuzz-long.sh runs the same targets for hours.

FUZZ_CC := clang
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# The oracles the targets borrow from the unit tests (json_check.c) are not
# what is fuzzed: no coverage for them, which would only slow the run.
# Recursive: TRACEFS_CFLAGS asks pkg-config only when a compile runs.
FUZZ_ORACLE_CFLAGS = -std=c11 -D_GNU_SOURCE -O1 -g $(TRACER_WARN) -MMD -MP \
	$(FUZZ_SANITIZE) $(TRACER_INC) -Itests/unit $(TRACEFS_CFLAGS)
FUZZ_CFLAGS = $(FUZZ_ORACLE_CFLAGS) -fsanitize=fuzzer-no-link
FUZZ_TARGETS := fuzz_log fuzz_text fuzz_rules
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
FUZZ_CORPUS_log := tests/fuzz/corpus/log
FUZZ_CORPUS_text := tests/fuzz/corpus/text
FUZZ_CORPUS_rules := tests/fuzz/corpus/rules

FUZZ_LIB_OBJS := $(patsubst tracer/%.c,$(BUILD)/fuzz/tracer/%.o,$(TRACER_LIB_SRCS))
# What each target links besides the library.
FUZZ_OBJS_fuzz_log := $(BUILD)/fuzz/tests/fuzz_log.o $(BUILD)/fuzz/tests/json_check.o
FUZZ_OBJS_fuzz_text := $(BUILD)/fuzz/tests/fuzz_text.o $(BUILD)/fuzz/tests/text_parsers.o
FUZZ_OBJS_fuzz_rules := $(BUILD)/fuzz/tests/fuzz_rules.o

.PHONY: fuzz fuzz-build fuzz-seeds

fuzz-build: $(FUZZ_BINS)

$(BUILD)/fuzz/tracer/%.o: tracer/%.c tests/fuzz/fuzz.mk | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/tests/%.o: tests/fuzz/%.c tests/fuzz/fuzz.mk | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/tests/%.o: tests/unit/%.c tests/fuzz/fuzz.mk | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_ORACLE_CFLAGS) -c $< -o $@

.SECONDEXPANSION:
$(FUZZ_BINS): $(BUILD)/fuzz/%: $$(FUZZ_OBJS_%) $(FUZZ_LIB_OBJS)
	libs=$$(pkg-config --libs $(TRACER_LIBS)); \
	$(FUZZ_CC) $(FUZZ_SANITIZE) -fsanitize=fuzzer $^ $$libs -lm -o $@

# The seed writer links the unit tests' builders as the unit tests do.
FUZZ_SEEDS_BIN := $(BUILD)/fuzz/make_seeds
$(BUILD)/fuzz/make_seeds.o: tests/fuzz/make_seeds.c | $(PREFLIGHT)
	@mkdir -p $(@D)
	$(TRACER_CC) $(TRACER_CFLAGS) $(UNIT_SANITIZE) $(TRACER_INC) $(TRACEFS_CFLAGS) -Itests/unit -c $< -o $@

$(FUZZ_SEEDS_BIN): $(BUILD)/fuzz/make_seeds.o $(BUILD)/unit/tests/scenario.o \
		$(BUILD)/unit/tests/log_fixture.o \
		$(patsubst tracer/%.c,$(BUILD)/unit/tracer/%.o,$(TRACER_LIB_SRCS))
	libs=$$(pkg-config --libs $(TRACER_LIBS)); \
	$(TRACER_CC) $(UNIT_SANITIZE) $^ -lcriterion $$libs -lm -o $@

fuzz-seeds: $(FUZZ_SEEDS_BIN)
	$(FUZZ_SEEDS_BIN) $(FUZZ_CORPUS_log)

# Bounded: the same seed and corpus every time, so a run that fails can be
# run again; what the run found stays in $(BUILD)/fuzz/, not in the corpus.
fuzz: $(FUZZ_BINS)
	$(foreach t,$(FUZZ_TARGETS),tests/fuzz/run.sh $(BUILD)/fuzz/$(t) \
		$(FUZZ_CORPUS_$(subst fuzz_,,$(t))) $(FUZZ_SECONDS) $(FUZZ_SEED) &&) true

-include $(FUZZ_LIB_OBJS:.o=.d) $(BUILD)/fuzz/make_seeds.d $(foreach t,$(FUZZ_TARGETS),$(FUZZ_OBJS_$(t):.o=.d))
