/* traces/varint.h - LEB128 varints and zigzag signed numbers, the packing
 * of the trace database's state blobs (state_codec.c, sim/view_record.c). */
#ifndef MMSIM_TRACES_VARINT_H
#define MMSIM_TRACES_VARINT_H

#include <stddef.h>
#include <stdint.h>

/* Write X at OUT (at most 10 bytes).  Returns the bytes written. */
static inline size_t put_varint(uint8_t *out, uint64_t x)
{
	size_t n = 0;
	while (x >= 0x80) {
		out[n++] = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	out[n++] = (uint8_t)x;
	return n;
}

/* Read a varint at *POS of IN[0..LEN).  Returns 0, or -1 if it runs past
 * the end or beyond 64 bits. */
static inline int get_varint(const uint8_t *in, size_t len, size_t *pos, uint64_t *x)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*pos >= len)
			return -1;
		uint8_t b = in[(*pos)++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*x = v;
			return 0;
		}
	}
	return -1;
}

static inline uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t unzigzag(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }

#endif
