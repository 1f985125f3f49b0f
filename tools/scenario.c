/* tools/scenario.c - the scenario engine: two passes over the script (check,
 * then run), the command tables, handles, the core commands (config, echo,
 * expect, expect_fail, show) and the stat-provider chain.
 *
 * Every command's run() is called twice per line: once with sc->checking
 * set and no machine (it only parses its arguments, so every syntax error
 * in the file is reported before anything runs), then for real.  The
 * machine is built when the first non-config command runs, so all `config`
 * lines apply; they must come first.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/scenario.h"

static const struct scenario_cmd *const cmd_tables[] = {
	scenario_core_cmds,
	scenario_mm_cmds,
	scenario_question_cmds,
	scenario_task_cmds,
	scenario_proc_cmds,
	scenario_zone_cmds,
#ifdef HAVE_SCENARIO_MMU
	scenario_mmu_cmds,
#endif
};
#define NR_TABLES (sizeof cmd_tables / sizeof cmd_tables[0])

/* The table that holds command C, or NULL. */
static const struct scenario_cmd *table_of(const struct scenario_cmd *c)
{
	for (size_t t = 0; t < NR_TABLES; t++) {
		const struct scenario_cmd *e = cmd_tables[t];
		while (e->name)
			e++;
		if (c >= cmd_tables[t] && c < e)
			return cmd_tables[t];
	}
	return NULL;
}

/* The command NAME with first argument ARG1 (or NULL).  Two extensions
 * may both define a command (mmap, touch, fork and exit exist for `task`
 * address spaces and for `process`es): when ARG1 names a handle, the one
 * from the table whose command defined that handle is chosen, else the
 * first.  Returns NULL for an unknown name. */
static const struct scenario_cmd *find_cmd_for(struct scenario *sc, const char *name, const char *arg1)
{
	const struct scenario_cmd *first = NULL;
	struct scn_handle *h = sc && arg1 ? scn_handle_find(sc, arg1) : NULL;
	const struct scenario_cmd *want = h && h->def_cmd ? table_of(h->def_cmd) : NULL;
	for (size_t t = 0; t < NR_TABLES; t++)
		for (const struct scenario_cmd *c = cmd_tables[t]; c->name; c++)
			if (!strcmp(c->name, name)) {
				if (!want || want == cmd_tables[t])
					return c;
				if (!first)
					first = c;
			}
	return first;
}

void scenario_print_commands(FILE *f)
{
	for (size_t t = 0; t < NR_TABLES; t++)
		for (const struct scenario_cmd *c = cmd_tables[t]; c->name; c++)
			fprintf(f, "  %s\n      %s\n", c->usage, c->help);
}

void scenario_init(struct scenario *sc, const char *file, FILE *out, FILE *errf, struct trace *trace)
{
	memset(sc, 0, sizeof *sc);
	sim_config_default(&sc->cfg);
	sc->cfg.mem.pcp = false; /* exact buddy counts; `config pcp=on` for Linux's lists */
	sc->cfg.mem.cpu_slab = false; /* visible slab lists; `config cpu_slab=on` for SLUB's CPU slabs */
	sc->file = file;
	sc->cmdline = "";
	sc->out = out;
	sc->errf = errf;
	sc->errprefix = "";
	sc->trace = trace;
}

void scn_printf(struct scenario *sc, const char *fmt, ...)
{
	if (sc->quiet || sc->checking)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(sc->out, fmt, ap);
	va_end(ap);
}

void scn_failure(struct scenario *sc)
{
	sc->failures++;
}

static int verror(struct scenario *sc, const struct scn_args *a, int argi, int off, const char *fmt, va_list ap)
{
	int col = 1;
	if (a && argi >= a->argc)
		col = a->end_col;
	else if (a && argi >= 0)
		col = a->col[argi] + off;
	fflush(sc->out);
	fprintf(sc->errf, "%s%s:%d:%d: ", sc->errprefix, sc->file, a ? a->line : sc->line, col);
	vfprintf(sc->errf, fmt, ap);
	fputc('\n', sc->errf);
	return SCN_ERROR;
}

int scn_error(struct scenario *sc, const struct scn_args *a, int argi, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(sc, a, argi, 0, fmt, ap);
	va_end(ap);
	return SCN_ERROR;
}

