/* tools/main.c - the `mmsim` command: global options and subcommand
 * dispatch. */
#include <stdio.h>
#include <string.h>

#include "tools/cmd_run.h"
#include "tools/exercise.h"
#include "tools/grade.h"
#include "tools/cmd_tracedb.h"
#include "tools/scenario.h"

int cmd_refs(int argc, char **argv);  /* cmd_refs.c */

#ifndef MMSIM_VERSION
#define MMSIM_VERSION "unknown"
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} subcommands[] = {
	{"run", cmd_run, "run an x86-64 program on the simulated machine (mmsim run --help)"},
	{"scenario", cmd_scenario, "run a scenario script against the kernel API (mmsim scenario --help)"},
	{"refs", cmd_refs, "replacement policies over a reference string; TLB policies; plug-ins (mmsim refs --help)"},
	{"demo", cmd_demo, "run a built-in guest program (fork + COW) and print its summary"},
	{"exercise", cmd_exercise, "print a randomized problem, its solution (--solve) or a gradable scenario"},
	{"grade", cmd_grade, "grade answers, a program or a policy plug-in against an exercise (mmsim grade --help)"},
	{"stats", cmd_stats, "the summary of a recorded run, from its trace database"},
	{"query", cmd_query, "read-only SQL on a trace database (table, --csv, --json)"},
	{"replay", cmd_replay, "re-execute a recorded run and verify it, or a what-if run with a setting changed"},
	{"diff", cmd_diff, "two recorded runs' summaries and counters side by side"},
	{"report", cmd_report, "a self-contained HTML report with charts of a recorded run"},
	{"export", cmd_export, "a recorded run as a Chrome/Perfetto trace (--format chrome-trace)"},
	{"proc", cmd_proc, "/proc views (meminfo, maps PID...) at any moment of a recorded run"},
};
#define NR_SUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

static void usage(FILE *f)
{
	fputs("usage: mmsim [--help] [--version] COMMAND [ARGS...]\n"
	      "\n"
	      "mmsim simulates an x86-64 machine's MMU (page tables, TLBs) and Linux's\n"
	      "memory manager (zones, buddy allocator, slab, page faults, reclaim, swap,\n"
	      "the OOM killer) on one CPU or several, recording every event in a SQLite\n"
	      "trace.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < NR_SUBCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].help);
	fputs("  help CMD   the help of CMD (same as mmsim CMD --help)\n"
	      "\n"
	      "Machine settings (scenario `config KEY=VALUE` lines; run's long options,\n"
	      "spelt --min-free-kbytes for min_free_kbytes; slub_debug is scenario-only):\n"
	      "  mem=SIZE          RAM size (K/M/G suffixes; default 256M)\n"
	      "  zones=LIST        zone layout, e.g. DMA:1M,Normal:15M (default: x86-64 split:\n"
	      "                    DMA below 16M, DMA32 below 4G, Normal above)\n"
	      "  numa=1|2          NUMA nodes\n"
	      "  min_free_kbytes=N reserve (default: Linux's formula)\n"
	      "  slub_debug=0|1    red zones and poisoning in every slab cache\n"
	      "  tlb=SPEC          TLB hierarchy, e.g. l1d=64:4,l2=1536:12,policy=lru,pcid=on\n"
	      "  seed=N            seed of all simulated randomness\n"
	      "  quantum=N         instructions per scheduling slice\n"
	      "  max_insns=N       stop after N guest instructions (0: no limit)\n"
	      "  trace_level=1|2   1: allocation/fault/process events; 2: also TLB misses, walks\n"
	      "  root=DIR          read-only guest root directory\n"
	      "  stdin=FILE        the guest's standard input\n"
	      "  max_procs=N       task limit (processes and threads)\n"
	      "  host_map_limit=N  host mappings for guest memory (0: vm.max_map_count - 4096)\n"
	      "  page_cache=warm|cold  page cache at start (default warm, as on a native rerun)\n"
	      "  fastpath=on|off   the engine's same-block shortcut (default on; for testing)\n"
	      "  cpus=N            simulated CPUs (default 1)\n"
	      "  pcp=on|off        per-CPU page lists (default on; scenarios: off)\n"
	      "  cpu_slab=on|off   SLUB's per-CPU slabs (default on; scenarios: off)\n"
	      "  swap=SIZE         swap area (default 0: none); swap_latency=T per page\n"
	      "                    (e.g. 20us), swap_file=DIR (default: host memory)\n"
	      "  tmpfs_size=SIZE|N%  /tmp and /dev/shm, each (default 50% of RAM)\n"
	      "  sysctl=vm.NAME=VALUE  a vm sysctl (repeatable), e.g. vm.swappiness=100\n"
	      "\n"
	      "Global options:\n"
	      "  -h, --help        this text\n"
	      "  -V, --version     print the version\n"
	      "\n"
	      "Exit status: 0 success; 1 a check or expectation failed; 2 bad usage or input.\n"
	      "Docs: docs/scenario.md, docs/trace-schema.md.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("mmsim: no command given (usage: mmsim COMMAND [ARGS...]; mmsim --help lists the commands)\n", stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("mmsim %s\n", MMSIM_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help")) {
		if (argc == 2 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h") || !strcmp(argv[2], "help")) {
			usage(stdout);
			return 0;
		}
		for (size_t i = 0; i < NR_SUBCOMMANDS; i++) {
			if (!strcmp(argv[2], subcommands[i].name)) {
				char *av[] = {argv[2], (char *)"--help", NULL};
				return subcommands[i].fn(2, av);
			}
		}
		fprintf(stderr, "mmsim: unknown command '%s' (see mmsim --help)\n", argv[2]);
		return 2;
	}
	if (cmd[0] == '-') {
		fprintf(stderr, "mmsim: unknown option '%s' (see mmsim --help)\n", cmd);
		return 2;
	}
	for (size_t i = 0; i < NR_SUBCOMMANDS; i++)
		if (!strcmp(cmd, subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mmsim: unknown command '%s' (see mmsim --help)\n", cmd);
	return 2;
}
