/* tools/scenario_mmu.c - scenario commands that drive page tables and TLBs
 * by hand (docs/tlb.md):
 *   mm_create NAME                 new address space (pgd_alloc, a PCID)
 *   map MM VA alloc|pfn=N prot=rwx [size=4k|2m|1g] [user|kernel] [global]
 *   unmap MM VA                    clear the leaf (frees an `alloc` frame); no TLB flush
 *   access MM VA r|w|x [user|kernel]   translate through the TLBs (MM is loaded into CR3 first if needed)
 *   switch MM                      MOV to CR3
 *   invlpg MM VA                   flush_tlb_page
 *   flush [MM [START END]]         flush_tlb_all / flush_tlb_mm / flush_tlb_range
 *   vmalloc NAME SIZE, vfree NAME
 *   show tlb, show pagetable MM VA
 * Stats: tlb.LEVEL.hits|misses|..., walk.*, psc.*, faults.*, cr3.writes and
 * the perf names dTLB-loads ... (mmu_stat_lookup).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
#include "mmu/vmalloc.h"
#include "tools/scenario.h"

/* One `map ... alloc`: the frames to free at unmap or teardown. */
struct scn_mapping {
	struct mm_struct *mm;
	uint64_t va;
	unsigned shift;
	struct page *page;       /* NULL: pfn= mapping (not ours) */
	unsigned order;
	struct scn_mapping *next;
};

struct scn_mm {
	struct mm_struct mm;
	struct scn_mm *next;
};

struct mmu_state {
	struct scn_mm *mms;
	struct scn_mapping *maps;
	/* `show pagetable MM VA` arrives one view at a time */
	int pt_line, pt_step;
	struct mm_struct *pt_mm;
};

static void state_free(struct scenario *sc)
{
	struct mmu_state *st = sc->mmu_state;
	if (!st)
		return;
	struct sim *s = sc->sim;
	for (struct scn_mapping *m = st->maps, *n; m; m = n) {
		n = m->next;
		if (s && m->page)
			__free_pages(s->mem, m->page, m->order);
		free(m);
	}
	if (s && s->mmu && s->mmu->cur_mm && s->mmu->cur_mm != &s->kpt.init_mm)
		mmu_switch_mm(s->mmu, &s->kpt.init_mm);
	for (struct scn_mm *m = st->mms, *n; m; m = n) {
		n = m->next;
		if (s)
			pgd_free(s->mem, &m->mm);
		free(m);
	}
	free(st);
	sc->mmu_state = NULL;
}

/* The state, built on first use, with an address space in CR3 (init_mm
 * if none was loaded).  The MMU is the sim's (sim_create builds it).
 * NULL after an error (out of host memory). */
static struct mmu_state *state(struct scenario *sc, const struct scn_args *a)
{
	struct mmu_state *st = sc->mmu_state;
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st) {
			scn_error(sc, a, 0, "out of host memory");
			return NULL;
		}
		sc->mmu_state = st;
		sc->mmu_state_free = state_free;
	}
	struct sim *s = sc->sim;
	if (!s->mmu->cur_mm)
		mmu_switch_mm(s->mmu, &s->kpt.init_mm);
	return st;
}

/* The mm handle argv[I]. */
static struct mm_struct *get_mm(struct scenario *sc, const struct scn_args *a, int i)
{
	struct scn_handle *h = scn_handle_get(sc, a, i, SCN_H_EXT);
	if (!h)
		return NULL;
	if (sc->checking)
		return (struct mm_struct *)1;
	if (!h->ext_kind || strcmp(h->ext_kind, "mm")) {
		scn_error(sc, a, i, "'%s' is a %s handle, not an address space (mm_create)", a->argv[i],
			  h->ext_kind ? h->ext_kind : "non-mm");
		return NULL;
	}
	return h->ext;
}

static int get_va(struct scenario *sc, const struct scn_args *a, int i, uint64_t *va)
{
	if (i < 0)
		return scn_error(sc, a, a->argc, "missing virtual address");
	if (scn_u64(sc, a, i, 0, false, UINT64_MAX, va))
		return SCN_ERROR;
	if (!va_canonical(*va))
		return scn_error(sc, a, i, "0x%llx is not a canonical 48-bit address", (unsigned long long)*va);
	return 0;
}

