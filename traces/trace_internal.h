/* traces/trace_internal.h - what the sink core (trace.c) shares with its
 * backends (sqlite_sink.c) and the schema tables (schema.c).  Not part of
 * the interface: nothing outside traces/ includes it. */
#ifndef MMSIM_TRACES_TRACE_INTERNAL_H
#define MMSIM_TRACES_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "traces/trace.h"

#define TRACE_SCHEMA_VERSION 5
#define TRACE_BATCH 10000      /* events per SQLite transaction */
#define TRACE_APPLICATION_ID 0x6d6d7369 /* PRAGMA application_id: "mmsi" */

/* Field bits for trace_event_fields(). */
enum {
	F_ZONE = 1 << 0, F_ORDER = 1 << 1, F_PFN = 1 << 2, F_ADDR = 1 << 3, F_IP = 1 << 4,
	F_SIZE = 1 << 5, F_GFP = 1 << 6, F_VALUE = 1 << 7, F_CACHE = 1 << 8, F_DETAIL = 1 << 9,
};

struct sqlite3;
struct sqlite3_stmt;

/* The SQLite backend's state (sqlite_sink.c, sqlite_aux.c). */
struct trace_backend {
	struct sqlite3 *db;
	struct sqlite3_stmt *ins;
	struct sqlite3_stmt *aux[8];  /* sqlite_aux.c's statements, prepared on first use */
	unsigned in_batch;            /* events in the open transaction */
	bool in_txn;
	int64_t run_id;               /* 0: no run row */
};

/* The machine-state probe and its last two vectors (trace_set_state_probe). */
struct trace_state {
	trace_state_fn fn;             /* or NULL */
	trace_state_layout_fn layout_fn;
	void *ctx;
	int64_t *cur, *prev;           /* [cap] each */
	size_t n, cap;                 /* n: length of prev (0: no checkpoint yet) */
	uint8_t *buf;                  /* encoding buffer, state_max_bytes(cap) * 2 */
	uint64_t last_checkpoint;      /* seq of the last checkpoint */
	uint64_t every;                /* checkpoint interval (0: TRACE_CHECKPOINT_EVERY) */
	trace_view_fn view_fn;         /* the per-process views' probe, or NULL */
	void *view_ctx;
};

struct trace {
	uint64_t counts[TEV__COUNT];
	uint64_t unknown;              /* events with an out-of-range type */
	uint64_t seq;                  /* last stamped seq (stored events) */
	uint64_t time;
	int32_t pid;
	enum trace_level level;
	struct trace_backend *db;      /* NULL: counters only */
	trace_observer_fn observer;    /* or NULL */
	void *observer_ctx;
	bool stop_requested;           /* trace_request_stop */
	trace_annotate_fn annotate;    /* or NULL */
	void *annotate_ctx;
	struct trace_state state;      /* the machine-state probe (sqlite_sink.c) */
	char err[512];
	bool has_err;
};

extern const uint8_t trace_type_level[TEV__COUNT];
extern const char *const trace_schema_sql;
unsigned trace_event_fields(unsigned type);

/* Record the first error of T ("trace: ..."); later ones are dropped. */
void trace_set_error(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A zeroed trace at TRACE_LEVEL_EVENTS, or NULL (out of memory). */
struct trace *trace_alloc(void);

/* SQLite backend (sqlite_sink.c). */
void trace_db_emit(struct trace *t, const struct trace_event *ev);
int trace_db_flush(struct trace *t);
int trace_db_begin_run(struct trace *t, const char *config, const char *cmdline);
int trace_db_end_run(struct trace *t, int status);
int trace_db_close(struct trace *t);
/* Run SQL (errors recorded).  Returns 0 or -1. */
int trace_db_exec(struct trace *t, const char *sql);
/* Open a transaction unless one is open.  Returns 0 or -1. */
int trace_db_begin(struct trace *t);
/* Store the checkpoint row (seq, layout, full state, the per-process
 * views' full state VIEWS or NULL) (sqlite_aux.c).  Returns 0 or -1
 * (recorded). */
int trace_db_checkpoint(struct trace *t, uint64_t seq, const char *layout, const uint8_t *blob, size_t len,
			const uint8_t *views, size_t views_len);
/* The events.state_delta and view_delta of the event being stored: sets
 * *BLOB, *LEN and *VBLOB, *VLEN (NULL, 0 for none) and stores a checkpoint
 * when one is due (state_probe.c). */
void trace_state_step(struct trace *t, uint64_t seq, const uint8_t **blob, size_t *len, const uint8_t **vblob,
		      size_t *vlen);
/* Free the probe's buffers. */
void trace_state_free(struct trace *t);

#endif
