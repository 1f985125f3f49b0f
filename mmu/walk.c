/* mmu/walk.c - the hardware page walker (Intel SDM vol. 3, 4.5-4.7, 4.10.3).
 *
 * One walk reads at most four entries, top level first, from simulated RAM.
 * While descending it accumulates the rights of the entries it passes
 * (R/W and U/S ANDed, XD ORed) and remembers, for each right, the highest
 * level that denies it - that is the level reported for a protection fault.
 * Order of the checks, as on hardware: an entry with P=0 stops the walk (its
 * other bits are ignored); then its reserved bits; then, at the leaf, the
 * access rights.  Only a successful walk writes: A in every entry read, D in
 * the leaf for a write.  A paging-structure-cache hit lets the walk start
 * below the top with the cached rights; a successful walk fills the caches
 * for the non-leaf entries it read, and a fault drops the cached entries for
 * the faulting address.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mmu/psc.h"
#include "mmu/walk.h"
#include "mm/view_log.h"
#include "traces/trace.h"

void walker_config_default(struct walker_config *cfg)
{
	cfg->maxphyaddr = 46;
	cfg->nxe = true;
	cfg->wp = true;
	cfg->smep = false;
	cfg->smap = false;
}

/* Returns 0, or -EINVAL for a MAXPHYADDR outside 36..52. */
int walker_init(struct walker *w, struct memsys *mem, const struct walker_config *cfg, struct psc *psc)
{
	memset(w, 0, sizeof *w);
	if (cfg)
		w->cfg = *cfg;
	else
		walker_config_default(&w->cfg);
	if (w->cfg.maxphyaddr < 36 || w->cfg.maxphyaddr > PHYS_ADDR_BITS)
		return -EINVAL;
	w->mem = mem;
	w->psc = psc;
	w->rsvd_phys_mask = PTE_PFN_MASK & ~((1ULL << w->cfg.maxphyaddr) - 1);
	return 0;
}

/* Reserved bits of entry E at LEVEL (SDM tables 4-15..4-20); BASE holds
 * the bits reserved at every level (PFN bits >= MAXPHYADDR, NX without
 * EFER.NXE). */
static inline pteval_t reserved_mask(pteval_t base, pteval_t e, int level)
{
	pteval_t mask = base;
	if (level == 4)
		mask |= _PAGE_PSE;
	else if (level == 3 && (e & _PAGE_PSE))
		mask |= 0x3fffe000ULL;          /* bits 29:13 of a 1 GiB leaf */
	else if (level == 2 && (e & _PAGE_PSE))
		mask |= 0x1fe000ULL;            /* bits 20:13 of a 2 MiB leaf */
	return mask;
}

/* The TEV_WALK event of R.  With a counters-only sink the count is bumped
 * directly (the array trace_counters_if_count_only() gives, cached in W):
 * trace_count() sees the same number either way. */
static inline void walk_event(struct walker *w, uint64_t va, const struct walk_result *r)
{
	if (__builtin_expect(!w->trace_cached, 0)) {
		w->trace_counts = w->mem->trace ? trace_counters_if_count_only(w->mem->trace) : NULL;
		w->trace_cached = true;
	}
	if (__builtin_expect(w->trace_counts != NULL, 1)) {
		w->trace_counts[TEV_WALK]++;
		return;
	}
	if (!w->mem->trace)
		return;
	struct trace_event ev = trace_event_init(TEV_WALK);
	ev.addr = va;
	ev.pfn = r->fault ? -1 : (int64_t)r->pfn;
	ev.value = r->refs;
	ev.detail = walk_fault_name(r->kind);
	trace_emit(w->mem->trace, &ev);
}

/* Record a #PF of KIND at LEVEL in OUT (SHIFT: the size of the page the
 * walk reached, 12 if none); returns 1. */