int scn_error_at(struct scenario *sc, const struct scn_args *a, int argi, int off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(sc, a, argi, off, fmt, ap);
	va_end(ap);
	return SCN_ERROR;
}

/* ---- handles ---- */

static const char *kind_name(enum scn_handle_kind k, const char *ext)
{
	switch (k) {
	case SCN_H_PAGES:
		return "alloc_pages";
	case SCN_H_OBJECT:
		return "kmem_cache_alloc";
	case SCN_H_KMALLOC:
		return "kmalloc";
	case SCN_H_EXT:
		return ext ? ext : "extension";
	}
	return "?";
}

struct scn_handle *scn_handle_find(struct scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->nhandles; i++)
		if (!strcmp(sc->handles[i].name, name))
			return &sc->handles[i];
	return NULL;
}

struct scn_handle *scn_handle_define(struct scenario *sc, const struct scn_args *a, int argi,
				     enum scn_handle_kind kind)
{
	if (scn_name(sc, a, argi))
		return NULL;
	struct scn_handle *h = scn_handle_find(sc, a->argv[argi]);
	if (h && !sc->checking && !h->failed && !h->freed) {
		scn_error(sc, a, argi, "handle '%s' still holds memory from line %d (free it first)", h->name,
			  h->line);
		return NULL;
	}
	if (!h) {
		if (sc->nhandles == sc->handles_cap) {
			size_t cap = sc->handles_cap ? 2 * sc->handles_cap : 16;
			struct scn_handle *n = realloc(sc->handles, cap * sizeof *n);
			if (!n) {
				scn_error(sc, a, argi, "out of memory");
				return NULL;
			}
			sc->handles = n;
			sc->handles_cap = cap;
		}
		h = &sc->handles[sc->nhandles++];
	}
	memset(h, 0, sizeof *h);
	strcpy(h->name, a->argv[argi]);
	h->kind = kind;
	h->line = a->line;
	h->refs = 1;
	h->def_cmd = sc->cur;
	return h;
}

struct scn_handle *scn_handle_get(struct scenario *sc, const struct scn_args *a, int argi, int kind)
{
	struct scn_handle *h = scn_handle_find(sc, a->argv[argi]);
	if (!h) {
		scn_error(sc, a, argi, "unknown handle '%s'", a->argv[argi]);
		return NULL;
	}
	if (kind >= 0 && h->kind != (enum scn_handle_kind)kind) {
		scn_error(sc, a, argi, "handle '%s' comes from %s (line %d), not from %s", h->name,
			  kind_name(h->kind, h->ext_kind), h->line, kind_name((enum scn_handle_kind)kind, NULL));
		return NULL;
	}
	if (sc->checking)
		return h;
	if (h->failed) {
		scn_error(sc, a, argi, "handle '%s' holds nothing: its allocation at line %d failed", h->name,
			  h->line);
		return NULL;
	}
	if (h->freed) {
		scn_error(sc, a, argi, "handle '%s' was already freed at line %d", h->name, h->freed_line);
		return NULL;
	}
	return h;
}

struct scn_handle *scn_handle_arg(struct scenario *sc, const struct scn_args *a, int kind, int *rc)
{
	struct scn_handle *h = NULL;
	*rc = SCN_ERROR;
	if (scn_nargs(sc, a, sc->cur, 1, 1) || !(h = scn_handle_get(sc, a, 1, kind)))
		return NULL;
	*rc = 0;
	return sc->checking ? NULL : h;
}

void scn_handle_freed(struct scn_handle *h, const struct scn_args *a)
{
	h->freed = true;
	h->freed_line = a->line;
}

/* ---- stats ---- */

/* events.NAME: how many events of type NAME the trace has seen. */
static int events_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	if (strncmp(name, "events.", 7))
		return 1;
	for (unsigned t = 0; t < TEV__COUNT; t++) {
		if (!strcmp(name + 7, trace_event_name(t))) {
			*out = (long long)trace_count(sc->sim->trace, (enum trace_event_type)t);
			return 0;
		}
	}
	snprintf(err, errlen, "unknown event type '%s' (see docs/trace-schema.md)", name + 7);
	return -1;
}

