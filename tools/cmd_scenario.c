/* tools/cmd_scenario.c - `mmsim scenario FILE [--trace FILE.db [--force]] [--quiet]
 * [--verbose]`: parse the command line, open the trace, run the script. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/scenario.h"
#include "tools/scenario_question.h"
#include "traces/trace_replace.h"

void cmd_scenario_help(FILE *f)
{
	fputs("usage: mmsim scenario FILE [--trace FILE.db] [--quiet] [--verbose] [--answers]\n"
	      "\n"
	      "Run a scenario: a line-based script that drives the simulated kernel's memory\n"
	      "API and checks its state.  FILE '-' reads standard input.\n"
	      "\n"
	      "Options:\n"
	      "  --trace FILE.db  record every event in a SQLite database (docs/trace-schema.md)\n"
	      "  --force          replace an existing --trace database\n"
	      "  -q, --quiet      print only errors and failed expectations\n"
	      "  -v, --verbose    echo each line before running it\n"
	      "  --answers        print only the answers of the `question` lines, computed\n"
	      "                   by the run (the instructor's key, as an answers file)\n"
	      "  -h, --help       this text\n"
	      "\n"
	      "Grammar (docs/scenario.md has the details):\n"
	      "  One command per line: a name, then blank-separated arguments, positional\n"
	      "  (handle and cache names, sizes) or KEY=VALUE.  '#' starts a comment; blank\n"
	      "  lines are ignored.  Numbers are decimal or 0x hex; sizes take K, M, G.\n"
	      "  GFP flags are Linux's names joined by '|' (GFP_KERNEL|__GFP_ZERO), slab flags\n"
	      "  likewise (SLAB_HWCACHE_ALIGN|SLAB_POISON).  A handle (H) names what an\n"
	      "  allocation returned; later commands use it.  `config` lines set up the\n"
	      "  machine and must come before every other command.\n"
	      "\n"
	      "Commands:\n",
	      f);
	scenario_print_commands(f);
	fputs("\n"
	      "Stats for expect (dotted names):\n"
	      "  meminfo.FIELD              /proc/meminfo, in kB (meminfo.MemFree)\n"
	      "  buddyinfo.[NODE.]ZONE.ORDER  free blocks (buddyinfo.DMA.3, buddyinfo.1.Normal.0);\n"
	      "                             without NODE, all nodes are added up\n"
	      "  zoneinfo.[NODE.]ZONE.FIELD /proc/zoneinfo (zoneinfo.DMA.nr_free_pages, .min, .low,\n"
	      "                             .high, .managed, .present, .spanned, .protection.N)\n"
	      "  slabinfo.CACHE.FIELD       active_objs num_objs objsize objperslab pagesperslab\n"
	      "                             active_slabs num_slabs\n"
	      "  vmstat.NAME                /proc/vmstat (vmstat.pgalloc_dma, vmstat.nr_free_pages)\n"
	      "  handle.H.FIELD             pfn order refcount mapcount node zone; addr size ksize;\n"
	      "                             failed freed\n"
	      "  events.TYPE                events traced so far (events.alloc_fail)\n"
	      "  task.P.FIELD               faults cow anon zero reused rss nr_ptes of a `task`;\n"
	      "                             swapout swapin swapents (pages to and from swap, in swap)\n"
	      "  (question answer=EXPR also takes expressions and functions: docs/exercises.md)\n"
#ifdef HAVE_SCENARIO_MMU
	      "  (the MMU's namespaces are listed in docs/scenario.md)\n"
#endif
	      "\n"
	      "Settings for config (same as the simulator's long options):\n"
	      "  mem=SIZE zones=DMA:1M,DMA32:..,Normal:.. numa=1|2 min_free_kbytes=N slub_debug=0|1 pcp=off|on\n"
	      "  cpu_slab=off|on\n"
	      "  tlb=SPEC seed=N quantum=N max_insns=N trace_level=1|2 root=DIR stdin=FILE\n"
	      "  max_procs=N\n"
	      "\n"
	      "Exit status: 0 all expectations held; 1 an expectation (expect, expect_fail,\n"
	      "check) failed; 2 a syntax error (file:line:col, nothing ran), a script error\n"
	      "while running (unknown or failed handle, unknown stat), or a bad command line.\n"
	      "A failed allocation is a result, not an error: it is printed and traced.\n",
	      f);
}

/* "mmsim scenario a.scn --trace t.db" for the trace's runs table. */
static char *join_cmdline(int argc, char **argv)
{
	size_t len = strlen("mmsim") + 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	strcpy(s, "mmsim");
	for (int i = 0; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int cmd_scenario(int argc, char **argv)
{
	const char *file = NULL, *trace_path = NULL;
	bool quiet = false, verbose = false, answers = false, force = false;
	char err[512];

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			cmd_scenario_help(stdout);
			return 0;
		} else if (!strcmp(o, "-q") || !strcmp(o, "--quiet")) {
			quiet = true;
		} else if (!strcmp(o, "--answers")) {
			answers = true;
		} else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
			verbose = true;
		} else if (!strcmp(o, "--trace")) {
			if (++i == argc) {
				fputs("mmsim scenario: --trace needs a file name\n", stderr);
				return 2;
			}
			trace_path = argv[i];
		} else if (!strncmp(o, "--trace=", 8)) {
			trace_path = o + 8;
		} else if (!strcmp(o, "--force")) {
			force = true;
		} else if (o[0] == '-' && o[1]) {
			fprintf(stderr, "mmsim scenario: unknown option '%s' (see mmsim scenario --help)\n", o);
			return 2;
		} else if (file) {
			fprintf(stderr, "mmsim scenario: one script at a time ('%s' and '%s')\n", file, o);
			return 2;
		} else {
			file = o;
		}
	}
	if (!file) {
		fputs("mmsim scenario: missing FILE (see mmsim scenario --help)\n", stderr);
		return 2;
	}

	/* Read and check the whole script before opening the trace: a script
	 * that cannot run leaves no database behind (and does not replace an
	 * existing one). */
	struct scenario sc;
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	scenario_init(&sc, name, stdout, stderr, NULL);
	sc.errprefix = "mmsim scenario: ";
	sc.quiet = quiet || answers;
	sc.verbose = verbose && !answers;
	char *text = scenario_read_file(&sc, file);
	if (!text)
		return 2;
	int rc = scenario_check_text(&sc, text);
	if (rc) {
		scenario_fini(&sc);
		free(text);
		return rc;
	}
	if (trace_path && (trace_check_replace(trace_path, err, sizeof err) != 0 ||
			   !(sc.trace = trace_create_sqlite(trace_path, force, err, sizeof err)))) {
		fprintf(stderr, "mmsim scenario: %s\n", err);
		scenario_fini(&sc);
		free(text);
		return 2;
	}
	char *cmdline = join_cmdline(argc, argv);
	sc.cmdline = cmdline ? cmdline : "mmsim scenario";
	rc = scenario_run_text(&sc, text);
	if (answers)
		scn_answers_print(&sc, stdout);
	if (scenario_fini(&sc) < 0 && rc == 0) {
		fprintf(stderr, "mmsim scenario: the trace database '%s' is incomplete\n", trace_path);
		rc = 2;
	}
	free(text);
	free(cmdline);
	return rc;
}
