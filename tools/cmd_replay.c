/* tools/cmd_replay.c - `mmsim replay DB [OPTIONS]` and `mmsim diff A B`.
 *
 * replay re-executes the recorded run from the recorded inputs (program,
 * argv, configuration, working directory; every hash checked first).
 * Without machine options it verifies: an observer sink numbers the new
 * events exactly as the database did and compares each, as it is made,
 * with the recorded row of the same seq; the first difference stops the
 * run a few events later and is reported with three events on each side,
 * recorded and replayed (exit 1).  A recording that ends without
 * finishing (runs.finished 0: killed) is compared up to its last event,
 * where the re-execution is stopped.  With machine options (--mem 32M, any
 * option of `mmsim run`) it is a what-if run written to a new database
 * (-o/--trace NEW.db), whose summary it prints.  Both hold back the kernel
 * log the run prints on stderr (the live run showed it already) unless -v,
 * and show it when the replay diverged or could not start.
 *
 * diff prints both runs' summaries, their machines, and every counter of
 * the counters tables side by side with the difference.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/config.h"
#include "tools/cmd_tracedb.h"
#include "tools/tracedb_run.h"
#include "traces/trace.h"
#include "traces/trace_replace.h"

#define CONTEXT 3

struct verify {
	sqlite3 *db;
	sqlite3_stmt *rec;        /* recorded events in seq order */
	struct trace *trace;
	char recent[CONTEXT][1024]; /* the last replayed events, ring */
	uint64_t seen;
	uint64_t diverged;        /* seq of the first difference, 0: none */
	char after[CONTEXT + 1][1024]; /* replayed from the difference on */
	int nafter;
	bool rec_ended;
	uint64_t cut;             /* the run did not finish: its last recorded seq, else 0 */
};

/* The recorded row at the statement's position as a trace_row line. */
static void recorded_line(sqlite3_stmt *st, char *buf, size_t len)
{
	struct trace_row row;
	for (int i = 0; i < TRACE_ROW_INTS; i++) {
		row.null[i] = sqlite3_column_type(st, i) == SQLITE_NULL;
		row.v[i] = sqlite3_column_int64(st, i);
	}
	row.cache = (const char *)sqlite3_column_text(st, 12);
	row.detail = (const char *)sqlite3_column_text(st, 13);
	trace_row_format(&row, buf, len);
}

static void observe(void *ctx, const struct trace_event *ev)
{
	struct verify *v = ctx;
	struct trace_row row;
	char line[1024], rec[1024];
	trace_event_row(ev, &row);
	trace_row_format(&row, line, sizeof line);
	if (v->cut && ev->seq > v->cut && !v->diverged) {
		/* past the end of a recording cut short: nothing to compare */
		trace_request_stop(v->trace);
		return;
	}
	v->seen = ev->seq;
	if (v->diverged) {
		if (v->nafter <= CONTEXT)
			snprintf(v->after[v->nafter++], sizeof v->after[0], "%s", line);
		if (v->nafter > CONTEXT)
			trace_request_stop(v->trace);
		return;
	}
	int rc = v->rec_ended ? SQLITE_DONE : sqlite3_step(v->rec);
	if (rc == SQLITE_ROW)
		recorded_line(v->rec, rec, sizeof rec);
	else
		v->rec_ended = true;
	if (rc != SQLITE_ROW || strcmp(rec, line)) {
		v->diverged = ev->seq;
		snprintf(v->after[v->nafter++], sizeof v->after[0], "%s", line);
		return;
	}
	snprintf(v->recent[ev->seq % CONTEXT], sizeof v->recent[0], "%s", line);
}

