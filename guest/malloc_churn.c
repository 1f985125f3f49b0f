/* malloc_churn: allocate and free blocks of random sizes (16 B .. 64 KiB)
 * in a window of live blocks: exercises brk, mmap and munmap.
 * Usage: malloc_churn [ops=200000] [live=1024]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	size_t live = argc > 2 ? strtoul(argv[2], NULL, 0) : 1024;
	char **slot = calloc(live, sizeof *slot);
	if (!slot)
		return 1;
	unsigned long x = 12345, bytes = 0, sum = 0;
	for (unsigned long i = 0; i < ops; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		size_t k = x % live;
		if (slot[k]) {
			sum += (unsigned char)slot[k][0];
			free(slot[k]);
			slot[k] = NULL;
		} else {
			size_t sz = 16 + (x >> 20) % ((x & 15) == 0 ? 65536 : 512);
			slot[k] = malloc(sz);
			if (!slot[k]) {
				fprintf(stderr, "malloc_churn: malloc(%zu) failed\n", sz);
				return 1;
			}
			memset(slot[k], (int)(i & 0xff), sz);
			bytes += sz;
		}
	}
	for (size_t k = 0; k < live; k++)
		free(slot[k]);
	printf("malloc_churn %lu ops: %lu bytes allocated, checksum %lu\n", ops, bytes, sum);
	return 0;
}
