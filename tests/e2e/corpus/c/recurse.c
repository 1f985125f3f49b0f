/* deep recursion with large frames: grows the stack to several MiB. */
#include <stdio.h>
#include <string.h>
static unsigned long rec(int n, unsigned long acc)
{
	volatile char frame[512];
	memset((char *)frame, n & 0xff, sizeof frame);
	if (n == 0) return acc;
	unsigned long r = rec(n - 1, acc * 31 + frame[n % 512]);
	return r + frame[7];
}
static unsigned long ack(unsigned long m, unsigned long n)
{
	if (m == 0) return n + 1;
	if (n == 0) return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}
int main(void)
{
	printf("rec(12000) = %lu\n", rec(12000, 1));
	printf("ack(2,2000) = %lu ack(3,7) = %lu\n", ack(2, 2000), ack(3, 7));
	return 0;
}
