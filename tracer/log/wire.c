// SPDX-License-Identifier: GPL-2.0
#include "log/wire.h"

#include <string.h>

void wire_put_bytes(struct wire_out *w, const void *p, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void wire_put_le(struct wire_out *w, uint64_t v, size_t n)
{
	uint8_t b[8];

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	wire_put_bytes(w, b, n);
}

void wire_put_u8(struct wire_out *w, uint8_t v) { wire_put_le(w, v, 1); }
void wire_put_u16(struct wire_out *w, uint16_t v) { wire_put_le(w, v, 2); }
void wire_put_u32(struct wire_out *w, uint32_t v) { wire_put_le(w, v, 4); }
void wire_put_u64(struct wire_out *w, uint64_t v) { wire_put_le(w, v, 8); }

void wire_put_str(struct wire_out *w, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	wire_put_u16(w, (uint16_t)n);
	wire_put_bytes(w, s, n);
}

void wire_get_bytes(struct wire_in *r, void *p, size_t n)
{
	if (r->bad || n > r->len - r->pos) {
		r->bad = true;
		memset(p, 0, n);
		return;
	}
	memcpy(p, r->buf + r->pos, n);
	r->pos += n;
}

static uint64_t wire_get_le(struct wire_in *r, size_t n)
{
	uint8_t b[8];
	uint64_t v = 0;

	wire_get_bytes(r, b, n);
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

uint8_t wire_get_u8(struct wire_in *r) { return (uint8_t)wire_get_le(r, 1); }
uint16_t wire_get_u16(struct wire_in *r) { return (uint16_t)wire_get_le(r, 2); }
uint32_t wire_get_u32(struct wire_in *r) { return (uint32_t)wire_get_le(r, 4); }
uint64_t wire_get_u64(struct wire_in *r) { return wire_get_le(r, 8); }

size_t wire_left(const struct wire_in *r)
{
	return r->bad ? 0 : r->len - r->pos;
}

void wire_get_str(struct wire_in *r, char *dst, size_t cap)
{
	uint16_t n = wire_get_u16(r);

	dst[0] = '\0';
	if (r->bad)
		return;
	if (n >= cap) {
		r->bad = true;
		return;
	}
	wire_get_bytes(r, dst, n);
	dst[r->bad ? 0 : n] = '\0';
}
