/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_CRC32C_H
#define LUTRACE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * CRC32C (Castagnoli), the checksum of every flight-log record. Chain calls by
 * passing the previous result as crc; start with 0.
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
