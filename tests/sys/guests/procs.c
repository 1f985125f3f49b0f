/* procs: fork/exit/wait4 status, kill with default actions, pipes,
 * getrusage fault counts, nanosleep on simulated time, getppid. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int bad;
#define CHECK(c)                                                        \
	do {                                                            \
		if (!(c)) {                                             \
			printf("FAIL line %d: %s\n", __LINE__, #c);    \
			bad++;                                          \
		}                                                       \
	} while (0)

int main(void)
{
	int st;
	pid_t me = getpid();
	/* exit status */
	pid_t c = fork();
	if (c == 0) {
		if (getppid() != me)
			_exit(99);
		_exit(7);
	}
	CHECK(c > me);
	CHECK(waitpid(c, &st, 0) == c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);

	/* SIGTERM's default action */
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	CHECK(kill(c, SIGTERM) == 0);
	CHECK(waitpid(c, &st, 0) == c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	CHECK(kill(c, 0) == -1 && errno == ESRCH);

	/* pipe between parent and child */
	int fd[2];
	char buf[64] = { 0 };
	CHECK(pipe(fd) == 0);
	c = fork();
	if (c == 0) {
		close(fd[0]);
		const char *msg = "through the pipe";
		_exit(write(fd[1], msg, strlen(msg)) == (ssize_t)strlen(msg) ? 0 : 1);
	}
	close(fd[1]);
	ssize_t n = 0, r;
	while ((r = read(fd[0], buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	CHECK(n == 16 && strcmp(buf, "through the pipe") == 0);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* getrusage sees the simulated faults: touching 64 fresh pages */
	struct rusage ru0, ru1;
	CHECK(getrusage(RUSAGE_SELF, &ru0) == 0);
	size_t len = 64 * 4096;
	char *p = malloc(len + 4096);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	CHECK(getrusage(RUSAGE_SELF, &ru1) == 0);
	CHECK(ru1.ru_minflt - ru0.ru_minflt >= 64);
	CHECK(ru1.ru_maxrss >= 256);
	printf("minflt grew by %ld for 64 pages\n", ru1.ru_minflt - ru0.ru_minflt);

	/* COW after fork: the child's writes are its own */
	p[0] = 'P';
	c = fork();
	if (c == 0) {
		p[0] = 'C';
		_exit(p[0] == 'C' ? 0 : 1);
	}
	struct rusage cru;
	CHECK(wait4(c, &st, 0, &cru) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(p[0] == 'P');
	CHECK(cru.ru_minflt >= 1);

	/* simulated time moves with nanosleep */
	struct timespec t0, t1, d = { 0, 5000000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	CHECK(ns >= 5000000);

	printf("procs: %s\n", bad ? "FAIL" : "ok");
	return bad ? 1 : 0;
}
