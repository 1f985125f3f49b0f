/* tools/cmd_refs.c - `mmsim refs`: run a reference string through a
 * replacement policy over a fixed number of frames (FIFO, LRU, OPT, UNOPT,
 * CLOCK, RAND, LFU, MRU, or a plug-in), or through one TLB array, and
 * print every step, so a student can check a hand-worked answer in one
 * command.  The flags of OSTEP's paging-policy.py are accepted, and
 * --format ostep prints exactly its lines (docs/refs.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tools/policy_plugin.h"
#include "tools/pyrandom.h"
#include "tools/reftrace.h"
#include "tools/refs_print.h"
#include "tools/scenario.h"

int cmd_refs(int argc, char **argv);

enum refs_format { FMT_STEPS, FMT_TABLE, FMT_OSTEP, FMT_SUMMARY };

struct refs_cmd {
	const char *addresses;     /* -a (NULL: none given) */
	const char *addressfile;   /* -f */
	const char *trace;         /* --trace */
	uint64_t page_size;
	int pid;                   /* --pid: keep only this PID's accesses (-1: all) */
	long numaddrs, maxpage;
	const char *policy;
	int frames;
	long clockbits;            /* -1: the default */
	uint64_t seed;
	bool compute, notrace, all;
	enum refs_format format;
	const char *plugin;
	struct plugin_limits lim;
	const char *tlb;           /* "ENTRIES:WAYS" */
	long expect_faults;        /* -1: none */
	char *joined;              /* positional reference-string words, joined */
	/* the reference string */
	uint64_t *page;
	char *kind;
	size_t n, cap;
	bool hex, generated;
};

static void refs_help(FILE *f)
{
	fputs("usage: mmsim refs [OPTIONS] [REFERENCE-STRING]\n"
	      "\n"
	      "Run a reference string through a page-replacement policy over a fixed number\n"
	      "of frames and print, for every reference, hit or miss, the page evicted, the\n"
	      "frames and the policy's order, then the hit rate.  The string is page numbers\n"
	      "separated by commas or blanks (decimal or 0x hex), each optionally marked\n"
	      "w: (a write: dirty evictions are counted) or r:/x:.\n"
	      "\n"
	      "  mmsim refs --policy LRU --frames 3 1,2,3,4,1,2,5,1,2,3,4,5\n"
	      "  mmsim refs -p FIFO -C 4 -a 1,2,3,4,1,2,5,1,2,3,4,5 --format table\n"
	      "  mmsim refs -p all --frames 3 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1\n"
	      "  mmsim refs --tlb 8:2 --policy plru 0,8,16,0,24,8\n"
	      "  mmsim refs --policy-plugin build/examples/plugins/clock_plugin.so -C 3 1,2,3,1,4\n"
	      "\n"
	      "Reference string (one of; OSTEP paging-policy.py's flags):\n"
	      "  REFERENCE-STRING        on the command line\n"
	      "  -a, --addresses=LIST    the same; -1: generate -n pages below -m at random\n"
	      "  -f, --addressfile=FILE  a file of page numbers ('#' comments)\n"
	      "  --trace FILE            an address trace: R|W|X ADDR [PID] lines or valgrind\n"
	      "                          lackey --trace-mem=yes output; pages are ADDR /\n"
	      "                          --page-size (default 4096), per PID\n"
	      "  --pid N                 with --trace: only process N's accesses\n"
	      "  -n, --numaddrs=N        pages to generate (default 10)\n"
	      "  -m, --maxpage=N         generated pages are below N (default 10)\n"
	      "  -s, --seed=N            seed of generation, RAND and OSTEP's CLOCK (default 0)\n"
	      "With no reference string the pages are generated, as paging-policy.py does.\n"
	      "\n"
	      "Policy:\n"
	      "  -p, --policy=NAME       FIFO (default), LRU, OPT, UNOPT, CLOCK, RAND, LFU, MRU,\n"
	      "                          or all (one summary line each)\n"
	      "  -C, --cachesize=N, --frames=N   frames (default 3)\n"
	      "  -b, --clockbits=N       CLOCK's use-counter maximum (default 1; 2 with\n"
	      "                          --format ostep, as paging-policy.py)\n"
	      "  --policy-plugin FILE.so a plug-in (docs/plugins.md), run sandboxed with\n"
	      "  --cpu-limit SECONDS (default 5), --time-limit SECONDS (default 10) and\n"
	      "  --mem-limit SIZE (default 256M)\n"
	      "  --tlb ENTRIES:WAYS      a TLB array of the simulator instead of frames: page P\n"
	      "                          goes to set P mod (ENTRIES/WAYS); --policy plru, lru,\n"
	      "                          fifo or random (mmu/tlb.c's policies; docs/tlb.md)\n"
	      "\n"
	      "Output:\n"
	      "  --format=steps          a line per reference (the default)\n"
	      "  --format=table          the textbook grid: a column per reference\n"
	      "  --format=ostep, --ostep paging-policy.py's exact output (with its ARG lines;\n"
	      "                          without -c, the questions only)\n"
	      "  --format=summary        the totals only\n"
	      "  -c, --compute           (ostep format) print the answers\n"
	      "  -N, --notrace           (ostep format) only the final statistics\n"
	      "  --expect-faults=N       exit 1 unless the run takes N page faults (misses)\n"
	      "\n"
	      "Exit status: 0 done (and --expect-faults held); 1 --expect-faults differs or\n"
	      "the plug-in failed (one line saying why); 2 bad arguments or input (a\n"
	      "missing plug-in file included).\n",
	      f);
}

