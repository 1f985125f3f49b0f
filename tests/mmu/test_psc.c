/* tests/mmu/test_psc.c - paging-structure caches: references saved per hit
 * kind, PCID tagging, invalidation, LRU, configuration parsing. */
#include <errno.h>

#include "mmu/psc.h"
#include "mmu_fixture.h"

struct pfx {
	struct fx *f;
	struct psc *psc;
	uint64_t frame;
};

static struct psc *make_psc(const char *spec)
{
	struct psc_config cfg;
	bool on;
	char err[128];
	if (psc_config_parse(spec, &cfg, &on, err, sizeof err))
		fail_msg("%s", err);
	struct psc *p = psc_create(&cfg, err, sizeof err);
	if (!p)
		fail_msg("%s", err);
	return p;
}

static int setup(void **state)
{
	struct pfx *p = calloc(1, sizeof *p);
	p->f = fx_new(32ULL << 20, NULL, NULL);
	p->psc = make_psc("on");
	p->f->w.psc = p->psc;
	p->frame = fx_frame(p->f);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pfx *p = *state;
	fx_put_frame(p->f, p->frame);
	fx_free(p->f);
	psc_destroy(p->psc);
	free(p);
	return 0;
}

static unsigned refs_of(struct fx *f, const struct mm_struct *mm, uint64_t va, int *start)
{
	struct walk_result r;
	int rc = mmu_walk(&f->w, mm, va, MMU_READ | MMU_USER, &r);
	if (rc != 0)
		fail_msg("walk of 0x%llx: rc %d kind %s", (unsigned long long)va, rc, walk_fault_name(r.kind));
	if (start)
		*start = r.start_level;
	return r.refs;
}

#define A 0x0000000000400000ULL
#define B (A + 0x1000)              /* same PT */
#define C (A + PMD_SIZE)            /* same PD, other PT */
#define D (A + PUD_SIZE)            /* same PDPT, other PD */
#define E (A + (1ULL << 39))        /* other PML4 slot */

static void test_refs_per_hit_kind(void **state)
{
	struct pfx *p = *state;
	struct fx *f = p->f;
	uint64_t vas[] = { A, B, C, D, E };
	for (int i = 0; i < 5; i++)
		fx_map(f, vas[i], p->frame, USER_RW);
	int start;
	assert_int_equal(refs_of(f, &f->mm, A, &start), 4);   /* cold */
	assert_int_equal(start, 4);
	assert_int_equal(refs_of(f, &f->mm, A, &start), 1);   /* PDE hit */
	assert_int_equal(start, 1);
	assert_int_equal(refs_of(f, &f->mm, B, NULL), 1);     /* PDE hit, same PT */
	assert_int_equal(refs_of(f, &f->mm, C, &start), 2);   /* PDPTE hit */
	assert_int_equal(start, 2);
	assert_int_equal(refs_of(f, &f->mm, D, &start), 3);   /* PML4E hit */
	assert_int_equal(start, 3);
	assert_int_equal(refs_of(f, &f->mm, E, NULL), 4);     /* miss */
	const struct psc_stats *s = psc_stats(p->psc);
	assert_int_equal(s->hits[PSC_PDE], 2);
	assert_int_equal(s->hits[PSC_PDPTE], 1);
	assert_int_equal(s->hits[PSC_PML4E], 1);
	assert_int_equal(s->lookups, 6);
	assert_int_equal(f->w.refs, 4 + 1 + 1 + 2 + 3 + 4);
	assert_int_equal(f->w.refs_level[4], 2);
	assert_int_equal(f->w.refs_level[1], 6);
	/* a PSC hit still yields the same translation */
	struct walk_result r;
	assert_int_equal(mmu_walk(&f->w, &f->mm, C + 0x10, MMU_WRITE | MMU_USER, &r), 0);
	assert_int_equal(r.phys, (p->frame << 12) + 0x10);
	assert_int_equal(r.refs, 1);
	/* cached rights still apply: a supervisor-only PDE cached as such */
	*fx_entry(f, &f->mm, C, 2) &= ~_PAGE_USER;  /* software change without invlpg: */
	assert_int_equal(refs_of(f, &f->mm, C, NULL), 1); /* stale PDE-cache entry still used */
	psc_invlpg(p->psc, f->mm.pcid, C);
	assert_int_equal(mmu_walk(&f->w, &f->mm, C, MMU_READ | MMU_USER, &r), 1);
	assert_int_equal(r.kind, WALK_USER);
	assert_int_equal(r.level, 2);
	*fx_entry(f, &f->mm, C, 2) |= _PAGE_USER;
	assert_int_equal(refs_of(f, &f->mm, C, NULL), 4);   /* the fault dropped the entries */
	/* supervisor-only PD cached: the cached rights deny user */
	*fx_entry(f, &f->mm, C, 2) &= ~_PAGE_USER;
	psc_invlpg(p->psc, f->mm.pcid, C);
	assert_int_equal(mmu_walk(&f->w, &f->mm, C, MMU_READ, &r), 0);
	assert_int_equal(r.refs, 4);
	assert_int_equal(mmu_walk(&f->w, &f->mm, C, MMU_READ, &r), 0);
	assert_int_equal(r.refs, 1);
	assert_int_equal(mmu_walk(&f->w, &f->mm, C, MMU_READ | MMU_USER, &r), 1);
	assert_int_equal(r.kind, WALK_USER);
	assert_int_equal(r.refs, 1);
	*fx_entry(f, &f->mm, C, 2) |= _PAGE_USER;
}

