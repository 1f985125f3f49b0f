/* hello: the smallest workload (write + exit). */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from %s (%d args)\n", argv[0], argc);
	return 0;
}
