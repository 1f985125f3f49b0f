/* sim/wait.h - putting tasks to sleep and waking them (Linux: wait queues,
 * kernel/sched/wait.c, fs/select.c's poll_wqueues).
 *
 * A task sleeps (TASK_INTERRUPTIBLE) for one reason, task->block, with an
 * optional deadline in simulated time (task->wake_time, UINT64_MAX for
 * none).  Objects that a task can wait for without a dedicated wake-up call
 * (pipes today) carry an event counter that moves on every change that
 * could make a sleeper's call succeed: a write, a read, a close.  A task
 * sleeping in pipe I/O, poll or select holds a wait set: a pointer to each
 * counter it depends on and the value it saw.  The scheduler makes it
 * runnable again when one counter moved or the deadline passed; the call
 * then runs again from the start (the restart protocol, sim/syscall.c) and
 * either completes or sleeps again.  Since a counter only moves when some
 * task made progress, a run in which every task sleeps cannot spin: it
 * jumps to the earliest deadline or ends as a deadlock (sim/sched.c).
 *
 * Invariant: a task's wait set is empty unless it sleeps in BLOCK_IO;
 * every object in it is kept alive by a descriptor of the sleeping task or
 * by its FIFO open in progress (task->fifo_opening, sim/fifo.c).
 */
#ifndef MMSIM_SIM_WAIT_H
#define MMSIM_SIM_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/process.h"

/* Add the object with event counter EVENTS to T's wait set (before
 * task_sleep(BLOCK_IO)).  Returns 0 or -ENOMEM. */
int task_wait_on(struct task *t, const uint64_t *events);
/* Put T to sleep for WHY until DEADLINE (simulated ns, UINT64_MAX: no
 * timeout).  WCHAN names the sleep for /proc and the deadlock report
 * (NULL: the default name of WHY).  Counts a voluntary context switch. */
void task_sleep(struct task *t, enum task_block why, uint64_t deadline, const char *wchan);
/* Make a sleeping T runnable and empty its wait set. */
void task_wake(struct task *t);
/* True when sleeping T may run again: its deadline passed (NOW) or an
 * object of its wait set changed.  Only for BLOCK_SLEEP, BLOCK_SIGNAL
 * (timeout) and BLOCK_IO; the other sleeps are ended by explicit wakes. */
bool task_wait_done(const struct task *t, uint64_t now);
/* Free T's wait set (task_free). */
void task_wait_free(struct task *t);

#endif
