/* mmu/mmu.h - the translate path: TLB hierarchy + page walker + CR3.
 *
 * mmu_translate() is what the CPU does for every memory access:
 *   1. L1 lookup: the 4 KiB array and the 2 MiB array of the access's side
 *      (l1d/l1d2m for loads and stores, l1i/l1i2m for fetches), probed in
 *      parallel;
 *   2. on an L1 miss, the unified STLB (l2), probed for a 4 KiB and a 2 MiB
 *      entry; a hit refills the L1 array of the entry's page size;
 *   3. on an STLB miss, the page walk (mmu/walk.h, with the paging-structure
 *      caches); a successful walk fills the STLB and the L1 array of the
 *      page size.  A faulting walk fills nothing.
 * Counting (docs/tlb.md has the full definitions):
 *   - a lookup hitting an L1 array is a hit of that array; an L1 miss is one
 *     miss, charged to the L1 array of the page size that ends up holding the
 *     translation (the 4 KiB array when the walk found no page);
 *   - l2 hits/misses count STLB probes (one per L1 miss);
 *   - perf names: dTLB-loads / dTLB-stores / iTLB-loads count every lookup
 *     of that kind; dTLB-load-misses / dTLB-store-misses / iTLB-load-misses
 *     count lookups that missed every TLB level and walked (Intel's
 *     *_MISSES.MISS_CAUSES_A_WALK, what perf maps these names to).
 * Rights: a TLB entry caches the rights of its translation.  A hit whose
 * entry forbids the access raises #PF from the entry (no walk, as hardware
 * may: SDM 4.10.4.3), and a page fault invalidates the TLB entries for the
 * address (SDM 4.10.4.1), so a faulting access never leaves an entry.  A
 * write hitting an entry cached with D=0 is handled as a miss: the entry is
 * dropped and the walk sets D.
 * PCID: with pcid=on entries are tagged with the mm's PCID and a CR3 write
 * keeps them; with pcid=off every CR3 write flushes the non-global entries.
 * Global entries survive CR3 writes either way.
 */
#ifndef MMSIM_MMU_MMU_H
#define MMSIM_MMU_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mm_types.h"
#include "mm/mmzone.h"
#include "mmu/psc.h"
#include "mmu/tlb.h"
#include "mmu/walk.h"
#include "traces/trace.h"

struct smp;

#define MMU_GEOM_D 1u  /* l1d 4-way, l1d2m 4-way, l2 12-way, all plru */
#define MMU_GEOM_I 2u  /* l1i 8-way, l1i2m 8-way, l2 12-way, all plru */

/* Where a translation came from. */
enum mmu_source { MMU_SRC_L1 = 1, MMU_SRC_L2 = 2, MMU_SRC_WALK = 3 };

/* mmu_translate() results besides 0 (translated) */
#define MMU_FAULT 1   /* #PF: out->error_code, out->kind */

/* Result of one translation.  On a fast L1 hit only pa, source, tlb,
 * page_shift, refs and error_code are written; kind and level only on a
 * fault. */
struct mmu_xlate {
	uint64_t pa;               /* physical address */
	uint8_t source;            /* enum mmu_source */
	uint8_t tlb;               /* enum tlb_id of the array that hit (source L1/L2) */
	uint8_t page_shift;        /* 12, 21, 30 (for a TLB hit: the cached entry's, 21 for a 1G fragment) */
	uint8_t refs;              /* entry reads by the walk (0 on a TLB hit) */
	uint32_t error_code;       /* PF_* bits on a fault, else 0 */
	enum walk_fault_kind kind; /* fault only */
	int level;                 /* fault only: walk level that faulted (0: from a TLB entry) */
};

/* perf-named counters, indexed by access kind (MMU_READ, MMU_WRITE, MMU_EXEC). */
struct mmu_stats {
	unsigned long lookups[4];      /* dTLB-loads, dTLB-stores, iTLB-loads (slot 3 unused) */
	unsigned long walk_misses[4];  /* dTLB-load-misses, dTLB-store-misses, iTLB-load-misses */
	unsigned long slow_lookups[4]; /* lookups that left the inline L1 4 KiB path */
	unsigned long faults_not_present, faults_protection, faults_reserved;
	unsigned long faults_from_tlb; /* protection faults raised from a cached entry */
	unsigned long gp_faults;       /* non-canonical addresses */
	unsigned long dirty_rewalks;   /* writes to an entry cached clean */
	unsigned long cr3_writes;
	unsigned long invlpg, flush_all, flush_mm, flush_range;
};

