/* fork_cow: fill a buffer (every page touched), fork, let the child write
 * one byte in every STRIDE-th page (copy-on-write faults; the child counts
 * its own faults with getrusage around the loop) while the parent checks
 * afterwards that its data are unchanged.
 * Usage: fork_cow [MiB=4] [stride_pages=1].
 * Output: "child: wrote N pages, F page faults" where F == N on Linux
 * (one COW fault per page), then the parent's verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long minflt(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_minflt + ru.ru_majflt;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 4;
	size_t stride = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	size_t n = mib * 1024 * 1024;
	if (stride == 0)
		stride = 1;
	unsigned char *a = malloc(n);
	if (!a)
		return 1;
	for (size_t i = 0; i < n; i++)
		a[i] = (unsigned char)(i * 7);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		unsigned long sum = 0, pages = 0;
		long before = minflt();
		for (size_t i = 0; i < n; i += 4096 * stride) {
			((volatile unsigned char *)a)[i] = 0xff;
			pages++;
		}
		long after = minflt();
		for (size_t i = 0; i < n; i += 4096 * stride)
			sum += a[i];
		printf("child: wrote %lu pages, %ld page faults, sum %lu\n", pages, after - before, sum);
		fflush(stdout);
		_exit(0);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] != (unsigned char)(i * 7))
			bad++;
	printf("parent: child status %d, %zu bytes changed under the parent\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1, bad);
	return bad != 0;
}