static int add_ref(struct refs_cmd *c, uint64_t page, char kind)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		uint64_t *p = realloc(c->page, cap * sizeof *p);
		if (!p)
			return -1;
		c->page = p;
		char *k = realloc(c->kind, cap);
		if (!k)
			return -1;
		c->kind = k;
		c->cap = cap;
	}
	c->page[c->n] = page;
	c->kind[c->n++] = kind;
	return 0;
}

/* Parse a reference string TEXT from SRC ("command line" or a file name):
 * numbers (or KIND:number) separated by commas, blanks, newlines; '#'
 * comments.  Returns 0, or 2 after printing "SRC:LINE:COL: message". */
static int parse_string(struct refs_cmd *c, const char *text, const char *src, bool file)
{
	int line = 1;
	const char *ls = text;
	bool item_due = true; /* at the start, or after a comma: an item must come */
	bool comma = false;   /* ... after a comma */
	for (const char *p = text;; ) {
		if ((*p == ',' && item_due) || (!*p && comma)) {
			/* "1,,2", ",1" or "1,": an empty item */
			if (file)
				fprintf(stderr, "mmsim refs: %s:%d:%d: an empty item (two commas, or one at an end)\n", src,
					line, (int)(p - ls) + 1);
			else
				fprintf(stderr, "mmsim refs: reference %zu of '%s' is empty (two commas, or one at an end)\n",
					c->n + 1, text);
			return 2;
		}
		if (!*p)
			break;
		if (*p == '\n') {
			line++;
			ls = ++p;
			continue;
		}
		if (*p == ',' || *p == ' ' || *p == '\t' || *p == '\r') {
			if (*p == ',')
				item_due = comma = true;
			p++;
			continue;
		}
		item_due = comma = false;
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		const char *t = p;
		while (*p && !strchr(",# \t\r\n", *p))
			p++;
		char tok[128];
		size_t len = (size_t)(p - t) < sizeof tok - 1 ? (size_t)(p - t) : sizeof tok - 1;
		memcpy(tok, t, len);
		tok[len] = 0;
		char kind = 'R';
		const char *num = tok;
		if (len > 2 && tok[1] == ':' && strchr("rwxRWX", tok[0])) {
			kind = (char)(tok[0] & ~0x20);
			num += 2;
		}
		char *end;
		errno = 0;
		unsigned long long v = strtoull(num, &end, 0);
		if (!*num || *end || errno || *num == '-' || *num == '+') {
			if (file)
				fprintf(stderr, "mmsim refs: %s:%d:%d: '%s' is not a page number (decimal or 0x hex, "
					"optionally w: r: x:)\n", src, line, (int)(t - ls) + 1, tok);
			else
				fprintf(stderr, "mmsim refs: reference %zu ('%s') is not a page number (decimal or 0x "
					"hex, optionally w: r: x:)\n", c->n + 1, tok);
			return 2;
		}
		if (v == POLICY_EMPTY) {
			fprintf(stderr, "mmsim refs: %s: page %llu is reserved\n", src, v);
			return 2;
		}
		if (add_ref(c, v, kind)) {
			fprintf(stderr, "mmsim refs: out of memory\n");
			return 2;
		}
	}
	return 0;
}