static __attribute__((noinline)) int walk_fault(struct walker *w, uint16_t pcid, uint64_t va, unsigned access,
						enum walk_fault_kind kind, int level, unsigned shift,
						struct walk_result *out)
{
	unsigned k = access & MMU_ACCESS_KIND;
	uint32_t code = 0;
	if (kind != WALK_NOT_PRESENT)
		code |= PF_PROT;
	if (kind == WALK_RESERVED)
		code |= PF_RSVD;
	if (k == MMU_WRITE)
		code |= PF_WRITE;
	if (access & MMU_USER)
		code |= PF_USER;
	if (k == MMU_EXEC && (w->cfg.nxe || w->cfg.smep))
		code |= PF_INSTR;
	out->fault = true;
	out->kind = kind;
	out->error_code = code;
	out->level = level;
	out->fault_shift = shift;
	w->faults++;
	w->faults_kind[kind]++;
	if (w->psc)
		psc_invalidate_va(w->psc, pcid, va);
	walk_event(w, va, out);
	return 1;
}

/* Count the entry reads of levels START down to LOWEST (none when LOWEST >
 * START) in OUT and W's statistics. */
static inline void count_refs(struct walker *w, struct walk_result *out, int start, int lowest)
{
	unsigned n = lowest > start ? 0 : (unsigned)(start - lowest + 1);
	out->refs = n;
	w->refs += n;
	for (int l = lowest; l <= start; l++)
		w->refs_level[l]++;
}

/* The walk itself, for mmu_walk_cr3() (FULL: a complete record in *OUT,
 * per-level arrays included) and mmu_walk_cr3_fast() (!FULL: the scalar
 * fields only; no memset of the arrays).  Reads, A/D writes, PSC use,
 * statistics and events are the same either way; FULL is a constant at
 * each call, so the compiler drops the recording from the fast copy.
 * Returns 0 (translated), 1 (#PF), -EINVAL (#GP) or -EFAULT. */
