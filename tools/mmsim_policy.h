/* mmsim_policy.h - the interface of a replacement-policy plug-in for mmsim
 * (`mmsim refs --policy-plugin FILE.so`, `mmsim grade EXERCISE --policy
 * FILE.so`).  docs/plugins.md explains it with an example; this header is
 * self-contained (C99 or later, no other mmsim header), so a plug-in builds
 * with
 *     cc -O2 -shared -fPIC -I MMSIM/tools -o my_policy.so my_policy.c
 *
 * mmsim owns the frames: a hit or a miss into a free frame is decided by
 * mmsim; only when every frame is full does it ask the plug-in which frame
 * to empty.  The plug-in sees the whole reference string up front (so OPT
 * can be written), then one call per reference:
 *     victim()  only on a miss with every frame (of the set) full: return
 *               the frame to evict, 0 .. nframes-1; frames[f] is the page
 *               in frame f;
 *     access()  after every reference, with the frame that now holds it
 *               and whether it was a hit.
 * A miss into an empty frame fills the lowest-numbered empty frame.  In
 * TLB mode (nsets > 1) page P lives in set P mod nsets; frames are that
 * set's ways.
 *
 * The plug-in runs in a child process: a crash, an endless loop or
 * unbounded allocation fails the plug-in, not mmsim.  It may use memory
 * (malloc) and its own state, but no files, network or processes: after
 * loading, any system call other than memory management, reading and
 * writing its inherited descriptors (stdout/stderr go to /dev/null) and
 * exiting kills it.  Export exactly one symbol:
 *     const struct mmsim_policy mmsim_policy = { MMSIM_POLICY_ABI, "name", init, access, victim, fini };
 */
#ifndef MMSIM_POLICY_H
#define MMSIM_POLICY_H

#include <stddef.h>
#include <stdint.h>

#define MMSIM_POLICY_ABI 1

struct mmsim_policy_info {
	unsigned nframes;          /* frames (TLB mode: ways per set) */
	unsigned nsets;            /* 1 (TLB mode: sets) */
	size_t nrefs;              /* references */
	const uint64_t *refs;      /* the reference string (page numbers) */
	const char *kinds;         /* 'R', 'W' or 'X' per reference */
	uint64_t seed;             /* for a randomised policy */
};

struct mmsim_policy {
	unsigned abi;              /* MMSIM_POLICY_ABI */
	const char *name;          /* shown in reports */
	/* Set up; returns the plug-in's state (any non-NULL pointer), or NULL
	 * to fail. */
	void *(*init)(const struct mmsim_policy_info *info);
	/* Reference I (to refs[I]) is now in FRAME of SET; HIT: it was there. */
	void (*access)(void *state, size_t i, unsigned set, unsigned frame, int hit);
	/* Reference I missed and SET is full; FRAMES[f] is the page in frame f.
	 * Returns the frame to evict. */
	unsigned (*victim)(void *state, size_t i, unsigned set, const uint64_t *frames);
	/* After the last reference (may be NULL). */
	void (*fini)(void *state);
};

#endif
