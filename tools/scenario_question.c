/* tools/scenario_question.c - `question`, `criterion` and `program_args`
 * (tools/scenario_question.h).
 *
 * The check pass parses each line (the expression included) and records
 * the question, so that a duplicate ID is a syntax error at the second
 * one; the run pass evaluates the recorded expression when it reaches the
 * line.  A line is recorded once, however many times the check pass runs.
 */
#include "tools/scenario_question.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/scenario.h"
#include "tools/scenario_expr.h"

const char *const crit_ops[] = { "==", "!=", "<", "<=", ">", ">=", NULL };

bool crit_compare(int op, double v, double l)
{
	switch (op) {
	case 0: return v == l;
	case 1: return v != l;
	case 2: return v < l;
	case 3: return v <= l;
	case 4: return v > l;
	default: return v >= l;
	}
}

void scn_questions_free(struct scenario *sc)
{
	struct scn_questions *qs = sc->qs;
	if (!qs)
		return;
	for (size_t i = 0; i < qs->n; i++) {
		expr_free(qs->q[i].expr);
		answer_free(&qs->q[i].value);
	}
	for (int i = 0; i < qs->nargs; i++)
		free(qs->args[i]);
	for (size_t i = 0; i < qs->nc; i++)
		free(qs->c[i].refs);
	free(qs->args);
	free(qs->q);
	free(qs->c);
	free(qs);
	sc->qs = NULL;
}

static struct scn_questions *questions(struct scenario *sc)
{
	if (!sc->qs)
		sc->qs = calloc(1, sizeof *sc->qs);
	return sc->qs;
}

/* ID at argv[1]: [A-Za-z0-9][A-Za-z0-9_.-]*, not used by another line
 * (questions and criteria share the name space).  Returns 0 or SCN_ERROR. */
static int check_id(struct scenario *sc, const struct scn_args *a)
{
	if (a->argc < 2)
		return scn_error(sc, a, a->argc, "%s: missing ID (usage: %s)", a->argv[0], sc->cur->usage);
	const char *id = a->argv[1];
	size_t n = strlen(id);
	size_t ok = strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
	if (!isalnum((unsigned char)id[0]))
		return scn_error(sc, a, 1, "%s: '%s' is not an ID (a letter or digit first)", a->argv[0], id);
	if (ok != n)
		return scn_error_at(sc, a, 1, (int)ok, "%s: character '%c' not allowed in an ID", a->argv[0], id[ok]);
	if (n >= sizeof ((struct scn_question *)0)->id)
		return scn_error(sc, a, 1, "%s: ID '%s' is too long", a->argv[0], id);
	struct scn_questions *qs = sc->qs;
	for (size_t i = 0; qs && i < qs->n; i++)
		if (!strcmp(qs->q[i].id, id) && qs->q[i].line != a->line)
			return scn_error(sc, a, 1, "duplicate ID '%s' (already used at line %d)", id, qs->q[i].line);
	for (size_t i = 0; qs && i < qs->nc; i++)
		if (!strcmp(qs->c[i].id, id) && qs->c[i].line != a->line)
			return scn_error(sc, a, 1, "duplicate ID '%s' (already used at line %d)", id, qs->c[i].line);
	return 0;
}

/* The "TEXT" at argv[2] into BUF (quotes removed, \" unescaped).  Returns
 * 0 or SCN_ERROR. */
static int quoted_text(struct scenario *sc, const struct scn_args *a, char *buf, size_t len)
{
	if (a->argc < 3 || a->argv[2][0] != '"')
		return scn_error(sc, a, a->argc < 3 ? a->argc : 2, "%s: expected the question text in double quotes",
				 a->argv[0]);
	const char *s = a->argv[2] + 1;
	size_t k = 0;
	for (; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1])
			s++;
		if (k + 1 < len)
			buf[k++] = *s;
	}
	buf[k] = '\0';
	if (*s != '"')
		return scn_error_at(sc, a, 2, 0, "%s: the text has no closing '\"'", a->argv[0]);
	if (s[1])
		return scn_error_at(sc, a, 2, (int)(s + 1 - a->argv[2]), "%s: blank expected after the closing '\"'",
				    a->argv[0]);
	return 0;
}

