/* mmu/vmalloc.c - vmalloc, vfree, kvmalloc (Linux mm/vmalloc.c, mm/util.c).
 *
 * Invariant: kernel_pgtables.vmap_areas holds every live area sorted by
 * addr, non-overlapping, each [addr, addr + size) inside the vmalloc range
 * with its last page (the guard) unmapped and every other page mapped
 * PAGE_KERNEL to pages[i]; NR_VMALLOC counts the sum of nr_pages and
 * kernel_pgtables.vmalloc_pages equals it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/slab.h"
#include "mmu/vmalloc.h"
#include "traces/trace.h"

static void vm_event(struct memsys *m, enum trace_event_type type, uint64_t addr, uint64_t size, const char *detail)
{
	struct trace_event ev = trace_event_init(type);
	ev.addr = addr;
	ev.size = size;
	ev.detail = detail;
	trace_emit(m->trace, &ev);
}

/* First fit for TOTAL bytes (guard included).  Returns the address and sets
 * *BEFORE to the list position to insert after, or 0 if the range is full. */
static uint64_t find_hole(struct kernel_pgtables *k, uint64_t total, struct list_head **before)
{
	uint64_t addr = VMALLOC_START;
	struct list_head *pos;
	*before = &k->vmap_areas;
	list_for_each(pos, &k->vmap_areas) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);
		if (a->addr - addr >= total)
			return addr;
		addr = a->addr + a->size;
		*before = pos;
	}
	if (VMALLOC_END - addr + 1 < total)
		return 0;
	return addr;
}

/* Unmap and free the first N pages of A (N <= nr_pages mapped so far). */
static void unmap_free_pages(struct kernel_pgtables *k, struct vm_struct *a, unsigned long n)
{
	struct memsys *m = k->mem;
	for (unsigned long i = 0; i < n; i++) {
		pte_t *pte = pte_lookup(m, &k->init_mm, a->addr + i * PAGE_SIZE);
		if (pte)
			pte_clear(pte);
		struct page *pg = a->pages[i];
		mod_node_page_state(m, pg->node, NR_VMALLOC, -1);
		__free_page(m, pg);
	}
}

/* Returns the area's start, or 0 (everything taken given back). */
uint64_t __vmalloc(struct kernel_pgtables *k, size_t size, gfp_t gfp, const char *caller)
{
	struct memsys *m = k->mem;
	if (!size || size > VMALLOC_END - VMALLOC_START)
		return 0;
	unsigned long nr = (unsigned long)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	uint64_t total = ((uint64_t)nr + 1) << PAGE_SHIFT;   /* + guard page */
	struct list_head *before;
	uint64_t addr = find_hole(k, total, &before);
	if (!addr) {
		fprintf(stderr, "vmalloc: allocation failure: %zu bytes: vmalloc area full\n", size);
		return 0;
	}
	gfp_t meta_gfp = (gfp & ~(__GFP_ZERO | GFP_ZONEMASK | __GFP_COMP)) | __GFP_NOWARN;
	struct vm_struct *a = kzalloc(m, sizeof *a, meta_gfp);
	if (!a)
		return 0;
	a->pages = kzalloc(m, nr * sizeof(struct page *), meta_gfp);
	if (!a->pages)
		goto err_meta;
	a->addr = addr;
	a->size = total;
	a->flags = VM_ALLOC;
	a->caller = caller ? caller : "vmalloc";
	unsigned long mapped = 0;
	for (; mapped < nr; mapped++) {
		struct page *pg = alloc_pages(m, gfp & ~__GFP_COMP, 0);
		if (!pg)
			goto err_pages;
		pte_t *pte = pte_alloc_map(m, &k->init_mm, addr + mapped * PAGE_SIZE);
		if (!pte) {
			__free_page(m, pg);
			goto err_pages;
		}
		a->pages[mapped] = pg;
		set_pte(pte, mk_pte_pfn(page_to_pfn(m, pg), PAGE_KERNEL));
		mod_node_page_state(m, pg->node, NR_VMALLOC, 1);
	}
	a->nr_pages = nr;
	list_add(&a->list, before);
	k->nr_vmap_areas++;
	k->vmalloc_pages += nr;
	vm_event(m, TEV_VMALLOC, addr, (uint64_t)nr << PAGE_SHIFT, a->caller);
	return addr;
err_pages:
	unmap_free_pages(k, a, mapped);
	if (k->flush_kernel_range && mapped)
		k->flush_kernel_range(k->flush_ctx, addr, addr + mapped * PAGE_SIZE);
	fprintf(stderr, "vmalloc: allocation failure: %zu bytes\n", size);
	kfree(m, a->pages);
err_meta:
	kfree(m, a);
	return 0;
}

uint64_t vmalloc(struct kernel_pgtables *k, size_t size)
{
	return __vmalloc(k, size, GFP_KERNEL, "vmalloc");
}

uint64_t vzalloc(struct kernel_pgtables *k, size_t size)
{
	return __vmalloc(k, size, GFP_KERNEL | __GFP_ZERO, "vzalloc");
}

/* The area starting exactly at ADDR, or NULL. */
static struct vm_struct *area_at(struct kernel_pgtables *k, uint64_t addr)
{
	struct list_head *pos;
	list_for_each(pos, &k->vmap_areas) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);
		if (a->addr == addr)
			return a;
		if (a->addr > addr)
			break;
	}
	return NULL;
}

