/* tools/scenario_expr.c - parsing and evaluating answer expressions
 * (tools/scenario_expr.h).
 *
 * Grammar (lowest precedence first):
 *   expr    := and ( "||" and )*
 *   and     := cmp ( "&&" cmp )*
 *   cmp     := sum ( ("=="|"!="|"<"|"<="|">"|">=") sum )?
 *   sum     := term ( ("+"|"-") term )*
 *   term    := unary ( ("*"|"/"|"//"|"%") unary )*
 *   unary   := ("-"|"!") unary | postfix
 *   postfix := primary ( "[" expr "]" )*
 *   primary := NUMBER | NAME | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"
 *            | "[" [expr ("," expr)*] "]"
 * Every node keeps its byte offset so that errors point at the column.
 * Functions read the machine only through the engine's stat lookup, the
 * handles, the memory manager and the page tables: nothing is recomputed
 * here.
 */
#include "tools/scenario_expr.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/slab.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
#include "tools/scenario.h"
#include "tools/scenario_expr_pressure.h"
#ifdef HAVE_POLICY_SIM
#include "tools/scenario_expr_policy.h"
#endif

enum enode { E_NUM, E_NAME, E_CALL, E_LIST, E_UNARY, E_BINARY, E_INDEX };

enum eop { OP_OR, OP_AND, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_IDIV,
	   OP_MOD, OP_NEG, OP_NOT };

struct expr {
	enum enode t;
	int pos;
	enum eop op;
	struct answer_item num;
	char name[96];
	int nargs;
	struct expr **args;      /* E_CALL, E_LIST; E_UNARY/E_BINARY/E_INDEX use args[0..1] */
};

struct parser {
	struct scenario *sc;
	const char *s;
	size_t len, p;
	int errpos;
	char *err;
	size_t errlen;
	bool failed;
};

void expr_free(struct expr *e)
{
	if (!e)
		return;
	for (int i = 0; i < e->nargs; i++)
		expr_free(e->args[i]);
	free(e->args);
	free(e);
}

static struct expr *perr(struct parser *ps, size_t at, const char *fmt, const char *what)
{
	if (!ps->failed) {
		ps->failed = true;
		ps->errpos = (int)at;
		snprintf(ps->err, ps->errlen, fmt, what);
	}
	return NULL;
}

static void skip(struct parser *ps)
{
	while (ps->p < ps->len && isspace((unsigned char)ps->s[ps->p]))
		ps->p++;
}

static bool peek(struct parser *ps, const char *tok)
{
	skip(ps);
	size_t n = strlen(tok);
	return ps->p + n <= ps->len && !memcmp(ps->s + ps->p, tok, n);
}

static bool eat(struct parser *ps, const char *tok)
{
	if (!peek(ps, tok))
		return false;
	ps->p += strlen(tok);
	return true;
}

static struct expr *node(struct parser *ps, enum enode t, size_t pos, int nargs)
{
	struct expr *e = calloc(1, sizeof *e);
	if (!e || (nargs && !(e->args = calloc((size_t)nargs, sizeof *e->args)))) {
		free(e);
		return perr(ps, pos, "%s", "out of memory");
	}
	e->t = t;
	e->pos = (int)pos;
	e->nargs = nargs;
	return e;
}

static struct expr *parse_expr(struct parser *ps);

/* Append A to E's argument list. */
static int push_arg(struct parser *ps, struct expr *e, struct expr *a)
{
	struct expr **n = realloc(e->args, (size_t)(e->nargs + 1) * sizeof *n);
	if (!n) {
		expr_free(a);
		perr(ps, ps->p, "%s", "out of memory");
		return -1;
	}
	e->args = n;
	e->args[e->nargs++] = a;
	return 0;
}

/* "(" or "[" already eaten: arguments up to CLOSE. */
static int parse_args(struct parser *ps, struct expr *e, const char *close)
{
	if (eat(ps, close))
		return 0;
	for (;;) {
		struct expr *a = parse_expr(ps);
		if (!a || push_arg(ps, e, a) < 0)
			return -1;
		if (eat(ps, close))
			return 0;
		if (!eat(ps, ",")) {
			skip(ps);
			char want[32];
			snprintf(want, sizeof want, "expected ',' or '%s'", close);
			perr(ps, ps->p, "%s", want);
			return -1;
		}
	}
}

static bool name_char(const struct parser *ps, size_t i)
{
	char c = ps->s[i];
	if (isalnum((unsigned char)c) || c == '_' || c == '.')
		return true;
	/* '-' inside a name: dTLB-load-misses, kmalloc-64 */
	return c == '-' && i + 1 < ps->len && isalnum((unsigned char)ps->s[i + 1]) && i > 0 &&
	       (isalnum((unsigned char)ps->s[i - 1]));
}

