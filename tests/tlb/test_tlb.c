/* tests/tlb/test_tlb.c - TLB arrays: replacement policies on hand-computed
 * sequences, set conflicts, PCID/global tags, invalidation, config parsing,
 * and a randomized comparison against brute-force reference models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mmu/tlb.h"

static void mk(struct tlb *t, unsigned entries, unsigned ways, enum tlb_policy p, uint64_t seed)
{
	char err[200];
	struct tlb_array_config c = { entries, ways, p };
	if (tlb_init(t, TLB_L1D, &c, seed, err, sizeof err) < 0)
		fail_msg("tlb_init: %s", err);
}

/* One access: hit (touch) or miss (fill).  Returns 1 on a hit. */
static int acc(struct tlb *t, uint64_t va, unsigned pcid)
{
	long i = tlb_find(t, va, 12, pcid);
	if (i >= 0) {
		tlb_touch(t, (size_t)i / t->ways, (unsigned)((size_t)i % t->ways));
		t->hits++;
		return 1;
	}
	t->misses++;
	tlb_fill(t, va, 12, pcid, (0x1000ULL * 7) | TLBE_V);
	return 0;
}

/* All pages land in set 0 of a 1-set array, so page N is at N * 4 KiB. */
#define PG(n) ((uint64_t)(n) << 12)

/*
 * The sequence A B C D A E B C on one 4-way set (A..E = pages 1..5):
 *   A B C D   4 misses, fill ways 0..3 (invalid ways first)
 *   A         hit (all policies)
 *   E         miss. LRU evicts B (recency B C D A); FIFO evicts A (oldest
 *             fill); PLRU: bits after A B C D A are root=1 (right),
 *             node3=0 (w2) -> evicts C (way 2).
 *   B         LRU miss (evicts C: recency C D A E); FIFO hit; PLRU hit
 *   C         LRU miss (evicts D); FIFO hit; PLRU miss (root=1 after B,
 *             node3=1 after E -> way 3, D)
 * Hits: LRU 1, PLRU 2, FIFO 3.  Final sets: LRU {A B C E}, PLRU {A B C E}
 * (ways: A B E C), FIFO {E B C D}.
 */
static int run_seq(enum tlb_policy p, uint64_t *final)
{
	struct tlb t;
	mk(&t, 4, 4, p, 1);
	const int seq[] = { 1, 2, 3, 4, 1, 5, 2, 3 };
	int hits = 0;
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
		hits += acc(&t, PG(seq[i]), 0);
	for (unsigned w = 0; w < 4; w++)
		final[w] = t.tag[w] >> 12;
	tlb_destroy(&t);
	return hits;
}

static void test_policies_differ(void **state)
{
	(void)state;
	uint64_t f[4];
	assert_int_equal(run_seq(TLB_LRU, f), 1);
	/* LRU: A in w0, E replaced B in w1, C replaced ... */
	uint64_t lru_set = 0;
	for (int w = 0; w < 4; w++)
		lru_set |= 1ULL << f[w];
	assert_int_equal(lru_set, (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5));
	assert_int_equal(run_seq(TLB_PLRU, f), 2);
	assert_int_equal(f[0], 1);
	assert_int_equal(f[1], 2);
	assert_int_equal(f[2], 5);
	assert_int_equal(f[3], 3);
	assert_int_equal(run_seq(TLB_FIFO, f), 3);
	assert_int_equal(f[0], 5);
	assert_int_equal(f[1], 2);
	assert_int_equal(f[2], 3);
	assert_int_equal(f[3], 4);
}

