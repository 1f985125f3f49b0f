/* mm/proc_state.h - the numbers /proc's global views are printed from, as
 * one vector of integers.
 *
 * /proc/meminfo, vmstat, buddyinfo, zoneinfo and slabinfo (mm/proc.c,
 * mm/slabinfo.c) read nothing but these fields of a memsys: the vm
 * counters, each zone's free counts, watermarks, reserves and per-CPU list
 * sizes, the overcommit and swap totals, and each slab cache's object and
 * slab counts.  Gathering them after every traced event lets a trace
 * database hold the machine's state as checkpoints plus small deltas
 * (traces/state_codec.c); restoring a vector into a memsys built from the
 * same configuration lets the unchanged /proc code print the views of any
 * recorded moment (`mmsim proc --at`).
 *
 * Element 0 is the layout generation: it changes whenever the vector's
 * meaning does (a slab cache created or destroyed), and a reader must then
 * take a new checkpoint instead of a delta.
 */
#ifndef MMSIM_MM_PROC_STATE_H
#define MMSIM_MM_PROC_STATE_H

#include <stddef.h>
#include <stdint.h>

struct memsys;
struct proc_state;

/* A gatherer for M, or NULL (out of memory). */
struct proc_state *proc_state_create(struct memsys *m);
void proc_state_destroy(struct proc_state *ps);

/* Write the current numbers into BUF (room for CAP).  Returns how many
 * there are; when that is more than CAP nothing was written, and the
 * caller calls again with a larger BUF.  Returns 0 when out of memory. */
size_t proc_state_gather(struct proc_state *ps, int64_t *buf, size_t cap);

/* A text naming what the vector holds (nodes, zones, CPUs, counter
 * counts, slab caches by name and size): two vectors can be exchanged only
 * between memsys whose layouts are equal.  Valid until the next call. */
const char *proc_state_layout(struct proc_state *ps);

/* Put the N numbers of BUF, gathered under LAYOUT, into the memsys.
 * Returns 0, or -1 when LAYOUT or N differ from this memsys's (nothing is
 * changed then). */
int proc_state_restore(struct proc_state *ps, const char *layout, const int64_t *buf, size_t n);

#endif
