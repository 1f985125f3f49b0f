/* tools/grade_report.c - the grade report: tests, the text report and
 * Gradescope's results.json.
 *
 * results.json (Gradescope autograder specification): a top-level object
 * with "score" (the total), "execution_time" (seconds), "output" (text for
 * the student), "visibility" and "stdout_visibility", and "tests": one
 * object per question with "name", "score", "max_score", "output" and
 * "visibility" ("visible").  Scores are rounded to 1/100 of a point.
 */
#include "tools/grade.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/summary.h"

struct grade_test *grade_add(struct grade_report *r, const char *name, double max_score)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct grade_test *n = realloc(r->tests, cap * sizeof *n);
		if (!n) {
			sb_printf(&r->output, "out of memory: test '%s' not graded\n", name);
			return NULL;
		}
		r->tests = n;
		r->cap = cap;
	}
	struct grade_test *t = &r->tests[r->n++];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	t->max_score = max_score;
	return t;
}

void grade_report_free(struct grade_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		sb_free(&r->tests[i].output);
	free(r->tests);
	sb_free(&r->output);
	memset(r, 0, sizeof *r);
}

static double round2(double x)
{
	return round(x * 100) / 100;
}

double grade_total(const struct grade_report *r, double *max)
{
	double s = 0, m = 0;
	for (size_t i = 0; i < r->n; i++) {
		s += round2(r->tests[i].score);
		m += r->tests[i].max_score;
	}
	if (max)
		*max = m;
	return round2(s);
}

void grade_print(const struct grade_report *r, const char *exercise, FILE *f)
{
	double max, total = grade_total(r, &max);
	fprintf(f, "Exercise %s\n", exercise);
	if (r->output.buf && r->output.len)
		fprintf(f, "%s", r->output.buf);
	for (size_t i = 0; i < r->n; i++) {
		const struct grade_test *t = &r->tests[i];
		fprintf(f, "  [%5g / %-3g] %s\n", round2(t->score), t->max_score, t->name);
		if (t->output.buf && t->output.len) {
			/* indent each line of the test's output */
			for (const char *p = t->output.buf; *p;) {
				size_t n = strcspn(p, "\n");
				fprintf(f, "                %.*s\n", (int)n, p);
				p += n + (p[n] == '\n');
			}
		}
	}
	fprintf(f, "Score: %g / %g\n", total, max);
}

int grade_write_results(const struct grade_report *r, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "mmsim grade: %s: cannot write: %s\n", path, strerror(errno));
		return -1;
	}
	double max, total = grade_total(r, &max);
	fprintf(f, "{\n  \"score\": %.2f,\n  \"execution_time\": %.3f,\n  \"output\": ", total, r->execution_time);
	char head[128];
	snprintf(head, sizeof head, "Score: %g / %g\n", total, max);
	struct strbuf o = { 0 };
	sb_printf(&o, "%s%s", head, r->output.buf ? r->output.buf : "");
	json_put_string(f, o.buf);
	sb_free(&o);
	fputs(",\n  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"visible\",\n  \"tests\": [", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct grade_test *t = &r->tests[i];
		fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
		json_put_string(f, t->name);
		fprintf(f, ", \"score\": %.2f, \"max_score\": %g, \"output\": ", round2(t->score), t->max_score);
		json_put_string(f, t->output.buf ? t->output.buf : "");
		fputs(", \"visibility\": \"visible\"}", f);
	}
	fputs("\n  ]\n}\n", f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "mmsim grade: %s: cannot write: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}
