/* mm/memparse.c - sizes with K/M/G/T suffixes, as Linux's memparse(). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm/mmzone.h"

/* The shift a K/M/G/T suffix letter C (either case) stands for: 10, 20, 30
 * or 40; 0 when C is no suffix. */
unsigned memparse_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	case 't': case 'T': return 40;
	default: return 0;
	}
}

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
	shift = memparse_shift(*end);
	if (shift)
		end++;
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

/* Render BYTES in the largest unit that holds it exactly ("16M", "1G",
 * "12K", "4095"), memparse's inverse, into BUF.  Returns BUF. */
const char *memformat(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u < 3 && bytes && (bytes & 1023) == 0) {
		bytes >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes, units[u]);
	return buf;
}

int list_empty_item(const char *list)
{
	int item = 1;
	if (!*list)
		return 0;
	for (const char *p = list;; p++) {
		if ((*p == ',' || !*p) && (p == list || p[-1] == ','))
			return item;
		if (!*p)
			return 0;
		item += *p == ',';
	}
}
