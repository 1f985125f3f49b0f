/* tools/grade.h - `mmsim grade`: a graded submission as a list of tests
 * (one per question, criterion or policy check), printed for humans and
 * written as Gradescope's results.json (docs/exercises.md).
 */
#ifndef MMSIM_TOOLS_GRADE_H
#define MMSIM_TOOLS_GRADE_H

#include <stdio.h>

#include "mm/proc.h"

struct scenario;

struct grade_test {
	char name[600];          /* "Q1: what is ..." */
	double score, max_score;
	struct strbuf output;    /* what was expected, what was given, why */
};

struct grade_report {
	struct grade_test *tests;
	size_t n, cap;
	struct strbuf output;    /* messages about the submission as a whole */
	double execution_time;   /* seconds */
};

/* Append a test.  Returns it (NULL when out of memory: the report says so). */
struct grade_test *grade_add(struct grade_report *r, const char *name, double max_score);
void grade_report_free(struct grade_report *r);
double grade_total(const struct grade_report *r, double *max);
/* The human-readable report. */
void grade_print(const struct grade_report *r, const char *exercise, FILE *f);
/* results.json in Gradescope's autograder format.  Returns 0 or -1 (cannot
 * write PATH; message on stderr). */
int grade_write_results(const struct grade_report *r, const char *path);

/* Grade kinds.  Each fills R; returns 0, or -1 when the exercise itself is
 * broken (the reason is in R's output). */
int grade_answers(struct scenario *sc, const char *answers_path, struct grade_report *r);
int grade_program(struct scenario *sc, const char *exdir, const char *program, struct grade_report *r);
int grade_policy(struct scenario *sc, const char *exdir, const char *plugin, struct grade_report *r);

int cmd_grade(int argc, char **argv);

#endif
