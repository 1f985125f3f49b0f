/* mm/slab_debug.c - SLUB debugging (slub_debug=PZ: poison and red zones),
 * error reports, and the slab invariant check used by mm_check().
 *
 * With SLAB_POISON a free object holds POISON_FREE (0x6b) bytes ending in
 * POISON_END (0xa5), and the slab's unused bytes hold POISON_INUSE (0x5a).
 * With SLAB_RED_ZONE the bytes just before and after each object hold
 * SLUB_RED_INACTIVE (0xbb) while it is free and SLUB_RED_ACTIVE (0xcc) while
 * it is allocated.  Allocation checks a free object's patterns (a write
 * after free shows as "Poison overwritten"); freeing checks the red zones
 * (an overrun shows as "Redzone overwritten").  Like Linux's
 * restore_bytes(), a damaged pattern is reported and then restored, so the
 * allocator carries on with consistent state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/slub_def.h"
#include "traces/trace.h"

/* Report WHAT about OBJ of S: a SLAB_ERROR event, m->slab_errors, and the
 * first line of Linux's slab_bug() report on stderr. */
void slab_report(struct memsys *m, const struct kmem_cache *s, const void *obj, const char *what)
{
	struct trace_event ev = trace_event_init(TEV_SLAB_ERROR);
	ev.cache = s ? s->name : NULL;
	ev.addr = obj && addr_in_ram(m, obj) ? kva_of(m, obj) : (uint64_t)(uintptr_t)obj;
	ev.detail = what;
	trace_emit(m->trace, &ev);
	m->slab_errors++;
	fprintf(stderr, "BUG %s (Not tainted): %s\n", s ? s->name : "<none>", what);
}

void init_object(struct kmem_cache *s, void *obj, uint8_t val)
{
	uint8_t *p = obj;
	if (s->flags & SLAB_RED_ZONE)
		memset(p - s->red_left_pad, val, s->red_left_pad);
	if (s->object_poison) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + s->object_size, val, s->inuse - s->object_size);
}

void setup_slab_debug(struct memsys *m, struct kmem_cache *s, struct page *slab)
{
	if (s->flags & SLAB_POISON)
		memset(page_address(m, slab), POISON_INUSE, PAGE_SIZE << slab_order(slab));
	for (unsigned i = 0; i < slab->objects; i++)
		init_object(s, slab_object(m, s, slab, i), SLUB_RED_INACTIVE);
}

/* Are LEN bytes at P all VAL?  If not, restore them and return false. */
static bool check_bytes(uint8_t *p, uint8_t val, size_t len)
{
	bool ok = true;
	for (size_t i = 0; i < len; i++) {
		if (p[i] != val) {
			p[i] = val;
			ok = false;
		}
	}
	return ok;
}

bool check_object(struct memsys *m, struct kmem_cache *s, void *obj, uint8_t val)
{
	uint8_t *p = obj;
	bool ok = true;

	if (s->flags & SLAB_RED_ZONE) {
		bool left = check_bytes(p - s->red_left_pad, val, s->red_left_pad);
		bool right = check_bytes(p + s->object_size, val, s->inuse - s->object_size);
		if (!left || !right) {
			slab_report(m, s, obj, "Redzone overwritten");
			ok = false;
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes(p + s->object_size, POISON_INUSE, s->inuse - s->object_size)) {
			slab_report(m, s, obj, "Alignment padding overwritten");
			ok = false;
		}
	}
	if (s->object_poison && val == SLUB_RED_INACTIVE) {
		bool intact = check_bytes(p, POISON_FREE, s->object_size - 1);
		if (p[s->object_size - 1] != POISON_END) {
			p[s->object_size - 1] = POISON_END;
			intact = false;
		}
		if (!intact) {
			slab_report(m, s, obj, "Poison overwritten");
			ok = false;
		}
	}
	return ok;
}

/* Check one slab of S that sits on the list for state ST (0 full, 1
 * partial, 2 empty).  Returns 0 or -1 with ERR. */
