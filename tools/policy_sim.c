/* tools/policy_sim.c - the built-in replacement policies over a reference
 * string (the textbook exercise; docs/refs.md).
 *
 * Besides the frame table (policy_frames.c) each policy keeps a list of the
 * resident frames in its own order, the one OSTEP's paging-policy.py keeps
 * and prints: a miss appends the new page, an eviction removes the victim,
 * and LRU, MRU and LFU move a hit page to the end.  So:
 *   FIFO   victim: the head (first in)
 *   LRU    victim: the head (least recently used)
 *   MRU    victim: the tail (most recently used)
 *   LFU    victim: the fewest uses since it came in; ties: nearest the head
 *          (least recently used)
 *   OPT    victim: the page next used farthest ahead (never again counts as
 *          the end of the string); ties: the last in the list, as OSTEP
 *   UNOPT  victim: the page next used soonest; ties: the first in the list
 *   RAND   victim: list[int(random() * count)], Python's random seeded
 *          with opts->seed, so the victims are paging-policy.py's
 *   CLOCK  each frame has a use counter set to 1 when its page comes in and
 *          incremented on a hit up to opts->clockbits.  The hand sweeps the
 *          frames in order: a non-zero counter is decremented (a second
 *          chance), a zero one is the victim; the hand then points past
 *          the victim.  With opts->ostep the frames are probed at random
 *          (list[int(random() * count)]) instead of by a hand, exactly as
 *          paging-policy.py's CLOCK does.
 * The list is printed as the policy's order; for CLOCK (without ostep) the
 * order is the frames from the hand on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/policy_frames.h"
#include "tools/pyrandom.h"

static const char *const policy_names[POLICY_NR] = {
	[POLICY_FIFO] = "FIFO", [POLICY_LRU] = "LRU",     [POLICY_OPT] = "OPT",  [POLICY_UNOPT] = "UNOPT",
	[POLICY_CLOCK] = "CLOCK", [POLICY_RAND] = "RAND", [POLICY_LFU] = "LFU",  [POLICY_MRU] = "MRU",
};

const char *policy_kind_name(enum policy_kind k)
{
	return k < POLICY_NR ? policy_names[k] : "?";
}

int policy_kind_parse(const char *name, enum policy_kind *k)
{
	for (int i = 0; i < POLICY_NR; i++)
		if (!strcasecmp(name, policy_names[i])) {
			*k = (enum policy_kind)i;
			return 0;
		}
	return -1;
}

void policy_opts_default(struct policy_opts *o)
{
	memset(o, 0, sizeof *o);
	o->clockbits = 1;
}

/* Per-run state of a built-in policy. */
struct psim {
	enum policy_kind kind;
	struct policy_opts opts;
	struct ftab t;
	int *list, nlist;          /* frames in the policy's order */
	unsigned *ctr;             /* CLOCK: use counter; LFU: uses */
	size_t *nextuse;           /* OPT/UNOPT: index of the page's next reference */
	size_t *next;              /* OPT/UNOPT: next[i], the next index referencing page[i] (n: none) */
	int hand;                  /* CLOCK */
	struct pyrandom rng;
};

/* next[i] for every reference: one backward pass with a page -> index map.
 * Returns 0 or -1 (out of memory). */
static int compute_next(struct psim *p, const struct policy_refs *refs)
{
	struct pagemap last;
	p->next = malloc((refs->n ? refs->n : 1) * sizeof *p->next);
	if (!p->next || pagemap_init(&last, 64))
		return -1;
	int rc = 0;
	for (size_t i = refs->n; i-- > 0;) {
		long j = pagemap_get(&last, refs->page[i]);
		p->next[i] = j < 0 ? refs->n : (size_t)j;
		if (pagemap_put(&last, refs->page[i], (long)i)) {
			rc = -1;
			break;
		}
	}
	pagemap_free(&last);
	return rc;
}

static void list_remove(struct psim *p, int k)
{
	memmove(p->list + k, p->list + k + 1, (size_t)(p->nlist - k - 1) * sizeof *p->list);
	p->nlist--;
}

static int list_find(const struct psim *p, int f)
{
	for (int k = 0; k < p->nlist; k++)
		if (p->list[k] == f)
			return k;
	return -1;
}

/* The list position of the victim of a full table at reference I (the
 * random policies consume their draws here). */
