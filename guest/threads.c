/* threads: pthread workloads whose output is the same natively and under
 * mmsim, whatever the interleaving (every result is a function of the
 * program only).
 *   threads sum [N]     N threads (default 4) sum quarters of an array
 *   threads pingpong [R] two threads hand a token back and forth R times
 *                       with a mutex and two condition variables
 *   threads join        threads exit by return, pthread_exit and after a
 *                       detached sibling; join collects every value;
 *                       /proc/self/task lists them, status says Threads:
 *   threads munmap      four threads touch a shared page; one unmaps it;
 *                       the others' next access is SIGSEGV (the process
 *                       dies of it, as on Linux)
 *   threads tlb         four threads touch one page and spin (running,
 *                       each on its own CPU with --cpus 4) while the
 *                       first munmaps it: a TLB shootdown
 *   threads bomb        create threads until pthread_create fails; print
 *                       the error (EAGAIN at the task limit)
 *   threads deadlock    two threads each wait forever on a futex
 *   threads signal      SIGUSR1 to one thread (tgkill) and to the process
 *                       (kill): the handler reports which thread ran it
 *   threads sweep N MB P  N threads (0: main alone) each sweep their share
 *                       of an MB MiB buffer P times; the checksum does not
 *                       depend on N (bench/emu_bench's threaded case)
 *   threads yield K     two threads call sched_yield K times each: 2K
 *                       switches between threads of one process
 *   threads shoot K     three threads spin while main maps, touches and
 *                       unmaps a page K times: K shootdowns with --cpus 4
 *                       (the shootdown cost in docs/performance.md)
 */

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FUTEX_WAIT_PRIVATE_ 128 /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */

#define NMAX 16
#define ARRAY_LEN (1 << 16)

static long array[ARRAY_LEN];
static long partial[NMAX];
static int nthreads = 4;

static void *sum_part(void *arg)
{
	long id = (long)arg, s = 0;
	long per = ARRAY_LEN / nthreads;
	for (long i = id * per; i < (id + 1) * per; i++)
		s += array[i];
	partial[id] = s;
	return (void *)s;
}

static int do_sum(int n)
{
	pthread_t t[NMAX];
	nthreads = n;
	for (long i = 0; i < ARRAY_LEN; i++)
		array[i] = i * 3 + 1;
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, sum_part, (void *)i))
			return 1;
	long total = 0;
	for (int i = 0; i < n; i++) {
		void *r;
		pthread_join(t[i], &r);
		total += (long)r;
	}
	long expect = 0;
	for (long i = 0; i < ARRAY_LEN; i++)
		expect += array[i];
	for (int i = 0; i < n; i++)
		printf("part %d: %ld\n", i, partial[i]);
	printf("sum %ld expect %ld %s\n", total, expect, total == expect ? "ok" : "WRONG");
	return total != expect;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv_ping = PTHREAD_COND_INITIALIZER, cv_pong = PTHREAD_COND_INITIALIZER;
static int turn, rounds, hits[2];

static void *player(void *arg)
{
	int me = (int)(long)arg;
	for (int r = 0; r < rounds; r++) {
		pthread_mutex_lock(&mu);
		while (turn != me)
			pthread_cond_wait(me ? &cv_pong : &cv_ping, &mu);
		hits[me]++;
		turn = !me;
		pthread_cond_signal(me ? &cv_ping : &cv_pong);
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static int do_pingpong(int r)
{
	pthread_t a, b;
	rounds = r;
	pthread_create(&a, NULL, player, (void *)0L);
	pthread_create(&b, NULL, player, (void *)1L);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("ping %d pong %d\n", hits[0], hits[1]);
	return hits[0] != r || hits[1] != r;
}

static atomic_int detached_done;

static void *by_return(void *arg)
{
	return (void *)((long)arg * 7);
}

static void *by_exit(void *arg)
{
	pthread_exit((void *)((long)arg * 11));
}

static void *detached(void *arg)
{
	(void)arg;
	atomic_store(&detached_done, 1);
	return NULL;
}

static pthread_barrier_t jb;

static void *lister(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&jb); /* everyone alive */
	pthread_barrier_wait(&jb); /* main has looked */
	return NULL;
}

static int count_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int status_threads(void)
{
	char line[256];
	int n = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Threads:", 8))
			n = atoi(line + 8);
	fclose(f);
	return n;
}

static int do_join(void)
{
	pthread_t t[6], d;
	void *r;
	long sum = 0;
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, by_return, (void *)(i + 1));
	for (long i = 3; i < 6; i++)
		pthread_create(&t[i], NULL, by_exit, (void *)(i + 1));
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("joined sum %ld\n", sum);
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_create(&d, &at, detached, NULL);
	while (!atomic_load(&detached_done))
		sched_yield();
	pthread_barrier_init(&jb, NULL, 3);
	pthread_t l1, l2;
	pthread_create(&l1, NULL, lister, NULL);
	pthread_create(&l2, NULL, lister, NULL);
	pthread_barrier_wait(&jb);
	printf("pid==tid in main: %d; tasks %d; Threads: %d\n", getpid() == (pid_t)syscall(SYS_gettid),
	       count_tasks(), status_threads());
	pthread_barrier_wait(&jb);
	pthread_join(l1, NULL);
	pthread_join(l2, NULL);
	printf("after join: Threads: %d\n", status_threads());
	return sum != 7 * 6 + 11 * 15;
}

