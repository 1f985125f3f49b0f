/* tools/cmd_grade.c - `mmsim grade EXERCISE --answers FILE | --program FILE
 * | --policy FILE.so [--results results.json] [--quiet]`.
 *
 * EXERCISE is a directory holding exercise.scn (and README.md, answer
 * files...) or a scenario file.  The scenario runs first (quietly): its
 * `question` lines compute the expected answers, its `criterion` lines say
 * how a program is judged.  Then the submission is graded test by test.
 * Whatever goes wrong with the submission (unreadable file, malformed
 * lines, a crashing program) costs points in the tests concerned and is
 * said in the report; the report and results.json are always written.
 * Exit status: 0 graded (whatever the score), 2 bad usage or a broken
 * exercise (results.json is still written, with score 0 and the reason);
 * a --policy plug-in that does not exist is bad usage (one line, exit 2,
 * nothing graded).
 */
#include "tools/grade.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tools/answer.h"
#include "tools/scenario.h"
#include "tools/scenario_question.h"

static void usage(FILE *f)
{
	fputs("usage: mmsim grade EXERCISE (--answers FILE | --program FILE | --policy FILE.so)\n"
	      "                   [--results results.json] [--quiet]\n"
	      "\n"
	      "Grade a submission against an exercise.  EXERCISE is a directory with an\n"
	      "exercise.scn (see exercises/) or a scenario file.\n"
	      "\n"
	      "  --answers FILE    the student's answers: one 'ID value' per line (numbers in\n"
	      "                    decimal or 0x hex, words, lists as 1,2,3 or [1 2 3]);\n"
	      "                    '#' starts a comment\n"
	      "  --program FILE    a static x86-64 program, run on the exercise's machine and\n"
	      "                    judged by its `criterion` lines\n"
	      "  --policy FILE.so  a replacement-policy plug-in (docs/plugins.md), run in a\n"
	      "                    sandbox over the exercise's reference strings\n"
	      "  --results PATH    also write Gradescope's results.json to PATH\n"
	      "  -q, --quiet       no report on stdout (results.json only)\n"
	      "\n"
	      "The report lists each question with its score and, when not full, why.\n"
	      "Exit status: 0 graded (any score); 2 bad usage or a broken exercise.\n"
	      "docs/exercises.md has the formats.\n",
	      f);
}

/* Printable copy of S (at most LEN-1 bytes; control and non-ASCII bytes
 * become '?'), so reports and JSON stay clean whatever a student wrote. */
static char *clean(const char *s, char *buf, size_t len)
{
	size_t k = 0;
	for (; *s && k + 1 < len; s++)
		buf[k++] = ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) ? '?' : *s;
	buf[k] = '\0';
	return buf;
}

/* ---- answers ---- */

struct given {
	int line;                /* first line answering it, 0: none */
	int dup_line;            /* a second line answering it */
	char *text;              /* the value text */
};

/* Read the answers file into G (one slot per question of QS); messages
 * about lines that answer no question go to R's output.  Returns 0, or -1
 * when the file cannot be read (said in R). */
