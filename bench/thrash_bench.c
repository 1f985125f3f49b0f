/* bench/thrash_bench.c - host cost of reclaim and swap, against the same
 * run's cost of an ordinary page fault.
 *
 * Baseline: a machine with room for everything; one address space writes
 * PAGES pages (demand-zero faults), timed on a second round after
 * MADV_DONTNEED so host-side first touches are not in it.  time/fault = the baseline time
 * per page.  Thrash: the same PAGES pages (2x the RAM) with swap, written
 * once and then read back and rewritten PASSES times in order, so every
 * pass swaps the whole working set out and back in (direct reclaim and
 * kswapd, which runs between passes' chunks as the scheduler would run it).
 * Reported: host ns per page swapped out plus in (thrash time less the
 * baseline's fault time, over max(pswpout, pswpin): an upper bound, the
 * reclaim scans are in it too) and host ns per page scanned (the time
 * spent in kswapd_run over pgscan_kswapd, and the same less the time of
 * the swap writes kswapd issued, each timed alone afterwards: the scan,
 * rmap, unmap and freeing without the simulated I/O copy).  Targets (issue 9): <= 10 us per page out and
 * in, <= 300 ns per page scanned.  Exit 3 when a target is missed.
 * Usage: thrash_bench [MiB of RAM, default 32]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/mmap.h"
#include "mm/page_alloc.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"
#include "mmu/memory.h"
#include "mmu/pgtable.h"
#include "traces/trace.h"

#define BASE 0x10000000ULL
#define PASSES 4

/* Host CPU seconds of this thread: the machine is shared (2 cores, many
 * jobs), so wall time would count other processes' slices too. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct machine {
	struct trace *t;
	struct memsys *m;
	struct kernel_pgtables k;
	struct mm_struct *mm;
};

static void machine_new(struct machine *x, uint64_t mem, uint64_t swap, uint64_t pages)
{
	struct mem_config cfg;
	char err[256];
	uint64_t addr;

	mem_config_default(&cfg);
	cfg.mem_bytes = mem;
	cfg.swap_bytes = swap;
	x->t = trace_open_none();
	x->m = memsys_create(&cfg, x->t, err, sizeof err);
	if (!x->m || kernel_pgtables_init(x->m, &x->k)) {
		fprintf(stderr, "thrash_bench: %s\n", err);
		exit(1);
	}
	x->mm = mm_alloc(x->m, &x->k);
	if (!x->mm || do_mmap(x->m, x->mm, BASE, pages << PAGE_SHIFT, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &addr)) {
		fprintf(stderr, "thrash_bench: mmap failed\n");
		exit(1);
	}
}

static void machine_free(struct machine *x)
{
	mmput(x->m, x->mm);
	kernel_pgtables_destroy(x->m, &x->k);
	memsys_destroy(x->m);
	trace_close(x->t);
}

/* The CPU: fault until VA is accessible, then touch its byte. */
static void touch(struct machine *x, uint64_t va, bool write)
{
	for (int tries = 0; tries < 4; tries++) {
		pte_t *p = pte_lookup(x->m, x->mm, va);
		if (p && pte_present(*p) && (!write || pte_write(*p))) {
			uint8_t *b = (uint8_t *)phys_to_host(x->m, pte_pfn(*p) << PAGE_SHIFT) + (va & 4095);
			if (write)
				*b = (uint8_t)(va >> 12);
			else if (*b != (uint8_t)(va >> 12)) {
				fprintf(stderr, "thrash_bench: page %#llx lost its data\n", (unsigned long long)va);
				exit(1);
			}
			*(volatile uint8_t *)b;
			return;
		}
		struct fault_info fi;
		unsigned ec = X86_PF_USER | (write ? X86_PF_WRITE : 0) | (p && pte_present(*p) ? X86_PF_PROT : 0);
		if (do_user_addr_fault(x->m, x->mm, va, ec, 0x401000, &fi)) {
			fprintf(stderr, "thrash_bench: fault at %#llx failed\n", (unsigned long long)va);
			exit(1);
		}
	}
}

/* Host seconds per swap_writepage of one page, over the swap area's first
 * slots (warm after the thrash): the simulated I/O alone.  The slots'
 * contents are garbage afterwards; the machine is freed next. */
static double time_swap_writes(struct machine *x)
{
	struct page *page = alloc_page(x->m, GFP_KERNEL);
	unsigned long n = x->m->swap->max - 1;
	double t0;

	if (!page)
		return 0;
	memset(page_address(x->m, page), 0x5a, PAGE_SIZE);
	t0 = now();
	for (unsigned long off = 1; off <= n; off++) {
		page->private = swp_entry(0, off).val;
		swap_writepage(x->m, page);
	}
	t0 = (now() - t0) / (double)n;
	page->private = 0;
	put_page(x->m, page);
	return t0;
}