struct vm_struct *find_vm_area(struct kernel_pgtables *k, uint64_t addr)
{
	struct list_head *pos;
	list_for_each(pos, &k->vmap_areas) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);
		if (addr >= a->addr && addr < a->addr + a->size - PAGE_SIZE)
			return a;
		if (a->addr > addr)
			break;
	}
	return NULL;
}

/* Returns 0, or -EINVAL (and a warning) if ADDR starts no area. */
int vfree(struct kernel_pgtables *k, uint64_t addr)
{
	struct memsys *m = k->mem;
	if (!addr)
		return 0;
	struct vm_struct *a = area_at(k, addr);
	if (!a) {
		fprintf(stderr, "vfree: Trying to vfree() nonexistent vm area (0x%016llx)\n",
			(unsigned long long)addr);
		return -EINVAL;
	}
	unmap_free_pages(k, a, a->nr_pages);
	if (k->flush_kernel_range)
		k->flush_kernel_range(k->flush_ctx, a->addr, a->addr + a->size);
	list_del(&a->list);
	k->nr_vmap_areas--;
	k->vmalloc_pages -= a->nr_pages;
	vm_event(m, TEV_VFREE, a->addr, (uint64_t)a->nr_pages << PAGE_SHIFT, a->caller);
	kfree(m, a->pages);
	kfree(m, a);
	return 0;
}

struct page *vmalloc_to_page(struct kernel_pgtables *k, uint64_t addr)
{
	if (!is_vmalloc_addr(addr))
		return NULL;
	pte_t *pte = pte_lookup(k->mem, &k->init_mm, addr);
	if (!pte || !pte_present(*pte) || pte_pfn(*pte) >= k->mem->max_pfn)
		return NULL;
	return pfn_to_page(k->mem, pte_pfn(*pte));
}

void *vmalloc_host(struct kernel_pgtables *k, uint64_t addr)
{
	struct page *pg = vmalloc_to_page(k, addr);
	if (!pg)
		return NULL;
	return (uint8_t *)page_address(k->mem, pg) + (addr & (PAGE_SIZE - 1));
}

/* Linux 6.1 kvmalloc_node().  Returns a kernel VA or 0. */
uint64_t kvmalloc(struct kernel_pgtables *k, size_t size, gfp_t gfp)
{
	struct memsys *m = k->mem;
	gfp_t kmalloc_flags = gfp;
	if (!size)
		return 0;
	/* A physically contiguous block first, but without disruptive retries
	 * or warnings when vmalloc can take over. */
	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	void *p = kmalloc(m, size, kmalloc_flags);
	if (p)
		return kva_of(m, p);
	if (size <= PAGE_SIZE)
		return 0;
	if (!(gfp & __GFP_DIRECT_RECLAIM))   /* vmalloc may sleep */
		return 0;
	if (size > 0x7fffffff)
		return 0;
	return __vmalloc(k, size, gfp, "kvmalloc");
}

uint64_t kvzalloc(struct kernel_pgtables *k, size_t size, gfp_t gfp)
{
	return kvmalloc(k, size, gfp | __GFP_ZERO);
}

void kvfree(struct kernel_pgtables *k, uint64_t addr)
{
	if (!addr)
		return;
	if (is_vmalloc_addr(addr)) {
		vfree(k, addr);
		return;
	}
	if (addr >= PAGE_OFFSET && addr < k->direct_map_end) {
		kfree(k->mem, phys_to_host(k->mem, addr - PAGE_OFFSET));
		return;
	}
	fprintf(stderr, "kvfree: 0x%016llx is neither a vmalloc nor a direct-map address\n",
		(unsigned long long)addr);
}

void vmalloc_teardown(struct kernel_pgtables *k)
{
	while (!list_empty(&k->vmap_areas)) {
		struct vm_struct *a = list_first_entry(&k->vmap_areas, struct vm_struct, list);
		vfree(k, a->addr);
	}
}

/* Linux's /proc/vmallocinfo s_show(). */
void proc_vmallocinfo(struct kernel_pgtables *k, struct strbuf *sb)
{
	struct list_head *pos;
	list_for_each(pos, &k->vmap_areas) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);
		sb_printf(sb, "0x%016llx-0x%016llx %7llu", (unsigned long long)a->addr,
			  (unsigned long long)(a->addr + a->size), (unsigned long long)a->size);
		if (a->caller)
			sb_printf(sb, " %s", a->caller);
		if (a->nr_pages)
			sb_printf(sb, " pages=%lu", a->nr_pages);
		if (a->flags & VM_IOREMAP)
			sb_printf(sb, " ioremap");
		if (a->flags & VM_ALLOC)
			sb_printf(sb, " vmalloc");
		if (a->flags & VM_MAP)
			sb_printf(sb, " vmap");
		unsigned long per_node[MAX_NUMNODES] = { 0 };
		for (unsigned long i = 0; i < a->nr_pages; i++)
			per_node[a->pages[i]->node]++;
		for (int n = 0; n < MAX_NUMNODES; n++)
			if (per_node[n])
				sb_printf(sb, " N%d=%lu", n, per_node[n]);
		sb_printf(sb, "\n");
	}
}
