/* traces/trace.h - the event sink: the whole interface of traces/.
 *
 * Every state change in the simulator is one struct trace_event handed to
 * trace_emit().  A sink has two backends: "none" (per-type counters only) and
 * SQLite (prepared statements, batched transactions, WAL).  The emitter fills
 * only the fields that mean something for the event type; the sink stamps
 * seq, and time/pid from the sink's current clock (trace_set_clock) unless the
 * emitter set TRACE_EV_HAS_TIME.
 *
 * Layering: traces/ is the lowest layer; it includes no other mmsim header.
 */
#ifndef MMSIM_TRACES_TRACE_H
#define MMSIM_TRACES_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Event types.  The numeric value is stored in the database; names are
 * stored in the event_types table.  Append only: never renumber. */
#define TRACE_EVENT_TYPES(X)                                                  \
	X(RUN_START, 0)       /* detail: config string */                          \
	X(RUN_END, 1)         /* value: exit status */                             \
	X(ALLOC_PAGES, 2)     /* pfn, order, zone, gfp */                          \
	X(FREE_PAGES, 3)      /* pfn, order, zone */                               \
	X(ALLOC_FAIL, 4)      /* order, gfp, detail: reason */                     \
	X(WAKEUP_KSWAPD, 5)   /* zone, order */                                    \
	X(DIRECT_RECLAIM, 6)  /* zone, order, value: pages reclaimed */            \
	X(BAD_PAGE, 7)        /* pfn, detail: what was wrong (e.g. put on free) */ \
	X(SLAB_ALLOC, 8)      /* cache, addr, size */                              \
	X(SLAB_FREE, 9)       /* cache, addr */                                    \
	X(SLAB_NEW, 10)       /* cache, pfn, order: a new slab page */             \
	X(SLAB_DISCARD, 11)   /* cache, pfn, order: slab page given back */        \
	X(SLAB_ERROR, 12)     /* cache, addr, detail: poison/redzone/double free */\
	X(KMALLOC, 13)        /* addr, size (requested), value: allocated size */  \
	X(KFREE, 14)          /* addr */                                           \
	X(CACHE_CREATE, 15)   /* cache, size, value: object size incl. metadata */ \
	X(CACHE_DESTROY, 16)  /* cache */                                          \
	X(PGTABLE_ALLOC, 17)  /* pfn, value: level */                              \
	X(PGTABLE_FREE, 18)   /* pfn, value: level */                              \
	X(TLB_MISS, 19)       /* addr, value: access, detail: level missed */      \
	X(WALK, 20)           /* addr, pfn (result), value: refs, detail */        \
	X(TLB_FLUSH, 21)      /* addr (or 0 for all), detail: kind */              \
	X(VMALLOC, 22)        /* addr, size */                                     \
	X(VFREE, 23)          /* addr, size */                                     \
	X(PAGE_FAULT, 24)     /* addr, ip, value: x86 error code, detail: kind */  \
	X(MAP, 25)            /* addr, size, detail */                             \
	X(UNMAP, 26)          /* addr, size */                                     \
	X(CR3_SWITCH, 27)     /* value: new pcid, pfn: pgd */                      \
	X(SIGNAL, 28)         /* addr, ip, value: signo, detail */                 \
	X(FORK, 29)           /* value: child pid */                               \
	X(EXEC, 30)           /* detail: path */                                   \
	X(EXIT, 31)           /* value: exit status */                             \
	X(SYSCALL, 32)        /* value: nr, size: return value, detail: name */    \
	X(COW, 33)            /* addr, pfn: new page */                            \
	X(SCHED, 34)          /* value: next pid */                                \
	X(VMA, 35)            /* addr, size, detail: op and flags */                 \
	X(RECLAIM, 36)        /* zone: node, order: priority, size: scanned,     \
				 value: reclaimed, detail: kswapd/direct/drop */    \
	X(KSWAPD, 37)         /* zone: node, order, pfn: zone index, value: its  \
				 free pages, addr: its low and size: its high      \
				 watermark, detail: wake/nap/sleep */               \
	X(SWAP_OUT, 38)       /* pfn, value: swap offset */                        \
	X(SWAP_IN, 39)        /* pfn, addr, value: swap offset, detail:           \
				 fault/readahead */                                 \
	X(REFAULT, 40)        /* pfn, value: refault distance, size: workingset \
				 size, detail: anon/file + activate */              \
	X(LRU_MOVE, 41)       /* pfn, value: list, detail: add/activate/... */  \
	X(OOM_KILL, 42)       /* value: victim pid, order, gfp, size: pages     \
				 reaped, detail: "pid:comm:badness" of every    \
				 candidate ("never" for -1000 / unkillable) */

