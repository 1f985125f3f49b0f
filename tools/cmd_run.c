/* tools/cmd_run.c - `mmsim run`: parse the command line into struct
 * run_options and hand over to run_program() (sim/run.h). */
#include "tools/cmd_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/config.h"
#include "sim/run.h"
#include "tools/cmd_tracedb.h"

static void usage(FILE *f)
{
	fputs("usage: mmsim run [OPTIONS] [--] PROGRAM [ARGS...]\n"
	      "Run an x86-64 Linux program (static, or dynamically linked with --root)\n"
	      "on the simulated machine, then print a perf-stat-like summary on stderr.\n\n"
	      "  --mem SIZE        simulated RAM (default 256M)\n"
	      "  --zones SPEC      zone layout, e.g. DMA:16M,DMA32:1G,Normal:1G\n"
	      "  --numa 1|2        NUMA nodes (default 1)\n"
	      "  --min-free-kbytes N\n"
	      "                    vm.min_free_kbytes (default: Linux's formula)\n"
	      "  --swap SIZE       swap area size (default 0: no swap)\n"
	      "  --swap-latency T  simulated I/O time per swapped page, e.g. 20us (default)\n"
	      "  --swap-file DIR   keep swapped pages in a temporary file in DIR, removed\n"
	      "                    at exit (default: host memory)\n"
	      "  --tlb SPEC        TLB configuration (see docs/tlb.md)\n"
	      "  --quantum N       scheduler time slice in guest instructions (default 100000)\n"
	      "  --max-insns N     stop after N guest instructions (exit code 124)\n"
	      "  --max-procs N     task limit (processes and threads, like threads-max); fork\n"
	      "                    and pthread_create fail with EAGAIN beyond it (default 64)\n"
	      "  --cpus N          simulated CPUs, 1..64 (default 1); each has its own TLBs\n"
	      "  --host-map-limit N\n"
	      "                    host mappings (VMAs) guest memory may use (default 0:\n"
	      "                    vm.max_map_count - 4096); beyond it the run stops (126)\n"
	      "  --page-cache warm|cold\n"
	      "                    page cache at start (default warm: every program and\n"
	      "                    file the guest execs or mmaps is already cached, as on\n"
	      "                    a native rerun; cold: first touches are major faults)\n"
	      "  --tmpfs-size SIZE size of the guest's writable tmpfs on /tmp and on\n"
	      "                    /dev/shm, each (default 50%: half the RAM, as Linux;\n"
	      "                    64M, 1G or N% of RAM); a full one gives ENOSPC\n"
	      "  --fastpath on|off the engine's same-block shortcut (default on; off checks\n"
	      "                    every block in full: same results, slower; for testing)\n"
	      "  --pcp on|off      per-CPU lists of free order-0 pages (default on, as Linux;\n"
	      "                    off: every free goes straight to the buddy lists)\n"
	      "  --cpu-slab on|off SLUB's per-CPU slabs, a CPU slab and partial list per CPU\n"
	      "                    and cache (default on, as Linux; off: every CPU allocates\n"
	      "                    from the cache's first partial slab)\n"
	      "  --sysctl vm.NAME=VALUE\n"
	      "                    set a vm sysctl before the guest starts (repeatable;\n"
	      "                    vm/NAME too): swappiness, overcommit_memory, panic_on_oom...\n"
	      "  --seed N          seed of all simulated randomness (default 0)\n"
	      "  --root DIR        read-only guest root file system (default: none, only stdio)\n"
	      "  --stdin FILE      the guest's standard input (default: empty)\n"
	      "  --stdout FILE     write the guest's stdout to FILE\n"
	      "  --stderr FILE     write the guest's stderr to FILE\n"
	      "  --trace FILE.db   record every event to a SQLite database (docs/trace-schema.md);\n"
	      "                    an existing FILE.db is refused unless --force\n"
	      "  --force           replace an existing --trace database\n"
	      "  --sample-every N  with --trace: sample vmstat, meminfo, zones, RSS... every N\n"
	      "                    guest instructions (default 1000000)\n"
	      "  --checkpoint-every N  with --trace: store the numbers of /proc's global views\n"
	      "                    every N events (default 32768), so `mmsim proc --at` reaches\n"
	      "                    any moment by reading at most N small changes\n"
	      "  --trace-level N   1: events (default), 2: also every TLB miss and walk\n"
	      "  --json            print the summary as one JSON object\n"
	      "  -o, --output FILE write the summary to FILE instead of stderr\n"
	      "  -q, --quiet       no summary\n"
	      "  --oom-score-adj PID_OR_COMM=N\n"
	      "                    oom_score_adj N (-1000..1000) for the process with that\n"
	      "                    pid, or every process with that command name (repeatable)\n\n"
	      "Several programs in one machine (sharing its memory):\n"
	      "  mmsim run [OPTIONS] -- [PER-PROGRAM OPTIONS] PROGRAM [ARGS...] ::: [PER-PROGRAM\n"
	      "            OPTIONS] PROGRAM [ARGS...] ...\n"
	      "  e.g., in the source tree (the guests of build/guest):\n"
	      "    build/tools/mmsim run --mem 64M -- build/guest/pressure hold 40 2000 ::: \\\n"
	      "      --oom-score-adj=-1000 build/guest/pressure grow 50\n"
	      "  holds 40 MiB in pid 1 while pid 2, which the OOM killer may not choose,\n"
	      "  grows to 50 MiB: pid 1 is killed (exit status 137).\n"
	      "  PER-PROGRAM OPTIONS: --oom-score-adj=N, --delay=INSNS (start once the machine's\n"
	      "  clock reads INSNS ns: 1 ns per instruction, plus any time every task spent\n"
	      "  waiting, as in sleep(1)).  Programs get pids 1, 2 ... in order; the run\n"
	      "  ends when all have exited and its exit status is the first program's.\n\n"
	      "PROGRAM is a host path; if it does not exist and --root is given it is\n"
	      "looked up inside the root (a bare name in /bin, /usr/bin, /sbin, /usr/sbin).\n"
	      "A \"#!\" script runs like execve runs it, with its interpreter looked up\n"
	      "inside --root (needed); the interpreter gets the script's path in the root.\n"
	      "The guest starts in the current directory if it lies inside --root, else /.\n"
	      "Simulated time: 1 ns per instruction, plus the waits when no task can run\n"
	      "(sleeps, swap I/O) and the time kswapd and direct reclaim take (scans, swap\n"
	      "writes); see docs/summary.md.  Exit status: the guest's own (128+N\n"
	      "if killed by signal N); 123 kernel panic (vm.panic_on_oom, or out of memory\n"
	      "with nothing killable), 124 instruction limit, 125 deadlock, 126 emulator\n"
	      "error, 2 bad arguments or program.\n",
	      f);
}

