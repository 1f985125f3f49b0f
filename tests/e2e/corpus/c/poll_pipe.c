/* poll and select on pipes: empty, readable, writer closed (EOF/POLLHUP), reader closed. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/select.h>
#include <unistd.h>
int main(void)
{
	int fd[2];
	pipe(fd);
	struct pollfd p[2] = { { fd[0], POLLIN, 0 }, { fd[1], POLLOUT, 0 } };
	int r = poll(p, 2, 0);
	printf("empty: poll %d rd %#x wr %#x\n", r, p[0].revents, p[1].revents);
	write(fd[1], "abc", 3);
	r = poll(p, 2, 100);
	printf("data: poll %d rd %#x wr %#x\n", r, p[0].revents, p[1].revents);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd[0], &rs);
	struct timeval tv = { 0, 0 };
	r = select(fd[0] + 1, &rs, NULL, NULL, &tv);
	printf("select %d isset %d\n", r, FD_ISSET(fd[0], &rs));
	char b[8];
	read(fd[0], b, sizeof b);
	FD_ZERO(&rs);
	FD_SET(fd[0], &rs);
	tv.tv_usec = 10000;
	r = select(fd[0] + 1, &rs, NULL, NULL, &tv);
	printf("select empty %d isset %d\n", r, FD_ISSET(fd[0], &rs));
	close(fd[1]);
	p[1].fd = -1;
	r = poll(p, 2, 1000);
	printf("writer closed: poll %d rd %#x ignored %#x\n", r, p[0].revents, p[1].revents);
	printf("read at EOF %zd\n", read(fd[0], b, sizeof b));
	int g[2];
	pipe(g);
	close(g[0]);
	struct pollfd q = { g[1], POLLOUT, 0 };
	r = poll(&q, 1, 0);
	printf("reader closed: poll %d wr %#x\n", r, q.revents);
	signal(SIGPIPE, SIG_IGN);
	printf("write to closed pipe %zd\n", write(g[1], "x", 1));
	struct pollfd bad = { 999, POLLIN, 0 };
	r = poll(&bad, 1, 0);
	printf("bad fd: poll %d revents %#x\n", r, bad.revents);
	return 0;
}