/* 64 entries, 4 ways = 16 sets: pages 16 apart conflict. */
static void test_set_conflicts(void **state)
{
	(void)state;
	struct tlb t;
	mk(&t, 64, 4, TLB_LRU, 1);
	assert_int_equal(t.sets, 16);
	for (int i = 0; i < 5; i++)            /* 5 pages into set 3 */
		assert_int_equal(acc(&t, PG(3 + 16 * i), 0), 0);
	assert_int_equal(t.evictions, 1);
	assert_int_equal(acc(&t, PG(3), 0), 0); /* the first one was evicted (LRU) */
	assert_int_equal(acc(&t, PG(3 + 16 * 4), 0), 1);
	/* 64 pages over all sets fit exactly */
	struct tlb u;
	mk(&u, 64, 4, TLB_LRU, 1);
	for (int i = 0; i < 64; i++)
		acc(&u, PG(100 + i), 0);
	for (int i = 0; i < 64; i++)
		assert_int_equal(acc(&u, PG(100 + i), 0), 1);
	assert_int_equal(u.evictions, 0);
	assert_int_equal(tlb_occupancy(&u), 64);
	tlb_destroy(&t);
	tlb_destroy(&u);
}

static void test_pcid_and_global(void **state)
{
	(void)state;
	struct tlb t;
	mk(&t, 16, 4, TLB_LRU, 1);
	tlb_fill(&t, PG(1), 12, 1, 0x5000);                 /* pcid 1 */
	tlb_fill(&t, PG(1), 12, 2, 0x6000);                 /* same VA, pcid 2: separate entry */
	tlb_fill(&t, PG(2), 12, TLB_PCID_GLOBAL, 0x7000 | TLBE_G);
	assert_int_equal(tlb_occupancy(&t), 3);
	long a = tlb_find(&t, PG(1), 12, 1), b = tlb_find(&t, PG(1), 12, 2);
	assert_true(a >= 0 && b >= 0 && a != b);
	assert_int_equal(t.data[a] & TLBE_PA_MASK, 0x5000);
	assert_int_equal(t.data[b] & TLBE_PA_MASK, 0x6000);
	assert_true(tlb_find(&t, PG(1), 12, 3) < 0);
	assert_true(tlb_find(&t, PG(2), 12, 3) >= 0);       /* global matches any PCID */
	/* flush pcid 1: global and pcid 2 survive */
	assert_int_equal(tlb_flush_pcid(&t, 1), 1);
	assert_true(tlb_find(&t, PG(1), 12, 1) < 0);
	assert_true(tlb_find(&t, PG(1), 12, 2) >= 0);
	assert_true(tlb_find(&t, PG(2), 12, 1) >= 0);
	/* non-global flush leaves the global one */
	assert_int_equal(tlb_flush_nonglobal(&t), 1);
	assert_int_equal(tlb_occupancy(&t), 1);
	/* invlpg of the global page from any PCID removes it */
	assert_int_equal(tlb_flush_va(&t, PG(2), 9), 1);
	assert_int_equal(tlb_occupancy(&t), 0);
	tlb_fill(&t, PG(2), 12, TLB_PCID_GLOBAL, 0x7000 | TLBE_G);
	assert_int_equal(tlb_flush_all(&t), 1);
	/* refill of an existing entry does not duplicate it */
	tlb_fill(&t, PG(4), 12, 1, 0x1000);
	tlb_fill(&t, PG(4), 12, 1, 0x2000);
	assert_int_equal(tlb_occupancy(&t), 1);
	assert_int_equal(t.data[tlb_find(&t, PG(4), 12, 1)] & TLBE_PA_MASK, 0x2000);
	tlb_destroy(&t);
}

/* STLB: 4K and 2M entries for the same aligned address coexist. */
static void test_mixed_sizes(void **state)
{
	(void)state;
	struct tlb t;
	char err[200];
	struct tlb_array_config c = { 16, 4, TLB_LRU };
	assert_int_equal(tlb_init(&t, TLB_L2, &c, 1, err, sizeof err), 0);
	assert_true(t.mixed);
	uint64_t va = 0x40000000;
	tlb_fill(&t, va, 12, 1, 0x1000);
	assert_true(tlb_find(&t, va, 21, 1) < 0);
	tlb_fill(&t, va, 21, 1, 0x200000 | TLBE_LARGE);
	assert_true(tlb_find(&t, va + 0x5000, 21, 1) >= 0);
	assert_true(tlb_find(&t, va + 0x5000, 12, 1) < 0);
	assert_int_equal(tlb_occupancy(&t), 2);
	assert_int_equal(tlb_flush_va(&t, va, 1), 2);
	/* 1G fragments: invalidating any VA of the 1G page drops every fragment */
	tlb_fill(&t, va, 21, 1, TLBE_LARGE | TLBE_1G);
	tlb_fill(&t, va + (5ULL << 21), 21, 1, (5ULL << 21) | TLBE_LARGE | TLBE_1G);
	assert_int_equal(t.nr_1g, 2);
	assert_int_equal(tlb_flush_va(&t, va + (300ULL << 21), 1), 2);
	assert_int_equal(t.nr_1g, 0);
	tlb_destroy(&t);
}