/* Print the recorded events FROM..TO of DB, marking MARK. */
static void print_recorded(sqlite3 *db, uint64_t from, uint64_t to, uint64_t mark)
{
	sqlite3_stmt *st;
	char line[1024];
	if (sqlite3_prepare_v2(db,
			       "SELECT seq, time, pid, type, zone, \"order\", pfn, addr, ip, size, gfp, value, cache, detail "
			       "FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	bool any = false;
	while (sqlite3_step(st) == SQLITE_ROW) {
		recorded_line(st, line, sizeof line);
		printf("  %s %s\n", (uint64_t)sqlite3_column_int64(st, 0) == mark ? ">" : " ", line);
		any = true;
	}
	if (!any || mark > to)
		printf("  > (no event %llu: the recorded run ended)\n", (unsigned long long)mark);
	sqlite3_finalize(st);
}

/* Did DB's run end without finishing (killed: runs.finished 0, only its
 * committed batches stored)?  Sets *CUT to its last recorded seq then, else
 * to 0.  Returns 0, or -1 on a SQLite error. */
static int unfinished_recording(sqlite3 *db, uint64_t *cut)
{
	sqlite3_stmt *st;
	*cut = 0;
	if (sqlite3_prepare_v2(db, "SELECT finished, (SELECT max(seq) FROM events) FROM runs", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !sqlite3_column_int(st, 0))
		*cut = (uint64_t)sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static void usage(FILE *f)
{
	fputs("usage: mmsim replay [-v] RUN.db                 verify the run is reproducible\n"
	      "       mmsim replay [-v] RUN.db [--OPTION VALUE...] -o NEW.db [--force]\n"
	      "                                                a what-if run with settings changed\n"
	      "Re-execute a recorded `mmsim run` from its recorded program, argv, environment,\n"
	      "configuration and working directory.  The program, --stdin and every file the\n"
	      "guest read under --root must still have their recorded SHA-256 (a changed or\n"
	      "missing one is refused, named).  Without options the new event stream is\n"
	      "compared with the recorded one: exit 0 if identical, 1 at the first difference\n"
	      "(shown with three events either side).  A run stopped by Ctrl-C is\n"
	      "re-executed until the same moment and stopped the same way; a recording that\n"
	      "ends without finishing (the run was killed) is compared up to its last event\n"
	      "(\"identical for all N recorded events\", exit 0).  Any machine option of `mmsim run`\n"
	      "(--mem, --zones, --tlb, --quantum, --seed, --min-free-kbytes, --page-cache, ...)\n"
	      "changes that setting for a what-if run recorded to NEW.db (-o or --trace);\n"
	      "compare the two with `mmsim diff RUN.db NEW.db`.\n\n"
	      "Output: a verification prints only its verdict (stdout); a what-if run its\n"
	      "summary and where it was recorded (stdout).  The guest's own output is\n"
	      "discarded.  The kernel log the live run printed on stderr (OOM-killer\n"
	      "reports, SIGSEGV reports, allocation failures, why the run stopped) is held\n"
	      "back, and shown on stderr only when the replay diverged or could not start,\n"
	      "or with -v/--verbose (then as it is printed).\n",
	      f);
}

int cmd_replay(int argc, char **argv)
{
	const char *path = NULL, *out = NULL;
	bool force = false, verbose = false;
	char keys[32][64], opts[32][66], *vals[32]; /* --opts[i] VALUE: setting keys[i] */
	int nset = 0, rc;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--force")) {
			force = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			verbose = true;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--trace") || !strcmp(a, "--output")) {
			if (++i == argc) {
				fprintf(stderr, "mmsim replay: %s needs a file name\n", a);
				return 2;
			}
			out = argv[i];
		} else if (!strncmp(a, "--", 2) && a[2]) {
			/* --some-option VALUE or --some-option=VALUE: setting some_option */
			const char *eq = strchr(a, '=');
			if (nset == 32) {
				fputs("mmsim replay: too many settings\n", stderr);
				return 2;
			}
			int n = (int)(eq ? (size_t)(eq - a - 2) : strlen(a + 2));
			snprintf(keys[nset], sizeof keys[nset], "%.*s", n, a + 2);
			snprintf(opts[nset], sizeof opts[nset], "%.*s", n + 2, a);
			for (char *p = keys[nset]; *p; p++)
				if (*p == '-')
					*p = '_';
			if (!eq && ++i == argc) {
				fprintf(stderr, "mmsim replay: option '%s' needs a value\n", a);
				return 2;
			}
			vals[nset++] = eq ? (char *)eq + 1 : argv[i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mmsim replay: unknown option '%s' (see mmsim replay --help)\n", a);
			return 2;
		} else if (!path) {
			path = a;
		} else {
			fprintf(stderr, "mmsim replay: one database at a time ('%s')\n", a);
			return 2;
		}
	}
	if (!path) {
		fputs("mmsim replay: no database given (see mmsim replay --help)\n", stderr);
		return 2;
	}
	if (nset && !out) {
		fputs("mmsim replay: a what-if run needs a new database: -o NEW.db\n", stderr);
		return 2;
	}
	if (out && tracedb_check_output("replay", path, out) != 0)
		return 2;
	if (out) {
		/* the new database's own checks, named as the user wrote it */
		char err[512];
		struct stat sb;
		if (trace_check_replace(out, err, sizeof err) != 0) {
			fprintf(stderr, "mmsim replay: %s\n", err);
			return 2;
		}
		if (!force && stat(out, &sb) == 0) {
			fprintf(stderr, "mmsim replay: trace: '%s' exists; --force replaces it\n", out);
			return 2;
		}
	}
	char *abs_out = out ? (out[0] == '/' ? strdup(out) : NULL) : NULL;
	if (out && !abs_out) {
		char cwd[4096];
		if (getcwd(cwd, sizeof cwd) && asprintf(&abs_out, "%s/%s", cwd, out) < 0)
			abs_out = NULL;
	}
	sqlite3 *db = tracedb_open("replay", path);
	if (!db)
		return 2;
	struct recorded_run rr;
	struct verify v = { 0 };
	rc = recorded_run_load(db, "replay", path, true, &rr);
	if (rc)
		goto out;
	for (int i = 0; i < nset; i++) {
		char err[512];
		if (!strcmp(keys[i], "trace_level") || !strcmp(keys[i], "stdin") || !strcmp(keys[i], "root")) {
			fprintf(stderr, "mmsim replay: %s is an input of the run, not a machine setting\n", opts[i]);
			rc = 2;
			goto out;
		}
		if (sim_config_set(&rr.o.cfg, keys[i], vals[i], err, sizeof err) != 0) {
			fprintf(stderr, "mmsim replay: %s: %s\n", opts[i], sim_config_error_text(err, keys[i], opts[i] + 2));
			rc = 2;
			goto out;
		}
	}
	char cmdline[2048];
	size_t used = (size_t)snprintf(cmdline, sizeof cmdline, "mmsim");
	for (int k = 0; k < argc && used < sizeof cmdline - 1; k++)
		used += (size_t)snprintf(cmdline + used, sizeof cmdline - used, " %s", argv[k]);
	rr.o.cmdline = cmdline;
	if (out) {
		rr.o.trace_path = abs_out;
		rr.o.force = force;
		rr.o.quiet = false;
		rr.o.summary_out = stdout;
		FILE *held = NULL;
		bool started = false;
		int saved = verbose ? -1 : hold_stderr(&held);
		rr.o.started = &started;
		int code = run_program(&rr.o);
		release_stderr(saved, held, !started); /* one line: why it did not start */
		if (!started) {
			rc = 2;
			goto out;
		}
		printf("mmsim replay: what-if run recorded to %s (exit status %d); compare: mmsim diff %s %s\n", out, code,
		       path, out);
		rc = 0;
		goto out;
	}
	v.db = db;
	if (sqlite3_prepare_v2(db,
			       "SELECT seq, time, pid, type, zone, \"order\", pfn, addr, ip, size, gfp, value, cache, detail "
			       "FROM events ORDER BY seq",
			       -1, &v.rec, NULL) != SQLITE_OK) {
		tracedb_error("replay", path, db);
		rc = 2;
		goto out;
	}
	if (unfinished_recording(db, &v.cut) != 0) {
		tracedb_error("replay", path, db);
		rc = 2;
		goto out;
	}
	v.trace = trace_open_observer(observe, &v);
	trace_set_level(v.trace, (enum trace_level)rr.o.cfg.trace_level);
	rr.o.trace = v.trace;
	FILE *held = NULL;
	bool started = false;
	int saved = verbose ? -1 : hold_stderr(&held);
	rr.o.started = &started;
	run_program(&rr.o);
	if (!v.diverged && !v.rec_ended && sqlite3_step(v.rec) == SQLITE_ROW)
		v.diverged = v.seen + 1; /* the replay ended early */
	release_stderr(saved, held, v.diverged || !started);
	if (!v.diverged && v.cut) {
		printf("mmsim replay: %s: identical for all %llu recorded events; the recording ends there (the run did "
		       "not finish)\n",
		       path, (unsigned long long)v.seen);
		rc = 0;
		goto out;
	}
	if (!v.diverged) {
		printf("mmsim replay: %s: identical: %llu events\n", path, (unsigned long long)v.seen);
		rc = 0;
		goto out;
	}
	uint64_t d = v.diverged, from = d > CONTEXT ? d - CONTEXT : 1;
	printf("mmsim replay: %s: diverged at event %llu\nrecorded:\n", path, (unsigned long long)d);
	print_recorded(db, from, d + CONTEXT, d);
	printf("replayed:\n");
	for (uint64_t s = from; s < d; s++)
		printf("    %s\n", v.recent[s % CONTEXT]);
	for (int i = 0; i < v.nafter; i++)
		printf("  %s %s\n", i ? " " : ">", v.after[i]);
	if (!v.nafter)
		printf("  > (no event %llu: the replayed run ended)\n", (unsigned long long)d);
	rc = 1;
out:
	free(abs_out);
	sqlite3_finalize(v.rec);
	recorded_run_free(&rr);
	sqlite3_close(db);
	return rc;
}

struct counter {
	char *name;
	long long a, b;
	bool in_a, in_b;
};

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct counter *)x)->name, ((const struct counter *)y)->name);
}

