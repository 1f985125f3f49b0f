/* overcommit: check vm.overcommit_memory against Linux's formula
 * (tests/e2e/oom.sh; run with --sysctl vm.overcommit_memory=2).
 *
 * Mode 2 allows an accountable mapping of PAGES while
 *   Committed_AS + PAGES < CommitLimit - min(total_vm / 32, user_reserve)
 * (root keeps the admin reserve).  The program reads CommitLimit and
 * Committed_AS from /proc/meminfo, VmSize from /proc/self/status and
 * vm.user_reserve_kbytes, computes the largest private writable mmap that
 * fits, and checks that one page more fails with ENOMEM while that size
 * succeeds; then that mode 1 accepts the larger one, that mode 0 refuses a
 * single mapping larger than RAM + swap, that mprotect(PROT_WRITE) and brk
 * are charged, and that fork fails with ENOMEM when the child's copy of the
 * commitment does not fit.  Files are read with raw system calls into
 * static buffers, so nothing is committed between measuring and mapping. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096L

static char buf[16384];

static long field(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s", path);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	CHECK(n > 0, "read %s", path);
	buf[n] = '\0';
	if (!name)
		return atol(buf);
	char *p = strstr(buf, name);
	CHECK(p, "%s has no %s", path, name);
	return atol(p + strlen(name));
}

static void set_mode(int mode)
{
	int fd = open("/proc/sys/vm/overcommit_memory", O_WRONLY);
	CHECK(fd >= 0, "open overcommit_memory for writing: errno %d", errno);
	char c[2] = { (char)('0' + mode), '\n' };
	CHECK(write(fd, c, 2) == 2, "write overcommit_memory: errno %d", errno);
	close(fd);
}

/* Pages of the largest accountable mapping mode 2 allows now. */
static long max_pages(void)
{
	long limit = field("/proc/meminfo", "CommitLimit:") / 4;
	long committed = field("/proc/meminfo", "Committed_AS:") / 4;
	long total_vm = field("/proc/self/status", "VmSize:") / 4;
	long reserve = field("/proc/sys/vm/user_reserve_kbytes", NULL) / 4;
	long allowed = limit - (total_vm / 32 < reserve ? total_vm / 32 : reserve);
	return allowed - committed - 1;
}

static void *map(long pages)
{
	return mmap(NULL, (size_t)pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int main(void)
{
	CHECK(field("/proc/sys/vm/overcommit_memory", NULL) == 2, "run me with --sysctl vm.overcommit_memory=2");
	long n = max_pages();
	CHECK(n > 16, "too little to commit: %ld pages", n);
	void *p = map(n + 1);
	CHECK(p == MAP_FAILED && errno == ENOMEM, "mode 2: %ld pages should fail with ENOMEM", n + 1);
	p = map(n);
	CHECK(p != MAP_FAILED, "mode 2: %ld pages should fit, errno %d", n, errno);
	munmap(p, (size_t)n * PAGE);
	/* MAP_NORESERVE and shared mappings are not charged */
	p = mmap(NULL, (size_t)(n + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED, "mode 2: MAP_NORESERVE is not charged");
	munmap(p, (size_t)(n + 1) * PAGE);
	/* a read-only private mapping is not charged until mprotect(PROT_WRITE) */
	n = max_pages();
	p = mmap(NULL, (size_t)(n + 1) * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mode 2: a read-only mapping is not charged");
	CHECK(mprotect(p, (size_t)(n + 1) * PAGE, PROT_READ | PROT_WRITE) == -1 && errno == ENOMEM,
	      "mode 2: mprotect(PROT_WRITE) of %ld pages should fail with ENOMEM", n + 1);
	munmap(p, (size_t)(n + 1) * PAGE);
	/* brk is charged */
	n = max_pages();
	char *b = sbrk(0);
	CHECK(brk(b + (n + 1) * PAGE) == -1, "mode 2: brk by %ld pages should fail", n + 1);
	/* fork: the child commits again what the parent has */
	n = max_pages();
	p = map(n / 2 + 16);
	CHECK(p != MAP_FAILED, "mode 2: half the room should fit");
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid == -1 && errno == ENOMEM, "mode 2: fork with over half the room committed should fail with ENOMEM");
	munmap(p, (size_t)(n / 2 + 16) * PAGE);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0, "mode 2: fork after munmap should work, errno %d", errno);
	waitpid(pid, NULL, 0);
	printf("mode 2: the formula's largest mapping fits, one page more is ENOMEM; brk, mprotect, fork charged\n");

	set_mode(1);
	n = max_pages();
	p = map(n + 1);
	CHECK(p != MAP_FAILED, "mode 1: %ld pages should be accepted", n + 1);
	munmap(p, (size_t)(n + 1) * PAGE);
	long ram = field("/proc/meminfo", "MemTotal:") / 4, swap = field("/proc/meminfo", "SwapTotal:") / 4;
	p = map(ram + swap + 1);
	CHECK(p != MAP_FAILED, "mode 1: even RAM + swap + 1 pages");
	munmap(p, (size_t)(ram + swap + 1) * PAGE);
	printf("mode 1: always accepted\n");

	set_mode(0);
	p = map(ram + swap + 1);
	CHECK(p == MAP_FAILED && errno == ENOMEM, "mode 0: RAM + swap + 1 pages in one mapping should be ENOMEM");
	p = map(ram);
	CHECK(p != MAP_FAILED, "mode 0: RAM pages in one mapping should be accepted");
	printf("mode 0: one mapping larger than RAM + swap is ENOMEM\n");
	return 0;
}