/* PLRU with 12 ways (a 16-leaf tree with 4 masked leaves): the victim is
 * always a real way and never the most recently used one; filling all 12
 * ways in order then touching way 0 evicts a way other than 0. */
static void test_plru_12way(void **state)
{
	(void)state;
	struct tlb t;
	mk(&t, 12, 12, TLB_PLRU, 1);
	assert_int_equal(t.plru_leaves, 16);
	for (int i = 0; i < 12; i++)
		acc(&t, PG(i), 0);
	assert_int_equal(tlb_occupancy(&t), 12);
	uint64_t x = 12345;
	for (int n = 0; n < 10000; n++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned w = (unsigned)(x >> 33) % 12;
		tlb_touch(&t, 0, w);
		unsigned v = tlb_victim(&t, 0);
		assert_true(v < 12);
		assert_int_not_equal(v, w);
	}
	tlb_destroy(&t);
}

/* ---- brute-force reference models ---- */

#define MAXW 16
struct ref_set {
	uint64_t tag[MAXW];   /* lru/fifo: list, index 0 = oldest; plru/random: by way */
	int n;                /* lru/fifo: entries in the list */
	int valid[MAXW];
	int bits[2 * MAXW];   /* plru tree nodes, 1-based */
};

struct ref {
	enum tlb_policy p;
	unsigned sets, ways, leaves;
	struct ref_set *s;
	uint64_t rng;
};

static uint64_t ref_xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* PLRU on an explicit tree: mark leaf W used. */
static void ref_plru_use(struct ref *r, struct ref_set *s, unsigned w)
{
	unsigned node = 1, lo = 0, span = r->leaves;
	while (span > 1) {
		unsigned half = span / 2;
		int right = w >= lo + half;
		s->bits[node] = !right;     /* point to the other half */
		if (right)
			lo += half;
		node = 2 * node + (unsigned)right;
		span = half;
	}
}

static unsigned ref_plru_victim(struct ref *r, struct ref_set *s)
{
	unsigned node = 1, lo = 0, span = r->leaves;
	while (span > 1) {
		unsigned half = span / 2;
		int right = s->bits[node];
		if (right && lo + half >= r->ways)
			right = 0;
		if (right)
			lo += half;
		node = 2 * node + (unsigned)right;
		span = half;
	}
	return lo;
}

/* Access TAG in set SET; returns 1 on a hit. */
static int ref_access(struct ref *r, unsigned set, uint64_t tag)
{
	struct ref_set *s = &r->s[set];
	if (r->p == TLB_LRU || r->p == TLB_FIFO) {
		for (int i = 0; i < s->n; i++)
			if (s->tag[i] == tag) {
				if (r->p == TLB_LRU) {   /* move to the back (newest) */
					memmove(&s->tag[i], &s->tag[i + 1], (size_t)(s->n - i - 1) * sizeof(uint64_t));
					s->tag[s->n - 1] = tag;
				}
				return 1;
			}
		if (s->n == (int)r->ways) {
			memmove(&s->tag[0], &s->tag[1], (size_t)(s->n - 1) * sizeof(uint64_t));
			s->n--;
		}
		s->tag[s->n++] = tag;
		return 0;
	}
	for (unsigned w = 0; w < r->ways; w++)
		if (s->valid[w] && s->tag[w] == tag) {
			if (r->p == TLB_PLRU)
				ref_plru_use(r, s, w);
			return 1;
		}
	unsigned v = r->ways;
	for (unsigned w = 0; w < r->ways; w++)
		if (!s->valid[w]) {
			v = w;
			break;
		}
	if (v == r->ways)
		v = r->p == TLB_PLRU ? ref_plru_victim(r, s) : (unsigned)(ref_xorshift(&r->rng) % r->ways);
	s->valid[v] = 1;
	s->tag[v] = tag;
	if (r->p == TLB_PLRU)
		ref_plru_use(r, s, v);
	return 0;
}