/* Read PATH whole (NUL-free text).  NULL after printing why
 * ("mmsim refs: PATH: cannot open: ..."). */
static char *read_text(const char *path)
{
	struct scenario sc;
	char *msg = NULL;
	size_t len = 0;
	memset(&sc, 0, sizeof sc);
	sc.errprefix = "";
	sc.errf = open_memstream(&msg, &len);
	if (!sc.errf)
		sc.errf = stderr;
	char *t = scenario_read_file(&sc, path);
	if (sc.errf != stderr) {
		fclose(sc.errf);
		if (len)
			fprintf(stderr, "mmsim refs: %s", msg);
		free(msg);
	}
	return t;
}

/* Load --trace: pages ADDR / page_size, distinct per PID. */
static int load_trace(struct refs_cmd *c)
{
	char *text = read_text(c->trace);
	if (!text)
		return 2;
	struct reftrace t = {0};
	char err[512];
	int rc = 0;
	if (reftrace_parse(text, c->trace, c->page_size, &t, err, sizeof err)) {
		fprintf(stderr, "mmsim refs: %s\n", err);
		rc = 2;
	}
	for (size_t i = 0; !rc && i < t.n; i++) {
		if (c->pid >= 0 && t.a[i].pid != c->pid)
			continue;
		uint64_t vpn = t.a[i].addr / c->page_size;
		uint64_t key = vpn & ((1ULL << 40) - 1);
		if (t.a[i].pid >= 0)
			key |= (uint64_t)(t.a[i].pid + 1) << 40;
		if (add_ref(c, key, t.a[i].kind))
			rc = 2;
	}
	reftrace_free(&t);
	free(text);
	c->hex = true;
	return rc;
}

static int parse_long(const char *opt, const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 0);
	if (!*v || *end || errno || x < min || x > max) {
		fprintf(stderr, "mmsim refs: %s '%s': expected a number from %ld to %ld\n", opt, v, min, max);
		return 2;
	}
	*out = x;
	return 0;
}

static int parse_seconds(const char *opt, const char *v, double *out)
{
	char *end;
	double x = strtod(v, &end);
	if (!*v || *end || !(x > 0) || x > 86400) {
		fprintf(stderr, "mmsim refs: %s '%s': expected seconds (> 0)\n", opt, v);
		return 2;
	}
	*out = x;
	return 0;
}

static int parse_size(const char *opt, const char *v, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 0);
	unsigned long long m = 1;
	if (*end == 'K' || *end == 'k')
		m = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		m = 1024 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		m = 1024ULL * 1024 * 1024, end++;
	if (!*v || *end || errno || x == 0 || x > (1ULL << 40) / m) {
		fprintf(stderr, "mmsim refs: %s '%s': expected a size (K, M, G suffixes)\n", opt, v);
		return 2;
	}
	*out = (size_t)(x * m);
	return 0;
}

/* Match option NAME (with its short form SHORT, may be NULL) at argv[*i];
 * *VAL gets its value ("--name=V", "--name V", "-xV", "-x V").  Returns 1
 * on a match, 0 if not this option, -1 after printing a missing value. */