/* Arguments "MM VA ..." of a command taking MIN..MAX arguments: *MM and *VA
 * (in the check pass *MM is only non-NULL).  Returns 0 or SCN_ERROR. */
static int mm_va_args(struct scenario *sc, const struct scn_args *a, int min, int max, struct mm_struct **mm,
		      uint64_t *va)
{
	if (scn_nargs(sc, a, sc->cur, min, max))
		return SCN_ERROR;
	*mm = get_mm(sc, a, 1);
	return *mm && !get_va(sc, a, 2, va) ? 0 : SCN_ERROR;
}

/* The state for a command's run pass; NULL when the command ends here,
 * with *RC what it returns: 0 in the check pass, SCN_ERROR after an error. */
static struct mmu_state *run_state(struct scenario *sc, const struct scn_args *a, int *rc)
{
	*rc = sc->checking ? 0 : SCN_ERROR;
	return sc->checking ? NULL : state(sc, a);
}

static const char *mm_name(struct scenario *sc, const struct mm_struct *mm)
{
	for (size_t i = 0; i < sc->nhandles; i++)
		if (sc->handles[i].kind == SCN_H_EXT && sc->handles[i].ext == mm && !sc->handles[i].freed)
			return sc->handles[i].name;
	if (sc->sim && mm == &sc->sim->kpt.init_mm)
		return "init_mm";
	return "?";
}

/* ---- mm_create, switch ---- */

static int cmd_mm_create(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 1, 1) || scn_name(sc, a, 1))
		return SCN_ERROR;
	if (sc->checking)
		return scn_handle_define(sc, a, 1, SCN_H_EXT) ? 0 : SCN_ERROR;
	struct mmu_state *st = state(sc, a);
	if (!st)
		return SCN_ERROR;
	struct scn_mm *m = calloc(1, sizeof *m);
	if (!m)
		return scn_error(sc, a, 0, "out of host memory");
	INIT_LIST_HEAD(&m->mm.mmap);
	m->mm.mm_users = 1;
	if (pgd_alloc(sc->sim->mem, &sc->sim->kpt, &m->mm) < 0) {
		free(m);
		return scn_error(sc, a, 1, "mm_create: out of simulated memory for the pgd");
	}
	mmu_attach_mm(sc->sim->mmu, &m->mm);
	struct scn_handle *h = scn_handle_define(sc, a, 1, SCN_H_EXT);
	if (!h) {
		pgd_free(sc->sim->mem, &m->mm);
		free(m);
		return SCN_ERROR;
	}
	h->ext_kind = "mm";
	h->ext = &m->mm;
	m->next = st->mms;
	st->mms = m;
	scn_printf(sc, "mm_create %s: pgd pfn 0x%llx, pcid %u\n", a->argv[1], (unsigned long long)m->mm.pgd_pfn,
		   m->mm.pcid);
	return 0;
}

static int cmd_switch(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 1, 1))
		return SCN_ERROR;
	struct mm_struct *mm = get_mm(sc, a, 1);
	if (!mm)
		return SCN_ERROR;
	int rc;
	if (!run_state(sc, a, &rc))
		return rc;
	struct mmu *mmu = sc->sim->mmu;
	if (mmu_switch_mm(mmu, mm) < 0)
		return scn_error(sc, a, 1, "switch: cannot load %s", a->argv[1]);
	scn_printf(sc, "switch %s: cr3 = pgd pfn 0x%llx, pcid %u (%s)\n", a->argv[1],
		   (unsigned long long)mm->pgd_pfn, mmu->cur_pcid,
		   mmu->cfg.pcid ? "pcid=on: tagged entries kept" : "pcid=off: non-global entries flushed");
	return 0;
}

/* ---- map, unmap ---- */

static int parse_prot(struct scenario *sc, const struct scn_args *a, int i, const char *v, pteval_t *prot)
{
	pteval_t p = _PAGE_PRESENT | _PAGE_NX;
	if (!*v)
		return scn_error(sc, a, i, "prot= needs letters from r, w, x");
	for (const char *c = v; *c; c++) {
		if (*c == 'r')
			;
		else if (*c == 'w')
			p |= _PAGE_RW;
		else if (*c == 'x')
			p &= ~_PAGE_NX;
		else
			return scn_error_at(sc, a, i, (int)(c - a->argv[i]), "prot: unknown right '%c' (r, w, x)", *c);
	}
	*prot = p;
	return 0;
}

