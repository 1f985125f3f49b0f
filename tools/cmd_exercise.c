/* tools/cmd_exercise.c - `mmsim exercise TOPIC --seed N [--solve] [--format
 * text|scenario]` (tools/exercise.h).
 *
 * text (default): the statement, the output of its "given" part, and the
 * questions.  --solve adds the worked solution: the scenario run step by
 * step on the simulator (each command prints what the model did: the
 * frames the buddy allocator chose, the TLB level that hit, the walk, the
 * faults) and then every answer.  --format scenario prints the scenario
 * itself, the statement as comments: a gradable exercise (mmsim grade).
 */
#include "tools/exercise.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mm/prandom.h"
#include "tools/scenario.h"
#include "tools/scenario_question.h"

uint64_t ex_rand(struct exgen *g, uint64_t lo, uint64_t hi)
{
	return lo + splitmix64(&g->rng) % (hi - lo + 1);
}

static void vappend(struct strbuf *sb, const char *fmt, va_list ap)
{
	char buf[4096];
	vsnprintf(buf, sizeof buf, fmt, ap);
	sb_printf(sb, "%s", buf);
}

void ex_line(struct exgen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vappend(&g->scn, fmt, ap);
	va_end(ap);
	sb_printf(&g->scn, "\n");
}

void ex_say(struct exgen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vappend(&g->text, fmt, ap);
	va_end(ap);
}

void ex_question(struct exgen *g, const char *text, const char *expr, const char *opts)
{
	g->nq++;
	ex_line(g, "question Q%d \"%s\" answer=%s%s%s", g->nq, text, expr, *opts ? " " : "", opts);
	sb_printf(&g->qtext, "  Q%d. %s\n", g->nq, text);
}

static void usage(FILE *f)
{
	fputs("usage: mmsim exercise TOPIC [--seed N] [--solve] [--format text|scenario]\n"
	      "       mmsim exercise --list\n"
	      "\n"
	      "Print a fresh randomized problem on TOPIC (the same for the same seed).\n"
	      "  --seed N           which problem (default 1)\n"
	      "  --solve            add the worked solution, computed by running the problem\n"
	      "                     on mmsim's model, and the answers\n"
	      "  --format scenario  print it as a gradable exercise: a scenario with\n"
	      "                     `question` lines (mmsim grade FILE --answers ...)\n"
	      "\n"
	      "Topics:\n",
	      f);
	for (const struct ex_topic *t = ex_topics; t->name; t++)
		fprintf(f, "  %-12s %s\n", t->name, t->what);
}

/* Run TEXT as a scenario named NAME, output to OUT.  Returns its status;
 * SC is left for the caller to inspect and scenario_fini. */
static int run_scn(struct scenario *sc, const char *name, const char *text, FILE *out, bool quiet)
{
	scenario_init(sc, name, out, stderr, NULL);
	sc->quiet = quiet;
	return scenario_run_text(sc, text);
}