static int opt_val(int argc, char **argv, int *i, const char *name, const char *shrt, const char **val)
{
	const char *a = argv[*i];
	size_t nl = strlen(name);
	if (!strncmp(a, name, nl) && a[nl] == '=') {
		*val = a + nl + 1;
		return 1;
	}
	bool exact = !strcmp(a, name) || (shrt && !strcmp(a, shrt));
	if (!exact && shrt && !strncmp(a, shrt, 2) && a[2]) {
		*val = a + 2;
		return 1;
	}
	if (!exact)
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "mmsim refs: %s needs a value (see mmsim refs --help)\n", a);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

static int append_joined(struct refs_cmd *c, const char *w)
{
	size_t old = c->joined ? strlen(c->joined) : 0;
	char *j = realloc(c->joined, old + strlen(w) + 2);
	if (!j)
		return -1;
	if (!old)
		j[0] = 0;
	else
		strcat(j, " ");
	strcat(j, w);
	c->joined = j;
	return 0;
}

/* Parse the command line into C.  Returns 0, 2 (error printed) or -1 (help
 * printed). */
static int parse_args(struct refs_cmd *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		long x;
		int m;
#define OPT(name, shrt) ((m = opt_val(argc, argv, &i, name, shrt, &v)) != 0)
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			refs_help(stdout);
			return -1;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--compute")) {
			c->compute = true;
		} else if (!strcmp(a, "-N") || !strcmp(a, "--notrace")) {
			c->notrace = true;
		} else if (!strcmp(a, "--ostep")) {
			c->format = FMT_OSTEP;
		} else if (OPT("--addresses", "-a")) {
			if (m < 0)
				return 2;
			c->addresses = v;
		} else if (OPT("--addressfile", "-f")) {
			if (m < 0)
				return 2;
			c->addressfile = v;
		} else if (OPT("--trace", NULL)) {
			if (m < 0)
				return 2;
			c->trace = v;
		} else if (OPT("--page-size", NULL)) {
			size_t ps;
			if (m < 0 || parse_size("--page-size", v, &ps))
				return 2;
			if (ps & (ps - 1)) {
				fprintf(stderr, "mmsim refs: --page-size %s: not a power of two\n", v);
				return 2;
			}
			c->page_size = ps;
		} else if (OPT("--pid", NULL)) {
			if (m < 0 || parse_long("--pid", v, 0, 0x7fffffff, &x))
				return 2;
			c->pid = (int)x;
		} else if (OPT("--numaddrs", "-n")) {
			if (m < 0 || parse_long("--numaddrs", v, 0, 10000000, &c->numaddrs))
				return 2;
		} else if (OPT("--maxpage", "-m")) {
			if (m < 0 || parse_long("--maxpage", v, 1, 1L << 40, &c->maxpage))
				return 2;
		} else if (OPT("--seed", "-s")) {
			if (m < 0 || parse_long("--seed", v, 0, 0x7fffffffffffffffL, &x))
				return 2;
			c->seed = (uint64_t)x;
		} else if (OPT("--policy", "-p")) {
			if (m < 0)
				return 2;
			c->policy = v;
		} else if (OPT("--cachesize", "-C") || OPT("--frames", NULL)) {
			if (m < 0 || parse_long(a, v, 1, 1 << 20, &x))
				return 2;
			c->frames = (int)x;
		} else if (OPT("--clockbits", "-b")) {
			if (m < 0 || parse_long("--clockbits", v, 1, 1 << 20, &c->clockbits))
				return 2;
		} else if (OPT("--format", NULL)) {
			if (m < 0)
				return 2;
			if (!strcmp(v, "steps"))
				c->format = FMT_STEPS;
			else if (!strcmp(v, "table"))
				c->format = FMT_TABLE;
			else if (!strcmp(v, "ostep"))
				c->format = FMT_OSTEP;
			else if (!strcmp(v, "summary"))
				c->format = FMT_SUMMARY;
			else {
				fprintf(stderr, "mmsim refs: --format %s: expected steps, table, ostep or summary\n", v);
				return 2;
			}
		} else if (OPT("--policy-plugin", NULL)) {
			if (m < 0)
				return 2;
			c->plugin = v;
		} else if (OPT("--cpu-limit", NULL)) {
			if (m < 0 || parse_seconds("--cpu-limit", v, &c->lim.cpu_seconds))
				return 2;
		} else if (OPT("--time-limit", NULL)) {
			if (m < 0 || parse_seconds("--time-limit", v, &c->lim.wall_seconds))
				return 2;
		} else if (OPT("--mem-limit", NULL)) {
			if (m < 0 || parse_size("--mem-limit", v, &c->lim.mem_bytes))
				return 2;
		} else if (OPT("--tlb", NULL)) {
			if (m < 0)
				return 2;
			c->tlb = v;
		} else if (OPT("--expect-faults", NULL)) {
			if (m < 0 || parse_long("--expect-faults", v, 0, 0x7fffffffffffffffL, &c->expect_faults))
				return 2;
		} else if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				if (append_joined(c, argv[i]))
					return 2;
		} else if (a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9')) {
			fprintf(stderr, "mmsim refs: unknown option '%s' (see mmsim refs --help)\n", a);
			return 2;
		} else if (append_joined(c, a)) {
			return 2;
		}
