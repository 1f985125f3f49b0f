/* tests/policy/test_policy.c - the built-in replacement policies on the
 * textbook strings (Belady's anomaly, Silberschatz's example, OSTEP's),
 * every policy's victim rule on small hand-worked cases, Python-compatible
 * random numbers, TLB mode against the frame policies, the page map, and
 * the trace parser's formats and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tools/pagemap.h"
#include "tools/policy_plugin.h"
#include "tools/pyrandom.h"
#include "tools/reftrace.h"

static const uint64_t belady[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
static const uint64_t silber[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};

/* Misses of policy K over PAGES with NFRAMES frames (clockbits CB). */
static unsigned long misses(enum policy_kind k, const uint64_t *pages, size_t n, int nframes, unsigned cb)
{
	struct policy_refs r = {n, pages, NULL};
	struct policy_opts o;
	policy_opts_default(&o);
	o.clockbits = cb;
	struct policy_result res;
	assert_int_equal(policy_sim_run(k, &r, nframes, &o, &res), 0);
	assert_int_equal(res.hits + res.misses, n);
	unsigned long m = res.misses;
	policy_result_free(&res);
	return m;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_belady(void **state)
{
	(void)state;
	assert_int_equal(misses(POLICY_FIFO, belady, N(belady), 3, 1), 9);
	assert_int_equal(misses(POLICY_FIFO, belady, N(belady), 4, 1), 10);
	/* stack algorithms have no anomaly */
	assert_int_equal(misses(POLICY_LRU, belady, N(belady), 3, 1), 10);
	assert_int_equal(misses(POLICY_LRU, belady, N(belady), 4, 1), 8);
	assert_int_equal(misses(POLICY_OPT, belady, N(belady), 3, 1), 7);
	assert_int_equal(misses(POLICY_OPT, belady, N(belady), 4, 1), 6);
}

static void test_silberschatz(void **state)
{
	(void)state;
	assert_int_equal(misses(POLICY_FIFO, silber, N(silber), 3, 1), 15);
	assert_int_equal(misses(POLICY_LRU, silber, N(silber), 3, 1), 12);
	assert_int_equal(misses(POLICY_OPT, silber, N(silber), 3, 1), 9);
	/* OPT with enough frames: compulsory misses only */
	assert_int_equal(misses(POLICY_OPT, silber, N(silber), 6, 1), 6);
	assert_int_equal(misses(POLICY_UNOPT, silber, N(silber), 1, 1), 20);
	assert_int_equal(misses(POLICY_UNOPT, silber, N(silber), 3, 1), 20);
}

/* Victim of each step, POLICY_NO_VICTIM as 0 (pages here are >= 1). */
static void victims(enum policy_kind k, const uint64_t *pages, size_t n, int nframes, unsigned cb,
		    const uint64_t *want)
{
	struct policy_refs r = {n, pages, NULL};
	struct policy_opts o;
	policy_opts_default(&o);
	o.clockbits = cb;
	struct policy_result res;
	assert_int_equal(policy_sim_run(k, &r, nframes, &o, &res), 0);
	for (size_t i = 0; i < n; i++) {
		uint64_t v = res.step[i].victim == POLICY_NO_VICTIM ? 0 : res.step[i].victim;
		if (v != want[i])
			fail_msg("%s step %zu: victim %llu, expected %llu", res.policy, i + 1, (unsigned long long)v,
				 (unsigned long long)want[i]);
	}
	policy_result_free(&res);
}

static void test_victim_rules(void **state)
{
	(void)state;
	static const uint64_t s[] = {1, 2, 3, 1, 4, 2, 5};
	/* FIFO: 1 first in, 2 stays for its hit; LRU: 2 least recent after
	 * the hit on 1, then 3, then 1 */
	victims(POLICY_FIFO, s, N(s), 3, 1, (const uint64_t[]){0, 0, 0, 0, 1, 0, 2});
	victims(POLICY_LRU, s, N(s), 3, 1, (const uint64_t[]){0, 0, 0, 0, 2, 3, 1});
	/* MRU: the page just used (1), then 4 */
	victims(POLICY_MRU, s, N(s), 3, 1, (const uint64_t[]){0, 0, 0, 0, 1, 0, 2});
	/* LFU: 1 has 2 uses; 2 and 3 one each, 2 least recent -> 2; then 5:
	 * 3 and 4 one use each, 3 least recent */
	victims(POLICY_LFU, s, N(s), 3, 1, (const uint64_t[]){0, 0, 0, 0, 2, 3, 4});
	/* OPT at 4: 2 used next at 6, 1 and 3 never -> the last in the list (3);
	 * at 5: 1 and 4 never used again, the later in the list (4) */
	victims(POLICY_OPT, s, N(s), 3, 1, (const uint64_t[]){0, 0, 0, 0, 3, 0, 4});
	/* CLOCK, one bit: at 4 every bit is set, the hand goes round clearing
	 * them and takes frame 0 (page 1); at 5 the hand is at frame 1 (page 2,
	 * bit set by its hit) -> clear, frame 2 (3, clear) -> victim 3 */
	static const uint64_t c[] = {1, 2, 3, 1, 4, 2, 5};
	victims(POLICY_CLOCK, c, N(c), 3, 1, (const uint64_t[]){0, 0, 0, 0, 1, 0, 3});
}

static void test_frames_log(void **state)
{
	(void)state;
	struct policy_refs r = {N(belady), belady, NULL};
	struct policy_result res;
	assert_int_equal(policy_sim_run(POLICY_LRU, &r, 3, NULL, &res), 0);
	/* after step 4 (page 4 evicts 1 from frame 0): frames [4 2 3], LRU order 2 3 4 */
	assert_int_equal(res.frames[3 * 3 + 0], 4);
	assert_int_equal(res.frames[3 * 3 + 1], 2);
	assert_int_equal(res.order[3 * 3 + 0], 2);
	assert_int_equal(res.order[3 * 3 + 2], 4);
	assert_int_equal(res.frames[0 * 3 + 1], POLICY_EMPTY);
	assert_true(res.hit_rate > 16.6 && res.hit_rate < 16.7);
	policy_result_free(&res);
}

static void test_dirty(void **state)
{
	(void)state;
	static const uint64_t p[] = {1, 2, 3, 4};
	struct policy_refs r = {4, p, "WRRR"};
	struct policy_result res;
	assert_int_equal(policy_sim_run(POLICY_FIFO, &r, 1, NULL, &res), 0);
	assert_int_equal(res.evictions, 3);
	assert_int_equal(res.dirty_evictions, 1);
	assert_true(res.step[1].victim_dirty);
	assert_false(res.step[2].victim_dirty);
	policy_result_free(&res);
	assert_int_equal(policy_sim_run(POLICY_FIFO, &r, 0, NULL, &res), -1);
}

static void test_pyrandom(void **state)
{
	(void)state;
	struct pyrandom r;
	/* python3 -c 'import random; random.seed(0); print(random.random())' */
	pyrandom_seed(&r, 0);
	assert_true(pyrandom_random(&r) == 0.8444218515250481);
	assert_true(pyrandom_random(&r) == 0.7579544029403025);
	pyrandom_seed(&r, 42);
	assert_true(pyrandom_random(&r) == 0.6394267984578837);
	/* RAND is deterministic for a seed */
	uint64_t big[500];
	for (size_t i = 0; i < N(big); i++)
		big[i] = (i * 7919) % 37;
	struct policy_refs ref = {N(big), big, NULL};
	struct policy_opts o;
	policy_opts_default(&o);
	o.seed = 5;
	struct policy_result a, b;
	assert_int_equal(policy_sim_run(POLICY_RAND, &ref, 8, &o, &a), 0);
	assert_int_equal(policy_sim_run(POLICY_RAND, &ref, 8, &o, &b), 0);
	for (size_t i = 0; i < N(big); i++)
		assert_true(a.step[i].victim == b.step[i].victim);
	policy_result_free(&a);
	policy_result_free(&b);
}

/* A fully associative TLB (one set) under lru/fifo is the LRU/FIFO frame
 * policy; with sets, page P only competes within set P mod sets. */
static void test_tlb_mode(void **state)
{
	(void)state;
	struct policy_refs r = {N(silber), silber, NULL};
	struct policy_result t, f;
	char err[128];
	assert_int_equal(policy_tlb_run(&r, 4, 4, "lru", 0, &t, err, sizeof err), 0);
	assert_int_equal(policy_sim_run(POLICY_LRU, &r, 4, NULL, &f), 0);
	assert_int_equal(t.misses, f.misses);
	for (size_t i = 0; i < r.n; i++)
		assert_true(t.step[i].victim == f.step[i].victim);
	policy_result_free(&t);
	policy_result_free(&f);
	assert_int_equal(policy_tlb_run(&r, 4, 4, "fifo", 0, &t, err, sizeof err), 0);
	assert_int_equal(policy_sim_run(POLICY_FIFO, &r, 4, NULL, &f), 0);
	assert_int_equal(t.misses, f.misses);
	policy_result_free(&t);
	policy_result_free(&f);
	static const uint64_t conflict[] = {0, 2, 4, 0, 2, 4};
	struct policy_refs c = {6, conflict, NULL};
	/* 4 entries, 2 ways: 2 sets; 0, 2, 4 all in set 0 -> LRU thrashes */
	assert_int_equal(policy_tlb_run(&c, 4, 2, "lru", 0, &t, err, sizeof err), 0);
	assert_int_equal(t.misses, 6);
	policy_result_free(&t);
	assert_int_equal(policy_tlb_run(&c, 4, 2, "plru", 0, &t, err, sizeof err), 0);
	assert_int_equal(t.misses, 6);
	policy_result_free(&t);
	assert_int_equal(policy_tlb_run(&c, 6, 4, "lru", 0, &t, err, sizeof err), -1);
	assert_int_equal(policy_tlb_run(&c, 4, 2, "nope", 0, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "nope"));
}

static void test_pagemap(void **state)
{
	(void)state;
	struct pagemap m;
	assert_int_equal(pagemap_init(&m, 4), 0);
	static long shadow[1000];
	for (int i = 0; i < 1000; i++)
		shadow[i] = -1;
	unsigned long x = 1;
	for (int step = 0; step < 200000; step++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		int k = (int)((x >> 33) % 1000);
		if ((x >> 20) & 1) {
			assert_int_equal(pagemap_put(&m, (uint64_t)k * 0x1000, step), 0);
			shadow[k] = step;
		} else {
			pagemap_del(&m, (uint64_t)k * 0x1000);
			shadow[k] = -1;
		}
		int q = (int)((x >> 45) % 1000);
		assert_int_equal(pagemap_get(&m, (uint64_t)q * 0x1000), shadow[q]);
	}
	pagemap_free(&m);
}

static void test_reftrace(void **state)
{
	(void)state;
	struct reftrace t = {0};
	char err[256];
	const char *text = "==123== Lackey, an example Valgrind tool\n"
			   "I  0400d7d4,3\n"
			   " L 04f6b868,8\n"
			   " S 7ff000398,8\n"
			   " M 0421bd88,4\n"
			   " L 00000ffe,4\n"   /* spans two pages */
			   "# mmsim lines\n"
			   "R 0x1000\n"
			   "w 4096 7   # with a PID\n"
			   "\n"
			   "X 0x400000\n";
	assert_int_equal(reftrace_parse(text, "t.txt", 4096, &t, err, sizeof err), 0);
	assert_int_equal(t.n, 10);
	assert_int_equal(t.a[0].kind, 'X');
	assert_int_equal(t.a[0].addr, 0x400d7d4);
	assert_int_equal(t.a[2].kind, 'W');
	assert_int_equal(t.a[3].kind, 'R');   /* M: load then store */
	assert_int_equal(t.a[4].kind, 'W');
	assert_int_equal(t.a[5].addr, 0xffe);
	assert_int_equal(t.a[6].addr, 0x1000);
	assert_int_equal(t.a[6].line, 6);
	assert_int_equal(t.a[8].pid, 7);
	assert_int_equal(t.a[8].line, 9);
	assert_int_equal(t.a[9].kind, 'X');
	reftrace_free(&t);

	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"R 0x1000\nQ 0x2000\n", "t.txt:2:1: expected R, W or X"},
		{"R zz\n", "t.txt:1:3: bad address"},
		{"W 0x10 x\n", "t.txt:1:8: bad PID"},
		{"R 1 2 3\n", "t.txt:1:7: unexpected text"},
		{"I  04zz,4\n", "t.txt:1:6: bad lackey line"},
		{" L 1000,0\n", "t.txt:1:9: bad lackey size"},
		{" S 1000,8 junk\n", "t.txt:1:11: unexpected text after the lackey access"},
	};
	for (size_t i = 0; i < N(bad); i++) {
		struct reftrace b = {0};
		assert_int_equal(reftrace_parse(bad[i].text, "t.txt", 4096, &b, err, sizeof err), -1);
		if (strncmp(err, bad[i].msg, strlen(bad[i].msg)))
			fail_msg("'%s': got '%s', want '%s...'", bad[i].text, err, bad[i].msg);
		reftrace_free(&b);
	}
	struct ref_access a;
	int off;
	assert_int_equal(reftrace_token("w:0x2000", &a, &off, err, sizeof err), 0);
	assert_int_equal(a.kind, 'W');
	assert_int_equal(a.addr, 0x2000);
	assert_int_equal(reftrace_token("q:1", &a, &off, err, sizeof err), -1);
	assert_int_equal(off, 0);
	assert_int_equal(reftrace_token("r:0xg", &a, &off, err, sizeof err), -1);
	assert_int_equal(off, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_belady),       cmocka_unit_test(test_silberschatz),
		cmocka_unit_test(test_victim_rules), cmocka_unit_test(test_frames_log),
		cmocka_unit_test(test_dirty),        cmocka_unit_test(test_pyrandom),
		cmocka_unit_test(test_tlb_mode),     cmocka_unit_test(test_pagemap),
		cmocka_unit_test(test_reftrace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
