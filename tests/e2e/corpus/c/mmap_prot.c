/* mmap/mprotect/munmap/mremap; SIGSEGV on a read-only page caught with siglongjmp. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
static sigjmp_buf env;
static volatile int code;
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	code = si->si_code;
	siglongjmp(env, 1);
}
int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	printf("page %ld\n", pg);
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	printf("zero-filled %d\n", p[0] == 0 && p[4 * pg - 1] == 0);
	memset(p, 'x', 4 * pg);
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	sigaction(SIGSEGV, &sa, NULL);
	printf("mprotect %d\n", mprotect(p + pg, pg, PROT_READ));
	if (!sigsetjmp(env, 1)) {
		p[pg + 5] = 'y';
		puts("write succeeded?!");
	} else
		printf("SIGSEGV caught, code %s\n", code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
	printf("read still ok %c\n", p[pg + 5]);
	printf("munmap middle %d\n", munmap(p + 2 * pg, pg));
	if (!sigsetjmp(env, 1)) {
		volatile char c = p[2 * pg];
		(void)c;
		puts("read of unmapped succeeded?!");
	} else
		printf("SIGSEGV caught, code %s\n", code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
	char *q = mremap(p, pg, 64 * pg, MREMAP_MAYMOVE);
	printf("mremap %s, kept %c, new zero %d\n", q == MAP_FAILED ? "failed" : "ok", q[0], q[63 * pg]);
	printf("munmap bad %d\n", munmap((char *)q + 1, pg));
	printf("mprotect bad %d\n", mprotect(q, pg, 0x100));
	return 0;
}
