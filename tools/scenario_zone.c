/* tools/scenario_zone.c - setting a zone's free level, and what the page
 * allocator did for an allocation (the watermark exercises):
 *   fill_zone ZONE free=N [node=N]
 * takes blocks straight from ZONE's free lists (rmqueue_zone: no
 * watermark, no kswapd, no reclaim, no fallback to another zone) until N
 * pages are free, so that a following alloc_pages meets the watermarks at
 * exactly that level.  The blocks stay allocated until the machine goes
 * away.  A zone below N already is an error (fill_zone only takes).
 *
 * alloc_pages records, for alloc_path(H), which path it took: the kswapd
 * wakeups and allocation stalls the allocator counted during the call
 * tell the fast path, the slow path that woke kswapd, direct reclaim and
 * a failure without reclaim apart.
 */
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "tools/scenario.h"

void scn_alloc_counters(struct memsys *m, unsigned long *wakeups, unsigned long *stalls)
{
	*wakeups = m->vm_events[KSWAPD_WAKEUP];
	*stalls = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		*stalls += m->vm_events[ALLOCSTALL_DMA + z];
}

enum scn_alloc_path scn_alloc_path_of(struct memsys *m, unsigned long w0, unsigned long s0, bool ok)
{
	unsigned long w, s;
	scn_alloc_counters(m, &w, &s);
	if (s > s0)
		return SCN_PATH_DIRECT;
	if (!ok)
		return SCN_PATH_FAILED;
	return w > w0 ? SCN_PATH_KSWAPD : SCN_PATH_FAST;
}

static int cmd_fill_zone(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "free", "node", NULL };
	const char *v;
	uint64_t want = 0, node = 0;
	int zi = scn_pos(a, 1), fi, ni;
	if (scn_nargs(sc, a, sc->cur, 2, 3) || scn_only(sc, a, 1, keys))
		return SCN_ERROR;
	if (zi < 0)
		return scn_error(sc, a, 1, "fill_zone: missing ZONE (DMA, DMA32, Normal, Movable)");
	int type;
	for (type = 0; type < MAX_NR_ZONES && strcmp(zone_names[type], a->argv[zi]); type++)
		;
	if (type == MAX_NR_ZONES)
		return scn_error(sc, a, zi, "unknown zone '%s' (DMA, DMA32, Normal, Movable)", a->argv[zi]);
	if ((fi = scn_kv(a, "free", &v)) < 0)
		return scn_error(sc, a, a->argc, "fill_zone: missing free=N (the free pages to leave)");
	if (scn_u64(sc, a, fi, 5, false, 1ULL << 40, &want))
		return SCN_ERROR;
	if ((ni = scn_kv(a, "node", &v)) >= 0 && scn_u64(sc, a, ni, 5, false, MAX_NUMNODES - 1, &node))
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	struct memsys *m = sc->sim->mem;
	if ((int)node >= m->nr_nodes)
		return scn_error(sc, a, ni, "node %llu does not exist (numa=%d)", (unsigned long long)node, m->nr_nodes);
	struct zone *z = &m->nodes[node].node_zones[type];
	if (!z->managed_pages)
		return scn_error(sc, a, zi, "zone %s of node %llu is empty", a->argv[zi], (unsigned long long)node);
	long free = z->vm_stat[NR_FREE_PAGES];
	if ((long)want > free)
		return scn_error(sc, a, fi, "zone %s has %ld free pages already, fewer than %llu (fill_zone only takes)",
				 a->argv[zi], free, (unsigned long long)want);
	unsigned long need = (unsigned long)free - want, taken = 0, blocks = 0;
	for (int o = MAX_ORDER - 1; o >= 0; o--)
		while (need - taken >= (1UL << o) && rmqueue_zone(m, z, (unsigned)o, GFP_KERNEL)) {
			taken += 1UL << o;
			blocks++;
		}
	scn_printf(sc, "fill_zone %s: took %lu pages (%lu blocks), %ld free\n", a->argv[zi], taken, blocks,
		   (long)z->vm_stat[NR_FREE_PAGES]);
	return 0;
}

const struct scenario_cmd scenario_zone_cmds[] = {
	{ "fill_zone", "fill_zone ZONE free=N [node=N]",
	  "take blocks from ZONE's free lists (no watermarks, kswapd or reclaim) until N pages are free", cmd_fill_zone },
	{ 0 },
};
