/* tools/cmd_export.c - `mmsim export RUN.db --format chrome-trace -o run.json`.
 *
 * The Chrome trace event format (JSON object with "traceEvents"), which
 * ui.perfetto.dev and chrome://tracing open.  Guest time is instructions,
 * shown as nanoseconds (events are stamped with instructions retired, 1 ns
 * each; "ts" is in microseconds).  Waits and reclaim time, which the
 * summary's simulated time includes, do not move this axis.
 * Each guest process is a process (pid: its tgid) named after what it
 * exec'd, and each of its threads a track of it (tid: the thread's id,
 * from the fork events' tgid; named "thread N"); a thread's running
 * periods (from one sched event to the next) are "X" slices named
 * "running"; page faults, COW, signals, fork, exec, exit, and every event
 * type whose name speaks of reclaim, kswapd, swap, LRU or OOM are instant
 * events on the thread's track (an OOM kill is a global instant event,
 * drawn across every track); the samples are
 * counter tracks (meminfo fields and the free pages of each zone that has
 * pages on track 0 "machine",
 * each process's RSS and swap on its own track).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/summary.h"
#include "tools/cmd_tracedb.h"

/* Threads: tid -> tgid of every thread that is not its group's leader. */
struct tgids {
	int (*v)[2];
	size_t n;
};

/* The tgid of thread TID (TID itself for a leader or unknown tid). */
static int tgid_of(const struct tgids *g, int tid)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i][0] == tid)
			return g->v[i][1];
	return tid;
}

/* Load DB's threads into G.  Returns 0 or -1. */
static int load_tgids(sqlite3 *db, struct tgids *g)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db,
			       "SELECT e.value, e.size FROM events e JOIN event_types t ON t.id = e.type "
			       "WHERE t.name = 'fork' AND e.detail = 'thread' AND e.size IS NOT NULL ORDER BY e.seq",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int(*nv)[2] = realloc(g->v, (g->n + 1) * sizeof *nv);
		if (!nv)
			break;
		g->v = nv;
		g->v[g->n][0] = sqlite3_column_int(st, 0);
		g->v[g->n][1] = sqlite3_column_int(st, 1);
		g->n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void ts(FILE *f, long long t)
{
	fprintf(f, "%lld.%03lld", t / 1000, t % 1000);
}

/* Write the trace of DB to F.  Returns 0 or -1 (SQLite error). */
#define SEP() (fputs(first ? "\n" : ",\n", f), first = false)
static int export_events(sqlite3 *db, FILE *f, const struct tgids *g);

static int export_chrome(sqlite3 *db, FILE *f)
{
	int rc;
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"mmsim export\",\"time\":"
	      "\"guest instructions retired, shown as 1 ns each (waits not included)\"},\"traceEvents\":[",
	      f);
	struct tgids g = { NULL, 0 };
	if (load_tgids(db, &g) != 0)
		return -1;
	rc = export_events(db, f, &g);
	free(g.v);
	return rc;
}

