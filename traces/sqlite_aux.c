/* traces/sqlite_aux.c - the rows beside the events: the runs row's
 * columns, inputs, VMAs, instructions, samples and final counters.
 *
 * Each kind has one statement, prepared on first use and kept in the
 * backend; rows join the events' open transaction, so they are committed
 * (and survive a crash) with the batch they were written in.  Without a
 * database every function does nothing and returns 0.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "traces/trace_internal.h"

enum { AUX_VMA, AUX_INSN, AUX_INPUT, AUX_SAMPLE, AUX_COUNTER, AUX_CHECKPOINT };

static const char *const aux_sql[] = {
	[AUX_VMA] = "INSERT OR REPLACE INTO vmas (id, pid, start, \"end\", line) VALUES (?, ?, ?, ?, ?)",
	[AUX_INSN] = "INSERT OR IGNORE INTO insns (addr, bytes, text) VALUES (?, ?, ?)",
	[AUX_INPUT] = "INSERT INTO inputs (kind, path, host_path, size, sha256, seq) VALUES (?, ?, ?, ?, ?, ?)",
	[AUX_SAMPLE] = "INSERT INTO samples (time, seq, kind, pid, zone, \"order\", name, value) "
		       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[AUX_COUNTER] = "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)",
	[AUX_CHECKPOINT] = "INSERT OR REPLACE INTO checkpoints (seq, layout, state, views) VALUES (?, ?, ?, ?)",
};

/* The prepared statement K inside an open transaction, or NULL (no
 * database, an earlier error, or this one: recorded). */
static sqlite3_stmt *aux_stmt(struct trace *t, unsigned k)
{
	struct trace_backend *b = t->db;
	if (!b || t->has_err)
		return NULL;
	if (!b->aux[k] && sqlite3_prepare_v2(b->db, aux_sql[k], -1, &b->aux[k], NULL) != SQLITE_OK) {
		trace_set_error(t, "trace: %s", sqlite3_errmsg(b->db));
		return NULL;
	}
	if (trace_db_begin(t) < 0)
		return NULL;
	return b->aux[k];
}

/* Step ST once and reset it.  Returns 0 or -1 (recorded). */
static int aux_step(struct trace *t, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		trace_set_error(t, "trace: cannot store a row: %s", sqlite3_errmsg(t->db->db));
		return -1;
	}
	return 0;
}

static void bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, col);
}

int trace_add_vma(struct trace *t, int64_t id, int32_t pid, uint64_t start, uint64_t end, const char *line)
{
	sqlite3_stmt *st = aux_stmt(t, AUX_VMA);
	if (!st)
		return t->has_err ? -1 : 0;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, pid);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)start);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)end);
	bind_text(st, 5, line);
	return aux_step(t, st);
}

int trace_add_insn(struct trace *t, uint64_t addr, const uint8_t *bytes, size_t len, const char *text)
{
	sqlite3_stmt *st = aux_stmt(t, AUX_INSN);
	if (!st)
		return t->has_err ? -1 : 0;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)addr);
	if (len)
		sqlite3_bind_blob(st, 2, bytes, (int)len, SQLITE_TRANSIENT);
	bind_text(st, 3, text);
	return aux_step(t, st);
}

int trace_add_input(struct trace *t, const char *kind, const char *path, const char *host_path, uint64_t size,
		    const char *sha256)
{
	sqlite3_stmt *st = aux_stmt(t, AUX_INPUT);
	if (!st)
		return t->has_err ? -1 : 0;
	bind_text(st, 1, kind);
	bind_text(st, 2, path);
	bind_text(st, 3, host_path);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
	bind_text(st, 5, sha256);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)t->seq);
	return aux_step(t, st);
}

int trace_add_sample(struct trace *t, uint64_t time, const char *kind, int32_t pid, const char *zone, int order, const char *name,
		     int64_t value)
{
	sqlite3_stmt *st = aux_stmt(t, AUX_SAMPLE);
	if (!st)
		return t->has_err ? -1 : 0;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)t->seq);
	bind_text(st, 3, kind);
	if (pid >= 0)
		sqlite3_bind_int64(st, 4, pid);
	bind_text(st, 5, zone);
	if (order >= 0)
		sqlite3_bind_int(st, 6, order);
	bind_text(st, 7, name);
	sqlite3_bind_int64(st, 8, value);
	return aux_step(t, st);
}

int trace_set_counter(struct trace *t, const char *name, int64_t value)
{
	sqlite3_stmt *st = aux_stmt(t, AUX_COUNTER);
	if (!st)
		return t->has_err ? -1 : 0;
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, value);
	return aux_step(t, st);
}

/* UPDATE runs SET COLUMN = (bound by BIND) for T's run.  COLUMN is one of
 * the runs table's names (the caller's constant, never user input). */
static sqlite3_stmt *run_update(struct trace *t, const char *column)
{
	struct trace_backend *b = t->db;
	char sql[128];
	sqlite3_stmt *st = NULL;
	if (!b || !b->run_id || t->has_err)
		return NULL;
	if (strspn(column, "abcdefghijklmnopqrstuvwxyz_0123456789") != strlen(column)) {
		trace_set_error(t, "trace: bad runs column '%s'", column);
		return NULL;
	}
	snprintf(sql, sizeof sql, "UPDATE runs SET %s = ? WHERE id = %lld", column, (long long)b->run_id);
	if (trace_db_begin(t) < 0)
		return NULL;
	if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
		trace_set_error(t, "trace: %s", sqlite3_errmsg(b->db));
		return NULL;
	}
	return st;
}

int trace_run_set_text(struct trace *t, const char *column, const char *value)
{
	sqlite3_stmt *st = run_update(t, column);
	if (!st)
		return t->has_err ? -1 : 0;
	bind_text(st, 1, value);
	int rc = aux_step(t, st);
	sqlite3_finalize(st);
	return rc;
}

int trace_run_set_int(struct trace *t, const char *column, int64_t value)
{
	sqlite3_stmt *st = run_update(t, column);
	if (!st)
		return t->has_err ? -1 : 0;
	sqlite3_bind_int64(st, 1, value);
	int rc = aux_step(t, st);
	sqlite3_finalize(st);
	return rc;
}

int trace_db_checkpoint(struct trace *t, uint64_t seq, const char *layout, const uint8_t *blob, size_t len,
			const uint8_t *views, size_t views_len)
{
	sqlite3_stmt *st = aux_stmt(t, AUX_CHECKPOINT);
	if (!st)
		return t->db ? -1 : 0;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_text(st, 2, layout, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, blob, (int)len, SQLITE_STATIC);
	if (views)
		sqlite3_bind_blob(st, 4, views, (int)views_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	return aux_step(t, st);
}
