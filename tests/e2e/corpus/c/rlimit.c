/* setrlimit RLIMIT_NOFILE then open until EMFILE; other limits set and read back. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
int main(void)
{
	struct rlimit r = { 32, 32 };
	printf("setrlimit nofile %d\n", setrlimit(RLIMIT_NOFILE, &r));
	/* the highest fd, not a count: a native run may inherit descriptors */
	int last = -1, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	printf("opened up to fd %d, then %s\n", last, strerror(errno));
	errno = 0; { long r_ = (long)(pipe((int[2]){0, 0})); printf("pipe at limit: %ld %s\n", r_, strerror(errno)); }
	errno = 0; { long r_ = (long)(dup2(0, 40)); printf("dup2 beyond limit: %ld %s\n", r_, strerror(errno)); }
	struct rlimit c = { 0, 0 };
	setrlimit(RLIMIT_CORE, &c);
	getrlimit(RLIMIT_CORE, &c);
	printf("core %lu %lu\n", (unsigned long)c.rlim_cur, (unsigned long)c.rlim_max);
	struct rlimit s = { 1 << 20, RLIM_INFINITY };
	getrlimit(RLIMIT_STACK, &s);
	printf("stack soft > 0: %d\n", s.rlim_cur > 0);
	printf("sysconf open max %ld\n", sysconf(_SC_OPEN_MAX));
	return 0;
}
