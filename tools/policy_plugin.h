/* tools/policy_plugin.h - page-replacement policies over a reference string
 * (the textbook exercise: N frames, a string of page numbers), built in
 * (policy_sim.c) or supplied by a student as a shared object run in a
 * sandboxed child process (policy_plugin.c; the plug-in's own interface is
 * tools/mmsim_policy.h, documented in docs/plugins.md).
 *
 * Both fill the same struct policy_result, so a grader can compare a
 * plug-in's decisions with a built-in policy's, reference by reference.
 *
 * Frames.  The NFRAMES frames are slots 0..NFRAMES-1.  A miss fills the
 * lowest empty slot; when every slot is full the policy names a victim slot
 * and the new page takes it.  So frames[] (per step) is what a textbook
 * table draws: one row per frame, pages staying in their frame.  order[]
 * is the policy's own list (FIFO: first-in first; LRU: least recently used
 * first; as OSTEP's paging-policy.py prints it).
 */
#ifndef MMSIM_TOOLS_POLICY_PLUGIN_H
#define MMSIM_TOOLS_POLICY_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum policy_kind {
	POLICY_FIFO,
	POLICY_LRU,
	POLICY_OPT,    /* Belady: evict the page used farthest in the future */
	POLICY_UNOPT,  /* the worst: evict the page used soonest (OSTEP's UNOPT) */
	POLICY_CLOCK,  /* clock with opts->clockbits reference bits per frame */
	POLICY_RAND,   /* seeded with opts->seed */
	POLICY_LFU,    /* least frequently used; ties: least recently used */
	POLICY_MRU,    /* most recently used */
	POLICY_NR
};

#define POLICY_EMPTY UINT64_MAX    /* an empty frame in frames[]/order[] */
#define POLICY_NO_VICTIM UINT64_MAX

/* A reference string: N page numbers, each with its access kind. */
struct policy_refs {
	size_t n;
	const uint64_t *page;      /* page (or virtual page) numbers */
	const char *kind;          /* 'R', 'W' or 'X' per reference; NULL: all 'R' */
};

/* What happened at one reference. */
struct policy_step {
	uint64_t page;
	bool hit;
	int frame;                 /* slot now holding page */
	uint64_t victim;           /* page evicted, or POLICY_NO_VICTIM */
	bool victim_dirty;         /* the victim was written since it came in */
};

struct policy_result {
	int nframes;
	size_t n;                  /* references (= refs->n) */
	struct policy_step *step;  /* n steps */
	/* After step i: frames[i * nframes + f] is the page in slot f,
	 * order[i * nframes + k] the k-th page of the policy's list (both
	 * POLICY_EMPTY-padded).  NULL when n * nframes > POLICY_MAX_LOG. */
	uint64_t *frames;
	uint64_t *order;
	unsigned long hits, misses, evictions, dirty_evictions;
	double hit_rate;           /* percent: 100 * hits / n (0 when n == 0) */
	char policy[64];           /* "LRU", "CLOCK(bits=2)", plug-in's name */
};
#define POLICY_MAX_LOG (1u << 24)

struct policy_opts {
	unsigned clockbits;        /* CLOCK: counter maximum (default 1: the classic bit) */
	uint64_t seed;             /* RAND, CLOCK with ostep: seed */
	bool ostep;                /* RAND and CLOCK draw from Python's random (MT19937)
	                            * seeded like paging-policy.py -s SEED, and CLOCK
	                            * probes random frames as it does, so the victims are
	                            * the ones it prints */
};

/* Sandbox limits for a plug-in (0: the default). */
struct plugin_limits {
	double cpu_seconds;        /* RLIMIT_CPU (default 5) */
	double wall_seconds;       /* parent's timeout, then SIGKILL (default 10) */
	size_t mem_bytes;          /* RLIMIT_AS beyond the child's size at fork (default 256 MiB) */
};

/* Defaults: clockbits 1, seed 0, not ostep. */
void policy_opts_default(struct policy_opts *o);
/* "FIFO" ... "MRU" (upper case, as OSTEP spells them). */
const char *policy_kind_name(enum policy_kind k);
/* Parse NAME (any case).  Returns 0 or -1. */
int policy_kind_parse(const char *name, enum policy_kind *k);

/* Run built-in policy K over REFS with NFRAMES (>= 1) frames.  Returns 0,
 * or -1 (bad arguments, out of memory) with RES zeroed. */
int policy_sim_run(enum policy_kind k, const struct policy_refs *refs, int nframes, const struct policy_opts *opts,
		   struct policy_result *res);

/* Run the plug-in at SO_PATH in a sandboxed child over the reference string REFS (n pages, with W/R kind)
 * with NFRAMES frames; fill RES (per-reference hit/miss + victim, totals) and return 0; on a plug-in failure
 * (crash, timeout, memory limit, protocol error, bad victim) return -1 with a one-line reason in ERR.
 * LIM may be NULL (defaults). */
int policy_plugin_run(const char *so_path, const struct policy_refs *refs, int nframes,
		      const struct plugin_limits *lim, struct policy_result *res, char *err, size_t errlen);

/* Free what RES holds (safe on a zeroed or already freed result). */
void policy_result_free(struct policy_result *res);

#endif
