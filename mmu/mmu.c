/* mmu/mmu.c - the translate path after an L1 4 KiB miss, CR3 writes, TLB
 * invalidation and the MMU's statistics.
 *
 * Invariants:
 *   - a translation is cached only after a successful walk (or copied from
 *     the STLB into L1), with the rights the walk accumulated; a page fault
 *     leaves no entry for its address in any array of the current PCID;
 *   - with pcid=off, every cached non-global entry is tagged PCID 0 and
 *     belongs to cur_mm (a CR3 write flushes them); with pcid=on an entry's
 *     tag is the PCID of the mm whose walk created it;
 *   - global entries carry TLB_PCID_GLOBAL and match every PCID; only
 *     INVLPG/INVPCID for their address and flush_tlb_all remove them.
 * The hit path (mmu_translate in mmu.h) is allocation-free; so is this file
 * apart from mmu_create.
 */
#include "mmu/mmu.h"
#include "mmu/smp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- creation ---- */

static void init_need(struct mmu *m)
{
	for (unsigned a = 0; a < 8; a++) {
		unsigned kind = a & MMU_ACCESS_KIND;
		uint64_t need = TLBE_V;
		if (kind == MMU_WRITE)
			need |= TLBE_W;
		if (kind == MMU_EXEC)
			need |= TLBE_X;
		if (a & MMU_USER)
			need |= TLBE_U;
		if (kind == 3)
			need = ~0ULL;  /* not an access kind: never a fast hit */
		m->need[a] = need;
	}
}

/* The default hierarchy's geometry (tlb_config_default), as constants
 * for the inline TLB helpers (struct tlb_geom); the L1 4 KiB arrays hold
 * 4 KiB entries only (the translate path fills them with nothing else). */
#define GEOM_L1D ((struct tlb_geom){ 4, TLB_PLRU, 0, 1 })
#define GEOM_L1D2M ((struct tlb_geom){ 4, TLB_PLRU, 0, 0 })
#define GEOM_L1I ((struct tlb_geom){ 8, TLB_PLRU, 0, 1 })
#define GEOM_L1I2M ((struct tlb_geom){ 8, TLB_PLRU, 0, 0 })
#define GEOM_L2 ((struct tlb_geom){ 12, TLB_PLRU, 1, 0 })

/* Which sides' arrays have the default geometry (MMU_GEOM_* bits). */
static unsigned default_geometry(const struct mmu *m)
{
	const struct tlb *t = m->tlb;
	bool l2 = t[TLB_L2].ways == 12 && t[TLB_L2].policy == TLB_PLRU;
	unsigned f = 0;
	if (l2 && t[TLB_L1D].ways == 4 && t[TLB_L1D].policy == TLB_PLRU && t[TLB_L1D2M].ways == 4 &&
	    t[TLB_L1D2M].policy == TLB_PLRU)
		f |= MMU_GEOM_D;
	if (l2 && t[TLB_L1I].ways == 8 && t[TLB_L1I].policy == TLB_PLRU && t[TLB_L1I2M].ways == 8 &&
	    t[TLB_L1I2M].policy == TLB_PLRU)
		f |= MMU_GEOM_I;
	return f;
}

/* Build the MMU.  Returns NULL with ERR. */
struct mmu *mmu_create(struct memsys *mem, const struct tlb_config *cfg, uint64_t seed, struct trace *t,
		       char *err, size_t errlen)
{
	struct mmu *m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "mmu: out of host memory");
		return NULL;
	}
	m->mem = mem;
	m->trace = t ? t : mem->trace;
	if (cfg)
		m->cfg = *cfg;
	else
		tlb_config_default(&m->cfg);
	for (int i = 0; i < TLB_NR; i++)
		if (tlb_init(&m->tlb[i], (enum tlb_id)i, &m->cfg.a[i], seed, err, errlen) < 0)
			goto err;
	if (m->cfg.psc_enabled) {
		m->psc = psc_create(&m->cfg.psc, err, errlen);
		if (!m->psc)
			goto err;
	}
	if (walker_init(&m->walker, mem, NULL, m->psc) < 0) {
		snprintf(err, errlen, "mmu: walker configuration rejected");
		goto err;
	}
	init_need(m);
	m->geom = default_geometry(m);
	m->next_pcid = 1;
	return m;
err:
	mmu_destroy(m);
	return NULL;
}

void mmu_destroy(struct mmu *m)
{
	if (!m)
		return;
	for (int i = 0; i < TLB_NR; i++)
		tlb_destroy(&m->tlb[i]);
	if (m->psc)
		psc_destroy(m->psc);
	free(m);
}

/* ---- the slow translate path ---- */