static void test_pcid_and_invalidation(void **state)
{
	struct pfx *p = *state;
	struct fx *f = p->f;
	fx_map(f, A, p->frame, USER_RW);
	fx_map(f, D, p->frame, USER_RW);
	assert_int_equal(refs_of(f, &f->mm, A, NULL), 4);
	assert_int_equal(refs_of(f, &f->mm, D, NULL), 3);
	assert_int_equal(psc_occupancy(p->psc, PSC_PDE), 2);
	assert_int_equal(psc_occupancy(p->psc, PSC_PDPTE), 2);
	assert_int_equal(psc_occupancy(p->psc, PSC_PML4E), 1);
	/* another PCID shares nothing */
	struct mm_struct other = f->mm;
	other.pcid = 2;
	assert_int_equal(refs_of(f, &other, A, NULL), 4);
	assert_int_equal(refs_of(f, &other, A, NULL), 1);
	/* invalidate one address: A's chain goes, D's PDE survives */
	psc_invalidate_va(p->psc, f->mm.pcid, A);
	assert_int_equal(refs_of(f, &f->mm, D, NULL), 1);
	assert_int_equal(refs_of(f, &f->mm, A, NULL), 4);
	/* invlpg drops everything of the PCID (SDM 4.10.4.1), not other PCIDs */
	psc_invlpg(p->psc, f->mm.pcid, A);
	assert_int_equal(refs_of(f, &f->mm, D, NULL), 4);
	assert_int_equal(refs_of(f, &other, A, NULL), 1);
	psc_flush_pcid(p->psc, 2);
	assert_int_equal(refs_of(f, &other, A, NULL), 4);
	psc_flush_all(p->psc);
	for (int k = 0; k < PSC_NR_KINDS; k++)
		assert_int_equal(psc_occupancy(p->psc, k), 0);
	assert_int_equal(refs_of(f, &f->mm, A, NULL), 4);
	assert_true(psc_stats(p->psc)->invalidations > 0);
	/* a huge leaf is never cached as a PDE */
	pmd_t *pmd = pmd_alloc_map(f->m, &f->mm, 0x40000000ULL + PUD_SIZE * 3);
	pmd->pmd = (8ULL << 20) | USER_RW | _PAGE_PSE;
	unsigned pde_before = psc_occupancy(p->psc, PSC_PDE);
	/* PML4E hit: reads the PDPTE and the 2 MiB PDE */
	assert_int_equal(refs_of(f, &f->mm, 0x40000000ULL + PUD_SIZE * 3, NULL), 2);
	assert_int_equal(psc_occupancy(p->psc, PSC_PDE), pde_before);
	assert_int_equal(refs_of(f, &f->mm, 0x40000000ULL + PUD_SIZE * 3, NULL), 1);   /* PDPTE hit */
}