/* The trace of DB to F, threads grouped by G.  Returns 0 or -1. */
static int export_events(sqlite3 *db, FILE *f, const struct tgids *g)
{
	sqlite3_stmt *st;
	bool first = true;
	int rc;
	SEP();
	fputs("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"machine\"}}", f);
	for (size_t i = 0; i < g->n; i++) {
		SEP();
		fprintf(f, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":\"thread %d\"}}",
			g->v[i][1], g->v[i][0], g->v[i][0]);
	}
	/* process names: the last exec of each pid (its comm as Linux shows it) */
	if (sqlite3_prepare_v2(db,
			       "SELECT coalesce(e.value, e.pid), e.detail FROM events e JOIN event_types t ON t.id = e.type "
			       "WHERE t.name = 'exec' AND e.seq = (SELECT max(x.seq) FROM events x WHERE "
			       "coalesce(x.value, x.pid) = coalesce(e.value, e.pid) AND x.type = e.type)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pid = tgid_of(g, sqlite3_column_int(st, 0));
		SEP();
		fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":", pid,
			pid);
		json_put_string(f, (const char *)sqlite3_column_text(st, 1));
		fputs("}}", f);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	/* running slices: from each sched event to the next (or the run's end) */
	if (sqlite3_prepare_v2(db,
			       "SELECT value, time, coalesce(lead(time) OVER (ORDER BY seq), "
			       "(SELECT max(time) FROM events)) FROM events e JOIN event_types t ON t.id = e.type "
			       "WHERE t.name = 'sched' ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long a = sqlite3_column_int64(st, 1), b = sqlite3_column_int64(st, 2);
		SEP();
		fprintf(f, "{\"ph\":\"X\",\"name\":\"running\",\"cat\":\"sched\",\"pid\":%d,\"tid\":%d,\"ts\":",
			tgid_of(g, sqlite3_column_int(st, 0)), sqlite3_column_int(st, 0));
		ts(f, a);
		fputs(",\"dur\":", f);
		ts(f, b > a ? b - a : 0);
		fputc('}', f);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	/* instant events */
	if (sqlite3_prepare_v2(db,
			       "SELECT e.pid, e.time, t.name, e.addr, e.ip, e.value, e.detail, e.zone, e.\"order\" "
			       "FROM events e JOIN event_types t ON t.id = e.type "
			       "WHERE t.name IN ('page_fault', 'cow', 'signal', 'fork', 'exec', 'exit', 'alloc_fail') "
			       "OR t.name LIKE '%reclaim%' OR t.name LIKE '%kswapd%' OR t.name LIKE 'swap%' "
			       "OR t.name LIKE 'lru%' OR t.name LIKE 'oom%' OR t.name LIKE '%shrink%' ORDER BY e.seq",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 2);
		const char *detail = (const char *)sqlite3_column_text(st, 6);
		SEP();
		fprintf(f, "{\"ph\":\"i\",\"s\":\"%s\",\"name\":", !strcmp(name, "oom_kill") ? "g" : "t");
		if (detail && !strcmp(name, "page_fault")) {
			char n[96];
			snprintf(n, sizeof n, "fault %s", detail);
			json_put_string(f, n);
		} else {
			json_put_string(f, name);
		}
		fprintf(f, ",\"cat\":\"%s\",\"pid\":%d,\"tid\":%d,\"ts\":",
			!strcmp(name, "page_fault") || !strcmp(name, "cow") ? "fault" : "mm",
			tgid_of(g, sqlite3_column_int(st, 0)), sqlite3_column_int(st, 0));
		ts(f, sqlite3_column_int64(st, 1));
		fprintf(f, ",\"args\":{\"addr\":\"%#llx\",\"ip\":\"%#llx\",\"value\":%lld",
			(unsigned long long)sqlite3_column_int64(st, 3), (unsigned long long)sqlite3_column_int64(st, 4),
			(long long)sqlite3_column_int64(st, 5));
		if (detail) {
			fputs(",\"detail\":", f);
			json_put_string(f, detail);
		}
		fputs("}}", f);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	/* counters */
	if (sqlite3_prepare_v2(db,
			       "SELECT coalesce(pid, 0), time, CASE WHEN kind = 'zone' THEN 'free pages ' || zone "
			       "WHEN kind = 'proc' THEN name ELSE kind || ' ' || name END, value FROM samples "
			       "WHERE (kind = 'meminfo' AND name IN ('MemFree', 'MemAvailable', 'Cached', 'AnonPages', "
			       "'SwapFree', 'Slab')) OR (kind = 'zone' AND name = 'free' AND zone IN " TRACEDB_ZONES_WITH_PAGES ") "
			       "OR (kind = 'proc' AND name IN ('rss_kb', 'swap_kb')) ORDER BY time",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (tgid_of(g, sqlite3_column_int(st, 0)) != sqlite3_column_int(st, 0))
			continue; /* a thread: its process's memory is counted once */
		SEP();
		fputs("{\"ph\":\"C\",\"name\":", f);
		json_put_string(f, (const char *)sqlite3_column_text(st, 2));
		fprintf(f, ",\"pid\":%d,\"ts\":", sqlite3_column_int(st, 0));
		ts(f, sqlite3_column_int64(st, 1));
		fprintf(f, ",\"args\":{\"value\":%lld}}", (long long)sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	fputs("\n]}\n", f);
#undef SEP
	return 0;
}

int cmd_export(int argc, char **argv)
{
	const char *path = NULL, *out = NULL, *format = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			puts("usage: mmsim export RUN.db --format chrome-trace -o RUN.json\n"
			     "Write the run as a Chrome/Perfetto trace: a track per process with its\n"
			     "running periods, faults, reclaim, swap and OOM events as instant events,\n"
			     "and memory counters as counter tracks.  Open it at https://ui.perfetto.dev\n"
			     "(\"Open trace file\") or chrome://tracing.");
			return 0;
		} else if (!strcmp(a, "--format") || !strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (++i == argc) {
				fprintf(stderr, "mmsim export: %s needs a value\n", a);
				return 2;
			}
			if (!strcmp(a, "--format"))
				format = argv[i];
			else
				out = argv[i];
		} else if (!strncmp(a, "--format=", 9)) {
			format = a + 9;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mmsim export: unknown option '%s'\n", a);
			return 2;
		} else if (!path) {
			path = a;
		} else {
			fprintf(stderr, "mmsim export: one database at a time ('%s')\n", a);
			return 2;
		}
	}
	if (!path || !out || !format) {
		fputs("mmsim export: usage: mmsim export RUN.db --format chrome-trace -o RUN.json\n", stderr);
		return 2;
	}
	if (strcmp(format, "chrome-trace")) {
		fprintf(stderr, "mmsim export: unknown format '%s' (known: chrome-trace)\n", format);
		return 2;
	}
	if (tracedb_check_output("export", path, out) != 0)
		return 2;
	sqlite3 *db = tracedb_open("export", path);
	if (!db)
		return 2;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = export_chrome(db, f) == 0 ? 0 : 2;
	fclose(f);
	if (rc) {
		tracedb_error("export", path, db);
	} else {
		rc = tracedb_write_file("export", out, buf, len);
	}
	free(buf);
	sqlite3_close(db);
	return rc;
}