static void trace_miss(struct mmu *m, uint64_t va, unsigned access, const char *levels)
{
	if (trace_get_level(m->trace) < TRACE_LEVEL_TLB)
		return;
	struct trace_event ev = trace_event_init(TEV_TLB_MISS);
	ev.addr = va;
	ev.value = access;
	ev.detail = levels;
	trace_emit(m->trace, &ev);
}

/* Drop every entry for VA of the current PCID in every array (what a page
 * fault does, SDM 4.10.4.1). */
static void invalidate_va_all(struct mmu *m, uint64_t va)
{
	for (int i = 0; i < TLB_NR; i++)
		tlb_flush_va(&m->tlb[i], va, m->cur_pcid);
}

static void count_fault(struct mmu *m, uint32_t code)
{
	if (code & PF_RSVD)
		m->stats.faults_reserved++;
	else if (code & PF_PROT)
		m->stats.faults_protection++;
	else
		m->stats.faults_not_present++;
}

/* Protection #PF raised from a cached entry with rights DATA.  Returns
 * MMU_FAULT. */
static int fault_from_entry(struct mmu *m, uint64_t va, unsigned access, uint64_t data, struct mmu_xlate *out)
{
	unsigned kind = access & MMU_ACCESS_KIND;
	uint32_t code = PF_PROT;
	if (kind == MMU_WRITE)
		code |= PF_WRITE;
	if (access & MMU_USER)
		code |= PF_USER;
	if (kind == MMU_EXEC)
		code |= PF_INSTR;
	if ((access & MMU_USER) && !(data & TLBE_U))
		out->kind = WALK_USER;
	else if (kind == MMU_WRITE && !(data & TLBE_RW))
		out->kind = WALK_WRITE;
	else
		out->kind = WALK_NX;
	out->error_code = code;
	out->level = 0;
	out->refs = 0;
	m->stats.faults_from_tlb++;
	count_fault(m, code);
	invalidate_va_all(m, va);
	if (m->psc)
		psc_invalidate_va(m->psc, (uint16_t)m->cur_pcid, va);
	return MMU_FAULT;
}

/* What a cached entry DATA does for ACCESS: 0 allowed, 1 forbidden (#PF),
 * 2 a write to a clean entry (re-walk to set D). */
static int entry_check(const struct mmu *m, uint64_t data, unsigned access)
{
	uint64_t need = m->need[access & 7];
	uint64_t missing = need & ~data;
	if (!missing)
		return 0;
	if (missing == TLBE_W && (data & TLBE_RW))
		return 2;
	return 1;
}

static void fill_out_hit(struct mmu_xlate *out, uint64_t va, uint64_t data, const struct tlb *t, uint8_t source)
{
	unsigned shift = (data & TLBE_LARGE) ? 21 : 12;
	out->pa = (data & TLBE_PA_MASK) | (va & ((1ULL << shift) - 1));
	out->source = source;
	out->tlb = (uint8_t)t->id;
	out->page_shift = (uint8_t)shift;
	out->refs = 0;
	out->error_code = 0;
}

/* Cache the successful walk R for VA in the STLB and the L1 array L1/L1L. */
static inline __attribute__((always_inline)) void fill_from_walk(struct mmu *m, uint64_t va,
								  const struct walk_result *r, struct tlb *l1,
								  struct tlb *l1l, struct tlb_geom g1,
								  struct tlb_geom g1l, struct tlb_geom g2)
{
	uint64_t data = TLBE_V;
	uint64_t base = r->page_pfn << PAGE_SHIFT;
	unsigned shift = 12;
	if (r->page_shift == 21) {
		data |= TLBE_LARGE;
		shift = 21;
	} else if (r->page_shift == 30) {
		data |= TLBE_LARGE | TLBE_1G;
		base += va & ((1ULL << 30) - 1) & ~((1ULL << 21) - 1);
		shift = 21;
	}
	data |= base & TLBE_PA_MASK;
	if (r->writable) {
		data |= TLBE_RW;
		if (r->dirty)
			data |= TLBE_W;
	}
	if (r->dirty)
		data |= TLBE_DIRTY;
	if (r->user)
		data |= TLBE_U;
	if (!r->nx)
		data |= TLBE_X;
	unsigned pcid = m->cur_pcid;
	if (r->global) {
		data |= TLBE_G;
		pcid = TLB_PCID_GLOBAL;
	}
	/* mmu_translate_slow probed (or invalidated) VA in every array first. */
	tlb_fill_absent_g(&m->tlb[TLB_L2], va, shift, pcid, data, g2);
	if (shift == 12)
		tlb_fill_absent_g(l1, va, 12, pcid, data, g1);
	else
		tlb_fill_absent_g(l1l, va, 21, pcid, data, g1l);
}

