/* tools/exercise_gen.c - the problem generators of `mmsim exercise`
 * (tools/exercise.h).  Each draws a small random machine state and a
 * sequence of operations, and asks questions whose answers are
 * expressions evaluated by the scenario engine on mmsim's model: nothing
 * here computes an answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mmu/pgtable.h"
#include "tools/exercise.h"
#include "tools/scenario.h"

/* ---- translation ---- */

/* Dump every present entry of the user half of MM's tables, table by
 * table, as a physical-memory listing the student walks by hand. */
static void dump_tables(struct exgen *g, struct memsys *m, uint64_t pfn, int level)
{
	static const char *const names[] = { "", "PT", "PD", "PDPT", "PML4" };
	pteval_t *t = pgtable_table(m, pfn);
	int top = level == 4 ? 256 : 512;
	ex_say(g, "  page 0x%llx (a %s):\n", (unsigned long long)pfn, names[level]);
	for (int i = 0; i < top; i++)
		if (t[i] & _PAGE_PRESENT)
			ex_say(g, "    entry %3d at phys 0x%llx = 0x%016llx\n", i,
			       (unsigned long long)((pfn << PAGE_SHIFT) | ((uint64_t)i << 3)), (unsigned long long)t[i]);
	if (level == 1)
		return;
	for (int i = 0; i < top; i++)
		if ((t[i] & _PAGE_PRESENT) && !(level <= 3 && (t[i] & _PAGE_PSE)))
			dump_tables(g, m, (t[i] & PTE_PFN_MASK) >> PAGE_SHIFT, level - 1);
}

static void describe_translation(struct exgen *g, struct scenario *sc)
{
	struct scn_handle *h = scn_handle_find(sc, "p");
	if (!h || !h->ext)
		return;
	struct mm_struct *mm = h->ext;
	ex_say(g, "CR3 points at the PML4 in page 0x%llx.  The present entries of the user half\n"
		  "of every page-table page of this address space (bit 0 P, bit 1 R/W, bit 2 U/S,\n"
		  "bit 7 PS, bits 12-51 the next table's or the page's frame number, bit 63 NX):\n",
	       (unsigned long long)mm->pgd_pfn);
	dump_tables(g, sc->sim->mem, mm->pgd_pfn, 4);
}

static uint64_t mkva(unsigned l4, unsigned l3, unsigned l2, unsigned l1)
{
	return ((uint64_t)l4 << 39) | ((uint64_t)l3 << 30) | ((uint64_t)l2 << 21) | ((uint64_t)l1 << 12);
}

