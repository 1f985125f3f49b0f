/* tools/exercise.h - `mmsim exercise TOPIC --seed N [--solve] [--format
 * scenario]`: randomized problems whose solutions are computed by running
 * them on mmsim's own model (docs/exercises.md).
 *
 * A generator (exercise_gen.c) writes the problem as a scenario: the
 * machine set-up and the operations, then `question` lines whose answers
 * are expressions over the state.  Besides it writes the statement for
 * students, and may name a "given" prefix of the scenario whose output (a
 * buddyinfo, the page tables) belongs in the statement.  The same seed and
 * topic give the same problem on every run (the draws come from
 * splitmix64, mm/prandom.h).
 */
#ifndef MMSIM_TOOLS_EXERCISE_H
#define MMSIM_TOOLS_EXERCISE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mm/proc.h"

struct scenario;

struct exgen {
	uint64_t rng;
	struct strbuf scn;       /* the whole scenario, questions included */
	struct strbuf text;      /* the statement */
	struct strbuf given;     /* a scenario whose output joins the statement */
	struct strbuf qtext;     /* "Q1. ..." lines for the statement */
	int nq;
	bool given_quiet;        /* the given part's own output stays hidden */
	/* after `given` ran: append more of its state to the statement */
	void (*describe)(struct exgen *g, struct scenario *sc);
	/* --solve: print a worked solution the scenario's output does not show */
	void (*solve)(struct exgen *g, FILE *f);
	void *priv;              /* the generator's own data for describe/solve */
};

/* A number in [lo, hi]. */
uint64_t ex_rand(struct exgen *g, uint64_t lo, uint64_t hi);
/* Append a scenario line (printf format). */
void ex_line(struct exgen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append statement text. */
void ex_say(struct exgen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A question: ID Q<n>, TEXT, answer EXPR, OPTS ("points=2" or ""). */
void ex_question(struct exgen *g, const char *text, const char *expr, const char *opts);

struct ex_topic {
	const char *name;
	const char *what;
	void (*gen)(struct exgen *g);
};
extern const struct ex_topic ex_topics[];
void gen_watermarks(struct exgen *g);   /* exercise_gen_pressure.c */
void gen_oom(struct exgen *g);
#ifdef HAVE_POLICY_SIM
void gen_replacement(struct exgen *g);   /* exercise_gen_policy.c */
#endif

int cmd_exercise(int argc, char **argv);

#endif
