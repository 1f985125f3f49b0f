/* vmstatus: how VmPeak, VmSize, VmExe, VmLib, VmData and VmStk of
 * /proc/self/status move as the program maps and unmaps memory: brk
 * growing and shrinking, mremap growing in place, shrinking and moving
 * (VmPeak must not count the moment both ranges are mapped), mprotect
 * splitting a mapping, an executable mapping, mmap and munmap of 64 MiB,
 * a forked child's own values (its VmPeak starts at its VmSize).  Prints one line per step:
 *     STEP VmPeak VmSize VmExe VmLib VmData VmStk special special_exec
 * (kB), where special and special_exec are the sizes of the kernel's own
 * mappings ([vdso], [vvar], [vvar_vclock]: counted in VmSize, the vdso in
 * VmLib too; mmsim maps none), so that a native run and an mmsim run can
 * be compared exactly. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB (1UL << 20)

static char buf[65536];

/* Read PATH into buf.  Returns its length (0 if it cannot be read). */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	long n = 0, r;
	while (n < (long)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n;
}

/* The kB of NAME in the status text held in S, or -1. */
static long field(const char *s, const char *name)
{
	char key[32];
	snprintf(key, sizeof key, "\n%s:", name);
	const char *p = strstr(s, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void report(const char *step)
{
	static char status[sizeof buf + 1];
	static const char *const names[] = { "VmPeak", "VmSize", "VmExe", "VmLib", "VmData", "VmStk" };
	long special = 0, special_exec = 0;

	long n = slurp("/proc/self/status");
	status[0] = '\n';
	memcpy(status + 1, buf, (size_t)n + 1);
	slurp("/proc/self/maps");
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		unsigned long a, b;
		char perm[8];
		if (sscanf(l, "%lx-%lx %7s", &a, &b, perm) != 3)
			continue;
		char *e = strchr(l, '\n');
		int len = e ? (int)(e - l) : (int)strlen(l);
		if ((memmem(l, len, "[vdso]", 6) || memmem(l, len, "[vvar", 5))) {
			special += (long)((b - a) >> 10);
			if (perm[2] == 'x')
				special_exec += (long)((b - a) >> 10);
		}
	}
	printf("%s", step);
	for (int i = 0; i < 6; i++)
		printf(" %ld", field(status, names[i]));
	printf(" %ld %ld\n", special, special_exec);
	fflush(stdout);
}

static char *map(unsigned long len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

int main(void)
{
	report("start");

	char *b0 = (char *)syscall(SYS_brk, 0);
	syscall(SYS_brk, b0 + 8 * MB);
	report("brk+8");
	syscall(SYS_brk, b0 + 1 * MB);
	report("brk-7");

	/* grow in place: a 16 MiB hole is kept free behind it */
	char *c = map(32 * MB, PROT_READ | PROT_WRITE);
	munmap(c + 16 * MB, 16 * MB);
	char *g = mremap(c, 16 * MB, 32 * MB, 0);
	report(g == c ? "mremap-grow" : "mremap-grow-failed");
	/* shrink in place */
	mremap(c, 32 * MB, 4 * MB, 0);
	report("mremap-shrink");
	/* move: a guard page behind it leaves no room to grow in place */
	char *d = map(9 * MB, PROT_READ | PROT_WRITE);
	munmap(d + 8 * MB, MB);
	mmap(d + 8 * MB, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *m = mremap(d, 8 * MB, 24 * MB, MREMAP_MAYMOVE);
	report(m != d && m != MAP_FAILED ? "mremap-move" : "mremap-move-failed");
	munmap(m, 24 * MB);
	report("munmap-moved");

	/* mprotect splits: VmData loses the read-only middle */
	char *e = map(6 * MB, PROT_READ | PROT_WRITE);
	mprotect(e + 2 * MB, 2 * MB, PROT_READ);
	report("mprotect");
	char *x = map(2 * MB, PROT_READ | PROT_EXEC);
	report("map-exec");
	munmap(x, 2 * MB);
	munmap(e, 6 * MB);
	report("unmap-all");

	char *a = map(64 * MB, PROT_READ | PROT_WRITE);
	report("mmap64");
	munmap(a, 64 * MB);
	report("munmap64");

	pid_t pid = fork();
	if (pid == 0) {
		report("child");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	report("end");
	return 0;
}