static int cmd_map(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "pfn", "prot", "size", NULL };
	if (scn_nargs(sc, a, sc->cur, 3, 8) || scn_only(sc, a, 6, keys))
		return SCN_ERROR;
	struct mm_struct *mm = get_mm(sc, a, scn_pos(a, 1));
	if (!mm)
		return SCN_ERROR;
	uint64_t va, pfn = 0, size = 4096;
	if (get_va(sc, a, scn_pos(a, 2), &va))
		return SCN_ERROR;
	const char *v;
	pteval_t prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_NX;
	int pi = scn_kv(a, "prot", &v);
	if (pi >= 0 && parse_prot(sc, a, pi, v, &prot))
		return SCN_ERROR;
	int si = scn_kv(a, "size", &v);
	unsigned shift = 12;
	if (si >= 0) {
		if (!strcmp(v, "4k") || !strcmp(v, "4K"))
			shift = 12;
		else if (!strcmp(v, "2m") || !strcmp(v, "2M"))
			shift = 21;
		else if (!strcmp(v, "1g") || !strcmp(v, "1G"))
			shift = 30;
		else
			return scn_error_at(sc, a, si, 5, "size: '%s' is not 4k, 2m or 1g", v);
	}
	size = 1ULL << shift;
	bool alloc = false, user = true, global = false;
	int fi = scn_kv(a, "pfn", NULL);
	for (int n = 3; scn_pos(a, n) >= 0; n++) {
		int i = scn_pos(a, n);
		const char *w = a->argv[i];
		if (!strcmp(w, "alloc"))
			alloc = true;
		else if (!strcmp(w, "user"))
			user = true;
		else if (!strcmp(w, "kernel"))
			user = false;
		else if (!strcmp(w, "global"))
			global = true;
		else
			return scn_error(sc, a, i, "map: unknown word '%s' (alloc, user, kernel, global)", w);
	}
	if (alloc == (fi >= 0))
		return scn_error(sc, a, a->argc, "map: give exactly one of alloc or pfn=N");
	if (fi >= 0 && scn_u64(sc, a, fi, 4, false, (1ULL << 40) - 1, &pfn))
		return SCN_ERROR;
	if (va & (size - 1))
		return scn_error(sc, a, scn_pos(a, 2), "map: 0x%llx is not aligned to the page size", (unsigned long long)va);
	if (fi >= 0 && (pfn & ((size >> 12) - 1)))
		return scn_error(sc, a, fi, "map: pfn 0x%llx is not aligned to the page size", (unsigned long long)pfn);
	if (alloc && shift == 30)
		return scn_error(sc, a, si, "map: size=1g cannot be allocated (the buddy allocator's largest block is "
				 "%lu KiB): use pfn=N", (MAX_ORDER_NR_PAGES * PAGE_SIZE) >> 10);
	int rc;
	struct mmu_state *st = run_state(sc, a, &rc);
	if (!st)
		return rc;
	struct memsys *m = sc->sim->mem;
	struct page *page = NULL;
	unsigned order = shift - 12;
	if (alloc) {
		page = alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_ZERO | (order ? __GFP_COMP : 0) | __GFP_NOWARN, order);
		if (!page)
			return scn_error(sc, a, a->argc, "map: out of simulated memory for an order-%u block", order);
		pfn = page_to_pfn(m, page);
	}
	if (user)
		prot |= _PAGE_USER;
	if (global)
		prot |= _PAGE_GLOBAL;
	int level = (int)(shift - PAGE_SHIFT) / 9 + 1;
	pteval_t *slot = leaf_alloc_map(m, mm, va, level);
	if (!slot)
		goto no_table;
	if (*slot)
		goto busy;
	struct scn_mapping *mp = calloc(1, sizeof *mp);
	if (!mp)
		goto no_table;
	*slot = mk_leaf(pfn << PAGE_SHIFT, prot, level);
	*mp = (struct scn_mapping){ mm, va, shift, page, order, st->maps };
	st->maps = mp;
	char fl[128];
	scn_printf(sc, "map %s 0x%llx -> pfn 0x%llx (%s page) %s\n", a->argv[scn_pos(a, 1)], (unsigned long long)va,
		   (unsigned long long)pfn, page_size_name(shift),
		   pte_flags_str(*slot, level, fl, sizeof fl));
	return 0;
