/* sim/pid_views.h - /proc/PID/status and smaps printed from plain numbers.
 *
 * The guest's /proc (sim/procfs.c) gathers these numbers from a live task
 * and prints them; `mmsim proc --at SEQ status|smaps PID` prints the same
 * numbers rebuilt from a trace database (sim/view_shadow.c).  Both go
 * through the printers here, so the two texts cannot drift apart.
 */
#ifndef MMSIM_SIM_PID_VIEWS_H
#define MMSIM_SIM_PID_VIEWS_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/view_log.h"

struct sim;
struct task;
struct strbuf;
struct mm_struct;
struct vm_area_struct;

/* What /proc/PID/status prints, by index (PS_COMM: TASK_COMM_LEN bytes in
 * PS_COMM_WORDS elements). */
enum pid_status_field {
	PS_MM_SERIAL, /* the task's mm (mm_struct.serial), 0: none */
	PS_UMASK, PS_STATE, PS_TGID, PS_PID, PS_PPID, PS_FDSIZE, PS_PGID, PS_SID,
	PS_TOTAL_VM, PS_HIWATER_VM, PS_LOCKED_VM, PS_HIWATER_RSS, PS_RSS_ANON, PS_RSS_FILE, PS_RSS_SHMEM,
	PS_DATA_VM, PS_STACK_VM, PS_EXEC_VM, PS_START_CODE, PS_END_CODE, PS_NR_PTES, PS_SWAPENTS,
	PS_THREADS, PS_SIGQ, PS_SIGQ_MAX, PS_SIGPND, PS_SIGBLK, PS_SIGIGN, PS_SIGCGT, PS_NVCSW, PS_NIVCSW,
	PS_COMM,
	PID_STATUS_N = PS_COMM + 2
};

/* SigIgn/SigCgt of a sighand_struct generation (sighand_changed), kept by
 * a caller that gathers the same task often. */
struct pid_sig_cache {
	uint32_t gen;
	bool valid;
	int64_t ign, cgt;
};

/* Fill V (PID_STATUS_N elements) from P as /proc/PID/status would show it
 * now; CACHE (or NULL) saves recomputing the signal masks while P's
 * actions keep their generation.  Reads only: no counter is synchronised. */
void pid_status_gather(struct sim *s, const struct task *p, int64_t *v, struct pid_sig_cache *cache);

/* /proc/PID/status from V into SB. */
void pid_status_print(const int64_t *v, struct strbuf *sb);

/* V's /proc/PID/maps line (with the newline) into SB. */
void pid_maps_line(struct strbuf *sb, const struct mm_struct *mm, const struct vm_area_struct *v);

/* One VMA's (or, summed, a process's) smaps figures; *_x in 1/4096 kB
 * steps of a page's proportional share. */
struct smaps_acc {
	unsigned long rss, sh_clean, sh_dirty, pr_clean, pr_dirty, anon, swap;
	unsigned long pss_x, pss_dirty_x, pss_anon_x, pss_file_x, pss_shmem_x, swap_pss_x, locked_x;
};

/* Add one page of a VMA whose PTE is PTEVAL (0: none) to A.  For a present
 * PTE, MAPCOUNT and KIND are those of the page it maps (MAPCOUNT 0: no
 * normal page, e.g. the zero page, which smaps does not count); for a swap
 * PTE, SWAPCOUNT is its slot's count; for a none PTE of a shmem mapping,
 * HOLE_SWAPPED says whether the file's page there is in swap. */
void smaps_add_page(struct smaps_acc *a, uint64_t pteval, int mapcount, enum smaps_page_kind kind, int swapcount,
		    bool hole_swapped);

/* The smaps lines after a VMA's maps line ("Size:" to "VmFlags:"). */
void smaps_print(struct strbuf *sb, uint64_t start, uint64_t end, unsigned long long vm_flags,
		 const struct smaps_acc *a);

/* Add a VMA's figures V to the process's TOTAL (LOCKED: a VM_LOCKED VMA). */
void smaps_acc_add(struct smaps_acc *total, const struct smaps_acc *v, bool locked);

/* /proc/PID/smaps_rollup of a process whose VMAs span [START, END) and sum
 * to TOTAL. */
void smaps_rollup_print(struct strbuf *sb, uint64_t start, uint64_t end, const struct smaps_acc *total);

#endif
