/* tools/scenario_question.h - the exercise commands of a scenario
 * (docs/exercises.md):
 *   question ID "TEXT" answer=EXPR [points=N] [tolerance=X|X%] [partial=position|set|none]
 *       the expected answer is EXPR (tools/scenario_expr.h) evaluated on the
 *       machine's state at that line;
 *   criterion ID "TEXT" stat NAME OP VALUE [points=N]
 *   criterion ID "TEXT" exit OP VALUE [points=N]
 *   criterion ID "TEXT" output FILE [points=N]
 *       how `mmsim grade --program` judges a guest program run on the
 *       scenario's machine (NAME: a key of `mmsim run --json`, dotted:
 *       faults.cow, tlb.dTLB-load-misses, vmstat.pgfault, processes.0.peak_rss_kb);
 *   program_args ARG...   the program's arguments for --program;
 *   policy_check ID "TEXT" policy=P frames=N refs=A,B,C... [points=N]
 *       for `mmsim grade --policy FILE.so`: the plug-in's decisions over the
 *       reference string are compared with built-in policy P's, reference
 *       by reference.
 * Both are recorded in sc->qs, in file order, for `mmsim scenario --answers`
 * and `mmsim grade`.
 */
#ifndef MMSIM_TOOLS_SCENARIO_QUESTION_H
#define MMSIM_TOOLS_SCENARIO_QUESTION_H

#include <stdint.h>

#include "tools/answer.h"

struct expr;

struct scn_question {
	char id[64];
	char text[512];
	int line;
	struct answer_rule rule;
	struct expr *expr;
	bool evaluated;          /* the run pass reached it */
	struct answer value;     /* the computed answer */
};

enum crit_kind { CRIT_STAT, CRIT_EXIT, CRIT_OUTPUT, CRIT_POLICY };

struct scn_criterion {
	char id[64];
	char text[512];
	int line;
	double points;
	enum crit_kind kind;
	char stat[128];          /* CRIT_STAT */
	int op;                  /* 0 ==, 1 !=, 2 <, 3 <=, 4 >, 5 >= */
	double value;            /* CRIT_STAT, CRIT_EXIT */
	char file[512];          /* CRIT_OUTPUT, as written */
	char policy[16];         /* CRIT_POLICY: the reference policy (LRU...) */
	int frames;              /* CRIT_POLICY */
	uint64_t *refs;          /* CRIT_POLICY: the reference string */
	size_t nrefs;
};

struct scn_questions {
	struct scn_question *q;
	size_t n, cap;
	struct scn_criterion *c;
	size_t nc, ccap;
	char **args;             /* program_args */
	int nargs;
};

#include <stdio.h>
struct scenario;
/* Print the computed answers as an answers file ("ID value" lines, the
 * question texts as # comments) to F. */
void scn_answers_print(const struct scenario *sc, FILE *f);

/* "==" ... ">=" for criterion ops. */
extern const char *const crit_ops[];
/* Does VALUE OP LIMIT hold? */
bool crit_compare(int op, double value, double limit);

#endif