/* var.NAME: a value saved by `let`. */
static int var_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	if (strncmp(name, "var.", 4))
		return 1;
	for (size_t i = 0; i < sc->nvars; i++) {
		if (!strcmp(sc->vars[i].name, name + 4)) {
			*out = sc->vars[i].value;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown variable '%s' (set it with let)", name + 4);
	return -1;
}

int scenario_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	int (*const providers[])(struct scenario *, const char *, long long *, char *, size_t) = {
		events_stat,
		var_stat,
		scenario_mm_stat,
		scenario_task_stat,
		scenario_proc_stat,
#ifdef HAVE_SCENARIO_MMU
		scenario_mmu_stat,
#endif
	};
	for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
		int rc = providers[i](sc, name, out, err, errlen);
		if (rc <= 0)
			return rc;
	}
	snprintf(err, errlen,
		 "unknown stat '%s' (namespaces: meminfo, buddyinfo, zoneinfo, slabinfo, vmstat, handle, events, var, proc, "
		 "sysctl%s)",
		 name,
#ifdef HAVE_SCENARIO_MMU
		 ", and the MMU's"
#else
		 ""
#endif
	);
	return -1;
}

/* ---- core commands ---- */

static int cmd_config(struct scenario *sc, struct scn_args *a)
{
	char err[512];
	if (sc->machine_used)
		return scn_error(sc, a, 0, "config must come before every other command");
	if (scn_nargs(sc, a, sc->cur, 1, -1))
		return SCN_ERROR;
	for (int i = 1; i < a->argc; i++) {
		char *eq = strchr(a->argv[i], '=');
		if (!eq || eq == a->argv[i])
			return scn_error(sc, a, i, "config: '%s' is not KEY=VALUE", a->argv[i]);
		*eq = '\0';
		int rc = sim_config_set(&sc->cfg, a->argv[i], eq + 1, err, sizeof err);
		int klen = (int)(eq - a->argv[i]);
		*eq = '=';
		if (rc < 0) {
			/* point at the quoted part of the value the message names, if any */
			int off = strncmp(err, "unknown setting", 15) ? klen + 1 : 0;
			const char *q = strchr(err, '\'');
			const char *q2 = q ? strchr(q + 1, '\'') : NULL;
			if (off && q2 && q2 > q + 1) {
				char part[256];
				snprintf(part, sizeof part, "%.*s", (int)(q2 - q - 1), q + 1);
				const char *at = strstr(a->argv[i] + off, part);
				if (at)
					off = (int)(at - a->argv[i]);
			}
			return scn_error_at(sc, a, i, off, "%s", err);
		}
	}
	return 0;
}

static int cmd_echo(struct scenario *sc, struct scn_args *a)
{
	scn_printf(sc, "%.*s\n", a->rest_len, a->rest);
	return 0;
}

static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", NULL};

static bool compare(int op, long long l, long long r)
{
	switch (op) {
	case 0: return l == r;
	case 1: return l != r;
	case 2: return l < r;
	case 3: return l <= r;
	case 4: return l > r;
	default: return l >= r;
	}
}

/* Parse argv[I] as a signed number into *OUT: returns 1 if it is a number,
 * 0 if it looks like a stat name, SCN_ERROR otherwise. */
static int value_arg(struct scenario *sc, const struct scn_args *a, int i, long long *out)
{
	const char *s = a->argv[i];
	bool neg = s[0] == '-';
	if ((s[neg] >= '0' && s[neg] <= '9')) {
		uint64_t v;
		if (scn_u64(sc, a, i, neg, true, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &v))
			return SCN_ERROR;
		*out = neg ? (long long)(0 - v) : (long long)v;
		return 1;
	}
	/* A stat: view.field, or one of perf's dot-less names (dTLB-loads). */
	bool name = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z');
	for (const char *p = s; name && *p; p++)
		name = isalnum((unsigned char)*p) || strchr("._-", *p);
	if (!name)
		return scn_error(sc, a, i, "'%s' is neither a number nor a stat name (view.field or a perf name)", s);
	return 0;
}