static volatile char *shared_page;
static pthread_barrier_t mb;

static void *toucher(void *arg)
{
	long id = (long)arg;
	shared_page[id * 64] = (char)id; /* every thread has the page in its TLB */
	pthread_barrier_wait(&mb);
	if (id == 0) {
		munmap((void *)shared_page, 4096);
		printf("thread 0 unmapped the page\n");
		fflush(stdout);
	}
	pthread_barrier_wait(&mb);
	if (id != 0)
		printf("never printed: %d\n", shared_page[id * 64]);
	pthread_barrier_wait(&mb);
	return NULL;
}

static int do_munmap(void)
{
	pthread_t t[4];
	shared_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_barrier_init(&mb, NULL, 4);
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, toucher, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("not reached\n");
	return 1;
}

static atomic_int tlb_phase, tlb_ready;

static void *spinner(void *arg)
{
	long id = (long)arg;
	shared_page[id * 64] = (char)id;
	atomic_fetch_add(&tlb_ready, 1);
	while (atomic_load(&tlb_phase) == 0) /* running, not sleeping: the mm stays live on this CPU */
		;
	return NULL;
}

static int do_tlb(void)
{
	pthread_t t[3];
	shared_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared_page[0] = 1;
	for (long i = 1; i <= 3; i++)
		pthread_create(&t[i - 1], NULL, spinner, (void *)i);
	while (atomic_load(&tlb_ready) < 3)
		;
	munmap((void *)shared_page, 4096);
	atomic_store(&tlb_phase, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("unmapped with 4 threads running\n");
	return 0;
}

static void *idle_thread(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int do_bomb(void)
{
	int n = 0, rc;
	pthread_t t;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 65536);
	while ((rc = pthread_create(&t, &at, idle_thread, NULL)) == 0)
		n++;
	printf("created %d threads, then: %s\n", n, strerror(rc));
	fflush(stdout);
	_exit(0);
}

static atomic_int never;

static void *waiter(void *arg)
{
	(void)arg;
	syscall(SYS_futex, &never, FUTEX_WAIT_PRIVATE_, 0, NULL, NULL, 0);
	return NULL;
}

static int do_deadlock(void)
{
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	pthread_join(t, NULL); /* the joiner waits on the thread's tid word */
	return 0;
}

static atomic_int sig_tid, sig_count;
static pthread_barrier_t sb;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_store(&sig_tid, (int)syscall(SYS_gettid));
	atomic_fetch_add(&sig_count, 1);
}

static void *sig_target(void *arg)
{
	sigset_t none;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	*(int *)arg = (int)syscall(SYS_gettid);
	pthread_barrier_wait(&sb);
	while (atomic_load(&sig_count) < 2)
		sched_yield();
	return NULL;
}

static int do_signal(void)
{
	pthread_t t;
	int tid = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* main blocks it, the thread does not */
	pthread_barrier_init(&sb, NULL, 2);
	pthread_create(&t, NULL, sig_target, &tid);
	pthread_barrier_wait(&sb);
	syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	while (atomic_load(&sig_count) < 1)
		sched_yield();
	printf("tgkill: handled by the target thread: %d\n", atomic_load(&sig_tid) == tid);
	kill(getpid(), SIGUSR1); /* process-directed: main blocks it, so the thread takes it */
	while (atomic_load(&sig_count) < 2)
		sched_yield();
	printf("kill: handled by the unblocking thread: %d\n", atomic_load(&sig_tid) == tid);
	printf("tgkill to a tid of another group: %s\n",
	       syscall(SYS_tgkill, getpid() + 1000, tid, 0) == -1 && errno == ESRCH ? "ESRCH" : "?");
	pthread_join(t, NULL);
	return 0;
}

