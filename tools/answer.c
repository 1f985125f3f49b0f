/* tools/answer.c - parsing, printing and scoring answers (tools/answer.h).
 *
 * Scoring: a number is right when it equals the expected one, or is within
 * the question's tolerance (absolute, or relative with "N%"); a word is
 * right when it equals the expected one ignoring case; a list earns the
 * fraction of its positions that are right (PARTIAL_POSITION: item k
 * against item k, out of the longer of the two lists, so extra items cost
 * as much as missing ones), or of its elements present in any order
 * (PARTIAL_SET: a multiset match, again out of the longer list), or all or
 * nothing (PARTIAL_NONE).
 */
#include "tools/answer.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void answer_free(struct answer *a)
{
	free(a->items);
	a->items = NULL;
	a->n = 0;
}

int answer_copy(struct answer *dst, const struct answer *src)
{
	*dst = *src;
	dst->items = NULL;
	if (src->kind != ANS_LIST || src->n == 0)
		return 0;
	dst->items = malloc((size_t)src->n * sizeof *dst->items);
	if (!dst->items) {
		dst->n = 0;
		return -1;
	}
	memcpy(dst->items, src->items, (size_t)src->n * sizeof *dst->items);
	return 0;
}

double answer_item_value(const struct answer_item *it)
{
	return it->real ? it->d : (double)it->i;
}

const char *answer_kind_name(enum answer_kind k)
{
	return k == ANS_NUMBER ? "a number" : k == ANS_WORD ? "a word" : "a list";
}

static int format_item(const struct answer_item *it, char *buf, size_t len)
{
	if (it->word)
		return snprintf(buf, len, "%s", it->w);
	if (it->real)
		return snprintf(buf, len, "%.10g", it->d);
	if (it->hex)
		return snprintf(buf, len, "%#llx", (unsigned long long)it->i);
	return snprintf(buf, len, "%lld", it->i);
}

char *answer_format(const struct answer *a, char *buf, size_t len)
{
	if (!len)
		return buf;
	buf[0] = '\0';
	if (a->kind != ANS_LIST) {
		format_item(&a->v, buf, len);
		return buf;
	}
	if (a->n == 0) {
		snprintf(buf, len, "[]");
		return buf;
	}
	size_t used = 0;
	for (int k = 0; k < a->n && used < len; k++) {
		if (k)
			buf[used++] = ',';
		if (used >= len)
			break;
		int w = format_item(&a->items[k], buf + used, len - used);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (used >= len)
		used = len - 1;
	buf[used] = '\0';
	return buf;
}

int answer_parse_item(const char *text, size_t len, struct answer_item *out, char *err, size_t errlen)
{
	char tok[ANS_WORD_MAX];
	memset(out, 0, sizeof *out);
	if (len == 0) {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	if (len >= sizeof tok) {
		snprintf(err, errlen, "'%.*s...' is too long", 20, text);
		return -1;
	}
	memcpy(tok, text, len);
	tok[len] = '\0';
	const char *s = tok;
	bool neg = *s == '-' || *s == '+';
	if (isdigit((unsigned char)s[neg]) || (s[neg] == '.' && isdigit((unsigned char)s[neg + 1]))) {
		char *end;
		errno = 0;
		bool hex = s[neg] == '0' && (s[neg + 1] == 'x' || s[neg + 1] == 'X');
		if (hex || !strpbrk(s, ".eE")) {
			unsigned long long v = strtoull(s + neg, &end, hex ? 16 : 10);
			if (!*end && !errno) {
				out->i = *s == '-' ? (long long)(0 - v) : (long long)v;
				out->hex = hex;
				return 0;
			}
		} else {
			double d = strtod(s, &end);
			if (!*end && !errno && isfinite(d)) {
				out->real = true;
				out->d = d;
				if (d == floor(d) && fabs(d) < 9e15) {
					out->real = false;
					out->i = (long long)d;
				}
				return 0;
			}
		}
		snprintf(err, errlen, "'%s' is not a number", tok);
		return -1;
	}
	for (const char *p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_.-+:/", *p)) {
			snprintf(err, errlen, "'%s' is neither a number nor a word (character '%c')", tok, *p);
			return -1;
		}
	}
	out->word = true;
	snprintf(out->w, sizeof out->w, "%s", tok);
	return 0;
}

int answer_parse(const char *text, enum answer_kind want, struct answer *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->kind = want;
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (!len) {
		snprintf(err, errlen, "no value after the question id");
		return -1;
	}
	if (want != ANS_LIST) {
		if (strcspn(text, " \t,") < len || text[0] == '[') {
			snprintf(err, errlen, "expected %s, got a list '%.*s'", answer_kind_name(want), (int)len, text);
			return -1;
		}
		if (answer_parse_item(text, len, &out->v, err, errlen) < 0)
			return -1;
		if (want == ANS_NUMBER && out->v.word) {
			snprintf(err, errlen, "expected a number, got the word '%s'", out->v.w);
			return -1;
		}
		if (want == ANS_WORD && !out->v.word) {
			/* a word that looks like a number ("4K"? no: "0") stays text */
			out->v.word = true;
			snprintf(out->v.w, sizeof out->v.w, "%.*s", (int)len, text);
		}
		return 0;
	}
	if (text[0] == '[') {
		if (text[len - 1] != ']') {
			snprintf(err, errlen, "'[' without a closing ']'");
			return -1;
		}
		text++;
		len -= 2;
	}
	int cap = 0;
	for (size_t p = 0; p < len;) {
		while (p < len && (isspace((unsigned char)text[p]) || text[p] == ','))
			p++;
		if (p >= len)
			break;
		size_t q = p;
		while (q < len && !isspace((unsigned char)text[q]) && text[q] != ',')
			q++;
		if (out->n == cap) {
			cap = cap ? 2 * cap : 8;
			struct answer_item *n = realloc(out->items, (size_t)cap * sizeof *n);
			if (!n) {
				snprintf(err, errlen, "out of memory");
				answer_free(out);
				return -1;
			}
			out->items = n;
		}
		if (answer_parse_item(text + p, q - p, &out->items[out->n], err, errlen) < 0) {
			answer_free(out);
			return -1;
		}
		out->n++;
		p = q;
	}
	return 0;
}

int answer_parse_tolerance(const char *s, struct answer_rule *rule)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (end == s || errno || !isfinite(d) || d < 0)
		return -1;
	rule->tol_relative = false;
	if (*end == '%') {
		rule->tol_relative = true;
		d /= 100;
		end++;
	}
	if (*end)
		return -1;
	rule->tolerance = d;
	return 0;
}