static void gen_translation(struct exgen *g)
{
	unsigned l4 = (unsigned)ex_rand(g, 0, 255), l3 = (unsigned)ex_rand(g, 0, 511);
	unsigned l2 = (unsigned)ex_rand(g, 0, 511), l1 = (unsigned)ex_rand(g, 0, 511);
	if (!l4 && !l3 && !l2)
		l2 = 1; /* keep clear of page 0 */
	uint64_t va1 = mkva(l4, l3, l2, l1);
	uint64_t va2 = mkva(l4, l3, l2, (l1 + (unsigned)ex_rand(g, 1, 500)) % 512);      /* same PT */
	uint64_t va3 = mkva(l4, (l3 + (unsigned)ex_rand(g, 1, 510)) % 512, l2, l1);      /* other PDPT entry */
	uint64_t va4 = mkva(l4, l3, (l2 + (unsigned)ex_rand(g, 1, 510)) % 512, (unsigned)ex_rand(g, 0, 511));
	uint64_t off = ex_rand(g, 0, 4095);
	uint64_t v = va1 | off;
	/* an unmapped address: in va1's PT, an index no mapping uses */
	unsigned lx = (l1 + 256) % 512;
	if (lx == pte_index(va2))
		lx = (lx + 1) % 512;
	uint64_t vx = mkva(l4, l3, l2, lx) | ex_rand(g, 0, 4095);
	struct strbuf setup = { 0 };
	sb_printf(&setup, "config mem=16M\nmm_create p\nmap p 0x%llx alloc prot=rw\nmap p 0x%llx alloc prot=r\n"
			  "map p 0x%llx alloc prot=rw\nmap p 0x%llx alloc prot=rx\n",
		  (unsigned long long)va1, (unsigned long long)va2, (unsigned long long)va3, (unsigned long long)va4);
	sb_printf(&g->given, "%s", setup.buf);
	ex_line(g, "%s", setup.buf);
	sb_free(&setup);
	ex_say(g, "Address translation on x86-64 with 4-level paging and 4 KiB pages.\n"
		  "A process's address space maps four pages.  Translate the virtual\n"
		  "address 0x%llx by walking the tables below, as the MMU does, and\n"
		  "then the address 0x%llx.\n\n",
	       (unsigned long long)v, (unsigned long long)vx);
	g->given_quiet = true;
	g->describe = describe_translation;
	ex_line(g, "access p 0x%llx r", (unsigned long long)v);
	ex_line(g, "show pagetable p 0x%llx", (unsigned long long)v);
	ex_line(g, "show pagetable p 0x%llx", (unsigned long long)vx);
	char e[512], t[256];
	snprintf(t, sizeof t, "The PML4, PDPT, PD and PT indexes of 0x%llx (a list)", (unsigned long long)v);
	snprintf(e, sizeof e, "[index(0x%llx, 4), index(0x%llx, 3), index(0x%llx, 2), index(0x%llx, 1)]",
		 (unsigned long long)v, (unsigned long long)v, (unsigned long long)v, (unsigned long long)v);
	ex_question(g, t, e, "points=2");
	snprintf(t, sizeof t, "The page offset of 0x%llx", (unsigned long long)v);
	snprintf(e, sizeof e, "offset(0x%llx)", (unsigned long long)v);
	ex_question(g, t, e, "");
	snprintf(t, sizeof t, "The physical address of the PT entry the walk of 0x%llx reads", (unsigned long long)v);
	snprintf(e, sizeof e, "entry_addr(p, 0x%llx, 1)", (unsigned long long)v);
	ex_question(g, t, e, "");
	snprintf(t, sizeof t, "The physical address 0x%llx translates to", (unsigned long long)v);
	snprintf(e, sizeof e, "pa(p, 0x%llx)", (unsigned long long)v);
	ex_question(g, t, e, "points=2");
	snprintf(t, sizeof t, "The physical address 0x%llx translates to (none if the walk faults)", (unsigned long long)vx);
	snprintf(e, sizeof e, "pa(p, 0x%llx)", (unsigned long long)vx);
	ex_question(g, t, e, "");
}

/* ---- tlb ---- */

static void gen_tlb(struct exgen *g)
{
	static const unsigned l1s[][2] = { { 4, 1 }, { 4, 2 }, { 8, 2 }, { 8, 4 }, { 4, 4 } };
	static const unsigned l2s[][2] = { { 8, 2 }, { 16, 4 }, { 8, 4 } };
	unsigned a = (unsigned)ex_rand(g, 0, 4), b = (unsigned)ex_rand(g, 0, 2);
	const char *pol = ex_rand(g, 0, 1) ? "lru" : "fifo";
	ex_line(g, "config mem=16M tlb=l1d=%u:%u,l2=%u:%u,policy=%s,psc=off", l1s[a][0], l1s[a][1], l2s[b][0], l2s[b][1],
		pol);
	ex_line(g, "mm_create p");
	/* more pages than L1 entries, on few sets: conflicts and evictions */
	unsigned npages = (unsigned)ex_rand(g, 6, 8);
	uint64_t pages[8];
	for (unsigned i = 0; i < npages; i++) {
		bool dup;
		do {
			pages[i] = 0x400000 + ex_rand(g, 0, 15) * 0x1000;
			dup = false;
			for (unsigned k = 0; k < i; k++)
				dup |= pages[k] == pages[i];
		} while (dup);
		ex_line(g, "map p 0x%llx alloc prot=rw", (unsigned long long)pages[i]);
	}
	ex_say(g, "A TLB exercise.  The L1 dTLB has %u entries, %u-way set associative (%u sets);\n"
		  "the STLB behind it has %u entries, %u-way (%u sets); both replace %s.\n"
		  "A set is chosen by the virtual page number modulo the number of sets.\n"
		  "Both start empty; a miss in both walks the page table and fills both.\n"
		  "A process reads these addresses, in this order:\n  ",
	       l1s[a][0], l1s[a][1], l1s[a][0] / l1s[a][1], l2s[b][0], l2s[b][1], l2s[b][0] / l2s[b][1],
	       !strcmp(pol, "lru") ? "the least recently used entry" : "the oldest entry (FIFO)");
	unsigned n = (unsigned)ex_rand(g, 10, 14);
	uint64_t last = pages[0];
	for (unsigned i = 0; i < n; i++) {
		uint64_t va = ex_rand(g, 0, 2) == 0 ? last : pages[ex_rand(g, 0, npages - 1)];
		va |= ex_rand(g, 0, 0xfff) & ~7ULL;
		last = va & ~0xfffULL;
		ex_line(g, "access p 0x%llx r", (unsigned long long)va);
		ex_say(g, "0x%llx%s", (unsigned long long)va, i + 1 < n ? (i % 6 == 5 ? ",\n  " : ", ") : "\n");
	}
	ex_line(g, "show tlb");
	ex_question(g, "How many of the reads hit in the L1 dTLB?", "tlb.l1d.hits", "");
	ex_question(g, "How many missed the L1 dTLB but hit in the STLB?", "tlb.l2.hits", "");
	ex_question(g, "How many page walks were there?", "walk.count", "");
	ex_question(g, "How many valid entries did the L1 dTLB evict?", "tlb.l1d.evictions", "");
	char t[160], e[160];
	snprintf(t, sizeof t, "Which L1 dTLB set does the page of 0x%llx go to?", (unsigned long long)pages[1]);
	snprintf(e, sizeof e, "tlb_set(l1d, 0x%llx)", (unsigned long long)pages[1]);
	ex_question(g, t, e, "");
}

