/* traces/trace.c - the sink core: counters, clock, level, dispatch.
 *
 * trace_emit() is on the simulator's hottest paths (every allocation, and
 * with TRACE_LEVEL_TLB every TLB miss), so with no database it only bumps a
 * per-type counter.  Events above the current level are counted and
 * dropped before any backend sees them; stored events get consecutive seq
 * numbers starting at 1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "traces/trace_internal.h"

void trace_set_clock(struct trace *t, uint64_t time, int32_t pid)
{
	t->time = time;
	t->pid = pid;
}

void trace_set_level(struct trace *t, enum trace_level level)
{
	t->level = level;
}

enum trace_level trace_get_level(const struct trace *t)
{
	return t->level;
}

void trace_emit(struct trace *t, const struct trace_event *ev)
{
	unsigned type = ev->type;

	if (type >= TEV__COUNT) {
		t->unknown++;
		return;
	}
	t->counts[type]++;
	if (!t->db && !t->observer)
		return;
	unsigned need = trace_type_level[type] ? trace_type_level[type] : TRACE_LEVEL_EVENTS;
	if (need > (unsigned)t->level)
		return;
	struct trace_event e = *ev;
	e.seq = ++t->seq;
	if (!(e.flags & TRACE_EV_HAS_TIME)) {
		e.time = t->time;
		e.pid = t->pid;
	}
	if (t->db)
		trace_db_emit(t, &e);
	if (t->observer)
		t->observer(t->observer_ctx, &e);
}

struct trace *trace_open_observer(trace_observer_fn fn, void *ctx)
{
	struct trace *t = trace_open_none();
	t->observer = fn;
	t->observer_ctx = ctx;
	return t;
}

void trace_set_annotator(struct trace *t, trace_annotate_fn fn, void *ctx)
{
	t->annotate = fn;
	t->annotate_ctx = ctx;
}

uint64_t trace_last_seq(const struct trace *t)
{
	return t->seq;
}

bool trace_has_db(const struct trace *t)
{
	return t && t->db;
}

uint64_t trace_count(const struct trace *t, enum trace_event_type type)
{
	return (unsigned)type < TEV__COUNT ? t->counts[type] : 0;
}

int trace_flush(struct trace *t)
{
	return t->db ? trace_db_flush(t) : 0;
}

int trace_begin_run(struct trace *t, const char *config, const char *cmdline)
{
	if (t->db)
		return trace_db_begin_run(t, config, cmdline);
	struct trace_event ev = trace_event_init(TEV_RUN_START);
	ev.detail = config;
	trace_emit(t, &ev);
	return 0;
}

int trace_end_run(struct trace *t, int status)
{
	int rc = 0;
	if (t->db) {
		rc = trace_db_end_run(t, status);
	} else {
		struct trace_event ev = trace_event_init(TEV_RUN_END);
		ev.value = status;
		trace_emit(t, &ev);
	}
	t->level = TRACE_LEVEL_NONE;
	return rc;
}

const char *trace_error(const struct trace *t)
{
	return t->has_err ? t->err : NULL;
}

void trace_set_error(struct trace *t, const char *fmt, ...)
{
	if (t->has_err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->err, sizeof t->err, fmt, ap);
	va_end(ap);
	t->has_err = true;
}

int trace_close(struct trace *t)
{
	if (!t)
		return 0;
	int rc = 0;
	if (t->db)
		rc = trace_db_close(t);
	if (t->has_err)
		rc = -1;
	trace_state_free(t);
	free(t);
	return rc;
}

void trace_event_row(const struct trace_event *ev, struct trace_row *row)
{
	unsigned f = trace_event_fields(ev->type);
	const struct {
		int64_t v;
		bool store;
	} c[TRACE_ROW_INTS] = {
		{ (int64_t)ev->seq, true },
		{ (int64_t)ev->time, true },
		{ ev->pid, true },
		{ ev->type, true },
		{ ev->zone, ev->zone >= 0 && ((f & F_ZONE) || ev->zone != 0) },
		{ ev->order, ev->order >= 0 && ((f & F_ORDER) || ev->order != 0) },
		{ ev->pfn, ev->pfn >= 0 && ((f & F_PFN) || ev->pfn != 0) },
		/* addr/ip/size are full 64-bit values; SQLite stores them as signed */
		{ (int64_t)ev->addr, (f & F_ADDR) || ev->addr },
		{ (int64_t)ev->ip, (f & F_IP) || ev->ip },
		{ (int64_t)ev->size, (f & F_SIZE) || ev->size },
		{ ev->gfp, (f & F_GFP) || ev->gfp },
		{ ev->value, (f & F_VALUE) || ev->value },
	};
	for (int i = 0; i < TRACE_ROW_INTS; i++) {
		row->v[i] = c[i].store ? c[i].v : 0;
		row->null[i] = !c[i].store;
	}
	row->cache = ev->cache;
	row->detail = ev->detail;
}

void trace_row_format(const struct trace_row *row, char *buf, size_t len)
{
	static const char *const names[TRACE_ROW_INTS] = { "seq", "time", "pid", "type", "zone", "order",
							   "pfn", "addr", "ip", "size", "gfp", "value" };
	size_t n = 0;
	for (int i = 0; i < TRACE_ROW_INTS && n < len; i++) {
		if (i == 3)
			n += (size_t)snprintf(buf + n, len - n, " %s", trace_event_name((unsigned)row->v[3]));
		else if (row->null[i])
			n += (size_t)snprintf(buf + n, len - n, "%s%s=-", i ? " " : "", names[i]);
		else if (i >= 7 && i <= 9)
			n += (size_t)snprintf(buf + n, len - n, " %s=%#llx", names[i], (unsigned long long)row->v[i]);
		else
			n += (size_t)snprintf(buf + n, len - n, "%s%s=%lld", i ? " " : "", names[i], (long long)row->v[i]);
	}
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " cache=%s detail=%s", row->cache ? row->cache : "-",
				      row->detail ? row->detail : "-");
}

void trace_request_stop(struct trace *t)
{
	t->stop_requested = true;
}

bool trace_stop_requested(const struct trace *t)
{
	return t && t->stop_requested;
}

bool trace_is_recording(const struct trace *t)
{
	return t && (t->db || t->observer);
}