/* Count a lookup of KIND that left the inline L1 4 KiB path. */
static inline __attribute__((always_inline)) void count_slow_lookup(struct mmu *m, unsigned kind)
{
	m->stats.lookups[kind]++;
	m->stats.slow_lookups[kind]++;
}

/* Count an STLB hit (way J of set S2) after an L1 miss charged to CHARGE,
 * and mark the entry used. */
static inline __attribute__((always_inline)) void count_stlb_hit(struct tlb *charge, struct tlb *l2, size_t s2,
								 unsigned j, struct tlb_geom g2)
{
	charge->misses++;
	l2->hits++;
	tlb_touch_g(l2, s2, j, g2);
}

/* The STLB missed VA (REWALK: or held it clean for a write, or an L1
 * array did): walk, fill on success.  Returns what mmu_translate does.
 * G1, G1L, G2: the arrays' geometry as far as known (translate_slow). */
static inline __attribute__((always_inline)) int translate_walk(struct mmu *m, uint64_t va, unsigned access,
								 struct mmu_xlate *out, bool rewalk,
								 struct tlb_geom g1, struct tlb_geom g1l,
								 struct tlb_geom g2)
{
	unsigned kind = access & MMU_ACCESS_KIND;
	bool fetch = kind == MMU_EXEC;
	struct tlb *l1 = &m->tlb[fetch ? TLB_L1I : TLB_L1D];
	struct tlb *l1l = &m->tlb[fetch ? TLB_L1I2M : TLB_L1D2M];
	struct tlb *l2 = &m->tlb[TLB_L2];
	if (rewalk) {
		m->stats.dirty_rewalks++;
		invalidate_va_all(m, va);
	}
	l2->misses++;
	m->stats.walk_misses[kind]++;
	trace_miss(m, va, access, fetch ? "l1i,l2" : "l1d,l2");
	struct walk_result *r = &m->last_walk;
	int rc = mmu_walk_cr3_fast(&m->walker, m->cr3_pfn, (uint16_t)m->cur_pcid, va, access, r);
	out->source = MMU_SRC_WALK;
	out->tlb = TLB_NR;
	out->refs = (uint8_t)r->refs;
	if (rc < 0) {
		l1->misses++;
		return rc;
	}
	if (rc > 0) {
		(r->fault_shift == 12 ? l1 : l1l)->misses++;
		out->error_code = r->error_code;
		out->kind = r->kind;
		out->level = r->level;
		out->page_shift = (uint8_t)r->fault_shift;
		count_fault(m, r->error_code);
		invalidate_va_all(m, va);
		return MMU_FAULT;
	}
	(r->page_shift == 12 ? l1 : l1l)->misses++;
	fill_from_walk(m, va, r, l1, l1l, g1, g1l, g2);
	out->pa = r->phys;
	out->page_shift = (uint8_t)r->page_shift;
	out->error_code = 0;
	return 0;
}

/* Everything after the inline L1 4 KiB probe; PROBE_L1: look VA up in the
 * L1 4 KiB array again (false: the caller found no entry for it there);
 * PROBED: the caller also found no entry in the L1 2 MiB array nor a 4 KiB
 * one in the STLB (stlb_hit_fast), so those probes are skipped.
 * Sets and ways are kept apart (no slot division). */
static inline __attribute__((always_inline)) int translate_slow(struct mmu *m, uint64_t va, unsigned access,
								 struct mmu_xlate *out, bool probe_l1, bool probed,
								 struct tlb_geom g1, struct tlb_geom g1l, struct tlb_geom g2)
{
	unsigned kind = access & MMU_ACCESS_KIND;
	if (kind == 3)
		return -EINVAL;
	if (!va_canonical(va)) {
		m->stats.gp_faults++;
		return -EINVAL;
	}
	if (!m->cur_mm)
		return -ENOENT;
	bool fetch = kind == MMU_EXEC;
	struct tlb *l1 = &m->tlb[fetch ? TLB_L1I : TLB_L1D];
	struct tlb *l1l = &m->tlb[fetch ? TLB_L1I2M : TLB_L1D2M];
	struct tlb *l2 = &m->tlb[TLB_L2];
	unsigned pcid = m->cur_pcid;
	count_slow_lookup(m, kind);

