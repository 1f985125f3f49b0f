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
	char *p = malloc(8 << 20);
	if (!p)
		return 1;
	memset(p, 1, 8 << 20);
	show("after touching 8 MiB");
	return 0;
}
