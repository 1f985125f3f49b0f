/* tools/cmd_demo.c - `mmsim demo`: the main job on a built-in default.
 *
 * By default it runs a guest workload built into the binary (guest/fork_cow.c:
 * fill 4 MiB, fork, the child writes every page: one copy-on-write fault per
 * page) on a default machine and prints the run summary.  `--scenario` runs a
 * built-in scenario instead that shows the buddy and slab allocators at work.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "sim/config.h"
#include "sim/run.h"
#include "tools/builtin_guest.h"
#include "tools/scenario.h"
#include "traces/trace_replace.h"


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

/* Run the allocator tour; returns the scenario's exit status. */
static int demo_scenario(const char *trace_path, bool force)
{
	char err[512];
	struct trace *t = NULL;
	if (trace_path && (trace_check_replace(trace_path, err, sizeof err) != 0 ||
			   !(t = trace_create_sqlite(trace_path, force, err, sizeof err)))) {
		fprintf(stderr, "mmsim demo: %s\n", err);
		return 2;
	}
	struct scenario sc;
	scenario_init(&sc, "demo", stdout, stderr, t);
	sc.errprefix = "mmsim demo: ";
	sc.verbose = true;
	sc.cmdline = "mmsim demo --scenario";
	int rc = scenario_run_text(&sc, demo_script);
	if (scenario_fini(&sc) < 0 && rc == 0)
		rc = 2;
	return rc;
}

/* Run the built-in guest program; returns run_program()'s exit status. */
static int demo_guest_run(const char *trace_path, bool json, bool force)
{
#ifdef HAVE_DEMO_GUEST
	static char *argv[] = { "fork_cow", "4", NULL };
	struct run_options o = {0};
	sim_config_default(&o.cfg);
	o.program = "fork_cow";
	o.image = builtin_guest("fork_cow", &o.image_size);
	o.argv = argv;
	o.argc = 2;
	o.trace_path = trace_path;
	o.force = force;
	o.cmdline = "mmsim demo";
	o.json = json;
	o.progress = isatty(2);
	o.summary_out = stderr;
	/* --json: stdout is the JSON only; the banner and the guest's output
	 * (its fd 1) go to stderr */
	FILE *json_out = NULL;
	if (json) {
		fflush(stdout);
		int fd = dup(1);
		if (fd < 0 || !(json_out = fdopen(fd, "w")) || dup2(2, 1) < 0) {
			perror("mmsim demo: stdout");
			return 2;
		}
		o.summary_out = json_out;
	}
	if (trace_path) { /* refused before the banner, with demo's name */
		char err[600];
		struct stat st;
		if (trace_check_replace(trace_path, err, sizeof err) != 0) {
			fprintf(stderr, "mmsim demo: %s\n", err);
			return 2;
		}
		if (!force && stat(trace_path, &st) == 0) {
			fprintf(stderr, "mmsim demo: trace: '%s' exists; --force replaces it\n", trace_path);
			return 2;
		}
	}
	fprintf(json ? stderr : stdout,
		"mmsim demo: running the built-in guest 'fork_cow 4' (guest/fork_cow.c) on a %llu MiB machine:\n"
		"it fills 4 MiB, forks, and the child writes every page (1024 copy-on-write faults).\n\n",
		(unsigned long long)(o.cfg.mem.mem_bytes >> 20));
	fflush(stdout);
	int rc = run_program(&o);
	if (json_out) {
		fflush(stdout);
		dup2(fileno(json_out), 1);
		fclose(json_out);
	}
	return rc;
#else
	(void)json;
	fprintf(stderr, "mmsim demo: this mmsim was built without guest programs (no musl-gcc); "
			"showing the allocator scenario instead\n");
	return demo_scenario(trace_path, force);
#endif
}

int cmd_demo(int argc, char **argv)
{
	const char *trace_path = NULL;
	bool scenario = false, json = false, force = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: mmsim demo [--scenario [--script]] [--json] [--trace FILE.db [--force]]\n"
			     "\n"
			     "Run a guest program built into mmsim (guest/fork_cow.c: fill 4 MiB, fork,\n"
			     "the child writes every page) on a default 256 MiB machine and print the\n"
			     "perf-stat-like summary of `mmsim run` on stderr (--json: as one JSON\n"
			     "object on stdout, and the guest's output on stderr).\n"
			     "\n"
			     "--scenario runs a built-in scenario on a 1 MiB machine instead: the buddy\n"
			     "allocator splitting and merging, a slab cache, kmalloc, a failed allocation,\n"
			     "/proc/buddyinfo and /proc/slabinfo.  --script prints that scenario, to start\n"
			     "your own (see mmsim scenario --help).");
			return 0;
		} else if (!strcmp(argv[i], "--script")) {
			fputs(demo_script, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--scenario")) {
			scenario = true;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--force")) {
			force = true;
		} else if (!strcmp(argv[i], "--trace")) {
			if (i + 1 >= argc) {
				fputs("mmsim demo: --trace needs a file name\n", stderr);
				return 2;
			}
			trace_path = argv[++i];
		} else if (!strncmp(argv[i], "--trace=", 8)) {
			trace_path = argv[i] + 8;
		} else {
			fprintf(stderr, "mmsim demo: unknown argument '%s' (see mmsim demo --help)\n", argv[i]);
			return 2;
		}
	}
	if (scenario && json) {
		fputs("mmsim demo: --json is for the guest demo; --scenario prints /proc views\n", stderr);
		return 2;
	}
	return scenario ? demo_scenario(trace_path, force) : demo_guest_run(trace_path, json, force);
}