/* ---- buddy ---- */

static void gen_buddy(struct exgen *g)
{
	ex_line(g, "config mem=1M zones=DMA:1M");
	sb_printf(&g->given, "config mem=1M zones=DMA:1M\nshow buddyinfo\n");
	ex_say(g, "The buddy allocator.  A machine with 1 MiB of RAM, all in zone DMA, starts with\n"
		  "this /proc/buddyinfo (free blocks of order 0, 1, 2, ... %d):\n\n@GIVEN@\n",
	       MAX_ORDER - 1);
	ex_line(g, "show buddyinfo");
	unsigned n = (unsigned)ex_rand(g, 4, 6);
	bool live[8] = { false };
	struct strbuf ops = { 0 };
	for (unsigned i = 0; i < n; i++) {
		unsigned order = (unsigned)ex_rand(g, 0, 3);
		ex_line(g, "alloc_pages b%u order=%u", i, order);
		ex_line(g, "show buddyinfo");
		sb_printf(&ops, "  %u. alloc_pages(GFP_KERNEL, order %u) -> block b%u\n", i + 1, order, i);
		live[i] = true;
	}
	unsigned step = n + 1;
	for (unsigned i = 0; i < n; i++) {
		if (ex_rand(g, 0, 2) == 0)
			continue;
		ex_line(g, "free_pages b%u", i);
		ex_line(g, "show buddyinfo");
		sb_printf(&ops, "  %u. __free_pages(b%u)\n", step++, i);
		live[i] = false;
	}
	ex_say(g, "\nThen these calls run, in order:\n%s\nThe buddy allocator takes a block from the head of the free list of the\n"
		  "smallest order that fits, splits it, and keeps the upper halves free; a freed\n"
		  "block merges with its buddy while the buddy is free.\n",
	       ops.buf ? ops.buf : "");
	sb_free(&ops);
	ex_question(g, "The DMA row of /proc/buddyinfo at the end (a list, order 0 first)", "buddyinfo(DMA)", "points=3");
	ex_question(g, "Free pages in zone DMA at the end", "zoneinfo.DMA.nr_free_pages", "");
	for (unsigned i = 0; i < n; i++)
		if (live[i]) {
			char t[128], e[64];
			snprintf(t, sizeof t, "The first page frame number (pfn) of block b%u", i);
			snprintf(e, sizeof e, "pfn(b%u)", i);
			ex_question(g, t, e, "");
			break;
		}
}

/* ---- slab ---- */

