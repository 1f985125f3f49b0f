/* mm/slabinfo.c - /proc/slabinfo, as mm/slab_common.c prints it for SLUB.
 *
 * Caches are listed newest first, as Linux does (it list_add()s each new
 * cache at the head of slab_caches); memsys->slab_caches is kept in
 * creation order, so it is walked backwards.  objsize is the slot size
 * (s->size, metadata and alignment included); SLUB has no tunables and
 * counts every slab as active.
 *
 * active_objs follows Linux's get_slabinfo(): num_objs minus the free
 * objects on the node's partial list (count_partial(n, count_free)), so
 * the free objects of per-CPU slabs and of slabs on CPU partial lists
 * (cpu_slab=on, mm/slub_cpu.c) are shown as active, exactly as Linux
 * shows them.  Without per-CPU slabs the figure is the exact count of
 * allocated objects.  Every number comes from counters the allocator
 * keeps incrementally (kmem_cache_info: total_objects, partial_free,
 * nr_slabs...); nothing here walks a slab list.
 */
#include "mm/proc.h"
#include "mm/slub_def.h"

void proc_slabinfo(struct memsys *m, struct strbuf *sb)
{
	struct list_head *pos;

	sb_printf(sb, "slabinfo - version: 2.1\n");
	sb_printf(sb, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		      " : tunables <limit> <batchcount> <sharedfactor>"
		      " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (pos = m->slab_caches.prev; pos != &m->slab_caches; pos = pos->prev) {
		const struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		struct slabinfo si;
		kmem_cache_info(s, &si);
		sb_printf(sb, "%-17s %6lu %6lu %6u %4u %4d", si.name, si.active_objs, si.num_objs, si.objsize,
			  si.objperslab, (int)si.pagesperslab);
		sb_printf(sb, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		sb_printf(sb, " : slabdata %6lu %6lu %6lu\n", si.active_slabs, si.num_slabs, 0ul);
	}
}
