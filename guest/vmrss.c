/* vmrss: how VmRSS and VmHWM of /proc/self/status move when 8 MiB is
 * touched and dropped: anonymous mmap, brk, shared anonymous memory,
 * madvise(MADV_DONTNEED), a /dev/zero mapping, and a peak that munmap ends
 * before anyone looks.  Prints one "what rss_delta_kB hwm_delta_kB" line
 * per case; the e2e test compares them with a native run's. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LEN (8UL << 20)

static char status[8192];

/* The value (kB) of FIELD in /proc/self/status, or -1. */
static long field(const char *name)
{
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, status, sizeof(status) - 1);
	close(fd);
	status[n > 0 ? n : 0] = '\0';
	char *p = strstr(status, name);
	return p ? strtol(p + strlen(name) + 1, NULL, 10) : -1;
}

static void touch(volatile char *p)
{
	for (unsigned long i = 0; i < LEN; i += 4096)
		p[i] = 1;
}

static long rss0, hwm0;

static void start(void)
{
	rss0 = field("VmRSS");
	hwm0 = field("VmHWM");
}

static void report(const char *what)
{
	long rss = field("VmRSS"), hwm = field("VmHWM");
	printf("%s %ld %ld\n", what, rss - rss0, hwm - hwm0);
}

int main(void)
{
	field("VmRSS"); /* the status buffer is resident from here on */

	start();
	char *a = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	touch(a);
	report("anon");

	start();
	munmap(a, LEN);
	report("munmap");

	start();
	char *b = (char *)syscall(SYS_brk, 0);
	syscall(SYS_brk, b + LEN);
	touch(b);
	report("brk");

	start();
	char *s = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	touch(s);
	report("shared");

	start();
	madvise(s, LEN, MADV_DONTNEED);
	report("dontneed");

	start();
	int zfd = open("/dev/zero", O_RDWR);
	char *z = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, zfd, 0);
	touch(z);
	report("devzero");
	munmap(z, LEN);
	munmap(s, LEN);

	start();
	char *c = mmap(NULL, 2 * LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	touch(c);
	touch(c + LEN);
	munmap(c, 2 * LEN);
	report("peak");
	return 0;
}
