/* mmu/tlb.c - one set-associative TLB array: lookup, fill, replacement,
 * invalidation.
 *
 * Replacement.  A fill first takes the lowest-numbered invalid way of the
 * set; only a full set evicts, by the array's policy:
 *   lru     the way with the oldest stamp (stamps come from a per-array
 *           clock bumped on every fill and every hit);
 *   fifo    the way with the oldest fill stamp (hits do not renew it);
 *   plru    tree pseudo-LRU: ways are the leaves of a binary tree with
 *           plru_leaves (ways rounded up to a power of two) leaves; node n
 *           (heap numbering, root 1) has bit n-1 in plru[set]: 0 = the victim
 *           is in the left subtree, 1 = right.  A use sets every node on the
 *           leaf's path to point away from it (one AND/OR with the
 *           precomputed masks plru_set/plru_keep).  The victim search follows
 *           the bits from the root, but never descends into a subtree whose
 *           leaves are all beyond `ways` (the generalisation to ways that are
 *           not a power of two, e.g. 12: a 16-leaf tree with 4 leaves
 *           masked);
 *   random  xorshift64* seeded from the run's seed and the array's id.
 * Invariant: at most one valid entry per (tag, page size) in an array;
 * tlb_fill refreshes an existing entry instead of duplicating it.
 */
#include "mmu/tlb.h"
#include "mm/prandom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t xorshift64s(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Precompute, for every leaf, the node bits a use sets and clears. */
static void plru_masks(struct tlb *t)
{
	unsigned leaves = 1, depth = 0;
	while (leaves < t->ways) {
		leaves <<= 1;
		depth++;
	}
	t->plru_leaves = leaves;
	t->plru_depth = depth;
	if (leaves > TLB_MAX_PLRU_WAYS)
		return;  /* lru, fifo, random only: no tree (its node bits would not fit a word) */
	for (unsigned w = 0; w < t->ways; w++) {
		uint64_t set = 0, clr = 0;
		unsigned node = 1;
		for (unsigned d = 0; d < depth; d++) {
			unsigned right = (w >> (depth - 1 - d)) & 1;
			if (right)
				clr |= 1ULL << (node - 1);  /* point left, away from w */
			else
				set |= 1ULL << (node - 1);  /* point right */
			node = 2 * node + right;
		}
		t->plru_set[w] = set;
		t->plru_keep[w] = ~clr;
	}
}

/* The victim descent for tree state BITS (see tlb_plru_victim). */
static unsigned plru_descend(const struct tlb *t, uint64_t bits)
{
	unsigned node = 1, lo = 0, span = t->plru_leaves, ways = t->ways;
	while (span > 1) {
		unsigned half = span / 2;
		unsigned dir = (unsigned)(bits >> (node - 1)) & 1;
		dir &= (unsigned)(lo + half < ways);
		lo += dir * half;
		node = 2 * node + dir;
		span = half;
	}
	return lo;
}

/* Victim table for trees of up to 8 leaves (7 node bits). */
static void plru_table(struct tlb *t)
{
	if (t->plru_leaves > 8)
		return;
	for (unsigned b = 0; b < 128; b++)
		t->plru_victim_tab[b] = (uint8_t)plru_descend(t, b);
}

/* Build the array.  Returns 0, or -1 with ERR. */
int tlb_init(struct tlb *t, enum tlb_id id, const struct tlb_array_config *c, uint64_t seed, char *err,
	     size_t errlen)
{
	memset(t, 0, sizeof(*t));
	if (tlb_array_check(tlb_id_name(id), c, err, errlen) < 0)
		return -1;
	t->id = id;
	t->ways = c->ways;
	t->sets = c->entries / c->ways;
	t->set_mask = t->sets - 1;
	t->policy = c->policy;
	t->shift = (id == TLB_L1D2M || id == TLB_L1I2M) ? 21 : 12;
	t->mixed = id == TLB_L2;
	uint64_t s = seed ^ ((uint64_t)id << 32);
	t->rng = splitmix64(&s) | 1;
	t->ustride = (t->ways + 3) & ~3u;
	t->way_mask = t->ways >= 64 ? ~0ULL : (1ULL << t->ways) - 1;
	size_t n = c->entries, nu = (size_t)t->sets * t->ustride;
	t->tag = malloc(n * sizeof(*t->tag));
	t->data = calloc(n, sizeof(*t->data));
	t->utag = malloc(nu * sizeof(*t->utag));
	t->stamp = calloc(n, sizeof(*t->stamp));
	t->plru = calloc(t->sets, sizeof(*t->plru));
	t->nvalid = calloc(t->sets, sizeof(*t->nvalid));
	if (!t->tag || !t->data || !t->utag || !t->stamp || !t->plru || !t->nvalid)
		goto err;
	for (size_t i = 0; i < n; i++)
		t->tag[i] = TLB_TAG_INVALID;
	for (size_t i = 0; i < nu; i++)
		t->utag[i] = TLB_UTAG_INVALID;
	plru_masks(t);
	plru_table(t);
	return 0;
err:
	snprintf(err, errlen, "tlb: %s: out of host memory", tlb_id_name(id));
	tlb_destroy(t);
	return -1;
}

void tlb_destroy(struct tlb *t)
{
	free(t->tag);
	free(t->data);
	free(t->utag);
	free(t->stamp);
	free(t->plru);
	free(t->nvalid);
	t->tag = t->data = t->stamp = t->plru = NULL;
	t->nvalid = NULL;
	t->utag = NULL;
}