static int check_slab(struct memsys *m, struct kmem_cache *s, struct page *slab, int st, char *err, size_t errlen)
{
	static const char *const lname[] = {"full", "partial", "empty"};
	unsigned long pfn = page_to_pfn(m, slab);
	unsigned order = slab_order(slab);
	unsigned n = 0, bits = 0;
	uint64_t *seen = NULL;

	if (!PageSlab(slab) || slab->mapping != s || PageBuddy(slab)) {
		snprintf(err, errlen, "slab %s: pfn %lu on its %s list is not a slab page of the cache", s->name, pfn,
			 lname[st]);
		return -1;
	}
	if ((order != s->order && order != s->min_order) || slab->objects != (PAGE_SIZE << order) / s->size ||
	    slab->colour_off + (unsigned long)slab->objects * s->size > PAGE_SIZE << order) {
		snprintf(err, errlen, "slab %s: pfn %lu has order %u, %u objects, colour %u (cache: order %u, %u objects)",
			 s->name, pfn, order, slab->objects, slab->colour_off, s->order, s->objects);
		return -1;
	}
	int want = slab->inuse == 0 ? 2 : slab->inuse == slab->objects ? 0 : 1;
	if (slab->inuse > slab->objects || want != st) {
		snprintf(err, errlen, "slab %s: pfn %lu with %u of %u objects in use is on the %s list", s->name, pfn,
			 slab->inuse, slab->objects, lname[st]);
		return -1;
	}
	for (unsigned i = 0; i < slab->objects; i++)
		bits += obj_allocated(slab, i);
	if (bits != slab->inuse) {
		snprintf(err, errlen, "slab %s: pfn %lu has inuse %u but %u objects allocated", s->name, pfn, slab->inuse,
			 bits);
		return -1;
	}
	seen = calloc((slab->objects + 63) / 64, sizeof(uint64_t));
	if (!seen) {
		snprintf(err, errlen, "slab_check: out of host memory");
		return -1;
	}
	for (void *p = slab->freelist; p;) {
		long idx = slab_obj_index(m, s, slab, p);
		if (idx < 0 || obj_allocated(slab, (unsigned)idx) || ((seen[idx / 64] >> (idx % 64)) & 1u)) {
			snprintf(err, errlen,
				 "slab %s: pfn %lu freelist entry %u (0x%llx) is %s", s->name, pfn, n,
				 (unsigned long long)(addr_in_ram(m, p) ? kva_of(m, p) : (uintptr_t)p),
				 idx < 0 ? "not an object of the slab"
				 : obj_allocated(slab, (unsigned)idx) ? "an allocated object"
								       : "already on the list (cycle)");
			goto err;
		}
		seen[idx / 64] |= 1ull << (idx % 64);
		n++;
		if (!get_freepointer(m, s, p, &p)) {
			snprintf(err, errlen, "slab %s: pfn %lu freelist entry %u holds a pointer outside RAM", s->name,
				 pfn, n);
			goto err;
		}
	}
	if (n != (unsigned)(slab->objects - slab->inuse)) {
		snprintf(err, errlen, "slab %s: pfn %lu freelist has %u objects, expected %u", s->name, pfn, n,
			 slab->objects - slab->inuse);
		goto err;
	}
	free(seen);
	return 0;
err:
	free(seen);
	return -1;
}

/* Every slab invariant (see mm/slab.c) plus the slab page counters of each
 * node.  Returns 0 or -1 with the first violation in ERR. */
int slab_check(struct memsys *m, char *err, size_t errlen)
{
	long rcl[MAX_NUMNODES] = {0}, unrcl[MAX_NUMNODES] = {0};
	struct list_head *pos;

	if (!m->slab_caches.next)
		return 0;
	list_for_each(pos, &m->slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		struct list_head *lists[] = {&s->slabs_full, &s->slabs_partial, &s->slabs_empty};
		unsigned long cnt[3] = {0}, objs = 0, inuse = 0, pages = 0;
		for (int l = 0; l < 3; l++) {
			struct list_head *sp;
			list_for_each(sp, lists[l]) {
				struct page *slab = list_entry(sp, struct page, lru);
				if (check_slab(m, s, slab, l, err, errlen) < 0)
					return -1;
				cnt[l]++;
				objs += slab->objects;
				inuse += slab->inuse;
				pages += 1ul << slab_order(slab);
				if (s->flags & SLAB_RECLAIM_ACCOUNT)
					rcl[slab->node] += 1l << slab_order(slab);
				else
					unrcl[slab->node] += 1l << slab_order(slab);
				if (cnt[l] > m->max_pfn) {
					snprintf(err, errlen, "slab %s: cycle in a slab list", s->name);
					return -1;
				}
			}
		}
		if (cnt[0] != s->nr_full || cnt[1] != s->nr_partial || cnt[2] != s->nr_empty ||
		    cnt[0] + cnt[1] + cnt[2] != s->nr_slabs || objs != s->total_objects || inuse != s->active_objects ||
		    pages != s->total_pages) {
			snprintf(err, errlen,
				 "slab %s: lists hold %lu/%lu/%lu slabs, %lu objects, %lu in use, %lu pages; counters say "
				 "%lu/%lu/%lu, %lu, %lu, %lu",
				 s->name, cnt[0], cnt[1], cnt[2], objs, inuse, pages, s->nr_full, s->nr_partial, s->nr_empty,
				 s->total_objects, s->active_objects, s->total_pages);
			return -1;
		}
	}
	/* kmalloc_large blocks count as unreclaimable slab, as in Linux. */
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *p = pfn_to_page(m, pfn);
		if (PageHead(p) && !PageSlab(p) && p->private == KMALLOC_LARGE_MAGIC)
			unrcl[p->node] += 1l << p->compound_order;
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		long vr = m->nodes[n].vm_stat[NR_SLAB_RECLAIMABLE_B], vu = m->nodes[n].vm_stat[NR_SLAB_UNRECLAIMABLE_B];
		if (vr != rcl[n] || vu != unrcl[n]) {
			snprintf(err, errlen,
				 "node %d: nr_slab_reclaimable %ld / nr_slab_unreclaimable %ld pages, slabs hold %ld / %ld",
				 n, vr, vu, rcl[n], unrcl[n]);
			return -1;
		}
	}
	return 0;
}
