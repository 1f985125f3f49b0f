/* tools/cmd_proc.c - `mmsim proc RUN.db --at SEQ|--at-insn N VIEW [PID]`.
 *
 * The /proc text the guest would have read at a moment of a recorded run.
 * The moment is "just after event SEQ" (--at-insn N: after the last event
 * at guest time <= N).  The run is re-executed deterministically from its
 * recorded inputs (hashes checked, as replay does) with an observer sink
 * that numbers the events as the database did; when event SEQ is made, the
 * view is rendered by the same code that serves the guest's /proc
 * (procfs_render) and the run is stopped.  Exact by construction; the cost
 * is re-executing the run up to SEQ.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/proc.h"
#include "sim/sim.h"
#include "sim/sys_internal.h"
#include "tools/cmd_tracedb.h"
#include "tools/tracedb_run.h"

struct at {
	struct sim *s;
	struct trace *trace;
	uint64_t seq;
	const char *view;
	int pid;
	struct strbuf sb;
	int rc;          /* procfs_render's result */
	bool done;
	bool early;      /* SEQ was made while the machine was being built */
};

static void on_sim(struct sim *s, void *ctx)
{
	((struct at *)ctx)->s = s;
}

static void observe(void *ctx, const struct trace_event *ev)
{
	struct at *a = ctx;
	if (a->done || ev->seq != a->seq)
		return;
	a->done = true;
	trace_request_stop(a->trace);
	if (!a->s || !a->s->procs) {
		a->early = true;
		return;
	}
	a->rc = procfs_render(a->s, a->pid, a->view, &a->sb);
	a->done = true;
	trace_request_stop(a->trace);
}

static const char *const global_views[] = { "meminfo", "vmstat", "buddyinfo", "zoneinfo", "slabinfo" };
static const char *const pid_views[] = { "maps", "smaps", "status" };

static bool in(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return true;
	return false;
}

/* A whole positive number from S, or -1. */
static long long number(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	return !*s || *end || errno || v < 0 ? -1 : v;
}

int cmd_proc(int argc, char **argv)
{
	const char *path = NULL, *view = NULL, *pid_s = NULL;
	long long at = -1, at_insn = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			puts("usage: mmsim proc RUN.db --at SEQ|--at-insn N VIEW [PID]\n"
			     "Print /proc/VIEW (meminfo, vmstat, buddyinfo, zoneinfo, slabinfo) or\n"
			     "/proc/PID/VIEW (maps, smaps, status) as the guest would have read it just\n"
			     "after event SEQ, or after the last event at guest time <= N instructions.\n"
			     "The run is re-executed from its recorded inputs up to that event.");
			return 0;
		} else if (!strcmp(a, "--at") || !strcmp(a, "--at-insn")) {
			if (++i == argc || number(argv[i]) < 0) {
				fprintf(stderr, "mmsim proc: %s needs a number\n", a);
				return 2;
			}
			if (!strcmp(a, "--at"))
				at = number(argv[i]);
			else
				at_insn = number(argv[i]);
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mmsim proc: unknown option '%s'\n", a);
			return 2;
		} else if (!path) {
			path = a;
		} else if (!view) {
			view = a;
		} else if (!pid_s) {
			pid_s = a;
		} else {
			fprintf(stderr, "mmsim proc: too many arguments ('%s')\n", a);
			return 2;
		}
	}
	if (!path || !view || (at < 0) == (at_insn < 0)) {
		fputs("mmsim proc: usage: mmsim proc RUN.db --at SEQ|--at-insn N VIEW [PID]\n", stderr);
		return 2;
	}
	bool needs_pid = in(view, pid_views, sizeof pid_views / sizeof pid_views[0]);
	if (!needs_pid && !in(view, global_views, sizeof global_views / sizeof global_views[0])) {
		fprintf(stderr, "mmsim proc: unknown view '%s' (meminfo, vmstat, buddyinfo, zoneinfo, slabinfo, "
				"maps PID, smaps PID, status PID)\n", view);
		return 2;
	}
	if (needs_pid != (pid_s != NULL) || (pid_s && number(pid_s) <= 0)) {
		fprintf(stderr, needs_pid ? "mmsim proc: %s needs a PID\n" : "mmsim proc: %s takes no PID\n", view);
		return 2;
	}
	sqlite3 *db = tracedb_open("proc", path);
	if (!db)
		return 2;
	struct at a = { .view = view, .pid = pid_s ? (int)number(pid_s) : 0 };
	struct recorded_run rr;
	int rc = recorded_run_load(db, "proc", path, true, &rr);
	if (rc)
		goto out;
	if (at_insn >= 0) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT max(seq) FROM events WHERE time <= ?", -1, &st, NULL) != SQLITE_OK) {
			tracedb_error("proc", path, db);
			rc = 2;
			goto out;
		}
		sqlite3_bind_int64(st, 1, at_insn);
		at = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_finalize(st);
		if (at < 1)
			at = 1;
	}
	if (at < 1 || (rr.events >= 0 && at > rr.events)) {
		fprintf(stderr, "mmsim proc: %s: no event %lld (the run has 1..%lld)\n", path, at, (long long)rr.events);
		rc = 2;
		goto out;
	}
	a.seq = (uint64_t)at;
	a.trace = trace_open_observer(observe, &a);
	trace_set_level(a.trace, (enum trace_level)rr.o.cfg.trace_level);
	rr.o.trace = a.trace;
	rr.o.on_sim = on_sim;
	rr.o.on_sim_ctx = &a;
	run_program(&rr.o);
	if (!a.done) {
		fprintf(stderr, "mmsim proc: %s: the re-executed run ended before event %lld\n", path, at);
		rc = 2;
	} else if (a.early) {
		fprintf(stderr, "mmsim proc: %s: event %lld is part of building the machine, before any process; "
				"choose a later one\n", path, at);
		rc = 2;
	} else if (a.rc == -ESRCH) {
		fprintf(stderr, "mmsim proc: %s: no process %d at event %lld\n", path, a.pid, at);
		rc = 2;
	} else if (a.rc) {
		fprintf(stderr, "mmsim proc: %s: cannot render %s\n", path, view);
		rc = 2;
	} else {
		fwrite(a.sb.buf ? a.sb.buf : "", 1, a.sb.len, stdout);
	}
out:
	sb_free(&a.sb);
	recorded_run_free(&rr);
	sqlite3_close(db);
	return rc;
}