static void test_lru_and_config(void **state)
{
	struct pfx *p = *state;
	struct fx *f = p->f;
	psc_destroy(p->psc);
	p->psc = make_psc("pde=2");
	f->w.psc = p->psc;
	uint64_t x = A, y = A + PMD_SIZE, z = A + 2 * PMD_SIZE;
	fx_map(f, x, p->frame, USER_RW);
	fx_map(f, y, p->frame, USER_RW);
	fx_map(f, z, p->frame, USER_RW);
	assert_int_equal(refs_of(f, &f->mm, x, NULL), 4);
	assert_int_equal(refs_of(f, &f->mm, y, NULL), 4);  /* no PDPTE/PML4E caches */
	assert_int_equal(refs_of(f, &f->mm, x, NULL), 1);  /* x most recent */
	assert_int_equal(refs_of(f, &f->mm, z, NULL), 4);  /* evicts y */
	assert_int_equal(psc_stats(p->psc)->evictions[PSC_PDE], 1);
	assert_int_equal(refs_of(f, &f->mm, x, NULL), 1);
	assert_int_equal(refs_of(f, &f->mm, y, NULL), 4);
	/* PML4E cache only */
	psc_destroy(p->psc);
	p->psc = make_psc("pml4e=1");
	f->w.psc = p->psc;
	assert_int_equal(refs_of(f, &f->mm, x, NULL), 4);
	assert_int_equal(refs_of(f, &f->mm, y, NULL), 3);

	struct psc_config cfg;
	bool on;
	char err[128], buf[128];
	assert_int_equal(psc_config_parse("pml4e=2,pdpte=4:2,pde=32:8", &cfg, &on, err, sizeof err), 0);
	assert_true(on);
	assert_int_equal(cfg.c[PSC_PDPTE].ways, 2);
	assert_string_equal(psc_config_format(&cfg, buf, sizeof buf), "pml4e=2,pdpte=4:2,pde=32:8");
	struct psc *q = psc_create(&cfg, err, sizeof err);
	assert_non_null(q);
	psc_destroy(q);
	assert_int_equal(psc_config_parse("off", &cfg, &on, err, sizeof err), 0);
	assert_false(on);
	assert_int_equal(psc_config_parse("pde=3:2", &cfg, &on, err, sizeof err), -1);
	assert_non_null(strstr(err, "multiple of ways"));
	assert_int_equal(psc_config_parse("tlb=3", &cfg, &on, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown cache 'tlb'"));
	assert_int_equal(psc_config_parse("pde=x", &cfg, &on, err, sizeof err), -1);
	assert_int_equal(psc_config_parse("pde=99999", &cfg, &on, err, sizeof err), -1);
	assert_int_equal(psc_config_parse("pde", &cfg, &on, err, sizeof err), -1);
	struct psc_config bad = { 0 };
	bad.c[PSC_PDE].entries = 6;
	bad.c[PSC_PDE].ways = 4;
	assert_null(psc_create(&bad, err, sizeof err));
	assert_string_equal(psc_kind_name(PSC_PDPTE), "PDPTE");
}

static void test_set_associative(void **state)
{
	struct pfx *p = *state;
	struct fx *f = p->f;
	psc_destroy(p->psc);
	p->psc = make_psc("pde=4:2");   /* 2 sets of 2 ways: set = (va >> 21) % 2 */
	f->w.psc = p->psc;
	uint64_t v[3] = { A, A + 2 * PMD_SIZE, A + 4 * PMD_SIZE };   /* all in the same set */
	for (int i = 0; i < 3; i++)
		fx_map(f, v[i], p->frame, USER_RW);
	uint64_t other = A + PMD_SIZE;  /* the other set */
	fx_map(f, other, p->frame, USER_RW);
	for (int i = 0; i < 3; i++)
		assert_int_equal(refs_of(f, &f->mm, v[i], NULL), 4);
	assert_int_equal(refs_of(f, &f->mm, other, NULL), 4);
	assert_int_equal(psc_occupancy(p->psc, PSC_PDE), 3);  /* set 0 holds 2 of the 3 */
	assert_int_equal(refs_of(f, &f->mm, v[0], NULL), 4);  /* v[0] was evicted by v[2] */
	assert_int_equal(refs_of(f, &f->mm, other, NULL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refs_per_hit_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcid_and_invalidation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lru_and_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_associative, setup, teardown),
	};
	return cmocka_run_group_tests_name("mmu_psc", tests, NULL, NULL);
}
