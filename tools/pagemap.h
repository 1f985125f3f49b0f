/* tools/pagemap.h - a small open-addressing hash map from a page number to
 * an int (its frame, its last index), for the reference-string tools. */
#ifndef MMSIM_TOOLS_PAGEMAP_H
#define MMSIM_TOOLS_PAGEMAP_H

#include <stddef.h>
#include <stdint.h>

struct pagemap {
	uint64_t *key;
	long *val;
	unsigned char *state;      /* 0 empty, 1 used, 2 deleted */
	size_t cap, used, dead;    /* cap: a power of two */
};

/* An empty map.  Returns 0 or -1 (out of memory). */
int pagemap_init(struct pagemap *m, size_t expect);
void pagemap_free(struct pagemap *m);
/* The value of KEY, or -1 when absent. */
long pagemap_get(const struct pagemap *m, uint64_t key);
/* Set KEY to VAL (VAL >= 0).  Returns 0 or -1 (out of memory). */
int pagemap_put(struct pagemap *m, uint64_t key, long val);
/* Remove KEY (absent: nothing). */
void pagemap_del(struct pagemap *m, uint64_t key);

#endif
