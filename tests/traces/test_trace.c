/* tests/traces/test_trace.c - the trace sink: counters, levels, the SQLite
 * schema and NULL rules, batching, interrupted runs, bad paths. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "traces/trace.h"
#include "traces/state_codec.h"
#include "traces/trace_read.h"

struct fixture {
	char dir[64];
	char db[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/mmsim-trace-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* Run SQL returning one integer (NULL -> -999). */
static long long q1(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -999 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void qtext(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const unsigned char *s = sqlite3_column_text(st, 0);
	snprintf(out, len, "%s", s ? (const char *)s : "(null)");
	sqlite3_finalize(st);
}

static sqlite3 *open_ro(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return db;
}

static void emit_alloc(struct trace *t, long pfn)
{
	struct trace_event ev = trace_event_init(TEV_ALLOC_PAGES);
	ev.pfn = pfn;
	ev.order = 0;
	ev.zone = 0;
	ev.gfp = 0xcc0;
	trace_emit(t, &ev);
}

static void test_none_counts(void **state)
{
	(void)state;
	struct trace *t = trace_open_none();
	struct trace *u = trace_open_none();
	for (int i = 0; i < 1000; i++)
		emit_alloc(t, i);
	struct trace_event miss = trace_event_init(TEV_TLB_MISS);
	trace_emit(t, &miss); /* dropped at level EVENTS, still counted */
	struct trace_event bad = trace_event_init(TEV_RUN_START);
	bad.type = 999;
	trace_emit(t, &bad);
	assert_int_equal(trace_count(t, TEV_ALLOC_PAGES), 1000);
	assert_int_equal(trace_count(t, TEV_TLB_MISS), 1);
	assert_int_equal(trace_count(t, TEV_FREE_PAGES), 0);
	assert_int_equal(trace_count(u, TEV_ALLOC_PAGES), 0); /* two sinks, no shared state */
	assert_int_equal(trace_get_level(t), TRACE_LEVEL_EVENTS);
	assert_int_equal(trace_flush(t), 0);
	assert_null(trace_error(t));
	assert_int_equal(trace_close(t), 0);
	assert_int_equal(trace_close(u), 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(trace_event_name(TEV_ALLOC_PAGES), "alloc_pages");
	assert_string_equal(trace_event_name(TEV_RUN_START), "run_start");
	assert_string_equal(trace_event_name(TEV_VMA), "vma");
	assert_string_equal(trace_event_name(TEV_TLB_MISS), "tlb_miss");
	assert_string_equal(trace_event_name(TEV__COUNT), "unknown");
}

static void test_sqlite_schema_and_fields(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	struct trace *t = trace_open_sqlite(f->db, err, sizeof err);
	assert_non_null(t);
	assert_int_equal(trace_begin_run(t, "mem=1M zones=DMA:1M", "mmsim scenario x.scn"), 0);
	trace_set_clock(t, 42, 7);
	emit_alloc(t, 0);                 /* pfn 0 is a real pfn: stored as 0 */
	struct trace_event ev = trace_event_init(TEV_SLAB_ALLOC);
	ev.cache = "inode";
	ev.addr = 0xffff888000001000ULL;  /* above INT64_MAX: stored as signed */
	ev.size = 600;
	trace_emit(t, &ev);
	ev = trace_event_init(TEV_EXIT);
	ev.flags = TRACE_EV_HAS_TIME;
	ev.time = 99;
	ev.pid = 3;
	ev.value = 0;
	trace_emit(t, &ev);
	struct trace_event miss = trace_event_init(TEV_TLB_MISS);
	trace_emit(t, &miss);             /* dropped: level EVENTS */
	trace_set_level(t, TRACE_LEVEL_TLB);
	trace_emit(t, &miss);             /* stored */
	assert_int_equal(trace_end_run(t, 0), 0);
	assert_int_equal(trace_count(t, TEV_TLB_MISS), 2);
	emit_alloc(t, 5);                 /* after the end: counted, not stored */
	assert_int_equal(trace_count(t, TEV_ALLOC_PAGES), 2);
	assert_int_equal(trace_get_level(t), TRACE_LEVEL_NONE);
	assert_int_equal(trace_close(t), 0);

	sqlite3 *db = open_ro(f->db);
	char s[256];
	assert_int_equal(q1(db, "PRAGMA user_version"), 5);
	assert_int_equal(q1(db, "PRAGMA application_id"), 0x6d6d7369);
	qtext(db, "PRAGMA journal_mode", s, sizeof s);
	assert_string_equal(s, "delete"); /* closed properly: one self-contained file */
	qtext(db, "PRAGMA integrity_check", s, sizeof s);
	assert_string_equal(s, "ok");
	assert_int_equal(q1(db, "SELECT count(*) FROM event_types"), TEV__COUNT);
	assert_int_equal(q1(db, "SELECT level FROM event_types WHERE name='walk'"), TRACE_LEVEL_TLB);
	/* run_start, alloc, slab_alloc, exit, tlb_miss, run_end */
	assert_int_equal(q1(db, "SELECT count(*) FROM events"), 6);
	assert_int_equal(q1(db, "SELECT min(seq) FROM events"), 1);
	assert_int_equal(q1(db, "SELECT max(seq) FROM events"), 6);
	assert_int_equal(q1(db, "SELECT pfn FROM events WHERE type=2"), 0);
	assert_int_equal(q1(db, "SELECT gfp FROM events WHERE type=2"), 0xcc0);
	assert_int_equal(q1(db, "SELECT addr FROM events WHERE type=2"), -999);  /* NULL */
	assert_int_equal(q1(db, "SELECT time FROM events WHERE type=2"), 42);
	assert_int_equal(q1(db, "SELECT pid FROM events WHERE type=2"), 7);
	assert_int_equal(q1(db, "SELECT zone FROM events WHERE type=8"), -999);
	assert_int_equal(q1(db, "SELECT \"order\" FROM events WHERE type=8"), -999);
	assert_int_equal(q1(db, "SELECT pfn FROM events WHERE type=8"), -999);
	assert_int_equal((unsigned long long)q1(db, "SELECT addr FROM events WHERE type=8"), 0xffff888000001000ULL);
	qtext(db, "SELECT cache FROM events WHERE type=8", s, sizeof s);
	assert_string_equal(s, "inode");
	assert_int_equal(q1(db, "SELECT time FROM events WHERE type=31"), 99);
	assert_int_equal(q1(db, "SELECT pid FROM events WHERE type=31"), 3);
	assert_int_equal(q1(db, "SELECT value FROM events WHERE type=31"), 0);
	qtext(db, "SELECT type_name FROM events_named WHERE seq=2", s, sizeof s);
	assert_string_equal(s, "alloc_pages");
	qtext(db, "SELECT detail FROM events WHERE seq=1", s, sizeof s);
	assert_string_equal(s, "mem=1M zones=DMA:1M");
	qtext(db, "SELECT config FROM runs", s, sizeof s);
	assert_string_equal(s, "mem=1M zones=DMA:1M");
	qtext(db, "SELECT cmdline FROM runs", s, sizeof s);
	assert_string_equal(s, "mmsim scenario x.scn");
	qtext(db, "SELECT tool_version FROM runs", s, sizeof s);
	assert_string_equal(s, MMSIM_VERSION);
	assert_int_equal(q1(db, "SELECT finished FROM runs"), 1);
	assert_int_equal(q1(db, "SELECT exit_status FROM runs"), 0);
	assert_int_equal(q1(db, "SELECT events FROM runs"), 6);
	sqlite3_close(db);
}

static void test_sqlite_batches_and_reopen(void **state)
{
	struct fixture *f = *state;
	char err[256];
	/* An existing database is replaced, not appended to. */
	for (int round = 0; round < 2; round++) {
		struct trace *t = trace_open_sqlite(f->db, err, sizeof err);
		assert_non_null(t);
		for (int i = 0; i < 25000 + round; i++)
			emit_alloc(t, i);
		assert_int_equal(trace_close(t), 0);
		sqlite3 *db = open_ro(f->db);
		assert_int_equal(q1(db, "SELECT count(*) FROM events"), 25000 + round);
		assert_int_equal(q1(db, "SELECT sum(pfn) FROM events"), (long long)(24999 + round) * (25000 + round) / 2);
		sqlite3_close(db);
	}
}

/* A child that is killed (or _exits) mid-batch leaves every committed batch
 * and a database that passes integrity_check. */
static void interrupted(const char *path, bool sigkill)
{
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		close(pfd[0]);
		struct trace *t = trace_open_sqlite(path, err, sizeof err);
		if (!t)
			_exit(3);
		trace_begin_run(t, "mem=1M", "child");
		for (int i = 0; i < 20000; i++)     /* two full batches commit */
			emit_alloc(t, i);
		for (int i = 0; i < 777; i++)       /* then an explicit flush */
			emit_alloc(t, i);
		if (trace_flush(t) < 0)
			_exit(4);
		for (int i = 0; i < 5000; i++)      /* an open batch, lost */
			emit_alloc(t, i);
		if (write(pfd[1], "r", 1) != 1)
			_exit(5);
		if (!sigkill)
			_exit(0);
		for (;;)
			emit_alloc(t, 1);
	}
	close(pfd[1]);
	char c;
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	if (sigkill)
		kill(pid, SIGKILL);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (sigkill)
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	else
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);  /* read-write: recovers the WAL */
	char s[64];
	qtext(db, "PRAGMA integrity_check", s, sizeof s);
	assert_string_equal(s, "ok");
	long long n = q1(db, "SELECT count(*) FROM events WHERE type=2");
	if (sigkill)
		assert_true(n >= 20777 && n % 10000 == 777);  /* only whole batches */
	else
		assert_int_equal(n, 20777);
	assert_int_equal(q1(db, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(q1(db, "SELECT finished FROM runs"), 0);
	assert_int_equal(q1(db, "SELECT count(*) FROM events WHERE type=0"), 1);
	sqlite3_close(db);
}

static void test_interrupted_exit(void **state)
{
	interrupted(((struct fixture *)*state)->db, false);
}

static void test_interrupted_sigkill(void **state)
{
	interrupted(((struct fixture *)*state)->db, true);
}

static void test_bad_paths(void **state)
{
	struct fixture *f = *state;
	char err[256], path[256];

	snprintf(path, sizeof path, "%s/no/such/dir/t.db", f->dir);
	assert_null(trace_open_sqlite(path, err, sizeof err));
	assert_non_null(strstr(err, "does not exist"));
	assert_null(strchr(err, '\n'));

	/* a directory where the file should be */
	assert_null(trace_open_sqlite(f->dir, err, sizeof err));
	assert_non_null(strstr(err, "not a regular file"));

	assert_null(trace_open_sqlite("", err, sizeof err));

	/* an unwritable file (root can write anything: then it must succeed) */
	snprintf(path, sizeof path, "%s/ro.db", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	chmod(path, 0444);
	struct trace *t = trace_open_sqlite(path, err, sizeof err);
	if (geteuid() == 0) {
		assert_non_null(t);
		trace_close(t);
	} else {
		assert_null(t);
		assert_non_null(strstr(err, "Permission denied"));
		assert_null(strchr(err, '\n'));
	}
}

struct seen {
	char lines[TEV__COUNT * 2][1024];
	unsigned n;
};

static void keep(void *ctx, const struct trace_event *ev)
{
	struct seen *s = ctx;
	struct trace_row row;
	trace_event_row(ev, &row);
	if (s->n < TEV__COUNT * 2)
		trace_row_format(&row, s->lines[s->n++], sizeof s->lines[0]);
}

/* Emit two events of every type into T: one with every field set, one with
 * only the "none" values. */
static void emit_every_type(struct trace *t)
{
	for (unsigned type = 0; type < TEV__COUNT; type++) {
		if (type == TEV_RUN_START || type == TEV_RUN_END)
			continue;
		struct trace_event ev = trace_event_init(type);
		ev.zone = 2;
		ev.order = 3;
		ev.pfn = 0; /* pfn 0 is a real frame */
		ev.addr = 0xffff888000001000ULL;
		ev.ip = 0x401000 + type;
		ev.size = 4096;
		ev.gfp = 0xcc0;
		ev.value = -7;
		ev.cache = "kmalloc-64";
		ev.detail = "detail";
		trace_set_clock(t, 1000 + type, (int32_t)type);
		trace_emit(t, &ev);
		struct trace_event none = trace_event_init(type);
		trace_emit(t, &none);
	}
}

/* Schema round trip: every type, written through the SQLite sink and read
 * back through trace_read_open, gives the same rows an observer saw. */
static void test_schema_round_trip(void **state)
{
	struct fixture *f = *state;
	char err[256];
	static struct seen seen;
	memset(&seen, 0, sizeof seen);
	struct trace *obs = trace_open_observer(keep, &seen);
	trace_begin_run(obs, "mem=1M", "x");
	emit_every_type(obs);
	trace_close(obs);

	struct trace *t = trace_create_sqlite(f->db, false, err, sizeof err);
	assert_non_null(t);
	assert_int_equal(trace_begin_run(t, "mem=1M", "x"), 0);
	emit_every_type(t);
	assert_int_equal(trace_add_sample(t, 5, "vmstat", -1, NULL, -1, "pgfault", 9), 0);
	assert_int_equal(trace_set_counter(t, "vmstat.pgfault", 9), 0);
	assert_int_equal(trace_run_set_text(t, "finish_reason", "exited with status 0"), 0);
	assert_int_equal(trace_end_run(t, 0), 0);
	assert_int_equal(trace_close(t), 0);
	/* an existing database is refused without force */
	assert_null(trace_create_sqlite(f->db, false, err, sizeof err));
	assert_non_null(strstr(err, "--force"));

	sqlite3 *db = trace_read_open(f->db, err, sizeof err);
	assert_non_null(db);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT seq, time, pid, type, zone, \"order\", pfn, addr, ip, size, gfp, value, "
					    "cache, detail FROM events WHERE seq > 1 AND type <> 1 ORDER BY seq",
					    -1, &st, NULL),
			 SQLITE_OK);
	unsigned i = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct trace_row row;
		char line[1024];
		for (int c = 0; c < TRACE_ROW_INTS; c++) {
			row.null[c] = sqlite3_column_type(st, c) == SQLITE_NULL;
			row.v[c] = sqlite3_column_int64(st, c);
		}
		row.cache = (const char *)sqlite3_column_text(st, 12);
		row.detail = (const char *)sqlite3_column_text(st, 13);
		trace_row_format(&row, line, sizeof line);
		assert_true(i + 1 < seen.n);
		assert_string_equal(line, seen.lines[i + 1]); /* lines[0]: run_start */
		i++;
	}
	assert_int_equal(i + 1, seen.n);
	assert_true(i >= 2 * (TEV__COUNT - 5)); /* all but run_start/end and the level-2 tlb_miss/walk/lru_move */
	sqlite3_finalize(st);
	assert_int_equal(q1(db, "SELECT count(*) FROM event_types"), TEV__COUNT);
	assert_int_equal(q1(db, "SELECT value FROM counters WHERE name = 'vmstat.pgfault'"), 9);
	assert_int_equal(q1(db, "SELECT count(*) FROM samples WHERE time = 5 AND kind = 'vmstat'"), 1);
	assert_int_equal(q1(db, "SELECT finished FROM runs"), 1);
	/* read-only: a write fails */
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM events", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	/* another schema version is refused, naming both */
	sqlite3 *w;
	assert_int_equal(sqlite3_open(f->db, &w), SQLITE_OK);
	assert_int_equal(sqlite3_exec(w, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(w);
	assert_null(trace_read_open(f->db, err, sizeof err));
	assert_non_null(strstr(err, "version 1, this mmsim reads version 5"));
}

/* A deterministic pseudo-random number (xorshift) for the state tests. */
static uint64_t xs(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Full and delta encodings round-trip any values, including extremes and
 * long unchanged runs; damaged encodings are refused. */
static void test_state_codec(void **state)
{
	(void)state;
	enum { N = 301 };
	int64_t a[N], b[N], *d;
	size_t n;
	uint8_t buf[state_max_bytes(N) * 2];
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < N; i++)
		a[i] = (int64_t)xs(&x);
	a[0] = INT64_MIN;
	a[1] = INT64_MAX;
	a[2] = -1;
	a[3] = 0;
	size_t len = state_encode_full(a, N, buf);
	assert_int_equal(state_decode_full(buf, len, &d, &n), 0);
	assert_int_equal(n, N);
	assert_memory_equal(d, a, sizeof a);
	free(d);
	assert_int_equal(state_decode_full(buf, len - 1, &d, &n), -1); /* truncated */
	for (int round = 0; round < 200; round++) {
		memcpy(b, a, sizeof a);
		int changes = (int)(xs(&x) % 12);
		for (int c = 0; c < changes; c++) {
			int i = (int)(xs(&x) % N);
			b[i] = c & 1 ? (int64_t)xs(&x) : b[i] + (int64_t)(xs(&x) % 9) - 4;
		}
		len = state_encode_delta(a, b, N, buf);
		assert_true(len <= state_max_bytes(N) * 2);
		assert_int_equal(len == 0, memcmp(a, b, sizeof a) == 0);
		assert_int_equal(state_apply_delta(buf, len, a, N), 0);
		assert_memory_equal(a, b, sizeof a);
	}
	/* a delta naming an element past the end, and a cut varint */
	b[N - 1]++;
	memcpy(a, b, sizeof a);
	a[N - 1]--;
	len = state_encode_delta(a, b, N, buf);
	assert_int_equal(state_apply_delta(buf, len, a, N - 1), -1);
	uint8_t cut[] = { 0x80 };
	assert_int_equal(state_apply_delta(cut, 1, a, N), -1);
}

struct probe {
	int64_t v[40];
	size_t n;
};

static size_t probe_fn(void *ctx, int64_t *buf, size_t cap)
{
	struct probe *p = ctx;
	if (p->n <= cap)
		memcpy(buf, p->v, p->n * sizeof *buf);
	return p->n;
}

static const char *probe_layout(void *ctx)
{
	return ((struct probe *)ctx)->n == 40 ? "forty" : "thirty";
}

/* A probe whose vector changes between events (and once changes length):
 * the state loaded at every seq equals the vector at that event. */
static void test_state_probe(void **state)
{
	struct fixture *f = *state;
	char err[256];
	enum { EVENTS = 500 };
	static int64_t want[EVENTS + 1][40];
	static size_t want_n[EVENTS + 1];
	struct probe p = { .n = 30 };
	uint64_t x = 1234567;
	struct trace *t = trace_open_sqlite(f->db, err, sizeof err);
	assert_non_null(t);
	trace_set_checkpoint_every(t, 64);
	struct trace_event ev = trace_event_init(TEV_ALLOC_PAGES);
	assert_int_equal(trace_begin_run(t, "mem=16M", "test"), 0); /* seq 1: before the probe, no state */
	trace_set_state_probe(t, probe_fn, probe_layout, &p);
	for (int seq = 2; seq <= EVENTS; seq++) {
		if (seq == 300)
			p.n = 40; /* a layout change: a checkpoint */
		for (int c = (int)(xs(&x) % 4); c > 0; c--)
			p.v[1 + xs(&x) % (p.n - 1)] += (int64_t)(xs(&x) % 5) - 2;
		if (seq == 300)
			p.v[0]++;
		memcpy(want[seq], p.v, sizeof p.v);
		want_n[seq] = p.n;
		trace_emit(t, &ev);
	}
	assert_int_equal(trace_end_run(t, 0), 0);
	assert_int_equal(trace_close(t), 0);

	sqlite3 *db = trace_read_open(f->db, err, sizeof err);
	assert_non_null(db);
	int64_t *v;
	size_t n;
	char *layout;
	struct trace_state_info info;
	assert_int_equal(trace_state_load(db, 1, &v, &n, &layout, &info, err, sizeof err), 0);
	for (int seq = 2; seq <= EVENTS; seq++) {
		assert_int_equal(trace_state_load(db, seq, &v, &n, &layout, &info, err, sizeof err), 1);
		assert_int_equal(n, want_n[seq]);
		assert_memory_equal(v, want[seq], n * sizeof *v);
		assert_string_equal(layout, seq >= 300 ? "forty" : "thirty");
		assert_true(info.checkpoint <= seq && seq - info.checkpoint < 64);
		free(v);
		free(layout);
	}
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none_counts),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_sqlite_schema_and_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_batches_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_sigkill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_round_trip, setup, teardown),
		cmocka_unit_test(test_state_codec),
		cmocka_unit_test_setup_teardown(test_state_probe, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
