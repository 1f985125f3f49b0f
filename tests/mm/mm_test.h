/* tests/mm/mm_test.h - helpers shared by the mm/ unit tests. */
#ifndef MMSIM_TESTS_MM_TEST_H
#define MMSIM_TESTS_MM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mm/check.h"
#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/slab.h"
#include "traces/trace.h"

/* Build a config from "k=v k=v"; fails the test on a bad setting. */
static inline void mm_config(struct mem_config *c, const char *settings)
{
	char buf[512], err[256];
	mem_config_default(c);
	snprintf(buf, sizeof(buf), "%s", settings);
	for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		assert_non_null(eq);
		*eq = '\0';
		if (mem_config_set(c, tok, eq + 1, err, sizeof(err)) != 0)
			fail_msg("config %s=%s: %s", tok, eq + 1, err);
	}
}

static inline struct memsys *mm_make(const char *settings, struct trace **tp)
{
	struct mem_config c;
	char err[256] = "";
	mm_config(&c, settings);
	*tp = trace_open_none();
	struct memsys *m = memsys_create(&c, *tp, err, sizeof(err));
	if (!m)
		fail_msg("memsys_create(%s): %s", settings, err);
	return m;
}

static inline void mm_free_all(struct memsys *m, struct trace *t)
{
	memsys_destroy(m);
	trace_close(t);
}

static inline void mm_assert_ok(struct memsys *m)
{
	char err[512] = "";
	if (mm_check(m, err, sizeof(err)) != 0)
		fail_msg("mm_check: %s", err);
}

/* The buddyinfo counts of NODE/ZONE as "a b c ..." (11 numbers). */
static inline const char *mm_buddy(struct memsys *m, int node, enum zone_type t, char *buf, size_t len)
{
	struct zone *z = &m->nodes[node].node_zones[t];
	size_t used = 0;
	buf[0] = '\0';
	for (int o = 0; o < MAX_ORDER; o++)
		used += (size_t)snprintf(buf + used, len - used, "%s%lu", o ? " " : "", z->free_area[o].nr_free);
	return buf;
}

#define assert_buddy(m, node, zone, expect)                                 \
	do {                                                                    \
		char _b[128];                                                   \
		assert_string_equal(mm_buddy((m), (node), (zone), _b, sizeof(_b)), (expect)); \
	} while (0)

/* Run FN with stderr captured into BUF (for warning-line checks). */
static inline void mm_capture_stderr(void (*fn)(void *), void *arg, char *buf, size_t len)
{
	char path[] = "/tmp/mmsim-stderr-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	ssize_t n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

#endif