#undef OPT
	}
	return 0;
}

/* Build the reference string from whichever source was given.  Returns 0
 * or 2. */
static int load_refs(struct refs_cmd *c)
{
	int given = !!c->joined + !!c->addresses + !!c->addressfile + !!c->trace;
	if (given > 1) {
		fprintf(stderr, "mmsim refs: give one reference string (a list, -a, -f or --trace)\n");
		return 2;
	}
	if (c->joined)
		return parse_string(c, c->joined, "command line", false);
	if (c->addressfile) {
		char *text = read_text(c->addressfile);
		if (!text)
			return 2;
		int rc = parse_string(c, text, c->addressfile, true);
		free(text);
		return rc;
	}
	if (c->trace)
		return load_trace(c);
	if (c->addresses && strcmp(c->addresses, "-1"))
		return parse_string(c, c->addresses, "--addresses", false);
	/* paging-policy.py: int(maxpage * random.random()), numaddrs times */
	struct pyrandom r;
	pyrandom_seed(&r, c->seed);
	for (long i = 0; i < c->numaddrs; i++)
		if (add_ref(c, (uint64_t)(c->maxpage * pyrandom_random(&r)), 'R'))
			return 2;
	c->generated = true;
	return 0;
}

static const char *order_label(enum policy_kind k, bool ostep)
{
	switch (k) {
	case POLICY_FIFO: return "first in -> last in";
	case POLICY_LRU:
	case POLICY_MRU:
	case POLICY_LFU: return "LRU -> MRU";
	case POLICY_CLOCK: return ostep ? "list" : "from the hand";
	default: return "list";
	}
}

/* paging-policy.py's ARG lines. */
static void print_ostep_args(const struct refs_cmd *c, unsigned clockbits)
{
	printf("ARG addresses %s\n", c->addresses ? c->addresses : c->joined ? c->joined : "-1");
	printf("ARG addressfile %s\n", c->addressfile ? c->addressfile : "");
	printf("ARG numaddrs %ld\n", c->numaddrs);
	printf("ARG policy %s\n", c->policy);
	printf("ARG clockbits %u\n", clockbits);
	printf("ARG cachesize %d\n", c->frames);
	printf("ARG maxpage %ld\n", c->maxpage);
	printf("ARG seed %llu\n", (unsigned long long)c->seed);
	printf("ARG notrace %s\n\n", c->notrace ? "True" : "False");
}

