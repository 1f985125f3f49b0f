/* futex: the futex operations one by one, with output that is the same
 * natively and under mmsim (each step waits until the waiters are
 * asleep - /proc/self/task/TID/stat says S - before it wakes them).
 *   wake       FUTEX_WAKE of 2 out of 3 waiters, then the third
 *   requeue    FUTEX_CMP_REQUEUE: wake 1, move 2 to another word; a wrong
 *              expected value is EAGAIN; FUTEX_REQUEUE
 *   wakeop     FUTEX_WAKE_OP: the word operation and the comparison
 *   bitset     FUTEX_WAIT_BITSET / FUTEX_WAKE_BITSET select by bits
 *   timeout    FUTEX_WAIT with a relative and WAIT_BITSET with an absolute
 *              timeout: ETIMEDOUT; a changed value: EAGAIN
 *   shared     a futex in a MAP_SHARED page wakes a waiter in another
 *              process (fork), keyed by the page, not the address space
 *   robust     a thread dies holding a robust mutex: the next locker gets
 *              EOWNERDEAD
 *   all        every case
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define F_WAIT 0
#define F_WAKE 1
#define F_REQUEUE 3
#define F_CMP_REQUEUE 4
#define F_WAKE_OP 5
#define F_WAIT_BITSET 9
#define F_WAKE_BITSET 10
#define F_PRIVATE 128

static long fx(void *uaddr, int op, uint32_t val, const void *ts_or_val2, void *uaddr2, uint32_t val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, ts_or_val2, uaddr2, val3);
	return r < 0 ? -errno : r;
}

/* Wait until thread TID sleeps (state S in its stat). */
static void wait_asleep(int tid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	for (;;) {
		FILE *f = fopen(path, "r");
		if (f) {
			size_t n = fread(buf, 1, sizeof buf - 1, f);
			fclose(f);
			buf[n] = 0;
			char *p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return;
		}
		sched_yield();
	}
}

static atomic_uint word1, word2;
static atomic_int woken;

struct waiter {
	pthread_t th;
	atomic_int tid;
	atomic_uint *addr;
	int op;
	uint32_t bitset;
	long rc;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	atomic_store(&w->tid, (int)syscall(SYS_gettid));
	w->rc = fx(w->addr, w->op, 0, NULL, NULL, w->bitset);
	atomic_fetch_add(&woken, 1);
	return NULL;
}

static void start(struct waiter *w, atomic_uint *addr, int op, uint32_t bitset)
{
	w->addr = addr;
	w->op = op;
	w->bitset = bitset;
	atomic_store(&w->tid, 0);
	pthread_create(&w->th, NULL, waiter_main, w);
	while (!atomic_load(&w->tid))
		sched_yield();
	wait_asleep(atomic_load(&w->tid));
}

static void wait_woken(int n)
{
	while (atomic_load(&woken) < n)
		sched_yield();
}

static void case_wake(void)
{
	struct waiter w[3];
	atomic_store(&woken, 0);
	for (int i = 0; i < 3; i++)
		start(&w[i], &word1, F_WAIT | F_PRIVATE, 0);
	printf("wake: woke %ld of 3\n", fx(&word1, F_WAKE | F_PRIVATE, 2, NULL, NULL, 0));
	wait_woken(2);
	printf("wake: then %ld\n", fx(&word1, F_WAKE | F_PRIVATE, 5, NULL, NULL, 0));
	for (int i = 0; i < 3; i++) {
		pthread_join(w[i].th, NULL);
		printf("wake: waiter %d returned %ld\n", i, w[i].rc);
	}
	printf("wake: nobody left: %ld\n", fx(&word1, F_WAKE | F_PRIVATE, 1, NULL, NULL, 0));
}

static void case_requeue(void)
{
	struct waiter w[3];
	atomic_store(&woken, 0);
	for (int i = 0; i < 3; i++)
		start(&w[i], &word1, F_WAIT | F_PRIVATE, 0);
	printf("requeue: wrong value: %s\n",
	       fx(&word1, F_CMP_REQUEUE | F_PRIVATE, 1, (void *)2L, &word2, 7) == -EAGAIN ? "EAGAIN" : "?");
	printf("requeue: cmp_requeue woke+moved %ld\n", fx(&word1, F_CMP_REQUEUE | F_PRIVATE, 1, (void *)2L, &word2, 0));
	wait_woken(1);
	printf("requeue: left on word1 %ld\n", fx(&word1, F_WAKE | F_PRIVATE, 10, NULL, NULL, 0));
	printf("requeue: plain requeue of word2 to word1 %ld\n", fx(&word2, F_REQUEUE | F_PRIVATE, 0, (void *)1L, &word1, 0));
	printf("requeue: on word2 %ld, on word1 %ld\n", fx(&word2, F_WAKE | F_PRIVATE, 10, NULL, NULL, 0),
	       fx(&word1, F_WAKE | F_PRIVATE, 10, NULL, NULL, 0));
	for (int i = 0; i < 3; i++)
		pthread_join(w[i].th, NULL);
	printf("requeue: all returned %ld %ld %ld\n", w[0].rc, w[1].rc, w[2].rc);
}