int main(int argc, char **argv)
{
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 0) : 32, mem = mib << 20, pages = (2 * mem) >> PAGE_SHIFT;
	struct machine x;
	double t0, t_fault, t_thrash, t_kswapd = 0;
	uint64_t clock_ns = 0;

	machine_new(&x, 4 * mem, 0, pages);
	/* warm the host side (memfd pages, page tables), then time a second
	 * round of faults on the zapped range */
	for (uint64_t i = 0; i < pages; i++)
		touch(&x, BASE + (i << PAGE_SHIFT), true);
	do_madvise(x.m, x.mm, BASE, pages << PAGE_SHIFT, MADV_DONTNEED);
	t0 = now();
	for (uint64_t i = 0; i < pages; i++)
		touch(&x, BASE + (i << PAGE_SHIFT), true);
	t_fault = (now() - t0) / (double)pages;
	machine_free(&x);

	machine_new(&x, mem, 3 * mem, pages);
	unsigned long out0 = 0, in0 = 0, scan0 = 0, faults0 = 0, kswapd_out = 0;
	for (int pass = 0; pass <= PASSES; pass++) {
		if (pass == 2) {
			/* passes 0 and 1 touch host memory (RAM memfd, swap area)
			 * for the first time: time only the warm passes */
			t0 = now();
			out0 = x.m->vm_events[PSWPOUT];
			in0 = x.m->vm_events[PSWPIN];
			scan0 = x.m->vm_events[PGSCAN_KSWAPD];
			faults0 = x.m->vm_events[PGFAULT];
			t_kswapd = 0;
			kswapd_out = 0;
		}
		for (uint64_t i = 0; i < pages; i++) {
			touch(&x, BASE + (i << PAGE_SHIFT), pass == 0);
			if (pass)
				touch(&x, BASE + (i << PAGE_SHIFT), true);
			if ((i & 63) == 0 && kswapd_pending(x.m, clock_ns)) {
				unsigned long w0 = x.m->vm_events[PSWPOUT];
				double k0 = now();
				kswapd_run(x.m, clock_ns);
				t_kswapd += now() - k0;
				kswapd_out += x.m->vm_events[PSWPOUT] - w0;
			}
			clock_ns += 1000000;
		}
	}
	t_thrash = now() - t0;
	unsigned long out = x.m->vm_events[PSWPOUT] - out0, in = x.m->vm_events[PSWPIN] - in0;
	unsigned long scan = x.m->vm_events[PGSCAN_KSWAPD] - scan0, direct = x.m->vm_events[PGSCAN_DIRECT];
	unsigned long faults = x.m->vm_events[PGFAULT] - faults0;
	double rest = t_thrash - t_fault * (double)faults;
	double per_swap = (rest > 0 ? rest : 0) / (double)(out > in ? out : in);
	double per_scan = t_kswapd / (double)scan;
	/* The swap writes kswapd issued (the simulated I/O: a 4 KiB copy into
	 * the swap area), timed alone over the same, warm, slots: the scan
	 * proper is kswapd's time less those. */
	double t_write = time_swap_writes(&x);
	double per_scan_only = (t_kswapd - t_write * (double)kswapd_out) / (double)scan;
	machine_free(&x);

	printf("thrash_bench: %llu MiB RAM, working set %llu pages (2x RAM), passes 2..%d timed\n",
	       (unsigned long long)mib, (unsigned long long)pages, PASSES);
	printf("  ordinary fault        %8.0f ns/page\n", t_fault * 1e9);
	printf("  swap out + in         %8.0f ns/page   (%lu out, %lu in; target <= 10000)\n", per_swap * 1e9, out, in);
	printf("  kswapd, writes incl.  %8.0f ns/page   (%lu scanned by kswapd, %lu written, %lu direct)\n",
	       per_scan * 1e9, scan, kswapd_out, direct);
	printf("  swap write (4 KiB)    %8.0f ns/page\n", t_write * 1e9);
	printf("  reclaim scan (kswapd) %8.0f ns/page   (kswapd less its swap writes; target <= 300)\n",
	       per_scan_only * 1e9);
	if (!out || !in || per_swap > 10e-6 || per_scan_only > 300e-9) {
		printf("thrash_bench: target missed\n");
		return 3;
	}
	return 0;
}
