/* traces/sqlite_sink.c - the SQLite backend.
 *
 * Design: one connection in WAL mode with synchronous=NORMAL, one prepared
 * INSERT reused for every event, and events grouped into transactions of
 * TRACE_BATCH.  A commit in WAL mode is atomic, so a run killed at any
 * point leaves a database that passes integrity_check and holds every
 * committed batch (the open batch is lost; the committed ones may still be
 * in PATH-wal, which belongs to the database until a reader with write
 * access or a finished run folds it in).  Closing the trace properly
 * switches the file to journal_mode=DELETE: one self-contained file.  The
 * first database error is
 * remembered (trace_error); later events are still counted but not stored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "traces/trace_internal.h"

#ifndef MMSIM_VERSION
#define MMSIM_VERSION "unknown"
#endif

int trace_db_exec(struct trace *t, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(t->db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		trace_set_error(t, "trace: %s", msg ? msg : sqlite3_errmsg(t->db->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int db_exec(struct trace *t, const char *sql)
{
	return trace_db_exec(t, sql);
}

/* Commit the open transaction, if any.  Returns 0 or -1. */
static int db_commit(struct trace *t)
{
	struct trace_backend *b = t->db;
	if (!b->in_txn)
		return 0;
	b->in_txn = false;
	b->in_batch = 0;
	return db_exec(t, "COMMIT");
}

int trace_db_begin(struct trace *t)
{
	if (t->db->in_txn)
		return 0;
	if (db_exec(t, "BEGIN") < 0)
		return -1;
	t->db->in_txn = true;
	return 0;
}

static void bind_int_or_null(sqlite3_stmt *st, int col, bool store, sqlite3_int64 v)
{
	if (store)
		sqlite3_bind_int64(st, col, v);
	else
		sqlite3_bind_null(st, col);
}

/* Store EV (already counted and level-filtered by trace_emit). */
void trace_db_emit(struct trace *t, const struct trace_event *ev)
{
	struct trace_backend *b = t->db;
	if (t->has_err)
		return;
	if (!b->in_txn && trace_db_begin(t) < 0)
		return;

	unsigned f = trace_event_fields(ev->type);
	sqlite3_stmt *st = b->ins;
	struct trace_row row;
	trace_event_row(ev, &row);
	for (int i = 0; i < TRACE_ROW_INTS; i++)
		bind_int_or_null(st, i + 1, !row.null[i], row.v[i]);
	if (row.cache)
		sqlite3_bind_text(st, 13, row.cache, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 13);
	if (row.detail)
		sqlite3_bind_text(st, 14, row.detail, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 14);
	int64_t vma = (f & F_IP) && t->annotate ? t->annotate(t->annotate_ctx, ev) : 0;
	bind_int_or_null(st, 15, vma > 0, vma);
	const uint8_t *delta, *vdelta;
	size_t delta_len, vdelta_len;
	trace_state_step(t, ev->seq, &delta, &delta_len, &vdelta, &vdelta_len);
	if (delta)
		sqlite3_bind_blob(st, 16, delta, (int)delta_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 16);
	if (vdelta)
		sqlite3_bind_blob(st, 17, vdelta, (int)vdelta_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 17);

	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		trace_set_error(t, "trace: cannot store event: %s", sqlite3_errmsg(b->db));
		return;
	}
	if (++b->in_batch >= TRACE_BATCH)
		db_commit(t);
}

int trace_db_flush(struct trace *t)
{
	if (t->has_err)
		return -1;
	return db_commit(t);
}

/* Insert the runs row and emit RUN_START; commits so that even a run killed
 * at once leaves its configuration behind. */