static int cmd_expect(struct scenario *sc, struct scn_args *a)
{
	char err[512] = "";
	long long lhs, rhs;
	int op;

	if (scn_nargs(sc, a, sc->cur, 3, 3))
		return SCN_ERROR;
	for (op = 0; ops[op] && strcmp(ops[op], a->argv[2]); op++)
		;
	if (!ops[op])
		return scn_error(sc, a, 2, "expect: unknown operator '%s' (==, !=, <, <=, >, >=)", a->argv[2]);
	int lnum = value_arg(sc, a, 1, &lhs);
	if (lnum == SCN_ERROR)
		return SCN_ERROR;
	if (lnum)
		return scn_error(sc, a, 1, "expect: the left side must be a stat name, not a number");
	int rnum = value_arg(sc, a, 3, &rhs);
	if (rnum == SCN_ERROR)
		return SCN_ERROR;
	if (sc->checking)
		return 0;

	if (scenario_stat(sc, a->argv[1], &lhs, err, sizeof err) < 0)
		return scn_error(sc, a, 1, "%s", err);
	if (!rnum && scenario_stat(sc, a->argv[3], &rhs, err, sizeof err) < 0)
		return scn_error(sc, a, 3, "%s", err);
	sc->expects++;
	if (compare(op, lhs, rhs)) {
		scn_printf(sc, "ok: %s %s %s\n", a->argv[1], a->argv[2], a->argv[3]);
		return 0;
	}
	sc->expects_failed++;
	fflush(sc->out);
	if (rnum)
		fprintf(sc->errf, "%s%s:%d: expect failed: %s %s %s: expected %s %lld, actual %lld\n", sc->errprefix, sc->file,
			a->line, a->argv[1], a->argv[2], a->argv[3], a->argv[2], rhs, lhs);
	else
		fprintf(sc->errf, "%s%s:%d: expect failed: %s %s %s: expected %s %lld (%s), actual %lld\n",
			sc->errprefix, sc->file, a->line, a->argv[1], a->argv[2], a->argv[3], a->argv[2], rhs, a->argv[3], lhs);
	return 0;
}

/* Value of argv[I]: a number (already parsed into *V when IS_NUM) or a stat. */
static int operand(struct scenario *sc, const struct scn_args *a, int i, int is_num, long long *v)
{
	char err[512] = "";
	if (is_num)
		return 0;
	if (scenario_stat(sc, a->argv[i], v, err, sizeof err) < 0)
		return scn_error(sc, a, i, "%s", err);
	return 0;
}

static int cmd_let(struct scenario *sc, struct scn_args *a)
{
	long long l = 0, r = 0, v;
	int lnum, rnum = 1;
	const char *op = NULL;

	if (a->argc != 4 && a->argc != 6)
		return scn_error(sc, a, a->argc < 4 ? a->argc : 4, "let: usage: %s", sc->cur->usage);
	if (scn_name(sc, a, 1))
		return SCN_ERROR;
	if (strcmp(a->argv[2], "="))
		return scn_error(sc, a, 2, "let: expected '=' after the name");
	if ((lnum = value_arg(sc, a, 3, &l)) == SCN_ERROR)
		return SCN_ERROR;
	if (a->argc == 6) {
		op = a->argv[4];
		if (strlen(op) != 1 || !strchr("+-*/", op[0]))
			return scn_error(sc, a, 4, "let: unknown operator '%s' (+, -, *, /)", op);
		if ((rnum = value_arg(sc, a, 5, &r)) == SCN_ERROR)
			return SCN_ERROR;
	}
	if (sc->checking)
		return 0;
	if (operand(sc, a, 3, lnum, &l) || (op && operand(sc, a, 5, rnum, &r)))
		return SCN_ERROR;
	if (op && op[0] == '/' && r == 0)
		return scn_error(sc, a, 5, "let: division by zero");
	v = !op ? l : op[0] == '+' ? l + r : op[0] == '-' ? l - r : op[0] == '*' ? l * r : l / r;
	struct scn_var *var = NULL;
	for (size_t i = 0; i < sc->nvars; i++)
		if (!strcmp(sc->vars[i].name, a->argv[1]))
			var = &sc->vars[i];
	if (!var) {
		if (sc->nvars == sc->vars_cap) {
			size_t cap = sc->vars_cap ? 2 * sc->vars_cap : 8;
			struct scn_var *n = realloc(sc->vars, cap * sizeof *n);
			if (!n)
				return scn_error(sc, a, 1, "out of memory");
			sc->vars = n;
			sc->vars_cap = cap;
		}
		var = &sc->vars[sc->nvars++];
		snprintf(var->name, sizeof var->name, "%s", a->argv[1]);
	}
	var->value = v;
	scn_printf(sc, "let %s = %lld\n", var->name, v);
	return 0;
}