no_table:
	if (page)
		__free_pages(m, page, order);
	return scn_error(sc, a, scn_pos(a, 2),
			 "map: cannot map 0x%llx: out of simulated memory, or a page of another size covers it",
			 (unsigned long long)va);
busy:
	if (page)
		__free_pages(m, page, order);
	return scn_error(sc, a, scn_pos(a, 2), "map: 0x%llx is already mapped (unmap it first)", (unsigned long long)va);
}

/* Forget the mapping of MM at BASE, freeing its frame if `alloc`'ed.
 * Returns whether a frame was freed. */
static bool drop_mapping(struct scenario *sc, struct mmu_state *st, struct mm_struct *mm, uint64_t base)
{
	for (struct scn_mapping **pp = &st->maps; *pp; pp = &(*pp)->next) {
		struct scn_mapping *mp = *pp;
		if (mp->mm == mm && mp->va == base) {
			bool freed = mp->page != NULL;
			if (mp->page)
				__free_pages(sc->sim->mem, mp->page, mp->order);
			*pp = mp->next;
			free(mp);
			return freed;
		}
	}
	return false;
}

static int cmd_unmap(struct scenario *sc, struct scn_args *a)
{
	struct mm_struct *mm;
	uint64_t va;
	int rc;
	if (mm_va_args(sc, a, 2, 2, &mm, &va))
		return SCN_ERROR;
	struct mmu_state *st = run_state(sc, a, &rc);
	if (!st)
		return rc;
	int level;
	pteval_t *e = pgtable_leaf(sc->sim->mem, mm, va, &level);
	if (!e)
		return scn_error(sc, a, 2, "unmap: 0x%llx is not mapped in %s", (unsigned long long)va, a->argv[1]);
	*e = 0;
	unsigned shift = pgtable_level_shift(level);
	uint64_t base = va & ~((1ULL << shift) - 1);
	bool freed = drop_mapping(sc, st, mm, base);
	scn_printf(sc, "unmap %s 0x%llx: %s entry cleared%s; TLB not flushed\n", a->argv[1], (unsigned long long)base,
		   pgtable_level_name(level), freed ? ", frame freed" : "");
	return 0;
}

/* ---- access ---- */

static const char *fault_text(enum walk_fault_kind k)
{
	switch (k) {
	case WALK_NOT_PRESENT: return "page not present";
	case WALK_RESERVED: return "reserved bit set";
	case WALK_USER: return "user access to a supervisor page";
	case WALK_WRITE: return "write to a read-only page";
	case WALK_NX: return "fetch from a no-execute page";
	case WALK_SMEP: return "supervisor fetch from a user page (SMEP)";
	case WALK_SMAP: return "supervisor access to a user page (SMAP)";
	default: return walk_fault_name(k);
	}
}

