/* tools/grade_policy.c - `mmsim grade EXERCISE --policy FILE.so`: each
 * `policy_check` of the exercise runs the plug-in sandboxed over its
 * reference string (policy_plugin_run: a child process with CPU, memory and
 * wall-clock limits, no files) and compares its decisions with the
 * built-in policy's (policy_sim_run), reference by reference: a reference
 * counts as right when hit/miss and the victim both agree.  The test's
 * score is the fraction of references right; a plug-in that crashes, loops,
 * eats memory or breaks the protocol scores 0 on that check, with the
 * reason, and the others still run.
 */
#include "tools/grade.h"

#include <string.h>

#include "tools/policy_plugin.h"
#include "tools/scenario.h"
#include "tools/scenario_question.h"

/* The first reference where A and B disagree, or N. */
static size_t compare(const struct policy_result *want, const struct policy_result *got, size_t *right)
{
	size_t first = want->n;
	*right = 0;
	for (size_t i = 0; i < want->n && i < got->n; i++) {
		const struct policy_step *w = &want->step[i], *g = &got->step[i];
		if (w->hit == g->hit && w->victim == g->victim)
			(*right)++;
		else if (first == want->n)
			first = i;
	}
	return first;
}

int grade_policy(struct scenario *sc, const char *exdir, const char *plugin, struct grade_report *r)
{
	const struct scn_questions *qs = sc->qs;
	char name[600], err[512];
	(void)exdir;
	size_t nchecks = 0;
	for (size_t i = 0; qs && i < qs->nc; i++)
		nchecks += qs->c[i].kind == CRIT_POLICY;
	if (!nchecks) {
		sb_printf(&r->output, "the exercise %s has no policy_check lines\n", sc->file);
		return -1;
	}
	for (size_t i = 0; i < qs->nc; i++) {
		const struct scn_criterion *c = &qs->c[i];
		if (c->kind != CRIT_POLICY)
			continue;
		snprintf(name, sizeof name, "%s: %s", c->id, c->text);
		struct grade_test *t = grade_add(r, name, c->points);
		if (!t)
			continue;
		enum policy_kind k;
		struct policy_opts opts;
		struct policy_result want, got;
		memset(&want, 0, sizeof want);
		memset(&got, 0, sizeof got);
		policy_opts_default(&opts);
		struct policy_refs refs = { c->nrefs, c->refs, NULL };
		if (policy_kind_parse(c->policy, &k) < 0 || policy_sim_run(k, &refs, c->frames, &opts, &want) < 0) {
			sb_printf(&t->output, "the exercise's reference policy %s cannot run", c->policy);
			continue;
		}
		if (policy_plugin_run(plugin, &refs, c->frames, NULL, &got, err, sizeof err) < 0) {
			sb_printf(&t->output, "the plug-in failed: %s", err);
			policy_result_free(&want);
			policy_result_free(&got);
			continue;
		}
		size_t right;
		size_t first = compare(&want, &got, &right);
		t->score = want.n ? c->points * (double)right / (double)want.n : c->points;
		if (right == want.n) {
			sb_printf(&t->output, "all %zu references decided as %s does (%lu faults)", want.n, c->policy,
				  want.misses);
		} else {
			const struct policy_step *w = &want.step[first];
			sb_printf(&t->output, "%zu of %zu references decided as %s does; the first difference is reference %zu "
					      "(page %llu): %s expected",
				  right, want.n, c->policy, first + 1, (unsigned long long)w->page, w->hit ? "a hit" : "a miss");
			if (w->victim != POLICY_NO_VICTIM)
				sb_printf(&t->output, ", evicting page %llu", (unsigned long long)w->victim);
			sb_printf(&t->output, " (%lu faults expected, %lu made)", want.misses, got.misses);
		}
		policy_result_free(&want);
		policy_result_free(&got);
	}
	return 0;
}