enum trace_event_type {
#define TRACE_ENUM(name, num) TEV_##name = num,
	TRACE_EVENT_TYPES(TRACE_ENUM)
#undef TRACE_ENUM
	TEV__COUNT
};

/* Trace levels: what gets emitted.  The none backend still counts. */
enum trace_level {
	TRACE_LEVEL_NONE = 0,   /* count only (also after trace_end_run) */
	TRACE_LEVEL_EVENTS = 1, /* allocation, fault, process events */
	TRACE_LEVEL_TLB = 2,    /* plus every TLB miss and walk */
};

#define TRACE_EV_HAS_TIME 0x1 /* time/pid set by the emitter */

/* One event.  Unused integer fields are left 0 by a zero initialiser and
 * stored as NULL when the type does not use them (see docs/trace-schema.md). */
struct trace_event {
	uint64_t seq;           /* stamped by the sink */
	uint64_t time;          /* guest instructions */
	int32_t pid;
	uint16_t type;          /* enum trace_event_type */
	uint16_t flags;         /* TRACE_EV_* */
	int32_t zone;           /* zone index, -1 none */
	int32_t order;          /* -1 none */
	int64_t pfn;            /* -1 none */
	uint64_t addr;
	uint64_t ip;
	uint64_t size;
	uint32_t gfp;
	int64_t value;
	const char *cache;      /* slab cache name or NULL */
	const char *detail;     /* free text or NULL */
};

/* Initialise an event of TYPE with every "none" field set to its none value. */
static inline struct trace_event trace_event_init(enum trace_event_type type)
{
	struct trace_event ev = {0};
	ev.type = (uint16_t)type;
	ev.zone = -1;
	ev.order = -1;
	ev.pfn = -1;
	return ev;
}

struct trace;

/* Return a counters-only sink. Never fails (aborts only on out of memory). */
struct trace *trace_open_none(void);

/* Open (create or truncate) a SQLite trace database at PATH.
 * Returns NULL and writes a one-line message to ERR on failure. */
struct trace *trace_open_sqlite(const char *path, char *err, size_t errlen);

/* Create a trace database at PATH for a command (`--trace`): like
 * trace_open_sqlite, but an existing PATH is refused ("exists; --force
 * replaces it") unless FORCE.  Returns NULL with a one-line ERR. */
struct trace *trace_create_sqlite(const char *path, bool force, char *err, size_t errlen);

/* Called with every event that a database would store (level-filtered,
 * seq, time and pid stamped), in order. */
typedef void (*trace_observer_fn)(void *ctx, const struct trace_event *ev);

/* A sink that stores nothing but numbers events exactly as a database
 * would and hands each to FN (replay's comparison, proc --at).  Never
 * fails (aborts on out of memory). */
struct trace *trace_open_observer(trace_observer_fn fn, void *ctx);

/* Called for each stored event of a type that has an ip (page_fault,
 * signal) before it is stored; returns the id of the VMA (trace_add_vma)
 * the event's address lies in, or 0 for none.  The upper layer uses it to
 * record the VMA and the instruction (trace_add_insn). */
typedef int64_t (*trace_annotate_fn)(void *ctx, const struct trace_event *ev);
void trace_set_annotator(struct trace *t, trace_annotate_fn fn, void *ctx);

/* The machine-state probe (mm/proc_state.h): FN writes the numbers /proc's
 * global views are printed from into BUF (room for CAP) and returns how
 * many there are (0: none available); element 0 changes whenever their
 * meaning does.  LAYOUT_FN names what they mean.  With a database, every
 * stored event gets the change since the previous one (events.state_delta)
 * and every TRACE_CHECKPOINT_EVERY events, and whenever the meaning
 * changes, the whole vector is stored (checkpoints), so that `mmsim proc
 * --at` can rebuild any moment without re-running.  FN NULL: none. */
typedef size_t (*trace_state_fn)(void *ctx, int64_t *buf, size_t cap);
typedef const char *(*trace_state_layout_fn)(void *ctx);
void trace_set_state_probe(struct trace *t, trace_state_fn fn, trace_state_layout_fn layout_fn, void *ctx);
/* The per-process views' probe (sim/view_record.c): called with each
 * stored event after the state probe; FULL (at a checkpoint): the whole
 * state, else the changes since the previous call.  Returns a blob of *LEN
 * bytes valid until the next call, or NULL (nothing). */
typedef const uint8_t *(*trace_view_fn)(void *ctx, bool full, size_t *len);
void trace_set_view_probe(struct trace *t, trace_view_fn fn, void *ctx);
#define TRACE_CHECKPOINT_EVERY 32768
/* Store a checkpoint every N events (0: TRACE_CHECKPOINT_EVERY). */
void trace_set_checkpoint_every(struct trace *t, uint64_t n);

