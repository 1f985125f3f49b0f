/* tools/scenario_mm.c - scenario commands for the physical memory manager:
 * the buddy allocator (alloc_pages, free_pages, get_page, put_page), slab
 * caches and kmalloc, mm_check, the /proc views and their stats.
 *
 * A failed allocation is a result, not an error: it is printed, the handle
 * is marked failed, scn_failure() counts it (for expect_fail), and the
 * mm layer has already emitted its ALLOC_FAIL event.
 */
#include <stdlib.h>
#include <string.h>

#include "mm/check.h"
#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/slab.h"
#include "tools/scenario.h"

#define CMD(fn) static int fn(struct scenario *sc, struct scn_args *a)

/* Optional GFP argument: "gfp=FLAGS" or positional argument POS.  Sets
 * *GFP (default GFP_KERNEL).  Returns 0 or SCN_ERROR. */
static int opt_gfp(struct scenario *sc, struct scn_args *a, int pos, gfp_t *gfp)
{
	const char *v;
	int i = scn_kv(a, "gfp", &v);
	*gfp = GFP_KERNEL;
	if (i > 0)
		return scn_gfp(sc, a, i, 4, gfp);
	i = pos > 0 ? scn_pos(a, pos) : -1;
	return i > 0 ? scn_gfp(sc, a, i, 0, gfp) : 0;
}

/* Numeric keyword KEY (default DEF, at most MAX).  Returns 0 or SCN_ERROR. */
static int opt_num(struct scenario *sc, struct scn_args *a, const char *key, uint64_t def, uint64_t max,
		   bool size, uint64_t *out)
{
	const char *v;
	int i = scn_kv(a, key, &v);
	*out = def;
	return i > 0 ? scn_u64(sc, a, i, (int)strlen(key) + 1, size, max, out) : 0;
}

/* Positional number POS.  Returns 0 or SCN_ERROR. */
static int pos_num(struct scenario *sc, struct scn_args *a, int pos, bool size, uint64_t max, uint64_t *out)
{
	int i = scn_pos(a, pos);
	if (i < 0)
		return scn_error(sc, a, a->argc, "%s: missing argument (usage: %s)", a->argv[0], sc->cur->usage);
	return scn_u64(sc, a, i, 0, size, max, out);
}

/* The cache named by positional argument POS; NULL after an error. */
static struct kmem_cache *cache_arg(struct scenario *sc, struct scn_args *a, int pos)
{
	int i = scn_pos(a, pos);
	struct kmem_cache *c = kmem_cache_find(sc->sim->mem, a->argv[i]);
	if (!c)
		scn_error(sc, a, i, "unknown slab cache '%s' (show slabinfo lists them)", a->argv[i]);
	return c;
}

static uint64_t kva(struct scenario *sc, const void *p)
{
	return kva_of(sc->sim->mem, p);
}

/* ---- buddy allocator ---- */

CMD(cmd_alloc_pages)
{
	static const char *const keys[] = {"order", "gfp", "node", NULL};
	uint64_t order, node;
	gfp_t gfp;
	char g[256];

	if (scn_nargs(sc, a, sc->cur, 1, 4) || scn_only(sc, a, 1, keys) || scn_pos(a, 1) < 0)
		return scn_pos(a, 1) < 0 ? scn_error(sc, a, a->argc, "alloc_pages: missing handle name (usage: %s)",
						     sc->cur->usage)
					 : SCN_ERROR;
	if (opt_num(sc, a, "order", 0, 63, false, &order) || opt_gfp(sc, a, 0, &gfp) ||
	    opt_num(sc, a, "node", (uint64_t)-1, MAX_NUMNODES - 1, false, &node))
		return SCN_ERROR;
	int hi = scn_pos(a, 1);
	struct scn_handle *h = scn_handle_define(sc, a, hi, SCN_H_PAGES);
	if (!h)
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	struct memsys *m = sc->sim->mem;
	if (node != (uint64_t)-1 && (int)node >= m->nr_nodes)
		return scn_error(sc, a, scn_kv(a, "node", NULL), "alloc_pages: node %llu does not exist (numa=%d)",
				 (unsigned long long)node, m->nr_nodes);
	unsigned long w0, s0;
	scn_alloc_counters(m, &w0, &s0);
	struct page *p = node == (uint64_t)-1 ? alloc_pages(m, gfp, (unsigned)order)
					      : alloc_pages_node(m, (int)node, gfp, (unsigned)order);
	h->order = (unsigned)order;
	h->alloc_path = (unsigned char)scn_alloc_path_of(m, w0, s0, p != NULL);
	if (!p) {
		h->failed = true;
		scn_failure(sc);
		if (order >= MAX_ORDER)
			scn_printf(sc, "alloc_pages %s: failed (order %llu > MAX_ORDER-1)\n", h->name,
				   (unsigned long long)order);
		else
			scn_printf(sc, "alloc_pages %s: failed (page allocation failure: order:%llu, mode:%#x(%s))\n",
				   h->name, (unsigned long long)order, gfp, gfp_format(gfp, g, sizeof g));
		return 0;
	}
	h->page = p;
	unsigned long pfn = page_to_pfn(m, p);
	scn_printf(sc, "alloc_pages %s: pfn %#lx", h->name, pfn);
	if (order)
		scn_printf(sc, "-%#lx", pfn + (1UL << order) - 1);
	scn_printf(sc, " order %llu zone %s node %d\n", (unsigned long long)order, page_zone(m, p)->name, p->node);
	return 0;
}

