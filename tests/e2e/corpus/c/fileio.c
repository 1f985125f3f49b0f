/* file reading: fopen/fgets, open/read/lseek/pread, fstat size, errors for missing/dir/ro. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	const char *f = argc > 1 ? argv[1] : "/etc/passwd";
	FILE *fp = fopen(f, "r");
	if (!fp) { perror(f); return 1; }
	char line[1024];
	int lines = 0;
	size_t longest = 0;
	while (fgets(line, sizeof line, fp)) { lines++; if (strlen(line) > longest) longest = strlen(line); }
	printf("lines %d longest %zu feof %d\n", lines, longest, feof(fp));
	rewind(fp);
	printf("ftell after rewind %ld, first char %c\n", ftell(fp), fgetc(fp));
	fclose(fp);
	int fd = open(f, O_RDONLY);
	struct stat st;
	fstat(fd, &st);
	off_t end = lseek(fd, 0, SEEK_END);
	printf("size %lld lseek end %lld\n", (long long)st.st_size, (long long)end);
	char b[16] = { 0 };
	ssize_t n = pread(fd, b, 10, 5);
	printf("pread %zd '%.10s' pos now %lld\n", n, b, (long long)lseek(fd, 0, SEEK_CUR));
	printf("read at end %zd\n", read(fd, b, 10));
	errno = 0; { long r_ = (long)((long long)lseek(fd, -100, SEEK_SET)); printf("lseek negative %ld %s\n", r_, strerror(errno)); }
	close(fd);
	errno = 0; { long r_ = (long)(open("/no/such/file", O_RDONLY)); printf("missing: %ld %s\n", r_, strerror(errno)); }
	fd = open("/etc", O_RDONLY);
	errno = 0; { long r_ = (long)(read(fd, b, 10)); printf("read dir: %ld %s\n", r_, strerror(errno)); }
	errno = 0; { long r_ = (long)(open("/etc", O_WRONLY)); printf("open dir for write: %ld %s\n", r_, strerror(errno)); }
	errno = 0; { long r_ = (long)(open("/etc/passwd/x", O_RDONLY)); printf("ENOTDIR: %ld %s\n", r_, strerror(errno)); }
	printf("access X_OK /bin/busybox %d, W_OK /proc/self/status %d\n", access("/bin/busybox", X_OK), access("/nonexistent", F_OK));
	return 0;
}