static int choose_victim(struct psim *p, size_t i)
{
	int n = p->nlist, best = 0;
	(void)i;
	switch (p->kind) {
	case POLICY_FIFO:
	case POLICY_LRU:
		return 0;
	case POLICY_MRU:
		return n - 1;
	case POLICY_LFU:
		for (int k = 1; k < n; k++)
			if (p->ctr[p->list[k]] < p->ctr[p->list[best]])
				best = k;
		return best;
	case POLICY_OPT:
		for (int k = 1; k < n; k++)
			if (p->nextuse[p->list[k]] >= p->nextuse[p->list[best]])
				best = k;
		return best;
	case POLICY_UNOPT:
		for (int k = 1; k < n; k++)
			if (p->nextuse[p->list[k]] < p->nextuse[p->list[best]])
				best = k;
		return best;
	case POLICY_RAND:
		return (int)(pyrandom_random(&p->rng) * n);
	case POLICY_CLOCK:
		if (p->opts.ostep) {
			for (;;) {
				int k = (int)(pyrandom_random(&p->rng) * n);
				if (p->ctr[p->list[k]] == 0)
					return k;
				p->ctr[p->list[k]]--;
			}
		}
		for (;;) {
			int f = p->hand;
			p->hand = (p->hand + 1) % p->t.nframes;
			if (p->ctr[f] == 0)
				return list_find(p, f);
			p->ctr[f]--;
		}
	default:
		return 0;
	}
}

/* Log step I with the policy's order (CLOCK: frames from the hand on). */
static void log_step(struct psim *p, size_t i)
{
	if (!p->t.res->frames)
		return;
	if (p->kind == POLICY_CLOCK && !p->opts.ostep) {
		int ord[p->t.nframes], n = 0;
		for (int k = 0; k < p->t.nframes; k++) {
			int f = (p->hand + k) % p->t.nframes;
			if (p->t.slot[f] != POLICY_EMPTY)
				ord[n++] = f;
		}
		ftab_log(&p->t, i, ord, n);
		return;
	}
	ftab_log(&p->t, i, p->list, p->nlist);
}

/* Reference I.  Returns 0 or -1 (out of memory). */
static int step(struct psim *p, size_t i)
{
	uint64_t page = p->t.refs->page[i];
	int f = ftab_lookup(&p->t, page);
	bool hit = f >= 0;
	if (hit) {
		if (p->kind == POLICY_LRU || p->kind == POLICY_MRU || p->kind == POLICY_LFU) {
			list_remove(p, list_find(p, f));
			p->list[p->nlist++] = f;
		}
		if (p->kind == POLICY_CLOCK && p->ctr[f] < p->opts.clockbits)
			p->ctr[f]++;
		if (p->kind == POLICY_LFU)
			p->ctr[f]++;
	} else {
		f = ftab_free_slot(&p->t);
		if (f < 0) {
			int k = choose_victim(p, i);
			f = p->list[k];
			list_remove(p, k);
		}
		p->list[p->nlist++] = f;
		p->ctr[f] = 1;
	}
	if (p->nextuse)
		p->nextuse[f] = p->next[i];
	if (ftab_access(&p->t, i, f, hit))
		return -1;
	log_step(p, i);
	return 0;
}

int policy_sim_run(enum policy_kind k, const struct policy_refs *refs, int nframes, const struct policy_opts *opts,
		   struct policy_result *res)
{
	struct psim p = {.kind = k};
	if (opts)
		p.opts = *opts;
	else
		policy_opts_default(&p.opts);
	if (k >= POLICY_NR || ftab_init(&p.t, nframes, refs, res))
		return -1;
	int rc = -1;
	p.list = malloc((size_t)nframes * sizeof *p.list);
	p.ctr = calloc((size_t)nframes, sizeof *p.ctr);
	if (!p.list || !p.ctr)
		goto out;
	if (k == POLICY_OPT || k == POLICY_UNOPT) {
		p.nextuse = malloc((size_t)nframes * sizeof *p.nextuse);
		if (!p.nextuse || compute_next(&p, refs))
			goto out;
	}
	pyrandom_seed(&p.rng, p.opts.seed);
	for (unsigned long d = 0; d < p.opts.skip_draws; d++)
		pyrandom_random(&p.rng);
	for (size_t i = 0; i < refs->n; i++)
		if (step(&p, i))
			goto out;
	ftab_finish(&p.t);
	if (k == POLICY_CLOCK)
		snprintf(res->policy, sizeof res->policy, "CLOCK(clockbits=%u%s)", p.opts.clockbits,
			 p.opts.ostep ? ",ostep" : "");
	else
		snprintf(res->policy, sizeof res->policy, "%s", policy_kind_name(k));
	rc = 0;
out:
	free(p.list);
	free(p.ctr);
	free(p.nextuse);
	free(p.next);
	ftab_fini(&p.t);
	if (rc)
		policy_result_free(res);
	return rc;
}
