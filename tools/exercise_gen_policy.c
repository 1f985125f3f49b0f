/* tools/exercise_gen_policy.c - the `replacement` topic of mmsim exercise:
 * FIFO, LRU, OPT or CLOCK over a random reference string with 3 or 4
 * frames.  The answers are expressions over policy_sim_run (the built-in
 * policies of tools/policy_plugin.h); --solve prints its step table.
 * Built with -DHAVE_POLICY_SIM.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/exercise.h"
#include "tools/policy_plugin.h"

#define MAXREFS 16

struct repl_problem {
	enum policy_kind kind;
	int frames;
	uint64_t refs[MAXREFS];
	size_t n;
};

/* The drawn problem, kept in the generator for its solve step. */
static void solve_replacement(struct exgen *g, FILE *f)
{
	const struct repl_problem *p = g->priv;
	struct policy_refs refs = { p->n, p->refs, NULL };
	struct policy_opts opts;
	struct policy_result res;
	policy_opts_default(&opts);
	memset(&res, 0, sizeof res);
	if (policy_sim_run(p->kind, &refs, p->frames, &opts, &res) < 0) {
		fprintf(f, "(the policy simulator failed)\n");
		return;
	}
	fprintf(f, "%s with %d frames (mmsim's policy engine):\n", res.policy, p->frames);
	fprintf(f, "  ref  page  result  evicts  frames after\n");
	for (size_t i = 0; i < res.n; i++) {
		const struct policy_step *s = &res.step[i];
		fprintf(f, "  %3zu  %4llu  %-6s  ", i + 1, (unsigned long long)s->page, s->hit ? "hit" : "miss");
		if (s->victim != POLICY_NO_VICTIM)
			fprintf(f, "%6llu  ", (unsigned long long)s->victim);
		else
			fprintf(f, "%6s  ", "-");
		for (int k = 0; res.frames && k < p->frames; k++) {
			uint64_t pg = res.frames[i * (size_t)p->frames + (size_t)k];
			if (pg == POLICY_EMPTY)
				fprintf(f, "  .");
			else
				fprintf(f, " %2llu", (unsigned long long)pg);
		}
		fputc('\n', f);
	}
	fprintf(f, "  hits %lu, misses %lu, hit rate %.2f%%\n\n", res.hits, res.misses, res.hit_rate);
	policy_result_free(&res);
}

void gen_replacement(struct exgen *g)
{
	static const enum policy_kind kinds[] = { POLICY_FIFO, POLICY_LRU, POLICY_OPT, POLICY_CLOCK };
	static struct repl_problem p;
	memset(&p, 0, sizeof p);
	p.kind = kinds[ex_rand(g, 0, 3)];
	p.frames = (int)ex_rand(g, 3, 4);
	p.n = (size_t)ex_rand(g, 10, MAXREFS);
	unsigned npages = (unsigned)p.frames + (unsigned)ex_rand(g, 2, 3);
	/* redraw until at least frames + 2 distinct pages appear: evictions */
	for (unsigned distinct = 0; distinct < (unsigned)p.frames + 2;) {
		bool seen[8] = { false };
		distinct = 0;
		for (size_t i = 0; i < p.n; i++) {
			p.refs[i] = (i && ex_rand(g, 0, 4) == 0) ? p.refs[ex_rand(g, 0, i - 1)] : ex_rand(g, 0, npages - 1);
			distinct += !seen[p.refs[i]];
			seen[p.refs[i]] = true;
		}
	}
	g->priv = &p;
	g->solve = solve_replacement;
	char list[256] = "[";
	for (size_t i = 0; i < p.n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%llu", i ? ", " : "",
			 (unsigned long long)p.refs[i]);
	strcat(list, "]");
	const char *name = policy_kind_name(p.kind);
	ex_say(g, "Page replacement.  A process has %d page frames, all empty at first, and\n"
		  "references these pages in this order:\n  %s\n"
		  "The policy is %s%s.\nA miss fills the lowest-numbered empty frame; with every frame full the\n"
		  "policy chooses the victim, and the new page takes its frame.\n",
	       p.frames, list, name,
	       p.kind == POLICY_CLOCK ? " (one reference bit per frame; the hand starts at frame 0)" : "");
	ex_line(g, "config mem=1M zones=DMA:1M");
	char e[400];
	snprintf(e, sizeof e, "policy_faults(%s, %d, %s)", name, p.frames, list);
	ex_question(g, "How many page faults (misses)?", e, "points=2");
	snprintf(e, sizeof e, "policy_hits(%s, %d, %s)", name, p.frames, list);
	ex_question(g, "How many hits?", e, "");
	snprintf(e, sizeof e, "policy_victims(%s, %d, %s)", name, p.frames, list);
	ex_question(g, "The evicted pages, in order (a list)", e, "points=2");
	snprintf(e, sizeof e, "policy_frames(%s, %d, %s)", name, p.frames, list);
	ex_question(g, "The contents of frames 0, 1, ... at the end (a list)", e, "points=2");
}
