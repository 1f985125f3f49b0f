/* mm/memparse.c - sizes with K/M/G/T suffixes, as Linux's memparse(). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "mm/mmzone.h"

/* Parse "256M", "1G", "4096", "0x1000k": a number (C base prefixes allowed)
 * and an optional K/M/G/T suffix (powers of 1024, either case, optionally
 * followed by "B" or "iB").  Returns 0 and *OUT, or -1 when S is not a size
 * (empty, junk, overflow). */
int memparse(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: break;
	}
	if (shift && (end[0] == 'i' || end[0] == 'I') && (end[1] == 'B' || end[1] == 'b'))
		end += 2;
	else if (shift && (end[0] == 'B' || end[0] == 'b'))
		end++;
	if (*end)
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}
