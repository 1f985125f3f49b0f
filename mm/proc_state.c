/* mm/proc_state.c - gather and restore the numbers of /proc's global views
 * (see mm/proc_state.h).
 *
 * The fields are found once, as a table of addresses and widths, and the
 * table is rebuilt when the set of slab caches changes (memsys
 * slab_caches_gen).  Gathering is then one load per field: it runs after
 * every traced event, so it must stay cheap.  When the vector does not fit
 * the caller's buffer nothing is written.  Fields that never change
 * after boot (spanned and present pages, the direct map) are left out; a
 * restore target is built from the same configuration, so it has them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/proc.h"
#include "mm/proc_state.h"
#include "mm/slub_def.h"
#include "mm/swapfile.h"


struct proc_state {
	struct memsys *m;
	unsigned long gen;       /* m->slab_caches_gen the table was built for */
	bool had_swap;           /* m->swap was set when it was built */
	bool built;
	/* the 8-byte fields (long, unsigned long) come first in the vector,
	 * then the 4-byte ones (int): two loops without a branch per field */
	int64_t **f64;
	int32_t **f32;
	size_t n64, n32, cap64, cap32;
	size_t n;
	int64_t layout_gen;      /* element 0: bumped at every rebuild */
	struct strbuf layout;
};

struct proc_state *proc_state_create(struct memsys *m)
{
	struct proc_state *ps = calloc(1, sizeof *ps);
	if (ps)
		ps->m = m;
	return ps;
}

void proc_state_destroy(struct proc_state *ps)
{
	if (!ps)
		return;
	free(ps->f64);
	free(ps->f32);
	sb_free(&ps->layout);
	free(ps);
}

/* Append the address P to *TABLE (*N used of *CAP).  Returns false when
 * out of memory. */
static bool push(void ***table, size_t *n, size_t *cap, void *p)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		void **t = realloc(*table, c * sizeof *t);
		if (!t)
			return false;
		*table = t;
		*cap = c;
	}
	(*table)[(*n)++] = p;
	return true;
}

/* Append field P of WIDTH bytes (4 or 8).  Returns false when out of memory. */
static bool add(struct proc_state *ps, void *p, uint8_t width)
{
	if (width == 8)
		return push((void ***)&ps->f64, &ps->n64, &ps->cap64, p);
	return push((void ***)&ps->f32, &ps->n32, &ps->cap32, p);
}

/* Only int and long-sized fields: anything else fails the build. */
#define ADD(ps, lvalue) \
	((void)sizeof(char[sizeof(lvalue) == 4 || sizeof(lvalue) == 8 ? 1 : -1]), \
	 add((ps), &(lvalue), (uint8_t)sizeof(lvalue)))

/* Build the field table and the layout text for the memsys as it is now.
 * Returns false when out of memory. */
static bool build(struct proc_state *ps)
{
	struct memsys *m = ps->m;
	bool ok = true;
	ps->n64 = ps->n32 = 0;
	ps->layout.len = 0;
	if (ps->layout.buf)
		ps->layout.buf[0] = '\0';
	ok &= add(ps, &ps->layout_gen, 8);
	ok &= ADD(ps, m->totalram_pages);
	ok &= ADD(ps, m->totalreserve_pages);
	ok &= ADD(ps, m->vm_committed_as);
	ok &= ADD(ps, m->vmalloc_total_bytes);
	ok &= ADD(ps, m->sysctl.overcommit_ratio);
	ok &= ADD(ps, m->sysctl.overcommit_kbytes);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		ok &= ADD(ps, m->vm_events[i]);
	if (m->swap) {
		ok &= ADD(ps, m->swap->pages);
		ok &= ADD(ps, m->swap->inuse_pages);
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		pg_data_t *pgdat = &m->nodes[n];
		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			ok &= ADD(ps, pgdat->vm_stat[i]);
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &pgdat->node_zones[t];
			ok &= ADD(ps, z->managed_pages);
			for (int w = 0; w < NR_WMARK; w++)
				ok &= ADD(ps, z->_watermark[w]);
			ok &= ADD(ps, z->watermark_boost);
			for (int r = 0; r < MAX_NR_ZONES; r++)
				ok &= ADD(ps, z->lowmem_reserve[r]);
			for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
				ok &= ADD(ps, z->vm_stat[i]);
			if (!z->present_pages)
				continue;
			for (int o = 0; o < MAX_ORDER; o++)
				ok &= ADD(ps, z->free_area[o].nr_free);
			ok &= ADD(ps, z->stat_threshold);
			for (int cpu = 0; cpu < m->nr_cpus && cpu < MM_MAX_CPUS; cpu++) {
				ok &= ADD(ps, z->per_cpu_pageset[cpu].count);
				ok &= ADD(ps, z->per_cpu_pageset[cpu].high);
				ok &= ADD(ps, z->per_cpu_pageset[cpu].batch);
			}
		}
	}
	sb_printf(&ps->layout, "proc_state 2 nodes=%d cpus=%d events=%d node_stats=%d zone_stats=%d swap=%d caches=",
		  m->nr_nodes, m->nr_cpus, (int)NR_VM_EVENT_ITEMS, (int)NR_VM_NODE_STAT_ITEMS,
		  (int)NR_VM_ZONE_STAT_ITEMS, m->swap != NULL);
	if (m->slab_caches.next) {
		struct list_head *pos;
		list_for_each(pos, &m->slab_caches) {
			struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
			ok &= ADD(ps, s->active_objects);
			ok &= ADD(ps, s->total_objects);
			ok &= ADD(ps, s->nr_slabs);
			ok &= ADD(ps, s->partial_free); /* slabinfo's active_objs (mm/slab.c) */
			sb_printf(&ps->layout, "%s/%u/%u,", s->name, s->size, s->order);
		}
	}
	ps->n = ps->n64 + ps->n32;
	ps->gen = m->slab_caches_gen;
	ps->had_swap = m->swap != NULL;
	ps->layout_gen++;
	ps->built = ok;
	return ok;
}

/* Does the table no longer describe the memsys? */
static bool stale(const struct proc_state *ps)
{
	return !ps->built || ps->gen != ps->m->slab_caches_gen || ps->had_swap != (ps->m->swap != NULL);
}

size_t proc_state_gather(struct proc_state *ps, int64_t *buf, size_t cap)
{
	if (stale(ps) && !build(ps))
		return 0;
	if (ps->n > cap)
		return ps->n;
	int64_t *const *f64 = ps->f64;
	int32_t *const *f32 = ps->f32;
	size_t n64 = ps->n64, n32 = ps->n32;
	for (size_t i = 0; i < n64; i++)
		buf[i] = *f64[i];
	buf += n64;
	for (size_t i = 0; i < n32; i++)
		buf[i] = *f32[i];
	return ps->n;
}

const char *proc_state_layout(struct proc_state *ps)
{
	if (stale(ps) && !build(ps))
		return "";
	return ps->layout.buf ? ps->layout.buf : "";
}

int proc_state_restore(struct proc_state *ps, const char *layout, const int64_t *buf, size_t n)
{
	if (strcmp(proc_state_layout(ps), layout) || n != ps->n)
		return -1;
	/* element 0 is this gatherer's own generation, not the memsys's */
	for (size_t i = 1; i < ps->n64; i++)
		*ps->f64[i] = buf[i];
	for (size_t i = 0; i < ps->n32; i++)
		*ps->f32[i] = (int32_t)buf[ps->n64 + i];
	return 0;
}
