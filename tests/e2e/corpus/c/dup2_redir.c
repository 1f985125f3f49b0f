/* dup/dup2/dup3 redirection of stdout into a pipe and back; closed-fd errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void)
{
	int fd[2];
	pipe(fd);
	int saved = dup(1);
	fflush(stdout);
	dup2(fd[1], 1);
	printf("captured line %d\n", 42);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(fd[1]);
	char buf[128];
	ssize_t n = read(fd[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("got back: %s", buf);
	printf("dup2 same fd: %d\n", dup2(1, 1));
	errno = 0;
	errno = 0; { long r_ = (long)(dup3(1, 1, 0)); printf("dup3 same fd: %ld %s\n", r_, strerror(errno)); }
	errno = 0; { long r_ = (long)(dup2(99, 5)); printf("dup2 bad: %ld %s\n", r_, strerror(errno)); }
	int e = dup3(2, 9, O_CLOEXEC);
	printf("dup3 cloexec fd %d flag %d\n", e, fcntl(e, F_GETFD));
	printf("close twice: %d ", close(e));
	errno = 0; { long r_ = close(e); printf("%ld %s\n", r_, strerror(errno)); }
	int devnull = open("/dev/null", O_WRONLY);
	printf("lowest free fd %d\n", devnull);
	return 0;
}
