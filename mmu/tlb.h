/* mmu/tlb.h - set-associative TLB arrays and their configuration.
 *
 * The hierarchy (struct mmu in mmu/mmu.h owns one array of each):
 *   l1d    L1 dTLB, 4 KiB pages          (default 64 entries, 4-way)
 *   l1i    L1 iTLB, 4 KiB pages          (default 128 entries, 8-way)
 *   l1d2m  L1 dTLB, 2 MiB pages          (default 32 entries, 4-way)
 *   l1i2m  L1 iTLB, 2 MiB pages          (default 8 entries, 8-way)
 *   l2     unified STLB, 4 KiB and 2 MiB (default 1536 entries, 12-way)
 * 1 GiB pages are cached as 2 MiB fragments in the 2 MiB arrays and the STLB
 * (each fragment covers the 2 MiB of the 1 GiB page that was accessed), as
 * Intel parts without a dedicated 1 GiB array do.  Replacement is tree
 * pseudo-LRU by default (Intel); lru, fifo and random (seeded from the run's
 * seed) are selectable per array.
 *
 * One entry is two words.  tag: the page's virtual address (page-size
 * aligned) ORed with the 12-bit PCID, or TLB_PCID_GLOBAL (4095) for a global
 * page, which matches every PCID.  data: the page's physical base address
 * (bits 12..51) ORed with TLBE_* rights.  An invalid entry has data 0 (no
 * TLBE_V) and the non-canonical tag TLB_TAG_INVALID.  Entries of one set are
 * contiguous.  Beside the tags, a 32-bit utag per way (tag bits 12..43,
 * TLB_UTAG_INVALID for an invalid slot) lets a lookup compare four ways per
 * SSE2 instruction in one cache line (12 ways: 48 bytes) and read the full
 * tag and data of the candidate way only.
 *
 * A spec string configures the whole hierarchy (tlb_config_parse):
 *   l1d=64:4,l1i=128:8,l1d2m=32:4,l1i2m=8:8,l2=1536:12,policy=plru,pcid=on
 * with optional per-array policies (l2.policy=lru or l2=1536:12:lru) and
 * paging-structure caches (psc=on|off, psc.pml4e=N[:W], psc.pdpte=...,
 * psc.pde=...).  The number of sets (entries / ways) must be a power of two:
 * hardware indexes a TLB with virtual-address bits.  docs/tlb.md has the rest.
 */
#ifndef MMSIM_MMU_TLB_H
#define MMSIM_MMU_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmu/psc.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum tlb_policy { TLB_PLRU, TLB_LRU, TLB_FIFO, TLB_RANDOM, TLB_NR_POLICIES };

enum tlb_id { TLB_L1D, TLB_L1I, TLB_L1D2M, TLB_L1I2M, TLB_L2, TLB_NR };

#define TLB_MAX_WAYS 256        /* lru, fifo, random */
#define TLB_MAX_PLRU_WAYS 64    /* plru: the tree's node bits fit one word */
#define TLB_MAX_ENTRIES (1u << 20)

/* PCIDs are 12 bits; 4095 is reserved as the tag of global entries. */
#define TLB_PCID_GLOBAL 0xfffu
#define TLB_PCID_MAX 4094u
#define TLB_TAG_INVALID 0x8000000000000000ULL  /* non-canonical: never looked up */
#define TLB_UTAG_INVALID 0xffffffffu            /* utag of an invalid (or padding) slot */

/* data word bits (below bit 12; bits 12..51 hold the physical base) */
#define TLBE_V     0x001ULL  /* valid */
#define TLBE_W     0x002ULL  /* writes allowed without a walk: R/W=1 on all levels and D=1 */
#define TLBE_U     0x004ULL  /* user accessible: U/S=1 on all levels */
#define TLBE_X     0x008ULL  /* fetch allowed: NX=0 on all levels */
#define TLBE_RW    0x010ULL  /* writable (D may still be 0) */
#define TLBE_G     0x020ULL  /* global page */
#define TLBE_LARGE 0x040ULL  /* 2 MiB entry (or 2 MiB fragment of a 1 GiB page) */
#define TLBE_1G    0x080ULL  /* fragment of a 1 GiB page */
#define TLBE_DIRTY 0x100ULL  /* D was set in the leaf when cached */
#define TLBE_PA_MASK 0x000ffffffffff000ULL

struct tlb_array_config {
	unsigned entries, ways;
	enum tlb_policy policy;
};

struct tlb_config {
	struct tlb_array_config a[TLB_NR];
	bool pcid;                 /* CR4.PCIDE: entries tagged with the mm's PCID */
	bool psc_enabled;          /* paging-structure caches in the walker */
	struct psc_config psc;
};