static inline __attribute__((always_inline)) int walk(struct walker *w, uint64_t pgd_pfn, uint16_t pcid,
							uint64_t va, unsigned access, struct walk_result *out,
							bool full)
{
	struct memsys *m = w->mem;
	if (full) {
		memset(out, 0, sizeof *out);
	} else {
		out->fault = false;
		out->kind = WALK_OK;
		out->error_code = 0;
		out->refs = 0;
		out->pfn = out->phys = out->page_pfn = 0;
		out->page_shift = 0;
		out->fault_shift = 0;
		out->leaf = 0;
		out->writable = out->user = out->nx = out->global = out->dirty = false;
	}
	w->walks++;
	if (!va_canonical(va)) {
		w->gp_faults++;
		out->level = 4;
		out->start_level = 0;
		return -EINVAL;
	}
	unsigned kind = access & MMU_ACCESS_KIND;
	bool user = access & MMU_USER;
	/* Accumulated rights and the highest level denying each. */
	bool rw = true, us = true, nx = false;
	int deny_rw = 0, deny_us = 0, deny_nx = 0;
	uint64_t table = pgd_pfn;
	int level = 4;
	struct psc_hit hit;
	if (w->psc && psc_lookup(w->psc, pcid, va, &hit)) {
		level = hit.level;
		table = hit.table_pfn;
		rw = hit.rw;
		us = hit.us;
		nx = hit.nx;
		/* The denying entry is above the cached one; report the cached level. */
		if (!rw)
			deny_rw = level + 1;
		if (!us)
			deny_us = level + 1;
		if (nx)
			deny_nx = level + 1;
	}
	const int start = level;
	out->start_level = level;
	/* Locals for everything the loop touches: a store through OUT or W
	 * could alias a loaded entry, so fields would be reloaded each level. */
	const pteval_t rsvd = w->rsvd_phys_mask | (w->cfg.nxe ? 0 : _PAGE_NX);
	const uint64_t max_pfn = m->max_pfn;
	uint8_t *const ram = phys_to_host(m, 0);
	pteval_t *slot[5] = { 0 };
	uint64_t next_pfn[5] = { 0 };
	bool acc_rw[5], acc_us[5], acc_nx[5];
	pteval_t e;
	for (;;) {
		if (table >= max_pfn) {
			count_refs(w, out, start, level + 1);
			out->level = level;
			return -EFAULT;
		}
		unsigned idx = (unsigned)(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
		uint64_t ephys = (table << PAGE_SHIFT) | ((uint64_t)idx << 3);
		pteval_t *p = (pteval_t *)(ram + ephys);
		slot[level] = p;
		e = *p;
		if (full) {
			out->entries[level] = e;
			out->entry_phys[level] = ephys;
			out->refs_per_level[level]++;
		}
		if (!(e & _PAGE_PRESENT)) {
			count_refs(w, out, start, level);
			return walk_fault(w, pcid, va, access, WALK_NOT_PRESENT, level, 12, out);
		}
		if (e & reserved_mask(rsvd, e, level)) {
			count_refs(w, out, start, level);
			return walk_fault(w, pcid, va, access, WALK_RESERVED, level, 12, out);
		}
		if (!(e & _PAGE_RW) && rw) {
			rw = false;
			deny_rw = level;
		}
		if (!(e & _PAGE_USER) && us) {
			us = false;
			deny_us = level;
		}
		if ((e & _PAGE_NX) && !nx) {
			nx = true;
			deny_nx = level;
		}
		acc_rw[level] = rw;
		acc_us[level] = us;
		acc_nx[level] = nx;
		if (level == 1 || (e & _PAGE_PSE))
			break;
		table = (e & PTE_PFN_MASK) >> PAGE_SHIFT;
		next_pfn[level] = table;
		level--;
	}
	count_refs(w, out, start, level);
	unsigned shift = PAGE_SHIFT + 9 * (unsigned)(level - 1);

	/* Access rights (SDM 4.6). */
	if (user) {
		if (!us)
			return walk_fault(w, pcid, va, access, WALK_USER, deny_us, shift, out);
		if (kind == MMU_WRITE && !rw)
			return walk_fault(w, pcid, va, access, WALK_WRITE, deny_rw, shift, out);
	} else {
		if (kind == MMU_WRITE && !rw && w->cfg.wp)
			return walk_fault(w, pcid, va, access, WALK_WRITE, deny_rw, shift, out);
		if (us && kind == MMU_EXEC && w->cfg.smep)
			return walk_fault(w, pcid, va, access, WALK_SMEP, level, shift, out);
		if (us && kind != MMU_EXEC && w->cfg.smap)
			return walk_fault(w, pcid, va, access, WALK_SMAP, level, shift, out);
	}
	if (kind == MMU_EXEC && nx)
		return walk_fault(w, pcid, va, access, WALK_NX, deny_nx, shift, out);

	/* Success: set A on every entry read, D on the leaf for a write. */
	for (int l = start; l >= level; l--) {
		pteval_t set = _PAGE_ACCESSED;
		if (l == level && kind == MMU_WRITE)
			set |= _PAGE_DIRTY;
		if ((*slot[l] & set) != set) {
			bool dirtied = (set & ~*slot[l]) & _PAGE_DIRTY;
			*slot[l] |= set;
			w->ad_writes++;
			if (dirtied && (*slot[l] & _PAGE_USER))
				vlog_pte_cr3(m, pgd_pfn, va & ~((1ULL << shift) - 1), *slot[l]);
		}
		if (full)
			out->entries[l] = *slot[l];
	}
	if (w->psc)
		for (int l = start; l > level; l--)
			psc_fill(w->psc, pcid, va, l, next_pfn[l], acc_rw[l], acc_us[l], acc_nx[l]);

	e = *slot[level];
	uint64_t base = e & PTE_PFN_MASK & ~((1ULL << shift) - 1);
	out->phys = base | (va & ((1ULL << shift) - 1));
	out->pfn = out->phys >> PAGE_SHIFT;
	out->page_pfn = base >> PAGE_SHIFT;
	out->page_shift = shift;
	out->level = level;
	out->writable = rw;
	out->user = us;
	out->nx = nx;
	out->global = e & _PAGE_GLOBAL;
	out->dirty = e & _PAGE_DIRTY;
	out->leaf = e;
	w->leaves[level - 1]++;
	walk_event(w, va, out);
	return 0;
}

/* See walk.h.  Returns 0 (translated), 1 (#PF), -EINVAL (#GP) or -EFAULT. */
int mmu_walk_cr3(struct walker *w, uint64_t pgd_pfn, uint16_t pcid, uint64_t va, unsigned access,
		 struct walk_result *out)
{
	return walk(w, pgd_pfn, pcid, va, access, out, true);
}

/* See walk.h.  mmu_walk_cr3() without the per-level record. */
int mmu_walk_cr3_fast(struct walker *w, uint64_t pgd_pfn, uint16_t pcid, uint64_t va, unsigned access,
		      struct walk_result *out)
{
	return walk(w, pgd_pfn, pcid, va, access, out, false);
}

/* Returns mmu_walk_cr3()'s result, or -ENOENT if MM has no pgd. */
int mmu_walk(struct walker *w, const struct mm_struct *mm, uint64_t va, unsigned access, struct walk_result *out)
{
	if (!mm->pgd_pfn) {
		memset(out, 0, sizeof *out);
		return -ENOENT;
	}
	return mmu_walk_cr3(w, mm->pgd_pfn, mm->pcid, va, access, out);
}

const char *walk_fault_name(enum walk_fault_kind k)
{
	static const char *const names[] = {
		[WALK_OK] = "ok", [WALK_NOT_PRESENT] = "not-present", [WALK_RESERVED] = "reserved",
		[WALK_USER] = "user", [WALK_WRITE] = "write", [WALK_NX] = "nx",
		[WALK_SMEP] = "smep", [WALK_SMAP] = "smap",
	};
	return (unsigned)k <= WALK_SMAP ? names[k] : "unknown";
}

/* "P|W|U|RSVD|I", or "0" for an empty code.  Returns BUF. */
char *pf_error_str(uint32_t code, char *buf, size_t len)
{
	static const char *const bits[] = { "P", "W", "U", "RSVD", "I" };
	size_t n = 0;
	if (!len)
		return buf;
	buf[0] = 0;
	for (unsigned i = 0; i < 5; i++)
		if ((code >> i) & 1 && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "", bits[i]);
	if (!n)
		snprintf(buf, len, "0");
	return buf;
}

/* One line per entry read, then the outcome.  Returns BUF. */
char *walk_format(const struct walk_result *r, uint64_t va, char *buf, size_t len)
{
	size_t n = 0;
	char flags[160];
	if (!len)
		return buf;
	buf[0] = 0;
#define OUT(...)                                                           \
	do {                                                               \
		if (n < len)                                               \
			n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); \
	} while (0)
	OUT("walk 0x%016llx: start %s, %u refs\n", (unsigned long long)va,
	    pgtable_level_name(r->start_level ? r->start_level : 4), r->refs);
	for (int l = 4; l >= 1; l--) {
		if (!r->refs_per_level[l])
			continue;
		unsigned idx = (unsigned)(va >> (PAGE_SHIFT + 9 * (l - 1))) & 511;
		OUT("  %-4s [%3u] @0x%llx = 0x%016llx %s\n", pgtable_level_name(l), idx,
		    (unsigned long long)r->entry_phys[l], (unsigned long long)r->entries[l],
		    pte_flags_str(r->entries[l], l, flags, sizeof flags));
	}
	if (r->fault) {
		char ec[32];
		OUT("  #PF %s at %s, error code 0x%x (%s)\n", walk_fault_name(r->kind), pgtable_level_name(r->level),
		    r->error_code, pf_error_str(r->error_code, ec, sizeof ec));
	} else {
		OUT("  -> phys 0x%llx (%s page, %s%s%s%s)\n", (unsigned long long)r->phys,
		    r->page_shift == 30 ? "1G" : r->page_shift == 21 ? "2M" : "4K", r->writable ? "RW" : "RO",
		    r->user ? " user" : " kernel", r->nx ? " NX" : "", r->global ? " G" : "");
	}
#undef OUT
	return buf;
}
