/* touch_pages: map N fresh anonymous pages and touch each once (write, or
 * read with 'r'), counting this process's page faults around the loop
 * with getrusage.  On Linux (and in mmsim) F == N: one fault per page.
 * Usage: touch_pages [N=1024] [w|r]. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

static long faults(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_minflt + ru.ru_majflt;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	int rd = argc > 2 && argv[2][0] == 'r';
	volatile unsigned char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	unsigned long sum = 0;
	long before = faults();
	for (size_t i = 0; i < n; i++) {
		if (rd)
			sum += p[i * 4096];
		else
			p[i * 4096] = (unsigned char)i;
	}
	long after = faults();
	printf("touch_pages: %s %zu pages, %ld page faults, sum %lu\n", rd ? "read" : "wrote", n, after - before, sum);
	return 0;
}
