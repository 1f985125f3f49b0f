/* tools/scenario_parse.c - tokenising scenario lines and parsing arguments
 * with column-accurate errors ("t.scn:3:17: unknown gfp flag 'GFP_KERNAL'").
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/slab.h"
#include "tools/scenario.h"

int scn_tokenize(const char *line, char *buf, int lineno, struct scn_args *a)
{
	size_t i = 0;
	memset(a, 0, sizeof *a);
	a->line = lineno;
	a->rest = "";
	strcpy(buf, line);
	for (;;) {
		while (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')
			i++;
		if (!buf[i] || buf[i] == '#')
			return a->argc;
		if (a->argc == SCN_MAX_ARGS) {
			a->end_col = (int)i + 1;
			return -1;
		}
		a->argv[a->argc] = buf + i;
		a->col[a->argc] = (int)i + 1;
		if (a->argc == 1) {
			a->rest = line + i;
			a->rest_col = (int)i + 1;
		}
		a->argc++;
		/* a "quoted text" is one token (blanks and '#' inside it too) */
		if (buf[i] == '"')
			for (i++; buf[i] && buf[i] != '"'; i++)
				if (buf[i] == '\\' && buf[i + 1])
					i++;
		while (buf[i] && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
			i++;
		a->end_col = (int)i + 1;
		if (a->argc > 1)
			a->rest_len = a->end_col - a->rest_col;
		if (!buf[i])
			return a->argc;
		buf[i++] = '\0';
	}
}

/* Is argv[I] a keyword argument ("order=5": a word, then '=')? */
static bool is_kw(const struct scn_args *a, int i)
{
	const char *s = a->argv[i];
	size_t k = strcspn(s, "=");
	return s[k] == '=' && k > 0 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == k;
}

int scn_pos(const struct scn_args *a, int n)
{
	for (int i = 1; i < a->argc; i++)
		if (!is_kw(a, i) && --n == 0)
			return i;
	return -1;
}

int scn_nargs(struct scenario *sc, const struct scn_args *a, const struct scenario_cmd *cmd, int min, int max)
{
	int n = a->argc - 1;
	if (n < min)
		return scn_error(sc, a, a->argc, "%s: missing argument (usage: %s)", cmd->name, cmd->usage);
	if (max >= 0 && n > max)
		return scn_error(sc, a, max + 1, "%s: too many arguments (usage: %s)", cmd->name, cmd->usage);
	return 0;
}

int scn_kv(const struct scn_args *a, const char *key, const char **val)
{
	size_t k = strlen(key);
	for (int i = 1; i < a->argc; i++) {
		if (is_kw(a, i) && !strncmp(a->argv[i], key, k) && a->argv[i][k] == '=') {
			if (val)
				*val = a->argv[i] + k + 1;
			return i;
		}
	}
	return -1;
}

int scn_only(struct scenario *sc, const struct scn_args *a, int npos, const char *const *keys)
{
	const char *usage = sc->cur ? sc->cur->usage : a->argv[0];
	int pos = 0;
	for (int i = 1; i < a->argc; i++) {
		if (!is_kw(a, i)) {
			if (++pos > npos)
				return scn_error(sc, a, i, "%s: unexpected argument '%s' (usage: %s)", a->argv[0],
						 a->argv[i], usage);
			continue;
		}
		size_t k = strcspn(a->argv[i], "=");
		bool ok = false;
		for (const char *const *key = keys; key && *key; key++)
			if (strlen(*key) == k && !strncmp(*key, a->argv[i], k))
				ok = true;
		if (!ok)
			return scn_error(sc, a, i, "%s: unknown option '%.*s' (usage: %s)", a->argv[0], (int)k,
					 a->argv[i], usage);
		for (int j = 1; j < i; j++)
			if (is_kw(a, j) && !strncmp(a->argv[j], a->argv[i], k + 1))
				return scn_error(sc, a, i, "%s: option '%.*s' given twice", a->argv[0], (int)k,
						 a->argv[i]);
	}
	return 0;
}

int scn_u64(struct scenario *sc, const struct scn_args *a, int argi, int off, bool size, uint64_t max,
	    uint64_t *out)
{
	const char *s = a->argv[argi] + off;
	char *end;
	if (!isdigit((unsigned char)*s))
		return scn_error_at(sc, a, argi, off, "'%s' is not a %s", s, size ? "size" : "number");
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	int shift = 0;
	if (size && *end && !end[1]) {
		shift = (int)memparse_shift(*end);
		if (shift)
			end++;
	}
	if (*end)
		return scn_error_at(sc, a, argi, off + (int)(end - s), "'%s' is not a %s%s", s,
				    size ? "size" : "number", size ? " (N, NK, NM or NG)" : "");
	if (errno || (shift && v > (UINT64_MAX >> shift)) || (v << shift) > max)
		return scn_error_at(sc, a, argi, off, "'%s' is out of range (0..%llu)", s, (unsigned long long)max);
	*out = v << shift;
	return 0;
}

/* Parse FLAGS ('|'-separated names or numbers) in argv[ARGI] from OFF with
 * ONE (gfp_parse or slab_flags_parse) per token, so that an error points at
 * the bad token.  WHAT names the flag kind in messages. */
static int parse_flags(struct scenario *sc, const struct scn_args *a, int argi, int off, const char *what,
		       int (*one)(const char *, unsigned *, char *, size_t), unsigned *out)
{
	const char *s = a->argv[argi] + off;
	char tok[128], err[256];
	unsigned all = 0;
	if (!*s)
		return scn_error_at(sc, a, argi, off, "missing %s flags", what);
	for (const char *p = s;;) {
		size_t n = strcspn(p, "|");
		unsigned v;
		if (n == 0 || n >= sizeof tok)
			return scn_error_at(sc, a, argi, off + (int)(p - s), "empty or overlong %s flag", what);
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (one(tok, &v, err, sizeof err) < 0)
			return scn_error_at(sc, a, argi, off + (int)(p - s), "unknown %s flag '%s'", what, tok);
		all |= v;
		p += n;
		if (!*p)
			break;
		p++;
	}
	*out = all;
	return 0;
}

static int gfp_one(const char *s, unsigned *out, char *err, size_t errlen)
{
	gfp_t g;
	if (gfp_parse(s, &g, err, errlen) < 0)
		return -1;
	*out = g;
	return 0;
}

int scn_gfp(struct scenario *sc, const struct scn_args *a, int argi, int off, gfp_t *out)
{
	unsigned v;
	if (parse_flags(sc, a, argi, off, "gfp", gfp_one, &v))
		return SCN_ERROR;
	*out = v;
	return 0;
}

int scn_slab_flags(struct scenario *sc, const struct scn_args *a, int argi, int off, unsigned *out)
{
	return parse_flags(sc, a, argi, off, "slab", slab_flags_parse, out);
}

int scn_name(struct scenario *sc, const struct scn_args *a, int argi)
{
	const char *s = a->argv[argi];
	size_t n = strlen(s);
	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return scn_error(sc, a, argi, "'%s' is not a name (a letter or '_' first)", s);
	size_t ok = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
	if (ok != n)
		return scn_error_at(sc, a, argi, (int)ok, "'%s': character '%c' not allowed in a name", s, s[ok]);
	if (n >= sizeof(((struct scn_handle *)0)->name))
		return scn_error(sc, a, argi, "name '%s' is too long", s);
	return 0;
}
