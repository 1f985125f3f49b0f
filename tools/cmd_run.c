/* tools/cmd_run.c - `mmsim run`: parse the command line into struct
 * run_options and hand over to run_program() (sim/run.h). */
#include "tools/cmd_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/config.h"
#include "sim/run.h"

static void usage(FILE *f)
{
	fputs("usage: mmsim run [OPTIONS] [--] PROGRAM [ARGS...]\n"
	      "Run a static x86-64 Linux program on the simulated machine, then print\n"
	      "a perf-stat-like summary on stderr.\n\n"
	      "  --mem SIZE        simulated RAM (default 256M)\n"
	      "  --zones SPEC      zone layout, e.g. DMA:16M,DMA32:1G,Normal:1G\n"
	      "  --numa 1|2        NUMA nodes (default 1)\n"
	      "  --min-free-kbytes N\n"
	      "                    vm.min_free_kbytes (default: Linux's formula)\n"
	      "  --tlb SPEC        TLB configuration (see docs/tlb.md)\n"
	      "  --quantum N       scheduler time slice in guest instructions (default 100000)\n"
	      "  --max-insns N     stop after N guest instructions (exit code 124)\n"
	      "  --max-procs N     process limit; fork fails with EAGAIN beyond it (default 64)\n"
	      "  --host-map-limit N\n"
	      "                    host mappings (VMAs) guest memory may use (default 0:\n"
	      "                    vm.max_map_count - 4096); beyond it the run stops (126)\n"
	      "  --page-cache warm|cold\n"
	      "                    page cache at start (default warm: every program and\n"
	      "                    file the guest execs or mmaps is already cached, as on\n"
	      "                    a native rerun; cold: first touches are major faults)\n"
	      "  --fastpath on|off the engine's same-block shortcut (default on; off checks\n"
	      "                    every block in full: same results, slower; for testing)\n"
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
	      "  --trace-level N   1: events (default), 2: also every TLB miss and walk\n"
	      "  --json            print the summary as one JSON object\n"
	      "  -o, --output FILE write the summary to FILE instead of stderr\n"
	      "  -q, --quiet       no summary\n\n"
	      "PROGRAM is a host path; if it does not exist and --root is given it is\n"
	      "looked up inside the root (a bare name in /bin, /usr/bin, /sbin, /usr/sbin).\n"
	      "A \"#!\" script runs like execve runs it, with its interpreter looked up\n"
	      "inside --root (needed); the interpreter gets the script's path in the root.\n"
	      "The guest starts in the current directory if it lies inside --root, else /.\n"
	      "Simulated time: 1 instruction = 1 ns.  Exit status: the guest's own (128+N\n"
	      "if killed by signal N); 124 instruction limit, 125 deadlock, 126 emulator\n"
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
	{ "--fastpath", "fastpath" },
};

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
		known = known || !strcmp(name, "--trace") || !strcmp(name, "--sample-every") || !strcmp(name, "--stdout") || !strcmp(name, "--stderr") ||
			!strcmp(name, "-o") || !strcmp(name, "--output");
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
		else if (!strcmp(name, "--sample-every")) {
			char *end;
			unsigned long long n = strtoull(val, &end, 0);
			if (!*val || *end || val[0] == '-' || n == 0) {
				fprintf(stderr, "mmsim run: --sample-every: '%s' is not a positive number\n", val);
				return 2;
			}
			o.sample_every = n;
		}
		else if (!strcmp(name, "--stdout"))
			o.stdout_path = val;
		else if (!strcmp(name, "--stderr"))
			o.stderr_path = val;
		else if (!strcmp(name, "-o") || !strcmp(name, "--output"))
			output = val;
		else
			for (size_t k = 0; k < sizeof(cfg_opts) / sizeof(cfg_opts[0]); k++)
				if (!strcmp(name, cfg_opts[k].opt) &&
				    sim_config_set(&o.cfg, cfg_opts[k].key, val, err, sizeof(err)) != 0) {
					fprintf(stderr, "mmsim run: %s: %s\n", name, err);
					return 2;
				}
	}
	if (i >= argc) {
		fprintf(stderr, "mmsim run: no PROGRAM given (see mmsim run --help)\n");
		return 2;
	}
	o.program = argv[i];
	o.argv = argv + i;
	o.argc = argc - i;
	o.cmdline = cmdline;
	o.progress = isatty(2) && !o.quiet;
	FILE *sout = NULL;
	if (output) {
		sout = fopen(output, "w");
		if (!sout) {
			fprintf(stderr, "mmsim run: %s: cannot open for writing\n", output);
			return 2;
		}
		o.summary_out = sout;
	}
	int rc = run_program(&o);
	if (sout)
		fclose(sout);
	return rc;
}
