/* tools/scenario.h - `mmsim scenario FILE`: a line-based script that drives
 * the kernel API and inspects state.  The whole interface between the
 * scenario engine (scenario.c, scenario_parse.c), its command files
 * (scenario_mm.c: pages, slab, /proc; scenario_mmu.c: MMU/TLB) and the CLI
 * (cmd_scenario.c).  The grammar is documented in docs/scenario.md.
 *
 * Execution model.  A script runs in two passes over the same lines:
 *   1. the CHECK pass (sc->checking == true): every line is tokenised and
 *      its command's run() is called to validate its arguments; no machine
 *      exists (sc->sim == NULL) and nothing may change state.  Any error is
 *      a syntax error: "file:line:col: message", exit status 2, and nothing
 *      has run.
 *   2. the RUN pass: the machine is built from the `config` lines (which must
 *      come before every other command) and each line runs for real.
 * Exit status: 0 all good; 1 some `expect` failed (the script continues
 * after a failed expectation); 2 a syntax error, or a script error found
 * while running (unknown or failed handle, unknown stat or cache name...),
 * which stops the script.
 *
 * Adding commands (how scenario_mmu.c plugs in).
 *   - Write `static int cmd_foo(struct scenario *sc, struct scn_args *a)`:
 *     parse every argument with the scn_* helpers below first (they print a
 *     column-accurate error and return SCN_ERROR), then
 *         if (sc->checking) return 0;
 *     then act on sc->sim and print results with scn_printf().  Return 0,
 *     or SCN_ERROR after printing a message with scn_error().
 *   - List it in a table terminated by {0}.  tools/meson.build compiles
 *     scenario_mmu.c only if it exists, and then adds -DHAVE_SCENARIO_MMU;
 *     that file must define all three of:
 *         const struct scenario_cmd scenario_mmu_cmds[];   ({0}-terminated)
 *         int scenario_mmu_stat(struct scenario *, const char *name,
 *                               long long *out, char *err, size_t errlen);
 *         int scenario_mmu_show(struct scenario *, const char *view,
 *                               char *err, size_t errlen);
 *     scenario_mmu_stat returns 0 and sets *out when NAME ("tlb.l1d.misses")
 *     is one of its stats, 1 when NAME's namespace is not its own, -1 with
 *     ERR when the namespace is its own but the name is unknown.
 *     scenario_mmu_show prints VIEW ("tlb") with scn_printf and returns 0,
 *     1 if VIEW is not its own, -1 with ERR on error.
 *   - Per-scenario state of scenario_mmu.c hangs off sc->mmu_state; set
 *     sc->mmu_state_free so the engine frees it before the sim.
 */
#ifndef MMSIM_TOOLS_SCENARIO_H
#define MMSIM_TOOLS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mm/gfp.h"
#include "sim/config.h"
#include "sim/sim.h"

#define SCN_ERROR 2          /* run() result: an error was printed; stop */
#define SCN_MAX_ARGS 32

/* One tokenised line.  Tokens are separated by blanks; '#' starts a
 * comment (outside an `echo` text); a token starting with '"' runs to the
 * closing '"' (blanks and '#' inside; \" escapes a quote).  argv[0] is the
 * command name. */
struct scn_args {
	int argc;
	char *argv[SCN_MAX_ARGS];
	int col[SCN_MAX_ARGS];   /* 1-based column of argv[i] */
	int end_col;             /* column just past the last token */
	const char *rest;        /* raw text after the command name (up to the end
				  * of the last token: print with "%.*s", rest_len) */
	int rest_len;
	int rest_col;
	int line;                /* 1-based line number */
};

/* A named handle: what an allocation command gave back. */
enum scn_handle_kind {
	SCN_H_PAGES,     /* alloc_pages: page + order */
	SCN_H_OBJECT,    /* kmem_cache_alloc: cache + obj */
	SCN_H_KMALLOC,   /* kmalloc/kzalloc/krealloc: obj + size */
	SCN_H_EXT,       /* defined by an extension; ext_kind says what */
};