static int cmd_access(struct scenario *sc, struct scn_args *a)
{
	struct mm_struct *mm;
	uint64_t va;
	int rc;
	if (mm_va_args(sc, a, 3, 4, &mm, &va))
		return SCN_ERROR;
	const char *k = a->argv[3];
	unsigned access;
	if (!strcmp(k, "r"))
		access = MMU_READ;
	else if (!strcmp(k, "w"))
		access = MMU_WRITE;
	else if (!strcmp(k, "x"))
		access = MMU_EXEC;
	else
		return scn_error(sc, a, 3, "access: '%s' is not r, w or x", k);
	bool user = true;
	if (a->argc == 5) {
		if (!strcmp(a->argv[4], "kernel"))
			user = false;
		else if (strcmp(a->argv[4], "user"))
			return scn_error(sc, a, 4, "access: '%s' is not user or kernel", a->argv[4]);
	}
	if (user)
		access |= MMU_USER;
	if (!run_state(sc, a, &rc))
		return rc;
	struct mmu *mmu = sc->sim->mmu;
	char pre[64] = "";
	if (mmu->cur_mm != mm) {
		mmu_switch_mm(mmu, mm);
		snprintf(pre, sizeof pre, "cr3 <- %s; ", a->argv[1]);
	}
	bool fetch = (access & MMU_ACCESS_KIND) == MMU_EXEC;
	struct mmu_xlate x;
	rc = mmu_translate(mmu, va, access, &x);
	char where[160];
	const char *l1 = fetch ? "iTLB" : "dTLB";
	const struct walk_result *r = &mmu->last_walk;
	if (rc < 0 && rc != -EFAULT)
		return scn_error(sc, a, 2, "access: translation failed (%s)", rc == -EINVAL ? "#GP" : "no address space");
	if (rc == 0 || rc == MMU_FAULT) {
		if (x.source == MMU_SRC_L1)
			snprintf(where, sizeof where, "L1 %s hit (%s)", l1, tlb_id_name((enum tlb_id)x.tlb));
		else if (x.source == MMU_SRC_L2)
			snprintf(where, sizeof where, "L1 %s miss, STLB hit", l1);
		else {
			int n = snprintf(where, sizeof where, "L1 %s miss, STLB miss, walk %u ref%s", l1, r->refs,
					 r->refs == 1 ? "" : "s");
			if (r->start_level < 4)
				snprintf(where + n, sizeof where - (size_t)n, " (paging-structure cache hit, from %s)",
					 pgtable_level_name(r->start_level));
		}
	} else {
		snprintf(where, sizeof where, "walk hit a table outside RAM");
	}
	const char *ks = fetch ? "fetch" : (access & MMU_ACCESS_KIND) == MMU_WRITE ? "write" : "read";
	if (rc == 0) {
		scn_printf(sc, "access %s 0x%llx %s: %s%s -> pa 0x%llx (%s page)\n", a->argv[1], (unsigned long long)va,
			   ks, pre, where, (unsigned long long)x.pa,
			   page_size_name(x.page_shift));
	} else if (rc == MMU_FAULT) {
		char ec[64];
		pf_error_str(x.error_code, ec, sizeof ec);
		if (x.level)
			scn_printf(sc, "access %s 0x%llx %s: %s%s -> #PF error code 0x%x (%s): %s at %s\n", a->argv[1],
				   (unsigned long long)va, ks, pre, where, x.error_code, ec, fault_text(x.kind),
				   pgtable_level_name(x.level));
		else
			scn_printf(sc, "access %s 0x%llx %s: %s%s -> #PF error code 0x%x (%s): %s, from the TLB entry\n",
				   a->argv[1], (unsigned long long)va, ks, pre, where, x.error_code, ec,
				   fault_text(x.kind));
	} else {
		scn_printf(sc, "access %s 0x%llx %s: %s%s\n", a->argv[1], (unsigned long long)va, ks, pre, where);
	}
	return 0;
}

/* ---- invalidation ---- */

static int cmd_invlpg(struct scenario *sc, struct scn_args *a)
{
	struct mm_struct *mm;
	uint64_t va;
	int rc;
	if (mm_va_args(sc, a, 2, 2, &mm, &va))
		return SCN_ERROR;
	if (!run_state(sc, a, &rc))
		return rc;
	flush_tlb_page(sc->sim->mmu, mm, va);
	scn_printf(sc, "invlpg %s 0x%llx\n", a->argv[1], (unsigned long long)(va & ~0xfffULL));
	return 0;
}

static int cmd_flush(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 0, 3))
		return SCN_ERROR;
	if (a->argc == 3)
		return scn_error(sc, a, a->argc, "flush: give MM alone or MM START END");
	struct mm_struct *mm = NULL;
	uint64_t start = 0, end = 0;
	if (a->argc >= 2 && !(mm = get_mm(sc, a, 1)))
		return SCN_ERROR;
	if (a->argc == 4) {
		if (get_va(sc, a, 2, &start) || get_va(sc, a, 3, &end))
			return SCN_ERROR;
		if (end <= start)
			return scn_error(sc, a, 3, "flush: END must be above START");
	}
	int rc;
	if (!run_state(sc, a, &rc))
		return rc;
	struct mmu *mmu = sc->sim->mmu;
	if (!mm) {
		flush_tlb_all(mmu);
		scn_printf(sc, "flush: all TLB entries (global ones too) and paging-structure caches\n");
	} else if (a->argc == 2) {
		flush_tlb_mm(mmu, mm);
		scn_printf(sc, "flush %s: its non-global entries\n", a->argv[1]);
	} else {
		flush_tlb_range(mmu, mm, start, end, PAGE_SHIFT);
		scn_printf(sc, "flush %s 0x%llx-0x%llx\n", a->argv[1], (unsigned long long)start, (unsigned long long)end);
	}
	return 0;
}

/* ---- vmalloc ---- */