/* Options taking a value that map to a sim_config key. */
static const struct {
	const char *opt, *key;
} cfg_opts[] = {
	{ "--mem", "mem" },         { "--zones", "zones" },       { "--tlb", "tlb" },
	{ "--quantum", "quantum" }, { "--max-insns", "max_insns" }, { "--seed", "seed" },
	{ "--root", "root" },       { "--stdin", "stdin" },       { "--max-procs", "max_procs" },
	{ "--trace-level", "trace_level" }, { "--numa", "numa" },  { "--min-free-kbytes", "min_free_kbytes" },
	{ "--host-map-limit", "host_map_limit" }, { "--page-cache", "page_cache" },
	{ "--fastpath", "fastpath" }, { "--tmpfs-size", "tmpfs_size" },
	{ "--swap", "swap" },       { "--swap-latency", "swap_latency" }, { "--swap-file", "swap_file" },
	{ "--sysctl", "sysctl" },
	{ "--cpus", "cpus" },
	{ "--pcp", "pcp" },
	{ "--cpu-slab", "cpu_slab" },
};

/* Parse a per-program option "--oom-score-adj=N" or "--delay=INSNS" into
 * P.  Returns 1 if A is one, 0 if A is not an option (the program), -1
 * after a one-line error. */
static int prog_option(const char *a, struct run_prog *p)
{
	char *end;
	if (!strncmp(a, "--oom-score-adj=", 16)) {
		errno = 0;
		long v = strtol(a + 16, &end, 10);
		if (!a[16] || *end || errno || v < -1000 || v > 1000) {
			fprintf(stderr, "mmsim run: %s: oom_score_adj must be an integer from -1000 to 1000\n", a);
			return -1;
		}
		p->set_oom_score_adj = true;
		p->oom_score_adj = (int)v;
		return 1;
	}
	if (!strncmp(a, "--delay=", 8)) {
		errno = 0;
		unsigned long long v = strtoull(a + 8, &end, 0);
		if (!a[8] || *end || errno || a[8] == '-') {
			fprintf(stderr, "mmsim run: %s: the delay is a number of instructions\n", a);
			return -1;
		}
		p->delay = v;
		return 1;
	}
	if (!strcmp(a, "--oom-score-adj") || !strcmp(a, "--delay")) {
		fprintf(stderr, "mmsim run: %s: a per-program option takes its value after '=' (%s=N)\n", a, a);
		return -1;
	}
	if (!strncmp(a, "--", 2) && a[2] && access(a, F_OK)) { /* not a program either */
		fprintf(stderr, "mmsim run: unknown per-program option '%s' (--oom-score-adj=N, --delay=INSNS)\n", a);
		return -1;
	}
	return 0;
}