/* One set-associative array.  tag/data are what a slot holds; utag is a
 * filter kept in step with tag: bits 12..43 of the tag (TLB_UTAG_INVALID
 * for an invalid or padding slot), 4 bytes a way and ways padded to a
 * multiple of 4, so a lookup compares 4 ways per SSE2 instruction and
 * reads tag/data only for the (usually single) candidate way. */
struct tlb {
	uint64_t *tag;             /* sets * ways */
	uint64_t *data;            /* sets * ways */
	uint32_t *utag;            /* sets * ustride: (uint32_t)(tag >> 12) */
	uint64_t *stamp;           /* lru: last use; fifo: fill time (unused by plru, random) */
	uint64_t *plru;            /* per set: tree bits (bit n-1 = node n) */
	uint16_t *nvalid;          /* per set: valid entries (a full set needs no
	                            * search for an invalid way) */
	uint64_t set_mask;         /* sets - 1 */
	uint64_t way_mask;         /* bits 0..ways-1 (ways <= 64) */
	unsigned sets, ways;
	unsigned ustride;          /* ways rounded up to a multiple of 4 */
	unsigned shift;            /* 12 (4 KiB array) or 21 (2 MiB array, and the STLB's 2 MiB index) */
	bool mixed;                /* holds 4 KiB and 2 MiB entries (the STLB) */
	enum tlb_policy policy;
	enum tlb_id id;
	uint64_t clock;            /* lru/fifo time */
	uint64_t rng;              /* random policy: xorshift64* state */
	unsigned plru_leaves;      /* ways rounded up to a power of two */
	unsigned plru_depth;       /* log2(plru_leaves) */
	unsigned long nr_1g;       /* valid 1 GiB fragments (invalidation scans when > 0) */
	unsigned long nr_valid;    /* valid entries */
	unsigned long nr_large;    /* valid entries with TLBE_LARGE */
	/* statistics */
	unsigned long hits, misses, fills, evictions, invalidations;
	uint64_t plru_set[TLB_MAX_PLRU_WAYS];  /* node bits a use of way w sets */
	uint64_t plru_keep[TLB_MAX_PLRU_WAYS]; /* ~(node bits a use of way w clears) */
	uint8_t plru_victim_tab[128]; /* plru_leaves <= 8: victim way for each tree state */
};

/* ---- configuration (tlb_config.c) ---- */

/* The default hierarchy: a recent Intel core (see the top of this file),
 * PLRU everywhere, PCID on, paging-structure caches on. */
void tlb_config_default(struct tlb_config *cfg);
/* Apply SPEC ("l1d=64:4,policy=lru,...") on top of *CFG.  An empty SPEC
 * changes nothing.  Returns 0, or -1 with a one-line message in ERR
 * ("tlb: l1d=63:4: entries (63) not divisible by ways (4)"). */
int tlb_config_parse(const char *spec, struct tlb_config *cfg, char *err, size_t errlen);
/* Render CFG as a spec tlb_config_parse accepts; returns BUF. */
char *tlb_config_format(const struct tlb_config *cfg, char *buf, size_t len);
/* "l1d", "l1i", "l1d2m", "l1i2m", "l2"; "plru", "lru", "fifo", "random". */
const char *tlb_id_name(enum tlb_id id);
const char *tlb_policy_name(enum tlb_policy p);
/* Check one array's geometry.  Returns 0 or -1 with ERR. */
int tlb_array_check(const char *name, const struct tlb_array_config *c, char *err, size_t errlen);

/* ---- arrays (tlb.c) ---- */

/* Build array ID from C (checked with tlb_array_check).  SEED seeds the
 * random policy.  Returns 0, or -1 with ERR (bad geometry, out of memory). */
int tlb_init(struct tlb *t, enum tlb_id id, const struct tlb_array_config *c, uint64_t seed, char *err,
	     size_t errlen);
void tlb_destroy(struct tlb *t);

/* Tag of the SHIFT-sized page holding VA for PCID. */
static inline uint64_t tlb_tag(uint64_t va, unsigned shift, unsigned pcid)
{
	return (va & ~((1ULL << shift) - 1)) | pcid;
}

/* The lookup filter of a valid slot with TAG: page bits 12..43. */
static inline uint32_t tlb_utag(uint64_t tag)
{
	return (uint32_t)(tag >> 12);
}

/* What a call site of the inline helpers below knows about its array at
 * compile time.  ways 0, policy -1, mixed -1: read it from the array
 * (TLB_GEOM_ANY).  The translate path passes the default geometry as
 * constants when the arrays have it (mmu.c), which turns the way loops,
 * the policy switches and the slot arithmetic into straight code; the
 * result is the same either way. */
