/* far_mmap: fixed mappings in far-apart GiB regions of the address space
 * (new engine slots created after mmap), and code written at run time into
 * an executable anonymous mapping, then rewritten (self-modifying code).
 * Usage: far_mmap.  Prints "far_mmap: sum S, code 85". */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	unsigned char *p = mmap((void *)0x200000000000UL, 1 << 20, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	long sum = 0;
	for (int i = 0; i < (1 << 20); i += 4096) {
		p[i] = (unsigned char)(i >> 12);
		sum += p[i];
	}
	unsigned char *q = mmap((void *)0x300000000000UL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (q == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 }; /* mov eax, 42; ret */
	memcpy(q, code, sizeof code);
	int (*f)(void) = (int (*)(void))(void *)q;
	int r = f();
	((volatile unsigned char *)q)[1] = 43; /* now returns 43 */
	r += f();
	printf("far_mmap: sum %ld, code %d\n", sum, r);
	return r == 85 ? 0 : 1;
}
