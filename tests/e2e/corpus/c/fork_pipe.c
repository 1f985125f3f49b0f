/* fork + pipe: children write through pipes, parent reads to EOF and reaps in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	int fd[2];
	if (pipe(fd)) { perror("pipe"); return 1; }
	pid_t kids[3];
	for (int k = 0; k < 3; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			close(fd[0]);
			char line[64];
			for (int i = 0; i < 1000; i++) {
				int n = snprintf(line, sizeof line, "child %d line %d\n", k, i);
				if (write(fd[1], line, n) != n) _exit(9);
			}
			_exit(10 + k);
		}
	}
	close(fd[1]);
	char buf[4096];
	long total = 0, lines = 0;
	ssize_t n;
	while ((n = read(fd[0], buf, sizeof buf)) > 0) {
		total += n;
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	}
	printf("read %ld bytes, %ld lines, last read %zd\n", total, lines, n);
	for (int k = 0; k < 3; k++) {
		int st;
		pid_t w = waitpid(kids[k], &st, 0);
		printf("child %d: %s exit %d\n", k, w == kids[k] ? "reaped" : "??", WEXITSTATUS(st));
	}
	printf("wait again: %d\n", (int)wait(NULL));
	return 0;
}