	/* L1: the 4 KiB and the 2 MiB array, in parallel. */
	struct tlb *t = l1;
	size_t set = 0;
	int w = -1;
	if (probe_l1 && l1->nr_valid) {
		set = (size_t)((va >> 12) & l1->set_mask);
		w = tlb_lookup_way_g(l1, set, va, 12, pcid, g1);
	}
	if (w < 0 && !probed && l1l->nr_valid) {
		t = l1l;
		set = (size_t)((va >> 21) & l1l->set_mask);
		w = tlb_lookup_way_g(l1l, set, va, 21, pcid, g1l);
	}
	bool rewalk = false;
	if (w >= 0) {
		struct tlb_geom g = t == l1 ? g1 : g1l;
		uint64_t d = t->data[set * tlb_g_ways(t, g) + (unsigned)w];
		int c = entry_check(m, d, access);
		if (c == 0) {
			tlb_touch_g(t, set, (unsigned)w, g);
			t->hits++;
			fill_out_hit(out, va, d, t, MMU_SRC_L1);
			return 0;
		}
		if (c == 1) {
			t->hits++;
			out->source = MMU_SRC_L1;
			out->tlb = (uint8_t)t->id;
			return fault_from_entry(m, va, access, d, out);
		}
		rewalk = true;  /* clean entry, write: the walk must set D */
	}

	/* STLB: 4 KiB entry, then 2 MiB entry. */
	size_t s2 = 0;
	int j = -1;
	if (!rewalk && l2->nr_valid) {
		if (!probed) {
			s2 = (size_t)((va >> 12) & l2->set_mask);
			j = tlb_lookup_way_g(l2, s2, va, 12, pcid, g2);
		}
		if (j < 0 && l2->nr_large) {
			s2 = (size_t)((va >> 21) & l2->set_mask);
			j = tlb_lookup_way_g(l2, s2, va, 21, pcid, g2);
		}
	}
	if (j >= 0) {
		size_t slot = s2 * tlb_g_ways(l2, g2) + (unsigned)j;
		uint64_t d = l2->data[slot];
		struct tlb *charge = (d & TLBE_LARGE) ? l1l : l1;
		int c = entry_check(m, d, access);
		if (c != 2) {
			count_stlb_hit(charge, l2, s2, (unsigned)j, g2);
			out->source = MMU_SRC_L2;
			out->tlb = TLB_L2;
			if (c == 1)
				return fault_from_entry(m, va, access, d, out);
			unsigned shift = (d & TLBE_LARGE) ? 21 : 12;
			/* both L1 arrays missed VA just above */
			unsigned epcid = (unsigned)(l2->tag[slot] & 0xfff);
			if (shift == 12)
				tlb_fill_absent_g(l1, va, 12, epcid, d & ~TLBE_V, g1);
			else
				tlb_fill_absent_g(l1l, va, 21, epcid, d & ~TLBE_V, g1l);
			fill_out_hit(out, va, d, l2, MMU_SRC_L2);
			return 0;
		}
		rewalk = true;
	}
	/* Miss everywhere: walk. */
	return translate_walk(m, va, access, out, rewalk, g1, g1l, g2);
}

/* See mmu.h. */
int mmu_translate_slow(struct mmu *m, uint64_t va, unsigned access, struct mmu_xlate *out)
{
	return translate_slow(m, va, access, out, true, false, TLB_GEOM_ANY, TLB_GEOM_ANY, TLB_GEOM_ANY);
}

/* The L1-miss path of a side (FETCH) whose arrays have the default
 * geometry (G1, G1L: its L1 4 KiB and 2 MiB arrays, GEOM_L2: the STLB),
 * for the common case only: a 4 KiB STLB hit with the rights and no L1
 * 2 MiB hit.  It decides before changing anything.  Returns 0 when it
 * translated VA (the same counters, replacement state, L1 fill and *OUT as
 * translate_slow, through the same helpers); 1 when it did not (nothing
 * changed: translate_slow takes the access from the start); 2 when it did
 * not and VA has no entry in the L1 arrays nor a 4 KiB one in the STLB
 * (translate_slow may skip those probes). */
