/* sim/summary.h - the end-of-run report of `mmsim run`, in the manner of
 * `perf stat` (text) or as one JSON object (--json).
 *
 * Both contain: exit code, instructions and simulated time, faults by kind
 * (minor/major and mmsim's anon/zero/file/cow/invalid split), TLB loads and
 * misses per level with miss rates, page walks, COW copies, each process
 * (pid, comm, exit status - or its state if it was still alive when the
 * run ended - min_flt, maj_flt, cow_faults, peak RSS kB), the
 * /proc/vmstat counters that moved during the run (name: increase), and the
 * unknown system calls.  Numbers only come from simulated state, so the
 * same run gives the same bytes.
 */
#ifndef MMSIM_SIM_SUMMARY_H
#define MMSIM_SIM_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

struct sim;
struct strbuf;

/* Snapshot of /proc/vmstat values at the start of the run. */
struct vmstat_snap {
	int n;
	char (*name)[48];
	long long *val;
};
/* Take a snapshot.  Returns 0 or -1 (no memory). */
int vmstat_snapshot(struct sim *s, struct vmstat_snap *out);
void vmstat_snap_free(struct vmstat_snap *v);

struct summary_info {
	const char *command;      /* "PROGRAM ARGS" as shown in the title */
	int exit_code;            /* mmsim's exit status */
	int wait_status;          /* init's wait status, -1 if it did not exit */
	const char *stop_reason;  /* NULL, or why the run stopped early */
	const struct vmstat_snap *start;
};

void summary_print_text(struct sim *s, const struct summary_info *si, FILE *out);
void summary_print_json(struct sim *s, const struct summary_info *si, FILE *out);

/* JSON string escaping (RFC 8259) of STR into OUT. */
void json_put_string(FILE *out, const char *str);

#endif
