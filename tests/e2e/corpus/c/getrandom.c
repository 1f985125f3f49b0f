/* getrandom: sizes returned, flags, bytes not all equal (values themselves not printed). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
int main(void)
{
	unsigned char a[64], b[64];
	ssize_t n1 = getrandom(a, sizeof a, 0);
	ssize_t n2 = getrandom(b, sizeof b, GRND_NONBLOCK);
	printf("got %zd and %zd bytes, buffers differ %d\n", n1, n2, memcmp(a, b, sizeof a) != 0);
	int distinct = 0;
	for (int i = 1; i < 64; i++) distinct |= a[i] != a[0];
	printf("not constant %d\n", distinct);
	static unsigned char big[1 << 20];
	ssize_t n3 = getrandom(big, sizeof big, 0);
	printf("big request ok %d\n", n3 > 0);
	errno = 0;
	ssize_t n4 = getrandom(a, 8, 0x1000);
	printf("bad flags %zd EINVAL %d\n", n4, errno == EINVAL);
	return 0;
}