static int cmd_vmalloc(struct scenario *sc, struct scn_args *a)
{
	uint64_t size;
	if (scn_nargs(sc, a, sc->cur, 2, 2) || scn_name(sc, a, 1) || scn_u64(sc, a, 2, 0, true, 1ULL << 40, &size))
		return SCN_ERROR;
	if (sc->checking)
		return scn_handle_define(sc, a, 1, SCN_H_EXT) ? 0 : SCN_ERROR;
	if (!state(sc, a))
		return SCN_ERROR;
	uint64_t addr = vmalloc(&sc->sim->kpt, size);
	struct scn_handle *h = scn_handle_define(sc, a, 1, SCN_H_EXT);
	if (!h)
		return SCN_ERROR;
	h->ext_kind = "vmalloc";
	h->addr = addr;
	h->size = size;
	h->failed = addr == 0;
	if (!addr)
		scn_printf(sc, "vmalloc %s %llu: failed\n", a->argv[1], (unsigned long long)size);
	else
		scn_printf(sc, "vmalloc %s %llu: 0x%llx\n", a->argv[1], (unsigned long long)size, (unsigned long long)addr);
	return 0;
}

static int cmd_vfree(struct scenario *sc, struct scn_args *a)
{
	int rc;
	struct scn_handle *h = scn_handle_arg(sc, a, SCN_H_EXT, &rc);
	if (!h)
		return rc;
	if (!h->ext_kind || strcmp(h->ext_kind, "vmalloc"))
		return scn_error(sc, a, 1, "'%s' is not a vmalloc handle", a->argv[1]);
	vfree(&sc->sim->kpt, h->addr);
	scn_handle_freed(h, a);
	scn_printf(sc, "vfree %s 0x%llx\n", a->argv[1], (unsigned long long)h->addr);
	return 0;
}

/* ---- for tools/scenario_refs.c ---- */

struct mm_struct *scn_mmu_get_mm(struct scenario *sc, const struct scn_args *a, int i)
{
	return get_mm(sc, a, i);
}

int scn_mmu_demand_page(struct scenario *sc, const struct scn_args *a, struct mm_struct *mm, uint64_t va,
			uint64_t *pfn)
{
	struct mmu_state *st = state(sc, a);
	if (!st)
		return -1;
	struct memsys *m = sc->sim->mem;
	struct page *page = alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_ZERO | __GFP_NOWARN, 0);
	if (!page)
		return -1;
	pteval_t *slot = leaf_alloc_map(m, mm, va & ~0xfffULL, 1);
	struct scn_mapping *mp = slot && !*slot ? calloc(1, sizeof *mp) : NULL;
	if (!mp) {
		__free_pages(m, page, 0);
		return -1;
	}
	*pfn = page_to_pfn(m, page);
	*slot = mk_leaf(*pfn << PAGE_SHIFT, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER, 1);
	*mp = (struct scn_mapping){ mm, va & ~0xfffULL, 12, page, 0, st->maps };
	st->maps = mp;
	return 0;
}

bool scn_mmu_mapped(struct scenario *sc, struct mm_struct *mm, uint64_t va)
{
	int level;
	return pgtable_leaf(sc->sim->mem, mm, va, &level) != NULL;
}

int scn_mmu_evict_page(struct scenario *sc, const struct scn_args *a, struct mm_struct *mm, uint64_t va)
{
	struct mmu_state *st = state(sc, a);
	int level;
	pteval_t *e = st ? pgtable_leaf(sc->sim->mem, mm, va, &level) : NULL;
	if (!e || level != 1)
		return -1;
	*e = 0;
	drop_mapping(sc, st, mm, va & ~0xfffULL);
	flush_tlb_page(sc->sim->mmu, mm, va);
	return 0;
}