struct tlb_geom {
	unsigned ways;
	int policy;
	int mixed;
	int small;  /* 1: the caller knows the array holds 4 KiB entries only
	             * (no TLBE_LARGE/TLBE_1G entry: the translate path's L1
	             * 4 KiB arrays), so fills skip the large/1G counts */
};
#define TLB_GEOM_ANY ((struct tlb_geom){ 0, -1, -1, 0 })
#define TLB_AI static inline __attribute__((always_inline))

TLB_AI unsigned tlb_g_ways(const struct tlb *t, struct tlb_geom g) { return g.ways ? g.ways : t->ways; }
TLB_AI unsigned tlb_g_ustride(const struct tlb *t, struct tlb_geom g)
{
	return g.ways ? (g.ways + 3) & ~3u : t->ustride;
}
TLB_AI int tlb_g_policy(const struct tlb *t, struct tlb_geom g) { return g.policy >= 0 ? g.policy : (int)t->policy; }
TLB_AI bool tlb_g_mixed(const struct tlb *t, struct tlb_geom g) { return g.mixed >= 0 ? g.mixed != 0 : t->mixed; }

/* Mark way WAY of SET as just used (lru: a new stamp; plru: the tree path
 * points away from it; fifo, random: nothing). */
TLB_AI void tlb_touch_g(struct tlb *t, size_t set, unsigned way, struct tlb_geom g)
{
	switch (tlb_g_policy(t, g)) {
	case TLB_PLRU:
		t->plru[set] = (t->plru[set] | t->plru_set[way]) & t->plru_keep[way];
		break;
	case TLB_LRU:
		t->stamp[set * tlb_g_ways(t, g) + way] = ++t->clock;
		break;
	default:
		break;
	}
}

static inline void tlb_touch(struct tlb *t, size_t set, unsigned way)
{
	tlb_touch_g(t, set, way, TLB_GEOM_ANY);
}

/* Slot holding a valid entry for the SHIFT-sized page of VA under PCID (or
 * global), or -1.  SHIFT must be one the array holds.  Does not touch. */
long tlb_find(const struct tlb *t, uint64_t va, unsigned shift, unsigned pcid);

/* Candidate ways (bit W) of the USTRIDE utags at U: those equal to KEY.
 * No early exit (the hit way is data; a loop leaving at it costs a
 * mispredicted branch); with a constant USTRIDE (a multiple of 4, at most
 * 64) the loop unrolls, four ways per SSE2 compare. */
TLB_AI uint64_t tlb_utag_ways(const uint32_t *u, unsigned ustride, uint32_t key)
{
	uint64_t m = 0;
#ifdef __SSE2__
	const __m128i k = _mm_set1_epi32((int)key);
#pragma GCC unroll 16
	for (unsigned w = 0; w < ustride; w += 4) {
		__m128i e = _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(u + w)), k);
		m |= (uint64_t)(unsigned)_mm_movemask_ps(_mm_castsi128_ps(e)) << w;
	}
#else
#pragma GCC unroll 16
	for (unsigned w = 0; w < ustride; w++)
		m |= (uint64_t)(u[w] == key) << w;
#endif
	return m;
}

/* Way of SET (VA's set for SHIFT) holding a valid entry for the
 * SHIFT-sized page of VA under PCID or global, or -1; the lowest such way.
 * The utags give the candidates (usually none or one); a candidate is a
 * hit when its full tag is VA's page with our PCID or the global one
 * (invalid slots carry TLB_TAG_INVALID, which no key equals) and, in the
 * STLB, which holds a 4 KiB and a 2 MiB entry under the same tag for a
 * 2 MiB-aligned VA, its size is the probed one. */