/* Rows beside the events (no-ops returning 0 without a database).  Each
 * joins the open batch; -1 on a database error (trace_error). */
int trace_add_vma(struct trace *t, int64_t id, int32_t pid, uint64_t start, uint64_t end, const char *line);
int trace_add_insn(struct trace *t, uint64_t addr, const uint8_t *bytes, size_t len, const char *text);
int trace_add_input(struct trace *t, const char *kind, const char *path, const char *host_path, uint64_t size,
		    const char *sha256);
/* One sample at guest time TIME: KIND ("vmstat", "meminfo", "buddy",
 * "proc", "tlb"...), PID or -1, ZONE or NULL, ORDER or -1, NAME, VALUE. */
int trace_add_sample(struct trace *t, uint64_t time, const char *kind, int32_t pid, const char *zone, int order, const char *name,
		     int64_t value);
/* Final value of a counter (counters table; replaced if NAME repeats). */
int trace_set_counter(struct trace *t, const char *name, int64_t value);
/* Set a column of the runs row (after trace_begin_run). */
int trace_run_set_text(struct trace *t, const char *column, const char *value);
int trace_run_set_int(struct trace *t, const char *column, int64_t value);
/* An event as the events table stores it: the integer columns seq, time,
 * pid, type, zone, order, pfn, addr, ip, size, gfp, value (NULL where
 * null[i]) and the two text columns (NULL pointers for NULL). */
enum { TRACE_ROW_INTS = 12 };
struct trace_row {
	int64_t v[TRACE_ROW_INTS];
	bool null[TRACE_ROW_INTS];
	const char *cache, *detail;
};
/* Fill ROW from stamped event EV by the NULL rule of docs/trace-schema.md. */
void trace_event_row(const struct trace_event *ev, struct trace_row *row);
/* ROW as one line "seq=5 time=0 pid=1 alloc_pages zone=0 order=- ..." into
 * BUF (replay's comparison and its divergence report). */
void trace_row_format(const struct trace_row *row, char *buf, size_t len);

/* Ask the run feeding T to stop at its next slice boundary (an observer
 * that has seen what it needs), and read the request. */
void trace_request_stop(struct trace *t);
bool trace_stop_requested(const struct trace *t);
/* True if T stores or observes events (a database or an observer). */
bool trace_is_recording(const struct trace *t);

/* Last stamped seq (0 before the first stored event). */
uint64_t trace_last_seq(const struct trace *t);
/* True if T stores events in a database. */
bool trace_has_db(const struct trace *t);

/* Record the run: configuration text and command line, tool version.
 * Returns 0, or -1 on a database error (message via trace_error). */
int trace_begin_run(struct trace *t, const char *config, const char *cmdline);

/* Record the end of the run: a RUN_END event (value STATUS) and, in a
 * database, finished=1, exit_status and the event count in the runs row;
 * commits.  Later events (e.g. the machine's teardown) are only counted.
 * Returns 0, or -1 on a database error. */
int trace_end_run(struct trace *t, int status);

/* Set the clock and current pid stamped into subsequent events. */
void trace_set_clock(struct trace *t, uint64_t time, int32_t pid);
/* The clock and pid trace_set_clock last set, into *TIME and *PID. */
void trace_get_clock(const struct trace *t, uint64_t *time, int32_t *pid);

/* Current level (events above it are dropped but counted). */
void trace_set_level(struct trace *t, enum trace_level level);
enum trace_level trace_get_level(const struct trace *t);

/* Emit one event.  Never fails visibly: a database error is remembered
 * (trace_error) and later events are still counted. */
void trace_emit(struct trace *t, const struct trace_event *ev);

/* Hot-path support (traces/trace_fast.c).  A sink that stores no events
 * (the none backend) only counts them, so the hottest emitters (the page
 * and slab allocators) may bump the count themselves instead of building an
 * event for trace_emit(): this returns T's per-type counter array
 * (TEV__COUNT entries, the ones trace_count() reads) when T stores nothing,
 * and NULL when events must go through trace_emit().  The answer is fixed
 * for T's whole life, so a caller may keep it. */
uint64_t *trace_counters_if_count_only(struct trace *t);

/* Number of events of TYPE emitted so far (all backends). */
uint64_t trace_count(const struct trace *t, enum trace_event_type type);

/* Commit the open batch now.  Returns 0 or -1. */
int trace_flush(struct trace *t);

/* Name of an event type ("alloc_pages"), or "unknown". */
const char *trace_event_name(unsigned type);

/* Last error message, or NULL. */
const char *trace_error(const struct trace *t);

/* Commit, close and free.  Returns 0, or -1 if any database error happened. */
int trace_close(struct trace *t);

#endif