const struct scenario_cmd scenario_mmu_cmds[] = {
	{ "mm_create", "mm_create NAME", "new address space: a pgd (kernel half shared) and a PCID", cmd_mm_create },
	{ "map", "map MM VA alloc|pfn=N [prot=rwx] [size=4k|2m|1g] [user|kernel] [global]",
	  "write a leaf entry (4K PTE, 2M PMD or 1G PUD) mapping VA, allocating the frame with `alloc`", cmd_map },
	{ "unmap", "unmap MM VA", "clear the leaf entry for VA (frees an alloc'ed frame); does not flush the TLB",
	  cmd_unmap },
	{ "access", "access MM VA r|w|x [user|kernel]",
	  "translate VA through the TLBs and page walker (loads MM into CR3 first if needed); default user mode",
	  cmd_access },
	{ "switch", "switch MM", "MOV to CR3: load MM (pcid=off flushes non-global entries)", cmd_switch },
	{ "invlpg", "invlpg MM VA", "flush_tlb_page: invalidate VA's entries (nr_tlb_local_flush_one)", cmd_invlpg },
	{ "flush", "flush [MM [START END]]", "flush_tlb_all, flush_tlb_mm or flush_tlb_range", cmd_flush },
	{ "vmalloc", "vmalloc NAME SIZE", "map SIZE bytes in the vmalloc area", cmd_vmalloc },
	{ "vfree", "vfree NAME", "free a vmalloc area", cmd_vfree },
	{ "refs", "refs MM [file=PATH] [pid=N] [frames=N [policy=P]] [verbose] [r:ADDR w:ADDR x:ADDR ...]",
	  "replay an address trace in MM through the TLBs and walks; a #PF goes to the fault handler (bare mm: maps a fresh page)",
	  cmd_refs_replay },
	{ 0 },
};

/* ---- stats ---- */

int scenario_mmu_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	static const char *const prefixes[] = { "tlb.", "walk.", "psc.", "faults.", "cr3.", "dTLB-", "iTLB-" };
	bool mine = false;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			mine = true;
	if (!mine)
		return 1;
	if (!sc->sim) {
		*out = 0;
		return 0;
	}
	unsigned long v;
	if (mmu_stat_lookup(sc->sim->mmu, name, &v) < 0) {
		snprintf(err, errlen,
			 "unknown MMU stat '%s' (tlb.{l1d,l1i,l1d2m,l1i2m,l2}.{hits,misses,fills,evictions,"
			 "invalidations,occupancy}, walk.count, walk.refs[.pml4|.pdpt|.pd|.pt], psc.hits, "
			 "faults.{not_present,protection,reserved}, dTLB-loads, dTLB-load-misses, ...)",
			 name);
		return -1;
	}
	*out = (long long)v;
	return 0;
}

/* ---- show ---- */

static void show_tlb(struct scenario *sc)
{
	struct mmu *mmu = sc->sim->mmu;
	char cfg[512];
	scn_printf(sc, "tlb: %s\n", tlb_config_format(&mmu->cfg, cfg, sizeof cfg));
	scn_printf(sc, "cr3: %s, pcid %u\n", mmu->cur_mm ? mm_name(sc, mmu->cur_mm) : "(none)", mmu->cur_pcid);
	for (int i = 0; i < TLB_NR; i++) {
		struct tlb *t = &mmu->tlb[i];
		scn_printf(sc, "%s: %u entries, %u sets x %u ways, %s; %u valid; hits %lu misses %lu evictions %lu\n",
			   tlb_id_name((enum tlb_id)i), t->sets * t->ways, t->sets, t->ways, tlb_policy_name(t->policy),
			   tlb_occupancy(t), mmu_tlb_hits(mmu, (enum tlb_id)i), t->misses, t->evictions);
		for (unsigned s = 0; s < t->sets; s++) {
			bool any = false;
			for (unsigned w = 0; w < t->ways; w++) {
				size_t k = (size_t)s * t->ways + w;
				uint64_t d = t->data[k];
				if (!(d & TLBE_V))
					continue;
				if (!any)
					scn_printf(sc, "  set %u:\n", s);
				any = true;
				unsigned pcid = (unsigned)(t->tag[k] & 0xfff);
				char pc[16];
				if (pcid == TLB_PCID_GLOBAL)
					snprintf(pc, sizeof pc, "global");
				else
					snprintf(pc, sizeof pc, "pcid %u", pcid);
				scn_printf(sc, "    way %-2u va 0x%012llx %-8s -> pa 0x%010llx %s%s%s%s%s%s\n", w,
					   (unsigned long long)(t->tag[k] & ~0xfffULL), pc,
					   (unsigned long long)(d & TLBE_PA_MASK),
					   (d & TLBE_1G) ? "1G-part" : (d & TLBE_LARGE) ? "2M" : "4K",
					   (d & TLBE_RW) ? " RW" : " RO", (d & TLBE_U) ? " US" : " S",
					   (d & TLBE_X) ? "" : " NX", (d & TLBE_DIRTY) ? " D" : "", (d & TLBE_G) ? " G" : "");
			}
		}
	}
}

