/* tools/reftrace.c - parsing of address traces (see reftrace.h). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/reftrace.h"

int reftrace_add(struct reftrace *t, uint64_t addr, char kind, int pid, int line)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		struct ref_access *a = realloc(t->a, cap * sizeof *a);
		if (!a)
			return -1;
		t->a = a;
		t->cap = cap;
	}
	t->a[t->n++] = (struct ref_access){addr, kind, pid, line};
	return 0;
}

void reftrace_free(struct reftrace *t)
{
	free(t->a);
	t->a = NULL;
	t->n = t->cap = 0;
}

static char kind_of(char c)
{
	c = (char)toupper((unsigned char)c);
	return c == 'R' || c == 'W' || c == 'X' ? c : 0;
}

/* A number at S (0x hex or decimal; HEX: bare hex).  Sets *END past it.
 * Returns 0, or -1 (no digits, overflow). */
static int parse_num(const char *s, bool hex, uint64_t *out, const char **end)
{
	int base = hex ? 16 : 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)*s) || (base == 10 && !isdigit((unsigned char)*s)))
		return -1;
	char *e;
	errno = 0;
	unsigned long long v = strtoull(s, &e, base);
	if (errno)
		return -1;
	*out = v;
	*end = e;
	return 0;
}

int reftrace_token(const char *tok, struct ref_access *out, int *badoff, char *err, size_t errlen)
{
	char k = kind_of(tok[0]);
	if (!k || tok[1] != ':') {
		*badoff = 0;
		snprintf(err, errlen, "'%s' is not KIND:ADDR (r:0x1000, w:..., x:...)", tok);
		return -1;
	}
	const char *end;
	uint64_t v;
	if (parse_num(tok + 2, false, &v, &end) || *end) {
		*badoff = 2;
		snprintf(err, errlen, "'%s' is not an address (decimal or 0x hex)", tok + 2);
		return -1;
	}
	*out = (struct ref_access){v, k, -1, 0};
	return 0;
}

/* Append ADDR..ADDR+SIZE-1 as one access per page touched (PAGE: page
 * size, 0 for no split).  Returns 0 or -1. */
static int add_span(struct reftrace *t, uint64_t addr, uint64_t size, char kind, int pid, int line, uint64_t page)
{
	if (reftrace_add(t, addr, kind, pid, line))
		return -1;
	if (!page || size <= 1)
		return 0;
	uint64_t last = addr + size - 1;
	if (last < addr)
		last = UINT64_MAX;
	for (uint64_t p = (addr & ~(page - 1)) + page; p && p <= last; p += page)
		if (reftrace_add(t, p, kind, pid, line))
			return -1;
	return 0;
}

/* One lackey line ("I  addr,size" or " L|S|M addr,size").  Returns 0, 1
 * when LINE is not lackey-shaped, -1 with ERR (COL set). */
static int parse_lackey(const char *s, struct reftrace *t, int lineno, uint64_t page, int *col, char *err,
			size_t errlen)
{
	char op;
	const char *p;
	if (s[0] == 'I' && s[1] == ' ' && s[2] == ' ') {
		op = 'I';
		p = s + 3;
	} else if (s[0] == ' ' && (s[1] == 'L' || s[1] == 'S' || s[1] == 'M') && s[2] == ' ') {
		op = s[1];
		p = s + 3;
	} else {
		return 1;
	}
	while (*p == ' ')
		p++;
	uint64_t addr, size;
	const char *end;
	if (parse_num(p, true, &addr, &end)) {
		*col = (int)(p - s) + 1;
		snprintf(err, errlen, "bad lackey address (hex digits expected)");
		return -1;
	}
	if (*end != ',') {
		*col = (int)(end - s) + 1;
		snprintf(err, errlen, "bad lackey line: ',SIZE' expected after the address");
		return -1;
	}
	p = end + 1;
	if (parse_num(p, false, &size, &end) || size == 0) {
		*col = (int)(p - s) + 1;
		snprintf(err, errlen, "bad lackey size (a positive decimal number expected)");
		return -1;
	}
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if (*end) {
		*col = (int)(end - s) + 1;
		snprintf(err, errlen, "unexpected text after the lackey access");
		return -1;
	}
	int rc = 0;
	if (op == 'I')
		rc = add_span(t, addr, size, 'X', -1, lineno, page);
	else if (op == 'L')
		rc = add_span(t, addr, size, 'R', -1, lineno, page);
	else if (op == 'S')
		rc = add_span(t, addr, size, 'W', -1, lineno, page);
	else
		rc = add_span(t, addr, size, 'R', -1, lineno, page) || add_span(t, addr, size, 'W', -1, lineno, page);
	if (rc) {
		*col = 1;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* One mmsim line "R|W|X ADDR [PID]" (comment already cut).  Returns 0,
 * or -1 with ERR (COL set). */
static int parse_mmsim(const char *s, struct reftrace *t, int lineno, int *col, char *err, size_t errlen)
{
	const char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\r')
		return 0;
	char k = kind_of(*p);
	if (!k || (p[1] && !isspace((unsigned char)p[1]))) {
		*col = (int)(p - s) + 1;
		snprintf(err, errlen, "expected R, W or X (or a valgrind lackey line: 'I  addr,size', ' L addr,size')");
		return -1;
	}
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	uint64_t addr, pid = 0;
	const char *end;
	if (parse_num(p, false, &addr, &end) || (*end && !isspace((unsigned char)*end))) {
		*col = (int)(p - s) + 1;
		snprintf(err, errlen, "bad address (decimal or 0x hex expected)");
		return -1;
	}
	p = end;
	while (*p == ' ' || *p == '\t')
		p++;
	bool has_pid = false;
	if (*p && *p != '\r') {
		if (parse_num(p, false, &pid, &end) || pid > 0x7fffffff || (*end && !isspace((unsigned char)*end))) {
			*col = (int)(p - s) + 1;
			snprintf(err, errlen, "bad PID (a decimal number expected)");
			return -1;
		}
		has_pid = true;
		p = end;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p) {
			*col = (int)(p - s) + 1;
			snprintf(err, errlen, "unexpected text after 'KIND ADDR PID'");
			return -1;
		}
	}
	if (reftrace_add(t, addr, k, has_pid ? (int)pid : -1, lineno)) {
		*col = 1;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int reftrace_parse(const char *text, const char *file, uint64_t page_size, struct reftrace *t, char *err,
		   size_t errlen)
{
	int lineno = 0;
	char msg[200];
	char *line = NULL;
	size_t cap = 0;
	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		lineno++;
		if (len + 1 > cap) {
			cap = len + 1;
			char *l = realloc(line, cap);
			if (!l) {
				free(line);
				snprintf(err, errlen, "%s:%d: out of memory", file, lineno);
				return -1;
			}
			line = l;
		}
		memcpy(line, s, len);
		line[len] = 0;
		s = nl ? nl + 1 : s + len;
		if (!strncmp(line, "==", 2) || (line[0] == '-' && line[1] == '-'))
			continue;  /* valgrind's own lines */
		int col = 1;
		int rc = parse_lackey(line, t, lineno, page_size, &col, msg, sizeof msg);
		if (rc == 1) {
			char *hash = strchr(line, '#');
			if (hash)
				*hash = 0;
			rc = parse_mmsim(line, t, lineno, &col, msg, sizeof msg);
		}
		if (rc) {
			snprintf(err, errlen, "%s:%d:%d: %s", file, lineno, col, msg);
			free(line);
			return -1;
		}
	}
	free(line);
	return 0;
}