/* Run and print.  Returns the exit status. */
static int run(struct refs_cmd *c)
{
	struct policy_refs refs = {c->n, c->page, c->kind};
	struct policy_result res;
	struct refs_view view = {.hex = c->hex};
	char err[512];
	bool ostep = c->format == FMT_OSTEP;
	enum policy_kind k = POLICY_FIFO;
	struct policy_opts o;
	policy_opts_default(&o);
	o.clockbits = c->clockbits >= 0 ? (unsigned)c->clockbits : ostep ? 2 : 1;
	o.seed = c->seed;
	o.ostep = ostep;
	o.skip_draws = c->generated ? (unsigned long)c->numaddrs : 0;
	if (c->plugin) {
		if (ostep) {
			fprintf(stderr, "mmsim refs: --format ostep is for the built-in policies\n");
			return 2;
		}
		unsigned entries = (unsigned)c->frames, ways = (unsigned)c->frames;
		char tail;
		if (c->tlb && (sscanf(c->tlb, "%u:%u%c", &entries, &ways, &tail) != 2 || !ways || !entries ||
			       entries % ways)) {
			fprintf(stderr, "mmsim refs: --tlb %s: expected ENTRIES:WAYS, ENTRIES a multiple of WAYS\n", c->tlb);
			return 2;
		}
		struct stat st;
		/* A wrong file name is bad usage (2), not a failed plug-in (1). */
		if (stat(c->plugin, &st)) {
			fprintf(stderr, "mmsim refs: --policy-plugin %s: %s\n", c->plugin, strerror(errno));
			return 2;
		}
		if (!S_ISREG(st.st_mode)) {
			fprintf(stderr, "mmsim refs: --policy-plugin %s: not a regular file\n", c->plugin);
			return 2;
		}
		if (policy_plugin_run_sets(c->plugin, &refs, entries / ways, ways, c->seed, &c->lim, &res, err,
					   sizeof err)) {
			fprintf(stderr, "mmsim refs: plug-in %s failed: %s\n", c->plugin, err);
			return 1;
		}
		if (c->tlb)
			view.tlb_ways = ways;
	} else if (c->tlb) {
		unsigned entries, ways;
		char tail;
		if (sscanf(c->tlb, "%u:%u%c", &entries, &ways, &tail) != 2) {
			fprintf(stderr, "mmsim refs: --tlb %s: expected ENTRIES:WAYS (e.g. 64:4)\n", c->tlb);
			return 2;
		}
		if (ostep) {
			fprintf(stderr, "mmsim refs: --format ostep is for the frame policies, not --tlb\n");
			return 2;
		}
		const char *pol = c->policy ? c->policy : "plru";
		char low[32];
		snprintf(low, sizeof low, "%s", pol);
		for (char *p = low; *p; p++)
			*p = (char)(*p | 0x20);
		if (policy_tlb_run(&refs, entries, ways, low, c->seed, &res, err, sizeof err)) {
			fprintf(stderr, "mmsim refs: --tlb %s: %s\n", c->tlb, err);
			return 2;
		}
		view.tlb_ways = ways;
	} else {
		if (!c->policy)
			c->policy = "FIFO";
		if (policy_kind_parse(c->policy, &k)) {
			fprintf(stderr, "mmsim refs: unknown policy '%s' (FIFO, LRU, OPT, UNOPT, CLOCK, RAND, LFU, MRU, all)\n",
				c->policy);
			return 2;
		}
		if (ostep) {
			print_ostep_args(c, o.clockbits);
			if (!c->compute) {
				printf("Assuming a replacement policy of %s, and a cache of size %d pages,\n", c->policy,
				       c->frames);
				printf("figure out whether each of the following page references hit or miss\n");
				printf("in the page cache.\n\n");
				for (size_t i = 0; i < c->n; i++)
					printf("Access: %lld  Hit/Miss?  State of Memory?\n", (long long)c->page[i]);
				printf("\n");
				return 0;
			}
		}
		if (policy_sim_run(k, &refs, c->frames, &o, &res)) {
			fprintf(stderr, "mmsim refs: out of memory\n");
			return 2;
		}
		view.order_label = order_label(k, ostep);
	}
	int rc = 0;
	char head[160];
	if (c->tlb && c->plugin)
		snprintf(head, sizeof head, "TLB %s %s, %zu references", c->tlb, res.policy, res.n);
	else if (c->tlb)
		snprintf(head, sizeof head, "%s, %zu references", res.policy, res.n);
	else
		snprintf(head, sizeof head, "%s, %d frame%s, %zu references", res.policy, res.nframes,
			 res.nframes == 1 ? "" : "s", res.n);
	switch (c->format) {
	case FMT_OSTEP: {
		const char *l = "Left ", *r = "Right";
		if (k == POLICY_FIFO)
			l = "FirstIn", r = "Lastin ";
		else if (k == POLICY_LRU || k == POLICY_MRU)
			l = "LRU", r = "MRU";
		refs_print_ostep(stdout, &res, l, r, c->notrace);
		break;
	}
	case FMT_TABLE:
		printf("%s\n", head);
		if (refs_print_table(stdout, &view, &res)) {
			fprintf(stderr, "mmsim refs: --format table: too many references x frames to tabulate\n");
			rc = 2;
		}
		break;
	case FMT_SUMMARY:
		printf("%s: ", head);
		refs_print_totals(stdout, &view, &res);
		break;
	default:
		printf("%s\n", head);
		refs_print_steps(stdout, &view, &res);
		break;
	}
	if (!rc && c->expect_faults >= 0 && (long)res.misses != c->expect_faults) {
		fprintf(stderr, "mmsim refs: expected %ld page faults, the run takes %lu\n", c->expect_faults, res.misses);
		rc = 1;
	}
	policy_result_free(&res);
	return rc;
}

