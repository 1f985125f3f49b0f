/* qsort 20000 LCG numbers and strings; print checksums and extremes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
int main(void)
{
	enum { N = 20000 };
	static int v[N];
	static char *s[N];
	unsigned x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245 + 12345;
		v[i] = (int)(x >> 1) - (1 << 30);
		s[i] = malloc(16);
		snprintf(s[i], 16, "k%08x", x);
	}
	qsort(v, N, sizeof v[0], cmp_int);
	qsort(s, N, sizeof s[0], cmp_str);
	unsigned long long sum = 0;
	for (int i = 0; i < N; i++) {
		if (i && v[i - 1] > v[i]) { puts("unsorted"); return 1; }
		sum = sum * 31 + (unsigned)v[i];
	}
	printf("min %d max %d hash %llu\n", v[0], v[N - 1], sum);
	printf("first %s last %s mid %s\n", s[0], s[N - 1], s[N / 2]);
	int key = v[777];
	int *p = bsearch(&key, v, N, sizeof v[0], cmp_int);
	printf("bsearch %s\n", p && *p == key ? "found" : "missing");
	return 0;
}
