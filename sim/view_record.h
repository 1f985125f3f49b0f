/* sim/view_record.h - the per-process /proc views (maps, smaps, status)
 * of every moment of a recorded run, for `mmsim proc --at SEQ VIEW PID`.
 *
 * A recorder listens to the changes the views read (mm/view_log.h: PTEs,
 * page map counts, swap counts, shmem pages in swap) and, with each stored
 * event, compares every task's status numbers and every address space's
 * VMA list with those of the previous event.  The trace stores the
 * resulting records with the event (events.view_delta) and, at each
 * checkpoint, the whole state (checkpoints.views).  sim/view_shadow.c
 * replays them.
 *
 * The blob is a sequence of records, each a varint tag and varint fields:
 *   VR_FULL    version                  starts a checkpoint's state
 *   VR_PTE     mm, va>>12, rotl(pteval, 1)  a user PTE now holds pteval (0: none;
 *                                       rotated so that NX, bit 63, costs one bit)
 *   VR_MAP     pfn, mapcount, kind      a page's map count and smaps kind
 *                                       (mm/view_log.h: file, anon, shmem)
 *   VR_SWAP    slot, count              a swap slot's reference count
 *   VR_SHMEM   file, index, swapped     a shmem file's page went to swap (1) or left (0)
 *   VR_VMAS    mm, n, n x (start, end, flags, pgoff, is_file, file, len, line bytes)
 *   VR_TASK    pid, PID_STATUS_N zigzag numbers (sim/pid_views.h)
 *   VR_EXIT    pid                      the task is gone
 *   VR_TASK_CHANGE pid, n, n x (index, zigzag difference)  some of a live
 *                                       task's numbers changed
 * A record with tag 0 is a gap: the recorder ran out of memory and the
 * state from there to the next checkpoint is unknown.
 * mm is mm_struct.serial; file is a shmem file's number (1, 2, ... in the
 * order the recorder first met it; 0: not shmem); a VMA's line is its
 * /proc/PID/maps line with the newline.
 */
#ifndef MMSIM_SIM_VIEW_RECORD_H
#define MMSIM_SIM_VIEW_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim;
struct view_record;

enum view_record_tag { VR_FULL = 1, VR_PTE, VR_MAP, VR_SWAP, VR_SHMEM, VR_VMAS, VR_TASK, VR_EXIT, VR_TASK_CHANGE };
#define VIEW_RECORD_VERSION 2

/* A recorder over S's memsys and tasks, installed as the memsys's view
 * listener, or NULL (out of memory). */
struct view_record *view_record_create(struct sim *s);
/* Uninstall and free VR (NULL: nothing). */
void view_record_destroy(struct view_record *vr);

/* The trace's view probe (trace_view_fn): FULL: the whole state; else the
 * changes since the last call.  Returns the blob (*LEN bytes, valid until
 * the next call) or NULL with *LEN 0 (nothing changed, or out of memory). */
const uint8_t *view_record_step(void *vr, bool full, size_t *len);

#endif
