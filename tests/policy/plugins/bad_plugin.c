/* tests/policy/plugins/bad_plugin.c - hostile plug-ins for the sandbox
 * tests, one per BAD_* macro (tests/policy/meson.build builds each):
 *   BAD_SEGV     dereferences NULL in victim()
 *   BAD_LOOP     loops forever in victim()
 *   BAD_ALLOC    allocates and touches memory without bound
 *   BAD_STDOUT   writes to stdout and stderr at every call, else is LRU
 *   BAD_VICTIM   returns a frame number out of range
 *   BAD_OPEN     opens a file in victim()
 *   BAD_SLEEP    sleeps (no CPU time) past the wall-clock limit
 *   BAD_EXIT     calls exit(0) in access()
 *   BAD_INIT     init() returns NULL
 *   BAD_FORK     forks in init()
 * Otherwise it is a correct LRU. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mmsim_policy.h"

struct lru {
	unsigned ways;
	uint64_t clock;
	uint64_t *stamp;
};

static void *bad_init(const struct mmsim_policy_info *info)
{
#ifdef BAD_INIT
	(void)info;
	return NULL;
#else
#ifdef BAD_FORK
	if (fork() == 0)
		_exit(0);
#endif
	struct lru *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->ways = info->nframes;
	l->stamp = calloc((size_t)info->nsets * info->nframes, sizeof *l->stamp);
	return l->stamp ? l : NULL;
#endif
}

static void bad_access(void *st, size_t i, unsigned set, unsigned frame, int hit)
{
	struct lru *l = st;
#ifdef BAD_STDOUT
	printf("access %zu frame %u %s\n", i, frame, hit ? "hit" : "miss");
	fflush(stdout);
	fprintf(stderr, "noise on stderr\n");
	if (write(1, "raw write to fd 1\n", 18) < 0)
		abort();
#endif
#ifdef BAD_EXIT
	exit(0);
#endif
	(void)i;
	(void)hit;
	l->stamp[(size_t)set * l->ways + frame] = ++l->clock;
}

static unsigned bad_victim(void *st, size_t i, unsigned set, const uint64_t *frames)
{
	struct lru *l = st;
	(void)i;
	(void)frames;
#ifdef BAD_SEGV
	*(volatile int *)0 = 1;
#endif
#ifdef BAD_LOOP
	for (volatile unsigned long n = 0;; n++)
		;
#endif
#ifdef BAD_ALLOC
	for (;;) {
		char *p = malloc(1 << 20);
		memset(p, 1, 1 << 20);
	}
#endif
#ifdef BAD_VICTIM
	return l->ways + 7;
#endif
#ifdef BAD_OPEN
	int fd = open("/etc/passwd", O_RDONLY);
	if (fd >= 0)
		return 0;
#endif
#ifdef BAD_SLEEP
	struct timespec ts = {1000, 0};
	nanosleep(&ts, NULL);
#endif
	uint64_t *s = l->stamp + (size_t)set * l->ways;
	unsigned v = 0;
	for (unsigned w = 1; w < l->ways; w++)
		if (s[w] < s[v])
			v = w;
	return v;
}

static void bad_fini(void *st)
{
	struct lru *l = st;
	free(l->stamp);
	free(l);
}

const struct mmsim_policy mmsim_policy = {MMSIM_POLICY_ABI, "test plug-in", bad_init, bad_access, bad_victim,
					  bad_fini};
