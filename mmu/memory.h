/* mmu/memory.h - page faults, copy-on-write, zapping and fork/exit of user
 * address spaces (Linux: mm/memory.c, arch/x86/mm/fault.c, kernel/fork.c).
 *
 * Fault paths (handle_mm_fault on a VMA that allows the access):
 *   none PTE, anonymous VMA:  do_anonymous_page - read maps the shared zero
 *       page read-only; write maps a fresh zeroed page (GFP_HIGHUSER_MOVABLE).
 *   none PTE, file VMA:       do_read_fault (read: page-cache page mapped
 *       read-only, plus fault-around: up to FAULT_AROUND_BYTES of already
 *       cached neighbours in the aligned window, as filemap_map_pages does),
 *       do_cow_fault (write, private: a copy of the cache page),
 *       do_shared_fault (write, shared: the cache page itself, writable).
 *   present PTE, write to a read-only PTE in a writable VMA: do_wp_page -
 *       the zero page is replaced by a fresh zeroed page; an anon page that
 *       is the only mapping (mapcount 1, refcount 1) is reused (PGREUSE);
 *       anything else is copied (TEV_COW).
 * Counting (per handled fault): PGFAULT; PGMAJFAULT and mm->maj_flt when a
 * page had to be read into the page cache (VM_FAULT_MAJOR), else
 * mm->min_flt; one bucket of struct fault_stats (mm/mm_types.h) in both
 * mm->faults and memsys->faults; one TEV_PAGE_FAULT event whose detail is
 * that bucket, "anon", "zero", "file", "cow", "swap", "spurious" or
 * "invalid", followed by " major" for a major fault (a file, cow or swap
 * fault whose page was read in).
 *
 * Every user PTE set, changed or cleared here is reported to mm->notifier;
 * a PTE that may be cached in a TLB and loses rights or changes frame is
 * followed by mm_flush_tlb_range().
 */
#ifndef MMSIM_MMU_MEMORY_H
#define MMSIM_MMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mm_types.h"
#include "mm/mmzone.h"
#include "mmu/pgtable.h"

/* handle_mm_fault flags (Linux values) */
#define FAULT_FLAG_WRITE       0x01
#define FAULT_FLAG_REMOTE      0x80   /* access_process_vm, populate */
#define FAULT_FLAG_USER        0x40
#define FAULT_FLAG_INSTRUCTION 0x100

/* handle_mm_fault results (Linux's vm_fault_t bits) */
#define VM_FAULT_OOM     0x000001
#define VM_FAULT_SIGBUS  0x000002
#define VM_FAULT_MAJOR   0x000004
#define VM_FAULT_SIGSEGV 0x000040
#define VM_FAULT_NOPAGE  0x000100
#define VM_FAULT_ERROR   (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)

/* x86 page-fault error code bits (arch/x86/include/asm/trap_pf.h) */
#define X86_PF_PROT  0x01  /* 0: not present, 1: protection violation */
#define X86_PF_WRITE 0x02
#define X86_PF_USER  0x04
#define X86_PF_RSVD  0x08
#define X86_PF_INSTR 0x10
#define X86_PF_PK    0x20

/* Signals and si_code values delivered for bad accesses */
#define MMSIM_SIGBUS  7
#define MMSIM_SIGSEGV 11
#define SEGV_MAPERR_CODE 1  /* address not mapped */
#define SEGV_ACCERR_CODE 2  /* permissions */
#define BUS_ADRERR_CODE  2  /* beyond end of file */

/* A PROT_NONE mapping's PTE (Linux x86's _PAGE_PROTNONE): present bit
 * clear, so the CPU faults, but the frame is mapped as far as mm is
 * concerned (rss, mapcount).  The mm notifier gets such values too: treat a
 * PTE without _PAGE_PRESENT as no access. */
#define _PAGE_PROTNONE _PAGE_GLOBAL
static inline bool pte_protnone(pte_t p) { return !(p.pte & _PAGE_PRESENT) && (p.pte & _PAGE_PROTNONE); }
/* Present or PROT_NONE: a frame is mapped. */
static inline bool pte_mapped(pte_t p) { return pte_present(p) || pte_protnone(p); }

#define MMSIM_SIGKILL 9  /* out of memory in a fault (the OOM killer's choice) */

enum fault_kind { FK_NONE, FK_ANON, FK_ZERO, FK_FILE, FK_COW, FK_INVALID, FK_SPURIOUS, FK_SWAP };

/* What one fault did (filled by handle_mm_fault / do_user_addr_fault). */
struct fault_info {
	enum fault_kind kind;
	unsigned vm_fault;       /* VM_FAULT_* bits */
	bool major;              /* a page was read into the page cache */
	bool reused;             /* do_wp_page reused the page */
	int signo;               /* 0, MMSIM_SIGSEGV or MMSIM_SIGBUS */
	int si_code;             /* SEGV_MAPERR_CODE / SEGV_ACCERR_CODE / BUS_ADRERR_CODE */
	uint64_t pfn;            /* frame mapped at the address afterwards */
	unsigned nr_around;      /* extra pages mapped by fault-around */
	uint64_t io_ns;          /* simulated I/O wait the faulting task owes
				  * (swap-in: --swap-latency); 0 = none */
};

