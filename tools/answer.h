/* tools/answer.h - answers to exercise questions: numbers (integers or
 * reals; decimal or 0x hex), words and lists of either.  The same type holds
 * what a `question` computed (tools/scenario_question.c) and what a student
 * wrote (tools/cmd_grade.c); answer_score() compares them with tolerance and
 * partial credit.  docs/exercises.md describes the rules for students.
 */
#ifndef MMSIM_TOOLS_ANSWER_H
#define MMSIM_TOOLS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum answer_kind { ANS_NUMBER, ANS_WORD, ANS_LIST };

#define ANS_WORD_MAX 64

/* One number or word. */
struct answer_item {
	bool word;               /* a word (w), else a number */
	bool real;               /* a number with a fraction: d, else i */
	bool hex;                /* print as 0x hex (addresses, entries) */
	long long i;
	double d;
	char w[ANS_WORD_MAX];
};

struct answer {
	enum answer_kind kind;
	struct answer_item v;    /* ANS_NUMBER, ANS_WORD */
	int n;                   /* ANS_LIST: items[0..n) */
	struct answer_item *items;
};

/* How a list earns partial credit. */
enum answer_partial {
	PARTIAL_POSITION,        /* fraction of positions right (default for lists) */
	PARTIAL_SET,             /* fraction of the elements present, in any order */
	PARTIAL_NONE,            /* all or nothing */
};

struct answer_rule {
	double points;           /* default 1 */
	double tolerance;        /* numbers: |got - want| <= tolerance ... */
	bool tol_relative;       /* ... or <= tolerance * |want| ("5%") */
	enum answer_partial partial;
};

void answer_free(struct answer *a);
/* Deep copy of SRC into DST.  Returns 0, or -1 when out of memory. */
int answer_copy(struct answer *dst, const struct answer *src);
/* A number as a double. */
double answer_item_value(const struct answer_item *it);
/* Render A ("42", "0x1f000", "0.75", "DMA32", "1,0,3") into BUF; returns BUF. */
char *answer_format(const struct answer *a, char *buf, size_t len);
const char *answer_kind_name(enum answer_kind k);
/* Parse one item (number or word) from TEXT (LEN bytes).  Returns 0, or -1
 * with ERR naming what is wrong. */
int answer_parse_item(const char *text, size_t len, struct answer_item *out, char *err, size_t errlen);
/* Parse a student's answer TEXT (the rest of an "ID value" line, comment
 * already removed) as the kind WANT.  A list is items separated by commas
 * and/or blanks, optionally in [ ].  Returns 0, or -1 with ERR ("expected a
 * number, got 'DMA'"). */
int answer_parse(const char *text, enum answer_kind want, struct answer *out, char *err, size_t errlen);
/* Fraction of credit (0..1) GOT earns against WANT under RULE; WHY gets a
 * short explanation when it is less than 1 ("2 of 4 positions right"). */
double answer_score(const struct answer *want, const struct answer *got, const struct answer_rule *rule,
		    char *why, size_t whylen);
/* Parse a tolerance "0.5" or "5%" into RULE.  Returns 0 or -1. */
int answer_parse_tolerance(const char *s, struct answer_rule *rule);

#endif
