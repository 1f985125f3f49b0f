/* sim/sys_time.c - time and randomness, all simulated.
 *
 * Simulated time: 1 guest instruction takes 1 ns (a 1 GHz machine retiring
 * one instruction per cycle).  "Now" (sim_now_ns) is sim->insns plus the
 * time every task waited at once (procs->idle_ns: sleeps, swap-in I/O) plus
 * the kernel work the model charges (kswapd, direct-reclaim stalls with
 * their swap writes).  CLOCK_REALTIME starts at 2024-01-01
 * 00:00:00 UTC; CLOCK_MONOTONIC and CLOCK_BOOTTIME start at 0; the CPU-time
 * clocks count the instructions of the process.  nanosleep blocks the task
 * until that time (the scheduler advances time when everyone sleeps).
 * getrandom (and /dev/random, /dev/urandom: sim/devfs.c) returns bytes
 * from a generator seeded with --seed: the same seed gives the same bytes.
 */
#include <string.h>
#include <time.h>

#include "mmu/smp.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"
#include "mm/prandom.h"

uint64_t sim_now_ns(struct sim *s)
{
	/* guest instructions, idle jumps, and kernel work the model charges
	 * to the machine (kswapd, direct-reclaim stalls: mm/vmscan.h; with
	 * several CPUs added to every CPU's clock, docs/threads.md) */
	struct proc_table *pt = s->procs;
	uint64_t kernel = s->mem->kswapd_ns + s->mem->stall_ns;
	if (!s->smp)
		return s->insns + pt->idle_ns + kernel;
	/* the running CPU's clock: the round's start plus what it used */
	return pt->round_base + pt->cpu[s->smp->this_cpu].round_ns + (s->insns - pt->slice_insns0) + kernel;
}

static uint64_t clock_ns(struct sim *s, struct task *t, int clk, long *err)
{
	*err = 0;
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case 11: /* CLOCK_TAI */
		return MMSIM_EPOCH * 1000000000ULL + sim_now_ns(s);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return sim_now_ns(s);
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return t->insns;
	default:
		*err = -EINVAL;
		return 0;
	}
}

SYSCALL_DEFINE(clock_gettime)
{
	long err;
	uint64_t ns = clock_ns(s, t, (int)a[0], &err);
	if (err)
		return err;
	int64_t ts[2] = { (int64_t)(ns / 1000000000ULL), (int64_t)(ns % 1000000000ULL) };
	return copy_to_user(t->eng, a[1], ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(clock_getres)
{
	long err;
	clock_ns(s, t, (int)a[0], &err);
	if (err)
		return err;
	int64_t ts[2] = { 0, 1 };
	if (a[1] && copy_to_user(t->eng, a[1], ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(gettimeofday)
{
	uint64_t ns = MMSIM_EPOCH * 1000000000ULL + sim_now_ns(s);
	if (a[0]) {
		int64_t tv[2] = { (int64_t)(ns / 1000000000ULL), (int64_t)(ns % 1000000000ULL / 1000) };
		if (copy_to_user(t->eng, a[0], tv, sizeof(tv)))
			return -EFAULT;
	}
	if (a[1]) {
		int32_t tz[2] = { 0, 0 };
		if (copy_to_user(t->eng, a[1], tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(time)
{
	int64_t sec = (int64_t)(MMSIM_EPOCH + sim_now_ns(s) / 1000000000ULL);
	if (a[0] && copy_to_user(t->eng, a[0], &sec, 8))
		return -EFAULT;
	return sec;
}

SYSCALL_DEFINE(times)
{
	int64_t tms[4] = { (int64_t)(t->insns / 10000000ULL), 0, (int64_t)(t->c_insns / 10000000ULL), 0 };
	if (a[0] && copy_to_user(t->eng, a[0], tms, sizeof(tms)))
		return -EFAULT;
	return (long)(sim_now_ns(s) / 10000000ULL); /* clock ticks, USER_HZ = 100 */
}

/* Sleep until absolute simulated time WAKE (ns). */
static long sleep_until(struct task *t, uint64_t wake)
{
	task_sleep(t, BLOCK_SLEEP, wake, NULL);
	return 0;
}

static long read_timespec(struct task *t, uint64_t u, uint64_t *ns)
{
	int64_t ts[2];
	if (copy_from_user(t->eng, ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	if ((uint64_t)ts[0] > UINT64_MAX / 2000000000ULL)
		*ns = UINT64_MAX / 2;
	else
		*ns = (uint64_t)ts[0] * 1000000000ULL + (uint64_t)ts[1];
	return 0;
}

SYSCALL_DEFINE(nanosleep)
{
	uint64_t ns;
	long rc = read_timespec(t, a[0], &ns);
	if (rc)
		return rc;
	if (a[1] && clear_user(t->eng, a[1], 16))
		return -EFAULT;
	t->sleep_rem = a[1]; /* a handler interrupting the sleep: EINTR + time left */
	return sleep_until(t, sim_now_ns(s) + ns);
}

SYSCALL_DEFINE(clock_nanosleep)
{
	uint64_t ns;
	long err;
	int clk = (int)a[0];
	if (clk == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	clock_ns(s, t, clk, &err);
	if (err)
		return err;
	long rc = read_timespec(t, a[2], &ns);
	if (rc)
		return rc;
	if (a[1] & 1 /* TIMER_ABSTIME */) {
		uint64_t now = clock_ns(s, t, clk, &err);
		uint64_t base = now - sim_now_ns(s); /* clock offset from simulated time */
		return sleep_until(t, ns > base ? ns - base : 0);
	}
	t->sleep_rem = a[3];
	return sleep_until(t, sim_now_ns(s) + ns);
}

long get_random_bytes(struct sim *s, const struct iobuf *io, uint64_t len)
{
	uint8_t buf[256];
	uint64_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? (size_t)(len - done) : sizeof(buf);
		for (size_t i = 0; i < n; i += 8) {
			uint64_t r = splitmix64(&s->procs->rng);
			memcpy(buf + i, &r, n - i < 8 ? n - i : 8);
		}
		if (iob_copy_to(io, done, buf, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

SYSCALL_DEFINE(getrandom)
{
	uint64_t len = a[1];
	if (a[2] & ~7ULL)
		return -EINVAL;
	if (len > 33554431)
		len = 33554431;
	struct iobuf io = iob_user(t, a[0]);
	return get_random_bytes(s, &io, len);
}
