/* sim/pid_views.c - /proc/PID/status and smaps from plain numbers (see
 * sim/pid_views.h): gathered from a live task by the guest's /proc, or
 * rebuilt from a trace database by `mmsim proc --at`. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/proc.h"
#include "mm/swapfile.h"
#include "mmu/pgtable.h"
#include "sim/pid_views.h"
#include "sim/sys_internal.h"

static const char *const state_names[] = { "R (running)", "S (sleeping)", "Z (zombie)", "X (dead)", "T (stopped)" };

/* The index in state_names of T's state. */
static int64_t state_index(const struct task *t)
{
	if (t->stopped && t->state < EXIT_ZOMBIE)
		return 4;
	switch (t->state) {
	case TASK_RUNNING: return 0;
	case TASK_INTERRUPTIBLE: return 1;
	case EXIT_ZOMBIE: return 2;
	default: return 3;
	}
}

void pid_status_gather(struct sim *s, const struct task *p, int64_t *v, struct pid_sig_cache *cache)
{
	const struct mm_struct *mm = p->mm;
	memset(v, 0, PID_STATUS_N * sizeof *v);
	v[PS_UMASK] = p->fs->umask;
	v[PS_STATE] = state_index(p);
	v[PS_TGID] = p->tgid;
	v[PS_PID] = p->pid;
	v[PS_PPID] = p->group_leader->ppid;
	v[PS_FDSIZE] = p->files ? p->files->max_fds : 0;
	v[PS_PGID] = p->pgid;
	v[PS_SID] = p->sid;
	if (mm) {
		v[PS_MM_SERIAL] = mm->serial ? (int64_t)mm->serial : -1;
		v[PS_TOTAL_VM] = (int64_t)mm->total_vm;
		v[PS_HIWATER_VM] = (int64_t)mm->hiwater_vm;
		v[PS_LOCKED_VM] = (int64_t)mm->locked_vm;
		v[PS_HIWATER_RSS] = (int64_t)mm->hiwater_rss;
		v[PS_RSS_ANON] = (int64_t)mm->rss_anon;
		v[PS_RSS_FILE] = (int64_t)mm->rss_file;
		v[PS_RSS_SHMEM] = (int64_t)mm->rss_shmem;
		v[PS_DATA_VM] = (int64_t)mm->data_vm;
		v[PS_STACK_VM] = (int64_t)mm->stack_vm;
		v[PS_EXEC_VM] = (int64_t)mm->exec_vm;
		v[PS_START_CODE] = (int64_t)mm->start_code;
		v[PS_END_CODE] = (int64_t)mm->end_code;
		v[PS_NR_PTES] = (int64_t)mm->nr_ptes;
		v[PS_SWAPENTS] = (int64_t)mm->swapents;
	}
	v[PS_THREADS] = p->signal->live ? p->signal->live : 1;
	v[PS_SIGQ] = (int64_t)s->procs->nr_sigqueue;
	v[PS_SIGQ_MAX] = (int64_t)p->signal->rlim[RLIMIT_SIGPENDING].cur;
	v[PS_SIGPND] = (int64_t)p->sigpending;
	v[PS_SIGBLK] = (int64_t)p->sigmask;
	if (cache && cache->valid && cache->gen == p->sighand->gen) {
		v[PS_SIGIGN] = cache->ign;
		v[PS_SIGCGT] = cache->cgt;
	} else {
		uint64_t ign = 0, cgt = 0;
		for (int i = 1; i < TASK_NSIG; i++) {
			if (p->sighand->action[i].handler == 1)
				ign |= 1ULL << (i - 1);
			else if (p->sighand->action[i].handler > 1)
				cgt |= 1ULL << (i - 1);
		}
		v[PS_SIGIGN] = (int64_t)ign;
		v[PS_SIGCGT] = (int64_t)cgt;
		if (cache)
			*cache = (struct pid_sig_cache){ p->sighand->gen, true, (int64_t)ign, (int64_t)cgt };
	}
	v[PS_NVCSW] = (int64_t)p->nvcsw;
	v[PS_NIVCSW] = (int64_t)p->nivcsw;
	_Static_assert(TASK_COMM_LEN <= 2 * sizeof(int64_t), "comm fits two elements");
	memcpy(&v[PS_COMM], p->comm, TASK_COMM_LEN);
}

