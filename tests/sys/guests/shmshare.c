/* shmshare MODE [mem] - MAP_SHARED memory shared across fork.
 * MODE: file (a tmpfs file in /tmp), shm (shm_open in /dev/shm) or anon
 * (MAP_SHARED|MAP_ANONYMOUS).  Parent and child each write half of 16
 * pages, wait for the other through pipes, and check the other's half:
 * both see the same frames.  Prints each side's RssShmem (status) and the
 * mapping's Rss/Pss (smaps) once both touched every page; with "mem" also
 * the meminfo Shmem growth while the segment exists and after it is gone
 * (that one is noisy on a shared host, so the native comparison leaves it
 * out). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPAGES 16
#define PG 4096

/* The value in kB of line KEY of /proc FILE (SECTION: a line after which to
 * look, for smaps), or -1. */
static long proc_kb(const char *file, const char *after, const char *key)
{
	FILE *f = fopen(file, "r");
	char line[512];
	long v = -1;
	int armed = after == NULL;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		if (!armed && strstr(line, after)) {
			armed = 1;
			continue;
		}
		if (armed && !strncmp(line, key, strlen(key))) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static void fill(char *p, int first, int n, int tag)
{
	for (int i = first; i < first + n; i++)
		memset(p + (size_t)i * PG, tag + i, PG);
}

static int check(const char *p, int first, int n, int tag)
{
	for (int i = first; i < first + n; i++)
		for (int j = 0; j < PG; j++)
			if (p[(size_t)i * PG + j] != (char)(tag + i))
				return i;
	return -1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "file";
	int mem = argc > 2 && !strcmp(argv[2], "mem");
	long shmem0 = proc_kb("/proc/meminfo", NULL, "Shmem:");
	int fd = -1;
	char *p;
	char name[64];

	if (!strcmp(mode, "anon")) {
		p = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	} else {
		if (!strcmp(mode, "shm")) {
			snprintf(name, sizeof name, "/mmsim-shmshare-%d", (int)getpid());
			fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
		} else {
			snprintf(name, sizeof name, "/tmp/mmsim-shmshare-%d", (int)getpid());
			fd = open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
		}
		if (fd < 0 || ftruncate(fd, NPAGES * PG) != 0) {
			perror("create");
			return 1;
		}
		p = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	}
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	int c2p[2], p2c[2];
	char b = 0;
	if (pipe(c2p) || pipe(p2c))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		fill(p, 0, NPAGES / 2, 'A');
		write(c2p[1], "x", 1);
		read(p2c[0], &b, 1);
		int bad = check(p, NPAGES / 2, NPAGES / 2, 'a');
		printf("child: parent's half %s\n", bad < 0 ? "seen" : "WRONG");
		printf("child: RssShmem %ld kB\n", proc_kb("/proc/self/status", NULL, "RssShmem:"));
		write(c2p[1], "y", 1);
		read(p2c[0], &b, 1);
		return bad < 0 ? 0 : 1;
	}
	fill(p, NPAGES / 2, NPAGES / 2, 'a');
	read(c2p[0], &b, 1);
	int bad = check(p, 0, NPAGES / 2, 'A');
	printf("parent: child's half %s\n", bad < 0 ? "seen" : "WRONG");
	printf("parent: RssShmem %ld kB\n", proc_kb("/proc/self/status", NULL, "RssShmem:"));
	write(p2c[1], "x", 1);
	read(c2p[0], &b, 1); /* the child has touched every page too */
	char range[64];
	snprintf(range, sizeof range, "%lx-", (unsigned long)p);
	printf("parent: mapping Rss %ld kB Pss %ld kB\n", proc_kb("/proc/self/smaps", range, "Rss:"),
	       proc_kb("/proc/self/smaps", range, "Pss:"));
	if (mem)
		printf("Shmem grew by %ld kB\n", proc_kb("/proc/meminfo", NULL, "Shmem:") - shmem0);
	write(p2c[1], "y", 1);
	int st;
	waitpid(pid, &st, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	if (fd >= 0) {
		if (!strcmp(mode, "shm"))
			shm_unlink(name);
		else
			unlink(name);
		/* unlinked but still mapped and open: the data stays */
		printf("after unlink: %s\n", check(p, 0, NPAGES / 2, 'A') < 0 ? "data kept" : "data LOST");
		close(fd);
	}
	munmap(p, NPAGES * PG);
	if (mem)
		printf("Shmem after munmap: %+ld kB\n", proc_kb("/proc/meminfo", NULL, "Shmem:") - shmem0);
	return bad < 0 ? 0 : 1;
}
