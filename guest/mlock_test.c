/* mlock_test: mlock, mlock2, munlock, mlockall, munlockall and MAP_LOCKED
 * seen through /proc (tests/e2e/oom.sh).  Alone in the machine, the
 * change of meminfo's Mlocked is this process's: each step checks it and
 * VmLck from /proc/self/status against what Linux locks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char buf[16384];

static long field(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s", path);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *p = strstr(buf, name);
	CHECK(p, "%s has no %s", path, name);
	return atol(p + strlen(name));
}

static long mlocked0, vmlck0;

static void expect(const char *step, long mlocked_kb, long vmlck_kb)
{
	long ml = field("/proc/meminfo", "Mlocked:") - mlocked0, vl = field("/proc/self/status", "VmLck:") - vmlck0;
	CHECK(ml == mlocked_kb && vl == vmlck_kb, "%s: Mlocked +%ld kB (want %ld), VmLck +%ld kB (want %ld)", step, ml,
	      mlocked_kb, vl, vmlck_kb);
	printf("%-28s Mlocked +%ld kB, VmLck +%ld kB\n", step, ml, vl);
}

int main(void)
{
	mlocked0 = field("/proc/meminfo", "Mlocked:");
	vmlck0 = field("/proc/self/status", "VmLck:");
	char *a = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a != MAP_FAILED, "mmap");
	CHECK(mlock(a + 100, 256 << 10) == 0, "mlock: errno %d", errno); /* unaligned: 65 pages */
	expect("mlock 256K+100", 260, 260);
	CHECK(munlock(a, 128 << 10) == 0, "munlock");
	expect("munlock 128K", 132, 132);
	CHECK(syscall(SYS_mlock2, a, 4096, 2) == -1 && errno == EINVAL, "mlock2 bad flags: EINVAL");
	CHECK(syscall(SYS_mlock2, a + (512 << 10), 64 << 10, 1 /* MLOCK_ONFAULT */) == 0, "mlock2 onfault");
	expect("mlock2 MLOCK_ONFAULT 64K", 132, 196);
	a[512 << 10] = 1;
	a[(512 << 10) + 4096] = 1;
	expect("2 pages faulted in", 140, 196);
	char *hole = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole + 4096, 4096);
	CHECK(mlock(hole, 3 * 4096) == -1 && errno == ENOMEM, "mlock over a hole: ENOMEM, got errno %d", errno);
	munmap(hole, 3 * 4096);
	char *b = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	CHECK(b != MAP_FAILED, "MAP_LOCKED");
	expect("MAP_LOCKED 64K", 204, 260);
	pid_t pid = fork();
	if (pid == 0) {
		/* mlock is not inherited */
		CHECK(field("/proc/self/status", "VmLck:") == 0, "child VmLck %ld", field("/proc/self/status", "VmLck:"));
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child");
	CHECK(munmap(b, 64 << 10) == 0, "munmap");
	expect("munmap of it", 140, 196);
	CHECK(mlockall(0) == -1 && errno == EINVAL, "mlockall(0): EINVAL");
	CHECK(mlockall(MCL_ONFAULT) == -1 && errno == EINVAL, "mlockall(MCL_ONFAULT): EINVAL");
	CHECK(mlockall(MCL_CURRENT | MCL_FUTURE) == 0, "mlockall");
	long vmsize = field("/proc/self/status", "VmSize:");
	CHECK(field("/proc/self/status", "VmLck:") == vmsize, "mlockall: VmLck == VmSize");
	char *c = mmap(NULL, 32 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(c != MAP_FAILED && field("/proc/self/status", "VmLck:") == vmsize + 32, "MCL_FUTURE locks new mappings");
	long ml = field("/proc/meminfo", "Mlocked:") - mlocked0;
	CHECK(ml >= 1024 + 32, "mlockall populated the 1M mapping and the new one: Mlocked +%ld kB", ml);
	CHECK(munlockall() == 0, "munlockall");
	expect("munlockall", 0, 0);
	printf("unevictable_pgs_mlocked moved: %s\n", field("/proc/vmstat", "unevictable_pgs_mlocked ") > 0 ? "yes" : "no");
	return 0;
}