static struct expr *parse_primary(struct parser *ps)
{
	skip(ps);
	size_t start = ps->p;
	if (ps->p >= ps->len)
		return perr(ps, start, "%s", "expected a value");
	char c = ps->s[ps->p];
	if (isdigit((unsigned char)c) || (c == '.' && ps->p + 1 < ps->len && isdigit((unsigned char)ps->s[ps->p + 1]))) {
		size_t q = ps->p;
		while (q < ps->len && (isalnum((unsigned char)ps->s[q]) || ps->s[q] == '.'))
			q++;
		struct expr *e = node(ps, E_NUM, start, 0);
		if (!e)
			return NULL;
		char err[128];
		if (answer_parse_item(ps->s + start, q - start, &e->num, err, sizeof err) < 0 || e->num.word) {
			expr_free(e);
			return perr(ps, start, "%s", "not a number");
		}
		ps->p = q;
		return e;
	}
	if (isalpha((unsigned char)c) || c == '_') {
		size_t q = ps->p;
		while (q < ps->len && name_char(ps, q))
			q++;
		if (q - start >= sizeof ((struct expr *)0)->name)
			return perr(ps, start, "%s", "name too long");
		ps->p = q;
		bool call = peek(ps, "(");
		struct expr *e = node(ps, call ? E_CALL : E_NAME, start, 0);
		if (!e)
			return NULL;
		memcpy(e->name, ps->s + start, q - start);
		if (call) {
			eat(ps, "(");
			if (parse_args(ps, e, ")") < 0) {
				expr_free(e);
				return NULL;
			}
		}
		return e;
	}
	if (eat(ps, "(")) {
		struct expr *e = parse_expr(ps);
		if (e && !eat(ps, ")")) {
			expr_free(e);
			skip(ps);
			return perr(ps, ps->p, "%s", "expected ')'");
		}
		return e;
	}
	if (eat(ps, "[")) {
		struct expr *e = node(ps, E_LIST, start, 0);
		if (e && parse_args(ps, e, "]") < 0) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	char what[8];
	snprintf(what, sizeof what, "%c", c);
	return perr(ps, start, "unexpected '%s'", what);
}

static struct expr *binary(struct parser *ps, enum enode t, enum eop op, size_t pos, struct expr *l, struct expr *r)
{
	if (!l || !r) {
		expr_free(l);
		expr_free(r);
		return NULL;
	}
	struct expr *e = node(ps, t, pos, 2);
	if (!e) {
		expr_free(l);
		expr_free(r);
		return NULL;
	}
	e->op = op;
	e->args[0] = l;
	e->args[1] = r;
	return e;
}

static struct expr *parse_postfix(struct parser *ps)
{
	struct expr *e = parse_primary(ps);
	while (e && peek(ps, "[")) {
		size_t pos = ps->p;
		eat(ps, "[");
		struct expr *i = parse_expr(ps);
		if (i && !eat(ps, "]")) {
			skip(ps);
			expr_free(i);
			expr_free(e);
			return perr(ps, ps->p, "%s", "expected ']'");
		}
		e = binary(ps, E_INDEX, OP_ADD, pos, e, i);
	}
	return e;
}

static struct expr *parse_unary(struct parser *ps)
{
	skip(ps);
	size_t pos = ps->p;
	if (peek(ps, "!=")) /* not a unary operator */
		return parse_postfix(ps);
	if (eat(ps, "-") || eat(ps, "!")) {
		enum eop op = ps->s[pos] == '-' ? OP_NEG : OP_NOT;
		struct expr *a = parse_unary(ps);
		if (!a)
			return NULL;
		struct expr *e = node(ps, E_UNARY, pos, 1);
		if (!e) {
			expr_free(a);
			return NULL;
		}
		e->op = op;
		e->args[0] = a;
		return e;
	}
	return parse_postfix(ps);
}

static struct expr *parse_term(struct parser *ps)
{
	struct expr *e = parse_unary(ps);
	while (e) {
		skip(ps);
		size_t pos = ps->p;
		enum eop op;
		if (eat(ps, "//"))
			op = OP_IDIV;
		else if (eat(ps, "*"))
			op = OP_MUL;
		else if (eat(ps, "/"))
			op = OP_DIV;
		else if (eat(ps, "%"))
			op = OP_MOD;
		else
			break;
		e = binary(ps, E_BINARY, op, pos, e, parse_unary(ps));
	}
	return e;
}

static struct expr *parse_sum(struct parser *ps)
{
	struct expr *e = parse_term(ps);
	while (e) {
		skip(ps);
		size_t pos = ps->p;
		enum eop op;
		if (eat(ps, "+"))
			op = OP_ADD;
		else if (eat(ps, "-"))
			op = OP_SUB;
		else
			break;
		e = binary(ps, E_BINARY, op, pos, e, parse_term(ps));
	}
	return e;
}

static struct expr *parse_cmp(struct parser *ps)
{
	static const struct { const char *tok; enum eop op; } ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
	};
	struct expr *e = parse_sum(ps);
	if (!e)
		return NULL;
	skip(ps);
	size_t pos = ps->p;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (eat(ps, ops[i].tok))
			return binary(ps, E_BINARY, ops[i].op, pos, e, parse_sum(ps));
	return e;
}

