/* mm/show_mem.h - Linux's __show_mem() text ("Mem-Info:" ...), for the OOM
 * report (sim/oom_kill.c). */
#ifndef MMSIM_MM_SHOW_MEM_H
#define MMSIM_MM_SHOW_MEM_H

#include "mm/proc.h"

/* Append the Mem-Info block of M's state to SB. */
void show_mem(const struct memsys *m, struct strbuf *sb);

#endif