static inline __attribute__((always_inline)) int stlb_hit_fast(struct mmu *m, uint64_t va, unsigned access,
								struct mmu_xlate *out, bool fetch, struct tlb_geom g1,
								struct tlb_geom g1l)
{
	unsigned kind = access & MMU_ACCESS_KIND;
	struct tlb *l1 = &m->tlb[fetch ? TLB_L1I : TLB_L1D];
	struct tlb *l1l = &m->tlb[fetch ? TLB_L1I2M : TLB_L1D2M];
	struct tlb *l2 = &m->tlb[TLB_L2];
	unsigned pcid = m->cur_pcid;
	/* No kind == 3 or canonical check: such an access never passes the
	 * rights test below (need[] is all ones for kind 3; no entry's tag
	 * matches a non-canonical VA, invalid slots included, whose utag
	 * no key has), so it reaches translate_slow, which rejects it. */
	if (!m->cur_mm)
		return 1;
	if (l1l->nr_valid &&
	    tlb_lookup_way_g(l1l, (size_t)((va >> 21) & l1l->set_mask), va, 21, pcid, g1l) >= 0)
		return 1;
	/* The STLB's 4 KiB probe, first candidate only: the hit when it is
	 * our page (PCID ours or global), 4 KiB and has the rights; anything
	 * else (no candidate, another PCID's or a 2 MiB entry first, a fault
	 * or a clean entry written) goes to translate_slow. */
	size_t s2 = (size_t)((va >> 12) & l2->set_mask);
	uint64_t k1 = tlb_tag(va, 12, pcid), k2 = tlb_tag(va, 12, TLB_PCID_GLOBAL);
	uint64_t cand = tlb_utag_ways(l2->utag + s2 * GEOM_L2.ways, GEOM_L2.ways, tlb_utag(k1));
	if (!cand)
		return 2;  /* no 4 KiB entry in the STLB (nor an L1 one) */
	unsigned j = (unsigned)__builtin_ctzll(cand);
	size_t slot = s2 * GEOM_L2.ways + j;
	uint64_t tag = l2->tag[slot];
	if (tag != k1 && tag != k2)
		return 1;
	uint64_t d = l2->data[slot];
	uint64_t need = m->need[access & 7];
	if ((d & (need | TLBE_LARGE)) != need)
		return 1;

	/* Translated: what translate_slow does for this case.  The entry is
	 * 4 KiB (no TLBE_LARGE/TLBE_1G), as is everything in the L1 4 KiB
	 * array (G1.small), and TAG is its tag there too. */
	count_slow_lookup(m, kind);
	count_stlb_hit(l1, l2, s2, j, GEOM_L2);
	tlb_fill_set_g(l1, (size_t)((va >> 12) & l1->set_mask), tag, d, g1);
	out->pa = (d & TLBE_PA_MASK) | (va & 0xfff);
	out->source = MMU_SRC_L2;
	out->tlb = TLB_L2;
	out->page_shift = 12;
	out->refs = 0;
	out->error_code = 0;
	return 0;
}

/* translate_slow() after an L1 4 KiB miss, one copy per geometry (and
 * PROBED, see stlb_hit_fast): out of line, so that mmu_translate_l1miss's
 * fast case stays small. */
static __attribute__((noinline)) int l1miss_d(struct mmu *m, uint64_t va, unsigned access, struct mmu_xlate *out,
					      bool probed)
{
	if (probed)
		return translate_slow(m, va, access, out, false, true, GEOM_L1D, GEOM_L1D2M, GEOM_L2);
	return translate_slow(m, va, access, out, false, false, GEOM_L1D, GEOM_L1D2M, GEOM_L2);
}

static __attribute__((noinline)) int l1miss_i(struct mmu *m, uint64_t va, unsigned access, struct mmu_xlate *out,
					      bool probed)
{
	if (probed)
		return translate_slow(m, va, access, out, false, true, GEOM_L1I, GEOM_L1I2M, GEOM_L2);
	return translate_slow(m, va, access, out, false, false, GEOM_L1I, GEOM_L1I2M, GEOM_L2);
}

static __attribute__((noinline)) int l1miss_any(struct mmu *m, uint64_t va, unsigned access,
						struct mmu_xlate *out)
{
	return translate_slow(m, va, access, out, false, false, TLB_GEOM_ANY, TLB_GEOM_ANY, TLB_GEOM_ANY);
}

/* See mmu.h.  The default geometry gets its own copies of the path. */
int mmu_translate_l1miss(struct mmu *m, uint64_t va, unsigned access, struct mmu_xlate *out)
{
	int rc;
	if ((access & MMU_ACCESS_KIND) != MMU_EXEC) {
		if (m->geom & MMU_GEOM_D) {
			rc = stlb_hit_fast(m, va, access, out, false, GEOM_L1D, GEOM_L1D2M);
			return rc ? l1miss_d(m, va, access, out, rc == 2) : 0;
		}
	} else if (m->geom & MMU_GEOM_I) {
		rc = stlb_hit_fast(m, va, access, out, true, GEOM_L1I, GEOM_L1I2M);
		return rc ? l1miss_i(m, va, access, out, rc == 2) : 0;
	}
	return l1miss_any(m, va, access, out);
}

/* ---- CR3, PCIDs, invalidation ---- */

/* A tlb_flush event; IPIS: the flush IPIs the CPU asking for it sent (a
 * shootdown when > 0; 0 for every other flush). */
