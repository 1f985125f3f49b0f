/* opendir/readdir over a directory tree (names sorted), stat of each entry. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static void walk(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d) { printf("%*sopendir %s failed\n", depth * 2, "", dir); return; }
	char *names[256];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], cmp);
	for (int i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		struct stat st;
		if (lstat(path, &st)) { printf("%*s%s: lstat failed\n", depth * 2, "", names[i]); continue; }
		char kind = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : '?';
		printf("%*s%s %c %o", depth * 2, "", names[i], kind, (unsigned)(st.st_mode & 0777));
		if (kind == 'f') printf(" size %lld", (long long)st.st_size);
		printf("\n");
		if (kind == 'd' && strcmp(names[i], ".") && strcmp(names[i], ".."))
			walk(path, depth + 1);
		free(names[i]);
	}
}
int main(int argc, char **argv)
{
	walk(argc > 1 ? argv[1] : ".", 0);
	printf("missing dir: %s\n", opendir("/nonexistent-dir") ? "opened" : "NULL");
	return 0;
}
