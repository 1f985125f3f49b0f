/* sim/view_shadow.h - the per-process /proc views of a recorded moment,
 * rebuilt from the records sim/view_record.c stored (a checkpoint's full
 * state, then the changes of each later event), for `mmsim proc --at SEQ
 * maps|smaps|status PID`.  The text is printed by the same code as the
 * guest's /proc (sim/pid_views.c). */
#ifndef MMSIM_SIM_VIEW_SHADOW_H
#define MMSIM_SIM_VIEW_SHADOW_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;
struct view_shadow;

/* An empty shadow, or NULL (out of memory). */
struct view_shadow *view_shadow_create(void);
void view_shadow_destroy(struct view_shadow *vs);

/* Apply the LEN bytes of BLOB (a checkpoint's state or an event's
 * changes).  Returns 0; 1 for a gap (the recorder lost track: the state
 * is unknown until the next checkpoint); -1 if BLOB is malformed or memory
 * ran out (VS is then unusable). */
int view_shadow_apply(struct view_shadow *vs, const uint8_t *blob, size_t len);

/* /proc/PID/VIEW ("maps", "smaps" or "status") into SB.  Returns 0,
 * -ESRCH (no task PID at this moment) or -ENOENT (another VIEW). */
int view_shadow_render(struct view_shadow *vs, int pid, const char *view, struct strbuf *sb);

#endif