static void gen_slab(struct exgen *g)
{
	ex_line(g, "config mem=16M");
	ex_say(g, "kmalloc size classes and slab caches (SLUB, 4 KiB pages).\n"
		  "These kmalloc calls run (GFP_KERNEL):\n");
	unsigned n = 4;
	for (unsigned i = 0; i < n; i++) {
		unsigned size = (unsigned)(ex_rand(g, 0, 3) == 0 ? ex_rand(g, 1, 32) : ex_rand(g, 33, 3000));
		ex_line(g, "kmalloc k%u %u", i, size);
		ex_say(g, "  k%u = kmalloc(%u)\n", i, size);
	}
	unsigned osize = (unsigned)ex_rand(g, 20, 700), align = ex_rand(g, 0, 1) ? 8 : 64;
	unsigned nobj = (unsigned)ex_rand(g, 3, 40);
	ex_line(g, "kmem_cache_create thing size=%u align=%u", osize, align);
	ex_line(g, "repeat %u kmem_cache_alloc t%%i thing", nobj);
	ex_line(g, "show slabinfo");
	ex_say(g, "Then a cache is created, kmem_cache_create(\"thing\", %u, %u, 0, NULL), and %u\n"
		  "objects are allocated from it.\n",
	       osize, align, nobj);
	for (unsigned i = 0; i < 3; i++) {
		char t[128], e[64];
		snprintf(t, sizeof t, "Which kmalloc cache serves k%u (its name)?", i);
		snprintf(e, sizeof e, "cache(k%u)", i);
		ex_question(g, t, e, "");
	}
	ex_question(g, "How many bytes may k3 use (ksize)?", "handle.k3.ksize", "");
	ex_question(g, "The object size of cache thing (after alignment)", "slabinfo.thing.objsize", "");
	ex_question(g, "How many objects fit in one slab of thing?", "slabinfo.thing.objperslab", "");
	ex_question(g, "How many slabs does thing use?", "slabinfo.thing.active_slabs", "");
}

/* ---- gfp ---- */

static void gen_gfp(struct exgen *g)
{
	static const char *const flags[] = { "GFP_KERNEL", "GFP_DMA", "GFP_DMA32", "GFP_HIGHUSER_MOVABLE", "GFP_ATOMIC",
					     "GFP_KERNEL|__GFP_DMA32", "GFP_USER", "GFP_NOWAIT|__GFP_DMA" };
	bool normal = ex_rand(g, 0, 1);
	if (normal)
		ex_line(g, "config mem=8M zones=DMA:1M,DMA32:3M,Normal:4M");
	else
		ex_line(g, "config mem=8M zones=DMA:2M,DMA32:6M");
	ex_say(g, "Zone choice from GFP flags.  The machine's zones are %s.\n"
		  "Which zone does each allocation come from?\n",
	       normal ? "DMA (1 MiB), DMA32 (3 MiB) and Normal (4 MiB)" : "DMA (2 MiB) and DMA32 (6 MiB), no Normal");
	for (unsigned i = 0; i < 5; i++) {
		const char *f = flags[ex_rand(g, 0, sizeof flags / sizeof flags[0] - 1)];
		unsigned order = (unsigned)ex_rand(g, 0, 2);
		ex_line(g, "alloc_pages a%u order=%u gfp=%s", i, order, f);
		char t[160], e[32];
		snprintf(t, sizeof t, "alloc_pages(%s, order %u): which zone?", f, order);
		snprintf(e, sizeof e, "zone(a%u)", i);
		ex_question(g, t, e, "");
	}
	ex_line(g, "show zoneinfo");
}

/* ---- cow ---- */

static void gen_cow(struct exgen *g)
{
	unsigned npages = (unsigned)ex_rand(g, 4, 8);
	unsigned touched = (unsigned)ex_rand(g, 2, npages);
	ex_line(g, "config mem=16M");
	ex_line(g, "task P");
	ex_line(g, "mmap P 0x10000 %u", npages * 4096);
	ex_line(g, "touch P 0x10000 w pages=%u", touched);
	ex_line(g, "fork P C");
	ex_say(g, "Copy-on-write after fork.  Process P maps %u pages of private anonymous\n"
		  "memory at 0x10000 and writes its first %u pages (the others are never touched\n"
		  "before the fork).  Then P forks child C, and these accesses follow:\n",
	       npages, touched);
	unsigned n = (unsigned)ex_rand(g, 4, 7);
	unsigned want = (unsigned)ex_rand(g, 0, touched - 1);
	for (unsigned i = 0; i < n; i++) {
		const char *who = ex_rand(g, 0, 1) ? "C" : "P";
		const char *rw = ex_rand(g, 0, 3) ? "w" : "r";
		unsigned pg = (unsigned)ex_rand(g, 0, npages - 1);
		ex_line(g, "touch %s 0x%x %s", who, 0x10000 + pg * 4096, rw);
		ex_say(g, "  %s %s page %u (0x%x)\n", who, rw[0] == 'w' ? "writes" : "reads", pg, 0x10000 + pg * 4096);
	}
	ex_question(g, "How many write-protect (COW) faults did C take after the fork?", "task.C.cow", "");
	ex_question(g, "How many write-protect (COW) faults did P take after the fork?",
		    "task.P.cow", "");
	ex_question(g, "How many pages were copied in all (a new frame filled from the old one)?", "events.cow", "");
	ex_question(g, "How many of P's write faults reused the page in place (no other mapping left)?",
		    "task.P.reused", "");
	char t[160], e[96];
	snprintf(t, sizeof t, "At the end, do P and C map page %u (0x%x) to the same frame (yes/no)?", want,
		 0x10000 + want * 4096);
	snprintf(e, sizeof e, "yesno(pfn(P, 0x%x) == pfn(C, 0x%x))", 0x10000 + want * 4096, 0x10000 + want * 4096);
	ex_question(g, t, e, "");
}

