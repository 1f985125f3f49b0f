/* mm/mmap.h - address spaces: VMAs and the mmap family of system calls
 * with Linux's semantics (mm/mmap.c, mm/mprotect.c, mm/mremap.c,
 * mm/madvise.c, mm/mincore.c).
 *
 * Every function takes the machine (struct memsys) and the address space.
 * System-call level functions return 0 or a negative errno exactly as Linux
 * would return it (-EINVAL, -ENOMEM, -EEXIST, -EACCES, -EAGAIN, -EFAULT...).
 *
 * Layering: this is mm/; page tables belong to mmu/.  Where an operation must
 * touch PTEs (munmap zaps, mprotect rewrites, mremap moves, madvise,
 * mincore, MAP_POPULATE) it calls mm->pt_ops, which mm_alloc() in
 * mmu/memory.c fills in.  An mm without pt_ops is pure VMA bookkeeping
 * (handy in tests); mincore then reports nothing resident.
 *
 * VMAs live in mm->mmap, sorted by vm_start, never overlapping, with
 * mm->map_count entries; two neighbours that could be one VMA (same flags,
 * file, contiguous pgoff, same anon_vma or one without) are always merged,
 * as Linux's vma_merge() does.
 */
#ifndef MMSIM_MM_MMAP_H
#define MMSIM_MM_MMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mm_types.h"
#include "mm/mmzone.h"

/* mmap/mprotect/mremap/madvise ABI constants (x86-64 Linux values).  The
 * host's <sys/mman.h> has the same values; guard against double definition. */
#ifndef PROT_READ
#define PROT_NONE      0x0
#define PROT_READ      0x1
#define PROT_WRITE     0x2
#define PROT_EXEC      0x4
#endif
#ifndef PROT_GROWSDOWN
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000
#endif
#ifndef MAP_SHARED
#define MAP_SHARED     0x01
#define MAP_PRIVATE    0x02
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_TYPE
#define MAP_TYPE       0x0f
#endif
#ifndef MAP_FIXED
#define MAP_FIXED      0x10
#define MAP_ANONYMOUS  0x20
#endif
#ifndef MAP_32BIT
#define MAP_32BIT      0x40
#endif
#ifndef MAP_GROWSDOWN
#define MAP_GROWSDOWN  0x0100
#define MAP_DENYWRITE  0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED     0x2000
#define MAP_NORESERVE  0x4000
#define MAP_POPULATE   0x8000
#define MAP_NONBLOCK   0x10000
#define MAP_STACK      0x20000
#define MAP_HUGETLB    0x40000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC       0x80000
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MADV_NORMAL
#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#endif
#ifndef MADV_FREE
#define MADV_FREE       8
#endif
#ifndef MADV_REMOVE
#define MADV_REMOVE     9
#define MADV_DONTFORK   10
#define MADV_DOFORK     11
#define MADV_MERGEABLE  12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE   14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP   16
#define MADV_DODUMP     17
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MADV_COLD
#define MADV_COLD       20
#define MADV_PAGEOUT    21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ  22
#define MADV_POPULATE_WRITE 23
#endif

/* Layout constants (x86-64, randomisation off: Linux with
 * randomize_va_space=0 / personality ADDR_NO_RANDOMIZE). */
#define TASK_SIZE             TASK_SIZE_MAX
#define STACK_TOP             TASK_SIZE
#define DEFAULT_MAX_MAP_COUNT 65530                  /* vm.max_map_count */
#define MMAP_MIN_ADDR         65536ULL               /* vm.mmap_min_addr */
#define STACK_GUARD_GAP       (256ULL << PAGE_SHIFT) /* stack_guard_gap */
#define DEFAULT_STACK_RLIMIT  (8ULL << 20)           /* ulimit -s 8192 */
#define RLIM_INFINITY_U64     (~0ULL)
#define FAULT_AROUND_BYTES    65536ULL               /* fault_around_bytes */
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
/* vm_flags not in mm/mm_types.h (Linux values) */
#define VM_SEQ_READ    0x00008000UL
#define VM_RAND_READ   0x00010000UL
#define VM_WIPEONFORK  0x02000000UL
#define VM_SPECIAL     (VM_IO | VM_DONTEXPAND | VM_PFNMAP)