/* The page allocator's path for an alloc_pages handle (alloc_path(H)):
 * the fast path (above the low watermark), the slow path that woke kswapd
 * and got a page without reclaim, direct reclaim (whatever came of it),
 * or a failure without direct reclaim (an atomic or NOWAIT request). */
enum scn_alloc_path { SCN_PATH_FAST, SCN_PATH_KSWAPD, SCN_PATH_DIRECT, SCN_PATH_FAILED };

struct page;
struct kmem_cache;

struct scn_handle {
	char name[64];
	enum scn_handle_kind kind;
	const char *ext_kind;    /* SCN_H_EXT: "vmalloc", "mm", ... (static string) */
	int line;                /* line that (re)defined it */
	const struct scenario_cmd *def_cmd; /* the command that defined it */
	bool failed;             /* the defining allocation failed */
	bool freed;              /* freed since */
	int freed_line;          /* line that freed it */
	/* SCN_H_PAGES */
	struct page *page;
	unsigned order;
	unsigned char alloc_path; /* how alloc_pages went: enum scn_alloc_path */
	/* SCN_H_OBJECT, SCN_H_KMALLOC */
	struct kmem_cache *cache;
	void *obj;
	size_t size;
	/* SCN_H_EXT */
	void *ext;
	uint64_t addr;
	int refs;                /* references this handle holds (get_page adds) */
};

struct scenario;

struct scenario_cmd {
	const char *name;
	const char *usage;       /* "alloc_pages NAME order=N [gfp=FLAGS] [node=N]" */
	const char *help;        /* one line */
	int (*run)(struct scenario *sc, struct scn_args *a);
};

struct scenario {
	struct sim *sim;         /* NULL in the check pass and before the first command */
	struct sim_config cfg;   /* from the `config` lines */
	struct trace *trace;     /* handed to sim_create (NULL = counters only) */
	const char *file;        /* script name for messages */
	const char *cmdline;     /* for the trace's runs table */
	int line;                /* current line */
	bool checking;           /* the check pass: validate only */
	bool quiet;              /* --quiet: only errors and failed expects */
	bool verbose;            /* --verbose: echo each line before running it */
	bool machine_used;       /* a non-config command has been seen */
	FILE *out;               /* normal output (stdout) */
	FILE *errf;              /* messages (stderr) */
	const char *errprefix;   /* before each message's "FILE:LINE": "mmsim scenario: " ("") */
	unsigned expects, expects_failed;
	unsigned long failures;  /* visible command failures (failed allocations,
				  * refused destroys); `expect_fail` watches it */
	const struct scenario_cmd *cur;  /* command being checked/run */
	int status;              /* exit status of the last scenario_run_text */
	struct scn_handle *handles;
	size_t nhandles, handles_cap;
	struct scn_var { char name[64]; long long value; } *vars;  /* `let` */
	size_t nvars, vars_cap;
	struct scn_questions *qs;  /* `question`/`criterion` lines (scenario_question.h) */
	void *task_state;        /* owned by scenario_task.c */
	void (*task_state_free)(struct scenario *sc);
	void *mmu_state;         /* owned by scenario_mmu.c */
	void (*mmu_state_free)(struct scenario *sc);
};

/* ---- engine (scenario.c) ---- */

/* Initialise SC for FILE (name used in messages), writing to OUT/ERRF.
 * TRACE (may be NULL) passes to the sim when it is built. */
void scenario_init(struct scenario *sc, const char *file, FILE *out, FILE *errf, struct trace *trace);
/* Check then run the script TEXT.  Returns the exit status (0, 1 or 2). */
int scenario_run_text(struct scenario *sc, const char *text);
/* Check the script TEXT (pass 1: parse every line, run nothing).  Returns
 * 0, or 2 after printing the first error (file:line:col). */
int scenario_check_text(struct scenario *sc, const char *text);
/* Read PATH ('-': standard input) whole.  Returns a NUL-terminated buffer
 * to free(), or NULL after printing why (cannot open, a directory, a read
 * error, a NUL byte: not a text file). */
