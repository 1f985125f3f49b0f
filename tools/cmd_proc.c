/* tools/cmd_proc.c - `mmsim proc RUN.db --at SEQ|--at-insn N VIEW [PID]`.
 *
 * The /proc text the guest would have read at a moment of a recorded run.
 * The moment is "just after event SEQ" (--at-insn N: after the last event
 * at guest time <= N).  The run is re-executed deterministically from its
 * recorded inputs (hashes checked, as replay does) with an observer sink
 * that numbers the events as the database did, and the view is rendered by
 * the same code that serves the guest's /proc (procfs_render).
 *
 * Two ways to reach the moment:
 *  - from a checkpoint (global views: meminfo, vmstat, buddyinfo, zoneinfo,
 *    slabinfo): the numbers these views are printed from at SEQ are loaded
 *    from the database (the newest checkpoint before SEQ plus the per-event
 *    deltas, trace_state_load) and put into the re-executed machine as soon
 *    as it has the same layout (its slab caches exist: a few hundred events
 *    into the run), and the view is printed then.  The cost is reading at
 *    most TRACE_CHECKPOINT_EVERY deltas, whatever SEQ is.
 *  - by re-execution (the PID views, databases without checkpoints, and
 *    --reexecute): the run goes on until event SEQ is made.  Exact by
 *    construction; the cost is re-executing the run up to SEQ.
 * The test tests/e2e/tracedb_proc_at.sh checks that both give the same
 * text at many moments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/proc.h"
#include "mm/proc_state.h"
#include "sim/sim.h"
#include "traces/trace_read.h"
#include "sim/sys_internal.h"
#include "sim/view_shadow.h"
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
	/* from a checkpoint: the numbers at SEQ (trace_state_load), or NULL */
	int64_t *state;
	size_t nstate;
	char *layout;
	struct proc_state *ps;  /* over the re-executed machine's memsys */
	bool restored;   /* the view was printed from them */
};

/* Print the view from the loaded numbers if the machine now has their
 * layout.  Returns true when it did. */
static bool render_restored(struct at *a)
{
	if (!a->state || !a->s || !a->s->procs || !a->s->mem)
		return false;
	if (!a->ps && !(a->ps = proc_state_create(a->s->mem)))
		return false;
	if (strcmp(proc_state_layout(a->ps), a->layout))
		return false;
	/* the machine's own numbers go back after printing: the run is
	 * stopped, but its teardown walks the lists these numbers count */
	int64_t *own = malloc(a->nstate * sizeof *own);
	if (!own)
		return false;
	size_t n = proc_state_gather(a->ps, own, a->nstate);
	if (n != a->nstate || proc_state_restore(a->ps, a->layout, a->state, a->nstate) < 0) {
		free(own);
		return false;
	}
	a->rc = procfs_render(a->s, 0, a->view, &a->sb);
	proc_state_restore(a->ps, a->layout, own, n);
	free(own);
	a->restored = true;
	return true;
}

static void on_sim(struct sim *s, void *ctx)
{
	((struct at *)ctx)->s = s;
}