#define PAGE_ALIGN(x) (((uint64_t)(x) + PAGE_SIZE - 1) & PAGE_MASK)

struct file_backing;

/* Page-table side of VMA operations, implemented in mmu/ (mmu/memory.c)
 * and installed in mm->pt_ops by mm_alloc().  Each works on whole pages of
 * [start, end) inside VMA (or VMAs, for zap); they call the mm notifier and
 * flush the TLB themselves. */
struct mm_pt_ops {
	/* Unmap every page in [start, end) of VMA: put pages, rss, counters. */
	void (*zap_range)(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			  uint64_t end);
	/* Rewrite the PTE permissions of [start, end) for VMA's new vm_flags
	 * (write permission only where no COW is pending). */
	void (*change_protection)(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
				  uint64_t start, uint64_t end);
	/* Move LEN bytes of PTEs from OLD_ADDR to NEW_ADDR (no data copy).
	 * Returns the number of bytes moved (LEN unless page tables ran out). */
	uint64_t (*move_page_tables)(struct memsys *m, struct mm_struct *mm, uint64_t old_addr,
				     uint64_t new_addr, uint64_t len);
	/* Fault in [start, end) of VMA (MAP_POPULATE, MADV_POPULATE_*).
	 * Returns 0 or -ENOMEM / -EFAULT. */
	int (*populate)(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			uint64_t end, bool write);
	/* MADV_FREE on [start, end): clean, old PTEs; exclusive anon pages
	 * become lazyfree (count PGLAZYFREE). */
	void (*lazyfree_range)(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
			       uint64_t start, uint64_t end);
	/* Free page-table pages that map only [floor, ceiling) (after the VMAs
	 * there were removed), as Linux's free_pgtables does. */
	void (*free_pgtables)(struct memsys *m, struct mm_struct *mm, uint64_t floor, uint64_t ceiling);
	/* Set vec[i] = 1 if page i of [start, end) is resident (mapped, or in
	 * the page cache for file mappings), else 0. */
	void (*mincore_range)(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			      uint64_t end, unsigned char *vec);
	/* Reclaim's reverse-map work (mm/rmap.c -> mmu/rmap_pt.c): */
	/* Test and clear the Accessed bit of the PTE at ADDR of VMA if it maps
	 * PAGE, without a TLB flush (x86's ptep_clear_flush_young).  Returns
	 * 1 if the bit was set, 0 if clear, -1 if the PTE does not map PAGE. */
	int (*page_referenced_one)(struct memsys *m, struct vm_area_struct *vma, uint64_t addr, struct page *page);
	/* If the PTE at ADDR of VMA maps PAGE: clear it (ptep_clear_flush:
	 * TLB flushed), carry its dirty bit to the page, drop rss, mapcount
	 * and the mapping's reference, and store swap entry SWP (a
	 * swp_entry_t value; 0 = leave the PTE none), counting MM_SWAPENTS.
	 * Returns false when the PTE does not map PAGE. */
	bool (*try_to_unmap_one)(struct memsys *m, struct vm_area_struct *vma, uint64_t addr, struct page *page,
				 uint64_t swp);
	/* MADV_COLD (PAGEOUT false): clear the A bits of [start, end) and
	 * deactivate its pages; MADV_PAGEOUT: reclaim the pages only this
	 * mm maps, now (swap or drop). */
	void (*cold_range)(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			   uint64_t end, bool pageout);
	/* Set (LOCK) or clear PG_mlocked on every page mapped in [start, end)
	 * of VMA (mm/mlock.h: mlock_page / munlock_page). */
	void (*mlock_range)(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			    uint64_t end, bool lock);
};

/* --- address space --- */

/* Initialise the VMA side of MM (empty list, limits, mmap_base for the
 * default layout).  Page tables are mm_alloc()'s business (mmu/memory.h). */
void mm_init_vmas(struct mm_struct *mm);
/* Free every VMA of MM (after the page tables were zapped). */
void mm_free_vmas(struct memsys *m, struct mm_struct *mm);

/* --- VMA lookup and surgery (mm/vma.c) --- */

