/* traces/none_sink.c - the counters-only sink. */
#include <stdio.h>
#include <stdlib.h>

#include "traces/trace_internal.h"

/* Allocate a trace with level TRACE_LEVEL_EVENTS and no backend.  Returns
 * NULL only when the host is out of memory. */
struct trace *trace_alloc(void)
{
	struct trace *t = calloc(1, sizeof *t);
	if (t)
		t->level = TRACE_LEVEL_EVENTS;
	return t;
}

struct trace *trace_open_none(void)
{
	struct trace *t = trace_alloc();
	if (!t) {
		fputs("mmsim: out of memory\n", stderr);
		abort();
	}
	return t;
}