static void trace_tlb_flush_ipis(struct mmu *m, uint64_t addr, const char *kind, unsigned ipis)
{
	struct trace_event ev = trace_event_init(TEV_TLB_FLUSH);
	ev.addr = addr;
	ev.value = ipis;
	ev.detail = kind;
	trace_emit(m->trace, &ev);
}

static void trace_tlb_flush(struct mmu *m, uint64_t addr, const char *kind)
{
	trace_tlb_flush_ipis(m, addr, kind, 0);
}

static void flush_nonglobal_all(struct mmu *m)
{
	for (int i = 0; i < TLB_NR; i++)
		tlb_flush_nonglobal(&m->tlb[i]);
	if (m->psc)
		psc_flush_all(m->psc);
}

static void flush_pcid_all(struct mmu *m, unsigned pcid)
{
	for (int i = 0; i < TLB_NR; i++)
		tlb_flush_pcid(&m->tlb[i], pcid);
	if (m->psc)
		psc_flush_pcid(m->psc, (uint16_t)pcid);
}

/* MOV to CR3.  Returns 0 or -EINVAL. */
int mmu_switch_mm(struct mmu *m, struct mm_struct *mm)
{
	if (mm && (!mm->pgd_pfn || (m->cfg.pcid && mm->pcid > TLB_PCID_MAX)))
		return -EINVAL;
	m->stats.cr3_writes++;
	m->cur_mm = mm;
	m->cr3_pfn = mm ? mm->pgd_pfn : 0;
	if (m->cfg.pcid) {
		m->cur_pcid = mm ? mm->pcid : 0;
	} else {
		m->cur_pcid = 0;
		flush_nonglobal_all(m);
	}
	struct trace_event ev = trace_event_init(TEV_CR3_SWITCH);
	ev.value = m->cur_pcid;
	ev.pfn = mm ? (int64_t)mm->pgd_pfn : -1;
	trace_emit(m->trace, &ev);
	return 0;
}

static void tlb_ops_flush_range(void *ctx, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	flush_tlb_range(ctx, mm, start, end, PAGE_SHIFT);
}

static void tlb_ops_flush_mm(void *ctx, struct mm_struct *mm)
{
	flush_tlb_mm(ctx, mm);
}

static const struct mm_tlb_ops mmu_tlb_ops = {
	.flush_range = tlb_ops_flush_range,
	.flush_mm = tlb_ops_flush_mm,
};

void mmu_flush_pcid(struct mmu *m, unsigned pcid)
{
	flush_pcid_all(m, pcid);
}

/* Give MM a PCID and route its flushes here (or to the machine's CPUs). */
void mmu_attach_mm(struct mmu *m, struct mm_struct *mm)
{
	if (m->smp) {
		smp_attach_mm(m->smp, mm);
		return;
	}
	unsigned pcid = m->next_pcid;
	m->next_pcid = pcid >= TLB_PCID_MAX ? 1 : pcid + 1;
	mm->pcid = (uint16_t)pcid;
	if (m->cfg.pcid)
		flush_pcid_all(m, pcid);   /* a recycled PCID must not see old entries */
	mm->tlb_ops = &mmu_tlb_ops;
	mm->tlb_ctx = m;
}

/* The PCID MM's entries carry, or -1 if nothing of MM can be cached. */
static int mm_tag(const struct mmu *m, const struct mm_struct *mm)
{
	if (m->cfg.pcid)
		return mm->pcid;
	return mm == m->cur_mm ? 0 : -1;
}

static void invlpg_pcid(struct mmu *m, unsigned pcid, uint64_t va)
{
	for (int i = 0; i < TLB_NR; i++)
		tlb_flush_va(&m->tlb[i], va, pcid);
	if (m->psc)
		psc_invlpg(m->psc, (uint16_t)pcid, va);
}

void mmu_invlpg(struct mmu *m, uint64_t va)
{
	m->stats.invlpg++;
	invlpg_pcid(m, m->cur_pcid, va);
	trace_tlb_flush(m, va, "invlpg");
}

void mmu_invlpg_mm(struct mmu *m, struct mm_struct *mm, uint64_t va)
{
	int tag = mm_tag(m, mm);
	m->stats.invlpg++;
	if (tag >= 0)
		invlpg_pcid(m, (unsigned)tag, va);
	else
		for (int i = 0; i < TLB_NR; i++)   /* global entries for VA still go */
			tlb_flush_va(&m->tlb[i], va, TLB_PCID_GLOBAL);
	trace_tlb_flush(m, va, "invlpg");
}