void pid_status_print(const int64_t *v, struct strbuf *sb)
{
	char comm[TASK_COMM_LEN + 1] = { 0 };
	memcpy(comm, &v[PS_COMM], TASK_COMM_LEN);
	int64_t st = v[PS_STATE] >= 0 && v[PS_STATE] < 5 ? v[PS_STATE] : 3;
	sb_printf(sb, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", comm,
		  (unsigned)v[PS_UMASK], state_names[st], (int)v[PS_TGID], (int)v[PS_PID], (int)v[PS_PPID]);
	sb_printf(sb, "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%u\nGroups:\t\n", (unsigned)v[PS_FDSIZE]);
	sb_printf(sb, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", (int)v[PS_TGID], (int)v[PS_PID],
		  (int)v[PS_PGID], (int)v[PS_SID]);
	if (v[PS_MM_SERIAL]) {
		unsigned long kb = PAGE_SIZE / 1024;
		unsigned long total_vm = (unsigned long)v[PS_TOTAL_VM], hiwater_vm = (unsigned long)v[PS_HIWATER_VM];
		unsigned long rss_anon = (unsigned long)v[PS_RSS_ANON], rss_file = (unsigned long)v[PS_RSS_FILE];
		unsigned long rss_shmem = (unsigned long)v[PS_RSS_SHMEM], hiwater_rss = (unsigned long)v[PS_HIWATER_RSS];
		unsigned long rss = rss_anon + rss_file + rss_shmem;
		/* Linux's task_mem(): the peak is the high-water mark taken
		 * before total_vm last fell, or total_vm now */
		unsigned long peak = hiwater_vm > total_vm ? hiwater_vm : total_vm;
		/* text: the program's code (start_code..end_code, whole pages),
		 * at most every executable mapping; the rest of those is VmLib */
		uint64_t exec = (uint64_t)v[PS_EXEC_VM] << PAGE_SHIFT;
		uint64_t text = PAGE_ALIGN((uint64_t)v[PS_END_CODE]) - ((uint64_t)v[PS_START_CODE] & PAGE_MASK);
		if (text > exec)
			text = exec;
		sb_printf(sb, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n", peak * kb,
			  total_vm * kb, (unsigned long)v[PS_LOCKED_VM] * kb, 0UL);
		/* the mm's own peak: exec starts a new one (the task's lifetime
		 * peak is getrusage's ru_maxrss) */
		unsigned long hwm = hiwater_rss > rss ? hiwater_rss : rss;
		sb_printf(sb, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", hwm * kb, rss * kb);
		sb_printf(sb, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n", rss_anon * kb,
			  rss_file * kb, rss_shmem * kb);
		sb_printf(sb, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8llu kB\nVmLib:\t%8llu kB\n",
			  (unsigned long)v[PS_DATA_VM] * kb, (unsigned long)v[PS_STACK_VM] * kb,
			  (unsigned long long)(text >> 10), (unsigned long long)((exec - text) >> 10));
		sb_printf(sb, "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n", (unsigned long)v[PS_NR_PTES] * kb,
			  (unsigned long)v[PS_SWAPENTS] * kb);
	}
	sb_printf(sb, "Threads:\t%d\nSigQ:\t%llu/%llu\nSigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n",
		  (int)v[PS_THREADS], (unsigned long long)v[PS_SIGQ], (unsigned long long)v[PS_SIGQ_MAX], 0ULL,
		  (unsigned long long)v[PS_SIGPND], (unsigned long long)v[PS_SIGBLK]);
	sb_printf(sb, "SigIgn:\t%016llx\nSigCgt:\t%016llx\n", (unsigned long long)v[PS_SIGIGN],
		  (unsigned long long)v[PS_SIGCGT]);
	sb_printf(sb, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n");
	sb_printf(sb, "voluntary_ctxt_switches:\t%llu\nnonvoluntary_ctxt_switches:\t%llu\n",
		  (unsigned long long)v[PS_NVCSW], (unsigned long long)v[PS_NIVCSW]);
}

void pid_maps_line(struct strbuf *sb, const struct mm_struct *mm, const struct vm_area_struct *v)
{
	bool file = v->vm_file && (!v->vm_file->shmem || v->vm_file->sbinfo); /* tmpfs files too */
	char dev[24] = "00:00";
	if (file)
		snprintf(dev, sizeof(dev), "%02x:%02x", v->vm_file->dev_major, v->vm_file->dev_minor);
	show_map_vma(sb, mm, v, dev, file ? (unsigned long)v->vm_file->ino : 0);
}

void smaps_add_page(struct smaps_acc *a, uint64_t pteval, int mapcount, enum smaps_page_kind kind, int swapcount,
		    bool hole_swapped)
{
	pte_t pte = { pteval };
	if (is_swap_pte(pte)) {
		/* smaps_pte_entry: a swapped page, shared by its swap count */
		a->swap++;
		a->swap_pss_x += swapcount > 1 ? 4096 / (unsigned long)swapcount : 4096;
		return;
	}
	if (pte_none(pte) && hole_swapped) {
		a->swap++; /* smaps_pte_hole: the shmem object's page is in swap */
		return;
	}
	if (!pte_present(pte) || mapcount <= 0)
		return; /* no page, or no normal one (vm_normal_page: the zero page) */
	bool dirty = pte_dirty(pte);
	unsigned long pss = mapcount > 1 ? 4096 / (unsigned long)mapcount : 4096;
	a->rss++;
	a->pss_x += pss;
	if (dirty)
		a->pss_dirty_x += pss;
	if (kind == SMAPS_ANON) {
		a->anon++;
		a->pss_anon_x += pss;
	} else if (kind == SMAPS_SHMEM) {
		a->pss_shmem_x += pss;
	} else {
		a->pss_file_x += pss;
	}
	if (mapcount > 1)
		dirty ? a->sh_dirty++ : a->sh_clean++;
	else
		dirty ? a->pr_dirty++ : a->pr_clean++;
}

void smaps_acc_add(struct smaps_acc *t, const struct smaps_acc *v, bool locked)
{
	t->rss += v->rss;
	t->sh_clean += v->sh_clean;
	t->sh_dirty += v->sh_dirty;
	t->pr_clean += v->pr_clean;
	t->pr_dirty += v->pr_dirty;
	t->anon += v->anon;
	t->swap += v->swap;
	t->pss_x += v->pss_x;
	t->pss_dirty_x += v->pss_dirty_x;
	t->pss_anon_x += v->pss_anon_x;
	t->pss_file_x += v->pss_file_x;
	t->pss_shmem_x += v->pss_shmem_x;
	t->swap_pss_x += v->swap_pss_x;
	if (locked)
		t->locked_x += v->pss_x;
}

/* The lines Linux's __show_smap prints for both smaps (ROLLUP false) and
 * smaps_rollup, from Rss to Locked.  LOCKED_X: the Locked figure. */
static void show_smap(struct strbuf *sb, const struct smaps_acc *a, unsigned long locked_x, bool rollup)
{
	sb_printf(sb, "Rss:            %8lu kB\nPss:            %8lu kB\nPss_Dirty:      %8lu kB\n", a->rss * 4,
		  a->pss_x / 1024, a->pss_dirty_x / 1024);
	if (rollup)
		sb_printf(sb, "Pss_Anon:       %8lu kB\nPss_File:       %8lu kB\nPss_Shmem:      %8lu kB\n",
			  a->pss_anon_x / 1024, a->pss_file_x / 1024, a->pss_shmem_x / 1024);
	sb_printf(sb, "Shared_Clean:   %8lu kB\nShared_Dirty:   %8lu kB\n", a->sh_clean * 4, a->sh_dirty * 4);
	sb_printf(sb, "Private_Clean:  %8lu kB\nPrivate_Dirty:  %8lu kB\n", a->pr_clean * 4, a->pr_dirty * 4);
	/* Referenced: mmsim counts every resident page (no young-bit aging
	 * is shown here) */
	sb_printf(sb, "Referenced:     %8lu kB\nAnonymous:      %8lu kB\nKSM:                   0 kB\n", a->rss * 4,
		  a->anon * 4);
	sb_printf(sb, "LazyFree:              0 kB\nAnonHugePages:         0 kB\nShmemPmdMapped:        0 kB\n");
	sb_printf(sb, "FilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\n");
	sb_printf(sb, "Swap:           %8lu kB\nSwapPss:        %8lu kB\nLocked:         %8lu kB\n", a->swap * 4,
		  a->swap_pss_x / 1024, locked_x / 1024);
}

/* The VmFlags mnemonics of FLAGS in Linux's order (fs/proc/task_mmu.c's
 * show_smap_vma_flags: by bit number), each followed by a space, and a
 * newline. */
static void show_smap_vma_flags(struct strbuf *sb, unsigned long long flags)
{
	static const char mnem[32][3] = {
		"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "",   "pf", "",   "",   "lo", "io", "sr",
		"rr", "dc", "de", "",   "ac", "nr", "ht", "sf", "ar", "wf", "dd", "",   "mm", "hg", "nh", "mg",
	};
	for (int bit = 0; bit < 32; bit++) {
		if (bit == 19 && (flags & VM_LOCKONFAULT))
			sb_printf(sb, "lf "); /* Linux's VM_LOCKONFAULT is bit 19 */
		if ((flags & (1ULL << bit)) && mnem[bit][0])
			sb_printf(sb, "%s ", mnem[bit]);
	}
	sb_printf(sb, "\n");
}

void smaps_print(struct strbuf *sb, uint64_t start, uint64_t end, unsigned long long vm_flags,
		 const struct smaps_acc *a)
{
	unsigned long size = (unsigned long)((end - start) >> 10);
	sb_printf(sb, "Size:           %8lu kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\n", size);
	/* Locked: the VMA's Pss when it is VM_LOCKED (Linux's smap_gather_stats) */
	show_smap(sb, a, (vm_flags & VM_LOCKED) ? a->pss_x : 0, false);
	sb_printf(sb, "THPeligible:    %8d\nVmFlags: ", 0);
	show_smap_vma_flags(sb, vm_flags);
}

void smaps_rollup_print(struct strbuf *sb, uint64_t start, uint64_t end, const struct smaps_acc *t)
{
	size_t from = sb->len;
	sb_printf(sb, "%08llx-%08llx ---p 00000000 00:00 0", (unsigned long long)start, (unsigned long long)end);
	int k = (int)(sb->len - from);
	sb_printf(sb, "%*s[rollup]\n", k < 73 ? 73 - k : 0, "");
	show_smap(sb, t, t->locked_x, true);
}
