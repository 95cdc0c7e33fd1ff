// SPDX-License-Identifier: GPL-2.0
/*
 * Writes fuzz_log seed inputs made with the unit tests' log builders
 * (scenario.h): the flags byte, then the logs. make fuzz-seeds runs it;
 * logs from real VM runs sit beside these in the corpus (README there).
 *
 *   make_seeds DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define SEAL 1		/* fuzz_log.c's FUZZ_SEAL */
#define BUDGET 4	/* FUZZ_BUDGET, with 5 s in the high bits */

static const char *dir;

static void write_seed(const char *name, unsigned int flags,
		       const struct log_buf *const logs[], size_t nlogs)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputc((int)flags, f);
	for (size_t i = 0; i < nlogs; i++)
		fwrite(logs[i]->data, 1, logs[i]->len, f);
	if (fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void one_log(const char *name, unsigned int flags, const struct log_buf *b)
{
	write_seed(name, flags, (const struct log_buf *const[]){ b }, 1);
}

/* The stage-2 half of a scenario log as a log of its own. */
static void split_at_stage2(const struct log_buf *b, struct log_buf *s1,
			    struct log_buf *s2)
{
	struct log_buf stage1_only;
	struct scenario sc = { .no_stage2 = true };

	scenario_build(&stage1_only, &sc);
	*s1 = stage1_only;
	fx_header(s2);
	memcpy(s2->data + s2->len, b->data + stage1_only.len, b->len - stage1_only.len);
	s2->len += b->len - stage1_only.len;
}

int main(int argc, char **argv)
{
	static struct log_buf b, s1, s2, torn;
	static const struct {
		const char *name;
		struct scenario sc;
	} variants[] = {
		{ "scenario-good", { .opens_blocked = true } },
		{ "scenario-kexec-at-entry", { .kexec_at_entry = true } },
		{ "scenario-no-stage2", { .no_stage2 = true } },
		{ "scenario-stage-gap", { .stage2_number = 3 } },
		{ "scenario-drops", { .stage1_drops = 7, .no_drops_record = false } },
		{ "scenario-no-drops-record", { .no_drops_record = true } },
		{ "scenario-reset-at-enable", { .enable_with_reset = { true, false } } },
		{ "scenario-mapping-moved", { .stage2_phys_shift = 0x1000 } },
		{ "scenario-not-retrieved", { .no_retrieve = { false, true },
					      .no_finish = { false, true } } },
		{ "scenario-no-freeze", { .no_freeze = { true, false } } },
		{ "scenario-reboot-failed", { .reboot_ret = -16 } },
		{ "scenario-no-kexec", { .no_kexec = true, .no_reboot = true } },
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		scenario_build(&b, &variants[i].sc);
		one_log(variants[i].name, SEAL | BUDGET | 5 << 4, &b);
	}
	scenario_build(&b, &(struct scenario){ .opens_blocked = true });
	split_at_stage2(&b, &s1, &s2);
	write_seed("two-logs", SEAL, (const struct log_buf *const[]){ &s1, &s2 }, 2);
	write_seed("same-log-twice", SEAL, (const struct log_buf *const[]){ &b, &b }, 2);
	torn = b;
	torn.len -= 7;
	one_log("torn-tail", 0, &torn);
	torn = b;
	torn.data[LT_LOG_HEADER_LEN + 20] ^= 0x40;
	one_log("bit-flip-unsealed", 0, &torn);
	return 0;
}
