/* tools/policy_frames.h - the frame table both the built-in policies
 * (policy_sim.c) and the plug-in runner (policy_plugin.c) drive: which
 * page each of N frames holds, and the per-reference record in a struct
 * policy_result.  Private to those two files. */
#ifndef MMSIM_TOOLS_POLICY_FRAMES_H
#define MMSIM_TOOLS_POLICY_FRAMES_H

#include "tools/pagemap.h"
#include "tools/policy_plugin.h"

struct ftab {
	int nframes, used;
	uint64_t *slot;            /* page in each frame (POLICY_EMPTY) */
	bool *dirty;               /* written since loaded */
	struct pagemap where;      /* page -> frame */
	struct policy_result *res;
	const struct policy_refs *refs;
};

/* Set up T for NFRAMES frames over REFS, zeroing and sizing RES.  Returns
 * 0 or -1 (bad arguments, out of memory; RES left empty). */
int ftab_init(struct ftab *t, int nframes, const struct policy_refs *refs, struct policy_result *res);
/* Free T's own memory (RES stays). */
void ftab_fini(struct ftab *t);
/* The frame holding PAGE, or -1. */
int ftab_lookup(const struct ftab *t, uint64_t page);
/* The lowest empty frame, or -1 when all are full. */
int ftab_free_slot(const struct ftab *t);
/* Reference I: hit in frame F (F >= 0), or a miss loaded into frame F
 * evicting its page if any.  Records step I.  Returns 0 or -1 (out of
 * memory). */
int ftab_access(struct ftab *t, size_t i, int f, bool hit);
/* Record the frames and the policy's list ORDER (NORDER frames) after
 * step I (nothing when the result keeps no log). */
void ftab_log(struct ftab *t, size_t i, const int *order, int norder);
/* Totals and the hit rate, after the last step. */
void ftab_finish(struct ftab *t);

#endif
