/* smaps.c - prints the smaps figures of its own mappings and two
 * smaps_rollup totals, for tests/sys/proc_smaps.sh to compare with a native
 * run.  While a forked child holds the same pages:
 *   anon    1 MiB private: 64 pages read (the zero page: not resident),
 *           64 written before the fork (shared with the child), 8 of those
 *           written again after it (COW: private again)
 *   shared  64 KiB MAP_SHARED|MAP_ANONYMOUS, written (shmem, shared)
 *   locked  16 KiB private, mlock'ed and written (the child does not
 *           inherit the lock, but shares the pages)
 * Output: "REGION FIELD KB" lines, then "rollup FIELD KB". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const fields[] = { "Rss", "Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean",
				      "Private_Dirty", "Anonymous", "Swap", "Locked" };
#define NF (sizeof fields / sizeof fields[0])

static char text[1 << 20];

static size_t slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = 0;
	return n;
}

/* Print FIELD lines of the block that starts at ADDR (smaps) as NAME. */
static void block(const char *name, const void *addr)
{
	char head[32];
	snprintf(head, sizeof head, "%08lx-", (unsigned long)addr);
	char *p = strstr(text, head);
	if (!p || (p != text && p[-1] != '\n')) {
		printf("%s missing\n", name);
		return;
	}
	char *end = strstr(p, "VmFlags:");
	for (size_t i = 0; i < NF; i++) {
		char key[32];
		snprintf(key, sizeof key, "\n%s:", fields[i]);
		char *q = strstr(p, key);
		if (!q || (end && q > end))
			printf("%s %s missing\n", name, fields[i]);
		else
			printf("%s %s %ld\n", name, fields[i], strtol(q + strlen(key), NULL, 10));
	}
}

int main(void)
{
	char *anon = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shared = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *locked = mmap(NULL, 1 << 14, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED || shared == MAP_FAILED || locked == MAP_FAILED || mlock(locked, 1 << 14)) {
		perror("setup");
		return 1;
	}
	unsigned sum = 0;
	for (int i = 0; i < 64; i++)
		sum += ((volatile char *)anon)[i * 4096];
	for (int i = 64; i < 128; i++)
		anon[i * 4096] = 1;
	memset(shared, 2, 1 << 16);
	memset(locked, 3, 1 << 14);
	int fd[2];
	if (pipe(fd))
		return 1;
	pid_t child = fork();
	if (child == 0) {
		char c;
		close(fd[1]);
		if (read(fd[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	for (int i = 64; i < 72; i++)
		anon[i * 4096] = 4;
	if (!slurp("/proc/self/smaps"))
		return 1;
	block("anon", anon);
	block("shared", shared);
	block("locked", locked);
	if (!slurp("/proc/self/smaps_rollup"))
		return 1;
	for (const char *f = "Pss_Shmem\0Locked\0"; *f; f += strlen(f) + 1) {
		char *q = strstr(text, f);
		printf("rollup %s %ld\n", f, q ? strtol(q + strlen(f) + 1, NULL, 10) : -1L);
	}
	close(fd[1]);
	waitpid(child, NULL, 0);
	return sum != 0;
}