static const char *const qkeys[] = { "answer", "points", "tolerance", "partial", NULL };

/* Is P (inside LINE) the start of "KEY=" for one of qkeys after a blank? */
static int key_at(const char *line, const char *p)
{
	if (p > line && p[-1] != ' ' && p[-1] != '\t')
		return -1;
	for (int k = 0; qkeys[k]; k++) {
		size_t n = strlen(qkeys[k]);
		if (!strncmp(p, qkeys[k], n) && p[n] == '=')
			return k;
	}
	return -1;
}

static int parse_points(struct scenario *sc, const struct scn_args *a, int off, const char *v, size_t n,
			double *out)
{
	char buf[64], *end;
	snprintf(buf, sizeof buf, "%.*s", (int)(n < 63 ? n : 63), v);
	double d = strtod(buf, &end);
	if (!n || *end || !(d >= 0) || d > 1e6)
		return scn_error_at(sc, a, 1, off, "points: '%s' is not a number of points (0..1000000)", buf);
	*out = d;
	return 0;
}

static int cmd_question(struct scenario *sc, struct scn_args *a)
{
	struct scn_question q;
	memset(&q, 0, sizeof q);
	q.rule.points = 1;
	if (check_id(sc, a) || quoted_text(sc, a, q.text, sizeof q.text))
		return SCN_ERROR;
	/* options from the raw line after the text: answer=EXPR runs up to
	 * the next " KEY=" or the end of the line */
	const char *base = a->rest; /* starts at argv[1] */
	const char *p = base + (a->col[2] - a->col[1]) + strlen(a->argv[2]);
	const char *val[4] = { NULL };
	size_t vlen[4] = { 0 };
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		int k = key_at(base, p);
		if (k < 0) {
			size_t n = strcspn(p, " \t=");
			return scn_error_at(sc, a, 1, (int)(p - base), "question: unknown option '%.*s' (answer=, points=, "
					    "tolerance=, partial=)", (int)n, p);
		}
		if (val[k])
			return scn_error_at(sc, a, 1, (int)(p - base), "question: option '%s' given twice", qkeys[k]);
		p += strlen(qkeys[k]) + 1;
		val[k] = p;
		const char *e = p;
		if (k == 0) {
			while (*e && !(key_at(base, e) >= 0) && !(*e == '#' && (e[-1] == ' ' || e[-1] == '\t')))
				e++;
		} else {
			e += strcspn(e, " \t\r");
		}
		vlen[k] = (size_t)(e - p);
		while (vlen[k] && isspace((unsigned char)p[vlen[k] - 1]))
			vlen[k]--;
		p = e;
	}
	if (!val[0])
		return scn_error(sc, a, a->argc, "question: missing answer=EXPR (usage: %s)", sc->cur->usage);
	if (val[1] && parse_points(sc, a, (int)(val[1] - base), val[1], vlen[1], &q.rule.points))
		return SCN_ERROR;
	if (val[2]) {
		char t[64];
		snprintf(t, sizeof t, "%.*s", (int)(vlen[2] < 63 ? vlen[2] : 63), val[2]);
		if (answer_parse_tolerance(t, &q.rule) < 0)
			return scn_error_at(sc, a, 1, (int)(val[2] - base),
					    "tolerance: '%s' is not a number or a percentage (0.5, 5%%)", t);
	}
	if (val[3]) {
		static const char *const modes[] = { "position", "set", "none" };
		int m;
		for (m = 0; m < 3; m++)
			if (vlen[3] == strlen(modes[m]) && !strncmp(val[3], modes[m], vlen[3]))
				break;
		if (m == 3)
			return scn_error_at(sc, a, 1, (int)(val[3] - base), "partial: '%.*s' is not position, set or none",
					    (int)vlen[3], val[3]);
		q.rule.partial = (enum answer_partial)m;
	}
	if (!vlen[0])
		return scn_error_at(sc, a, 1, (int)(val[0] - base), "question: answer= needs an expression");
	struct scn_questions *qs = questions(sc);
	if (!qs)
		return scn_error(sc, a, 0, "out of memory");
	if (sc->checking) {
		char err[512];
		int epos = 0;
		q.expr = expr_parse(sc, val[0], vlen[0], &epos, err, sizeof err);
		if (!q.expr)
			return scn_error_at(sc, a, 1, (int)(val[0] - base) + epos, "answer: %s", err);
		snprintf(q.id, sizeof q.id, "%s", a->argv[1]);
		q.line = a->line;
		for (size_t i = 0; i < qs->n; i++)
			if (qs->q[i].line == a->line) { /* a second check pass */
				expr_free(qs->q[i].expr);
				answer_free(&qs->q[i].value);
				qs->q[i] = q;
				return 0;
			}
		if (qs->n == qs->cap) {
			size_t cap = qs->cap ? 2 * qs->cap : 16;
			struct scn_question *n = realloc(qs->q, cap * sizeof *n);
			if (!n) {
				expr_free(q.expr);
				return scn_error(sc, a, 0, "out of memory");
			}
			qs->q = n;
			qs->cap = cap;
		}
		qs->q[qs->n++] = q;
		return 0;
	}
	struct scn_question *rq = NULL;
	for (size_t i = 0; i < qs->n; i++)
		if (qs->q[i].line == a->line)
			rq = &qs->q[i];
	if (!rq)
		return scn_error(sc, a, 1, "question: not seen by the check pass");
	char err[512];
	int epos = 0;
	answer_free(&rq->value);
	if (expr_eval(sc, rq->expr, &rq->value, &epos, err, sizeof err) < 0)
		return scn_error_at(sc, a, 1, (int)(val[0] - base) + epos, "answer: %s", err);
	rq->evaluated = true;
	scn_printf(sc, "question %s: %s\n", rq->id, rq->text);
	return 0;
}

