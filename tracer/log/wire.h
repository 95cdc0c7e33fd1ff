/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_WIRE_H
#define LUTRACE_WIRE_H

/*
 * Bounded little-endian cursors for the flight-log payloads. Every read is
 * checked against the end of the buffer; a failed read sets ->bad and
 * returns zero, so decoders can read a whole record and test once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wire_out {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

struct wire_in {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	bool bad;
};

void wire_put_bytes(struct wire_out *w, const void *p, size_t n);
void wire_put_u8(struct wire_out *w, uint8_t v);
void wire_put_u16(struct wire_out *w, uint16_t v);
void wire_put_u32(struct wire_out *w, uint32_t v);
void wire_put_u64(struct wire_out *w, uint64_t v);
/* u16 length + bytes, without the NUL; strings longer than max are cut. */
void wire_put_str(struct wire_out *w, const char *s, size_t max);

void wire_get_bytes(struct wire_in *r, void *p, size_t n);
uint8_t wire_get_u8(struct wire_in *r);
uint16_t wire_get_u16(struct wire_in *r);
uint32_t wire_get_u32(struct wire_in *r);
uint64_t wire_get_u64(struct wire_in *r);
/* Bytes not read yet: fields appended later are read only when there. */
size_t wire_left(const struct wire_in *r);
/* Reads into dst[cap]; a length >= cap marks the cursor bad. */
void wire_get_str(struct wire_in *r, char *dst, size_t cap);

#endif
