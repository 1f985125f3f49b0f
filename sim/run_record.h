/* sim/run_record.h - what `mmsim run --trace` records beside the events:
 * the runs row's inputs (program, argv, environment, working directory,
 * SHA-256 of the program, of stdin and of every file the guest reads under
 * --root), periodic samples (vmstat, meminfo, zones, buddy lists, per-process
 * RSS and swap, MMU counters) every SAMPLE_EVERY guest instructions, the VMA
 * and instruction of every fault, the final counters, the rendered summary,
 * and how the run finished.  It also turns Ctrl-C (SIGINT) into a clean stop
 * of the run ("interrupted"), so the database is finished either way.
 *
 * Everything here only reads the machine: a run records the same events
 * whether or not it is sampled.
 */
#ifndef MMSIM_SIM_RUN_RECORD_H
#define MMSIM_SIM_RUN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capstone/capstone.h>

struct sim;
struct vfs;

#define RUN_SAMPLE_EVERY_DEFAULT 1000000ULL /* guest instructions between samples */

struct run_record_vma;

struct run_record {
	struct sim *s;
	uint64_t sample_every;       /* 0: no samples */
	uint64_t next_sample;
	void (*chain)(struct sim *s, void *ctx); /* the slice hook this one wraps */
	void *chain_ctx;
	struct run_record_vma *vmas; /* interned VMAs (open addressing) */
	size_t nvmas, vma_cap;
	uint64_t *rips;              /* RIPs already in insns (open addressing, 0 = free) */
	size_t nrips, rip_cap;
	csh cs;
	bool cs_ok;
	bool sigint_installed;
	struct proc_state *pstate;   /* the trace's state probe (mm/proc_state.h) */
	struct view_record *vrec;    /* its per-process views (sim/view_record.h) */
	uint64_t slice_insns;        /* the instruction count at the last slice boundary */
	uint64_t interrupt_at;       /* stop as Ctrl-C did at the first slice boundary
				      * at or after this many instructions (0: never);
				      * set after run_record_begin */
};

/* Start recording S's run (S->trace must have a database, else nothing is
 * done; S->procs and its vfs must exist).  ARGV/ENV are the guest's.
 * Installs the vfs read hook, the annotator, the slice hook (samples,
 * Ctrl-C) and the SIGINT handler.  Returns 0 or -1 (the trace's error). */
int run_record_begin(struct run_record *r, struct sim *s, char *const *argv, int argc, const char *const *env,
		     int envc, uint64_t sample_every);

/* Record the program: PROGRAM as given, CANON the path the guest sees,
 * IMAGE/SIZE its bytes; BUILTIN when they are built into mmsim (`mmsim
 * demo`: no host file, so inputs.host_path is NULL and replay finds the
 * bytes by PROGRAM's name).  Returns 0 or -1. */
int run_record_program(struct run_record *r, const char *program, const char *canon, const uint8_t *image,
		       size_t size, bool builtin);

struct run_options;
/* Record a multi-program run's programs (runs.programs: each program's
 * per-program options, path and argv) and the --oom-score-adj rules
 * (runs.oom_rules); see sim/run_record_progs.c.  Returns 0 or -1. */
int run_record_programs(struct sim *s, const struct run_options *o);

/* Record program 2, 3... of a multi-program run as an input (its SHA-256).
 * Returns 0 or -1. */
int run_record_extra_program(struct sim *s, const char *program, const char *canon, const uint8_t *image,
			     size_t size);

/* Record the --stdin file's bytes.  Returns 0 or -1. */
int run_record_stdin(struct run_record *r, const char *path, const uint8_t *data, size_t size);

/* Finish: a last sample, the final counters, instructions, the end time
 * and the finish reason: REASON (why the run stopped early), or from init's
 * wait status WS ("exited with status N", "killed by signal N (SIGSEGV)").
 * Returns 0 or -1. */
int run_record_end(struct run_record *r, const char *reason, int ws);

/* Store the summary as printed (text and JSON).  Returns 0 or -1. */
int run_record_summary(struct run_record *r, const char *text, const char *json);

/* Undo the hooks and free R's tables (safe on a zeroed R). */
void run_record_free(struct run_record *r);

/* True once Ctrl-C asked the run to stop (and the reason was set). */
bool run_record_interrupted(void);

/* SHA-256 of DATA as 64 hex digits in HEX (size >= 65). */
void sha256_hex(const uint8_t *data, size_t size, char *hex);

#endif