int cmd_exercise(int argc, char **argv)
{
	const char *topic = NULL, *format = "text";
	uint64_t seed = 1;
	bool solve = false;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "--list")) {
			for (const struct ex_topic *t = ex_topics; t->name; t++)
				printf("%s\n", t->name);
			return 0;
		} else if (!strcmp(o, "--solve")) {
			solve = true;
		} else if (!strcmp(o, "--seed") || !strcmp(o, "--format")) {
			if (++i == argc) {
				fprintf(stderr, "mmsim exercise: %s needs a value\n", o);
				return 2;
			}
			if (o[2] == 'f') {
				format = argv[i];
				if (strcmp(format, "text") && strcmp(format, "scenario")) {
					fprintf(stderr, "mmsim exercise: --format: '%s' is not text or scenario\n", format);
					return 2;
				}
			} else {
				char *end;
				seed = strtoull(argv[i], &end, 0);
				if (!*argv[i] || *end || argv[i][0] == '-') {
					fprintf(stderr, "mmsim exercise: --seed: '%s' is not a number\n", argv[i]);
					return 2;
				}
			}
		} else if (o[0] == '-') {
			fprintf(stderr, "mmsim exercise: unknown option '%s' (see mmsim exercise --help)\n", o);
			return 2;
		} else if (topic) {
			fprintf(stderr, "mmsim exercise: one topic at a time ('%s' and '%s')\n", topic, o);
			return 2;
		} else {
			topic = o;
		}
	}
	if (!topic) {
		fputs("mmsim exercise: missing TOPIC (mmsim exercise --list names them)\n", stderr);
		return 2;
	}
	const struct ex_topic *t;
	for (t = ex_topics; t->name && strcmp(t->name, topic); t++)
		;
	if (!t->name) {
		fprintf(stderr, "mmsim exercise: unknown topic '%s' (", topic);
		for (const struct ex_topic *k = ex_topics; k->name; k++)
			fprintf(stderr, "%s%s", k->name, k[1].name ? ", " : ")\n");
		return 2;
	}
	struct exgen g;
	memset(&g, 0, sizeof g);
	/* the topic's name enters the seed: topics draw independently */
	g.rng = seed * 0x9e3779b97f4a7c15ULL;
	for (const char *c = t->name; *c; c++)
		g.rng = (g.rng ^ (uint8_t)*c) * 0x100000001b3ULL;
	t->gen(&g);

	char name[128];
	snprintf(name, sizeof name, "%s-seed%llu.scn", t->name, (unsigned long long)seed);
	/* the given part's output joins the statement */
	char *given = NULL;
	size_t glen = 0;
	int rc = 0;
	if (g.given.len || g.describe) {
		FILE *mf = open_memstream(&given, &glen);
		struct scenario sc;
		rc = run_scn(&sc, name, g.given.buf ? g.given.buf : "", mf ? mf : stdout, g.given_quiet);
		if (mf)
			fflush(mf);
		if (!rc && g.describe) {
			g.describe(&g, &sc);
		}
		scenario_fini(&sc);
		if (mf)
			fclose(mf);
	}
	if (rc) {
		fprintf(stderr, "mmsim exercise: internal error: the %s problem for seed %llu does not run\n", t->name,
			(unsigned long long)seed);
		free(given);
		return 2;
	}
	if (!strcmp(format, "scenario")) {
		printf("# mmsim exercise %s --seed %llu: grade with mmsim grade FILE --answers ANSWERS\n#\n", t->name,
		       (unsigned long long)seed);
		char *text = g.text.buf ? g.text.buf : (char *)"";
		char *mark = strstr(text, "@GIVEN@");
		struct strbuf full = { 0 };
		if (mark)
			sb_printf(&full, "%.*s%s%s", (int)(mark - text), text, given ? given : "", mark + 7);
		else
			sb_printf(&full, "%s%s%s", text, given && glen ? "\n" : "", given ? given : "");
		for (const char *p = full.buf ? full.buf : ""; *p;) {
			size_t n = strcspn(p, "\n");
			printf("#%s%.*s\n", n ? " " : "", (int)n, p);
			p += n + (p[n] == '\n');
		}
		sb_free(&full);
		printf("#\n%s", g.scn.buf);
	} else {
		const char *text = g.text.buf ? g.text.buf : "";
		const char *mark = strstr(text, "@GIVEN@");
		if (mark)
			printf("%.*s%s%s", (int)(mark - text), text, given ? given : "", mark + 7);
		else
			printf("%s%s%s", text, given && glen ? "\n" : "", given ? given : "");
		printf("\nQuestions:\n%s", g.qtext.buf ? g.qtext.buf : "");
		if (solve) {
			printf("\nSolution, step by step (mmsim's model running the problem):\n\n");
			if (g.solve)
				g.solve(&g, stdout);
			fflush(stdout);
			struct scenario sc;
			rc = run_scn(&sc, name, g.scn.buf, stdout, false);
			printf("\nAnswers:\n");
			const struct scn_questions *qs = sc.qs;
			char buf[4096];
			for (size_t i = 0; qs && i < qs->n; i++)
				printf("  %s %s\n", qs->q[i].id,
				       qs->q[i].evaluated ? answer_format(&qs->q[i].value, buf, sizeof buf) : "(not reached)");
			scenario_fini(&sc);
		}
	}
	free(given);
	sb_free(&g.scn);
	sb_free(&g.text);
	sb_free(&g.given);
	sb_free(&g.qtext);
	return rc ? 2 : 0;
}
