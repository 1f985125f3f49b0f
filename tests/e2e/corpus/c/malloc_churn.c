/* malloc/free churn of mixed sizes (small, medium, mmap-sized), content checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void)
{
	enum { SLOTS = 512 };
	static unsigned char *p[SLOTS];
	static size_t len[SLOTS];
	unsigned x = 1;
	unsigned long long total = 0, bad = 0;
	for (int round = 0; round < 20000; round++) {
		x = x * 1664525 + 1013904223;
		int i = (x >> 8) % SLOTS;
		if (p[i]) {
			for (size_t k = 0; k < len[i]; k += 97)
				if (p[i][k] != (unsigned char)(i + k))
					bad++;
			free(p[i]);
			p[i] = NULL;
		} else {
			size_t n = (x >> 20) % 4 == 0 ? 200000 + (x % 100000) : 1 + (x >> 16) % 3000;
			p[i] = malloc(n);
			if (!p[i]) { puts("malloc failed"); return 1; }
			len[i] = n;
			for (size_t k = 0; k < n; k += 97)
				p[i][k] = (unsigned char)(i + k);
			total += n;
		}
	}
	for (int i = 0; i < SLOTS; i++)
		free(p[i]);
	void *c = calloc(1000, 1000);
	size_t nz = 0;
	for (size_t k = 0; k < 1000000; k++)
		nz += ((unsigned char *)c)[k] != 0;
	free(c);
	printf("allocated %llu bytes, %llu bad, calloc nonzero %zu\n", total, bad, nz);
	return 0;
}
