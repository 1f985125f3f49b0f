/* segv: access an invalid address (for the SIGSEGV report test).
 * Usage: segv [null|ro|wild]. */
#include <stdio.h>
#include <string.h>

static const char ro[] = "read-only";

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "null";
	printf("segv: %s\n", how);
	fflush(stdout);
	if (!strcmp(how, "ro"))
		*(volatile char *)ro = 'x';
	else if (!strcmp(how, "wild"))
		*(volatile long *)0x1234567890UL = 1;
	else
		*(volatile int *)0 = 1;
	return 0;
}
