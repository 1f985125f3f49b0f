/* mmu/vmalloc.h - virtually contiguous kernel memory (Linux mm/vmalloc.c).
 *
 * vmalloc() takes order-0 frames one by one from the buddy allocator (they
 * need not be contiguous), finds a free range in [VMALLOC_START, VMALLOC_END]
 * first-fit, and maps the frames there in init_mm's page tables with
 * PAGE_KERNEL.  Each area is followed by one unmapped guard page (Linux's
 * default, no VM_NO_GUARD), so an overrun faults.  Areas are struct
 * vm_struct, kept sorted by address on kernel_pgtables.vmap_areas; the
 * vm_struct and its pages[] array live in simulated memory like Linux's,
 * from kmalloc (Linux vmallocs a pages[] larger than a page; mmsim kmallocs
 * it, so a huge area needs a physically contiguous pages[]).  Like Linux,
 * vfree() leaves the page tables of the vmalloc area in place.
 *
 * Addresses are guest-kernel virtual addresses (uint64_t); vmalloc_to_page()
 * and vmalloc_host() reach the bytes.  Pages backing areas are counted in
 * node stat NR_VMALLOC (meminfo VmallocUsed).
 */
#ifndef MMSIM_MMU_VMALLOC_H
#define MMSIM_MMU_VMALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "mm/mmzone.h"
#include "mmu/pgtable.h"

#define VM_IOREMAP   0x00000001u
#define VM_ALLOC     0x00000002u
#define VM_MAP       0x00000004u
#define VM_NO_GUARD  0x00000040u

struct vm_struct {
	struct list_head list;     /* kernel_pgtables.vmap_areas, by addr */
	uint64_t addr;             /* start (guest-kernel VA) */
	uint64_t size;             /* bytes including the guard page (Linux) */
	unsigned flags;            /* VM_* */
	struct page **pages;       /* nr_pages frames (host view) */
	unsigned long nr_pages;
	const char *caller;        /* static text for /proc/vmallocinfo */
};

/* Map SIZE bytes (rounded up to pages) in the vmalloc area.  Returns the
 * start address, or 0 if SIZE is 0, too big, the area is full or frames run
 * out (everything taken is given back). */
uint64_t vmalloc(struct kernel_pgtables *k, size_t size);
/* Same, zero-filled. */
uint64_t vzalloc(struct kernel_pgtables *k, size_t size);
/* Same with explicit GFP for the frames (__GFP_ZERO honoured) and CALLER text. */
uint64_t __vmalloc(struct kernel_pgtables *k, size_t size, gfp_t gfp, const char *caller);
/* Unmap and free the area starting at ADDR.  vfree(0) does nothing; an
 * address that is not the start of an area is reported on stderr (Linux's
 * WARN "Trying to vfree() nonexistent vm area") and returns -EINVAL. */
int vfree(struct kernel_pgtables *k, uint64_t addr);

/* The frame mapped at vmalloc address ADDR, or NULL. */
struct page *vmalloc_to_page(struct kernel_pgtables *k, uint64_t addr);
/* Host pointer to the byte at vmalloc address ADDR, or NULL. */
void *vmalloc_host(struct kernel_pgtables *k, uint64_t addr);
/* Area containing ADDR (guard page excluded), or NULL. */
struct vm_struct *find_vm_area(struct kernel_pgtables *k, uint64_t addr);
/* True if ADDR lies in [VMALLOC_START, VMALLOC_END]. */
static inline bool is_vmalloc_addr(uint64_t addr) { return addr >= VMALLOC_START && addr <= VMALLOC_END; }

/* Linux kvmalloc_node: try kmalloc first (with __GFP_NORETRY|__GFP_NOWARN
 * for sizes above a page), fall back to vmalloc unless GFP forbids
 * blocking (not GFP_KERNEL-compatible) - then kmalloc only.  Returns a
 * guest-kernel VA (direct map for kmalloc, vmalloc area otherwise) or 0. */
uint64_t kvmalloc(struct kernel_pgtables *k, size_t size, gfp_t gfp);
uint64_t kvzalloc(struct kernel_pgtables *k, size_t size, gfp_t gfp);
/* Free what kvmalloc returned, choosing vfree or kfree by address range. */
void kvfree(struct kernel_pgtables *k, uint64_t addr);

/* Free every area (kernel_pgtables_destroy calls it). */
void vmalloc_teardown(struct kernel_pgtables *k);

/* /proc/vmallocinfo text, one line per area:
 * "0xffffc90000000000-0xffffc90000002000    4096 vmalloc pages=1 vmalloc N0=1".
 * Appends to SB (mm/proc.h strbuf). */
struct strbuf;
void proc_vmallocinfo(struct kernel_pgtables *k, struct strbuf *sb);

#endif
