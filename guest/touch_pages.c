/* touch_pages: map N fresh anonymous pages and touch each once (write, or
 * read with 'r'), counting this process's page faults around the loop
 * with getrusage.  On Linux (and in mmsim) F == N: one fault per page.
 * With ROUNDS > 1 the mapping is unmapped and mapped again ROUNDS times
 * (a long, event-dense run for the trace benchmarks); the line printed is
 * the last round's.
 * Usage: touch_pages [N=1024] [w|r] [ROUNDS=1]. */
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
	long rounds = argc > 3 ? strtol(argv[3], NULL, 0) : 1;
	for (long r = 0; r < rounds; r++) {
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
		if (r == rounds - 1)
			printf("touch_pages: %s %zu pages, %ld page faults, sum %lu\n", rd ? "read" : "wrote", n,
			       after - before, sum);
		if (r < rounds - 1) /* the last round's pages stay mapped until exit, as with one round */
			munmap((void *)p, n * 4096);
	}
	return 0;
}