/* First VMA with vm_end > ADDR, or NULL (Linux's find_vma). */
struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr);
/* First VMA intersecting [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, uint64_t start, uint64_t end);
/* The VMA before VMA in address order, or NULL. */
struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma);
/* Create the slab caches "mm_struct", "vm_area_struct" and "anon_vma"
 * (Linux's proc_caches_init + anon_vma_init); those already made are kept.
 * Returns 0, or -1 with a reason in ERR (a cache of that name exists, no
 * host memory). */
int proc_caches_init(struct memsys *m, char *err, size_t errlen);
/* proc_caches_init unless done.  Returns 0, or -1 after a one-line message
 * on stderr. */
int proc_caches_ensure(struct memsys *m);
/* Allocate an unlinked VMA (all fields zero, lists initialised) from the
 * "vm_area_struct" slab cache, or NULL when the slab has no memory. */
struct vm_area_struct *vm_area_alloc(struct memsys *m, struct mm_struct *mm);
/* A copy of ORIG (unlinked), sharing its file and anon_vma, or NULL. */
struct vm_area_struct *vm_area_dup(struct memsys *m, struct vm_area_struct *orig);
/* Free an unlinked VMA back to its cache, dropping its file and anon_vma
 * references. */
void vm_area_free(struct memsys *m, struct vm_area_struct *vma);
/* Link VMA into MM's sorted list and account it (total_vm...).  Returns 0,
 * or -EINVAL if it overlaps an existing VMA. */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
/* Split VMA at ADDR (page aligned, strictly inside); the new VMA is the
 * part below ADDR if NEW_BELOW, else above.  Returns 0, -ENOMEM (map_count
 * limit or no memory). */
int split_vma(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
	      int new_below);
/* Try to merge the range [addr, end) with vm_flags/file/pgoff into PREV
 * and/or the VMA after it, as Linux's vma_merge() does (the range is either
 * a hole or the whole/part of one VMA being changed).  Returns the merged
 * VMA or NULL if no merge was possible. */
struct vm_area_struct *vma_merge(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *prev,
				 uint64_t addr, uint64_t end, unsigned long vm_flags, struct file_backing *file,
				 uint64_t pgoff, struct anon_vma *anon_vma, const char *name);
/* Page index of ADDR in VMA's file (or anon linear index). */
/* Linux's update_hiwater_vm: called before total_vm falls (munmap, brk or
 * mremap shrinking), so that max(hiwater_vm, total_vm) is the peak
 * address-space size (/proc/PID/status VmPeak). */
static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

static inline uint64_t linear_page_index(const struct vm_area_struct *vma, uint64_t addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}
/* VMA flags rendered as /proc/pid/maps permissions "rwxp" into BUF[5]. */
char *vma_perm_str(const struct vm_area_struct *vma, char buf[5]);

/* --- system calls (mm/mmap.c) --- */

/* vm_flags for PROT and MAP flags (Linux's calc_vm_prot_bits|calc_vm_flag_bits). */
unsigned long calc_vm_flags(unsigned long prot, unsigned long flags);

/* Find a free range of LEN bytes: at ADDR if it is free (a hint), else top
 * down from mm->mmap_base (or bottom up above mmap_base if top-down
 * fails).  Returns 0 and the address in *OUT, or -ENOMEM (no room, LEN
 * above TASK_SIZE). */
int get_unmapped_area(struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long flags,
		      uint64_t *out);

/* mmap(2) with the offset in pages.  FILE is NULL for anonymous memory
 * (MAP_ANONYMOUS); with MAP_SHARED|MAP_ANONYMOUS a shmem backing is
 * created.  Returns 0 and the mapping's start in *OUT, or -EINVAL (len 0,
 * bad flags, unaligned MAP_FIXED address, pgoff overflow), -EACCES
 * (writable shared mapping of a read-only file), -ENOMEM (no space,
 * max_map_count, beyond TASK_SIZE), -EEXIST (MAP_FIXED_NOREPLACE over an
 * existing mapping), -EPERM (below mmap_min_addr with MAP_FIXED),
 * -EOPNOTSUPP (MAP_SHARED_VALIDATE with unknown flags). */