static void ref_invalidate(struct ref *r, unsigned set, uint64_t tag)
{
	struct ref_set *s = &r->s[set];
	if (r->p == TLB_LRU || r->p == TLB_FIFO) {
		for (int i = 0; i < s->n; i++)
			if (s->tag[i] == tag) {
				memmove(&s->tag[i], &s->tag[i + 1], (size_t)(s->n - i - 1) * sizeof(uint64_t));
				s->n--;
				return;
			}
		return;
	}
	for (unsigned w = 0; w < r->ways; w++)
		if (s->valid[w] && s->tag[w] == tag)
			s->valid[w] = 0;
}

/* Compare the real array with the model over N random operations: accesses
 * to a pool of pages under 3 PCIDs (every 7th page global) and INVLPGs. */
static void compare(enum tlb_policy p, unsigned entries, unsigned ways, int n)
{
	struct tlb t;
	mk(&t, entries, ways, p, 42);
	struct ref r = { .p = p, .sets = entries / ways, .ways = ways, .rng = t.rng };
	r.leaves = t.plru_leaves;
	r.s = calloc(r.sets, sizeof *r.s);
	assert_non_null(r.s);
	uint64_t x = 0x1234567 + p;
	unsigned pool = entries * 3;
	for (int i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned page = (unsigned)(x >> 33) % pool;
		unsigned pcid = 1 + (unsigned)(x >> 20) % 3;
		if (page % 7 == 0)
			pcid = TLB_PCID_GLOBAL;
		uint64_t va = PG(page);
		unsigned set = page & (r.sets - 1);
		uint64_t tag = tlb_tag(va, 12, pcid);
		if ((x >> 60) == 0) {       /* 1 in 16: INVLPG */
			long found = tlb_find(&t, va, 12, pcid);
			tlb_flush_va(&t, va, pcid);
			ref_invalidate(&r, set, tag);
			(void)found;
			continue;
		}
		int real = acc(&t, va, pcid);
		int model = ref_access(&r, set, tag);
		if (real != model)
			fail_msg("policy %s %u:%u op %d page %u pcid %u: real %s, model %s", tlb_policy_name(p), entries,
				 ways, i, page, pcid, real ? "hit" : "miss", model ? "hit" : "miss");
	}
	/* contents agree */
	unsigned model_n = 0;
	for (unsigned s = 0; s < r.sets; s++) {
		if (p == TLB_LRU || p == TLB_FIFO) {
			model_n += (unsigned)r.s[s].n;
			for (int i = 0; i < r.s[s].n; i++)
				assert_true(tlb_find(&t, r.s[s].tag[i] & ~0xfffULL, 12, r.s[s].tag[i] & 0xfff) >= 0);
		} else {
			for (unsigned w = 0; w < ways; w++)
				if (r.s[s].valid[w]) {
					model_n++;
					assert_int_equal(t.tag[s * ways + w], r.s[s].tag[w]);
				}
		}
	}
	assert_int_equal(tlb_occupancy(&t), model_n);
	free(r.s);
	tlb_destroy(&t);
}

static void test_reference_model(void **state)
{
	(void)state;
	const unsigned geo[][2] = { { 4, 4 }, { 64, 4 }, { 128, 8 }, { 48, 12 }, { 32, 2 }, { 16, 1 }, { 96, 6 } };
	for (int p = 0; p < TLB_NR_POLICIES; p++)
		for (size_t g = 0; g < sizeof geo / sizeof geo[0]; g++)
			compare((enum tlb_policy)p, geo[g][0], geo[g][1], 60000);
}

