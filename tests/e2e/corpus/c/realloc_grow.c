/* realloc growth by doubling to 16 MiB and shrinking; contents survive. */
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	size_t n = 16;
	unsigned *a = malloc(n * sizeof *a);
	for (size_t i = 0; i < n; i++)
		a[i] = (unsigned)(i * 2654435761u);
	int moves = 0;
	while (n < (4u << 20)) {
		unsigned *b = realloc(a, 2 * n * sizeof *a);
		if (!b) { puts("realloc failed"); return 1; }
		moves += b != a;
		a = b;
		for (size_t i = n; i < 2 * n; i++)
			a[i] = (unsigned)(i * 2654435761u);
		n *= 2;
	}
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += a[i] != (unsigned)(i * 2654435761u);
	a = realloc(a, 100 * sizeof *a);
	for (size_t i = 0; i < 100; i++)
		bad += a[i] != (unsigned)(i * 2654435761u);
	free(a);
	printf("grew to %zu words, %zu bad, moved %s\n", n, bad, moves > 0 ? "yes" : "no");
	return 0;
}