int do_mmap(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, struct file_backing *file, uint64_t pgoff, uint64_t *out);
/* mmap(2) with the offset in bytes (-EINVAL unless page aligned). */
int vm_mmap(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, struct file_backing *file, uint64_t offset, uint64_t *out);
/* munmap(2): unmap [start, start+len) splitting VMAs at the edges.
 * Returns 0, -EINVAL (unaligned start, len 0, beyond TASK_SIZE), -ENOMEM
 * (a split would exceed max_map_count). */
int do_munmap(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len);
/* mprotect(2).  Returns 0, -EINVAL (unaligned, bad prot bits), -ENOMEM
 * (range not fully mapped, or split over the limit), -EACCES (PROT_WRITE on a
 * shared read-only file mapping, PROT_EXEC where not VM_MAYEXEC). */
int do_mprotect(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len, unsigned long prot);
/* mremap(2).  Returns 0 and the new address in *OUT, or -EINVAL (bad
 * flags/alignment/overlap, new_len 0), -EFAULT (old range not one VMA),
 * -ENOMEM (cannot grow in place without MREMAP_MAYMOVE, no space). */
int do_mremap(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t old_len, uint64_t new_len,
	      unsigned long flags, uint64_t new_addr, uint64_t *out);
/* brk(2): returns the new break, or the unchanged one on failure (below
 * start_brk, overlap with a mapping, RLIMIT_DATA, no memory). */
uint64_t do_brk(struct memsys *m, struct mm_struct *mm, uint64_t brk);
/* Set the initial break (end of .bss, page aligned up) - the loader's
 * job in Linux's load_elf_binary. */
void mm_set_brk(struct mm_struct *mm, uint64_t end_of_bss);
/* madvise(2).  Supported: NORMAL, RANDOM, SEQUENTIAL, WILLNEED (file:
 * read into the page cache), DONTNEED (zap: anon reads zeros after),
 * FREE (lazyfree: pages stay until reclaim frees them - reclaim is a later
 * issue, so they stay mapped and PGLAZYFREE counts them), DONTFORK,
 * DOFORK, DONTDUMP, DODUMP, HUGEPAGE, NOHUGEPAGE, COLD, PAGEOUT (accepted,
 * no effect until reclaim), POPULATE_READ/WRITE.  Returns 0, -EINVAL (bad
 * advice, unaligned start, MADV_DONTNEED on VM_LOCKED), -ENOMEM (range not
 * fully mapped; the mapped parts are still advised), -EFAULT (populate hit
 * a hole or a forbidden access). */
int do_madvise(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len, int advice);
/* mincore(2): VEC gets one byte per page of [start, start+len) (1 =
 * resident).  Returns 0, -EINVAL (unaligned start), -ENOMEM (a hole or
 * beyond TASK_SIZE). */
int do_mincore(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len, unsigned char *vec);

/* Create the initial stack VMA "[stack]" (VM_GROWSDOWN, rw) of SIZE bytes
 * ending at TOP (page aligned) - Linux's setup_arg_pages.  Sets
 * mm->start_stack = TOP.  Returns 0 or -ENOMEM/-EINVAL. */
int mm_setup_stack(struct memsys *m, struct mm_struct *mm, uint64_t top, uint64_t size);
/* Grow the VM_GROWSDOWN VMA down to cover ADDR (Linux's expand_stack).
 * Returns 0, or -ENOMEM beyond RLIMIT_STACK / into the guard gap of the
 * VMA below / below mmap_min_addr. */
int expand_stack(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr);

/* Check MM's VMA invariants (sorted, aligned, no overlap, no mergeable
 * neighbours, map_count, total_vm).  Returns 0 or -1 with ERR. */
int mm_check_vmas(struct mm_struct *mm, char *err, size_t errlen);
/* Append V's /proc/PID/maps line to SB, as Linux's show_map_vma prints it
 * (name padded to column 73; [heap], shmem and file names).  DEV ("08:01")
 * and INO identify a file mapping's file; the layer that owns files passes
 * them ("00:00", 0 where none is known).  File offset 0 for anonymous VMAs. */
struct strbuf;
void show_map_vma(struct strbuf *sb, const struct mm_struct *mm, const struct vm_area_struct *v, const char *dev,
		  unsigned long ino);
/* Dump MM's VMAs as /proc/pid/maps lines to BUF (no device or inode).
 * Returns the length the whole text needs. */
size_t mm_format_maps(struct mm_struct *mm, char *buf, size_t len);

#endif