static struct expr *parse_and(struct parser *ps)
{
	struct expr *e = parse_cmp(ps);
	while (e && peek(ps, "&&")) {
		size_t pos = ps->p;
		eat(ps, "&&");
		e = binary(ps, E_BINARY, OP_AND, pos, e, parse_cmp(ps));
	}
	return e;
}

static struct expr *parse_expr(struct parser *ps)
{
	struct expr *e = parse_and(ps);
	while (e && peek(ps, "||")) {
		size_t pos = ps->p;
		eat(ps, "||");
		e = binary(ps, E_BINARY, OP_OR, pos, e, parse_and(ps));
	}
	return e;
}

/* ---- functions ---- */

enum argk { A_EXPR, A_HANDLE, A_MM, A_WORD };

struct efunc {
	const char *name;
	int min, max;
	enum argk kinds[3];      /* kind of arguments 0..2 */
};

static const struct efunc funcs[] = {
	{ "pfn", 1, 2, { A_HANDLE, A_EXPR } },     /* pfn(H) or pfn(MM, VA) */
	{ "pa", 2, 2, { A_MM, A_EXPR } },
	{ "pte", 2, 3, { A_MM, A_EXPR, A_EXPR } },
	{ "entry_addr", 3, 3, { A_MM, A_EXPR, A_EXPR } },
	{ "index", 2, 2, { A_EXPR, A_EXPR } },
	{ "offset", 1, 1, { A_EXPR } },
	{ "buddyinfo", 1, 1, { A_WORD } },
	{ "zone", 1, 1, { A_HANDLE } },
	{ "cache", 1, 1, { A_HANDLE } },
	{ "refcount", 1, 1, { A_HANDLE } },
	{ "mapcount", 1, 1, { A_HANDLE } },
	{ "freed", 1, 1, { A_HANDLE } },
	{ "tlb_set", 2, 2, { A_WORD, A_EXPR } },
	{ "len", 1, 1, { A_EXPR } },
	{ "sum", 1, 1, { A_EXPR } },
	{ "min", 1, 16, { A_EXPR, A_EXPR, A_EXPR } },
	{ "max", 1, 16, { A_EXPR, A_EXPR, A_EXPR } },
	{ "yesno", 1, 1, { A_EXPR } },
	{ "hex", 1, 1, { A_EXPR } },
	{ "dec", 1, 1, { A_EXPR } },
	{ "alloc_path", 1, 1, { A_HANDLE } },
	{ "oom_badness", 1, 1, { A_HANDLE } },
	{ "oom_victim", 0, 0, { A_EXPR } },
	{ "oom_totalpages", 0, 0, { A_EXPR } },
#ifdef HAVE_POLICY_SIM
	{ "policy_faults", 3, 3, { A_WORD, A_EXPR, A_EXPR } },
	{ "policy_hits", 3, 3, { A_WORD, A_EXPR, A_EXPR } },
	{ "policy_victims", 3, 3, { A_WORD, A_EXPR, A_EXPR } },
	{ "policy_frames", 3, 3, { A_WORD, A_EXPR, A_EXPR } },
	{ "policy_hitlist", 3, 3, { A_WORD, A_EXPR, A_EXPR } },
#endif
	{ 0 },
};

