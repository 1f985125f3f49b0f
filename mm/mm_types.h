/* mm/mm_types.h - struct mm_struct and struct vm_area_struct (Linux names).
 *
 * An mm_struct is one address space: its VMAs (sorted, non-overlapping) and
 * the pfn of its top-level page table (pgd).  mm/ only does bookkeeping on
 * these; the page tables themselves are built and walked by mmu/.
 */
#ifndef MMSIM_MM_MM_TYPES_H
#define MMSIM_MM_MM_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/list.h"

/* vm_flags, Linux values */
/* The top of user space: the highest page below the 47-bit canonical hole
 * (x86-64's TASK_SIZE_MAX, 4-level paging).  mm's TASK_SIZE, mmu's checks
 * and the ELF loader all use it. */
#define TASK_SIZE_MAX 0x00007ffffffff000ULL

#define VM_NONE        0x00000000UL
#define VM_READ        0x00000001UL
#define VM_WRITE       0x00000002UL
#define VM_EXEC        0x00000004UL
#define VM_SHARED      0x00000008UL
#define VM_MAYREAD     0x00000010UL
#define VM_MAYWRITE    0x00000020UL
#define VM_MAYEXEC     0x00000040UL
#define VM_MAYSHARE    0x00000080UL
#define VM_GROWSDOWN   0x00000100UL
#define VM_PFNMAP      0x00000400UL
#define VM_LOCKED      0x00002000UL
#define VM_IO          0x00004000UL
#define VM_DONTCOPY    0x00020000UL
#define VM_DONTEXPAND  0x00040000UL
#define VM_ACCOUNT     0x00100000UL
#define VM_NORESERVE   0x00200000UL
#define VM_HUGETLB     0x00400000UL
#define VM_DONTDUMP    0x04000000UL
#define VM_HUGEPAGE    0x20000000UL
#define VM_NOHUGEPAGE  0x40000000UL
#define VM_STACK       VM_GROWSDOWN
#define VM_LOCKONFAULT 0x100000000UL /* mlock2(MLOCK_ONFAULT), mlockall(MCL_ONFAULT) */
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)

struct mm_struct;
struct file_backing;   /* mm/filemap.h: a page-cache backed file image */
struct anon_vma;
struct mm_pt_ops;      /* mm/mmap.h */
struct mm_tlb_ops;
struct mm_notifier_ops;

/* mmsim's split of the page faults it handles (mmu/memory.c), kept per mm
 * and machine-wide (memsys->faults).  Every fault mmu/memory.c sees lands in
 * exactly one bucket (pgfault, as in Linux, counts only those that reached
 * handle_mm_fault: bad-area faults are "invalid" but not pgfault):
 *   anon     a fresh zeroed anonymous page was mapped (write to none PTE)
 *   zero     the shared zero page was mapped (read of anonymous memory)
 *   file     a page-cache page was mapped (read of a file mapping,
 *            or any access to a shared mapping)
 *   cow      write-protect fault (do_wp_page: copy, reuse, or zero-page
 *            replacement) or write to a none PTE of a private file mapping
 *            (do_cow_fault)
 *   invalid  SIGSEGV or SIGBUS (no VMA, bad access, beyond EOF, OOM)
 *   spurious the PTE already allowed the access (stale TLB)
 *   swap     a swap entry was faulted back in (do_swap_page; major
 *            when the page had to be read from swap) */
struct fault_stats {
	unsigned long anon, zero, file, cow, invalid, spurious;
	unsigned long swap;      /* a swap PTE: page from the swap cache or read from swap */
};

/* Every bucket of struct fault_stats, in the order the summary, the trace's
 * samples and counters (faults.KIND) list them: X(name) per bucket. */
#define FAULT_STATS_KINDS(X) X(anon) X(zero) X(file) X(cow) X(swap) X(invalid) X(spurious)

struct vm_area_struct {
	uint64_t vm_start, vm_end;     /* [start, end) page aligned */
	unsigned long vm_flags;
	uint64_t vm_pgoff;             /* offset in file, in pages */
	struct file_backing *vm_file;  /* NULL for anonymous */
	struct anon_vma *anon_vma;
	struct mm_struct *vm_mm;
	struct list_head vm_list;      /* mm->mmap, sorted by address */
	char name[32];                 /* "[stack]", "[heap]", or file path tail */
	/* mm/rmap.c: link on anon_vma->vmas (all VMAs sharing this anon_vma) */
	struct list_head anon_vma_node;
	/* mm/rmap.c: link on vm_file's address_space i_mmap (file rmap) */
	struct list_head shared;
};