static int read_answers(const char *path, const struct scn_questions *qs, struct given *g, struct grade_report *r)
{
	FILE *f = fopen(path, "r");
	char c1[128], c2[128];
	if (!f) {
		sb_printf(&r->output, "cannot read the answers file %s: %s\n", clean(path, c1, sizeof c1), strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		sb_printf(&r->output, "%s is a directory, not an answers file\n", clean(path, c1, sizeof c1));
		fclose(f);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int lineno = 0;
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (memchr(line, '\0', (size_t)got)) {
			sb_printf(&r->output, "%s:%d: a NUL byte: line ignored\n", clean(path, c1, sizeof c1), lineno);
			continue;
		}
		/* '#' at the start or after a blank starts a comment */
		for (char *p = line; *p; p++)
			if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
				*p = '\0';
				break;
			}
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		size_t n = strlen(p);
		while (n && isspace((unsigned char)p[n - 1]))
			p[--n] = '\0';
		if (!n)
			continue;
		size_t idn = strcspn(p, " \t:=");
		char id[64];
		if (idn >= sizeof id) {
			sb_printf(&r->output, "%s:%d: malformed line (an ID then a value expected): '%s'\n",
				  clean(path, c1, sizeof c1), lineno, clean(p, c2, 40));
			continue;
		}
		memcpy(id, p, idn);
		id[idn] = '\0';
		char *v = p + idn;
		/* "Q1 5", "Q1: 5", "Q1 = 5" */
		while (isspace((unsigned char)*v))
			v++;
		if (*v == ':' || *v == '=')
			v++;
		while (isspace((unsigned char)*v))
			v++;
		size_t qi;
		for (qi = 0; qi < qs->n && strcmp(qs->q[qi].id, id); qi++)
			;
		if (qi == qs->n) {
			bool ok = idn > 0;
			for (size_t k = 0; k < idn; k++)
				ok &= isalnum((unsigned char)id[k]) || strchr("_.-", id[k]) != NULL;
			if (ok)
				sb_printf(&r->output, "%s:%d: there is no question '%s': line ignored\n",
					  clean(path, c1, sizeof c1), lineno, clean(id, c2, sizeof c2));
			else
				sb_printf(&r->output, "%s:%d: malformed line (an ID then a value expected): '%s'\n",
					  clean(path, c1, sizeof c1), lineno, clean(p, c2, 40));
			continue;
		}
		if (g[qi].line) {
			if (!g[qi].dup_line)
				g[qi].dup_line = lineno;
			continue;
		}
		g[qi].line = lineno;
		g[qi].text = strdup(v);
	}
	free(line);
	if (ferror(f))
		sb_printf(&r->output, "%s: read error: %s\n", clean(path, c1, sizeof c1), strerror(errno));
	fclose(f);
	return 0;
}

int grade_answers(struct scenario *sc, const char *path, struct grade_report *r)
{
	const struct scn_questions *qs = sc->qs;
	char name[600], c1[256], buf[2048], why[256], err[256];
	if (!qs || !qs->n) {
		sb_printf(&r->output, "the exercise %s has no question lines\n", sc->file);
		return -1;
	}
	struct given *g = calloc(qs->n, sizeof *g);
	if (!g) {
		sb_printf(&r->output, "out of memory\n");
		return -1;
	}
	bool readable = read_answers(path, qs, g, r) == 0;
	for (size_t i = 0; i < qs->n; i++) {
		const struct scn_question *q = &qs->q[i];
		snprintf(name, sizeof name, "%s: %s", q->id, q->text);
		struct grade_test *t = grade_add(r, name, q->rule.points);
		if (!t)
			continue;
		if (!q->evaluated) {
			sb_printf(&t->output, "the exercise did not compute this answer (its scenario stopped before line %d)",
				  q->line);
			continue;
		}
		answer_format(&q->value, buf, sizeof buf);
		if (!readable) {
			sb_printf(&t->output, "no answer (the answers file could not be read)");
			continue;
		}
		if (!g[i].line) {
			sb_printf(&t->output, "no answer given for %s", q->id);
			continue;
		}
		if (g[i].dup_line) {
			sb_printf(&t->output, "answered twice (lines %d and %d): no credit", g[i].line, g[i].dup_line);
			continue;
		}
		struct answer got;
		if (!g[i].text || answer_parse(g[i].text, q->value.kind, &got, err, sizeof err) < 0) {
			sb_printf(&t->output, "line %d: %s: no credit", g[i].line, g[i].text ? clean(err, c1, sizeof c1) : "out of memory");
			continue;
		}
		t->score = q->rule.points * answer_score(&q->value, &got, &q->rule, why, sizeof why);
		if (t->score < q->rule.points) {
			char gb[1024], wb[256];
			clean(answer_format(&got, gb, sizeof gb), c1, sizeof c1);
			if (q->value.kind == ANS_LIST)
				sb_printf(&t->output, "your answer: %s; %s", c1, clean(why, wb, sizeof wb));
			else
				sb_printf(&t->output, "your answer: %s: wrong", c1);
		} else {
			sb_printf(&t->output, "correct");
		}
		answer_free(&got);
	}
	for (size_t i = 0; i < qs->n; i++)
		free(g[i].text);
	free(g);
	return 0;
}

/* ---- the command ---- */