/* Record criterion C of line A (check pass; a second check pass replaces
 * it).  Takes C's refs.  Returns 0 or SCN_ERROR. */
static int record_criterion(struct scenario *sc, const struct scn_args *a, struct scn_criterion *c)
{
	struct scn_questions *qs = questions(sc);
	if (!qs) {
		free(c->refs);
		return scn_error(sc, a, 0, "out of memory");
	}
	snprintf(c->id, sizeof c->id, "%s", a->argv[1]);
	c->line = a->line;
	for (size_t i = 0; i < qs->nc; i++)
		if (qs->c[i].line == a->line) {
			free(qs->c[i].refs);
			qs->c[i] = *c;
			return 0;
		}
	if (qs->nc == qs->ccap) {
		size_t cap = qs->ccap ? 2 * qs->ccap : 8;
		struct scn_criterion *n = realloc(qs->c, cap * sizeof *n);
		if (!n) {
			free(c->refs);
			return scn_error(sc, a, 0, "out of memory");
		}
		qs->c = n;
		qs->ccap = cap;
	}
	qs->c[qs->nc++] = *c;
	return 0;
}

static int cmd_criterion(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "points", NULL };
	struct scn_criterion c;
	memset(&c, 0, sizeof c);
	c.points = 1;
	if (check_id(sc, a) || quoted_text(sc, a, c.text, sizeof c.text))
		return SCN_ERROR;
	if (scn_only(sc, a, 6, keys))
		return SCN_ERROR;
	const char *v;
	int pi = scn_kv(a, "points", &v);
	if (pi > 0 && parse_points(sc, a, 0, v, strlen(v), &c.points))
		return SCN_ERROR;
	int ki = scn_pos(a, 3);
	if (ki < 0)
		return scn_error(sc, a, a->argc, "criterion: expected stat, exit or output (usage: %s)", sc->cur->usage);
	const char *kind = a->argv[ki];
	int vi;
	if (!strcmp(kind, "output")) {
		c.kind = CRIT_OUTPUT;
		int fi = scn_pos(a, 4);
		if (fi < 0)
			return scn_error(sc, a, a->argc, "criterion: output needs the file of expected output");
		if (scn_pos(a, 5) > 0)
			return scn_error(sc, a, scn_pos(a, 5), "criterion: output takes one file");
		snprintf(c.file, sizeof c.file, "%s", a->argv[fi]);
	} else if (!strcmp(kind, "stat") || !strcmp(kind, "exit")) {
		c.kind = kind[0] == 's' ? CRIT_STAT : CRIT_EXIT;
		int base = ki;
		if (c.kind == CRIT_STAT) {
			int si = scn_pos(a, 4);
			if (si < 0)
				return scn_error(sc, a, a->argc, "criterion: stat needs NAME OP VALUE");
			snprintf(c.stat, sizeof c.stat, "%s", a->argv[si]);
			base = si;
		}
		int oi = base + 1, vpos;
		if (oi >= a->argc || scn_pos(a, (c.kind == CRIT_STAT ? 5 : 4)) != oi)
			return scn_error(sc, a, a->argc, "criterion: expected an operator (== != < <= > >=)");
		for (c.op = 0; crit_ops[c.op] && strcmp(crit_ops[c.op], a->argv[oi]); c.op++)
			;
		if (!crit_ops[c.op])
			return scn_error(sc, a, oi, "criterion: unknown operator '%s' (== != < <= > >=)", a->argv[oi]);
		vi = oi + 1;
		vpos = c.kind == CRIT_STAT ? 6 : 5;
		if (vi >= a->argc || scn_pos(a, vpos) != vi)
			return scn_error(sc, a, a->argc, "criterion: expected a number after '%s'", a->argv[oi]);
		struct answer_item it;
		char err[128];
		if (answer_parse_item(a->argv[vi], strlen(a->argv[vi]), &it, err, sizeof err) < 0 || it.word)
			return scn_error(sc, a, vi, "criterion: '%s' is not a number", a->argv[vi]);
		c.value = answer_item_value(&it);
		if (scn_pos(a, vpos + 1) > 0)
			return scn_error(sc, a, scn_pos(a, vpos + 1), "criterion: unexpected '%s'", a->argv[scn_pos(a, vpos + 1)]);
	} else {
		return scn_error(sc, a, ki, "criterion: '%s' is not stat, exit or output", kind);
	}
	if (!sc->checking) {
		scn_printf(sc, "criterion %s: %s (judged by mmsim grade --program)\n", a->argv[1], c.text);
		return 0;
	}
	return record_criterion(sc, a, &c);
}