TLB_AI int tlb_lookup_way_g(const struct tlb *t, size_t set, uint64_t va, unsigned shift, unsigned pcid,
			    struct tlb_geom g)
{
	uint64_t k1 = tlb_tag(va, shift, pcid), k2 = tlb_tag(va, shift, TLB_PCID_GLOBAL);
	uint64_t want = shift != 12 ? TLBE_LARGE : 0;
	unsigned ways = tlb_g_ways(t, g), ustride = tlb_g_ustride(t, g);
	bool mixed = tlb_g_mixed(t, g);
	size_t base = set * ways;
	const uint64_t *tag = t->tag + base, *data = t->data + base;
	if (!g.ways && __builtin_expect(ways > 64, 0)) {
		for (unsigned w = 0; w < ways; w++)
			if ((tag[w] == k1 || tag[w] == k2) && (!mixed || (data[w] & TLBE_LARGE) == want))
				return (int)w;
		return -1;
	}
	const uint32_t *u = t->utag + set * ustride;
	uint32_t key = tlb_utag(k1);
	uint64_t m;
	if (g.ways) {
		m = tlb_utag_ways(u, ustride, key);
		if (ways != ustride)
			m &= (1ULL << ways) - 1;
	} else {
		switch (ustride) {
		case 4: m = tlb_utag_ways(u, 4, key); break;
		case 8: m = tlb_utag_ways(u, 8, key); break;
		case 12: m = tlb_utag_ways(u, 12, key); break;
		case 16: m = tlb_utag_ways(u, 16, key); break;
		default: m = tlb_utag_ways(u, ustride, key); break;
		}
		m &= t->way_mask;
	}
	while (m) {
		unsigned w = (unsigned)__builtin_ctzll(m);
		m &= m - 1;
		if ((tag[w] == k1 || tag[w] == k2) && (!mixed || (data[w] & TLBE_LARGE) == want))
			return (int)w;
	}
	return -1;
}

TLB_AI int tlb_lookup_way(const struct tlb *t, size_t set, uint64_t va, unsigned shift, unsigned pcid)
{
	return tlb_lookup_way_g(t, set, va, shift, pcid, TLB_GEOM_ANY);
}

/* tlb_find(), inline for the translate path (each call site gets its own
 * copy, so the branches learn its array).  An empty array, or a 2 MiB
 * probe of an STLB holding no 2 MiB entry, answers without reading a set. */
TLB_AI long tlb_lookup(const struct tlb *t, uint64_t va, unsigned shift, unsigned pcid)
{
	if (!t->nr_valid || (t->mixed && shift != 12 && !t->nr_large))
		return -1;
	size_t set = (size_t)((va >> shift) & t->set_mask);
	int w = tlb_lookup_way(t, set, va, shift, pcid);
	return w < 0 ? -1 : (long)(set * t->ways + (unsigned)w);
}

/* The plru victim of SET, a full set: follow the tree bits from the root;
 * a right turn into a subtree made only of missing leaves (lo + half >=
 * ways) goes left instead.  Trees of up to 8 leaves (8 ways or fewer) use
 * the table tlb_init built with this same descent. */
TLB_AI unsigned tlb_plru_victim_g(const struct tlb *t, size_t set, struct tlb_geom g)
{
	uint64_t bits = t->plru[set];
	if (g.ways ? g.ways <= 8 : t->plru_leaves <= 8)
		return t->plru_victim_tab[bits & 127];
	/* depth = log2(leaves); constants when the geometry is known */
	unsigned depth = g.ways ? (g.ways <= 1 ? 0 : 32 - (unsigned)__builtin_clz(g.ways - 1)) : t->plru_depth;
	unsigned node = 1, lo = 0, half = (1u << depth) / 2, ways = tlb_g_ways(t, g);
#pragma GCC unroll 8
	for (unsigned d = 0; d < depth; d++, half /= 2) {
		unsigned dir = (unsigned)(bits >> (node - 1)) & 1;
		dir &= (unsigned)(lo + half < ways);
		lo += dir * half;
		node = 2 * node + dir;
	}
	return lo;
}

TLB_AI unsigned tlb_plru_victim(const struct tlb *t, size_t set)
{
	return tlb_plru_victim_g(t, set, TLB_GEOM_ANY);
}

/* The victim of SET, a full set, under lru, fifo or random (the random
 * policy consumes one draw). */
unsigned tlb_victim_full(struct tlb *t, size_t set);

/* How tlb_put_g got its way. */
enum tlb_put_how {
	TLB_PUT_REFRESH,  /* it held the same page */
	TLB_PUT_FREE,     /* it was invalid */
	TLB_PUT_EVICT,    /* its entry is evicted */
};

/* Take a way of SET for a new entry: the lowest invalid way (*HOW =
 * TLB_PUT_FREE; counted valid), else the policy's victim (*HOW =
 * TLB_PUT_EVICT; its 1G/large counts dropped, the eviction counted by
 * tlb_put_g).  Returns the way; the caller writes it (tlb_put_g). */