/* Slot of the valid entry for VA's SHIFT page under PCID or global, or -1. */
long tlb_find(const struct tlb *t, uint64_t va, unsigned shift, unsigned pcid)
{
	return tlb_lookup(t, va, shift, pcid);
}

/* Victim of a full SET under lru, fifo (oldest stamp) or random. */
unsigned tlb_victim_full(struct tlb *t, size_t set)
{
	size_t base = set * t->ways;
	switch (t->policy) {
	case TLB_PLRU:
		return tlb_plru_victim(t, set);
	case TLB_LRU:
	case TLB_FIFO: {
		unsigned v = 0;
		for (unsigned w = 1; w < t->ways; w++)
			if (t->stamp[base + w] < t->stamp[base + v])
				v = w;
		return v;
	}
	case TLB_RANDOM:
	default:
		return (unsigned)(xorshift64s(&t->rng) % t->ways);
	}
}

/* Next victim way of SET: the lowest invalid way, else by policy.  The
 * random policy consumes one draw. */
unsigned tlb_victim(struct tlb *t, size_t set)
{
	size_t base = set * t->ways;
	if (t->nvalid[set] < t->ways)
		for (unsigned w = 0; w < t->ways; w++)
			if (!(t->data[base + w] & TLBE_V))
				return w;
	return tlb_victim_full(t, set);
}

void tlb_invalidate_slot(struct tlb *t, size_t i)
{
	if (!(t->data[i] & TLBE_V))
		return;
	if (t->data[i] & TLBE_1G)
		t->nr_1g--;
	if (t->data[i] & TLBE_LARGE)
		t->nr_large--;
	t->nr_valid--;
	size_t set = i / t->ways;
	t->tag[i] = TLB_TAG_INVALID;
	t->utag[set * t->ustride + (i - set * t->ways)] = TLB_UTAG_INVALID;
	t->data[i] = 0;
	t->nvalid[set]--;
	t->invalidations++;
}

/* Insert or refresh; returns the slot. */
size_t tlb_fill(struct tlb *t, uint64_t va, unsigned shift, unsigned pcid, uint64_t data)
{
	size_t set = (size_t)((va >> shift) & t->set_mask);
	long found = tlb_find(t, va, shift, pcid);
	if (found >= 0) {
		size_t i = (size_t)found;
		if (t->data[i] & TLBE_1G)
			t->nr_1g--;
		if (t->data[i] & TLBE_LARGE)
			t->nr_large--;
		return tlb_put_g(t, set, (unsigned)(i - set * t->ways), TLB_PUT_REFRESH, tlb_tag(va, shift, pcid),
				 data, TLB_GEOM_ANY);
	}
	return tlb_fill_absent_g(t, va, shift, pcid, data, TLB_GEOM_ANY);
}

/* Does the entry in slot I belong to PCID (or is it global)? */
static inline bool slot_pcid_match(const struct tlb *t, size_t i, unsigned pcid)
{
	unsigned p = (unsigned)(t->tag[i] & 0xfff);
	return p == pcid || p == TLB_PCID_GLOBAL;
}

unsigned tlb_flush_va(struct tlb *t, uint64_t va, unsigned pcid)
{
	unsigned n = 0;
	unsigned shifts[2] = { t->shift, 21 };
	unsigned nshifts = t->mixed ? 2 : 1;
	for (unsigned s = 0; s < nshifts; s++) {
		long i;
		while ((i = tlb_find(t, va, shifts[s], pcid)) >= 0) {
			tlb_invalidate_slot(t, (size_t)i);
			n++;
		}
	}
	/* Every 2 MiB fragment of a 1 GiB page holding VA goes too. */
	if (t->nr_1g) {
		size_t total = (size_t)t->sets * t->ways;
		uint64_t gb = va & ~((1ULL << 30) - 1);
		for (size_t i = 0; i < total; i++) {
			if ((t->data[i] & TLBE_1G) && (t->tag[i] & ~((1ULL << 30) - 1)) == gb &&
			    slot_pcid_match(t, i, pcid)) {
				tlb_invalidate_slot(t, i);
				n++;
			}
		}
	}
	return n;
}

/* Invalidate every valid entry of T, except global ones when KEEP_GLOBAL,
 * and only those tagged PCID unless PCID < 0.  Returns entries dropped. */
static unsigned flush_where(struct tlb *t, bool keep_global, int pcid)
{
	unsigned n = 0;
	size_t total = (size_t)t->sets * t->ways;
	for (size_t i = 0; i < total; i++) {
		if (!(t->data[i] & TLBE_V) || (keep_global && (t->data[i] & TLBE_G)))
			continue;
		if (pcid >= 0 && (t->tag[i] & 0xfff) != (uint64_t)pcid)
			continue;
		tlb_invalidate_slot(t, i);
		n++;
	}
	return n;
}

unsigned tlb_flush_pcid(struct tlb *t, unsigned pcid)
{
	return flush_where(t, true, (int)pcid);
}

unsigned tlb_flush_nonglobal(struct tlb *t)
{
	return flush_where(t, true, -1);
}

unsigned tlb_flush_all(struct tlb *t)
{
	return flush_where(t, false, -1);
}

unsigned tlb_occupancy(const struct tlb *t)
{
	unsigned n = 0;
	size_t total = (size_t)t->sets * t->ways;
	for (size_t i = 0; i < total; i++)
		n += (t->data[i] & TLBE_V) != 0;
	return n;
}
