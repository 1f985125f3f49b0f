/* tools/cmd_demo.c - `mmsim demo`: a built-in scenario that shows the buddy
 * allocator and the slab allocator at work, echoing each command. */
#include <stdio.h>
#include <string.h>

#include "tools/scenario.h"

static const char demo_script[] =
	"# A 1 MiB machine with one DMA zone: 256 frames.\n"
	"config mem=1M zones=DMA:1M\n"
	"show buddyinfo\n"
	"# Take 32 frames: the buddy allocator splits a larger block.\n"
	"alloc_pages a order=5 gfp=GFP_KERNEL\n"
	"show buddyinfo\n"
	"# Freeing merges the buddies back.\n"
	"free_pages a\n"
	"show buddyinfo\n"
	"# A slab cache of 600-byte objects, aligned to cache lines.\n"
	"kmem_cache_create inode size=600 align=8 flags=SLAB_HWCACHE_ALIGN\n"
	"kmem_cache_alloc i1 inode\n"
	"kmem_cache_alloc i2 inode\n"
	"kmalloc k 50 GFP_KERNEL\n"
	"expect slabinfo.inode.active_objs == 2\n"
	"expect slabinfo.kmalloc-64.active_objs >= 1\n"
	"show slabinfo\n"
	"kfree k\n"
	"kmem_cache_free i1\n"
	"kmem_cache_free i2\n"
	"# Empty slabs go back to the buddy allocator.\n"
	"kmem_cache_shrink inode\n"
	"expect slabinfo.inode.active_objs == 0\n"
	"# Ask for more than a 1 MiB machine has: a visible failure, not a crash.\n"
	"expect_fail alloc_pages big order=9 gfp=GFP_KERNEL|__GFP_NOWARN\n"
	"expect meminfo.MemFree > 0\n"
	"check\n"
	"show buddyinfo\n";

int cmd_demo(int argc, char **argv)
{
	const char *trace_path = NULL;
	char err[512];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: mmsim demo [--trace FILE.db] [--script]\n"
			     "\n"
			     "Run a built-in scenario on a 1 MiB machine: the buddy allocator splitting and\n"
			     "merging, a slab cache, kmalloc, a failed allocation, /proc/buddyinfo and\n"
			     "/proc/slabinfo.  --script prints the scenario instead, to start your own.");
			return 0;
		} else if (!strcmp(argv[i], "--script")) {
			fputs(demo_script, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--trace") && i + 1 < argc) {
			trace_path = argv[++i];
		} else if (!strncmp(argv[i], "--trace=", 8)) {
			trace_path = argv[i] + 8;
		} else {
			fprintf(stderr, "mmsim demo: unknown argument '%s' (see mmsim demo --help)\n", argv[i]);
			return 2;
		}
	}
	struct trace *t = NULL;
	if (trace_path && !(t = trace_open_sqlite(trace_path, err, sizeof err))) {
		fprintf(stderr, "mmsim demo: %s\n", err);
		return 2;
	}
	struct scenario sc;
	scenario_init(&sc, "demo", stdout, stderr, t);
	sc.verbose = true;
	sc.cmdline = "mmsim demo";
	int rc = scenario_run_text(&sc, demo_script);
	if (scenario_fini(&sc) < 0 && rc == 0)
		rc = 2;
	return rc;
}