static const char *const policy_names[] = { "FIFO", "LRU", "OPT", "UNOPT", "CLOCK", "RAND", "LFU", "MRU", NULL };

static int cmd_policy_check(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "policy", "frames", "refs", "points", NULL };
	struct scn_criterion c;
	memset(&c, 0, sizeof c);
	c.points = 1;
	c.kind = CRIT_POLICY;
	if (check_id(sc, a) || quoted_text(sc, a, c.text, sizeof c.text) || scn_only(sc, a, 2, keys))
		return SCN_ERROR;
	const char *v;
	int pi = scn_kv(a, "points", &v);
	if (pi > 0 && parse_points(sc, a, 0, v, strlen(v), &c.points))
		return SCN_ERROR;
	int ki = scn_kv(a, "policy", &v);
	if (ki < 0)
		return scn_error(sc, a, a->argc, "policy_check: missing policy=NAME (usage: %s)", sc->cur->usage);
	int k;
	for (k = 0; policy_names[k] && strcasecmp(policy_names[k], v); k++)
		;
	if (!policy_names[k])
		return scn_error_at(sc, a, ki, 7, "policy_check: '%s' is not FIFO, LRU, OPT, UNOPT, CLOCK, RAND, LFU or MRU", v);
	snprintf(c.policy, sizeof c.policy, "%s", policy_names[k]);
	int fi = scn_kv(a, "frames", NULL);
	uint64_t frames;
	if (fi < 0)
		return scn_error(sc, a, a->argc, "policy_check: missing frames=N");
	if (scn_u64(sc, a, fi, 7, false, 4096, &frames))
		return SCN_ERROR;
	if (!frames)
		return scn_error_at(sc, a, fi, 7, "policy_check: at least 1 frame");
	c.frames = (int)frames;
	int ri = scn_kv(a, "refs", &v);
	if (ri < 0)
		return scn_error(sc, a, a->argc, "policy_check: missing refs=A,B,C...");
	size_t n = 1;
	for (const char *p = v; *p; p++)
		n += *p == ',';
	c.refs = calloc(n, sizeof *c.refs);
	if (!c.refs)
		return scn_error(sc, a, ri, "out of memory");
	for (const char *p = v;;) {
		char *end;
		if (!isdigit((unsigned char)*p)) {
			free(c.refs);
			if (!*p || *p == ',')
				return scn_error_at(sc, a, ri, 5 + (int)(p - v), "policy_check: item %d of refs=%s is empty",
						    (int)c.nrefs + 1, v);
			return scn_error_at(sc, a, ri, 5 + (int)(p - v), "policy_check: refs: '%.*s' is not a page number",
					    (int)strcspn(p, ","), p);
		}
		c.refs[c.nrefs++] = strtoull(p, &end, 0);
		p = end;
		if (!*p)
			break;
		if (*p != ',') {
			free(c.refs);
			return scn_error_at(sc, a, ri, 5 + (int)(p - v), "policy_check: expected ',' between page numbers");
		}
		p++;
	}
	if (!sc->checking) {
		free(c.refs);
		scn_printf(sc, "policy_check %s: %s (judged by mmsim grade --policy)\n", a->argv[1], c.text);
		return 0;
	}
	return record_criterion(sc, a, &c);
}

