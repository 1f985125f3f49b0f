/* traces/trace_fast.c - the counters-only fast path for hot emitters.
 *
 * A trace's backend is chosen when it is opened (trace_open_none or
 * trace_open_sqlite) and only detached by trace_close(), which frees the
 * trace; so "does T store events" never changes while T is usable, and an
 * emitter may cache the answer.
 */
#include "traces/trace_internal.h"

uint64_t *trace_counters_if_count_only(struct trace *t)
{
	return t->db || t->observer ? NULL : t->counts;
}
