/* mm/gfp.h - Get Free Page flags, with Linux's (6.1) names and bit values. */
#ifndef MMSIM_MM_GFP_H
#define MMSIM_MM_GFP_H

#include <stddef.h>

typedef unsigned int gfp_t;

/* Zone modifiers (the low 4 bits select the zone) */
#define __GFP_DMA            0x01u
#define __GFP_HIGHMEM        0x02u /* no-op on x86-64 */
#define __GFP_DMA32          0x04u
#define __GFP_MOVABLE        0x08u
#define GFP_ZONEMASK         (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
/* Page mobility and placement hints */
#define __GFP_RECLAIMABLE    0x10u
#define __GFP_WRITE          0x1000u
#define __GFP_HARDWALL       0x100000u
#define __GFP_THISNODE       0x200000u
#define __GFP_ACCOUNT        0x400000u
/* Watermark modifiers */
#define __GFP_HIGH           0x20u
#define __GFP_ATOMIC         0x200u
#define __GFP_MEMALLOC       0x20000u
#define __GFP_NOMEMALLOC     0x80000u
/* Reclaim modifiers */
#define __GFP_IO             0x40u
#define __GFP_FS             0x80u
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_RECLAIM        (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define __GFP_RETRY_MAYFAIL  0x4000u
#define __GFP_NOFAIL         0x8000u
#define __GFP_NORETRY        0x10000u
/* Action modifiers */
#define __GFP_NOWARN         0x2000u
#define __GFP_COMP           0x40000u
#define __GFP_ZERO           0x100u

/* Useful combinations */
#define GFP_ATOMIC           (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL           (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT   (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT           (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO             (__GFP_RECLAIM)
#define GFP_NOFS             (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER             (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA              __GFP_DMA
#define GFP_DMA32            __GFP_DMA32
#define GFP_HIGHUSER         (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/* Parse "GFP_KERNEL|__GFP_ZERO" (names above, '|' separated, or a number).
 * Returns 0 and sets *out, or -1 naming the bad token in ERR. */
int gfp_parse(const char *s, gfp_t *out, char *err, size_t errlen);

/* Format GFP as Linux's %pGg does ("GFP_KERNEL|__GFP_ZERO") into BUF.
 * Returns BUF. */
char *gfp_format(gfp_t gfp, char *buf, size_t len);

#endif