static int cmd_expect_fail(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 1, -1))
		return SCN_ERROR;
	const struct scenario_cmd *sub = find_cmd_for(sc, a->argv[1], a->argc > 2 ? a->argv[2] : NULL);
	if (!sub)
		return scn_error(sc, a, 1, "unknown command '%s'", a->argv[1]);
	if (sub == sc->cur || !strcmp(sub->name, "config") || !strcmp(sub->name, "expect"))
		return scn_error(sc, a, 1, "expect_fail: '%s' cannot fail", sub->name);
	struct scn_args s = *a;
	s.argc = a->argc - 1;
	memmove(s.argv, a->argv + 1, (size_t)s.argc * sizeof s.argv[0]);
	memmove(s.col, a->col + 1, (size_t)s.argc * sizeof s.col[0]);
	s.rest = s.argc > 1 ? a->rest + (s.col[1] - a->rest_col) : "";
	s.rest_len = s.argc > 1 ? a->rest_len - (s.col[1] - a->rest_col) : 0;
	s.rest_col = s.argc > 1 ? s.col[1] : 0;

	unsigned long before = sc->failures;
	sc->cur = sub;
	int rc = sub->run(sc, &s);
	sc->cur = NULL;
	if (rc || sc->checking)
		return rc;
	sc->expects++;
	if (sc->failures > before) {
		scn_printf(sc, "ok: %.*s failed as expected\n", a->rest_len, a->rest);
		return 0;
	}
	sc->expects_failed++;
	fflush(sc->out);
	fprintf(sc->errf, "%s%s:%d: expect_fail failed: '%.*s' succeeded\n", sc->errprefix, sc->file, a->line, a->rest_len, a->rest);
	return 0;
}

/* repeat N COMMAND ARGS...: run COMMAND N times, "%i" in its arguments
 * standing for the iteration (0..N-1). */
static int cmd_repeat(struct scenario *sc, struct scn_args *a)
{
	uint64_t n;
	char line[4096], buf[4096];
	if (scn_nargs(sc, a, sc->cur, 2, -1) || scn_u64(sc, a, 1, 0, false, 1000000, &n))
		return SCN_ERROR;
	const struct scenario_cmd *sub = find_cmd_for(sc, a->argv[2], a->argc > 3 ? a->argv[3] : NULL);
	if (!sub)
		return scn_error(sc, a, 2, "unknown command '%s'", a->argv[2]);
	if (sub == sc->cur || sub->run == cmd_config)
		return scn_error(sc, a, 2, "repeat: cannot repeat '%s'", sub->name);
	const struct scenario_cmd *self = sc->cur;
	for (uint64_t it = 0; it < n; it++) {
		size_t len = 0;
		for (int j = 2; j < a->argc; j++) {
			for (const char *c = a->argv[j]; *c && len < sizeof line - 24; c++) {
				if (c[0] == '%' && c[1] == 'i') {
					len += (size_t)snprintf(line + len, sizeof line - len, "%llu", (unsigned long long)it);
					c++;
				} else {
					line[len++] = *c;
				}
			}
			if (len >= sizeof line - 24)
				return scn_error(sc, a, j, "repeat: line too long");
			line[len++] = ' ';
		}
		line[len] = '\0';
		struct scn_args s;
		scn_tokenize(line, buf, a->line, &s);
		for (int j = 0; j < s.argc; j++)
			s.col[j] = a->col[j + 2];
		s.end_col = a->end_col;
		s.rest_col = s.argc > 1 ? s.col[1] : 0;
		sc->cur = sub;
		int rc = sub->run(sc, &s);
		sc->cur = self;
		if (rc)
			return rc;
	}
	return 0;
}

