/* mm/rmap.c - minimal reverse mapping: anon_vma and mapcounts.
 *
 * See mm/rmap.h for the simplification of Linux's anon_vma_chain.  An
 * anon_vma's refcount counts the VMAs linked to it; pages point to it
 * without holding a count, so it must outlive its pages: a VMA is only
 * unlinked after its pages were zapped, and since a page's mapcount drops to
 * zero only when its last mapping VMA is zapped, no live page points to a
 * freed anon_vma except freed-but-referenced pages (e.g. a page held by a
 * page-cache-less reference), whose mapping is cleared in page_remove_rmap.
 */
#include <errno.h>

#include "mm/mmap.h"
#include "mm/rmap.h"
#include "mm/slab.h"

int anon_vma_init(struct memsys *m, char *err, size_t errlen)
{
	if (m->anon_vma_cachep)
		return 0;
	/* Linux: SLAB_TYPESAFE_BY_RCU|SLAB_PANIC|SLAB_ACCOUNT; nothing here
	 * reads an anon_vma after its free, so no RCU type safety is needed. */
	m->anon_vma_cachep = kmem_cache_create(m, "anon_vma", sizeof(struct anon_vma), _Alignof(struct anon_vma),
					       SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL, err, errlen);
	return m->anon_vma_cachep ? 0 : -1;
}

/* A new anon_vma with no VMAs from the cache, or NULL. */
static struct anon_vma *anon_vma_alloc(struct memsys *m)
{
	struct anon_vma *av;

	if (proc_caches_ensure(m))
		return NULL;
	av = kmem_cache_zalloc(m, m->anon_vma_cachep, GFP_KERNEL);
	if (av)
		INIT_LIST_HEAD(&av->vmas);
	return av;
}

static void anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	vma->anon_vma = av;
	list_add_tail(&vma->anon_vma_node, &av->vmas);
	av->refcount++;
	av->nr_vmas++;
}

int anon_vma_prepare(struct memsys *m, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *n;
	struct anon_vma *av = NULL;

	if (vma->anon_vma)
		return 0;
	/* Reuse a mergeable neighbour's (Linux's find_mergeable_anon_vma), so
	 * the two can still merge later. */
	if (mm) {
		n = vma_prev(mm, vma);
		if (n && n->anon_vma && n->vm_end == vma->vm_start && n->vm_file == vma->vm_file)
			av = n->anon_vma;
		n = vma_next(mm, vma);
		if (!av && n && n->anon_vma && n->vm_start == vma->vm_end && n->vm_file == vma->vm_file)
			av = n->anon_vma;
	}
	if (!av)
		av = anon_vma_alloc(m);
	if (!av)
		return -ENOMEM;
	anon_vma_link(vma, av);
	return 0;
}

int anon_vma_clone(struct memsys *m, struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (dst->anon_vma == src->anon_vma)
		return 0;
	if (dst->anon_vma)
		unlink_anon_vmas(m, dst);
	if (src->anon_vma)
		anon_vma_link(dst, src->anon_vma);
	return 0;
}

void unlink_anon_vmas(struct memsys *m, struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;

	if (!av)
		return;
	list_del(&vma->anon_vma_node);
	vma->anon_vma = NULL;
	av->nr_vmas--;
	if (--av->refcount == 0)
		kmem_cache_free(m, m->anon_vma_cachep, av);
}

void page_add_new_anon_rmap(struct memsys *m, struct page *page, struct vm_area_struct *vma, uint64_t addr)
{
	page->_mapcount = 0;
	page->mapping = vma->anon_vma;
	page->index = linear_page_index(vma, addr);
	SetPageAnon(page);
	SetPageSwapBacked(page);
	mod_node_page_state(m, page->node, NR_ANON_MAPPED, 1);
}

void page_dup_rmap(struct memsys *m, struct page *page)
{
	if (page->_mapcount++ == -1)
		mod_node_page_state(m, page->node, PageAnon(page) ? NR_ANON_MAPPED : NR_FILE_MAPPED, 1);
}

void page_add_file_rmap(struct memsys *m, struct page *page)
{
	if (page->_mapcount++ == -1)
		mod_node_page_state(m, page->node, NR_FILE_MAPPED, 1);
}

void page_remove_rmap(struct memsys *m, struct page *page)
{
	if (page->_mapcount < 0)
		return; /* not mapped: a caller bug, tolerated like Linux's VM_BUG_ON off */
	if (--page->_mapcount == -1) {
		if (PageAnon(page)) {
			mod_node_page_state(m, page->node, NR_ANON_MAPPED, -1);
			/* Last mapping gone: the page is about to be freed or is
			 * only referenced transiently; forget the anon_vma. */
			page->mapping = NULL;
			ClearPageAnon(page);
		} else {
			mod_node_page_state(m, page->node, NR_FILE_MAPPED, -1);
		}
	}
}

uint64_t vma_address(const struct page *page, const struct vm_area_struct *vma)
{
	uint64_t npages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	if (page->index < vma->vm_pgoff || page->index >= vma->vm_pgoff + npages)
		return ~0ULL;
	return vma->vm_start + ((page->index - vma->vm_pgoff) << PAGE_SHIFT);
}

int rmap_walk_anon(struct page *page,
		   bool (*fn)(struct page *page, struct vm_area_struct *vma, uint64_t addr, void *arg), void *arg)
{
	struct anon_vma *av;
	struct list_head *l, *n;

	if (!PageAnon(page) || !page->mapping)
		return -1;
	av = page->mapping;
	list_for_each_safe(l, n, &av->vmas) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, anon_vma_node);
		uint64_t a = vma_address(page, v);
		if (a != ~0ULL && !fn(page, v, a, arg))
			break;
	}
	return 0;
}