CMD(cmd_free_pages)
{
	int rc;
	struct scn_handle *h = scn_handle_arg(sc, a, SCN_H_PAGES, &rc);
	if (!h)
		return rc;
	struct memsys *m = sc->sim->mem;
	int before = page_count(h->page);
	__free_pages(m, h->page, h->order);
	if (--h->refs == 0 || before <= 1) {
		scn_handle_freed(h, a);
		scn_printf(sc, "free_pages %s: pfn %#lx order %u freed\n", h->name, page_to_pfn(m, h->page), h->order);
	} else if (h->order && !PageHead(h->page)) {
		/* Linux's __free_pages: a non-last put of a non-compound block
		 * frees every page but the first, which the other holder keeps. */
		scn_printf(sc, "free_pages %s: refcount now %d; pages 1..%lu freed, the first page stays\n",
			   h->name, page_count(h->page), (1UL << h->order) - 1);
		h->order = 0;
	} else {
		scn_printf(sc, "free_pages %s: refcount now %d\n", h->name, page_count(h->page));
	}
	return 0;
}

CMD(cmd_get_page)
{
	int rc;
	struct scn_handle *h = scn_handle_arg(sc, a, SCN_H_PAGES, &rc);
	if (!h)
		return rc;
	get_page(sc->sim->mem, h->page);
	h->refs++;
	scn_printf(sc, "get_page %s: refcount %d\n", h->name, page_count(h->page));
	return 0;
}

CMD(cmd_put_page)
{
	int rc;
	struct scn_handle *h = scn_handle_arg(sc, a, SCN_H_PAGES, &rc);
	if (!h)
		return rc;
	struct memsys *m = sc->sim->mem;
	if (page_count(h->page) == 1 && h->order && !PageHead(h->page))
		return scn_error(sc, a, 1,
				 "put_page %s: the last reference of an order-%u block that is not compound would "
				 "free only its first page; use free_pages (or allocate with __GFP_COMP)",
				 h->name, h->order);
	int before = page_count(h->page);
	put_page(m, h->page);
	h->refs--;
	if (before <= 1) {
		scn_handle_freed(h, a);
		scn_printf(sc, "put_page %s: last reference, pfn %#lx freed\n", h->name, page_to_pfn(m, h->page));
	} else {
		scn_printf(sc, "put_page %s: refcount %d\n", h->name, page_count(h->page));
	}
	return 0;
}

/* ---- slab caches ---- */

