/* swap_verify: write a checksummed pattern over MiB of anonymous memory,
 * read it all back and verify it (run with --mem smaller than MiB and
 * enough --swap: every page goes to swap and comes back).  With "fork",
 * the parent forks after writing: the child checks the shared (COW,
 * possibly swapped) pages, rewrites every other page with its own pattern
 * and checks again; the parent, after the child exits, checks that its own
 * pattern is intact.  PASSES repeats the read-back.
 * Usage: swap_verify MiB [fork] [PASSES=1].  Prints "swap_verify: ok". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pattern.h"

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	int do_fork = argc > 2 && !strcmp(argv[2], "fork");
	int passes = argc > 3 ? atoi(argv[3]) : 1;
	size_t pages = mib << 8;
	uint8_t *buf = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(buf != MAP_FAILED, "mmap of %zu MiB failed", mib);
	for (size_t i = 0; i < pages; i++)
		fill((uint64_t *)(buf + i * PG), i, 1);
	for (int pass = 0; pass < passes; pass++)
		for (size_t i = 0; i < pages; i++)
			verify((uint64_t *)(buf + i * PG), i, 1, "read-back");
	if (do_fork) {
		pid_t pid = fork();
		CHECK(pid >= 0, "fork failed");
		if (pid == 0) {
			for (size_t i = 0; i < pages; i++)
				verify((uint64_t *)(buf + i * PG), i, 1, "child");
			for (size_t i = 0; i < pages; i += 2)
				fill((uint64_t *)(buf + i * PG), i, 2);
			for (size_t i = 0; i < pages; i++)
				verify((uint64_t *)(buf + i * PG), i, i % 2 ? 1 : 2, "child after write");
			printf("swap_verify: child ok\n");
			fflush(stdout);
			_exit(0);
		}
		int st;
		CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child failed");
		for (size_t i = 0; i < pages; i++)
			verify((uint64_t *)(buf + i * PG), i, 1, "parent");
	}
	printf("swap_verify: ok\n");
	return 0;
}
