/* bench/alloc_bench.c - allocator speed against glibc, measured in the
 * same run.
 *
 * Three workloads, each a fixed-seed random sequence over SLOTS live
 * objects (each step frees the slot's object if any, then allocates a new
 * one), run once through mmsim and once through glibc malloc/free with the
 * same sizes:
 *   order-0      alloc_page/__free_page      vs malloc(4096)/free
 *   mixed-order  alloc_pages order 0..3      vs malloc(4096 << order)
 *   kmalloc      kmalloc/kfree 8..4096 bytes vs malloc/free of that size
 * ratio = mmsim time / glibc time; <= 1.0 means mmsim is no slower.
 * Both sides run the same loop (same PRNG, same slot array, same sizes);
 * the machine is shared and noisy, so each side runs ROUNDS times,
 * alternating, and the fastest round of each is compared.
 * Usage: alloc_bench [steps [workload [pcp [cpu_slab]]]]   (default 1000000
 * steps per round; workload: order0, mixed, kmalloc or all, default all;
 * pcp: on, as `mmsim run` builds the machine, or off: no per-CPU page
 * lists; cpu_slab: on, as `mmsim run`, or off: no per-CPU slabs).  Exit
 * status 3 when the order-0 or kmalloc workload misses the target (ratio >
 * 1.0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "traces/trace.h"

#define SLOTS 256
#define ROUNDS 5

static uint64_t rng;
static inline uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum kind { ORDER0, MIXED, KMALLOC };

/* Size in bytes (or order for MIXED) of step R's object. */
static inline size_t pick(enum kind k, uint64_t r)
{
	static const size_t ksizes[] = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096};
	switch (k) {
	case ORDER0: return 0;
	case MIXED: return (size_t)((r >> 20) & 3);
	default: return ksizes[(r >> 20) % (sizeof(ksizes) / sizeof(ksizes[0]))];
	}
}

static double run_mmsim(struct memsys *m, enum kind k, long steps)
{
	void *slot[SLOTS] = {0};
	size_t sz[SLOTS] = {0};
	rng = 0x9e3779b97f4a7c15ULL;
	double t0 = now();
	for (long i = 0; i < steps; i++) {
		uint64_t r = rnd();
		unsigned s = (unsigned)(r % SLOTS);
		size_t want = pick(k, r);
		if (slot[s]) {
			if (k == KMALLOC)
				kfree(m, slot[s]);
			else
				__free_pages(m, slot[s], (unsigned)sz[s]);
		}
		if (k == KMALLOC)
			slot[s] = kmalloc(m, want, GFP_KERNEL);
		else
			slot[s] = alloc_pages(m, GFP_KERNEL, (unsigned)want);
		sz[s] = want;
		if (!slot[s]) {
			fprintf(stderr, "alloc_bench: mmsim allocation failed at step %ld\n", i);
			exit(1);
		}
	}
	double t = now() - t0;
	for (unsigned s = 0; s < SLOTS; s++)
		if (slot[s]) {
			if (k == KMALLOC)
				kfree(m, slot[s]);
			else
				__free_pages(m, slot[s], (unsigned)sz[s]);
		}
	return t;
}

static double run_glibc(enum kind k, long steps)
{
	void *slot[SLOTS] = {0};
	rng = 0x9e3779b97f4a7c15ULL;
	double t0 = now();
	for (long i = 0; i < steps; i++) {
		uint64_t r = rnd();
		unsigned s = (unsigned)(r % SLOTS);
		size_t want = pick(k, r);
		free(slot[s]);
		slot[s] = malloc(k == KMALLOC ? want : (size_t)4096 << want);
		if (!slot[s]) {
			fprintf(stderr, "alloc_bench: malloc failed\n");
			exit(1);
		}
		/* keep the compiler from pairing malloc/free away */
		__asm__ volatile("" : : "r"(slot[s]) : "memory");
	}
	double t = now() - t0;
	for (unsigned s = 0; s < SLOTS; s++)
		free(slot[s]);
	return t;
}

int main(int argc, char **argv)
{
	long steps = argc > 1 ? atol(argv[1]) : 1000000;
	struct mem_config cfg;
	char err[256];
	static const char *const names[] = {"order-0 alloc+free", "mixed-order (0..3) alloc+free",
					    "kmalloc+kfree (8..4096 B)"};
	static const char *const keys[] = {"order0", "mixed", "kmalloc"};
	int worse = 0, only = -1;

	if (steps <= 0) {
		fprintf(stderr, "alloc_bench: steps must be a positive number, not '%s'\n", argv[1]);
		return 2;
	}
	mem_config_default(&cfg);
	cfg.pcp = true;
	cfg.cpu_slab = true;
	if ((argc > 3 && mem_config_set(&cfg, "pcp", argv[3], err, sizeof(err)) != 0) ||
	    (argc > 4 && mem_config_set(&cfg, "cpu_slab", argv[4], err, sizeof(err)) != 0)) {
		fprintf(stderr, "alloc_bench: %s\n", err);
		return 2;
	}
	if (argc > 2 && strcmp(argv[2], "all")) {
		for (int k = ORDER0; k <= KMALLOC; k++)
			if (!strcmp(argv[2], keys[k]))
				only = k;
		if (only < 0) {
			fprintf(stderr, "alloc_bench: unknown workload '%s' (order0, mixed, kmalloc or all)\n", argv[2]);
			return 2;
		}
	}
	struct trace *t = trace_open_none();
	struct memsys *m = memsys_create(&cfg, t, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "alloc_bench: %s\n", err);
		return 1;
	}
	printf("alloc_bench: %ld steps per round, best of %d rounds, %d live slots, mem=256M, pcp=%s, cpu_slab=%s, "
	       "trace sink none\n",
	       steps, ROUNDS, SLOTS, cfg.pcp ? "on" : "off", cfg.cpu_slab ? "on" : "off");
	printf("%-32s %14s %14s %8s\n", "workload", "mmsim ops/s", "glibc ops/s", "ratio");
	for (int k = ORDER0; k <= KMALLOC; k++) {
		if (only >= 0 && k != only)
			continue;
		run_mmsim(m, (enum kind)k, steps / 10); /* warm up both */
		run_glibc((enum kind)k, steps / 10);
		double tm = 1e30, tg = 1e30;
		for (int r = 0; r < ROUNDS; r++) {
			double a = run_mmsim(m, (enum kind)k, steps);
			double b = run_glibc((enum kind)k, steps);
			tm = a < tm ? a : tm;
			tg = b < tg ? b : tg;
		}
		double ratio = tm / tg;
		/* an op is one alloc + one free */
		printf("%-32s %14.0f %14.0f %8.2f%s\n", names[k], steps / tm, steps / tg, ratio,
		       k != MIXED && ratio > 1.0 ? "  (slower than glibc)" : "");
		if (k != MIXED && ratio > 1.0)
			worse = 1;
	}
	printf("ratio = mmsim time / glibc time (target <= 1.00 for order-0 and kmalloc)\n");
	memsys_destroy(m);
	trace_close(t);
	return worse ? 3 : 0;
}
