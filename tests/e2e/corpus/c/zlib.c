/* LIBS: -lz */
/* zlib compress/uncompress and streaming deflate of 1 MiB; sizes and crc32/adler32. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
int main(void)
{
	uLong n = 1 << 20;
	unsigned char *src = malloc(n);
	unsigned x = 7;
	for (uLong i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		src[i] = "the quick brown fox "[(x >> 16) % 20];
	}
	uLongf clen = compressBound(n);
	unsigned char *c = malloc(clen);
	int r = compress2(c, &clen, src, n, 9);
	printf("compress2 %d: %lu -> %lu\n", r, n, clen);
	uLongf dlen = n;
	unsigned char *d = malloc(n);
	r = uncompress(d, &dlen, c, clen);
	printf("uncompress %d: %lu bytes, equal %d\n", r, dlen, memcmp(src, d, n) == 0);
	printf("crc32 %08lx adler32 %08lx\n", crc32(0, src, n), adler32(1, src, n));
	dlen = 10;
	printf("short buffer: %d\n", uncompress(d, &dlen, c, clen));
	c[clen / 2] ^= 0xff;
	dlen = n;
	printf("corrupt: %d\n", uncompress(d, &dlen, c, clen));
	z_stream s;
	memset(&s, 0, sizeof s);
	deflateInit2(&s, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	unsigned char out[65536];
	unsigned long gz = 0;
	s.next_in = src;
	s.avail_in = n;
	do {
		s.next_out = out;
		s.avail_out = sizeof out;
		r = deflate(&s, Z_FINISH);
		gz += sizeof out - s.avail_out;
	} while (r == Z_OK);
	deflateEnd(&s);
	printf("gzip stream %d: %lu bytes; zlib %s\n", r, gz, zlibVersion());
	return 0;
}