/* ---- refcount ---- */

static void gen_refcount(struct exgen *g)
{
	ex_line(g, "config mem=1M zones=DMA:1M");
	ex_line(g, "alloc_pages a order=0");
	ex_line(g, "alloc_pages b order=0");
	ex_line(g, "let free0 = zoneinfo.DMA.nr_free_pages");
	ex_say(g, "Page reference counts.  Two pages are allocated, a and b (each starts with\n"
		  "refcount 1).  Then, in order:\n");
	int ref[2] = { 1, 1 };
	bool freed[2] = { false, false };
	unsigned n = (unsigned)ex_rand(g, 6, 9), mid = (unsigned)ex_rand(g, 2, 4), step = 0;
	char midq[64] = "";
	for (unsigned i = 0; i < n; i++) {
		int k = (int)ex_rand(g, 0, 1);
		if (freed[k])
			k = !k;
		if (freed[k])
			break;
		const char *hn = k ? "b" : "a";
		/* the last reference goes only near the end: most steps keep pages alive */
		bool get = ref[k] == 1 ? (step + 3 < n || ex_rand(g, 0, 1)) : ex_rand(g, 0, 4) < 2;
		ex_line(g, "%s %s", get ? "get_page" : "put_page", hn);
		ex_say(g, "  %u. %s(%s)\n", ++step, get ? "get_page" : "put_page", hn);
		ref[k] += get ? 1 : -1;
		if (!ref[k])
			freed[k] = true;
		if (step == mid && !midq[0]) {
			int live = freed[0] ? 1 : 0;
			char t[128], e[32];
			snprintf(t, sizeof t, "The refcount of page %s after step %u", live ? "b" : "a", step);
			snprintf(e, sizeof e, "refcount(%s)", live ? "b" : "a");
			ex_question(g, t, e, "");
			snprintf(midq, sizeof midq, "done");
		}
	}
	ex_question(g, "At the end, has page a been freed (yes/no)?", "freed(a)", "");
	ex_question(g, "At the end, has page b been freed (yes/no)?", "freed(b)", "");
	ex_question(g, "How many more pages are free at the end than before step 1?",
		    "zoneinfo.DMA.nr_free_pages - var.free0", "");
}

const struct ex_topic ex_topics[] = {
	{ "translation", "4-level address translation: indexes, offset, entries read, physical address", gen_translation },
	{ "tlb", "L1 dTLB and STLB hits, misses and evictions for a configuration and accesses", gen_tlb },
	{ "buddy", "buddy allocator split and merge; the resulting buddyinfo", gen_buddy },
	{ "slab", "kmalloc size classes, ksize, and a slab cache's geometry and usage", gen_slab },
	{ "gfp", "zone choice from GFP flags", gen_gfp },
	{ "cow", "copy-on-write after fork: who faults, what is copied", gen_cow },
	{ "refcount", "get_page/put_page: when is a page freed", gen_refcount },
	{ "watermarks", "min_free_kbytes, zone watermarks; does an allocation wake kswapd, reclaim, fail?", gen_watermarks },
	{ "oom", "oom_badness of each process, oom_score, and the OOM killer's victim", gen_oom },
#ifdef HAVE_POLICY_SIM
	{ "replacement", "page replacement (FIFO, LRU, OPT, CLOCK): faults, victims, final frames", gen_replacement },
#endif
	{ 0 },
};
