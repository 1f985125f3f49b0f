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
 * partial, 2 empty), or is frozen (3: a CPU slab whose CPU freelist is
 * CPU_FREELIST; 4: on a CPU partial list).  Returns 0 or -1 with ERR. */
static int check_slab(struct memsys *m, struct kmem_cache *s, struct page *slab, int st, void *cpu_freelist,
		      char *err, size_t errlen)
{
	static const char *const lname[] = {"full", "partial", "empty", "CPU slab", "CPU partial"};
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
	int want = slab->frozen ? st : slab->inuse == 0 ? 2 : slab->inuse == slab->objects ? 0 : 1;
	if (slab->frozen != (st >= 3)) {
		snprintf(err, errlen, "slab %s: pfn %lu on the %s list is %sfrozen", s->name, pfn, lname[st],
			 slab->frozen ? "" : "not ");
		return -1;
	}
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
	/* a CPU slab's free objects: its CPU's freelist, then its own */
	for (void *p = cpu_freelist ? cpu_freelist : slab->freelist, *own = cpu_freelist ? slab->freelist : NULL; p;) {
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
		if (!p) {
			p = own;
			own = NULL;
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

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
	return x < y ? -1 : x > y;
}

/* The per-CPU part of S's invariants (mm/slub_cpu.c): only a cache with
 * per-CPU slabs has frozen slabs, only on CPUs the machine has, a CPU
 * freelist only with a CPU slab, and no slab is held twice (a CPU slab
 * and on a partial list, or by two CPUs).  Returns 0 or -1 with ERR. */
static int check_cpu_slabs(struct memsys *m, struct kmem_cache *s, char *err, size_t errlen)
{
	unsigned long n = s->nr_cpu_slabs + s->nr_cpu_partial, k = 0;
	struct page **held;
	int ret = 0;

	for (int cpu = 0; cpu < MM_MAX_CPUS; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		bool any = c->slab || c->freelist || !list_empty(&c->partial) || c->nr_partial;
		if (any && (!s->cpu_slabs || cpu >= m->nr_cpus)) {
			snprintf(err, errlen, "slab %s: cpu %d holds slabs but %s", s->name, cpu,
				 s->cpu_slabs ? "the machine has fewer CPUs" : "the cache has no per-CPU slabs");
			return -1;
		}
		if (c->freelist && !c->slab) {
			snprintf(err, errlen, "slab %s: cpu %d has a freelist but no slab", s->name, cpu);
			return -1;
		}
	}
	if (!n)
		return 0;
	if (n > m->max_pfn || !(held = calloc(n, sizeof(*held)))) {
		snprintf(err, errlen, "slab %s: %lu frozen slabs counted", s->name, n);
		return -1;
	}
	for (int cpu = 0; cpu < MM_MAX_CPUS && !ret; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		struct list_head *sp;
		unsigned long steps = 0;
		if (c->slab && k < n)
			held[k++] = c->slab;
		for (sp = c->partial.next; sp != &c->partial && k < n && ++steps <= n; sp = sp->next)
			held[k++] = list_entry(sp, struct page, lru);
	}
	qsort(held, k, sizeof(*held), cmp_ptr);
	for (unsigned long i = 1; i < k; i++) {
		if (held[i] == held[i - 1]) {
			snprintf(err, errlen, "slab %s: pfn %lu is held by CPUs twice", s->name,
				 page_to_pfn(m, held[i]));
			ret = -1;
			break;
		}
	}
	free(held);
	return ret;
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
		/* lists 0..2: full, partial, empty; 3: CPU slabs; 4: CPU partial */
		struct list_head *node_lists[3] = {&s->slabs_full, &s->slabs_partial, &s->slabs_empty};
		unsigned long cnt[5] = {0}, objs = 0, inuse = 0, pages = 0, pfree = 0;
		if (check_cpu_slabs(m, s, err, errlen) < 0)
			return -1;
		for (int l = 0; l < 3 + 2 * MM_MAX_CPUS; l++) {
			struct kmem_cache_cpu *c = l < 3 ? NULL : &s->cpu_slab[(l - 3) / 2];
			int st = l < 3 ? l : 3 + (l - 3) % 2;
			struct list_head one, *head, *sp;
			if (st == 3) { /* a one-slab "list" for the uniform walk */
				if (!c->slab)
					continue;
				one.next = &c->slab->lru;
				head = &one;
			} else {
				head = st < 3 ? node_lists[st] : &c->partial;
			}
			unsigned long on_list = 0;
			for (sp = head->next; sp != head; sp = st == 3 ? head : sp->next) {
				struct page *slab = list_entry(sp, struct page, lru);
				if (check_slab(m, s, slab, st, st == 3 ? c->freelist : NULL, err, errlen) < 0)
					return -1;
				cnt[st]++;
				on_list++;
				objs += slab->objects;
				inuse += slab->inuse;
				pages += 1ul << slab_order(slab);
				if (st == 1 || st == 2)
					pfree += (unsigned long)(slab->objects - slab->inuse);
				if (s->flags & SLAB_RECLAIM_ACCOUNT)
					rcl[slab->node] += 1l << slab_order(slab);
				else
					unrcl[slab->node] += 1l << slab_order(slab);
				if (cnt[st] > m->max_pfn) {
					snprintf(err, errlen, "slab %s: cycle in a slab list", s->name);
					return -1;
				}
			}
			if (st == 4 && on_list != c->nr_partial) {
				snprintf(err, errlen, "slab %s: cpu %d partial list holds %lu slabs, its count says %lu",
					 s->name, (l - 3) / 2, on_list, c->nr_partial);
				return -1;
			}
		}
		if (cnt[0] != s->nr_full || cnt[1] != s->nr_partial || cnt[2] != s->nr_empty ||
		    cnt[3] != s->nr_cpu_slabs || cnt[4] != s->nr_cpu_partial ||
		    cnt[0] + cnt[1] + cnt[2] + cnt[3] + cnt[4] != s->nr_slabs || objs != s->total_objects ||
		    inuse != s->active_objects || pages != s->total_pages || pfree != s->partial_free) {
			snprintf(err, errlen,
				 "slab %s: lists hold %lu/%lu/%lu slabs, %lu/%lu frozen, %lu objects, %lu in use, %lu pages, "
				 "%lu free on partial; counters say %lu/%lu/%lu, %lu/%lu, %lu, %lu, %lu, %lu",
				 s->name, cnt[0], cnt[1], cnt[2], cnt[3], cnt[4], objs, inuse, pages, pfree, s->nr_full,
				 s->nr_partial, s->nr_empty, s->nr_cpu_slabs, s->nr_cpu_partial, s->total_objects,
				 s->active_objects, s->total_pages, s->partial_free);
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
