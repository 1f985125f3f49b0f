/* meminfo: print /proc/meminfo's MemTotal, MemFree and AnonPages before and
 * after touching 8 MiB, as a guest sees them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show(const char *when)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	if (!f) {
		perror("/proc/meminfo");
		exit(1);
	}
	printf("%s:\n", when);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "MemTotal:", 9) || !strncmp(line, "MemFree:", 8) ||
		    !strncmp(line, "AnonPages:", 10))
			fputs(line, stdout);
	fclose(f);
}

int main(void)
{
	show("before");
	/* volatile: a memset of memory that is never read again may be
	 * optimised away (it was, with gcc -O2). */
	volatile char *p = malloc(8 << 20);
	if (!p)
		return 1;
	for (size_t i = 0; i < (8u << 20); i += 4096)
		p[i] = 1;
	show("after touching 8 MiB");
	return 0;
}