TLB_AI unsigned tlb_take_way_g(struct tlb *t, size_t set, struct tlb_geom g, enum tlb_put_how *how)
{
	unsigned ways = tlb_g_ways(t, g);
	size_t base = set * ways;
	if (__builtin_expect(t->nvalid[set] < ways, 0)) {
		unsigned w = 0;
		while (t->data[base + w] & TLBE_V)
			w++;
		t->nvalid[set]++;
		t->nr_valid++;
		*how = TLB_PUT_FREE;
		return w;
	}
	unsigned w = tlb_g_policy(t, g) == TLB_PLRU ? tlb_plru_victim_g(t, set, g) : tlb_victim_full(t, set);
	if (g.small <= 0) {
		uint64_t old = t->data[base + w];
		if (old & TLBE_1G)
			t->nr_1g--;
		if (old & TLBE_LARGE)
			t->nr_large--;
	}
	*how = TLB_PUT_EVICT;
	return w;
}

/* Write TAG and DATA (| TLBE_V) into way W of SET and count the fill (and
 * the eviction).  HOW the way was got: a taken way gets a fill stamp (lru,
 * fifo); every policy but fifo marks the way used.  Returns the slot. */
TLB_AI size_t tlb_put_g(struct tlb *t, size_t set, unsigned w, enum tlb_put_how how, uint64_t tag,
			uint64_t data, struct tlb_geom g)
{
	size_t i = set * tlb_g_ways(t, g) + w;
	/* the tree bits are read before any store here (tlb_take_way_g's
	 * read of them is reused) */
	uint64_t *plru = t->plru + set, bits = *plru;
	t->tag[i] = tag;
	t->utag[set * tlb_g_ustride(t, g) + w] = tlb_utag(tag);
	t->data[i] = data | TLBE_V;
	switch (tlb_g_policy(t, g)) {
	case TLB_PLRU:
		*plru = (bits | t->plru_set[w]) & t->plru_keep[w];
		break;
	case TLB_LRU:
		if (how != TLB_PUT_REFRESH)
			t->stamp[i] = ++t->clock;
		t->stamp[i] = ++t->clock;
		break;
	case TLB_FIFO:
		if (how != TLB_PUT_REFRESH)
			t->stamp[i] = ++t->clock;
		break;
	default:
		break;
	}
	if (g.small <= 0) {
		if (data & TLBE_1G)
			t->nr_1g++;
		if (data & TLBE_LARGE)
			t->nr_large++;
	}
	t->fills++;
	if (how == TLB_PUT_EVICT)
		t->evictions++;
	return i;
}

/* tlb_fill() when the caller has just looked the entry up (tlb_find for
 * this page size and PCID, or its invalidation) and knows it is absent:
 * skips the lookup, same victim, counters and replacement state.  Inline
 * for the translate path; tlb_fill_set_g takes the entry's set and tag
 * (tlb_tag) already computed. */
TLB_AI size_t tlb_fill_set_g(struct tlb *t, size_t set, uint64_t tag, uint64_t data, struct tlb_geom g)
{
	enum tlb_put_how how;
	unsigned w = tlb_take_way_g(t, set, g, &how);
	return tlb_put_g(t, set, w, how, tag, data, g);
}

TLB_AI size_t tlb_fill_absent_g(struct tlb *t, uint64_t va, unsigned shift, unsigned pcid, uint64_t data,
				struct tlb_geom g)
{
	return tlb_fill_set_g(t, (size_t)((va >> shift) & t->set_mask), tlb_tag(va, shift, pcid), data, g);
}

TLB_AI size_t tlb_fill_absent(struct tlb *t, uint64_t va, unsigned shift, unsigned pcid, uint64_t data)
{
	return tlb_fill_absent_g(t, va, shift, pcid, data, TLB_GEOM_ANY);
}

/* Insert (or refresh) the entry for the SHIFT-sized page of VA under PCID
 * (TLB_PCID_GLOBAL for a global page) with DATA (physical base | TLBE_*),
 * evicting by the array's policy if the set is full.  Returns the slot. */
size_t tlb_fill(struct tlb *t, uint64_t va, unsigned shift, unsigned pcid, uint64_t data);

/* Invalidate slot I. */
void tlb_invalidate_slot(struct tlb *t, size_t i);
/* INVLPG: invalidate every entry translating VA for PCID, and global
 * entries for VA.  Returns the number invalidated. */
unsigned tlb_flush_va(struct tlb *t, uint64_t va, unsigned pcid);
/* Invalidate every non-global entry of PCID. Returns the number. */
unsigned tlb_flush_pcid(struct tlb *t, unsigned pcid);
/* Invalidate every non-global entry (MOV to CR3 with PCIDs off). */
unsigned tlb_flush_nonglobal(struct tlb *t);
/* Invalidate every entry, global ones included. */
unsigned tlb_flush_all(struct tlb *t);
/* Number of valid entries. */
unsigned tlb_occupancy(const struct tlb *t);
/* The way the policy would evict next in SET (an invalid way first). */
unsigned tlb_victim(struct tlb *t, size_t set);

#endif
