/* traces/state_codec.c - checkpoint and delta packing of integer vectors
 * (the format is in traces/state_codec.h). */
#include <stdlib.h>
#include <string.h>

#include "traces/state_codec.h"
#include "traces/varint.h"

size_t state_encode_full(const int64_t *v, size_t n, uint8_t *out)
{
	size_t len = put_varint(out, n);
	for (size_t i = 0; i < n; i++)
		len += put_varint(out + len, zigzag(v[i]));
	return len;
}

size_t state_encode_delta(const int64_t *old, const int64_t *new_, size_t n, uint8_t *out)
{
	size_t len = 0, next = 0;
	for (size_t i = 0; i < n; i++) {
		/* most of the vector is unchanged: skip equal runs 8 at a time */
		while (!(i & 7) && i + 8 <= n && !memcmp(old + i, new_ + i, 8 * sizeof *old))
			i += 8;
		if (i >= n)
			break;
		if (old[i] == new_[i])
			continue;
		len += put_varint(out + len, i - next);
		len += put_varint(out + len, zigzag((int64_t)((uint64_t)new_[i] - (uint64_t)old[i])));
		next = i + 1;
	}
	return len;
}

int state_decode_full(const uint8_t *in, size_t len, int64_t **v, size_t *n)
{
	size_t pos = 0;
	uint64_t count, x;
	*v = NULL;
	*n = 0;
	if (get_varint(in, len, &pos, &count) < 0 || count > len)
		return -1;
	int64_t *a = calloc(count ? count : 1, sizeof *a);
	if (!a)
		return -1;
	for (uint64_t i = 0; i < count; i++) {
		if (get_varint(in, len, &pos, &x) < 0) {
			free(a);
			return -1;
		}
		a[i] = unzigzag(x);
	}
	if (pos != len) {
		free(a);
		return -1;
	}
	*v = a;
	*n = (size_t)count;
	return 0;
}

int state_apply_delta(const uint8_t *in, size_t len, int64_t *v, size_t n)
{
	size_t pos = 0, next = 0;
	uint64_t gap, d;
	while (pos < len) {
		if (get_varint(in, len, &pos, &gap) < 0 || get_varint(in, len, &pos, &d) < 0)
			return -1;
		if (next >= n || gap >= n - next)
			return -1;
		size_t i = next + (size_t)gap;
		v[i] = (int64_t)((uint64_t)v[i] + (uint64_t)unzigzag(d));
		next = i + 1;
	}
	return 0;
}