static const struct efunc *find_func(const char *name)
{
	for (const struct efunc *f = funcs; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static enum argk arg_kind(const struct efunc *f, int i, int nargs)
{
	if (!strcmp(f->name, "pfn") && nargs == 2)
		return i == 0 ? A_MM : A_EXPR;
	return i < 3 ? f->kinds[i] : f->kinds[2];
}

/* Check-pass validation of calls: known function, arity, name arguments. */
static int check_tree(struct parser *ps, struct expr *e)
{
	if (e->t == E_CALL) {
		const struct efunc *f = find_func(e->name);
		if (!f)
			return perr(ps, (size_t)e->pos, "unknown function '%s' (pfn pa pte entry_addr index offset "
					"buddyinfo zone cache refcount mapcount freed tlb_set len sum min max yesno hex dec alloc_path "
					"oom_badness oom_victim oom_totalpages"
#ifdef HAVE_POLICY_SIM
					" policy_faults policy_hits policy_victims policy_frames policy_hitlist"
#endif
					")",
				    e->name) ? 0 : -1;
		if (e->nargs < f->min || e->nargs > f->max) {
			char m[160];
			snprintf(m, sizeof m, "%s() takes %d%s%d argument%s, not %d", f->name, f->min,
				 f->max == f->min ? "" : " to ", f->max, f->max == 1 ? "" : "s", e->nargs);
			if (f->max == f->min)
				snprintf(m, sizeof m, "%s() takes %d argument%s, not %d", f->name, f->min,
					 f->min == 1 ? "" : "s", e->nargs);
			perr(ps, (size_t)e->pos, "%s", m);
			return -1;
		}
		for (int i = 0; i < e->nargs; i++) {
			enum argk k = arg_kind(f, i, e->nargs);
			struct expr *a = e->args[i];
			if (k == A_EXPR)
				continue;
			if (a->t != E_NAME) {
				perr(ps, (size_t)a->pos, "%s", k == A_WORD ? "expected a name here" : "expected a handle name here");
				return -1;
			}
			if ((k == A_HANDLE || k == A_MM) && ps->sc && !scn_handle_find(ps->sc, a->name) &&
			    strcmp(a->name, "init_mm")) {
				perr(ps, (size_t)a->pos, "unknown handle '%s'", a->name);
				return -1;
			}
		}
	}
	for (int i = 0; i < e->nargs; i++) {
		if (e->t == E_CALL) {
			const struct efunc *f = find_func(e->name);
			if (arg_kind(f, i, e->nargs) != A_EXPR)
				continue;
		}
		if (check_tree(ps, e->args[i]) < 0)
			return -1;
	}
	return 0;
}

struct expr *expr_parse(struct scenario *sc, const char *text, size_t len, int *errpos, char *err, size_t errlen)
{
	struct parser ps = { sc, text, len, 0, 0, err, errlen, false };
	struct expr *e = parse_expr(&ps);
	if (e) {
		skip(&ps);
		if (ps.p < ps.len) {
			perr(&ps, ps.p, "unexpected '%s' after the expression", "");
			snprintf(err, errlen, "unexpected '%.*s' after the expression", (int)(ps.len - ps.p > 20 ? 20 : ps.len - ps.p),
				 text + ps.p);
		} else {
			check_tree(&ps, e);
		}
	}
	if (ps.failed) {
		expr_free(e);
		*errpos = ps.errpos;
		return NULL;
	}
	return e;
}

/* ---- evaluation ---- */

struct ev {
	struct scenario *sc;
	int errpos;
	char *err;
	size_t errlen;
};

static int everr(struct ev *ev, const struct expr *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int everr(struct ev *ev, const struct expr *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev->err, ev->errlen, fmt, ap);
	va_end(ap);
	ev->errpos = e->pos;
	return -1;
}

static void set_int(struct answer *out, long long v, bool hex)
{
	memset(out, 0, sizeof *out);
	out->kind = ANS_NUMBER;
	out->v.i = v;
	out->v.hex = hex;
}

static void set_word(struct answer *out, const char *w)
{
	memset(out, 0, sizeof *out);
	out->kind = ANS_WORD;
	out->v.word = true;
	snprintf(out->v.w, sizeof out->v.w, "%s", w);
}

static int eval(struct ev *ev, const struct expr *e, struct answer *out);

/* Evaluate E as a number into *V.  Returns 0 or -1. */
static int eval_num(struct ev *ev, const struct expr *e, struct answer_item *v)
{
	struct answer a;
	if (eval(ev, e, &a) < 0)
		return -1;
	if (a.kind != ANS_NUMBER) {
		char buf[64];
		answer_format(&a, buf, sizeof buf);
		answer_free(&a);
		return everr(ev, e, "expected a number here, got %s '%s'", answer_kind_name(a.kind), buf);
	}
	*v = a.v;
	return 0;
}

static int eval_u64(struct ev *ev, const struct expr *e, uint64_t *v)
{
	struct answer_item it;
	*v = 0;
	if (eval_num(ev, e, &it) < 0)
		return -1;
	if (it.real)
		return everr(ev, e, "expected an integer, got %g", it.d);
	*v = (uint64_t)it.i;
	return 0;
}

static struct scn_handle *live_handle(struct ev *ev, const struct expr *a)
{
	struct scn_handle *h = scn_handle_find(ev->sc, a->name);
	if (!h) {
		everr(ev, a, "unknown handle '%s'", a->name);
		return NULL;
	}
	return h;
}

static struct mm_struct *mm_arg(struct ev *ev, const struct expr *a)
{
	if (!strcmp(a->name, "init_mm"))
		return &ev->sc->sim->kpt.init_mm;
	struct scn_handle *h = live_handle(ev, a);
	if (!h)
		return NULL;
	if (h->kind != SCN_H_EXT || !h->ext_kind || strcmp(h->ext_kind, "mm") || h->freed || !h->ext) {
		everr(ev, a, "'%s' is not a live address space (mm_create or task)", a->name);
		return NULL;
	}
	return h->ext;
}

static int level_arg(struct ev *ev, const struct expr *e, int *level)
{
	uint64_t l = 0;
	if (eval_u64(ev, e, &l) < 0)
		return -1;
	if (l < 1 || l > 4)
		return everr(ev, e, "level %llu: levels are 4 (PML4), 3 (PDPT), 2 (PD), 1 (PT)", (unsigned long long)l);
	*level = (int)l;
	return 0;
}

/* Read the entry at LEVEL for VA in MM (descending from the PML4), with its
 * physical address in *EADDR.  Returns 1 when found, 0 when a level above
 * is not present or is a leaf (then *LEAF_LEVEL says where it ended). */
static int read_entry(struct memsys *m, struct mm_struct *mm, uint64_t va, int level, pteval_t *val,
		      uint64_t *eaddr, int *leaf_level)
{
	uint64_t table = mm->pgd_pfn;
	for (int l = 4; l >= 1; l--) {
		unsigned idx = pgtable_index(va, l);
		pteval_t ent = pgtable_table(m, table)[idx];
		if (l == level) {
			*val = ent;
			*eaddr = (table << PAGE_SHIFT) | ((uint64_t)idx << 3);
			return 1;
		}
		*leaf_level = l;
		if (!(ent & _PAGE_PRESENT) || (l <= 3 && (ent & _PAGE_PSE)))
			return 0;
		table = (ent & PTE_PFN_MASK) >> PAGE_SHIFT;
		if (table >= m->max_pfn)
			return 0;
	}
	return 0;
}

/* The leaf for VA: its value, level.  Returns 1 when VA is mapped. */
static int read_leaf(struct memsys *m, struct mm_struct *mm, uint64_t va, pteval_t *val, int *level)
{
	uint64_t table = mm->pgd_pfn;
	for (int l = 4; l >= 1; l--) {
		pteval_t ent = pgtable_table(m, table)[pgtable_index(va, l)];
		*val = ent;
		*level = l;
		if (!(ent & _PAGE_PRESENT))
			return 0;
		if (l == 1 || (l <= 3 && (ent & _PAGE_PSE)))
			return 1;
		table = (ent & PTE_PFN_MASK) >> PAGE_SHIFT;
		if (table >= m->max_pfn)
			return 0;
	}
	return 0;
}

static int buddyinfo_row(struct ev *ev, const struct expr *e, const char *zone, struct answer *out)
{
	memset(out, 0, sizeof *out);
	out->kind = ANS_LIST;
	out->items = calloc(MAX_ORDER, sizeof *out->items);
	if (!out->items)
		return everr(ev, e, "out of memory");
	for (int o = 0; o < MAX_ORDER; o++) {
		char key[128], err[256] = "";
		long long v;
		snprintf(key, sizeof key, "%s.%d", zone, o);
		if (proc_stat_lookup(ev->sc->sim->mem, "buddyinfo", key, &v, err, sizeof err) != 0) {
			answer_free(out);
			return everr(ev, e, "buddyinfo: no zone '%s' (%s)", zone, err);
		}
		out->items[out->n].i = v;
		out->n++;
	}
	return 0;
}

static int call(struct ev *ev, const struct expr *e, struct answer *out)
{
	struct memsys *m = ev->sc->sim->mem;
	const char *f = e->name;
	struct expr *const *a = e->args;
	uint64_t va = 0;
	int level = 1;

	if (!strcmp(f, "pfn") && e->nargs == 1) {
		struct scn_handle *h = live_handle(ev, a[0]);
		if (!h)
			return -1;
		if (h->failed || h->freed)
			return everr(ev, a[0], "handle '%s' holds nothing (%s)", h->name, h->failed ? "failed" : "freed");
		if (h->kind == SCN_H_PAGES)
			set_int(out, (long long)page_to_pfn(m, h->page), true);
		else if (h->kind == SCN_H_OBJECT || h->kind == SCN_H_KMALLOC)
			set_int(out, (long long)page_to_pfn(m, virt_to_page(m, h->obj)), true);
		else
			return everr(ev, a[0], "pfn(H): '%s' is not a page or object handle (pfn(MM, VA) for addresses)", h->name);
		return 0;
	}
	if (!strcmp(f, "pfn") || !strcmp(f, "pa") || !strcmp(f, "pte") || !strcmp(f, "entry_addr")) {
		struct mm_struct *mm = mm_arg(ev, a[0]);
		if (!mm || eval_u64(ev, a[1], &va) < 0)
			return -1;
		pteval_t val;
		if (!strcmp(f, "pte") || !strcmp(f, "entry_addr")) {
			uint64_t eaddr = 0;
			int ended = 0;
			if (e->nargs == 3) {
				if (level_arg(ev, a[2], &level) < 0)
					return -1;
				if (!read_entry(m, mm, va, level, &val, &eaddr, &ended))
					return everr(ev, e, "%s: the walk for %#llx ends at level %d before reaching level %d",
						     f, (unsigned long long)va, ended, level);
			} else {
				read_leaf(m, mm, va, &val, &level);
			}
			set_int(out, (long long)(!strcmp(f, "pte") ? val : eaddr), true);
			return 0;
		}
		if (!read_leaf(m, mm, va, &val, &level)) {
			set_word(out, "none");
			return 0;
		}
		unsigned shift = pgtable_level_shift(level);
		uint64_t base = val & PTE_PFN_MASK & ~((1ULL << shift) - 1);
		uint64_t pa = base | (va & ((1ULL << shift) - 1));
		set_int(out, (long long)(!strcmp(f, "pa") ? pa : pa >> PAGE_SHIFT), true);
		return 0;
	}
	if (!strcmp(f, "index")) {
		if (eval_u64(ev, a[0], &va) < 0 || level_arg(ev, a[1], &level) < 0)
			return -1;
		set_int(out, pgtable_index(va, level), false);
		return 0;
	}
	if (!strcmp(f, "offset")) {
		if (eval_u64(ev, a[0], &va) < 0)
			return -1;
		set_int(out, (long long)(va & (PAGE_SIZE - 1)), true);
		return 0;
	}
	if (!strcmp(f, "buddyinfo"))
		return buddyinfo_row(ev, e, a[0]->name, out);
	if (!strcmp(f, "zone") || !strcmp(f, "cache") || !strcmp(f, "refcount") || !strcmp(f, "mapcount") ||
	    !strcmp(f, "freed")) {
		struct scn_handle *h = live_handle(ev, a[0]);
		if (!h)
			return -1;
		if (!strcmp(f, "freed")) {
			set_word(out, h->freed ? "yes" : "no");
			return 0;
		}
		if (h->failed || h->freed)
			return everr(ev, a[0], "handle '%s' holds nothing (%s at line %d)", h->name,
				     h->failed ? "its allocation failed" : "freed", h->failed ? h->line : h->freed_line);
		struct page *p = h->kind == SCN_H_PAGES ? h->page
				 : (h->kind == SCN_H_OBJECT || h->kind == SCN_H_KMALLOC) ? virt_to_page(m, h->obj) : NULL;
		if (!p)
			return everr(ev, a[0], "%s(): '%s' is not a page or object handle", f, h->name);
		if (!strcmp(f, "zone")) {
			set_word(out, page_zone(m, p)->name);
		} else if (!strcmp(f, "refcount")) {
			set_int(out, page_count(p), false);
		} else if (!strcmp(f, "mapcount")) {
			set_int(out, page_mapcount(p), false);
		} else {
			struct page *head = p - p->head_offset;
			if (h->kind == SCN_H_PAGES || !PageSlab(head)) {
				set_word(out, "pages");
			} else {
				struct slabinfo si;
				kmem_cache_info(head->mapping, &si);
				set_word(out, si.name);
			}
		}
		return 0;
	}
	if (!strcmp(f, "tlb_set")) {
		struct mmu *mmu = ev->sc->sim->mmu;
		int id;
		for (id = 0; id < TLB_NR && strcmp(tlb_id_name((enum tlb_id)id), a[0]->name); id++)
			;
		if (id == TLB_NR)
			return everr(ev, a[0], "tlb_set: '%s' is not a TLB (l1d, l1i, l1d2m, l1i2m, l2)", a[0]->name);
		if (eval_u64(ev, a[1], &va) < 0)
			return -1;
		const struct tlb *t = &mmu->tlb[id];
		set_int(out, (long long)((va >> t->shift) & t->set_mask), false);
		return 0;
	}
	if (!strcmp(f, "hex") || !strcmp(f, "dec") || !strcmp(f, "yesno")) {
		struct answer_item it;
		if (eval_num(ev, a[0], &it) < 0)
			return -1;
		if (!strcmp(f, "yesno")) {
			set_word(out, answer_item_value(&it) != 0 ? "yes" : "no");
			return 0;
		}
		memset(out, 0, sizeof *out);
		out->kind = ANS_NUMBER;
		out->v = it;
		out->v.hex = !strcmp(f, "hex");
		return 0;
	}
	if (expr_pressure_func(f)) {
		char perr3[256];
		if (expr_pressure_call(ev->sc, f, e->nargs ? a[0]->name : NULL, out, perr3, sizeof perr3) < 0)
			return everr(ev, e->nargs ? a[0] : e, "%s", perr3);
		return 0;
	}
#ifdef HAVE_POLICY_SIM
	if (expr_policy_func(f)) {
		struct answer refs;
		uint64_t nf;
		char perr2[256];
		if (eval_u64(ev, a[1], &nf) < 0 || eval(ev, a[2], &refs) < 0)
			return -1;
		int prc = expr_policy_call(f, a[0]->name, (long long)nf, &refs, out, perr2, sizeof perr2);
		answer_free(&refs);
		return prc < 0 ? everr(ev, e, "%s: %s", f, perr2) : 0;
	}
#endif
	/* len, sum, min, max */
	struct answer l;
	struct answer_item one;
	const struct answer_item *items;
	int n;
	bool list_arg = e->nargs == 1;
	if (list_arg) {
		if (eval(ev, a[0], &l) < 0)
			return -1;
		if (l.kind != ANS_LIST) {
			answer_free(&l);
			if (!strcmp(f, "len") || !strcmp(f, "sum"))
				return everr(ev, a[0], "%s() needs a list", f);
			if (l.kind != ANS_NUMBER)
				return everr(ev, a[0], "%s() needs numbers", f);
			one = l.v;
			items = &one;
			n = 1;
		} else {
			items = l.items;
			n = l.n;
		}
	} else {
		memset(&l, 0, sizeof l);
		l.kind = ANS_LIST;
		l.items = calloc((size_t)e->nargs, sizeof *l.items);
		if (!l.items)
			return everr(ev, e, "out of memory");
		for (int i = 0; i < e->nargs; i++, l.n++)
			if (eval_num(ev, a[i], &l.items[i]) < 0) {
				answer_free(&l);
				return -1;
			}
		items = l.items;
		n = l.n;
	}
	if (!strcmp(f, "len")) {
		set_int(out, n, false);
		answer_free(&l);
		return 0;
	}
	bool real = false;
	long long si = 0;
	double sd = 0;
	for (int i = 0; i < n; i++) {
		if (items[i].word) {
			answer_free(&l);
			return everr(ev, e, "%s(): '%s' is not a number", f, items[i].w);
		}
		real |= items[i].real;
		double v = answer_item_value(&items[i]);
		if (!strcmp(f, "sum")) {
			si += items[i].i;
			sd += v;
		} else if (i == 0 || (!strcmp(f, "min") ? v < sd : v > sd)) {
			sd = v;
			si = items[i].i;
		}
	}
	if (!strcmp(f, "min") || !strcmp(f, "max"))
		if (n == 0) {
			answer_free(&l);
			return everr(ev, e, "%s() of an empty list", f);
		}
	answer_free(&l);
	memset(out, 0, sizeof *out);
	out->kind = ANS_NUMBER;
	if (real) {
		out->v.real = true;
		out->v.d = sd;
	} else {
		out->v.i = si;
	}
	return 0;
}

static int arith(struct ev *ev, const struct expr *e, const struct answer_item *l, const struct answer_item *r,
		 struct answer_item *out)
{
	memset(out, 0, sizeof *out);
	bool real = l->real || r->real;
	double a = answer_item_value(l), b = answer_item_value(r);
	long long x = l->i, y = r->i;
	switch (e->op) {
	case OP_EQ: out->i = real ? a == b : x == y; return 0;
	case OP_NE: out->i = real ? a != b : x != y; return 0;
	case OP_LT: out->i = real ? a < b : x < y; return 0;
	case OP_LE: out->i = real ? a <= b : x <= y; return 0;
	case OP_GT: out->i = real ? a > b : x > y; return 0;
	case OP_GE: out->i = real ? a >= b : x >= y; return 0;
	case OP_AND: out->i = a != 0 && b != 0; return 0;
	case OP_OR: out->i = a != 0 || b != 0; return 0;
	default: break;
	}
	out->hex = (l->hex || r->hex) && !real;
	if ((e->op == OP_DIV || e->op == OP_IDIV || e->op == OP_MOD) && b == 0)
		return everr(ev, e, "division by zero");
	if (real && e->op != OP_IDIV && e->op != OP_MOD) {
		out->real = true;
		out->d = e->op == OP_ADD ? a + b : e->op == OP_SUB ? a - b : e->op == OP_MUL ? a * b : a / b;
		return 0;
	}
	if (real) {
		out->i = e->op == OP_IDIV ? (long long)floor(a / b) : (long long)fmod(a, b);
		return 0;
	}
	switch (e->op) {
	case OP_ADD: out->i = (long long)((unsigned long long)x + (unsigned long long)y); break;
	case OP_SUB: out->i = (long long)((unsigned long long)x - (unsigned long long)y); break;
	case OP_MUL: out->i = (long long)((unsigned long long)x * (unsigned long long)y); break;
	case OP_IDIV: out->i = x / y; break;
	case OP_MOD: out->i = x % y; break;
	default: /* OP_DIV: exact when it divides, else a real */
		if (x % y == 0) {
			out->i = x / y;
		} else {
			out->real = true;
			out->hex = false;
			out->d = (double)x / (double)y;
		}
		break;
	}
	return 0;
}

static int eval(struct ev *ev, const struct expr *e, struct answer *out)
{
	char err[512] = "";
	memset(out, 0, sizeof *out);
	switch (e->t) {
	case E_NUM:
		out->kind = ANS_NUMBER;
		out->v = e->num;
		return 0;
	case E_NAME: {
		long long v;
		if (scenario_stat(ev->sc, e->name, &v, err, sizeof err) < 0)
			return everr(ev, e, "%s", err);
		set_int(out, v, false);
		return 0;
	}
	case E_CALL:
		return call(ev, e, out);
	case E_LIST:
		out->kind = ANS_LIST;
		if (e->nargs && !(out->items = calloc((size_t)e->nargs, sizeof *out->items)))
			return everr(ev, e, "out of memory");
		for (int i = 0; i < e->nargs; i++) {
			struct answer a;
			if (eval(ev, e->args[i], &a) < 0) {
				answer_free(out);
				return -1;
			}
			if (a.kind == ANS_LIST) {
				answer_free(&a);
				answer_free(out);
				return everr(ev, e->args[i], "a list cannot hold a list");
			}
			out->items[out->n++] = a.v;
		}
		return 0;
	case E_INDEX: {
		struct answer l;
		uint64_t i = 0;
		if (eval(ev, e->args[0], &l) < 0)
			return -1;
		if (l.kind != ANS_LIST) {
			answer_free(&l);
			return everr(ev, e->args[0], "only a list can be indexed");
		}
		if (eval_u64(ev, e->args[1], &i) < 0 || i >= (uint64_t)l.n) {
			int n = l.n;
			answer_free(&l);
			return ev->err[0] && ev->errpos == e->args[1]->pos
				       ? -1
				       : everr(ev, e->args[1], "index %llu is out of range (the list has %d items)",
					       (unsigned long long)i, n);
		}
		out->kind = l.items[i].word ? ANS_WORD : ANS_NUMBER;
		out->v = l.items[i];
		answer_free(&l);
		return 0;
	}
	case E_UNARY: {
		struct answer_item v;
		if (eval_num(ev, e->args[0], &v) < 0)
			return -1;
		out->kind = ANS_NUMBER;
		if (e->op == OP_NOT) {
			out->v.i = answer_item_value(&v) == 0;
		} else {
			out->v = v;
			out->v.hex = false;
			out->v.i = (long long)(0 - (unsigned long long)v.i);
			out->v.d = -v.d;
		}
		return 0;
	}
	case E_BINARY: {
		struct answer l, r;
		if (eval(ev, e->args[0], &l) < 0)
			return -1;
		if (eval(ev, e->args[1], &r) < 0) {
			answer_free(&l);
			return -1;
		}
		int rc = 0;
		out->kind = ANS_NUMBER;
		if ((e->op == OP_EQ || e->op == OP_NE) && (l.kind == ANS_WORD || r.kind == ANS_WORD)) {
			bool eq = l.kind == r.kind && !strcasecmp(l.v.w, r.v.w);
			out->v.i = e->op == OP_EQ ? eq : !eq;
		} else if (l.kind != ANS_NUMBER || r.kind != ANS_NUMBER) {
			rc = everr(ev, e, "this operator needs numbers on both sides");
		} else {
			rc = arith(ev, e, &l.v, &r.v, &out->v);
		}
		answer_free(&l);
		answer_free(&r);
		return rc;
	}
	}
	return everr(ev, e, "bad expression");
}

int expr_eval(struct scenario *sc, const struct expr *e, struct answer *out, int *errpos, char *err, size_t errlen)
{
	struct ev ev = { sc, 0, err, errlen };
	err[0] = '\0';
	int rc = eval(&ev, e, out);
	*errpos = ev.errpos;
	return rc;
}