/* ---- config ---- */

static void expect_err(const char *spec, const char *msg)
{
	struct tlb_config c;
	char err[256] = "";
	tlb_config_default(&c);
	if (tlb_config_parse(spec, &c, err, sizeof err) == 0)
		fail_msg("'%s' accepted", spec);
	if (!strstr(err, msg))
		fail_msg("'%s': error '%s' lacks '%s'", spec, err, msg);
}

static void test_config(void **state)
{
	(void)state;
	struct tlb_config c;
	char err[256], buf[512];
	tlb_config_default(&c);
	assert_int_equal(c.a[TLB_L1D].entries, 64);
	assert_int_equal(c.a[TLB_L1D].ways, 4);
	assert_int_equal(c.a[TLB_L1I].entries, 128);
	assert_int_equal(c.a[TLB_L1D2M].entries, 32);
	assert_int_equal(c.a[TLB_L2].entries, 1536);
	assert_int_equal(c.a[TLB_L2].ways, 12);
	assert_int_equal(c.a[TLB_L2].policy, TLB_PLRU);
	assert_true(c.pcid);
	assert_int_equal(tlb_config_parse("l1d=64:4,l1i=128:8,l2=1536:12,policy=plru,pcid=on", &c, err, sizeof err), 0);
	assert_int_equal(tlb_config_parse("l1d=4:4,l1i=4:4,l2=16:4,policy=lru,pcid=off", &c, err, sizeof err), 0);
	assert_int_equal(c.a[TLB_L1D].entries, 4);
	assert_int_equal(c.a[TLB_L2].policy, TLB_LRU);
	assert_false(c.pcid);
	assert_int_equal(tlb_config_parse("l2.policy=fifo,l1d=8:2:random,psc=off", &c, err, sizeof err), 0);
	assert_int_equal(c.a[TLB_L2].policy, TLB_FIFO);
	assert_int_equal(c.a[TLB_L1D].policy, TLB_RANDOM);
	assert_false(c.psc_enabled);
	assert_int_equal(tlb_config_parse("psc.pde=16:4", &c, err, sizeof err), 0);
	assert_true(c.psc_enabled);
	assert_int_equal(c.psc.c[PSC_PDE].entries, 16);
	/* format round-trips */
	tlb_config_format(&c, buf, sizeof buf);
	struct tlb_config d;
	tlb_config_default(&d);
	if (tlb_config_parse(buf, &d, err, sizeof err) < 0)
		fail_msg("format '%s' does not parse: %s", buf, err);
	assert_memory_equal(&c.a, &d.a, sizeof c.a);
	assert_int_equal(c.pcid, d.pcid);
	assert_int_equal(c.psc.c[PSC_PDE].entries, d.psc.c[PSC_PDE].entries);

	expect_err("l1d=63:4", "tlb: l1d=63:4: entries (63) not divisible by ways (4)");
	expect_err("l3=4:4", "unknown key 'l3'");
	expect_err("l1d=0:4", "at least 1");
	expect_err("l1d=4:0", "at least 1");
	expect_err("l1d=24:4", "6 sets is not a power of two");
	expect_err("policy=mru", "unknown policy 'mru'");
	expect_err("l1d=8:2:xyz", "unknown policy 'xyz'");
	expect_err("pcid=maybe", "expected on or off");
	expect_err("l1d", "expected KEY=VALUE");
	expect_err("l1d=abc", "expected ENTRIES:WAYS");
	expect_err("l1d.ways=4", "unknown key 'l1d.ways'");
	expect_err("l1d=128:128", "plru supports at most 64 ways");
	expect_err("psc.foo=4", "unknown key 'psc.foo'");
	expect_err("psc.pde=6:4", "not divisible");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policies_differ), cmocka_unit_test(test_set_conflicts),
		cmocka_unit_test(test_pcid_and_global), cmocka_unit_test(test_mixed_sizes),
		cmocka_unit_test(test_plru_12way),      cmocka_unit_test(test_reference_model),
		cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