/* Resolve EXERCISE into the scenario path SCN and its directory DIR. */
static int exercise_paths(const char *ex, char *scn, size_t scnlen, char *dir, size_t dirlen)
{
	struct stat st;
	if (stat(ex, &st) != 0) {
		fprintf(stderr, "mmsim grade: %s: %s\n", ex, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(dir, dirlen, "%s", ex);
		snprintf(scn, scnlen, "%s/exercise.scn", ex);
		if (stat(scn, &st) != 0) {
			fprintf(stderr, "mmsim grade: %s: no exercise.scn in this directory\n", ex);
			return -1;
		}
		return 0;
	}
	snprintf(scn, scnlen, "%s", ex);
	const char *slash = strrchr(ex, '/');
	if (slash)
		snprintf(dir, dirlen, "%.*s", (int)(slash - ex), ex);
	else
		snprintf(dir, dirlen, ".");
	return 0;
}

/* A --policy FILE.so that does not exist (or is not a file) is a usage
 * error, not a submission that scores 0: one line naming it on stderr.
 * Returns true in that case. */
static bool plugin_missing(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "mmsim grade: --policy %s: %s\n", path, strerror(errno));
		return true;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "mmsim grade: --policy %s: is a directory, not a plug-in\n", path);
		return true;
	}
	return false;
}

int cmd_grade(int argc, char **argv)
{
	const char *ex = NULL, *answers = NULL, *program = NULL, *policy = NULL, *results = NULL;
	bool quiet = false;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char **slot = !strcmp(o, "--answers") ? &answers : !strcmp(o, "--program") ? &program
				    : !strcmp(o, "--policy") ? &policy : !strcmp(o, "--results") ? &results : NULL;
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "-q") || !strcmp(o, "--quiet")) {
			quiet = true;
		} else if (slot) {
			if (++i == argc) {
				fprintf(stderr, "mmsim grade: %s needs a file name\n", o);
				return 2;
			}
			*slot = argv[i];
		} else if (o[0] == '-' && o[1]) {
			fprintf(stderr, "mmsim grade: unknown option '%s' (see mmsim grade --help)\n", o);
			return 2;
		} else if (ex) {
			fprintf(stderr, "mmsim grade: one exercise at a time ('%s' and '%s')\n", ex, o);
			return 2;
		} else {
			ex = o;
		}
	}
	if (!ex) {
		fputs("mmsim grade: missing EXERCISE (see mmsim grade --help)\n", stderr);
		return 2;
	}
	if (!!answers + !!program + !!policy != 1) {
		fputs("mmsim grade: give exactly one of --answers FILE, --program FILE, --policy FILE.so\n", stderr);
		return 2;
	}
	char scn[4096], dir[4096];
	if (exercise_paths(ex, scn, sizeof scn, dir, sizeof dir) < 0)
		return 2;
	if (policy && plugin_missing(policy))
		return 2;

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct grade_report r;
	memset(&r, 0, sizeof r);
	/* The exercise's scenario: its output is not the student's business,
	 * its errors are the teacher's (kept for the report). */
	char *errtext = NULL;
	size_t errlen = 0;
	FILE *errf = open_memstream(&errtext, &errlen);
	FILE *nul = fopen("/dev/null", "w");
	int status = 0;
	struct scenario sc;
	scenario_init(&sc, scn, nul ? nul : stdout, errf ? errf : stderr, NULL);
	sc.quiet = true;
	int rc = scenario_run_file(&sc, scn);
	if (errf)
		fclose(errf);
	if (rc == 2) {
		sb_printf(&r.output, "the exercise %s could not run (a bug in the exercise, not in your submission):\n%s",
			  scn, errtext ? errtext : "");
		status = 2;
	} else if (rc == 1) {
		/* a failed expect in the exercise: grading still works */
		sb_printf(&r.output, "note: an expectation of the exercise failed:\n%s", errtext ? errtext : "");
	}
	free(errtext);
	if (status == 0) {
		int g = answers ? grade_answers(&sc, answers, &r)
			: program ? grade_program(&sc, dir, program, &r) : grade_policy(&sc, dir, policy, &r);
		if (g < 0)
			status = 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r.execution_time = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (!quiet)
		grade_print(&r, ex, stdout);
	fflush(stdout);
	if (results && grade_write_results(&r, results) < 0 && status == 0)
		status = 2;
	if (status == 2 && quiet && r.output.buf)
		fprintf(stderr, "mmsim grade: %s", r.output.buf);
	scenario_fini(&sc);
	if (nul)
		fclose(nul);
	grade_report_free(&r);
	return status;
}
