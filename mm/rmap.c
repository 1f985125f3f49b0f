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

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/rmap.h"
#include "mm/view_log.h"
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
	vlog_mapcount(m, page_to_pfn(m, page), 1);
	page->mapping = vma->anon_vma;
	page->index = linear_page_index(vma, addr);
	SetPageAnon(page);
	SetPageSwapBacked(page);
	mod_node_page_state(m, page->node, NR_ANON_MAPPED, 1);
}

void page_add_anon_rmap(struct memsys *m, struct page *page, struct vm_area_struct *vma, uint64_t addr)
{
	vlog_mapcount(m, page_to_pfn(m, page), page->_mapcount + 2);
	if (page->_mapcount++ == -1) {
		page->mapping = vma->anon_vma;
		page->index = linear_page_index(vma, addr);
		SetPageAnon(page);
		mod_node_page_state(m, page->node, NR_ANON_MAPPED, 1);
	}
}

void page_dup_rmap(struct memsys *m, struct page *page)
{
	vlog_mapcount(m, page_to_pfn(m, page), page->_mapcount + 2);
	if (page->_mapcount++ == -1)
		mod_node_page_state(m, page->node, PageAnon(page) ? NR_ANON_MAPPED : NR_FILE_MAPPED, 1);
}

void page_add_file_rmap(struct memsys *m, struct page *page)
{
	vlog_mapcount(m, page_to_pfn(m, page), page->_mapcount + 2);
	if (page->_mapcount++ == -1)
		mod_node_page_state(m, page->node, NR_FILE_MAPPED, 1);
}

void page_remove_rmap(struct memsys *m, struct page *page)
{
	if (page->_mapcount < 0)
		return; /* not mapped: a caller bug, tolerated like Linux's VM_BUG_ON off */
	vlog_mapcount(m, page_to_pfn(m, page), page->_mapcount);
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

int rmap_walk_file(struct page *page,
		   bool (*fn)(struct page *page, struct vm_area_struct *vma, uint64_t addr, void *arg), void *arg)
{
	struct address_space *as;
	struct list_head *l, *n;

	if (!page_is_file_cache(page))
		return -1;
	as = page->mapping;
	list_for_each_safe(l, n, &as->i_mmap) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, shared);
		uint64_t a = vma_address(page, v);
		if (a != ~0ULL && !fn(page, v, a, arg))
			break;
	}
	return 0;
}

void vma_link_file(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		list_add_tail(&vma->shared, &vma->vm_file->mapping.i_mmap);
}

void vma_unlink_file(struct vm_area_struct *vma)
{
	if (vma->vm_file && vma->shared.next) {
		list_del(&vma->shared);
		vma->shared.next = vma->shared.prev = NULL;
	}
}

/* Walk the rmap of PAGE: its anon_vma or its file's i_mmap. */
static int rmap_walk(struct page *page,
		     bool (*fn)(struct page *page, struct vm_area_struct *vma, uint64_t addr, void *arg), void *arg)
{
	return PageAnon(page) ? rmap_walk_anon(page, fn, arg) : rmap_walk_file(page, fn, arg);
}

struct referenced_arg {
	struct memsys *m;
	int referenced;
	int mapcount;          /* mappings left to find */
	unsigned long vm_flags;
};

static bool page_referenced_one(struct page *page, struct vm_area_struct *vma, uint64_t addr, void *arg)
{
	struct referenced_arg *ra = arg;
	const struct mm_pt_ops *ops = vma->vm_mm ? vma->vm_mm->pt_ops : NULL;

	if (!ops || !ops->page_referenced_one)
		return true;
	int young = ops->page_referenced_one(ra->m, vma, addr, page);

	if (young < 0)
		return true; /* this VMA does not map the page (see rmap.h) */
	if (vma->vm_flags & VM_LOCKED) {
		/* An mlocked VMA maps the page: reclaim must leave it. */
		ra->vm_flags |= VM_LOCKED;
		return false;
	}
	if (young) {
		ra->referenced++;
		ra->vm_flags |= vma->vm_flags;
	}
	return --ra->mapcount > 0;
}

int page_referenced(struct memsys *m, struct page *page, unsigned long *vm_flags)
{
	struct referenced_arg ra = { .m = m, .mapcount = page_mapcount(page) };

	*vm_flags = 0;
	if (!page_mapcount(page) || !page->mapping)
		return 0;
	rmap_walk(page, page_referenced_one, &ra);
	*vm_flags = ra.vm_flags;
	return ra.referenced;
}

static bool try_to_unmap_one(struct page *page, struct vm_area_struct *vma, uint64_t addr, void *arg)
{
	struct memsys *m = arg;
	const struct mm_pt_ops *ops = vma->vm_mm ? vma->vm_mm->pt_ops : NULL;
	uint64_t swp = 0;

	if (!ops || !ops->try_to_unmap_one || (vma->vm_flags & VM_LOCKED))
		return true;
	if (PageAnon(page) && page_flag(page, PG_swapbacked))
		swp = page->private; /* the swap cache's entry (add_to_swap ran first) */
	ops->try_to_unmap_one(m, vma, addr, page, swp);
	return page_mapcount(page) > 0;
}

bool try_to_unmap(struct memsys *m, struct page *page)
{
	if (page_mapcount(page) && page->mapping)
		rmap_walk(page, try_to_unmap_one, m);
	return page_mapcount(page) == 0;
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
