/* mm/zone.c - per-zone watermarks, lowmem reserves and the zonelist.
 *
 * The numbers follow Linux 6.1 (mm/page_alloc.c) exactly:
 *
 *  min_free_kbytes = clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)
 *      where lowmem_kbytes are the managed pages of every zone up to
 *      Normal (calculate_min_free_kbytes; a configured min_free_kbytes=
 *      replaces it, as writing the sysctl does).
 *  Per zone (__setup_per_zone_wmarks), pages_min = min_free_kbytes / 4:
 *      min  = pages_min * managed / lowmem_managed      (Movable zones:
 *             clamp(managed / 1024, 32, 128) instead)
 *      tmp  = max(pages_min * managed / lowmem_managed / 4,
 *                 managed * watermark_scale_factor / 10000)  (factor 10)
 *      low  = min + tmp,   high = min + 2 * tmp
 *  So on small machines (where min/4 dominates) low = min + min/4 and
 *  high = min + min/2; on large ones the scale factor (0.1% of the zone)
 *  sets the gap.
 *  lowmem_reserve[j] of zone i < j = managed pages of zones i+1..j of the
 *      same node / sysctl_lowmem_reserve_ratio[i] ({256, 256, 32, 0}),
 *      0 when the ratio is 0 or zone i is empty
 *      (setup_per_zone_lowmem_reserve).
 *  totalreserve_pages = sum over zones of min(managed, high + max reserve)
 *      (calculate_totalreserve_pages).
 */
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/page_pcp.h"

const char *const zone_names[MAX_NR_ZONES] = {"DMA", "DMA32", "Normal", "Movable"};

static const int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {256, 256, 32, 0};
#define SWAP_CLUSTER_MAX 32UL

/* Largest r with r*r <= x (Linux's int_sqrt). */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

long calculate_min_free_kbytes(const struct memsys *m, struct min_free_steps *st)
{
	struct min_free_steps tmp;
	if (!st)
		st = &tmp;
	st->lowmem_kbytes = 0;
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t <= ZONE_NORMAL; t++)
			st->lowmem_kbytes += m->nodes[n].node_zones[t].managed_pages * (PAGE_SIZE >> 10);
	st->root = int_sqrt(st->lowmem_kbytes * 16);
	unsigned long v = st->root;
	if (v < 128)
		v = 128;
	if (v > 262144)
		v = 262144;
	st->min_free_kbytes = (long)v;
	return (long)v;
}

static void calculate_totalreserve_pages(struct memsys *m)
{
	unsigned long reserve = 0;
	for (int n = 0; n < m->nr_nodes; n++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &m->nodes[n].node_zones[i];
			long max = 0;
			for (int j = i; j < MAX_NR_ZONES; j++)
				if (z->lowmem_reserve[j] > max)
					max = z->lowmem_reserve[j];
			max += (long)high_wmark_pages(z);
			if (max > (long)z->managed_pages)
				max = (long)z->managed_pages;
			reserve += (unsigned long)max;
		}
	}
	m->totalreserve_pages = reserve;
}

static void setup_per_zone_lowmem_reserve(struct memsys *m)
{
	for (int n = 0; n < m->nr_nodes; n++) {
		pg_data_t *pgdat = &m->nodes[n];
		for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *z = &pgdat->node_zones[i];
			int ratio = sysctl_lowmem_reserve_ratio[i];
			bool clear = !ratio || !z->managed_pages;
			unsigned long managed = 0;
			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += pgdat->node_zones[j].managed_pages;
				z->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned long)ratio);
			}
		}
	}
	calculate_totalreserve_pages(m);
}

void zone_wmark_steps(const struct memsys *m, const struct zone *z, struct wmark_steps *st)
{
	memset(st, 0, sizeof *st);
	st->pages_min = (unsigned long)m->min_free_kbytes >> (PAGE_SHIFT - 10);
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			if (t != ZONE_MOVABLE)
				st->lowmem_pages += m->nodes[n].node_zones[t].managed_pages;
	st->managed = z->managed_pages;
	st->share = st->lowmem_pages ? (unsigned long)((uint64_t)st->pages_min * z->managed_pages / st->lowmem_pages)
				     : 0;
	st->scale = (unsigned long)((uint64_t)z->managed_pages * (uint64_t)m->sysctl.watermark_scale_factor / 10000);
	if (z->type == ZONE_MOVABLE) {
		unsigned long mp = z->managed_pages / 1024;
		if (mp < SWAP_CLUSTER_MAX)
			mp = SWAP_CLUSTER_MAX;
		if (mp > 128)
			mp = 128;
		st->min = mp;
	} else {
		st->min = st->share;
	}
	st->gap = (st->share >> 2) > st->scale ? (st->share >> 2) : st->scale;
	st->low = st->min + st->gap;
	st->high = st->low + st->gap;
}

static void __setup_per_zone_wmarks(struct memsys *m)
{
	for (int n = 0; n < m->nr_nodes; n++) {
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &m->nodes[n].node_zones[t];
			struct wmark_steps st;

			zone_wmark_steps(m, z, &st);
			z->watermark_boost = 0;
			z->_watermark[WMARK_MIN] = st.min;
			z->_watermark[WMARK_LOW] = st.low;
			z->_watermark[WMARK_HIGH] = st.high;
		}
	}
	calculate_totalreserve_pages(m);
}

/* Recompute min_free_kbytes (unless configured), watermarks, lowmem
 * reserves and totalreserve_pages, in init_per_zone_wmark_min()'s order. */
void setup_per_zone_wmarks(struct memsys *m)
{
	m->min_free_kbytes = m->cfg.min_free_kbytes >= 0 ? m->cfg.min_free_kbytes : calculate_min_free_kbytes(m, NULL);
	__setup_per_zone_wmarks(m);
	setup_per_zone_lowmem_reserve(m);
	/* the watermarks changed: so do the pcp high limits (zone_pcp_update) */
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			zone_pcp_update(m, &m->nodes[n].node_zones[t]);
}

/* Fill m->zonelist: node 0's populated zones from the highest down, then
 * node 1's (Linux's node-ordered fallback list seen from node 0). */
void build_zonelists(struct memsys *m)
{
	m->nr_zonelist = 0;
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = MAX_NR_ZONES - 1; t >= 0; t--)
			if (m->nodes[n].node_zones[t].present_pages)
				m->zonelist[m->nr_zonelist++] = &m->nodes[n].node_zones[t];
}
