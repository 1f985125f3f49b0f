/* fork + execv of busybox applets with redirected stdout; exec failure errno. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static int run(char *const argv[], int pipe_out)
{
	int fd[2];
	if (pipe_out && pipe(fd)) return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (pipe_out) { dup2(fd[1], 1); close(fd[0]); close(fd[1]); }
		execv(argv[0], argv);
		printf("execv %s: %s\n", argv[0], strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	if (pipe_out) {
		close(fd[1]);
		char buf[256];
		ssize_t n;
		while ((n = read(fd[0], buf, sizeof buf)) > 0) {
			printf("[%.*s]", (int)n, buf);
		}
		close(fd[0]);
		printf("\n");
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
int main(void)
{
	char *a1[] = { "/bin/busybox", "echo", "hello", "from", "exec", NULL };
	printf("status %d\n", run(a1, 1));
	char *a2[] = { "/bin/busybox", "false", NULL };
	printf("status %d\n", run(a2, 0));
	char *a3[] = { "/bin/busybox", "sh", "-c", "echo $0 $#; exit 7", "zero", "one", NULL };
	printf("status %d\n", run(a3, 1));
	char *a4[] = { "/nonexistent/prog", NULL };
	printf("status %d\n", run(a4, 0));
	char *a5[] = { "/etc", NULL };
	printf("status %d\n", run(a5, 0));
	return 0;
}