/* Add DB's counters to *CS (side B if SIDE_B).  Returns 0 or -1. */
static int load_counters(sqlite3 *db, bool side_b, struct counter **cs, size_t *n, size_t *cap)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT name, value FROM counters ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		long long val = sqlite3_column_int64(st, 1);
		struct counter key = { (char *)name, 0, 0, false, false }, *c = NULL;
		if (side_b && *n)
			c = bsearch(&key, *cs, *n, sizeof **cs, by_name);
		if (!c) {
			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 256;
				struct counter *g = realloc(*cs, *cap * sizeof *g);
				if (!g)
					break;
				*cs = g;
			}
			c = &(*cs)[(*n)++];
			*c = (struct counter){ strdup(name), 0, 0, false, false };
		}
		if (side_b) {
			c->b = val;
			c->in_b = true;
		} else {
			c->a = val;
			c->in_a = true;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int cmd_diff(int argc, char **argv)
{
	const char *p[2] = { NULL, NULL };
	bool all = false;
	int np = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: mmsim diff [--all] A.db B.db\n"
			     "Print both runs' summaries and machines, then every counter (vmstat,\n"
			     "MMU/TLB, faults by kind, events by type, run totals) side by side with the\n"
			     "difference B - A; --all also lists the counters that are equal.");
			return 0;
		} else if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "mmsim diff: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (np < 2) {
			p[np++] = argv[i];
		} else {
			fputs("mmsim diff: two databases only\n", stderr);
			return 2;
		}
	}
	if (np != 2) {
		fputs("mmsim diff: usage: mmsim diff [--all] A.db B.db\n", stderr);
		return 2;
	}
	sqlite3 *db[2] = { tracedb_open("diff", p[0]), NULL };
	if (!db[0])
		return 2;
	db[1] = tracedb_open("diff", p[1]);
	if (!db[1]) {
		sqlite3_close(db[0]);
		return 2;
	}
	struct counter *cs = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (int k = 0; k < 2; k++) {
		char *m = tracedb_run_text(db[k], "machine"), *s = tracedb_run_text(db[k], "summary_text");
		printf("=== %s: %s\n", k ? "B" : "A", p[k]);
		printf("machine: %s\n", m ? m : "(not recorded)");
		char *why = s ? NULL : tracedb_no_summary(db[k]);
		if (s)
			fputs(s, stdout);
		else
			printf("(%s)\n", why ? why : "no summary");
		free(why);
		free(m);
		free(s);
		if (load_counters(db[k], k == 1, &cs, &n, &cap) != 0) {
			tracedb_error("diff", p[k], db[k]);
			rc = 2;
			goto out;
		}
		if (k == 0)
			qsort(cs, n, sizeof *cs, by_name);
	}
	qsort(cs, n, sizeof *cs, by_name);
	printf("=== counters (B - A)%s\n%-40s %20s %20s %20s\n", all ? "" : ", those that differ", "counter", "A", "B",
	       "difference");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		struct counter *c = &cs[i];
		if (!all && c->in_a && c->in_b && c->a == c->b)
			continue;
		char a[24], b[24];
		snprintf(a, sizeof a, c->in_a ? "%lld" : "-", c->a);
		snprintf(b, sizeof b, c->in_b ? "%lld" : "-", c->b);
		printf("%-40s %20s %20s %+20lld\n", c->name, a, b, c->b - c->a);
		shown++;
	}
	if (!shown)
		printf("(every counter is equal)\n");
out:
	for (size_t i = 0; i < n; i++)
		free(cs[i].name);
	free(cs);
	sqlite3_close(db[0]);
	sqlite3_close(db[1]);
	return rc;
}
