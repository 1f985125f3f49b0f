/* tools/scenario_expr_policy.c - the replacement-policy functions of answer
 * expressions, through the built-in policies of tools/policy_plugin.h
 * (policy_sim_run): nothing is simulated here.
 *   policy_faults(P, N, REFS)   misses of policy P (FIFO, LRU, OPT, CLOCK,
 *                               RAND, LFU, MRU, UNOPT) with N frames over REFS
 *   policy_hits(P, N, REFS)     hits
 *   policy_victims(P, N, REFS)  the evicted pages, in order (a list)
 *   policy_frames(P, N, REFS)   the frames' contents at the end, slot by slot
 *                               (an empty frame is the word "-")
 *   policy_hitlist(P, N, REFS)  per reference: the word hit or miss
 * Built when tools/policy_sim.c is (-DHAVE_POLICY_SIM).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/policy_plugin.h"
#include "tools/scenario_expr_policy.h"

bool expr_policy_func(const char *name)
{
	return !strcmp(name, "policy_faults") || !strcmp(name, "policy_hits") || !strcmp(name, "policy_victims") ||
	       !strcmp(name, "policy_frames") || !strcmp(name, "policy_hitlist");
}

int expr_policy_call(const char *name, const char *policy, long long nframes, const struct answer *refs,
		     struct answer *out, char *err, size_t errlen)
{
	enum policy_kind k;
	if (policy_kind_parse(policy, &k) < 0) {
		snprintf(err, errlen, "'%s' is not a policy (FIFO, LRU, OPT, UNOPT, CLOCK, RAND, LFU, MRU)", policy);
		return -1;
	}
	if (nframes < 1 || nframes > 4096) {
		snprintf(err, errlen, "%lld frames: between 1 and 4096", nframes);
		return -1;
	}
	if (refs->kind != ANS_LIST) {
		snprintf(err, errlen, "the reference string must be a list ([1, 2, 3])");
		return -1;
	}
	uint64_t *pages = calloc((size_t)refs->n + 1, sizeof *pages);
	if (!pages) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < refs->n; i++) {
		if (refs->items[i].word || refs->items[i].real || refs->items[i].i < 0) {
			free(pages);
			snprintf(err, errlen, "reference %d is not a page number", i + 1);
			return -1;
		}
		pages[i] = (uint64_t)refs->items[i].i;
	}
	struct policy_refs pr = { (size_t)refs->n, pages, NULL };
	struct policy_opts opts;
	policy_opts_default(&opts);
	struct policy_result res;
	memset(&res, 0, sizeof res);
	int rc = policy_sim_run(k, &pr, (int)nframes, &opts, &res);
	free(pages);
	if (rc < 0) {
		snprintf(err, errlen, "the policy simulator failed");
		return -1;
	}
	memset(out, 0, sizeof *out);
	if (!strcmp(name, "policy_faults") || !strcmp(name, "policy_hits")) {
		out->kind = ANS_NUMBER;
		out->v.i = (long long)(name[7] == 'f' ? res.misses : res.hits);
		policy_result_free(&res);
		return 0;
	}
	out->kind = ANS_LIST;
	size_t cap = res.n > (size_t)nframes ? res.n : (size_t)nframes;
	out->items = calloc(cap + 1, sizeof *out->items);
	if (!out->items) {
		policy_result_free(&res);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!strcmp(name, "policy_victims")) {
		for (size_t i = 0; i < res.n; i++)
			if (res.step[i].victim != POLICY_NO_VICTIM)
				out->items[out->n++].i = (long long)res.step[i].victim;
	} else if (!strcmp(name, "policy_hitlist")) {
		for (size_t i = 0; i < res.n; i++) {
			out->items[out->n].word = true;
			snprintf(out->items[out->n++].w, ANS_WORD_MAX, "%s", res.step[i].hit ? "hit" : "miss");
		}
	} else if (res.n && res.frames) {
		for (int f = 0; f < nframes; f++) {
			uint64_t p = res.frames[(res.n - 1) * (size_t)nframes + (size_t)f];
			if (p == POLICY_EMPTY) {
				out->items[out->n].word = true;
				snprintf(out->items[out->n].w, ANS_WORD_MAX, "-");
			} else {
				out->items[out->n].i = (long long)p;
			}
			out->n++;
		}
	}
	policy_result_free(&res);
	return 0;
}