CMD(cmd_kmem_cache_create)
{
	static const char *const keys[] = {"size", "align", "flags", NULL};
	uint64_t size, align;
	unsigned flags = 0;
	const char *v;
	char err[256];

	if (scn_nargs(sc, a, sc->cur, 2, 4) || scn_only(sc, a, 1, keys))
		return SCN_ERROR;
	int ni = scn_pos(a, 1);
	if (ni < 0)
		return scn_error(sc, a, 1, "kmem_cache_create: missing cache name (usage: %s)", sc->cur->usage);
	if (scn_kv(a, "size", NULL) < 0)
		return scn_error(sc, a, a->argc, "kmem_cache_create: missing size=N (usage: %s)", sc->cur->usage);
	if (scn_name(sc, a, ni) || opt_num(sc, a, "size", 0, 1u << 30, true, &size) ||
	    opt_num(sc, a, "align", 0, 1u << 20, true, &align))
		return SCN_ERROR;
	int fi = scn_kv(a, "flags", &v);
	if (fi > 0 && scn_slab_flags(sc, a, fi, 6, &flags))
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	struct kmem_cache *c =
		kmem_cache_create(sc->sim->mem, a->argv[ni], (unsigned)size, (unsigned)align, flags, NULL, err, sizeof err);
	if (!c) {
		scn_failure(sc);
		scn_printf(sc, "kmem_cache_create %s: failed (%s)\n", a->argv[ni], err);
		return 0;
	}
	struct slabinfo si;
	kmem_cache_info(c, &si);
	scn_printf(sc, "kmem_cache_create %s: objsize %u, %u objects per slab of %u page%s\n", si.name, si.objsize,
		   si.objperslab, si.pagesperslab, si.pagesperslab == 1 ? "" : "s");
	return 0;
}

/* kmem_cache_alloc / kmem_cache_zalloc H CACHE [GFP] */
static int cache_alloc(struct scenario *sc, struct scn_args *a, bool zero)
{
	static const char *const keys[] = {"gfp", NULL};
	gfp_t gfp;
	if (scn_nargs(sc, a, sc->cur, 2, 3) || scn_only(sc, a, 3, keys))
		return SCN_ERROR;
	if (scn_pos(a, 2) < 0)
		return scn_error(sc, a, a->argc, "%s: missing cache name (usage: %s)", a->argv[0], sc->cur->usage);
	if (opt_gfp(sc, a, 3, &gfp))
		return SCN_ERROR;
	struct scn_handle *h = scn_handle_define(sc, a, scn_pos(a, 1), SCN_H_OBJECT);
	if (!h || sc->checking)
		return h ? 0 : SCN_ERROR;
	struct kmem_cache *c = cache_arg(sc, a, 2);
	if (!c)
		return SCN_ERROR;
	struct slabinfo si;
	kmem_cache_info(c, &si);
	h->cache = c;
	h->size = si.objsize;
	h->obj = zero ? kmem_cache_zalloc(sc->sim->mem, c, gfp) : kmem_cache_alloc(sc->sim->mem, c, gfp);
	if (!h->obj) {
		h->failed = true;
		scn_failure(sc);
		scn_printf(sc, "%s %s: failed (no memory for a new %s slab)\n", a->argv[0], h->name, si.name);
		return 0;
	}
	scn_printf(sc, "%s %s: %s object at %#llx\n", a->argv[0], h->name, si.name,
		   (unsigned long long)kva(sc, h->obj));
	return 0;
}

CMD(cmd_kmem_cache_alloc)
{
	return cache_alloc(sc, a, false);
}

CMD(cmd_kmem_cache_zalloc)
{
	return cache_alloc(sc, a, true);
}

CMD(cmd_kmem_cache_free)
{
	int rc;
	struct scn_handle *h = scn_handle_arg(sc, a, SCN_H_OBJECT, &rc);
	if (!h)
		return rc;
	kmem_cache_free(sc->sim->mem, h->cache, h->obj);
	scn_handle_freed(h, a);
	scn_printf(sc, "kmem_cache_free %s: %#llx freed\n", h->name, (unsigned long long)kva(sc, h->obj));
	return 0;
}

CMD(cmd_kmem_cache_destroy)
{
	char err[256];
	if (scn_nargs(sc, a, sc->cur, 1, 1))
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	struct kmem_cache *c = cache_arg(sc, a, 1);
	if (!c)
		return SCN_ERROR;
	if (kmem_cache_destroy(sc->sim->mem, c, err, sizeof err) < 0) {
		scn_failure(sc);
		scn_printf(sc, "kmem_cache_destroy %s: failed (%s)\n", a->argv[1], err);
		return 0;
	}
	scn_printf(sc, "kmem_cache_destroy %s: destroyed\n", a->argv[1]);
	return 0;
}

