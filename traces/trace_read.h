/* traces/trace_read.h - opening a trace database for reading (the
 * commands stats, query, proc, replay, diff, report, export).
 *
 * trace_read_open() refuses, with one line, anything that is not a
 * complete mmsim database of this schema version: a missing or empty
 * file, a file that is not SQLite, a SQLite file shorter than its header
 * says (truncated), a SQLite database without mmsim's application id and
 * tables, and a database of another schema version (naming both).  The
 * connection is read-only (SQLITE_OPEN_READONLY, PRAGMA query_only), so
 * nothing a reader does can change the file.
 */
#ifndef MMSIM_TRACES_TRACE_READ_H
#define MMSIM_TRACES_TRACE_READ_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* The schema version this mmsim writes and reads. */
int trace_schema_version(void);

/* Open PATH read-only after the checks above.  Returns the connection, or
 * NULL with "PATH: why" in ERR. */
sqlite3 *trace_read_open(const char *path, char *err, size_t errlen);

/* The numbers /proc's global views are printed from (mm/proc_state.h)
 * just after event SEQ: the newest checkpoint at or before SEQ with the
 * state_delta of every later event up to SEQ applied.  Returns 1 with *V
 * (*N numbers, the caller frees it) and *LAYOUT (the caller frees it), 0
 * when the database has no checkpoint at or before SEQ (a run recorded
 * without the probe, or SEQ before the first process), -1 with "why" in
 * ERR for a SQLite error or a damaged row.  INFO gets the checkpoint's
 * event and the number of deltas applied. */
struct trace_state_info {
	long long checkpoint, deltas;
};
int trace_state_load(sqlite3 *db, long long seq, int64_t **v, size_t *n, char **layout, struct trace_state_info *info,
		     char *err, size_t errlen);

/* Feed FN the per-process views' records up to event SEQ (sim/view_record.h):
 * the newest checkpoint's views at or before SEQ, then the view_delta of
 * each later event up to SEQ, in order.  FN returns 0 to go on, else
 * that value ends the load.  Returns 1 when all were fed, 0 when there is
 * no such checkpoint, FN's non-zero value, or -1 with ERR for a SQLite
 * error.  INFO as trace_state_load's. */
typedef int (*trace_views_fn)(void *ctx, long long seq, const uint8_t *blob, size_t len);
int trace_views_load(sqlite3 *db, long long seq, trace_views_fn fn, void *ctx, struct trace_state_info *info, char *err,
		     size_t errlen);

#endif
