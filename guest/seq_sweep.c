/* seq_sweep: sequential read-modify-write sweeps over a buffer.
 * Usage: seq_sweep [MiB=16] [passes=4].  Prints a checksum so the run can be
 * compared with a native one. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	int passes = argc > 2 ? atoi(argv[2]) : 4;
	size_t n = mib * 1024 * 1024 / sizeof(unsigned long);
	unsigned long *a = malloc(n * sizeof *a);
	if (!a) {
		fprintf(stderr, "seq_sweep: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = i;
	unsigned long sum = 0;
	for (int p = 0; p < passes; p++)
		for (size_t i = 0; i < n; i++) {
			a[i] = a[i] * 3 + 1;
			sum += a[i];
		}
	printf("seq_sweep %zu MiB x %d: checksum %lu\n", mib, passes, sum);
	free(a);
	return 0;
}
