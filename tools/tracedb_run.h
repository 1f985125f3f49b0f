/* tools/tracedb_run.h - a recorded run made runnable again: the runs row
 * of a trace database turned back into struct run_options (replay, proc),
 * after checking that the program and every input still has the SHA-256
 * the run recorded. */
#ifndef MMSIM_TOOLS_TRACEDB_RUN_H
#define MMSIM_TOOLS_TRACEDB_RUN_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "sim/run.h"

struct recorded_run {
	struct run_options o;
	char **argv;
	int argc;
	char **prog_argv;  /* runs.programs split; each program's argv points into it */
	int nprog_argv;
	char *program, *cwd, *config, *cmdline;
	int64_t events;   /* runs.events (NULL: -1) */
};

/* Load DB's run (PATH names it in messages, CMD the command) into RR and
 * change to the run's working directory.  With CHECK, refuse a program or
 * input whose SHA-256 changed or that is missing, saying which.  Returns 0,
 * or 2 after printing one line. */
int recorded_run_load(sqlite3 *db, const char *cmd, const char *path, bool check, struct recorded_run *rr);
void recorded_run_free(struct recorded_run *rr);

/* Hold back what a re-executed machine prints on stderr (its kernel log:
 * OOM reports, SIGSEGV reports, why a run stopped; the live run showed it
 * already) in a temporary file.  Returns the saved stderr, or -1 (nothing
 * held) with *HELD NULL.  release_stderr() gives stderr back and, with
 * SHOW, prints what was held (replay and proc show it when the
 * re-execution failed). */
int hold_stderr(FILE **held);
void release_stderr(int saved, FILE *held, bool show);

#endif
