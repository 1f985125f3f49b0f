/* ptr_chase: follow a random cyclic permutation (one node per 64 bytes):
 * every load depends on the previous one, the TLB-hostile pattern.
 * Usage: ptr_chase [MiB=8] [steps=2000000]. */
#include <stdio.h>
#include <stdlib.h>

struct node { struct node *next; long pad[7]; };

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 8;
	unsigned long steps = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000000;
	size_t n = mib * 1024 * 1024 / sizeof(struct node);
	struct node *v = malloc(n * sizeof *v);
	size_t *perm = malloc(n * sizeof *perm);
	if (!v || !perm || n < 2) {
		fprintf(stderr, "ptr_chase: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	unsigned long x = 2463534242UL;
	for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		size_t j = x % (i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		v[perm[i]].next = &v[perm[(i + 1) % n]];
	free(perm);
	struct node *p = &v[0];
	for (unsigned long s = 0; s < steps; s++)
		p = p->next;
	printf("ptr_chase %zu MiB x %lu: end node %zu\n", mib, steps, (size_t)(p - v));
	return 0;
}
