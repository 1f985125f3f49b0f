/* mm/strbuf.c - a growable text buffer for the /proc writers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm/proc.h"

/* Append printf output to SB, growing it.  Aborts only when the host is
 * out of memory (the text of /proc views is small). */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (sb->len + (size_t)n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 256;
		while (cap < sb->len + (size_t)n + 1)
			cap *= 2;
		char *nb = realloc(sb->buf, cap);
		if (!nb) {
			fprintf(stderr, "mmsim: out of host memory\n");
			abort();
		}
		sb->buf = nb;
		sb->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}
