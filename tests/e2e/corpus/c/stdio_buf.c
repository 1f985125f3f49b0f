/* stdio buffering: full/line/unbuffered streams, interleaved stdout/stderr, exit flushes. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(void)
{
	static char buf[64];
	printf("a");
	fprintf(stderr, "err1\n");
	printf("b\n");
	fflush(stdout);
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	for (int i = 0; i < 40; i++)
		printf("%d,", i);
	write(1, "[raw]\n", 6);
	printf("\n");
	fputs("unbuffered err\n", stderr);
	setvbuf(stderr, NULL, _IOLBF, 0);
	fprintf(stderr, "partial ");
	fprintf(stderr, "line\n");
	printf("left in buffer at exit");
	exit(0);
}