static int cmd_program_args(struct scenario *sc, struct scn_args *a)
{
	struct scn_questions *qs = questions(sc);
	if (!qs)
		return scn_error(sc, a, 0, "out of memory");
	if (!sc->checking)
		return 0;
	for (int i = 0; i < qs->nargs; i++)
		free(qs->args[i]);
	free(qs->args);
	qs->nargs = 0;
	qs->args = calloc((size_t)a->argc, sizeof *qs->args);
	if (!qs->args)
		return scn_error(sc, a, 0, "out of memory");
	for (int i = 1; i < a->argc; i++) {
		const char *s = a->argv[i];
		size_t n = strlen(s);
		if (s[0] == '"' && n >= 2 && s[n - 1] == '"') /* quotes group blanks */
			qs->args[qs->nargs] = strndup(s + 1, n - 2);
		else
			qs->args[qs->nargs] = strdup(s);
		if (!qs->args[qs->nargs])
			return scn_error(sc, a, i, "out of memory");
		qs->nargs++;
	}
	return 0;
}

const struct scenario_cmd scenario_question_cmds[] = {
	{ "question", "question ID \"TEXT\" answer=EXPR [points=N] [tolerance=X|X%] [partial=position|set|none]",
	  "an exercise question whose answer EXPR is computed here (docs/exercises.md); --answers prints the key",
	  cmd_question },
	{ "criterion", "criterion ID \"TEXT\" stat NAME OP N | exit OP N | output FILE [points=N]",
	  "how mmsim grade --program judges a guest program run on this machine", cmd_criterion },
	{ "program_args", "program_args ARG...", "arguments of the program graded with --program", cmd_program_args },
	{ "policy_check", "policy_check ID \"TEXT\" policy=P frames=N refs=A,B,... [points=N]",
	  "mmsim grade --policy compares a plug-in's decisions with built-in policy P's on this reference string",
	  cmd_policy_check },
	{ 0 },
};

void scn_answers_print(const struct scenario *sc, FILE *f)
{
	const struct scn_questions *qs = sc->qs;
	char buf[4096];
	fprintf(f, "# answer key of %s (mmsim scenario --answers)\n", sc->file);
	for (size_t i = 0; qs && i < qs->n; i++) {
		const struct scn_question *q = &qs->q[i];
		fprintf(f, "# %s (%g point%s): %s\n", q->id, q->rule.points, q->rule.points == 1 ? "" : "s", q->text);
		if (q->evaluated)
			fprintf(f, "%s %s\n", q->id, answer_format(&q->value, buf, sizeof buf));
		else
			fprintf(f, "# %s not reached (the scenario stopped before line %d)\n", q->id, q->line);
	}
}
