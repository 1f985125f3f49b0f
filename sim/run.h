/* sim/run.h - run one guest program on a fresh simulated machine: what
 * `mmsim run` does (tools/cmd_run.c parses the command line).
 *
 * PROGRAM is loaded by the host.  If it is not an existing host path and a
 * root is given, it is looked up inside the root as a guest path (a bare
 * name is searched in /bin, /usr/bin, /sbin, /usr/sbin of the root).  A
 * "#!" script (sim/binfmt_script.h) needs a root that holds it: its
 * interpreter is looked up inside the root and gets the script's guest path
 * (a host path's place in the root) as its script argument and AT_EXECFN.  The
 * guest gets ARGV (argv[0] as the user typed it) and a fixed environment
 * (PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin, HOME=/), never the
 * host's.
 */
#ifndef MMSIM_SIM_RUN_H
#define MMSIM_SIM_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/config.h"
#include "sim/oom_kill.h"

struct sim;

/* mmsim's own exit codes when the guest did not finish by itself */
#define RUN_EXIT_PANIC 123    /* the simulated kernel panicked (vm.panic_on_oom, or
			       * out of memory with nothing killable) */
#define RUN_EXIT_LIMIT 124    /* --max-insns reached (like timeout(1)) */
#define RUN_EXIT_DEADLOCK 125 /* every process blocked for good */
#define RUN_EXIT_ERROR 126    /* emulator error, or the program could not start */
#define RUN_EXIT_INTERRUPTED 130 /* Ctrl-C (SIGINT) with --trace: the database is finished */
#define RUN_INTERRUPTED_REASON "interrupted (SIGINT)" /* runs.finish_reason after Ctrl-C */

#define RUN_MAX_PROGRAMS 16
#define RUN_MAX_OOM_RULES 16

/* One program of a multi-program run (PROG ARGS ::: PROG ARGS ...). */
struct run_prog {
	const char *program;
	char **argv;
	int argc;
	bool set_oom_score_adj;   /* --oom-score-adj=N given for it */
	int oom_score_adj;
	uint64_t delay;           /* --delay=INSNS: starts when the machine has run that long */
};

struct run_options {
	struct sim_config cfg;
	const char *program;      /* host path (or guest path under cfg.root) */
	const uint8_t *image;     /* or: the program's bytes (then PROGRAM only names it) */
	size_t image_size;
	char **argv;              /* guest argv, argv[0] first */
	int argc;
	const char *trace_path;   /* --trace FILE.db, or NULL */
	const char *stdout_path;  /* --stdout FILE, or NULL: mmsim's stdout */
	const char *stderr_path;  /* --stderr FILE, or NULL: mmsim's stderr */
	const char *cmdline;      /* the whole command line, for the trace */
	bool json;                /* summary as one JSON object */
	bool quiet;               /* no summary */
	bool progress;            /* progress line on stderr (a terminal) */
	FILE *summary_out;        /* where the summary goes (stderr) */
	/* Several programs in one machine: PROGS[0] is PROGRAM/ARGV/ARGC
	 * (pid 1), the others start as pids 2, 3 ... in order.  NR_PROGS 0 or
	 * 1: one program.  The run ends when every program has exited; its
	 * status is the first program's. */
	struct run_prog progs[RUN_MAX_PROGRAMS];
	int nr_progs;
	/* --oom-score-adj PID_OR_COMM=N, applied whenever a process with that
	 * pid or command name appears (start, fork, exec) */
	struct oom_adj_rule oom_rules[RUN_MAX_OOM_RULES];
	int nr_oom_rules;
	bool force;               /* --force: replace an existing trace database */
	uint64_t sample_every;    /* --sample-every N (0: the default) */
	uint64_t checkpoint_every; /* --checkpoint-every N (0: TRACE_CHECKPOINT_EVERY) */
	struct trace *trace;      /* or: a sink made by the caller (replay, proc);
				   * ownership passes to run_program */
	void (*on_sim)(struct sim *s, void *ctx); /* called once the machine exists */
	void *on_sim_ctx;
	uint64_t interrupt_at;    /* re-executing a run stopped by Ctrl-C: stop it
				   * the same way at the first slice boundary at or
				   * after this many instructions (0: never) */
	bool *started;            /* or NULL: set true once the guest runs (false:
				   * the run failed in its setup, with a message) */
};

/* Run the program to completion.  Returns mmsim's exit status: the guest's
 * exit status (128+N when killed by signal N), or RUN_EXIT_*.  Setup errors
 * are one line on stderr and give 2 (bad input) or RUN_EXIT_ERROR. */
int run_program(const struct run_options *o);

struct sim;
struct task;
/* Load program P and start it as a new top-level process of S (whose
 * process table exists) with its own stdio, as the K-th program of a
 * multi-program run (O gives the seed; its program fields are ignored).
 * Returns 0 with *OUT (may be NULL), or -1 with ERR (*CODE 2 for a bad
 * program).  The scenario's `spawn` uses it too. */
int run_spawn(struct sim *s, const struct run_options *o, const struct run_prog *p, uint64_t k, struct task **out,
	      char *err, size_t errlen, int *code);

#endif
