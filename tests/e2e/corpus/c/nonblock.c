/* O_NONBLOCK pipes: EAGAIN on empty read and full write; pipe capacity; fcntl flags. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void)
{
	int fd[2];
	if (pipe2(fd, O_NONBLOCK)) { perror("pipe2"); return 1; }
	char b[4096];
	ssize_t r = read(fd[0], b, sizeof b);
	printf("empty read %zd %s\n", r, r < 0 ? strerror(errno) : "");
	memset(b, 'z', sizeof b);
	long total = 0;
	for (;;) {
		r = write(fd[1], b, sizeof b);
		if (r < 0) break;
		total += r;
	}
	printf("filled %ld bytes then %s\n", total, strerror(errno));
	printf("F_GETPIPE_SZ %d\n", fcntl(fd[1], F_GETPIPE_SZ));
	int fl = fcntl(fd[0], F_GETFL);
	printf("nonblock flag %d accmode rd %d\n", !!(fl & O_NONBLOCK), (fl & O_ACCMODE) == O_RDONLY);
	fcntl(fd[0], F_SETFL, fl & ~O_NONBLOCK);
	printf("cleared %d\n", !(fcntl(fd[0], F_GETFL) & O_NONBLOCK));
	long drained = 0;
	while (drained < total && (r = read(fd[0], b, sizeof b)) > 0) drained += r;
	printf("drained %ld\n", drained);
	printf("cloexec %d\n", fcntl(fd[0], F_GETFD));
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	printf("cloexec now %d\n", fcntl(fd[0], F_GETFD));
	int d = fcntl(fd[0], F_DUPFD, 50);
	printf("dupfd >= 50: %d\n", d);
	errno = 0; { long r_ = (long)(fcntl(777, F_GETFL)); printf("bad fd fcntl %ld %s\n", r_, strerror(errno)); }
	return 0;
}
