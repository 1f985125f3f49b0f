/* tools/policy_tlb.c - a reference string through one TLB array of the
 * simulator (mmu/tlb.c), for exercises on TLB replacement: the lookups,
 * the victim choice and the replacement state are the translate path's
 * own (tlb_lookup, tlb_touch, tlb_take_way_g + tlb_put_g). */
#include <stdio.h>
#include <string.h>

#include "mmu/tlb.h"
#include "tools/policy_frames.h"

int policy_tlb_run(const struct policy_refs *refs, unsigned entries, unsigned ways, const char *policy,
		   uint64_t seed, struct policy_result *res, char *err, size_t errlen)
{
	struct tlb_array_config c = {entries, ways, TLB_PLRU};
	int p = 0;
	while (p < TLB_NR_POLICIES && strcmp(policy, tlb_policy_name((enum tlb_policy)p)))
		p++;
	if (p == TLB_NR_POLICIES) {
		snprintf(err, errlen, "unknown TLB policy '%s' (plru, lru, fifo, random)", policy);
		return -1;
	}
	c.policy = (enum tlb_policy)p;
	if (entries > 1u << 16) {
		snprintf(err, errlen, "tlb: %u entries: at most 65536 in this mode", entries);
		return -1;
	}
	struct tlb t;
	if (tlb_init(&t, TLB_L1D, &c, seed, err, errlen))
		return -1;
	struct ftab ft;
	if (ftab_init(&ft, (int)entries, refs, res)) {
		tlb_destroy(&t);
		snprintf(err, errlen, "out of host memory");
		return -1;
	}
	int order[TLB_MAX_WAYS], rc = 0;
	for (size_t i = 0; i < refs->n && !rc; i++) {
		uint64_t page = refs->page[i];
		if (page >> 52) {
			snprintf(err, errlen, "page 0x%llx: beyond the 52-bit page numbers a TLB tags",
				 (unsigned long long)page);
			rc = -1;
			break;
		}
		uint64_t va = page << 12;
		size_t set = (size_t)(page & t.set_mask);
		long slot = tlb_find(&t, va, 12, 0);
		bool hit = slot >= 0;
		if (hit) {
			tlb_touch(&t, set, (unsigned)((size_t)slot - set * t.ways));
			t.hits++;
		} else {
			enum tlb_put_how how;
			unsigned w = tlb_take_way_g(&t, set, TLB_GEOM_ANY, &how);
			slot = (long)tlb_put_g(&t, set, w, how, tlb_tag(va, 12, 0), va | TLBE_U | TLBE_RW, TLB_GEOM_ANY);
			t.misses++;
		}
		if (ftab_access(&ft, i, (int)slot, hit)) {
			snprintf(err, errlen, "out of host memory");
			rc = -1;
			break;
		}
		for (unsigned w = 0; w < ways; w++)
			order[w] = (int)(set * ways + w);
		ftab_log(&ft, i, order, (int)ways);
	}
	ftab_finish(&ft);
	snprintf(res->policy, sizeof res->policy, "TLB %u:%u %s", entries, ways, policy);
	ftab_fini(&ft);
	tlb_destroy(&t);
	if (rc)
		policy_result_free(res);
	return rc;
}