static unsigned char *sweep_buf;
static size_t sweep_len;
static int sweep_parts, sweep_passes;
static uint64_t sweep_sum[NMAX];

static void *sweeper(void *arg)
{
	long id = (long)arg;
	size_t per = sweep_len / (size_t)sweep_parts, lo = (size_t)id * per;
	uint64_t sum = 0;
	for (int p = 0; p < sweep_passes; p++)
		for (size_t i = lo; i < lo + per; i += 64) {
			sweep_buf[i] = (unsigned char)(sweep_buf[i] + 1 + (i >> 12));
			sum += sweep_buf[i];
		}
	sweep_sum[id] = sum;
	return NULL;
}

static int do_sweep(int n, int mb, int passes)
{
	pthread_t t[NMAX];
	sweep_parts = 4;
	sweep_passes = passes;
	sweep_len = (size_t)mb << 20;
	sweep_buf = mmap(NULL, sweep_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sweep_buf == MAP_FAILED)
		return 1;
	for (long i = 0; i < 4; i++) {
		if (n == 0)
			sweeper((void *)i); /* the same work without threads */
		else if (pthread_create(&t[i], NULL, sweeper, (void *)i))
			return 1;
	}
	for (int i = 0; n && i < 4; i++)
		pthread_join(t[i], NULL);
	uint64_t total = 0;
	for (int i = 0; i < 4; i++)
		total += sweep_sum[i];
	printf("sweep checksum %llu\n", (unsigned long long)total);
	return 0;
}

static int do_shoot(int k)
{
	pthread_t t[3];
	shared_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared_page[0] = 1;
	for (long i = 1; i <= 3; i++)
		pthread_create(&t[i - 1], NULL, spinner, (void *)i);
	while (atomic_load(&tlb_ready) < 3)
		;
	for (int i = 0; i < k; i++) {
		volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p[0] = (char)i;
		munmap((void *)p, 4096);
	}
	atomic_store(&tlb_phase, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("%d map/touch/unmap rounds with 3 threads spinning\n", k);
	return 0;
}

static int yield_rounds;

static void *yielder(void *arg)
{
	for (int i = 0; i < yield_rounds; i++)
		sched_yield();
	return arg;
}

static int do_yield(int k)
{
	pthread_t a, b;
	yield_rounds = k;
	pthread_create(&a, NULL, yielder, NULL);
	pthread_create(&b, NULL, yielder, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("yielded %d times in each of two threads\n", k);
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "sum";
	int arg = argc > 2 ? atoi(argv[2]) : 0;
	int rc;
	if (!strcmp(m, "sum"))
		rc = do_sum(arg > 0 && arg <= NMAX ? arg : 4);
	else if (!strcmp(m, "pingpong"))
		rc = do_pingpong(arg > 0 ? arg : 1000);
	else if (!strcmp(m, "join"))
		rc = do_join();
	else if (!strcmp(m, "munmap"))
		rc = do_munmap();
	else if (!strcmp(m, "tlb"))
		rc = do_tlb();
	else if (!strcmp(m, "bomb"))
		rc = do_bomb();
	else if (!strcmp(m, "deadlock"))
		rc = do_deadlock();
	else if (!strcmp(m, "signal"))
		rc = do_signal();
	else if (!strcmp(m, "sweep"))
		rc = do_sweep(arg, argc > 3 ? atoi(argv[3]) : 16, argc > 4 ? atoi(argv[4]) : 4);
	else if (!strcmp(m, "yield"))
		rc = do_yield(arg > 0 ? arg : 1000);
	else if (!strcmp(m, "shoot"))
		rc = do_shoot(arg > 0 ? arg : 1000);
	else {
		fprintf(stderr, "usage: threads sum|pingpong|join|munmap|tlb|bomb|deadlock|signal|sweep|yield|shoot [N]\n");
		return 2;
	}
	return rc;
}
