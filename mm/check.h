/* mm/check.h - full invariant check of the physical memory manager. */
#ifndef MMSIM_MM_CHECK_H
#define MMSIM_MM_CHECK_H

#include <stddef.h>

#include "mm/mmzone.h"

/* Check every invariant: free counts equal the lists, no two free buddies of
 * one order, no overlapping blocks, flags/refcounts consistent, NR_FREE_PAGES
 * right, slab counts add up.  Returns 0, or -1 with the first violation in
 * ERR. */
int mm_check(struct memsys *m, char *err, size_t errlen);

#endif