/* Print VA's translation in MM level by level, reading the tables (no A/D
 * updates, no TLB effects). */
static void show_pagetable(struct scenario *sc, struct mm_struct *mm, const char *name, uint64_t va)
{
	struct memsys *m = sc->sim->mem;
	scn_printf(sc, "pagetable %s va 0x%llx: cr3 pgd pfn 0x%llx; indexes PML4 %u, PDPT %u, PD %u, PT %u, offset 0x%llx\n",
		   name, (unsigned long long)va, (unsigned long long)mm->pgd_pfn, pgd_index(va), pud_index(va),
		   pmd_index(va), pte_index(va), (unsigned long long)(va & 0xfff));
	uint64_t table = mm->pgd_pfn;
	for (int l = 4; l >= 1; l--) {
		unsigned idx = pgtable_index(va, l);
		uint64_t ephys = (table << PAGE_SHIFT) | ((uint64_t)idx << 3);
		pteval_t e = pgtable_table(m, table)[idx];
		char fl[128];
		scn_printf(sc, "  %-4s[%3u] @ phys 0x%09llx = 0x%016llx  %s\n", pgtable_level_name(l), idx,
			   (unsigned long long)ephys, (unsigned long long)e, pte_flags_str(e, l, fl, sizeof fl));
		if (!(e & _PAGE_PRESENT)) {
			scn_printf(sc, "  -> not present at %s: a walk faults here\n", pgtable_level_name(l));
			return;
		}
		if (l == 1 || (l <= 3 && (e & _PAGE_PSE))) {
			unsigned shift = pgtable_level_shift(l);
			uint64_t base = e & PTE_PFN_MASK & ~((1ULL << shift) - 1);
			scn_printf(sc, "  -> %s page at phys 0x%llx + offset 0x%llx = pa 0x%llx\n",
				   page_size_name(shift), (unsigned long long)base,
				   (unsigned long long)(va & ((1ULL << shift) - 1)),
				   (unsigned long long)(base | (va & ((1ULL << shift) - 1))));
			return;
		}
		table = (e & PTE_PFN_MASK) >> PAGE_SHIFT;
		if (table >= m->max_pfn) {
			scn_printf(sc, "  -> next table pfn 0x%llx is outside RAM\n", (unsigned long long)table);
			return;
		}
	}
}

/* `show` hands views over one word at a time: "pagetable", then MM, then
 * VA arrive as three calls for the same line. */
int scenario_mmu_show(struct scenario *sc, const char *view, char *err, size_t errlen)
{
	struct mmu_state *st = sc->mmu_state;
	if (st && st->pt_line == sc->line && st->pt_step) {
		if (st->pt_step == 1) {
			struct scn_handle *h = scn_handle_find(sc, view);
			st->pt_mm = NULL;
			if (h && h->kind == SCN_H_EXT && h->ext_kind && !strcmp(h->ext_kind, "mm") && !h->freed)
				st->pt_mm = h->ext;
			if (!strcmp(view, "init_mm"))
				st->pt_mm = &sc->sim->kpt.init_mm;
			if (!st->pt_mm) {
				st->pt_step = 0;
				snprintf(err, errlen, "show pagetable: '%s' is not an address space (mm_create)", view);
				return -1;
			}
			st->pt_step = 2;
			return 0;
		}
		char *end;
		errno = 0;
		uint64_t va = strtoull(view, &end, 0);
		st->pt_step = 0;
		if (errno || *end || !*view || !va_canonical(va)) {
			snprintf(err, errlen, "show pagetable: '%s' is not a canonical virtual address", view);
			return -1;
		}
		show_pagetable(sc, st->pt_mm, mm_name(sc, st->pt_mm), va);
		return 0;
	}
	if (strcmp(view, "tlb") && strcmp(view, "pagetable"))
		return 1;
	struct scn_args a0 = { 0 };
	a0.line = sc->line;
	if (!(st = state(sc, &a0))) {
		snprintf(err, errlen, "show %s: no MMU", view);
		return -1;
	}
	if (!strcmp(view, "tlb")) {
		show_tlb(sc);
		return 0;
	}
	st->pt_line = sc->line;
	st->pt_step = 1;
	return 0;
}
