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
 * contiguous, so a lookup reads one or two cache lines.
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

/* One set-associative array. */
struct tlb {
	uint64_t *tag;             /* sets * ways */
	uint64_t *data;            /* sets * ways */
	uint64_t *stamp;           /* lru: last use; fifo: fill time */
	uint64_t *plru;            /* per set: tree bits (bit n-1 = node n) */
	uint16_t *nvalid;          /* per set: valid entries (a full set needs no
	                            * search for an invalid way) */
	uint64_t set_mask;         /* sets - 1 */
	unsigned sets, ways;
	unsigned shift;            /* 12 (4 KiB array) or 21 (2 MiB array, and the STLB's 2 MiB index) */
	bool mixed;                /* holds 4 KiB and 2 MiB entries (the STLB) */
	enum tlb_policy policy;
	enum tlb_id id;
	uint64_t clock;            /* lru/fifo time */
	uint64_t rng;              /* random policy: xorshift64* state */
	unsigned plru_leaves;      /* ways rounded up to a power of two */
	unsigned long nr_1g;       /* valid 1 GiB fragments (invalidation scans when > 0) */
	unsigned long nr_valid;    /* valid entries */
	unsigned long nr_large;    /* valid entries with TLBE_LARGE */
	/* statistics */
	unsigned long hits, misses, fills, evictions, invalidations;
	uint64_t plru_set[TLB_MAX_PLRU_WAYS], plru_clr[TLB_MAX_PLRU_WAYS];
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

/* Mark way WAY of SET as just used (lru: a new stamp; plru: the tree path
 * points away from it; fifo, random: nothing). */
static inline void tlb_touch(struct tlb *t, size_t set, unsigned way)
{
	switch (t->policy) {
	case TLB_PLRU:
		t->plru[set] = (t->plru[set] | t->plru_set[way]) & ~t->plru_clr[way];
		break;
	case TLB_LRU:
		t->stamp[set * t->ways + way] = ++t->clock;
		break;
	default:
		break;
	}
}

/* Slot holding a valid entry for the SHIFT-sized page of VA under PCID (or
 * global), or -1.  SHIFT must be one the array holds.  Does not touch. */
long tlb_find(const struct tlb *t, uint64_t va, unsigned shift, unsigned pcid);

/* Candidate ways (bit W) of the WAYS tags at TAG for the page of key K2
 * (tlb_tag(.., TLB_PCID_GLOBAL)): tags whose page bits equal K2's, whatever
 * their PCID; the caller keeps those whose PCID matches.  No early exit:
 * the hit way is data, and a loop leaving at it costs a mispredicted
 * branch; with a constant WAYS the loop unrolls (two ways per SSE2 compare
 * on x86-64). */
static inline __attribute__((always_inline)) uint64_t tlb_page_ways(const uint64_t *tag, unsigned ways,
								    uint64_t k2)
{
	uint64_t m = 0;
	unsigned w = 0;
#ifdef __SSE2__
	const __m128i low = _mm_set1_epi64x(0xfff), key = _mm_set1_epi64x((long long)k2);
#pragma GCC unroll 8
	for (; w + 2 <= ways; w += 2) {
		__m128i v = _mm_or_si128(_mm_loadu_si128((const __m128i *)(tag + w)), low);
		__m128i e = _mm_cmpeq_epi32(v, key);
		e = _mm_and_si128(e, _mm_shuffle_epi32(e, 0xb1));  /* both 32-bit halves equal */
		m |= (uint64_t)_mm_movemask_pd(_mm_castsi128_pd(e)) << w;
	}
#endif
#pragma GCC unroll 16
	for (; w < ways; w++)
		m |= (uint64_t)((tag[w] | 0xfff) == k2) << w;
	return m;
}

/* tlb_find(), inline for the translate path (each call site gets its own
 * copy, so the branches learn its array).  A tag equal to the key is always
 * a valid entry (invalid slots carry the non-canonical TLB_TAG_INVALID);
 * only the STLB, which holds a 4 KiB and a 2 MiB entry under the same tag
 * for a 2 MiB-aligned VA, must check the size bit.  An empty array, or a
 * 2 MiB probe of an STLB holding no 2 MiB entry, answers without reading a
 * set. */
static inline __attribute__((always_inline)) long tlb_lookup(const struct tlb *t, uint64_t va, unsigned shift,
								unsigned pcid)
{
	if (!t->nr_valid || (t->mixed && shift != 12 && !t->nr_large))
		return -1;
	uint64_t k1 = tlb_tag(va, shift, pcid), k2 = tlb_tag(va, shift, TLB_PCID_GLOBAL);
	size_t base = (size_t)((va >> shift) & t->set_mask) * t->ways;
	const uint64_t *tag = t->tag + base, *data = t->data + base;
	unsigned ways = t->ways;
	uint64_t m;
	switch (ways) {
	case 4: m = tlb_page_ways(tag, 4, k2); break;
	case 8: m = tlb_page_ways(tag, 8, k2); break;
	case 12: m = tlb_page_ways(tag, 12, k2); break;
	case 16: m = tlb_page_ways(tag, 16, k2); break;
	default:
		if (ways <= 64) {
			m = tlb_page_ways(tag, ways, k2);
			break;
		}
		for (unsigned w = 0; w < ways; w++) {
			uint64_t tg = tag[w], d = data[w];
			if ((tg == k1 || tg == k2) && (!t->mixed || ((d & TLBE_LARGE) != 0) == (shift != 12)))
				return (long)(base + w);
		}
		return -1;
	}
	/* Candidates (usually none or one): the PCID must be ours or global,
	 * and in the STLB the size must be the probed one. */
	uint64_t want = shift != 12 ? TLBE_LARGE : 0;
	while (m) {
		unsigned w = (unsigned)__builtin_ctzll(m);
		m &= m - 1;
		if ((tag[w] == k1 || tag[w] == k2) && (!t->mixed || (data[w] & TLBE_LARGE) == want))
			return (long)(base + w);
	}
	return -1;
}

/* Insert (or refresh) the entry for the SHIFT-sized page of VA under PCID
 * (TLB_PCID_GLOBAL for a global page) with DATA (physical base | TLBE_*),
 * evicting by the array's policy if the set is full.  Returns the slot. */
size_t tlb_fill(struct tlb *t, uint64_t va, unsigned shift, unsigned pcid, uint64_t data);
/* tlb_fill() when the caller has just looked the entry up (tlb_find for
 * this page size and PCID, or its invalidation) and knows it is absent:
 * skips the lookup, same victim, counters and replacement state. */
size_t tlb_fill_absent(struct tlb *t, uint64_t va, unsigned shift, unsigned pcid, uint64_t data);
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