/* show handles: every handle and what it holds. */
static void show_handles(struct scenario *sc)
{
	scn_printf(sc, "%-16s %-16s %5s  %s\n", "handle", "from", "line", "state");
	for (size_t i = 0; i < sc->nhandles; i++) {
		struct scn_handle *h = &sc->handles[i];
		const char *state = h->failed ? "failed" : h->freed ? "freed" : "live";
		scn_printf(sc, "%-16s %-16s %5d  %s", h->name, kind_name(h->kind, h->ext_kind), h->line, state);
		if (!h->failed && !h->freed && h->kind == SCN_H_PAGES)
			scn_printf(sc, " pfn %#lx order %u", page_to_pfn(sc->sim->mem, h->page), h->order);
		else if (!h->failed && !h->freed && (h->kind == SCN_H_OBJECT || h->kind == SCN_H_KMALLOC))
			scn_printf(sc, " %#llx size %zu", (unsigned long long)kva_of(sc->sim->mem, h->obj), h->size);
		else if (!h->failed && !h->freed && h->kind == SCN_H_EXT)
			scn_printf(sc, " %#llx", (unsigned long long)h->addr);
		scn_printf(sc, "\n");
	}
}

/* show events: the trace's per-type counters (non-zero ones). */
static void show_events(struct scenario *sc)
{
	for (unsigned t = 0; t < TEV__COUNT; t++) {
		uint64_t n = trace_count(sc->sim->trace, (enum trace_event_type)t);
		if (n)
			scn_printf(sc, "%-16s %llu\n", trace_event_name(t), (unsigned long long)n);
	}
}

static int cmd_show(struct scenario *sc, struct scn_args *a)
{
	char err[512] = "";
	if (scn_nargs(sc, a, sc->cur, 1, -1))
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	for (int i = 1; i < a->argc; i++) {
		const char *v = a->argv[i];
		int rc = scenario_mm_show(sc, v, err, sizeof err);
		if (rc == 1)
			rc = scenario_proc_show(sc, v, err, sizeof err);
#ifdef HAVE_SCENARIO_MMU
		if (rc == 1)
			rc = scenario_mmu_show(sc, v, err, sizeof err);
#endif
		if (rc == 1) {
			rc = 0;
			if (!strcmp(v, "handles"))
				show_handles(sc);
			else if (!strcmp(v, "events"))
				show_events(sc);
			else if (!strcmp(v, "config")) {
				char buf[1024];
				sim_config_format(&sc->sim->cfg, buf, sizeof buf);
				scn_printf(sc, "%s\n", buf);
			} else {
				snprintf(err, sizeof err,
					 "show: unknown view '%s' (meminfo, buddyinfo, zoneinfo, slabinfo, vmstat, "
					 "handles, events, config, processes%s)",
					 v,
#ifdef HAVE_SCENARIO_MMU
					 ", and the MMU's"
#else
					 ""
#endif
				);
				rc = -1;
			}
		}
		if (rc < 0)
			return scn_error(sc, a, i, "%s", err);
	}
	return 0;
}

const struct scenario_cmd scenario_core_cmds[] = {
	{"config", "config KEY=VALUE ...",
	 "machine settings, before any other command (mem zones numa min_free_kbytes slub_debug pcp tlb seed "
	 "quantum max_insns trace_level root stdin max_procs)",
	 cmd_config},
	{"echo", "echo TEXT", "print TEXT", cmd_echo},
	{"expect", "expect STAT OP VALUE",
	 "check a stat (meminfo.MemFree, buddyinfo.DMA.3, zoneinfo.DMA.nr_free_pages, slabinfo.CACHE.FIELD, "
	 "vmstat.NAME, handle.H.FIELD, events.TYPE); OP is == != < <= > >=; VALUE a number or another stat",
	 cmd_expect},
	{"let", "let NAME = VALUE [OP VALUE]",
	 "save a number or stat (OP: + - * /) for later use as var.NAME", cmd_let},
	{"expect_fail", "expect_fail COMMAND ARGS...", "run COMMAND, which must fail (e.g. an allocation)",
	 cmd_expect_fail},
	{"repeat", "repeat N COMMAND ARGS...",
	 "run COMMAND N times; %i in ARGS is the iteration number (0..N-1), e.g. repeat 8 kmalloc k%i 64",
	 cmd_repeat},
	{"show", "show VIEW ...",
	 "print meminfo, buddyinfo, zoneinfo, slabinfo, vmstat (as Linux's /proc), handles, events or config",
	 cmd_show},
	{0},
};