static bool item_equal(const struct answer_item *want, const struct answer_item *got, const struct answer_rule *r)
{
	if (want->word || got->word) {
		if (want->word && got->word)
			return !strcasecmp(want->w, got->w);
		return false;
	}
	if (!want->real && !got->real && r->tolerance == 0)
		return want->i == got->i;
	double w = answer_item_value(want), g = answer_item_value(got);
	double tol = r->tol_relative ? r->tolerance * fabs(w) : r->tolerance;
	/* reals compare to 6 significant digits at least */
	double eps = fabs(w) * 1e-6 + 1e-9;
	return fabs(w - g) <= (tol > eps ? tol : eps);
}

double answer_score(const struct answer *want, const struct answer *got, const struct answer_rule *rule,
		    char *why, size_t whylen)
{
	char buf[256];
	why[0] = '\0';
	if (want->kind != got->kind) {
		snprintf(why, whylen, "expected %s", answer_kind_name(want->kind));
		return 0;
	}
	if (want->kind != ANS_LIST) {
		if (item_equal(&want->v, &got->v, rule))
			return 1;
		snprintf(why, whylen, "wrong: %s", answer_format(got, buf, sizeof buf));
		return 0;
	}
	int n = want->n > got->n ? want->n : got->n;
	if (n == 0)
		return 1;
	int right = 0;
	if (rule->partial == PARTIAL_SET) {
		bool used[512] = { false };
		for (int g = 0; g < got->n; g++)
			for (int w = 0; w < want->n && w < 512; w++)
				if (!used[w] && item_equal(&want->items[w], &got->items[g], rule)) {
					used[w] = true;
					right++;
					break;
				}
	} else {
		for (int k = 0; k < want->n && k < got->n; k++)
			right += item_equal(&want->items[k], &got->items[k], rule);
	}
	if (right == n && want->n == got->n)
		return 1;
	const char *unit = rule->partial == PARTIAL_SET ? "elements" : "positions";
	if (got->n != want->n)
		snprintf(why, whylen, "%d of %d %s right (%d item%s given, %d expected)", right, n, unit, got->n,
			 got->n == 1 ? "" : "s", want->n);
	else
		snprintf(why, whylen, "%d of %d %s right", right, n, unit);
	if (rule->partial == PARTIAL_NONE)
		return 0;
	return (double)right / n;
}