int trace_db_begin_run(struct trace *t, const char *config, const char *cmdline)
{
	struct trace_backend *b = t->db;
	sqlite3_stmt *st = NULL;
	if (t->has_err || db_commit(t) < 0)
		return -1;
	if (sqlite3_prepare_v2(b->db,
			       "INSERT INTO runs (tool_version, schema_version, config, cmdline) VALUES (?, ?, ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto err;
	sqlite3_bind_text(st, 1, MMSIM_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, TRACE_SCHEMA_VERSION);
	sqlite3_bind_text(st, 3, config ? config : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, cmdline ? cmdline : "", -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto err;
	sqlite3_finalize(st);
	b->run_id = sqlite3_last_insert_rowid(b->db);

	struct trace_event ev = trace_event_init(TEV_RUN_START);
	ev.detail = config;
	trace_emit(t, &ev);
	return db_commit(t);
err:
	trace_set_error(t, "trace: cannot record the run: %s", sqlite3_errmsg(b->db));
	sqlite3_finalize(st);
	return -1;
}

int trace_db_end_run(struct trace *t, int status)
{
	struct trace_backend *b = t->db;
	sqlite3_stmt *st = NULL;
	struct trace_event ev = trace_event_init(TEV_RUN_END);
	ev.value = status;
	trace_emit(t, &ev);
	if (t->has_err || db_commit(t) < 0)
		return -1;
	if (!b->run_id)
		return 0;
	if (sqlite3_prepare_v2(b->db, "UPDATE runs SET finished = 1, exit_status = ?, events = ? WHERE id = ?", -1,
			       &st, NULL) != SQLITE_OK)
		goto err;
	sqlite3_bind_int(st, 1, status);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)t->seq);
	sqlite3_bind_int64(st, 3, b->run_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto err;
	sqlite3_finalize(st);
	return 0;
err:
	trace_set_error(t, "trace: cannot record the end of the run: %s", sqlite3_errmsg(b->db));
	sqlite3_finalize(st);
	return -1;
}

int trace_db_close(struct trace *t)
{
	struct trace_backend *b = t->db;
	int rc = t->has_err ? -1 : db_commit(t);
	sqlite3_finalize(b->ins);
	for (size_t i = 0; i < sizeof b->aux / sizeof b->aux[0]; i++)
		sqlite3_finalize(b->aux[i]);
	/* Closed properly: fold the WAL into the file and leave WAL mode, so the
	 * database is one self-contained file that readers open without -wal or
	 * -shm beside it (also in a read-only directory). */
	if (rc == 0 && sqlite3_exec(b->db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		trace_set_error(t, "trace: close: %s", sqlite3_errmsg(b->db));
		rc = -1;
	}
	if (sqlite3_close(b->db) != SQLITE_OK) {
		trace_set_error(t, "trace: close: %s", sqlite3_errmsg(b->db));
		rc = -1;
	}
	free(b);
	t->db = NULL;
	return rc;
}

/* Remove PATH and its WAL/shm companions so the database starts empty.
 * Returns 0, or -1 with errno set. */
static int remove_old(const char *path)
{
	char side[4096];
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	for (const char *suf = "-wal"; suf; suf = (suf[1] == 'w') ? "-shm" : NULL) {
		snprintf(side, sizeof side, "%s%s", path, suf);
		if (unlink(side) < 0 && errno != ENOENT)
			return -1;
	}
	return 0;
}

/* Check that PATH can be created or written: its directory must exist and
 * be writable, and an existing PATH must be a writable regular file.
 * Returns 0, or -1 with a message in ERR. */
static int check_path(const char *path, char *err, size_t errlen)
{
	struct stat st;
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (!*path) {
		snprintf(err, errlen, "trace: empty database path");
		return -1;
	}
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path == 0 ? 1 : slash - path), path);
	else
		snprintf(dir, sizeof dir, ".");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "trace: cannot create '%s': directory '%s' does not exist", path, dir);
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "trace: cannot create '%s': not a regular file", path);
			return -1;
		}
		if (access(path, W_OK) < 0) {
			snprintf(err, errlen, "trace: cannot write '%s': %s", path, strerror(errno));
			return -1;
		}
	}
	if (access(dir, W_OK) < 0) {
		snprintf(err, errlen, "trace: cannot create '%s': directory '%s': %s", path, dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* Create the schema and the event_types rows in one transaction. */
static int create_schema(struct trace *t)
{
	struct trace_backend *b = t->db;
	sqlite3_stmt *st = NULL;
	char pragma[64];

	if (db_exec(t, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			   "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=4096; BEGIN") < 0)
		return -1;
	if (db_exec(t, trace_schema_sql) < 0)
		return -1;
	if (sqlite3_prepare_v2(b->db, "INSERT INTO event_types (id, name, level) VALUES (?, ?, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		goto err;
	for (unsigned i = 0; i < TEV__COUNT; i++) {
		sqlite3_bind_int(st, 1, (int)i);
		sqlite3_bind_text(st, 2, trace_event_name(i), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, trace_type_level[i] ? trace_type_level[i] : TRACE_LEVEL_EVENTS);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto err;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	snprintf(pragma, sizeof pragma, "PRAGMA application_id=%d; PRAGMA user_version=%d; COMMIT",
		 TRACE_APPLICATION_ID, TRACE_SCHEMA_VERSION);
	return db_exec(t, pragma);
err:
	trace_set_error(t, "trace: cannot create the schema: %s", sqlite3_errmsg(b->db));
	sqlite3_finalize(st);
	return -1;
}

struct trace *trace_open_sqlite(const char *path, char *err, size_t errlen)
{
	return trace_create_sqlite(path, true, err, errlen);
}

struct trace *trace_create_sqlite(const char *path, bool force, char *err, size_t errlen)
{
	struct trace *t = NULL;
	struct trace_backend *b = NULL;
	struct stat sb;

	if (check_path(path, err, errlen) < 0)
		return NULL;
	if (!force && stat(path, &sb) == 0) {
		snprintf(err, errlen, "trace: '%s' exists; --force replaces it", path);
		return NULL;
	}
	if (remove_old(path) < 0) {
		snprintf(err, errlen, "trace: cannot replace '%s': %s", path, strerror(errno));
		return NULL;
	}
	t = trace_alloc();
	b = calloc(1, sizeof *b);
	if (!t || !b) {
		snprintf(err, errlen, "trace: out of memory");
		goto err;
	}
	t->db = b;
	if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "trace: cannot open '%s': %s", path,
			 b->db ? sqlite3_errmsg(b->db) : "out of memory");
		goto err;
	}
	if (create_schema(t) < 0)
		goto err_msg;
	if (sqlite3_prepare_v2(b->db,
			       "INSERT INTO events (seq, time, pid, type, zone, \"order\", pfn, addr, ip, size, gfp, "
			       "value, cache, detail, vma, state_delta, view_delta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &b->ins, NULL) != SQLITE_OK) {
		trace_set_error(t, "trace: %s", sqlite3_errmsg(b->db));
		goto err_msg;
	}
	return t;
err_msg:
	snprintf(err, errlen, "%s (%s)", t->err, path);
err:
	if (b) {
		sqlite3_finalize(b->ins);
		sqlite3_close(b->db);
		free(b);
	}
	free(t);
	return NULL;
}
