/* sim/wait.c - sleeping and waking tasks (see sim/wait.h). */
#include "sim/wait.h"

#include <errno.h>
#include <stdlib.h>

int task_wait_on(struct task *t, const uint64_t *events)
{
	for (int i = 0; i < t->nr_waits; i++)
		if (t->waits[i].events == events)
			return 0;
	if (t->nr_waits == t->cap_waits) {
		int cap = t->cap_waits ? 2 * t->cap_waits : 4;
		struct wait_ref *w = realloc(t->waits, (size_t)cap * sizeof(*w));
		if (!w)
			return -ENOMEM;
		t->waits = w;
		t->cap_waits = cap;
	}
	t->waits[t->nr_waits++] = (struct wait_ref){ .events = events, .seen = *events };
	return 0;
}

void task_sleep(struct task *t, enum task_block why, uint64_t deadline, const char *wchan)
{
	t->state = TASK_INTERRUPTIBLE;
	t->block = why;
	t->wake_time = deadline;
	t->wait_wchan = wchan;
	t->nvcsw++;
}

void task_wake(struct task *t)
{
	t->state = TASK_RUNNING;
	t->block = BLOCK_NONE;
	t->nr_waits = 0;
	t->wait_wchan = NULL;
}

bool task_wait_done(const struct task *t, uint64_t now)
{
	if (t->block != BLOCK_SLEEP && t->block != BLOCK_SIGNAL && t->block != BLOCK_IO && t->block != BLOCK_PAGEIO &&
	    t->block != BLOCK_FUTEX)
		return false;
	if (now >= t->wake_time)
		return true;
	for (int i = 0; i < t->nr_waits; i++)
		if (*t->waits[i].events != t->waits[i].seen)
			return true;
	return false;
}

void task_wait_free(struct task *t)
{
	free(t->waits);
	t->waits = NULL;
	t->nr_waits = t->cap_waits = 0;
}