CMD(cmd_kmem_cache_shrink)
{
	if (scn_nargs(sc, a, sc->cur, 1, 1))
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	struct kmem_cache *c = cache_arg(sc, a, 1);
	if (!c)
		return SCN_ERROR;
	unsigned long n = kmem_cache_shrink(sc->sim->mem, c);
	scn_printf(sc, "kmem_cache_shrink %s: %lu page%s freed\n", a->argv[1], n, n == 1 ? "" : "s");
	return 0;
}

/* ---- kmalloc ---- */

/* kmalloc / kzalloc H SIZE [GFP];  kcalloc H N SIZE [GFP] */
static int do_kmalloc(struct scenario *sc, struct scn_args *a, int kind)
{
	static const char *const keys[] = {"gfp", NULL};
	uint64_t n = 1, size;
	gfp_t gfp;
	int npos = kind == 2 ? 3 : 2;

	if (scn_nargs(sc, a, sc->cur, npos, npos + 1) || scn_only(sc, a, npos + 1, keys))
		return SCN_ERROR;
	if (kind == 2 && pos_num(sc, a, 2, false, 1u << 30, &n))
		return SCN_ERROR;
	if (pos_num(sc, a, npos, true, 1ULL << 32, &size) || opt_gfp(sc, a, npos + 1, &gfp))
		return SCN_ERROR;
	if (size == 0)
		return scn_error(sc, a, scn_pos(a, npos), "%s: size must be at least 1", a->argv[0]);
	struct scn_handle *h = scn_handle_define(sc, a, scn_pos(a, 1), SCN_H_KMALLOC);
	if (!h || sc->checking)
		return h ? 0 : SCN_ERROR;
	struct memsys *m = sc->sim->mem;
	h->obj = kind == 0 ? kmalloc(m, size, gfp) : kind == 1 ? kzalloc(m, size, gfp) : kcalloc(m, n, size, gfp);
	h->size = (size_t)(n * size);
	if (!h->obj) {
		h->failed = true;
		scn_failure(sc);
		scn_printf(sc, "%s %s: failed (%llu bytes)\n", a->argv[0], h->name, (unsigned long long)(n * size));
		return 0;
	}
	struct kmem_cache *c = kmalloc_slab(m, h->size, gfp);
	struct slabinfo si;
	if (c)
		kmem_cache_info(c, &si);
	scn_printf(sc, "%s %s: %zu bytes at %#llx (%s, ksize %zu)\n", a->argv[0], h->name, h->size,
		   (unsigned long long)kva(sc, h->obj), c ? si.name : "pages", ksize(m, h->obj));
	return 0;
}

CMD(cmd_kmalloc)
{
	return do_kmalloc(sc, a, 0);
}

CMD(cmd_kzalloc)
{
	return do_kmalloc(sc, a, 1);
}

CMD(cmd_kcalloc)
{
	return do_kmalloc(sc, a, 2);
}

CMD(cmd_krealloc)
{
	static const char *const keys[] = {"gfp", NULL};
	uint64_t size;
	gfp_t gfp;
	if (scn_nargs(sc, a, sc->cur, 2, 3) || scn_only(sc, a, 3, keys))
		return SCN_ERROR;
	if (pos_num(sc, a, 2, true, 1ULL << 32, &size) || opt_gfp(sc, a, 3, &gfp))
		return SCN_ERROR;
	if (size == 0)
		return scn_error(sc, a, scn_pos(a, 2), "krealloc: size must be at least 1 (kfree frees)");
	struct scn_handle *h = scn_handle_get(sc, a, scn_pos(a, 1), SCN_H_KMALLOC);
	if (!h || sc->checking)
		return h ? 0 : SCN_ERROR;
	void *n = krealloc(sc->sim->mem, h->obj, size, gfp);
	if (!n) {
		scn_failure(sc);
		scn_printf(sc, "krealloc %s: failed (%llu bytes); the old object is kept\n", h->name,
			   (unsigned long long)size);
		return 0;
	}
	uint64_t old = kva(sc, h->obj);
	h->obj = n;
	h->size = size;
	scn_printf(sc, "krealloc %s: %llu bytes at %#llx (%s, ksize %zu)\n", h->name, (unsigned long long)size,
		   (unsigned long long)kva(sc, n), kva(sc, n) == old ? "in place" : "moved", ksize(sc->sim->mem, n));
	return 0;
}