static void case_wakeop(void)
{
	struct waiter a, b;
	atomic_store(&woken, 0);
	start(&a, &word1, F_WAIT | F_PRIVATE, 0);
	start(&b, &word2, F_WAIT | F_PRIVATE, 0);
	atomic_store(&word2, 5);
	/* op ADD 3 to word2; wake word2's waiters if old value == 5 */
	uint32_t op = (1u << 28) | (0u << 24) | (3u << 12) | 5u;
	long r = fx(&word1, F_WAKE_OP | F_PRIVATE, 1, (void *)1L, &word2, op);
	printf("wakeop: woke %ld, word2 now %u\n", r, atomic_load(&word2));
	atomic_store(&word2, 0);
	wait_woken(2);
	pthread_join(a.th, NULL);
	pthread_join(b.th, NULL);
	/* comparison false: only uaddr's waiters */
	uint32_t op2 = (0u << 28) | (1u << 24) | (9u << 12) | 9u; /* SET 9; wake2 if old != 9 */
	atomic_store(&word2, 9);
	printf("wakeop: no waiters, cmp false: %ld, word2 %u\n", fx(&word1, F_WAKE_OP | F_PRIVATE, 1, (void *)1L, &word2, op2),
	       atomic_load(&word2));
	atomic_store(&word2, 0);
}

static void case_bitset(void)
{
	struct waiter a, b;
	atomic_store(&woken, 0);
	start(&a, &word1, F_WAIT_BITSET | F_PRIVATE, 0x1);
	start(&b, &word1, F_WAIT_BITSET | F_PRIVATE, 0x2);
	printf("bitset: wake bit 2: %ld\n", fx(&word1, F_WAKE_BITSET | F_PRIVATE, 10, NULL, NULL, 0x2));
	wait_woken(1);
	printf("bitset: wake bit 4: %ld\n", fx(&word1, F_WAKE_BITSET | F_PRIVATE, 10, NULL, NULL, 0x4));
	printf("bitset: wake bit 1: %ld\n", fx(&word1, F_WAKE_BITSET | F_PRIVATE, 10, NULL, NULL, 0x1));
	printf("bitset: empty bitset: %s\n", fx(&word1, F_WAKE_BITSET | F_PRIVATE, 1, NULL, NULL, 0) == -EINVAL ? "EINVAL" : "?");
	pthread_join(a.th, NULL);
	pthread_join(b.th, NULL);
}

static void case_timeout(void)
{
	struct timespec rel = { 0, 5000000 }, abs;
	printf("timeout: relative %s\n", fx(&word1, F_WAIT | F_PRIVATE, 0, &rel, NULL, 0) == -ETIMEDOUT ? "ETIMEDOUT" : "?");
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 3000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	printf("timeout: absolute %s\n",
	       fx(&word1, F_WAIT_BITSET | F_PRIVATE, 0, &abs, NULL, 0xffffffffu) == -ETIMEDOUT ? "ETIMEDOUT" : "?");
	printf("timeout: value changed %s\n", fx(&word1, F_WAIT | F_PRIVATE, 1, &rel, NULL, 0) == -EAGAIN ? "EAGAIN" : "?");
	printf("timeout: misaligned %s\n",
	       fx((char *)&word1 + 1, F_WAIT | F_PRIVATE, 0, &rel, NULL, 0) == -EINVAL ? "EINVAL" : "?");
}

static void case_shared(void)
{
	atomic_uint *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	atomic_store(w, 0);
	pid_t c = fork();
	if (c == 0) {
		long r = fx(w, F_WAIT, 0, NULL, NULL, 0); /* shared: no FUTEX_PRIVATE_FLAG */
		_exit(r == 0 && atomic_load(w) == 1 ? 0 : 1);
	}
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/stat", c);
	for (;;) { /* the child sleeps in the wait */
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = 0;
		char *p = strrchr(buf, ')');
		if (p && p[2] == 'S')
			break;
		sched_yield();
	}
	atomic_store(w, 1);
	long n = fx(w, F_WAKE, 1, NULL, NULL, 0);
	int st;
	waitpid(c, &st, 0);
	printf("shared: woke %ld in the other process, child exit %d\n", n, WEXITSTATUS(st));
}

static pthread_mutex_t rm;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&rm);
	return NULL; /* exits with the robust mutex held */
}

static void case_robust(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&rm, &a);
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	int r = pthread_mutex_lock(&rm);
	printf("robust: lock after the owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
	pthread_mutex_consistent(&rm);
	pthread_mutex_unlock(&rm);
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "all";
	bool all = !strcmp(c, "all");
	if (all || !strcmp(c, "wake"))
		case_wake();
	if (all || !strcmp(c, "requeue"))
		case_requeue();
	if (all || !strcmp(c, "wakeop"))
		case_wakeop();
	if (all || !strcmp(c, "bitset"))
		case_bitset();
	if (all || !strcmp(c, "timeout"))
		case_timeout();
	if (all || !strcmp(c, "shared"))
		case_shared();
	if (all || !strcmp(c, "robust"))
		case_robust();
	return 0;
}
