/* tools/policy_frames.c - the frame table of a reference-string run (see
 * policy_frames.h): a miss fills the lowest empty frame, or the victim's
 * frame once all are full; the page -> frame map makes a lookup O(1). */
#include <stdlib.h>
#include <string.h>

#include "tools/policy_frames.h"

int ftab_init(struct ftab *t, int nframes, const struct policy_refs *refs, struct policy_result *res)
{
	memset(t, 0, sizeof *t);
	memset(res, 0, sizeof *res);
	if (nframes < 1 || !refs || (refs->n && !refs->page))
		return -1;
	t->nframes = nframes;
	t->res = res;
	t->refs = refs;
	res->nframes = nframes;
	res->n = refs->n;
	t->slot = malloc((size_t)nframes * sizeof *t->slot);
	t->dirty = calloc((size_t)nframes, sizeof *t->dirty);
	res->step = calloc(refs->n ? refs->n : 1, sizeof *res->step);
	if (!t->slot || !t->dirty || !res->step || pagemap_init(&t->where, (size_t)nframes))
		goto fail;
	for (int f = 0; f < nframes; f++)
		t->slot[f] = POLICY_EMPTY;
	if (refs->n && refs->n <= POLICY_MAX_LOG / (size_t)nframes) {
		size_t cells = refs->n * (size_t)nframes;
		res->frames = malloc(cells * sizeof *res->frames);
		res->order = malloc(cells * sizeof *res->order);
		if (!res->frames || !res->order)
			goto fail;
	}
	return 0;
fail:
	ftab_fini(t);
	policy_result_free(res);
	return -1;
}

void ftab_fini(struct ftab *t)
{
	free(t->slot);
	free(t->dirty);
	pagemap_free(&t->where);
	t->slot = NULL;
	t->dirty = NULL;
}

int ftab_lookup(const struct ftab *t, uint64_t page)
{
	return (int)pagemap_get(&t->where, page);
}

int ftab_free_slot(const struct ftab *t)
{
	if (t->used == t->nframes)
		return -1;
	for (int f = 0; f < t->nframes; f++)
		if (t->slot[f] == POLICY_EMPTY)
			return f;
	return -1;
}

int ftab_access(struct ftab *t, size_t i, int f, bool hit)
{
	struct policy_step *s = &t->res->step[i];
	uint64_t page = t->refs->page[i];
	bool write = t->refs->kind && t->refs->kind[i] == 'W';
	s->page = page;
	s->hit = hit;
	s->frame = f;
	s->victim = POLICY_NO_VICTIM;
	if (hit) {
		t->res->hits++;
	} else {
		t->res->misses++;
		if (t->slot[f] != POLICY_EMPTY) {
			s->victim = t->slot[f];
			s->victim_dirty = t->dirty[f];
			t->res->evictions++;
			t->res->dirty_evictions += t->dirty[f];
			pagemap_del(&t->where, t->slot[f]);
		} else {
			t->used++;
		}
		t->slot[f] = page;
		t->dirty[f] = false;
		if (pagemap_put(&t->where, page, f))
			return -1;
	}
	t->dirty[f] |= write;
	return 0;
}

void ftab_log(struct ftab *t, size_t i, const int *order, int norder)
{
	if (!t->res->frames)
		return;
	size_t base = i * (size_t)t->nframes;
	memcpy(t->res->frames + base, t->slot, (size_t)t->nframes * sizeof *t->slot);
	for (int k = 0; k < t->nframes; k++)
		t->res->order[base + (size_t)k] = k < norder ? t->slot[order[k]] : POLICY_EMPTY;
}

void ftab_finish(struct ftab *t)
{
	struct policy_result *r = t->res;
	r->hit_rate = r->n ? 100.0 * (double)r->hits / (double)r->n : 0.0;
}

void policy_result_free(struct policy_result *res)
{
	free(res->step);
	free(res->frames);
	free(res->order);
	res->step = NULL;
	res->frames = NULL;
	res->order = NULL;
}