CMD(cmd_kfree)
{
	int rc;
	struct scn_handle *h = scn_handle_arg(sc, a, SCN_H_KMALLOC, &rc);
	if (!h)
		return rc;
	kfree(sc->sim->mem, h->obj);
	scn_handle_freed(h, a);
	scn_printf(sc, "kfree %s: %#llx freed\n", h->name, (unsigned long long)kva(sc, h->obj));
	return 0;
}

/* free_all: give back everything live handles hold. */
CMD(cmd_free_all)
{
	if (scn_nargs(sc, a, sc->cur, 0, 0) || sc->checking)
		return sc->checking ? 0 : SCN_ERROR;
	struct memsys *m = sc->sim->mem;
	unsigned long n = 0;
	for (size_t i = 0; i < sc->nhandles; i++) {
		struct scn_handle *h = &sc->handles[i];
		if (h->failed || h->freed || h->kind == SCN_H_EXT)
			continue;
		if (h->kind == SCN_H_PAGES)
			while (h->refs-- > 0)
				__free_pages(m, h->page, h->order);
		else if (h->kind == SCN_H_OBJECT)
			kmem_cache_free(m, h->cache, h->obj);
		else
			kfree(m, h->obj);
		scn_handle_freed(h, a);
		n++;
	}
	scn_printf(sc, "free_all: %lu handle%s freed\n", n, n == 1 ? "" : "s");
	return 0;
}

/* check: mm_check; a violation counts as a failed expectation. */
CMD(cmd_check)
{
	char err[512];
	if (scn_nargs(sc, a, sc->cur, 0, 0) || sc->checking)
		return sc->checking ? 0 : SCN_ERROR;
	sc->expects++;
	if (mm_check(sc->sim->mem, err, sizeof err) == 0) {
		scn_printf(sc, "check: ok\n");
		return 0;
	}
	sc->expects_failed++;
	fflush(sc->out);
	fprintf(sc->errf, "%s%s:%d: check failed: %s\n", sc->errprefix, sc->file, a->line, err);
	return 0;
}

const struct scenario_cmd scenario_mm_cmds[] = {
	{"alloc_pages", "alloc_pages H [order=N] [gfp=FLAGS] [node=N]",
	 "allocate 2^N frames (default order 0, GFP_KERNEL); prints pfn, zone and node", cmd_alloc_pages},
	{"free_pages", "free_pages H", "__free_pages() the block of handle H", cmd_free_pages},
	{"get_page", "get_page H", "take a reference on H's head page", cmd_get_page},
	{"put_page", "put_page H", "drop a reference; the last one frees the page", cmd_put_page},
	{"kmem_cache_create", "kmem_cache_create NAME size=N [align=N] [flags=SLAB_...]",
	 "create a slab cache", cmd_kmem_cache_create},
	{"kmem_cache_alloc", "kmem_cache_alloc H CACHE [GFP]", "allocate an object from CACHE", cmd_kmem_cache_alloc},
	{"kmem_cache_zalloc", "kmem_cache_zalloc H CACHE [GFP]", "allocate a zeroed object", cmd_kmem_cache_zalloc},
	{"kmem_cache_free", "kmem_cache_free H", "free object H to its cache", cmd_kmem_cache_free},
	{"kmem_cache_destroy", "kmem_cache_destroy CACHE", "destroy CACHE (fails while objects are live)",
	 cmd_kmem_cache_destroy},
	{"kmem_cache_shrink", "kmem_cache_shrink CACHE", "give CACHE's empty slabs back to the buddy allocator",
	 cmd_kmem_cache_shrink},
	{"kmalloc", "kmalloc H SIZE [GFP]", "kmalloc SIZE bytes (K/M suffixes allowed)", cmd_kmalloc},
	{"kzalloc", "kzalloc H SIZE [GFP]", "kmalloc zeroed memory", cmd_kzalloc},
	{"kcalloc", "kcalloc H N SIZE [GFP]", "kmalloc a zeroed array of N elements", cmd_kcalloc},
	{"krealloc", "krealloc H SIZE [GFP]", "resize kmalloc'ed H (on failure H keeps its old object)",
	 cmd_krealloc},
	{"kfree", "kfree H", "free kmalloc'ed H", cmd_kfree},
	{"free_all", "free_all", "free what every live page, object and kmalloc handle holds", cmd_free_all},
	{"check", "check", "verify every invariant of the memory manager (mm_check); a violation fails like expect",
	 cmd_check},
	{0},
};

