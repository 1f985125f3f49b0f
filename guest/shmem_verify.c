/* shmem_verify: shmem pages under memory pressure (run with --mem smaller
 * than MiB and enough --swap).
 *   shmem_verify files MiB [DIR=/tmp]: write MiB of checksummed files of
 *     1 MiB each in DIR (a tmpfs), read every file back with read(2) and
 *     verify it, twice, then delete them.
 *   shmem_verify shared MiB: MAP_SHARED|MAP_ANONYMOUS memory of MiB shared
 *     by a parent and a child: the parent writes the even pages, the child
 *     the odd ones; each then reads and verifies all of it (the other's
 *     writes included); the child rewrites a quarter, exits, and the parent
 *     sees the child's last data.  The parent prints its smaps Swap: of
 *     the mapping ("smaps Swap: N kB": the object's pages in swap).
 * Prints "shmem_verify: ok" per process that checked. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pattern.h"

static int files(size_t mib, const char *dir)
{
	static uint64_t buf[PG / 8];
	char path[256];

	for (size_t f = 0; f < mib; f++) {
		snprintf(path, sizeof path, "%s/shmem_verify.%zu", dir, f);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		CHECK(fd >= 0, "create %s failed", path);
		for (uint64_t pg = 0; pg < 256; pg++) {
			fill(buf, f * 256 + pg, 1);
			CHECK(write(fd, buf, PG) == PG, "write %s page %llu failed", path, (unsigned long long)pg);
		}
		CHECK(close(fd) == 0, "close %s", path);
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t f = 0; f < mib; f++) {
			snprintf(path, sizeof path, "%s/shmem_verify.%zu", dir, f);
			int fd = open(path, O_RDONLY);
			CHECK(fd >= 0, "open %s failed", path);
			for (uint64_t pg = 0; pg < 256; pg++) {
				CHECK(read(fd, buf, PG) == PG, "read %s page %llu failed", path, (unsigned long long)pg);
				verify(buf, f * 256 + pg, 1, path);
			}
			CHECK(read(fd, buf, PG) == 0, "%s longer than 1 MiB", path);
			close(fd);
		}
	for (size_t f = 0; f < mib; f++) {
		snprintf(path, sizeof path, "%s/shmem_verify.%zu", dir, f);
		CHECK(unlink(path) == 0, "unlink %s failed", path);
	}
	printf("shmem_verify: ok\n");
	return 0;
}

/* Salt of page PG: 2 for the parent's even pages, 3 for the child's odd
 * ones, 4 where the child rewrote it (every fourth page) when LATE. */
static uint64_t salt_of(uint64_t pg, int late)
{
	if (late && pg % 4 == 1)
		return 4;
	return pg & 1 ? 3 : 2;
}

/* The Swap: of the /proc/self/smaps entry starting at ADDR (0 if none). */
static unsigned long smaps_swap_kb(const void *addr)
{
	char line[512], want[32];
	unsigned long kb = 0;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	snprintf(want, sizeof want, "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof line, f)) {
		if (strchr(line, '-') && strchr(line, ' ') && strchr(line, '-') < strchr(line, ' '))
			in = !strncmp(line, want, strlen(want));
		else if (in && sscanf(line, "Swap: %lu kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static int shared(size_t mib)
{
	size_t pages = mib << 8;
	uint8_t *mem = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int go[2], done[2];
	char c = 0;

	CHECK(mem != MAP_FAILED, "mmap of %zu MiB failed", mib);
	CHECK(pipe(go) == 0 && pipe(done) == 0, "pipe failed");
	pid_t pid = fork();
	CHECK(pid >= 0, "fork failed");
	int child = pid == 0;
	const char *who = child ? "child" : "parent";
	for (uint64_t pg = child; pg < pages; pg += 2)
		fill((uint64_t *)(mem + pg * PG), pg, salt_of(pg, 0));
	/* both halves written before either reads */
	if (child) {
		CHECK(write(done[1], "w", 1) == 1 && read(go[0], &c, 1) == 1, "child sync");
	} else {
		CHECK(read(done[0], &c, 1) == 1 && write(go[1], "r", 1) == 1, "parent sync");
	}
	if (!child)
		printf("smaps Swap: %lu kB\n", smaps_swap_kb(mem));
	for (uint64_t pg = 0; pg < pages; pg++)
		verify((const uint64_t *)(mem + pg * PG), pg, salt_of(pg, 0), who);
	printf("shmem_verify: ok\n");
	fflush(stdout);
	if (child) {
		CHECK(read(go[0], &c, 1) == 1, "child sync 2");
		for (uint64_t pg = 1; pg < pages; pg += 4)
			fill((uint64_t *)(mem + pg * PG), pg, 4);
		_exit(0);
	}
	CHECK(write(go[1], "x", 1) == 1, "parent sync 2");
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child failed");
	for (uint64_t pg = 0; pg < pages; pg++)
		verify((const uint64_t *)(mem + pg * PG), pg, salt_of(pg, 1), "parent after exit");
	printf("shmem_verify: ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: shmem_verify files|shared MiB [DIR]\n");
		return 2;
	}
	size_t mib = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "files"))
		return files(mib, argc > 3 ? argv[3] : "/tmp");
	return shared(mib);
}
