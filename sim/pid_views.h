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

/* Fill V (PID_STATUS_N elements) from P as /proc/PID/status would show it
 * now.  Reads only: no counter is synchronised. */
void pid_status_gather(struct sim *s, const struct task *p, int64_t *v);

/* /proc/PID/status from V into SB. */
void pid_status_print(const int64_t *v, struct strbuf *sb);

/* V's /proc/PID/maps line (with the newline) into SB. */
void pid_maps_line(struct strbuf *sb, const struct mm_struct *mm, const struct vm_area_struct *v);

/* One VMA's smaps figures, summed page by page (smaps_add_page). */
struct smaps_acc {
	unsigned long rss, pss_x, sh_clean, sh_dirty, pr_clean, pr_dirty, anon, swap, swap_pss_x;
};

/* Add one page of a VMA whose PTE is PTEVAL (0: none) to A.  FILE_VMA:
 * the VMA maps a file.  MAPCOUNT: of the page a present PTE maps;
 * SWAPCOUNT: of the slot a swap PTE names; HOLE_SWAPPED: for a none PTE
 * of a file VMA, whether the shmem file's page there is in swap. */
void smaps_add_page(struct smaps_acc *a, uint64_t pteval, bool file_vma, int mapcount, int swapcount,
		    bool hole_swapped);

/* The smaps lines after a VMA's maps line ("Size:" to "VmFlags:"). */
void smaps_print(struct strbuf *sb, uint64_t start, uint64_t end, unsigned long long vm_flags,
		 const struct smaps_acc *a);

#endif
