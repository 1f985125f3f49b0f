/* pagemap: read this process's /proc/self/pagemap over a mapping of 8
 * pages in several states and print each page's flags (present, swapped,
 * file/shared, exclusively mapped, soft-dirty; not the frame numbers,
 * which differ between machines): untouched, written, read (the zero
 * page), a MAP_SHARED page, a page after munmap (outside any VMA); then the
 * same after fork, in the child (written pages are now mapped twice) and in
 * the parent after the child wrote (COW broke: exclusive again).  Also the
 * errors: an offset that is not a multiple of 8 is EINVAL.
 * Usage: pagemap [pageout].  Same output natively and in mmsim.  With
 * pageout, pages 1 and 2 are first swapped out with MADV_PAGEOUT (a
 * machine with swap: their entries show S instead of P). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NP 8

static void show(const char *who, volatile unsigned char *p, unsigned char *shared)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0) {
		perror("open /proc/self/pagemap");
		return;
	}
	printf("%s:", who);
	for (int i = 0; i <= NP; i++) {
		uintptr_t va = i < NP ? (uintptr_t)p + (uintptr_t)i * 4096 : (uintptr_t)shared;
		uint64_t e = 0;
		if (pread(fd, &e, 8, (off_t)(va / 4096 * 8)) != 8) {
			perror("pread");
			break;
		}
		printf(" %c%c%c%c%c", e >> 63 & 1 ? 'P' : '-', e >> 62 & 1 ? 'S' : '-', e >> 61 & 1 ? 'F' : '-',
		       e >> 56 & 1 ? 'X' : '-', e >> 55 & 1 ? 'D' : '-');
	}
	printf("\n");
	close(fd);
}

int main(int argc, char **argv)
{
	volatile unsigned char *p = mmap(NULL, NP * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || shared == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	p[1 * 4096] = 1;           /* page 1: written */
	p[2 * 4096] = 2;           /* page 2: written */
	(void)p[3 * 4096];         /* page 3: read: the zero page */
	shared[0] = 3;             /* the shared page */
	munmap((void *)(p + 7 * 4096), 4096); /* page 7: no VMA */
	show("start", p, shared);
	if (argc > 1 && !strcmp(argv[1], "pageout")) {
		if (madvise((void *)(p + 4096), 2 * 4096, 21 /* MADV_PAGEOUT */) != 0)
			perror("madvise");
		show("after MADV_PAGEOUT of pages 1-2", p, shared);
		printf("page 2 reads back %d\n", p[2 * 4096]);
		show("after reading page 2", p, shared);
		return 0;
	}
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e;
	errno = 0;
	long r = pread(fd, &e, 8, 3);
	printf("pread at offset 3: %ld %s\n", r, r < 0 ? strerror(errno) : "");
	close(fd);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		show("child", p, shared);
		p[2 * 4096] = 9;   /* the child's copy of page 2 */
		show("child after writing page 2", p, shared);
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	show("parent after the child exited", p, shared);
	return 0;
}