void flush_tlb_all(struct mmu *m)
{
	for (int i = 0; i < TLB_NR; i++)
		tlb_flush_all(&m->tlb[i]);
	if (m->psc)
		psc_flush_all(m->psc);
	m->stats.flush_all++;
	__count_vm_event(m->mem, NR_TLB_LOCAL_FLUSH_ALL);
	trace_tlb_flush(m, 0, "all");
}

/* Flush MM's non-global entries; counted when MM is the loaded one (as
 * Linux counts only local flushes). */
static void do_flush_mm(struct mmu *m, struct mm_struct *mm)
{
	int tag = mm_tag(m, mm);
	if (tag < 0)
		return;
	if (m->cfg.pcid)
		flush_pcid_all(m, (unsigned)tag);
	else
		flush_nonglobal_all(m);
	if (mm == m->cur_mm)
		__count_vm_event(m->mem, NR_TLB_LOCAL_FLUSH_ALL);
}

void flush_tlb_mm(struct mmu *m, struct mm_struct *mm)
{
	flush_tlb_mm_ipis(m, mm, 0);
}

void flush_tlb_mm_ipis(struct mmu *m, struct mm_struct *mm, unsigned ipis)
{
	m->stats.flush_mm++;
	do_flush_mm(m, mm);
	trace_tlb_flush_ipis(m, 0, "mm", ipis);
}

enum flush_who { FLUSH_LOCAL, FLUSH_IPI, FLUSH_DEFERRED };

/* Linux's flush_tlb_mm_range(): up to the ceiling, one INVLPG per page
 * (NR_TLB_LOCAL_FLUSH_ONE each), else a full flush of MM. */
/* flush_tlb_range's work; WHO says whose flush it is, and the event's
 * kind: "range" (the CPU that asked: flush_tlb_func with local true, which
 * counts the vm events; it sent IPIS flush IPIs), "range (ipi)" (another
 * CPU, interrupted) or "range (deferred)" (a lazy CPU or one without the
 * mm loaded: no IPI).
 * Returns the pages invalidated one by one, or 0 for a full flush of MM. */
static unsigned long do_flush_range(struct mmu *m, struct mm_struct *mm, uint64_t start, uint64_t end,
				    unsigned stride_shift, enum flush_who who, unsigned ipis)
{
	static const char *const kind[] = { "range", "range (ipi)", "range (deferred)" };
	bool local = who == FLUSH_LOCAL;
	m->stats.flush_range++;
	trace_tlb_flush_ipis(m, start, kind[who], ipis);
	if (end <= start)
		return 0;
	uint64_t stride = 1ULL << stride_shift;
	uint64_t first = start & ~(stride - 1);
	uint64_t pages = (end - first + stride - 1) >> stride_shift;
	if (pages > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		if (local) {
			do_flush_mm(m, mm);
		} else {
			int tag = mm_tag(m, mm);
			if (tag >= 0 && m->cfg.pcid)
				flush_pcid_all(m, (unsigned)tag);
			else if (tag >= 0)
				flush_nonglobal_all(m);
		}
		return 0;
	}
	int tag = mm_tag(m, mm);
	if (tag < 0)
		return pages;
	for (uint64_t va = first; va < end; va += stride)
		invlpg_pcid(m, (unsigned)tag, va);
	if (local && mm == m->cur_mm)
		__count_vm_events(m->mem, NR_TLB_LOCAL_FLUSH_ONE, (long)pages);
	return pages;
}

void flush_tlb_range(struct mmu *m, struct mm_struct *mm, uint64_t start, uint64_t end, unsigned stride_shift)
{
	(void)do_flush_range(m, mm, start, end, stride_shift, FLUSH_LOCAL, 0);
}

void flush_tlb_range_ipis(struct mmu *m, struct mm_struct *mm, uint64_t start, uint64_t end, unsigned stride_shift,
			  unsigned ipis)
{
	(void)do_flush_range(m, mm, start, end, stride_shift, FLUSH_LOCAL, ipis);
}

unsigned long flush_tlb_range_remote(struct mmu *m, struct mm_struct *mm, uint64_t start, uint64_t end,
				     unsigned stride_shift, bool ipi)
{
	return do_flush_range(m, mm, start, end, stride_shift, ipi ? FLUSH_IPI : FLUSH_DEFERRED, 0);
}

void flush_tlb_page(struct mmu *m, struct mm_struct *mm, uint64_t va)
{
	flush_tlb_range(m, mm, va & ~0xfffULL, (va & ~0xfffULL) + PAGE_SIZE, PAGE_SHIFT);
}

/* ---- statistics ---- */

