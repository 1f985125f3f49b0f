/* mem_hog: allocate and touch memory in 1 MiB chunks until MiB are in use
 * (or allocation fails), then report how far it got.
 * Usage: mem_hog [MiB=64]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64, got = 0;
	for (; got < mib; got++) {
		char *p = malloc(1 << 20);
		if (!p)
			break;
		memset(p, 0x5a, 1 << 20);
	}
	printf("mem_hog: touched %zu of %zu MiB\n", got, mib);
	return got == mib ? 0 : 1;
}