struct mm_struct {
	struct list_head mmap;         /* VMAs sorted by vm_start */
	int map_count;
	uint64_t pgd_pfn;              /* top-level page table frame; 0 = none */
	uint16_t pcid;                 /* address-space id for tagged TLBs */
	uint32_t serial;               /* 1, 2, ... in creation order (mm_alloc); 0: none */
	uint64_t cpumask;              /* mm_cpumask: CPUs where this mm is loaded (mmu/smp.h) */
	int mm_users;
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t mmap_base;
	unsigned long total_vm;        /* pages mapped by VMAs */
	unsigned long rss_anon, rss_file, rss_shmem; /* resident pages */
	unsigned long swapents;        /* MM_SWAPENTS: swap entries in the PTEs */
	unsigned long swapouts;        /* PTEs reclaim turned into swap entries
					  (try_to_unmap_one), over the mm's life */
	/* &memsys->vm_committed_as, which vma_stat charges with VM_ACCOUNT
	 * VMAs (set by mm_alloc; NULL: not counted) */
	long *committed_as;
	unsigned long def_flags;       /* VM_LOCKED (|VM_LOCKONFAULT) after mlockall(MCL_FUTURE) */
	unsigned long hiwater_rss;     /* peak RSS, pages */
	unsigned long hiwater_vm;      /* total_vm before it last fell (update_hiwater_vm), pages */
	unsigned long nr_ptes;         /* page-table pages, all levels */
	void *owner;                   /* upper layer context */

	/* --- added by mm/mmap.c, mmu/memory.c (helper "vm") --- */
	struct vm_area_struct *mmap_cache; /* find_vma's last hit, or NULL */
	uint64_t task_size;            /* user VA limit (TASK_SIZE) */
	uint64_t stack_rlimit;         /* RLIMIT_STACK soft limit, bytes */
	uint64_t data_rlimit;          /* RLIMIT_DATA soft limit, bytes (brk) */
	int max_map_count;             /* vm.max_map_count (65530) */
	unsigned long data_vm, exec_vm, stack_vm, locked_vm; /* pages, /proc/pid/status */
	/* Fault counters: Linux's per-task min_flt/maj_flt kept per mm here
	 * ("proc" mirrors them into its tasks), and mmsim's split. */
	unsigned long min_flt, maj_flt;
	struct fault_stats faults;
	/* Page-table operations the VMA layer (mm/mmap.c) calls up into mmu/
	 * for: set by mm_alloc() in mmu/memory.c.  NULL = VMA bookkeeping only. */
	const struct mm_pt_ops *pt_ops;
	/* TLB shootdown for this address space (see mmu/memory.h
	 * mm_flush_tlb_range).  NULL = nothing cached to flush. */
	const struct mm_tlb_ops *tlb_ops;
	void *tlb_ctx;
	/* Host realisation of PTE changes (helper "emu"): called from every place
	 * a user PTE is set, changed or cleared.  NULL = no listener. */
	const struct mm_notifier_ops *notifier;
	void *notifier_ctx;
};

/* Listener told about every change of a user PTE of MM, after the change.
 * pte_changed: the PTE for page VA now holds PTEVAL (set, upgraded,
 * write-protected, or pointed at another frame).  range_cleared: every PTE in
 * [start, end) is now none (zap, munmap, exit). */
struct mm_notifier_ops {
	void (*pte_changed)(void *ctx, struct mm_struct *mm, uint64_t va, uint64_t pteval);
	void (*range_cleared)(void *ctx, struct mm_struct *mm, uint64_t start, uint64_t end);
};

/* TLB invalidation for MM, filled by whoever owns the TLBs (sim/mmu). */
struct mm_tlb_ops {
	void (*flush_range)(void *ctx, struct mm_struct *mm, uint64_t start, uint64_t end);
	void (*flush_mm)(void *ctx, struct mm_struct *mm);
};

#endif