unsigned long mmu_tlb_hits(const struct mmu *m, enum tlb_id id)
{
	const struct mmu_stats *s = &m->stats;
	unsigned long fast = 0;
	if (id == TLB_L1D)
		fast = s->lookups[MMU_READ] + s->lookups[MMU_WRITE] - s->slow_lookups[MMU_READ] -
		       s->slow_lookups[MMU_WRITE];
	else if (id == TLB_L1I)
		fast = s->lookups[MMU_EXEC] - s->slow_lookups[MMU_EXEC];
	return fast + m->tlb[id].hits;
}

static const char *const perf_names[3][2] = {
	{ "dTLB-loads", "dTLB-load-misses" },
	{ "dTLB-stores", "dTLB-store-misses" },
	{ "iTLB-loads", "iTLB-load-misses" },
};

struct stat_item {
	char name[40];
	unsigned long val;
};

/* Every stat, in a fixed order; returns the count (at most MAX). */
static size_t stat_items(const struct mmu *m, struct stat_item *it, size_t max)
{
	size_t n = 0;
#define ADD(v, ...)                                                         \
	do {                                                                \
		if (n < max) {                                              \
			snprintf(it[n].name, sizeof(it[n].name), __VA_ARGS__); \
			it[n].val = (v);                                    \
			n++;                                                \
		}                                                           \
	} while (0)
	for (int k = 0; k < 3; k++) {
		ADD(m->stats.lookups[k], "%s", perf_names[k][0]);
		ADD(m->stats.walk_misses[k], "%s", perf_names[k][1]);
	}
	for (int i = 0; i < TLB_NR; i++) {
		const struct tlb *t = &m->tlb[i];
		const char *nm = tlb_id_name((enum tlb_id)i);
		ADD(mmu_tlb_hits(m, (enum tlb_id)i), "tlb.%s.hits", nm);
		ADD(t->misses, "tlb.%s.misses", nm);
		ADD(t->fills, "tlb.%s.fills", nm);
		ADD(t->evictions, "tlb.%s.evictions", nm);
		ADD(t->invalidations, "tlb.%s.invalidations", nm);
		ADD(tlb_occupancy(t), "tlb.%s.occupancy", nm);
	}
	const struct walker *w = &m->walker;
	static const char *const lvl[5] = { NULL, "pt", "pd", "pdpt", "pml4" };
	ADD(w->walks, "walk.count");
	ADD(w->refs, "walk.refs");
	for (int l = 4; l >= 1; l--)
		ADD(w->refs_level[l], "walk.refs.%s", lvl[l]);
	ADD(w->faults, "walk.faults");
	ADD(w->ad_writes, "walk.ad_writes");
	unsigned long psc_hits = 0, psc_lookups = 0;
	const struct psc_stats *ps = m->psc ? psc_stats(m->psc) : NULL;
	if (ps) {
		psc_lookups = ps->lookups;
		for (int k = 0; k < PSC_NR_KINDS; k++)
			psc_hits += ps->hits[k];
	}
	ADD(psc_lookups, "psc.lookups");
	ADD(psc_hits, "psc.hits");
	static const char *const pk[PSC_NR_KINDS] = { "pml4e", "pdpte", "pde" };
	for (int k = 0; k < PSC_NR_KINDS; k++)
		ADD(ps ? ps->hits[k] : 0, "psc.%s.hits", pk[k]);
	ADD(m->stats.faults_not_present, "faults.not_present");
	ADD(m->stats.faults_protection, "faults.protection");
	ADD(m->stats.faults_reserved, "faults.reserved");
	ADD(m->stats.faults_from_tlb, "faults.from_tlb");
	ADD(m->stats.gp_faults, "faults.gp");
	ADD(m->stats.dirty_rewalks, "tlb.dirty_rewalks");
	ADD(m->stats.cr3_writes, "cr3.writes");
	ADD(m->stats.invlpg, "tlb.invlpg");
	ADD(m->stats.flush_all, "tlb.flush_all");
	ADD(m->stats.flush_mm, "tlb.flush_mm");
	ADD(m->stats.flush_range, "tlb.flush_range");
#undef ADD
	return n;
}

#define MAX_STATS 96

int mmu_stat_lookup(const struct mmu *m, const char *name, unsigned long *val)
{
	struct stat_item it[MAX_STATS];
	size_t n = stat_items(m, it, MAX_STATS);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(it[i].name, name)) {
			*val = it[i].val;
			return 0;
		}
	return -1;
}

void mmu_stat_foreach(const struct mmu *m, void (*fn)(void *ctx, const char *name, unsigned long val), void *ctx)
{
	struct stat_item it[MAX_STATS];
	size_t n = stat_items(m, it, MAX_STATS);
	for (size_t i = 0; i < n; i++)
		fn(ctx, it[i].name, it[i].val);
}