/* handle.H.FIELD: pfn, order, refcount, mapcount, node, zone (index), size,
 * ksize, failed, freed. */
static int handle_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	const char *dot = strrchr(name, '.');
	char hn[64];
	if (dot == name + 6 || (size_t)(dot - name - 7) >= sizeof hn) {
		snprintf(err, errlen, "'%s': expected handle.NAME.FIELD", name);
		return -1;
	}
	snprintf(hn, sizeof hn, "%.*s", (int)(dot - name - 7), name + 7);
	const char *f = dot + 1;
	struct scn_handle *h = scn_handle_find(sc, hn);
	if (!h) {
		snprintf(err, errlen, "unknown handle '%s'", hn);
		return -1;
	}
	if (!strcmp(f, "failed")) {
		*out = h->failed;
		return 0;
	}
	if (!strcmp(f, "freed")) {
		*out = h->freed;
		return 0;
	}
	if (h->failed || h->freed) {
		snprintf(err, errlen, "handle '%s' holds nothing (%s at line %d)", hn, h->failed ? "failed" : "freed",
			 h->failed ? h->line : h->freed_line);
		return -1;
	}
	struct memsys *m = sc->sim->mem;
	if (h->kind == SCN_H_PAGES) {
		struct page *p = h->page;
		if (!strcmp(f, "pfn"))
			*out = (long long)page_to_pfn(m, p);
		else if (!strcmp(f, "order"))
			*out = h->order;
		else if (!strcmp(f, "refcount"))
			*out = page_count(p);
		else if (!strcmp(f, "mapcount"))
			*out = page_mapcount(p);
		else if (!strcmp(f, "node"))
			*out = p->node;
		else if (!strcmp(f, "zone"))
			*out = page_zone(m, p)->type;
		else
			goto bad;
		return 0;
	}
	if (h->kind == SCN_H_OBJECT || h->kind == SCN_H_KMALLOC) {
		if (!strcmp(f, "addr"))
			*out = (long long)kva(sc, h->obj);
		else if (!strcmp(f, "size"))
			*out = (long long)h->size;
		else if (!strcmp(f, "ksize") && h->kind == SCN_H_KMALLOC)
			*out = (long long)ksize(m, h->obj);
		else if (!strcmp(f, "pfn"))
			*out = (long long)page_to_pfn(m, virt_to_page(m, h->obj));
		else
			goto bad;
		return 0;
	}
bad:
	snprintf(err, errlen,
		 "handle '%s' has no field '%s' (pages: pfn order refcount mapcount node zone; objects: addr size "
		 "ksize pfn; all: failed freed)",
		 hn, f);
	return -1;
}

int scenario_mm_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	char view[32];
	const char *dot = strchr(name, '.');
	if (!dot || (size_t)(dot - name) >= sizeof view)
		return 1;
	snprintf(view, sizeof view, "%.*s", (int)(dot - name), name);
	if (!strcmp(view, "handle"))
		return handle_stat(sc, name, out, err, errlen);
	if (errlen)
		err[0] = '\0';
	int rc = proc_stat_lookup(sc->sim->mem, view, dot + 1, out, err, errlen);
	if (rc < 0 && !*err)
		snprintf(err, errlen, "unknown stat '%s'", name);
	return rc;
}

int scenario_mm_show(struct scenario *sc, const char *view, char *err, size_t errlen)
{
	struct strbuf sb = {0};
	(void)err;
	(void)errlen;
	if (proc_show(sc->sim->mem, view, &sb) < 0)
		return 1;
	scn_printf(sc, "%s", sb.buf ? sb.buf : "");
	sb_free(&sb);
	return 0;
}
