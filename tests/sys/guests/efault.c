/* efault: bad pointers passed to system calls must fail with EFAULT, not
 * crash the simulator.  Exit 0 when every call behaved like Linux. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int bad;

static void expect(const char *what, long rc, int err)
{
	if (rc != -1 || errno != err) {
		printf("%s: rc=%ld errno=%d, want -1/%d\n", what, rc, errno, err);
		bad++;
	}
}

int main(void)
{
	expect("write", syscall(SYS_write, 1, (void *)1, 10), EFAULT);
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0) {
		printf("open /proc/meminfo failed: errno %d\n", errno);
		bad++;
	}
	expect("read", syscall(SYS_read, fd, (void *)8, 10), EFAULT);
	expect("open", syscall(SYS_open, (void *)16, O_RDONLY), EFAULT);
	expect("uname", syscall(SYS_uname, (void *)0x1000), EFAULT);
	expect("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)0xdead0000), EFAULT);
	expect("writev", syscall(SYS_writev, 1, (void *)0x7fff0000, 2), EFAULT);
	expect("nonexistent", syscall(SYS_open, "/no/such/file", O_RDONLY), ENOENT);
	expect("unknown syscall", syscall(999), ENOSYS);
	printf("efault: %s\n", bad ? "FAIL" : "ok");
	return bad ? 1 : 0;
}