struct mmu {
	struct tlb tlb[TLB_NR];
	uint64_t need[8];            /* TLBE_* bits an access (kind | MMU_USER) needs */
	unsigned cur_pcid;           /* PCID tag of the current address space (0 with pcid=off) */
	struct mm_struct *cur_mm;    /* CR3's address space (NULL: none) */
	uint64_t cr3_pfn;            /* its pgd */
	struct mmu_stats stats;
	struct memsys *mem;
	struct walker walker;
	struct psc *psc;             /* NULL when psc=off */
	struct trace *trace;
	struct tlb_config cfg;
	unsigned next_pcid;          /* mmu_attach_mm's allocator */
	struct smp *smp;             /* the machine's CPUs (mmu/smp.h), or NULL:
	                              * PCIDs come from CPU 0's allocator and an
	                              * attached mm's flushes go through smp */
	unsigned geom;               /* MMU_GEOM_*: sides whose arrays have the
	                              * default geometry (a faster copy of the
	                              * L1-miss path, same behaviour) */
	const void *l1i_owner;       /* opaque to mmu/: who made the last L1 iTLB
	                              * access, if that caller says so (sim/'s
	                              * same-block fast path); NULL: unknown */
	struct walk_result last_walk; /* the last walk (for `access` output): scalar
	                               * fields only (mmu_walk_cr3_fast); use
	                               * mmu_walk() for the per-level record */
};

/* Build the MMU for MEM: TLBs from CFG (NULL = defaults), the walker, the
 * paging-structure caches; SEED drives the random policy; events go to T
 * (NULL = MEM's trace).  Returns NULL with a one-line message in ERR. */
struct mmu *mmu_create(struct memsys *mem, const struct tlb_config *cfg, uint64_t seed, struct trace *t,
		       char *err, size_t errlen);
void mmu_destroy(struct mmu *m);

/* Everything after the L1 4 KiB array: see the top of this file. */
int mmu_translate_slow(struct mmu *m, uint64_t va, unsigned access, struct mmu_xlate *out);
/* mmu_translate_slow() when the caller has just found no L1 4 KiB entry
 * for VA (of the current PCID or global): skips that probe. */
int mmu_translate_l1miss(struct mmu *m, uint64_t va, unsigned access, struct mmu_xlate *out);

/* Translate VA for ACCESS (MMU_READ/MMU_WRITE/MMU_EXEC, | MMU_USER for a
 * CPL-3 access) in the current address space.  Returns 0 with out->pa,
 * MMU_FAULT on a page fault (out->error_code: the x86 #PF error code),
 * -EINVAL for a non-canonical VA (#GP), -ENOENT with no address space
 * loaded, -EFAULT for tables outside RAM.  Allocation-free. */
static inline int mmu_translate(struct mmu *m, uint64_t va, unsigned access, struct mmu_xlate *out)
{
	unsigned kind = access & MMU_ACCESS_KIND;
	struct tlb *t = &m->tlb[kind == MMU_EXEC ? TLB_L1I : TLB_L1D];
	uint64_t page = va & ~0xfffULL;
	uint64_t k1 = page | m->cur_pcid, k2 = page | TLB_PCID_GLOBAL;
	uint64_t need = m->need[access & 7];
	size_t set = (size_t)((va >> 12) & t->set_mask);
	size_t base = set * t->ways;
	const uint64_t *tag = t->tag + base;
	unsigned w;
	for (w = 0; w < t->ways; w++) {
		if (tag[w] == k1 || tag[w] == k2) {
			uint64_t d = t->data[base + w];
			if ((d & need) != need)
				break;
			tlb_touch(t, set, w);
			m->stats.lookups[kind]++;  /* fast hits = lookups - slow_lookups */
			out->pa = (d & TLBE_PA_MASK) | (va & 0xfff);
			out->source = MMU_SRC_L1;
			out->tlb = (uint8_t)t->id;
			out->page_shift = 12;
			out->refs = 0;
			out->error_code = 0;
			return 0;
		}
	}
	if (w < t->ways)  /* an entry without the rights: the slow path decides */
		return mmu_translate_slow(m, va, access, out);
	return mmu_translate_l1miss(m, va, access, out);
}