/* --policy all: one summary line per built-in policy. */
static int run_all(struct refs_cmd *c)
{
	struct policy_refs refs = {c->n, c->page, c->kind};
	struct policy_opts o;
	policy_opts_default(&o);
	o.clockbits = c->clockbits >= 0 ? (unsigned)c->clockbits : 1;
	o.seed = c->seed;
	printf("%d frame%s, %zu references\n", c->frames, c->frames == 1 ? "" : "s", c->n);
	printf("%-24s %8s %8s %8s\n", "policy", "hits", "faults", "hit rate");
	for (int k = 0; k < POLICY_NR; k++) {
		struct policy_result res;
		if (policy_sim_run((enum policy_kind)k, &refs, c->frames, &o, &res)) {
			fprintf(stderr, "mmsim refs: out of memory\n");
			return 2;
		}
		printf("%-24s %8lu %8lu %7.2f%%\n", res.policy, res.hits, res.misses, res.hit_rate);
		policy_result_free(&res);
	}
	return 0;
}

int cmd_refs(int argc, char **argv)
{
	struct refs_cmd c = {.page_size = 4096, .pid = -1, .numaddrs = 10, .maxpage = 10, .frames = 3,
			     .clockbits = -1, .expect_faults = -1};
	int rc = parse_args(&c, argc, argv);
	if (rc)
		goto out;
	if (c.format == FMT_OSTEP && (c.plugin || c.tlb)) {
		fprintf(stderr, "mmsim refs: --format ostep is for the built-in frame policies\n");
		rc = 2;
		goto out;
	}
	rc = load_refs(&c);
	if (rc)
		goto out;
	if (c.format != FMT_OSTEP && c.generated)
		printf("(no reference string given: %ld pages generated below %ld with seed %llu)\n", c.numaddrs,
		       c.maxpage, (unsigned long long)c.seed);
	if (c.policy && !strcasecmp(c.policy, "all") && !c.plugin && !c.tlb)
		rc = run_all(&c);
	else
		rc = run(&c);
out:
	free(c.joined);
	free(c.page);
	free(c.kind);
	return rc < 0 ? 0 : rc;
}
