/* pressure: memory-pressure workloads for the OOM tests (tests/e2e/oom.sh).
 *   pressure hold MIB MS   map and fill MIB MiB with a pattern, sleep MS
 *                          milliseconds, verify every byte, print the sum
 *   pressure grow MIB      map and fill 1 MiB at a time up to MIB MiB,
 *                          then verify and print the sum
 *   pressure lockhold MIB MS  like hold, with the memory mlock()ed; also
 *                          prints the Swap: of its locked mappings (smaps), which
 *                          must stay 0 under pressure
 * Memory is mmap'ed anonymous (no malloc), filled with a pattern that
 * depends on the offset, so a page lost or swapped in wrong shows as
 * "MISMATCH".  The sums are deterministic: a survivor of the OOM killer
 * prints the same line as a run without pressure. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "check.h"

#define MIB (1UL << 20)

static uint8_t pattern(size_t chunk, size_t off)
{
	return (uint8_t)((chunk * 131 + off * 7 + (off >> 12)) & 0xff);
}

static void fill(uint8_t *p, size_t chunk)
{
	for (size_t off = 0; off < MIB; off++)
		p[off] = pattern(chunk, off);
}

static uint64_t verify(uint8_t *const *chunks, size_t n)
{
	uint64_t sum = 0;
	for (size_t c = 0; c < n; c++)
		for (size_t off = 0; off < MIB; off++) {
			CHECK(chunks[c][off] == pattern(c, off), "chunk %zu offset %zu: %u", c, off, chunks[c][off]);
			sum += chunks[c][off];
		}
	return sum;
}

int main(int argc, char **argv)
{
	static uint8_t *chunks[4096];
	bool lock = !strcmp(argv[argc > 1 ? 1 : 0], "lockhold");
	if (argc < 3 || (strcmp(argv[1], "hold") && strcmp(argv[1], "grow") && !lock)) {
		fprintf(stderr, "usage: pressure hold|lockhold MIB MS | pressure grow MIB\n");
		return 2;
	}
	size_t mib = strtoul(argv[2], NULL, 0);
	if (mib > 4096)
		mib = 4096;
	for (size_t c = 0; c < mib; c++) {
		chunks[c] = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(chunks[c] != MAP_FAILED, "mmap of chunk %zu failed", c);
		CHECK(!lock || mlock(chunks[c], MIB) == 0, "mlock of chunk %zu failed", c);
		fill(chunks[c], c);
	}
	if (strcmp(argv[1], "grow") && argc > 3) {
		long ms = strtol(argv[3], NULL, 0);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (lock) {
		/* the Swap: of every locked mapping (Locked: above 0 kB):
		 * nothing locked was swapped */
		static char buf[1 << 16];
		FILE *f = fopen("/proc/self/smaps", "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		long swapped = 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		for (char *p = buf; (p = strstr(p, "\nSwap:")); p++) {
			char *l = strstr(p, "\nLocked:");
			if (l && atol(l + 8) > 0)
				swapped += atol(p + 6);
		}
		printf("lockhold: Swap of its mappings %ld kB\n", swapped);
	}
	printf("%s %zu MiB: ok sum=%llu\n", argv[1], mib, (unsigned long long)verify(chunks, mib));
	return 0;
}