/* MOV to CR3: load MM (NULL unloads).  With pcid=off the non-global
 * entries are flushed; with pcid=on the TLBs keep MM's tagged entries.
 * Returns 0, or -EINVAL if MM has no pgd or a PCID above TLB_PCID_MAX. */
int mmu_switch_mm(struct mmu *m, struct mm_struct *mm);

/* Give MM a PCID (1..TLB_PCID_MAX, round robin; a reused PCID has its
 * stale entries flushed) and point mm->tlb_ops at this MMU, so mm/ code
 * flushing MM's ranges reaches these TLBs. */
void mmu_attach_mm(struct mmu *m, struct mm_struct *mm);

/* INVLPG VA in the current address space: the entries for VA of the
 * current PCID and global entries for VA, and the paging-structure caches
 * of the current PCID.  Not counted in vmstat (an instruction). */
void mmu_invlpg(struct mmu *m, uint64_t va);
/* INVPCID individual-address: the same for MM's PCID (current or not). */
void mmu_invlpg_mm(struct mmu *m, struct mm_struct *mm, uint64_t va);

/* Linux's flush API; each counts NR_TLB_LOCAL_FLUSH_ONE (per page) or
 * NR_TLB_LOCAL_FLUSH_ALL in mem->vm_events as arch/x86/mm/tlb.c does. */
void flush_tlb_all(struct mmu *m);                                  /* global entries too */
void flush_tlb_mm(struct mmu *m, struct mm_struct *mm);             /* MM's non-global entries */
void flush_tlb_page(struct mmu *m, struct mm_struct *mm, uint64_t va);
/* Pages [start, end) of STRIDE_SHIFT size; more than
 * tlb_single_page_flush_ceiling (33) pages become flush_tlb_mm. */
void flush_tlb_range(struct mmu *m, struct mm_struct *mm, uint64_t start, uint64_t end, unsigned stride_shift);
#define TLB_SINGLE_PAGE_FLUSH_CEILING 33
/* The same flushes done by the CPU that sent IPIS flush IPIs to others
 * for them (a TLB shootdown; the tlb_flush event's value). */
void flush_tlb_mm_ipis(struct mmu *m, struct mm_struct *mm, unsigned ipis);
void flush_tlb_range_ipis(struct mmu *m, struct mm_struct *mm, uint64_t start, uint64_t end, unsigned stride_shift,
			  unsigned ipis);
/* The same flush done for another CPU (flush_tlb_func with local false):
 * MM's entries go, nothing is counted as a local flush.  IPI: the CPU was
 * interrupted (event "range (ipi)"); else it was lazy or did not have MM
 * loaded and the flush stands for Linux's deferred tlb_gen flush at its
 * next switch ("range (deferred)").  Returns the pages invalidated one by
 * one, or 0 for a full flush of MM. */
unsigned long flush_tlb_range_remote(struct mmu *m, struct mm_struct *mm, uint64_t start, uint64_t end,
				     unsigned stride_shift, bool ipi);
/* Drop every entry tagged with PCID (a recycled PCID, any CPU). */
void mmu_flush_pcid(struct mmu *m, unsigned pcid);

/* Hits of array ID.  The inline path does not count L1 4 KiB hits one by
 * one (it saves a store): they are the lookups that never reached
 * mmu_translate_slow, plus the hits the slow path counted in tlb->hits. */
unsigned long mmu_tlb_hits(const struct mmu *m, enum tlb_id id);

/* Look up a stat by name: "tlb.l1d.hits" (levels l1d l1i l1d2m l1i2m l2;
 * hits misses fills evictions invalidations occupancy), "walk.count",
 * "walk.refs", "walk.refs.pml4|pdpt|pd|pt", "walk.faults", "psc.hits",
 * "psc.pml4e.hits", "psc.lookups", "faults.not_present",
 * "faults.protection", "faults.reserved", "faults.from_tlb", "cr3.writes",
 * and the perf names "dTLB-loads", "dTLB-load-misses", "dTLB-stores",
 * "dTLB-store-misses", "iTLB-loads", "iTLB-load-misses".  Returns 0 and
 * sets *VAL, or -1 if NAME is unknown. */
int mmu_stat_lookup(const struct mmu *m, const char *name, unsigned long *val);
/* Call FN for every stat name and value (the run summary). */
void mmu_stat_foreach(const struct mmu *m, void (*fn)(void *ctx, const char *name, unsigned long val), void *ctx);

#endif
