/* traces/state_probe.c - the machine-state probe of a database sink: the
 * delta stored with each event and the periodic checkpoints (see
 * trace_set_state_probe in traces/trace.h and traces/state_codec.h).
 *
 * Invariant: after event SEQ is stored, the state at SEQ is the newest
 * checkpoint at or before SEQ with the state_delta of every later event up
 * to SEQ applied, in seq order.  The vector's length and element 0 (its
 * layout generation) are the same across every delta; a change of either
 * starts a new checkpoint.
 */
#include <stdlib.h>
#include <string.h>

#include "traces/state_codec.h"
#include "traces/trace_internal.h"

void trace_set_state_probe(struct trace *t, trace_state_fn fn, trace_state_layout_fn layout_fn, void *ctx)
{
	struct trace_state *s = &t->state;
	s->fn = fn;
	s->layout_fn = layout_fn;
	s->ctx = ctx;
	s->n = 0; /* the next stored event starts with a checkpoint */
}

void trace_set_checkpoint_every(struct trace *t, uint64_t n)
{
	t->state.every = n;
}

void trace_state_free(struct trace *t)
{
	struct trace_state *s = &t->state;
	uint64_t every = s->every;
	free(s->cur);
	free(s->prev);
	free(s->buf);
	memset(s, 0, sizeof *s);
	s->every = every;
}

/* Make room for N elements (prev keeps its contents).  Returns 0 or -1. */
static int grow(struct trace_state *s, size_t n)
{
	size_t cap = n + n / 4 + 16;
	int64_t *cur = realloc(s->cur, cap * sizeof *cur);
	if (cur)
		s->cur = cur;
	int64_t *prev = realloc(s->prev, cap * sizeof *prev);
	if (prev)
		s->prev = prev;
	uint8_t *buf = realloc(s->buf, state_max_bytes(cap) * 2);
	if (buf)
		s->buf = buf;
	if (!cur || !prev || !buf)
		return -1;
	s->cap = cap;
	return 0;
}

void trace_set_view_probe(struct trace *t, trace_view_fn fn, void *ctx)
{
	t->state.view_fn = fn;
	t->state.view_ctx = ctx;
}

/* The global vector's part of trace_state_step.  Returns true when it
 * stored a checkpoint at SEQ (the views' full state is then wanted too:
 * *CKPT_BLOB, *CKPT_LEN hold the vector's encoding and *LAYOUT its layout). */
static bool state_vector_step(struct trace *t, uint64_t seq, const uint8_t **blob, size_t *len, size_t *ckpt_len,
			      const char **layout)
{
	struct trace_state *s = &t->state;
	size_t n = s->fn(s->ctx, s->cur, s->cap);
	if (n > s->cap) {
		if (grow(s, n) < 0) {
			trace_set_error(t, "trace: out of memory for the state checkpoints");
			return false;
		}
		n = s->fn(s->ctx, s->cur, s->cap);
	}
	if (!n || n > s->cap)
		return false;
	bool ckpt = n != s->n || s->cur[0] != s->prev[0] ||
		    seq - s->last_checkpoint >= (s->every ? s->every : TRACE_CHECKPOINT_EVERY);
	if (ckpt) {
		*ckpt_len = state_encode_full(s->cur, n, s->buf);
		*layout = s->layout_fn ? s->layout_fn(s->ctx) : "";
		s->last_checkpoint = seq;
	} else {
		*len = state_encode_delta(s->prev, s->cur, n, s->buf);
		*blob = *len ? s->buf : NULL;
	}
	int64_t *tmp = s->prev;
	s->prev = s->cur;
	s->cur = tmp;
	s->n = n;
	return ckpt;
}

void trace_state_step(struct trace *t, uint64_t seq, const uint8_t **blob, size_t *len, const uint8_t **vblob,
		      size_t *vlen)
{
	struct trace_state *s = &t->state;
	size_t ckpt_len = 0;
	const char *layout = NULL;
	*blob = *vblob = NULL;
	*len = *vlen = 0;
	if (!s->fn)
		return;
	bool ckpt = state_vector_step(t, seq, blob, len, &ckpt_len, &layout);
	if (ckpt) {
		size_t views_len = 0;
		const uint8_t *views = s->view_fn ? s->view_fn(s->view_ctx, true, &views_len) : NULL;
		trace_db_checkpoint(t, seq, layout, s->buf, ckpt_len, views, views_len);
	} else if (s->view_fn) {
		*vblob = s->view_fn(s->view_ctx, false, vlen);
		if (!*vlen)
			*vblob = NULL;
	}
}