char *scenario_read_file(struct scenario *sc, const char *path);
/* Read FILE and run it.  Returns the exit status; 2 if FILE is unreadable. */
int scenario_run_file(struct scenario *sc, const char *path);
/* Record the end of the run (trace_end_run with sc->status), free handles,
 * extension state and the sim, closing the trace.  Returns the
 * trace_close() result (0 or -1). */
int scenario_fini(struct scenario *sc);
/* Print every command's usage and help to F. */
void scenario_print_commands(FILE *f);

/* Look a stat up by dotted name, asking every provider.  Returns 0 and sets
 * *out, or -1 with ERR. */
int scenario_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen);

/* Note a visible command failure (a failed allocation, a refused
 * destroy): counts sc->failures, which `expect_fail CMD ...` checks. */
void scn_failure(struct scenario *sc);
/* Print to sc->out unless quiet. */
void scn_printf(struct scenario *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "file:line:col: message" to sc->errf, col being argv[ARGI]'s column
 * (ARGI == a->argc: the end of the line; ARGI < 0: column 1).  Returns
 * SCN_ERROR. */
int scn_error(struct scenario *sc, const struct scn_args *a, int argi, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Same, with an explicit byte offset OFF inside argv[ARGI]. */
int scn_error_at(struct scenario *sc, const struct scn_args *a, int argi, int off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* ---- argument helpers (scenario_parse.c); each prints its own error ---- */

/* Split LINE into A, the tokens going to BUF (strlen(LINE)+1 bytes) and
 * A->rest pointing into LINE.  Blanks separate tokens; a token starting
 * with '#' starts a comment.  Returns the token count, or -1 when there are
 * more than SCN_MAX_ARGS (A->end_col is then the column of the first one
 * dropped). */
int scn_tokenize(const char *line, char *buf, int lineno, struct scn_args *a);

/* Check MIN <= positional-and-keyword argument count (excluding argv[0]) <= MAX
 * (MAX < 0: no limit).  Returns 0 or SCN_ERROR quoting CMD's usage. */
int scn_nargs(struct scenario *sc, const struct scn_args *a, const struct scenario_cmd *cmd, int min, int max);
/* Index in argv of the N-th (1-based) positional argument (one without
 * "KEY="), or -1. */
int scn_pos(const struct scn_args *a, int n);
/* Index of the "KEY=..." argument, or -1.  *VAL (if not NULL) gets the text
 * after '='. */
int scn_kv(const struct scn_args *a, const char *key, const char **val);
/* Reject keyword arguments not in KEYS (NULL-terminated) and positional
 * arguments beyond NPOS.  Returns 0 or SCN_ERROR. */
int scn_only(struct scenario *sc, const struct scn_args *a, int npos, const char *const *keys);
/* Parse argv[ARGI] (from byte OFF on) as an unsigned number (decimal or
 * 0x hex; with K/M/G suffixes when SIZE is true) in [0, MAX]. */
int scn_u64(struct scenario *sc, const struct scn_args *a, int argi, int off, bool size, uint64_t max,
	    uint64_t *out);
/* Parse GFP flags "GFP_KERNEL|__GFP_ZERO" in argv[ARGI] from OFF; the error
 * column points at the bad flag. */
int scn_gfp(struct scenario *sc, const struct scn_args *a, int argi, int off, gfp_t *out);
/* Parse SLAB_* flags (or 0) the same way. */
int scn_slab_flags(struct scenario *sc, const struct scn_args *a, int argi, int off, unsigned *out);
/* Check argv[ARGI] is a valid handle name ([A-Za-z_][A-Za-z0-9_.-]*). */
int scn_name(struct scenario *sc, const struct scn_args *a, int argi);

/* ---- handles (scenario.c) ---- */

/* The handle named NAME (any kind and state), or NULL. */
struct scn_handle *scn_handle_find(struct scenario *sc, const char *name);
/* Define (or redefine) handle argv[ARGI] of KIND.  In the check pass it
 * only records the name.  In the run pass a handle still holding memory
 * cannot be redefined (error).  Returns the handle, or NULL after printing
 * an error. */
struct scn_handle *scn_handle_define(struct scenario *sc, const struct scn_args *a, int argi,
				     enum scn_handle_kind kind);
/* Handle argv[ARGI], which must be defined, of KIND (or any kind if KIND <
 * 0), and in the run pass neither failed nor freed.  Returns NULL after
 * printing an error.  In the check pass the returned handle only carries
 * its name and kind. */
struct scn_handle *scn_handle_get(struct scenario *sc, const struct scn_args *a, int argi, int kind);
/* For a command "NAME H" taking one argument: handle H of KIND, as
 * scn_handle_get.  Returns NULL when the command ends here, with *RC what
 * it returns: SCN_ERROR after an error, 0 in the check pass. */
struct scn_handle *scn_handle_arg(struct scenario *sc, const struct scn_args *a, int kind, int *rc);
/* Mark H freed by the command A (for "already freed at line N"). */
void scn_handle_freed(struct scn_handle *h, const struct scn_args *a);

/* ---- CLI entry points (argv[0] is the subcommand name) ---- */
int cmd_scenario(int argc, char **argv);   /* cmd_scenario.c */
int cmd_demo(int argc, char **argv);       /* cmd_demo.c */
void cmd_scenario_help(FILE *f);           /* the grammar, for --help */

/* ---- command tables ---- */
extern const struct scenario_cmd scenario_core_cmds[];   /* scenario.c */
extern const struct scenario_cmd scenario_mm_cmds[];     /* scenario_mm.c */
extern const struct scenario_cmd scenario_question_cmds[]; /* scenario_question.c */
extern const struct scenario_cmd scenario_task_cmds[];   /* scenario_task.c */
int scenario_task_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen);
/* Free what scenario_question.c recorded (scenario_fini calls it). */
void scn_questions_free(struct scenario *sc);
int scenario_mm_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen);
int scenario_mm_show(struct scenario *sc, const char *view, char *err, size_t errlen);
extern const struct scenario_cmd scenario_zone_cmds[];   /* scenario_zone.c */
/* Classify an allocation from the vm events before (W0 kswapd wakeups, S0
 * allocation stalls) and after it, and whether it got a page. */
enum scn_alloc_path scn_alloc_path_of(struct memsys *m, unsigned long w0, unsigned long s0, bool ok);
/* The kswapd wakeups and the allocation stalls (every zone) so far. */
void scn_alloc_counters(struct memsys *m, unsigned long *wakeups, unsigned long *stalls);
extern const struct scenario_cmd scenario_proc_cmds[];   /* scenario_proc.c */
int scenario_proc_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen);
int scenario_proc_show(struct scenario *sc, const char *view, char *err, size_t errlen);
/* Free the processes the script made (before the sim goes). */
void scenario_proc_free(struct scenario *sc);
#ifdef HAVE_SCENARIO_MMU
extern const struct scenario_cmd scenario_mmu_cmds[];    /* scenario_mmu.c */
int scenario_mmu_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen);
int scenario_mmu_show(struct scenario *sc, const char *view, char *err, size_t errlen);
/* For scenario_refs.c (the `refs` command): the mm handle argv[I] (as the
 * MMU commands take it; non-NULL only in the check pass), and a demand
 * fault: map a fresh zeroed frame at VA's 4 KiB page in MM (user, rw,
 * executable), freed at teardown.  Returns 0 with *PFN, or -1 (out of
 * simulated memory, or a page of another size is there). */
struct mm_struct *scn_mmu_get_mm(struct scenario *sc, const struct scn_args *a, int i);
int scn_mmu_demand_page(struct scenario *sc, const struct scn_args *a, struct mm_struct *mm, uint64_t va,
			uint64_t *pfn);
/* Is VA mapped in MM?  And an eviction: clear the 4 KiB PTE of VA in MM,
 * free its frame, flush_tlb_page.  Returns 0, or -1 when VA has no 4 KiB
 * mapping. */
bool scn_mmu_mapped(struct scenario *sc, struct mm_struct *mm, uint64_t va);
int scn_mmu_evict_page(struct scenario *sc, const struct scn_args *a, struct mm_struct *mm, uint64_t va);
int cmd_refs_replay(struct scenario *sc, struct scn_args *a);   /* scenario_refs.c */
#endif

#endif
