/* file_mmap: map a file read-only (MAP_PRIVATE) and sum its bytes; then
 * write to a private writable mapping of it (COW of page-cache pages).
 * Usage: file_mmap [path=/proc/self/exe]. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/self/exe";
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
		perror(path);
		return 1;
	}
	size_t len = (size_t)st.st_size;
	unsigned char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	unsigned long sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	unsigned char *w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (w == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (size_t i = 0; i < len; i += 4096)
		w[i] ^= 0xff;
	size_t diff = 0;
	for (size_t i = 0; i < len; i += 4096)
		diff += p[i] != w[i];
	printf("file_mmap %s: %zu bytes, sum %lu, %zu private pages differ\n", path, len, sum, diff);
	munmap(w, len);
	munmap(p, len);
	close(fd);
	return 0;
}
