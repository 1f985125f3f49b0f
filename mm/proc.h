/* mm/proc.h - Linux-format text of /proc/{meminfo,buddyinfo,zoneinfo,slabinfo,vmstat}.
 * Each writer appends to a growable buffer; the text is exactly what Linux
 * prints, so tools that parse /proc work on it. */
#ifndef MMSIM_MM_PROC_H
#define MMSIM_MM_PROC_H

#include <stddef.h>
#include <stdio.h>

#include "mm/mmzone.h"

/* Growable text buffer. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *sb);

void proc_meminfo(struct memsys *m, struct strbuf *sb);
void proc_buddyinfo(struct memsys *m, struct strbuf *sb);
void proc_zoneinfo(struct memsys *m, struct strbuf *sb);
void proc_slabinfo(struct memsys *m, struct strbuf *sb);
void proc_vmstat(struct memsys *m, struct strbuf *sb);

/* Append the text of VIEW ("meminfo", "buddyinfo", "zoneinfo", "slabinfo"
 * or "vmstat") to SB.  Returns 0, or -1 if VIEW is none of these. */
int proc_show(struct memsys *m, const char *view, struct strbuf *sb);

/* Look a stat up by dotted name relative to the view: VIEW is "meminfo",
 * "buddyinfo", "zoneinfo", "slabinfo" or "vmstat"; KEY is the rest
 * ("MemFree", "DMA.3", "DMA.nr_free_pages", "inode.active_objs",
 * "pgalloc_dma").  Values are as the text shows them (kB for meminfo).
 * Returns 0 and sets *out, 1 if VIEW is not one of these, or -1 if KEY is
 * unknown (message in ERR). */
int proc_stat_lookup(struct memsys *m, const char *view, const char *key, long long *out, char *err,
		     size_t errlen);

#endif