static void observe(void *ctx, const struct trace_event *ev)
{
	struct at *a = ctx;
	if (a->done)
		return;
	if (ev->seq != a->seq) {
		if (ev->seq < a->seq && render_restored(a)) {
			a->done = true;
			trace_request_stop(a->trace);
		}
		return;
	}
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

/* trace_views_load's consumer: each blob into the shadow. */
struct views_at {
	struct view_shadow *vs;
	long long bad_seq;   /* the event whose record was malformed */
};

enum { VIEWS_GAP = 2, VIEWS_BAD = 3 };

static int apply_views(void *ctx, long long seq, const uint8_t *blob, size_t len)
{
	struct views_at *v = ctx;
	int rc = view_shadow_apply(v->vs, blob, len);
	if (rc < 0)
		v->bad_seq = seq;
	return rc < 0 ? VIEWS_BAD : rc > 0 ? VIEWS_GAP : 0;
}

/* Print PID's VIEW at event AT from the database's view checkpoints.
 * Returns 0 (printed), 2 (an error, said), or -1 when the database cannot
 * tell (no checkpoint with views before AT, or a gap in its records): the
 * caller re-executes the run then. */
static int proc_pid_view_from_checkpoint(sqlite3 *db, const char *path, long long at, const char *view, int pid,
					 bool verbose)
{
	struct views_at v = { view_shadow_create(), 0 };
	struct trace_state_info info = { 0, 0 };
	struct strbuf sb = { 0 };
	char err[256];
	int rc = -1;
	if (!v.vs) {
		fprintf(stderr, "mmsim proc: out of memory\n");
		return 2;
	}
	int r = trace_views_load(db, at, apply_views, &v, &info, err, sizeof err);
	if (r < 0) {
		fprintf(stderr, "mmsim proc: %s: %s\n", path, err);
		rc = 2;
	} else if (r == VIEWS_BAD) {
		fprintf(stderr, "mmsim proc: %s: the process views' change of event %lld is damaged\n", path, v.bad_seq);
		rc = 2;
	} else if (r == 1) {
		int e = view_shadow_render(v.vs, pid, view, &sb);
		if (e == -ESRCH) {
			fprintf(stderr, "mmsim proc: %s: no process %d at event %lld\n", path, pid, at);
			rc = 2;
		} else {
			fwrite(sb.buf ? sb.buf : "", 1, sb.len, stdout);
			if (verbose)
				fprintf(stderr, "mmsim proc: event %lld from the checkpoint at event %lld and %lld later changes\n",
					at, info.checkpoint, info.deltas);
			rc = 0;
		}
	}
	sb_free(&sb);
	view_shadow_destroy(v.vs);
	return rc;
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
	bool reexecute = false, verbose = false;
	struct trace_state_info info = { 0, 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			puts("usage: mmsim proc RUN.db --at SEQ|--at-insn N [--reexecute] VIEW [PID]\n"
			     "Print /proc/VIEW (meminfo, vmstat, buddyinfo, zoneinfo, slabinfo) or\n"
			     "/proc/PID/VIEW (maps, smaps, status) as the guest would have read it just\n"
			     "after event SEQ, or after the last event at guest time <= N instructions.\n"
			     "Both kinds start from the database's nearest checkpoint and the changes\n"
			     "recorded with each later event; a moment before the first checkpoint (or a\n"
			     "database without checkpoints) is reached by re-executing the run from its\n"
			     "recorded inputs.\n"
			     "  --reexecute   re-execute the run up to the event instead (slower; the\n"
			     "                same text)\n"
			     "  -v, --verbose say on stderr how the moment was reached");
			return 0;
		} else if (!strcmp(a, "--reexecute")) {
			reexecute = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			verbose = true;
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
	if (needs_pid && !reexecute) {
		int r = proc_pid_view_from_checkpoint(db, path, at, view, a.pid, verbose);
		if (r >= 0) {
			rc = r;
			goto out;
		}
	}
	if (!needs_pid && !reexecute) {
		char err[256];
		if (trace_state_load(db, at, &a.state, &a.nstate, &a.layout, &info, err, sizeof err) < 0) {
			fprintf(stderr, "mmsim proc: %s: %s\n", path, err);
			rc = 2;
			goto out;
		}
	}
	a.trace = trace_open_observer(observe, &a);
	trace_set_level(a.trace, (enum trace_level)rr.o.cfg.trace_level);
	rr.o.trace = a.trace;
	rr.o.on_sim = on_sim;
	rr.o.on_sim_ctx = &a;
	FILE *held = NULL;
	int saved = verbose ? -1 : hold_stderr(&held);
	run_program(&rr.o);
	release_stderr(saved, held, !a.done); /* why the re-execution ended early */
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
		if (verbose && a.restored)
			fprintf(stderr, "mmsim proc: event %lld from the checkpoint at event %lld and %lld later changes\n",
				at, info.checkpoint, info.deltas);
		else if (verbose)
			fprintf(stderr, "mmsim proc: event %lld by re-executing the run up to it\n", at);
	}
out:
	proc_state_destroy(a.ps);
	free(a.state);
	free(a.layout);
	sb_free(&a.sb);
	recorded_run_free(&rr);
	sqlite3_close(db);
	return rc;
}
