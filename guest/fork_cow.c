/* fork_cow: fill a buffer, fork, let the child write every other page
 * (copy-on-write faults) while the parent checks its data is unchanged.
 * Usage: fork_cow [MiB=4]. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 4;
	size_t n = mib * 1024 * 1024;
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
		unsigned long sum = 0;
		for (size_t i = 0; i < n; i += 8192) {
			a[i] = 0xff;
			sum += a[i];
		}
		printf("child: wrote %zu pages, sum %lu\n", n / 8192, sum);
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