/* --- the fault path --- */

/* Resolve a fault at ADDR inside VMA (the caller checked vm_flags against
 * the access).  FLAGS are FAULT_FLAG_*.  Returns 0, VM_FAULT_MAJOR, or an
 * error bit (VM_FAULT_OOM, VM_FAULT_SIGBUS, VM_FAULT_SIGSEGV); OUT (may be
 * NULL) says what happened.  Counts and traces the fault. */
unsigned handle_mm_fault(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
			 unsigned flags, struct fault_info *out);
/* The x86 #PF handler for a user fault at ADDR with ERROR_CODE (X86_PF_*)
 * at instruction IP: find_vma, stack growth, access checks, then
 * handle_mm_fault.  Returns 0 when the access can be retried, or the signal
 * to deliver (MMSIM_SIGSEGV / MMSIM_SIGBUS, si_code in OUT).  Kernel-mode
 * faults (no X86_PF_USER) on user addresses are treated the same way. */
int do_user_addr_fault(struct memsys *m, struct mm_struct *mm, uint64_t addr, unsigned error_code, uint64_t ip,
		       struct fault_info *out);

/* --- address spaces --- */

/* A new empty address space from the "mm_struct" slab cache (created with
 * the other proc caches on first use) with its pgd (kernel half shared from
 * K), mm_users 1, pt_ops set.  Returns NULL when out of memory. */
struct mm_struct *mm_alloc(struct memsys *m, struct kernel_pgtables *k);
/* Drop a user; the last one runs exit_mmap, frees the pgd and the mm
 * (back to its cache). */
void mmput(struct memsys *m, struct mm_struct *mm);
/* Tear down every mapping of MM: zap all VMAs, free the user page tables
 * (the pgd stays until mmput), free VMAs. */
void exit_mmap(struct memsys *m, struct mm_struct *mm);
/* fork(): copy PARENT's VMAs (except VM_DONTCOPY) and page tables into the
 * empty CHILD (copy_page_range: private writable pages become read-only in
 * both, shared pages stay shared, page refs and mapcounts taken; the
 * parent's TLB is flushed).  Returns 0 or -ENOMEM (CHILD is then left
 * partially filled; mmput it). */
int dup_mmap(struct memsys *m, struct kernel_pgtables *k, struct mm_struct *parent, struct mm_struct *child);
/* mm_alloc + dup_mmap; NULL when out of memory (Linux's dup_mm). */
struct mm_struct *dup_mm(struct memsys *m, struct kernel_pgtables *k, struct mm_struct *parent);

/* --- page-table operations on VMAs (also mm->pt_ops) --- */

/* Unmap [start, end) of VMA: clear PTEs, drop mapcounts and page refs, rss. */
void zap_page_range(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
		    uint64_t end);
/* Free page-table pages of MM that map nothing in [floor, ceiling)
 * (Linux's free_pgtables, simplified: whole empty tables). */
void free_pgtables(struct memsys *m, struct mm_struct *mm, uint64_t floor, uint64_t ceiling);
/* PTE protection bits for VMA's vm_flags (Linux's vm_get_page_prot):
 * P|US, RW for shared writable, NX unless VM_EXEC; private writable
 * mappings get RW only on an exclusive page. */
pteval_t vm_get_page_prot(unsigned long vm_flags);

/* Flush MM's TLB entries for [start, end) through mm->tlb_ops (nothing if
 * unset; the TLB owner counts the flush).  As on x86, no flush follows a
 * permission upgrade (do_wp_page reuse, spurious fault): the TLB model must
 * drop the entry of a faulting address, as the CPU does on #PF. */
void mm_flush_tlb_range(struct mm_struct *mm, uint64_t start, uint64_t end);
void mm_flush_tlb_mm(struct mm_struct *mm);

/* The shared zero page (PG_zero|PG_reserved), allocated at first use.
 * Returns NULL only if that allocation fails. */
struct page *get_zero_page(struct memsys *m);

/* Copy LEN bytes between BUF and MM at ADDR (WRITE: into MM), faulting pages
 * in as the access requires (FAULT_FLAG_REMOTE), as get_user_pages would;
 * writes to read-only private file pages break COW (FOLL_FORCE, like
 * ptrace/the loader).  Returns bytes copied (short at the first address
 * that cannot be accessed). */
size_t access_process_vm(struct memsys *m, struct mm_struct *mm, uint64_t addr, void *buf, size_t len,
			 bool write);
/* The frame mapped at ADDR, or -1 when not present. */
int64_t follow_pfn(struct memsys *m, struct mm_struct *mm, uint64_t addr);

#endif