/* Split ARGV[FIRST..ARGC) into programs at each ":::" (the multi-program
 * syntax: [PER-PROGRAM OPTIONS] PROGRAM ARGS ::: ...).  Returns 0, or -1
 * after a one-line error. */
static int split_programs(struct run_options *o, char **argv, int first, int argc)
{
	int k = first;
	o->nr_progs = 0;
	while (k <= argc) {
		if (o->nr_progs == RUN_MAX_PROGRAMS) {
			fprintf(stderr, "mmsim run: at most %d programs in one machine\n", RUN_MAX_PROGRAMS);
			return -1;
		}
		struct run_prog *p = &o->progs[o->nr_progs];
		memset(p, 0, sizeof(*p));
		int r;
		while (k < argc && (r = prog_option(argv[k], p)) != 0) {
			if (r < 0)
				return -1;
			k++;
		}
		int start = k;
		while (k < argc && strcmp(argv[k], ":::"))
			k++;
		if (k == start) {
			fprintf(stderr, "mmsim run: %s\n",
				o->nr_progs ? "':::' must be followed by a program (see mmsim run --help)"
					    : "no PROGRAM given before ':::' (see mmsim run --help)");
			return -1;
		}
		p->program = argv[start];
		p->argv = argv + start;
		p->argc = k - start;
		o->nr_progs++;
		if (k == argc)
			break;
		argv[k++] = NULL; /* each program's argv ends there */
		if (k == argc) {
			fprintf(stderr, "mmsim run: ':::' must be followed by a program (see mmsim run --help)\n");
			return -1;
		}
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_options o;
	char err[512], cmdline[2048];
	const char *output = NULL;
	int i;

	memset(&o, 0, sizeof(o));
	sim_config_default(&o.cfg);
	size_t used = (size_t)snprintf(cmdline, sizeof(cmdline), "mmsim");
	for (int k = 0; k < argc && used < sizeof(cmdline) - 1; k++) {
		int w = snprintf(cmdline + used, sizeof(cmdline) - used, " %s", argv[k]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--json")) {
			o.json = true;
			continue;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o.quiet = true;
			continue;
		}
		if (!strcmp(a, "--force")) {
			o.force = true;
			continue;
		}
		/* --opt=value or --opt value */
		char name[64];
		const char *val = NULL, *eq = strchr(a, '=');
		if (eq && (size_t)(eq - a) < sizeof(name)) {
			memcpy(name, a, (size_t)(eq - a));
			name[eq - a] = '\0';
			val = eq + 1;
		} else {
			snprintf(name, sizeof(name), "%s", a);
		}
		bool known = false;
		for (size_t k = 0; k < sizeof(cfg_opts) / sizeof(cfg_opts[0]); k++)
			if (!strcmp(name, cfg_opts[k].opt))
				known = true;
		known = known || !strcmp(name, "--trace") || !strcmp(name, "--sample-every") || !strcmp(name, "--stdout") ||
			!strcmp(name, "--checkpoint-every") ||
			!strcmp(name, "--stderr") || !strcmp(name, "-o") || !strcmp(name, "--output") || !strcmp(name, "--oom-score-adj");
		if (!known) {
			fprintf(stderr, "mmsim run: unknown option '%s' (see mmsim run --help)\n", a);
			return 2;
		}
		if (!val) {
			if (i + 1 >= argc) {
				fprintf(stderr, "mmsim run: option '%s' needs a value\n", a);
				return 2;
			}
			val = argv[++i];
		}
		if (!strcmp(name, "--trace"))
			o.trace_path = val;
		else if (!strcmp(name, "--sample-every") || !strcmp(name, "--checkpoint-every")) {
			char *end;
			unsigned long long n = strtoull(val, &end, 0);
			if (!*val || *end || val[0] == '-' || n == 0) {
				fprintf(stderr, "mmsim run: %s: '%s' is not a positive number\n", name, val);
				return 2;
			}
			*(name[2] == 's' ? &o.sample_every : &o.checkpoint_every) = n;
		}
		else if (!strcmp(name, "--stdout"))
			o.stdout_path = val;
		else if (!strcmp(name, "--stderr"))
			o.stderr_path = val;
		else if (!strcmp(name, "-o") || !strcmp(name, "--output"))
			output = val;
		else if (!strcmp(name, "--oom-score-adj")) {
			if (o.nr_oom_rules == RUN_MAX_OOM_RULES) {
				fprintf(stderr, "mmsim run: --oom-score-adj: at most %d rules\n", RUN_MAX_OOM_RULES);
				return 2;
			}
			if (oom_adj_rule_parse(val, &o.oom_rules[o.nr_oom_rules++], err, sizeof(err)) != 0) {
				fprintf(stderr, "mmsim run: --oom-score-adj: %s\n", err);
				return 2;
			}
		}
		else
			for (size_t k = 0; k < sizeof(cfg_opts) / sizeof(cfg_opts[0]); k++)
				if (!strcmp(name, cfg_opts[k].opt) &&
				    sim_config_set(&o.cfg, cfg_opts[k].key, val, err, sizeof(err)) != 0) {
					fprintf(stderr, "mmsim run: %s: %s\n", name,
						sim_config_error_text(err, cfg_opts[k].key, name + 2));
					return 2;
				}
	}
	if (i >= argc) {
		fprintf(stderr, "mmsim run: no PROGRAM given (see mmsim run --help)\n");
		return 2;
	}
	if (split_programs(&o, argv, i, argc) != 0)
		return 2;
	o.program = o.progs[0].program;
	o.argv = o.progs[0].argv;
	o.argc = o.progs[0].argc;
	o.cmdline = cmdline;
	o.progress = isatty(2) && !o.quiet;
	const char *const files[][2] = { { "-o", output }, { "--stdout", o.stdout_path }, { "--stderr", o.stderr_path },
					 { "--stdin", o.cfg.stdin_path[0] ? o.cfg.stdin_path : NULL } };
	if (tracedb_check_run_files(o.trace_path, files, 4) != 0)
		return 2;
	FILE *sout = NULL;
	if (output) {
		sout = fopen(output, "w");
		if (!sout) {
			fprintf(stderr, "mmsim run: %s: cannot open for writing: %s\n", output, strerror(errno));
			return 2;
		}
		o.summary_out = sout;
	}
	int rc = run_program(&o);
	if (sout) {
		bool bad = ferror(sout);
		if (fclose(sout) != 0 || bad) {
			fprintf(stderr, "mmsim run: %s: cannot write the summary: %s\n", output, strerror(errno ? errno : EIO));
			if (rc == 0)
				rc = 2;
		}
	}
	return rc;
}
