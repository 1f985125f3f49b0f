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

struct mm_struct;
struct file_backing;   /* mm/filemap.h: a page-cache backed file image */
struct anon_vma;

struct vm_area_struct {
	uint64_t vm_start, vm_end;     /* [start, end) page aligned */
	unsigned long vm_flags;
	uint64_t vm_pgoff;             /* offset in file, in pages */
	struct file_backing *vm_file;  /* NULL for anonymous */
	struct anon_vma *anon_vma;
	struct mm_struct *vm_mm;
	struct list_head vm_list;      /* mm->mmap, sorted by address */
	char name[32];                 /* "[stack]", "[heap]", or file path tail */
};

struct mm_struct {
	struct list_head mmap;         /* VMAs sorted by vm_start */
	int map_count;
	uint64_t pgd_pfn;              /* top-level page table frame; 0 = none */
	uint16_t pcid;                 /* address-space id for tagged TLBs */
	int mm_users;
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t mmap_base;
	unsigned long total_vm;        /* pages mapped by VMAs */
	unsigned long rss_anon, rss_file, rss_shmem; /* resident pages */
	unsigned long hiwater_rss;     /* peak RSS, pages */
	unsigned long nr_ptes;         /* page-table pages, all levels */
	void *owner;                   /* upper layer context */
};

#endif