/* ---- the two passes ---- */

/* Build the machine from sc->cfg and start the trace's run.  Returns 0 or
 * SCN_ERROR. */
static int build_machine(struct scenario *sc)
{
	char cfg[1024], err[512];
	struct trace *t = sc->trace ? sc->trace : trace_open_none();
	sc->trace = NULL;
	sim_config_format(&sc->cfg, cfg, sizeof cfg);
	if (trace_begin_run(t, cfg, sc->cmdline) < 0) {
		fprintf(sc->errf, "%s%s: %s\n", sc->errprefix, sc->file, trace_error(t));
		trace_close(t);
		return SCN_ERROR;
	}
	sc->sim = sim_create(&sc->cfg, t, err, sizeof err);
	if (!sc->sim) {
		fprintf(sc->errf, "%s%s: cannot build the machine (%s): %s\n", sc->errprefix, sc->file, cfg, err);
		return SCN_ERROR;
	}
	sc->sim->out = sc->out;
	return 0;
}

static int run_pass(struct scenario *sc, char **lines, int n, char *buf)
{
	struct scn_args a;
	for (int i = 0; i < n; i++) {
		sc->line = i + 1;
		int argc = scn_tokenize(lines[i], buf, i + 1, &a);
		if (argc < 0) {
			fprintf(sc->errf, "%s%s:%d:%d: too many arguments (at most %d)\n", sc->errprefix, sc->file, i + 1, a.end_col,
				SCN_MAX_ARGS - 1);
			return SCN_ERROR;
		}
		if (argc == 0)
			continue;
		if (sc->verbose && !sc->checking) {
			fflush(sc->errf);
			fprintf(sc->out, "%s:%d> %s\n", sc->file, i + 1, lines[i]);
		}
		const struct scenario_cmd *cmd = find_cmd_for(sc, a.argv[0], a.argc > 1 ? a.argv[1] : NULL);
		if (!cmd)
			return scn_error(sc, &a, 0, "unknown command '%s' (mmsim scenario --help lists them)",
					 a.argv[0]);
		if (cmd->run != cmd_config && !sc->machine_used) {
			sc->machine_used = true;
			if (!sc->checking && build_machine(sc))
				return SCN_ERROR;
		}
		sc->cur = cmd;
		int rc = cmd->run(sc, &a);
		sc->cur = NULL;
		if (rc)
			return SCN_ERROR;
	}
	if (!sc->checking && !sc->sim && build_machine(sc))
		return SCN_ERROR;
	return 0;
}

/* Split TEXT into lines (a copy in *COPY, one token buffer in *BUF).
 * Returns the number of lines, or -1 after printing "out of memory". */
static int split_lines(struct scenario *sc, const char *text, char **copy, char **buf, char ***lines)
{
	size_t len = strlen(text);
	int n = 0, cap = 64;

	*copy = malloc(len + 1);
	*buf = malloc(len + 1);
	*lines = malloc((size_t)cap * sizeof **lines);
	if (!*copy || !*buf || !*lines) {
		fprintf(sc->errf, "%s%s: out of memory\n", sc->errprefix, sc->file);
		return -1;
	}
	memcpy(*copy, text, len + 1);
	for (char *p = *copy;;) {
		if (n == cap) {
			char **nl = realloc(*lines, (size_t)(cap *= 2) * sizeof **lines);
			if (!nl) {
				fprintf(sc->errf, "%s%s: out of memory\n", sc->errprefix, sc->file);
				return -1;
			}
			*lines = nl;
		}
		(*lines)[n++] = p;
		char *eol = strchr(p, '\n');
		if (!eol)
			break;
		*eol = '\0';
		p = eol + 1;
		if (!*p)
			break; /* a final newline ends the last line */
	}
	return n;
}

/* Pass 1 (parse and check every line, run nothing), then, unless
 * CHECK_ONLY, pass 2 from a clean slate.  Returns the exit status. */
