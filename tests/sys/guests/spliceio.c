/* spliceio FILE DIR - sendfile, splice, tee and copy_file_range, printed so
 * that a native run and an mmsim run compare byte for byte.  FILE is a
 * text file of at least 150000 bytes, DIR a directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <unistd.h>

static char buf[200000];

/* Sum of the bytes read from FD until it would block or ends. */
static unsigned long drain(int fd, long *total)
{
	unsigned long sum = 0;
	long n;
	*total = 0;
	fflush(stdout);
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++)
			sum = sum * 31 + (unsigned char)buf[i];
		*total += n;
	}
	fcntl(fd, F_SETFL, fl);
	return sum;
}

#define SHOW(what, expr)                                                                                     \
	do {                                                                                                  \
		errno = 0;                                                                                    \
		long r_ = (long)(expr);                                                                       \
		printf("%-44s %ld %s\n", what, r_, r_ < 0 ? strerror(errno) : "");                         \
	} while (0)

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	int fd = open(argv[1], O_RDONLY), dir = open(argv[2], O_RDONLY | O_DIRECTORY);
	int p[2], q[2];
	long total = 0;
	unsigned long sum;
	off_t off;

	/* sendfile into a pipe: page-aligned slots, what fits */
	pipe(p);
	SHOW("sendfile file -> pipe, 100000 from pos 0", sendfile(p[1], fd, NULL, 100000));
	SHOW("  file position after", lseek(fd, 0, SEEK_CUR));
	sum = drain(p[0], &total);
	printf("  pipe content sum %lu bytes %ld\n", sum, total);
	off = 100;
	SHOW("sendfile from offset 100 (first slot short)", sendfile(p[1], fd, &off, 100000));
	printf("  offset now %ld, file position %ld\n", (long)off, (long)lseek(fd, 0, SEEK_CUR));
	int avail = 0;
	ioctl(p[0], FIONREAD, &avail);
	printf("  FIONREAD %d\n", avail);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	SHOW("  write 10 into the full pipe", write(p[1], "0123456789", 10));
	fcntl(p[1], F_SETFL, 0);
	sum = drain(p[0], &total);
	printf("  pipe content sum %lu bytes %ld\n", sum, total);

	/* sendfile to a file that is not a pipe: all of it */
	int null = open("/dev/null", O_WRONLY);
	off = 0;
	SHOW("sendfile file -> /dev/null, 150000", sendfile(null, fd, &off, 150000));
	off = 0;
	SHOW("sendfile 120 bytes -> stdout", (printf("  ["), sendfile(1, fd, &off, 120)));
	printf("]\n");
	off = lseek(fd, 0, SEEK_END) - 10;
	SHOW("sendfile 100 at 10 before end of file", sendfile(null, fd, &off, 100));
	off = 1 << 30;
	SHOW("sendfile past end of file", sendfile(null, fd, &off, 100));

	/* sendfile errors */
	SHOW("sendfile from a pipe", sendfile(null, p[0], NULL, 10));
	SHOW("sendfile from a directory", sendfile(null, dir, NULL, 10));
	SHOW("sendfile to a read-only file", sendfile(fd, fd, NULL, 10));
	SHOW("sendfile from a write-only fd", sendfile(null, null, NULL, 10));
	off = 0;
	SHOW("sendfile, offset given for a pipe", sendfile(null, p[0], &off, 10));
	off = -1;
	SHOW("sendfile, negative offset", sendfile(null, fd, &off, 10));
	SHOW("sendfile, bad fd", sendfile(null, 99, NULL, 10));

	/* splice file -> pipe -> pipe -> /dev/null, stdout */
	pipe(q);
	off = 4000;
	SHOW("splice file -> pipe, 200 from off 4000", splice(fd, &off, p[1], NULL, 200, 0));
	printf("  off_in now %ld\n", (long)off);
	SHOW("splice pipe -> pipe, 50", splice(p[0], NULL, q[1], NULL, 50, 0));
	SHOW("splice pipe -> pipe, rest", splice(p[0], NULL, q[1], NULL, 1000, 0));
	SHOW("splice pipe -> /dev/null, 30", splice(q[0], NULL, null, NULL, 30, 0));
	SHOW("splice pipe -> stdout", (printf("  ["), splice(q[0], NULL, 1, NULL, 1000, 0)));
	printf("]\n");
	SHOW("splice empty pipe, SPLICE_F_NONBLOCK", splice(q[0], NULL, null, NULL, 10, SPLICE_F_NONBLOCK));
	SHOW("splice, offset for a pipe", splice(q[0], &off, null, NULL, 10, 0));
	SHOW("splice, same pipe", splice(q[0], NULL, q[1], NULL, 10, 0));
	SHOW("splice, bad flags", splice(fd, NULL, q[1], NULL, 10, 0x100));
	SHOW("splice, len 0", splice(fd, NULL, q[1], NULL, 0, 0));
	SHOW("splice file -> file", splice(fd, NULL, null, NULL, 10, 0));
	SHOW("splice, write end as input", splice(q[1], NULL, p[1], NULL, 10, 0));

	/* mergeable slots: a moved whole slot stays mergeable, a split is not */
	int r[2];
	pipe(r);
	fcntl(r[1], F_SETPIPE_SZ, 4096);
	write(p[1], "abcdefghij", 10);
	SHOW("splice whole written slot into 1-slot pipe", splice(p[0], NULL, r[1], NULL, 100, 0));
	fcntl(r[1], F_SETFL, O_NONBLOCK);
	SHOW("  write 5 more (merges)", write(r[1], "KLMNO", 5));
	drain(r[0], &total);
	write(p[1], "abcdefghij", 10);
	SHOW("splice 4 of a 10-byte slot", splice(p[0], NULL, r[1], NULL, 4, 0));
	SHOW("  write 5 more (no merge: pipe full)", write(r[1], "KLMNO", 5));
	drain(r[0], &total);
	drain(p[0], &total);
	fcntl(r[1], F_SETFL, 0);

	/* tee: copies without consuming */
	write(p[1], "tee-data", 8);
	SHOW("tee pipe -> pipe", tee(p[0], q[1], 100, 0));
	sum = drain(p[0], &total);
	printf("  source still has %lu/%ld", sum, total);
	sum = drain(q[0], &total);
	printf(", copy %lu/%ld\n", sum, total);
	SHOW("tee from a file", tee(fd, q[1], 10, 0));
	SHOW("tee, same pipe", tee(p[0], p[1], 10, 0));
	SHOW("tee empty pipe, SPLICE_F_NONBLOCK", tee(p[0], q[1], 10, SPLICE_F_NONBLOCK));
	close(p[1]);
	SHOW("tee empty pipe, no writer", tee(p[0], q[1], 10, 0));
	SHOW("splice empty pipe, no writer", splice(p[0], NULL, q[1], NULL, 10, 0));

	/* copy_file_range on a read-only root */
	SHOW("copy_file_range file -> pipe", copy_file_range(fd, NULL, q[1], NULL, 10, 0));
	SHOW("copy_file_range file -> same file", copy_file_range(fd, NULL, fd, NULL, 10, 0));
	SHOW("copy_file_range, flags", copy_file_range(fd, NULL, fd, NULL, 10, 1));
	SHOW("copy_file_range, directory", copy_file_range(dir, NULL, fd, NULL, 10, 0));
	SHOW("copy_file_range, bad fd", copy_file_range(99, NULL, fd, NULL, 10, 0));

	/* /dev/zero into a pipe */
	int zero = open("/dev/zero", O_RDONLY);
	SHOW("sendfile /dev/zero -> pipe, 5000", sendfile(q[1], zero, NULL, 5000));
	sum = drain(q[0], &total);
	printf("  pipe content sum %lu bytes %ld\n", sum, total);
	printf("spliceio: done\n");
	return 0;
}
