/* pollio - poll/ppoll/select/pselect6 and pipe semantics, printed so that
 * a native run and an mmsim run can be compared byte for byte (no times,
 * pids or addresses in the output).  With an argument it runs one of the
 * programs that can never finish on Linux ("deadlock", "deadlock-timer"):
 * mmsim must end them (exit 125) instead of spinning. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char big[300000];
static volatile sig_atomic_t got;

static void on_sig(int sig)
{
	got = sig;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A new pipe P whose read end a child drains to end of file, then prints
 * the byte count.  Returns the child's pid; P[1] is the parent's. */
static pid_t pipe_to_reader(int p[2])
{
	char b[512];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		close(p[1]);
		long got_bytes = 0, k;
		while ((k = read(p[0], b, sizeof(b))) > 0)
			got_bytes += k;
		printf("child read %ld\n", got_bytes);
		_exit(0);
	}
	close(p[0]);
	return c;
}

static void handler(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void test_poll(void)
{
	int p[2];
	struct pollfd pf[3];
	struct timespec t0;

	pipe(p);
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int n = poll(pf, 1, 10);
	printf("poll empty pipe 10ms: %d revents %#x waited>=10ms %d\n", n, pf[0].revents, ms_since(&t0) >= 10);
	write(p[1], "xy", 2);
	n = poll(pf, 1, -1);
	printf("poll with data: %d revents %#x\n", n, pf[0].revents);
	close(p[1]);
	n = poll(pf, 1, 0);
	printf("poll data + writer gone: %d revents %#x\n", n, pf[0].revents);
	char b[4];
	read(p[0], b, 2);
	n = poll(pf, 1, -1);
	printf("poll writer gone: %d revents %#x (POLLHUP %#x)\n", n, pf[0].revents, POLLHUP);
	pf[0].events = 0;
	n = poll(pf, 1, -1);
	printf("poll events=0, writer gone: %d revents %#x\n", n, pf[0].revents);
	close(p[0]);

	pipe(p);
	close(p[0]);
	pf[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	n = poll(pf, 1, 0);
	printf("poll write end, reader gone: %d revents %#x\n", n, pf[0].revents);
	close(p[1]);

	pf[0] = (struct pollfd){ .fd = 77, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = -1, .events = POLLIN };
	pf[2] = (struct pollfd){ .fd = 1, .events = POLLOUT };
	n = poll(pf, 3, 0);
	printf("poll closed/negative/stdout: %d revents %#x %#x %#x\n", n, pf[0].revents, pf[1].revents,
	       pf[2].revents);

	/* a writer in another process wakes the poller; the child stays alive
	 * (reading Q) until the parent has looked */
	int q[2];
	pipe(p);
	pipe(q);
	pid_t c = fork();
	if (c == 0) {
		struct timespec ts = { 0, 5000000 };
		close(q[1]);
		nanosleep(&ts, NULL);
		write(p[1], "z", 1);
		read(q[0], b, 1);
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	n = poll(pf, 1, 5000);
	printf("poll woken by child's write: %d revents %#x\n", n, pf[0].revents);
	read(p[0], b, 1);
	close(q[1]);
	waitpid(c, NULL, 0);
	n = poll(pf, 1, 5000);
	printf("poll after child exit: %d revents %#x\n", n, pf[0].revents);
	close(p[0]);

	/* a signal with a handler interrupts poll: EINTR, even with SA_RESTART */
	pipe(p);
	handler(SIGALRM, SA_RESTART);
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	n = poll(pf, 0, -1);
	printf("poll(no fds, forever) + SIGALRM: %d errno %s got %d\n", n, strerror(errno), got);
	got = 0;
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	n = poll(pf, 1, 10000);
	printf("poll(pipe) + SIGALRM: %d errno %s got %d\n", n, strerror(errno), got);
	got = 0;
	close(p[0]);
	close(p[1]);

	/* SIGSTOP + SIGCONT during poll: no handler runs, poll goes on and
	 * times out at its first deadline */
	pipe(p);
	c = fork();
	if (c == 0) {
		struct timespec ts = { 0, 5000000 };
		nanosleep(&ts, NULL);
		kill(getppid(), SIGSTOP);
		nanosleep(&ts, NULL);
		kill(getppid(), SIGCONT);
		_exit(0);
	}
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = poll(pf, 1, 60);
	printf("poll across SIGSTOP/SIGCONT: %d waited>=60ms %d\n", n, ms_since(&t0) >= 60);
	waitpid(c, NULL, 0);

	/* a pending SIGCHLD that ppoll's mask unblocks: EINTR at once */
	sigset_t chld, none;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigemptyset(&none);
	handler(SIGCHLD, SA_RESTART);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	c = fork();
	if (c == 0)
		_exit(0);
	waitpid(c, NULL, 0);
	errno = 0;
	n = ppoll(pf, 1, NULL, &none);
	printf("ppoll unblocking a pending SIGCHLD: %d %s got %d\n", n, strerror(errno), got);
	got = 0;
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	signal(SIGCHLD, SIG_DFL);
	close(p[0]);
	close(p[1]);

	/* ppoll: timeout written back, sigmask for the call */
	pipe(p);
	struct timespec to = { 0, 30000000 };
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	n = ppoll(pf, 1, &to, NULL);
	printf("ppoll 30ms timeout: %d left %ld.%09ld\n", n, (long)to.tv_sec, to.tv_nsec);
	write(p[1], "a", 1);
	to = (struct timespec){ 2, 0 };
	n = ppoll(pf, 1, &to, NULL);
	printf("ppoll ready: %d left<=2s %d left>1.9s %d\n", n, to.tv_sec < 2 || to.tv_nsec == 0,
	       to.tv_sec >= 1 && to.tv_nsec > 900000000);
	to = (struct timespec){ 0, -1 };
	errno = 0;
	n = ppoll(pf, 1, &to, NULL);
	printf("ppoll bad timespec: %d %s\n", n, strerror(errno));
	close(p[0]);
	close(p[1]);
}

static void test_select(void)
{
	int p[2];
	fd_set r, w;
	struct timeval tv;
	pipe(p);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 20000 };
	int n = select(p[0] + 1, &r, NULL, NULL, &tv);
	printf("select empty 20ms: %d isset %d tv %ld.%06ld\n", n, FD_ISSET(p[0], &r), (long)tv.tv_sec,
	       (long)tv.tv_usec);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	n = select(p[1] + 1, &r, &w, NULL, NULL);
	printf("select r(empty) w(room): %d r %d w %d\n", n, FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	n = select(p[0] + 1, &r, NULL, NULL, NULL);
	printf("select writer gone (EOF readable): %d r %d\n", n, FD_ISSET(p[0], &r));
	FD_ZERO(&r);
	FD_SET(p[1], &r); /* closed */
	errno = 0;
	n = select(p[1] + 1, &r, NULL, NULL, NULL);
	printf("select closed fd: %d %s\n", n, strerror(errno));
	errno = 0;
	n = select(-1, NULL, NULL, NULL, NULL);
	printf("select nfds -1: %d %s\n", n, strerror(errno));
	tv = (struct timeval){ 0, 1000000 };
	errno = 0;
	n = select(0, NULL, NULL, NULL, &tv);
	printf("select bad timeval: %d %s\n", n, strerror(errno));
	tv = (struct timeval){ 0, 15000 };
	n = select(0, NULL, NULL, NULL, &tv); /* the classic portable sleep */
	printf("select as sleep: %d tv %ld.%06ld\n", n, (long)tv.tv_sec, (long)tv.tv_usec);
	close(p[0]);

	/* select woken by a child, time left written back */
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		struct timespec ts = { 0, 5000000 };
		nanosleep(&ts, NULL);
		write(p[1], "z", 1);
		_exit(0);
	}
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 3, 0 };
	n = select(p[0] + 1, &r, NULL, NULL, &tv);
	printf("select woken by child: %d r %d 2s<left<3s %d\n", n, FD_ISSET(p[0], &r), tv.tv_sec == 2);
	waitpid(c, NULL, 0);
	close(p[0]);

	/* pselect: SIGUSR1 blocked except during the call */
	sigset_t block, empty, now;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);
	handler(SIGUSR1, 0);
	kill(getpid(), SIGUSR1); /* pending, blocked */
	pipe(p);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timespec ts = { 5, 0 };
	errno = 0;
	n = pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("pselect unblocks SIGUSR1: %d errno %s got %d blocked after %d\n", n, strerror(errno), got,
	       sigismember(&now, SIGUSR1));
	got = 0;
	write(p[1], "q", 1);
	n = pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("pselect ready: %d r %d blocked after %d\n", n, FD_ISSET(p[0], &r), sigismember(&now, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(p[0]);
	close(p[1]);
}

static void test_nonblock(void)
{
	int p[2];
	char b[8];
	pipe2(p, O_NONBLOCK);
	printf("pipe2 O_NONBLOCK: F_GETFL r %#x w %#x\n", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
	errno = 0;
	long n = read(p[0], b, sizeof(b));
	printf("read empty non-blocking: %ld %s\n", n, strerror(errno));
	n = write(p[1], big, sizeof(big));
	printf("write 300000 non-blocking: %ld\n", n);
	errno = 0;
	n = write(p[1], big, 10);
	printf("write to full non-blocking: %ld %s\n", n, strerror(errno));
	printf("F_GETPIPE_SZ %d\n", fcntl(p[0], F_GETPIPE_SZ));
	errno = 0;
	int rc = fcntl(p[0], F_SETPIPE_SZ, 4096);
	printf("F_SETPIPE_SZ 4096 while full: %d %s\n", rc, strerror(errno));
	printf("F_SETPIPE_SZ 100000: %d\n", fcntl(p[1], F_SETPIPE_SZ, 100000));
	n = write(p[1], big, sizeof(big));
	printf("write after resize: %ld\n", n);
	long total = 0;
	while ((n = read(p[0], big, sizeof(big))) > 0)
		total += n;
	printf("drained %ld, then %ld %s\n", total, n, strerror(errno));
	printf("F_SETPIPE_SZ 0: %d\n", fcntl(p[1], F_SETPIPE_SZ, 0));
	printf("F_SETPIPE_SZ 5000: %d\n", fcntl(p[1], F_SETPIPE_SZ, 5000));
	/* a small write is atomic: 4096 bytes with 4000 free is refused */
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	write(p[1], big, 65536 - 4000);
	errno = 0;
	n = write(p[1], big, 4096);
	printf("atomic 4096 into 4000 free: %ld %s\n", n, strerror(errno));
	n = write(p[1], big, 5000);
	printf("5000 into 4000 free (not atomic): %ld\n", n);
	errno = 0;
	rc = fcntl(open("/proc/self/status", O_RDONLY), F_GETPIPE_SZ);
	printf("F_GETPIPE_SZ on a regular file: %d %s\n", rc, strerror(errno));
	/* many small writes merge into pages: 64 KiB of 100-byte writes fit */
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	while (read(p[0], big, sizeof(big)) > 0)
		;
	long small = 0;
	while (write(p[1], big, 100) == 100)
		small += 100;
	printf("100-byte writes until full: %ld bytes\n", small);
	int avail = -1;
	ioctl(p[0], FIONREAD, &avail);
	printf("FIONREAD %d\n", avail);
	read(p[0], big, 50);
	errno = 0;
	n = write(p[1], big, 100);
	printf("after reading 50: write 100 -> %ld %s\n", n, strerror(errno));
	close(p[0]);
	close(p[1]);

	/* F_SETFL on a blocking pipe */
	pipe(p);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	errno = 0;
	n = read(p[0], b, sizeof(b));
	printf("F_SETFL O_NONBLOCK then read: %ld %s flags %#x\n", n, strerror(errno), fcntl(p[0], F_GETFL));
	close(p[0]);
	close(p[1]);

	/* a blocking write larger than the pipe returns only when all is written */
	pid_t c = pipe_to_reader(p);
	n = write(p[1], big, sizeof(big));
	printf("blocking write 300000: %ld\n", n);
	fflush(stdout);
	close(p[1]);
	waitpid(c, NULL, 0);

	/* SIGPIPE/EPIPE */
	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	n = write(p[1], "x", 1);
	printf("write, no reader: %ld %s\n", n, strerror(errno));
	close(p[1]);
}

/* readv/writev on a pipe are one read or write: atomic up to PIPE_BUF,
 * complete when blocking */
static void test_iov(void)
{
	int p[2];
	pipe(p);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	write(p[1], big, 4000);
	struct iovec v[2] = { { big, 50 }, { big, 60 } };
	errno = 0;
	long n = writev(p[1], v, 2);
	printf("writev 110 into 96 free (atomic): %ld %s\n", n, strerror(errno));
	struct iovec w[2] = { { big, 40 }, { big, 50 } };
	printf("writev 90 into 96 free: %ld\n", (long)writev(p[1], w, 2));
	char a[30], b[30];
	struct iovec r[2] = { { a, 30 }, { b, 30 } };
	printf("readv 60: %ld\n", (long)readv(p[0], r, 2));
	close(p[0]);
	close(p[1]);
	pid_t c = pipe_to_reader(p);
	struct iovec x[3] = { { big, 50000 }, { big, 50000 }, { big, 50000 } };
	printf("blocking writev 150000: %ld\n", (long)writev(p[1], x, 3));
	close(p[1]);
	waitpid(c, NULL, 0);
}

/* Never finishes on Linux: reads a pipe whose only writer is itself. */
static int deadlock(void)
{
	int p[2];
	char b;
	pipe(p);
	return (int)read(p[0], &b, 1);
}

/* Blocked for ever in read, but a timer is pending: mmsim advances time to
 * it (the handler runs, read fails with EINTR), then ends the run as a
 * deadlock when only an ignored periodic timer is left. */
static int deadlock_timer(void)
{
	int p[2];
	char b;
	pipe(p);
	handler(SIGALRM, 0);
	alarm(100);
	errno = 0;
	long n = read(p[0], &b, 1);
	printf("read + alarm(100): %ld %s got %d\n", n, strerror(errno), got);
	fflush(stdout);
	signal(SIGALRM, SIG_IGN);
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	return (int)read(p[0], &b, 1);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "deadlock"))
		return deadlock();
	if (argc > 1 && !strcmp(argv[1], "deadlock-timer"))
		return deadlock_timer();
	test_poll();
	test_select();
	test_nonblock();
	test_iov();
	printf("pollio: done\n");
	return 0;
}