static int run_text(struct scenario *sc, const char *text, bool check_only)
{
	char *copy = NULL, *buf = NULL, **lines = NULL;
	int rc = SCN_ERROR;
	int n = split_lines(sc, text, &copy, &buf, &lines);

	if (n < 0)
		goto out;
	/* pass 1: check */
	struct sim_config saved = sc->cfg;
	sc->checking = true;
	rc = run_pass(sc, lines, n, buf);
	sc->checking = false;
	/* back to a clean slate, for pass 2 or a later run */
	sc->cfg = saved;
	sc->machine_used = false;
	sc->nhandles = 0;
	sc->nvars = 0;
	sc->expects = sc->expects_failed = 0;
	sc->failures = 0;
	if (rc || check_only)
		goto out;
	/* pass 2: run */
	rc = run_pass(sc, lines, n, buf);
	if (!rc && sc->expects_failed)
		rc = 1;
out:
	fflush(sc->out);
	free(lines);
	free(buf);
	free(copy);
	sc->status = rc;
	return rc;
}

int scenario_run_text(struct scenario *sc, const char *text)
{
	return run_text(sc, text, false);
}

int scenario_check_text(struct scenario *sc, const char *text)
{
	return run_text(sc, text, true);
}

#define SCENARIO_FILE_MAX (256 << 20) /* bytes read from a script or reference trace at most */

char *scenario_read_file(struct scenario *sc, const char *path)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = NULL;
	char *text = NULL;
	size_t len = 0, cap = 0;
	struct stat st;

	if (!is_stdin && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(sc->errf, "%s%s: is a directory, not a scenario script\n", sc->errprefix, path);
		goto err;
	}
	f = is_stdin ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(sc->errf, "%s%s: cannot open: %s\n", sc->errprefix, path, strerror(errno));
		goto err;
	}
	for (;;) {
		if (len > SCENARIO_FILE_MAX) {
			/* /dev/zero, /dev/urandom or a pipe that never ends */
			fprintf(sc->errf, "%s%s: more than %d MiB: not a scenario script or reference trace\n", sc->errprefix,
				path, SCENARIO_FILE_MAX >> 20);
			goto err;
		}
		if (cap - len < 4096) {
			char *n = realloc(text, cap = cap ? 2 * cap : 8192);
			if (!n) {
				fprintf(sc->errf, "%s%s: out of memory\n", sc->errprefix, path);
				goto err;
			}
			text = n;
		}
		size_t got = fread(text + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(sc->errf, "%s%s: read error: %s\n", sc->errprefix, path, strerror(errno));
		goto err;
	}
	if (!is_stdin)
		fclose(f);
	f = NULL;
	text[len] = '\0';
	if (strlen(text) != len) {
		int line = 1;
		for (const char *c = text; *c; c++)
			line += *c == '\n';
		fprintf(sc->errf, "%s%s:%d: NUL byte in the script (not a text file?)\n", sc->errprefix, path, line);
		goto err;
	}
	return text;
err:
	if (f && !is_stdin)
		fclose(f);
	free(text);
	sc->status = SCN_ERROR;
	return NULL;
}

int scenario_run_file(struct scenario *sc, const char *path)
{
	char *text = scenario_read_file(sc, path);
	if (!text)
		return SCN_ERROR;
	int rc = scenario_run_text(sc, text);
	free(text);
	return rc;
}

int scenario_fini(struct scenario *sc)
{
	int rc = 0;
	scn_questions_free(sc);
	if (sc->sim) {
		trace_end_run(sc->sim->trace, sc->status);
		if (trace_error(sc->sim->trace))
			fprintf(sc->errf, "%s%s: %s\n", sc->errprefix, sc->file, trace_error(sc->sim->trace));
		if (sc->task_state_free)
			sc->task_state_free(sc);
		if (sc->mmu_state_free)
			sc->mmu_state_free(sc);
		scenario_proc_free(sc);
		rc = sim_destroy(sc->sim);
		sc->sim = NULL;
	} else if (sc->trace) {
		rc = trace_close(sc->trace);
		sc->trace = NULL;
	}
	free(sc->handles);
	sc->handles = NULL;
	free(sc->vars);
	sc->vars = NULL;
	sc->nvars = sc->vars_cap = 0;
	sc->nhandles = sc->handles_cap = 0;
	return rc;
}
