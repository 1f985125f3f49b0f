/* stack_grow: recurse with a 4 KiB frame per level so the stack VMA grows
 * down page by page.  Usage: stack_grow [depth=1000]. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long recurse(int depth)
{
	volatile char frame[4096];
	frame[0] = (char)depth;
	frame[4095] = (char)(depth >> 8);
	if (depth == 0)
		return 0;
	return recurse(depth - 1) + (unsigned char)frame[0] + (unsigned char)frame[4095];
}

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 1000;
	printf("stack_grow depth %d: %lu\n", depth, recurse(depth));
	return 0;
}
