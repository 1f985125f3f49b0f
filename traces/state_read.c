/* traces/state_read.c - the machine state at a moment, from a database's
 * checkpoints and per-event deltas (trace_state_load in
 * traces/trace_read.h; the writer is traces/state_probe.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/state_codec.h"
#include "traces/trace_read.h"

static int fail(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, db ? sqlite3_errmsg(db) : "damaged");
	sqlite3_finalize(st);
	return -1;
}

/* Step SQL (a checkpoints query selecting seq first, bound to SEQ) to its
 * row.  Returns 1 with *ST on the row (the caller finalizes it), 0 when
 * there is none, or -1 with ERR. */
static int newest_checkpoint(sqlite3 *db, const char *sql, long long seq, sqlite3_stmt **st, char *err,
			     size_t errlen)
{
	*st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return fail(db, *st, err, errlen, "checkpoints");
	sqlite3_bind_int64(*st, 1, seq);
	int rc = sqlite3_step(*st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return fail(db, *st, err, errlen, "checkpoints");
	sqlite3_finalize(*st);
	*st = NULL;
	return 0;
}

int trace_state_load(sqlite3 *db, long long seq, int64_t **v, size_t *n, char **layout, struct trace_state_info *info,
		     char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t *vec = NULL;
	size_t len = 0;
	long long from;
	*v = NULL;
	*n = 0;
	*layout = NULL;
	int rc = newest_checkpoint(db, "SELECT seq, layout, state FROM checkpoints WHERE seq <= ? ORDER BY seq DESC LIMIT 1",
				   seq, &st, err, errlen);
	if (rc <= 0)
		return rc;
	from = sqlite3_column_int64(st, 0);
	info->checkpoint = from;
	info->deltas = 0;
	const unsigned char *lay = sqlite3_column_text(st, 1);
	const void *blob = sqlite3_column_blob(st, 2);
	int blen = sqlite3_column_bytes(st, 2);
	if (!lay || !blob || state_decode_full(blob, (size_t)blen, &vec, &len) < 0 || !len) {
		snprintf(err, errlen, "checkpoint at event %lld is damaged", from);
		sqlite3_finalize(st);
		return -1;
	}
	*layout = strdup((const char *)lay);
	sqlite3_finalize(st);
	st = NULL;
	if (!*layout) {
		free(vec);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sqlite3_prepare_v2(db,
			       "SELECT seq, state_delta FROM events WHERE seq > ? AND seq <= ? AND state_delta IS NOT NULL "
			       "ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		goto db_err;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, seq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *d = sqlite3_column_blob(st, 1);
		int dlen = sqlite3_column_bytes(st, 1);
		if (state_apply_delta(d, (size_t)dlen, vec, len) < 0) {
			snprintf(err, errlen, "state change of event %lld is damaged", (long long)sqlite3_column_int64(st, 0));
			goto out_err;
		}
		info->deltas++;
	}
	if (rc != SQLITE_DONE)
		goto db_err;
	sqlite3_finalize(st);
	*v = vec;
	*n = len;
	return 1;
db_err:
	snprintf(err, errlen, "events: %s", sqlite3_errmsg(db));
out_err:
	sqlite3_finalize(st);
	free(vec);
	free(*layout);
	*layout = NULL;
	return -1;
}

int trace_views_load(sqlite3 *db, long long seq, trace_views_fn fn, void *ctx, struct trace_state_info *info, char *err,
		     size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = newest_checkpoint(db,
				   "SELECT seq, views FROM checkpoints WHERE seq <= ? AND views IS NOT NULL "
				   "ORDER BY seq DESC LIMIT 1",
				   seq, &st, err, errlen);
	if (rc <= 0)
		return rc;
	long long from = sqlite3_column_int64(st, 0);
	info->checkpoint = from;
	info->deltas = 0;
	int r = fn(ctx, from, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
	sqlite3_finalize(st);
	if (r)
		return r;
	if (sqlite3_prepare_v2(db,
			       "SELECT seq, view_delta FROM events WHERE seq > ? AND seq <= ? AND view_delta IS NOT NULL "
			       "ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(db, st, err, errlen, "events");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, seq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
		if (r) {
			sqlite3_finalize(st);
			return r;
		}
		info->deltas++;
	}
	if (rc != SQLITE_DONE)
		return fail(db, st, err, errlen, "events");
	sqlite3_finalize(st);
	return 1;
}
