/* signals CASE - signal delivery checks; every line of output is the same
 * natively and under mmsim (tests/sys/signals.sh compares them).
 * Cases: basic mask resethand restart segv sigchld altstack fpu badframe
 * badcs wait timer nanosleep async norestorer exe. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t hits, nested, depth, code_seen, pid_ok, chld_count, chld_status_sum;
static sigjmp_buf jb;
static volatile uintptr_t fault_addr;
static volatile int fault_code;
static int pipefd[2];

static uint64_t blocked_now(void)
{
	sigset_t s;
	sigprocmask(SIG_BLOCK, NULL, &s);
	uint64_t m = 0;
	for (int i = 1; i < 65; i++)
		if (sigismember(&s, i) == 1)
			m |= 1ULL << (i - 1);
	return m;
}

static void on_info(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	hits++;
	code_seen = si->si_code;
	pid_ok = si->si_pid == getpid() && si->si_signo == sig;
	/* the mask saved in the frame is the one before delivery */
	pid_ok = pid_ok && !sigismember(&uc->uc_sigmask, sig);
}

static void on_plain(int sig)
{
	hits += sig == SIGUSR2;
}

static void case_basic(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("siginfo handler: hits %d si_code %d (SI_USER %d) pid/mask ok %d\n", hits, code_seen, SI_USER, pid_ok);
	signal(SIGUSR2, on_plain);
	raise(SIGUSR2);
	printf("plain handler: hits %d\n", hits);
	/* a blocked signal waits; sigpending shows it; unblocking delivers it
	 * before sigprocmask returns */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR1);
	sigset_t p;
	sigpending(&p);
	printf("blocked: hits %d pending %d\n", hits, sigismember(&p, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("unblocked: hits %d\n", hits);
}

static void on_mask(int sig)
{
	(void)sig;
	uint64_t m = blocked_now();
	printf("in handler: USR1 blocked %d, INT (sa_mask) blocked %d, depth %d\n", !!(m & (1ULL << (SIGUSR1 - 1))),
	       !!(m & (1ULL << (SIGINT - 1))), depth);
	depth++;
	if (nested++ % 2 == 0)
		raise(SIGUSR1); /* deferred (blocked) unless SA_NODEFER */
	printf("leaving handler at depth %d\n", depth);
	depth--;
}

static void case_mask(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_mask;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	printf("after: USR1 blocked %d INT blocked %d\n", !!(blocked_now() & (1ULL << (SIGUSR1 - 1))),
	       !!(blocked_now() & (1ULL << (SIGINT - 1))));
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, NULL);
	printf("SA_NODEFER:\n");
	raise(SIGUSR1);
}

static void case_resethand(void)
{
	struct sigaction sa = { 0 }, old;
	sa.sa_handler = on_plain;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &old);
	printf("resethand: hits %d, handler now SIG_DFL %d\n", hits, old.sa_handler == SIG_DFL);
	fflush(stdout);
	raise(SIGUSR2); /* default action: terminate */
	printf("not reached\n");
}

static void on_alarm(int sig)
{
	(void)sig;
	hits++;
	if (write(pipefd[1], "x", 1) != 1)
		_exit(3);
}

static void on_chld(int sig)
{
	(void)sig;
	hits++;
}

/* read from an empty pipe, interrupted by SIGALRM (or a child's SIGCHLD) */
static void case_restart(void)
{
	char c;
	struct sigaction sa = { 0 };
	if (pipe(pipefd))
		exit(2);
	for (int restart = 0; restart < 2; restart++) {
		sa.sa_handler = on_alarm;
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = { { 0, 0 }, { 0, 100000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		errno = 0;
		ssize_t n = read(pipefd[0], &c, 1);
		int e = errno;
		printf("SIGALRM %s: read -> %zd (%s), handler ran %d\n", restart ? "SA_RESTART" : "no SA_RESTART", n,
		       n < 0 ? strerror(e) : "data", hits);
		if (n < 0 && read(pipefd[0], &c, 1) != 1) /* the handler's byte */
			exit(2);
	}
	/* a child's exit: SIGCHLD interrupts the read in the parent */
	for (int restart = 0; restart < 2; restart++) {
		sa.sa_handler = on_chld;
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigaction(SIGCHLD, &sa, NULL);
		hits = 0;
		/* child A exits at 0.2 s: SIGCHLD interrupts the read; with
		 * SA_RESTART, child B's byte (at 0.4 s) ends it */
		pid_t pid = fork(), pid2 = -1;
		if (pid == 0) {
			struct timespec ts = { 0, 200000000 };
			nanosleep(&ts, NULL);
			_exit(0);
		}
		if (restart && (pid2 = fork()) == 0) {
			struct timespec ts = { 0, 400000000 };
			nanosleep(&ts, NULL);
			if (write(pipefd[1], "y", 1) != 1)
				_exit(3);
			nanosleep(&ts, NULL);
			_exit(0);
		}
		errno = 0;
		ssize_t n = read(pipefd[0], &c, 1);
		int e = errno;
		printf("SIGCHLD %s: read -> %zd (%s), handler ran %d\n", restart ? "SA_RESTART" : "no SA_RESTART", n,
		       n < 0 ? strerror(e) : "data", hits);
		waitpid(pid, NULL, 0);
		if (pid2 > 0)
			waitpid(pid2, NULL, 0);
	}
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	fault_addr = (uintptr_t)si->si_addr;
	fault_code = si->si_code;
	code_seen = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
	siglongjmp(jb, 1);
}

static void case_segv(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(jb, 1) == 0) {
		*(volatile int *)0x1234 = 1;
		printf("no fault?\n");
	} else {
		printf("recovered: si_addr %#lx si_code %d (SEGV_MAPERR %d) trapno %d\n", (unsigned long)fault_addr,
		       fault_code, SEGV_MAPERR, code_seen);
	}
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sigsetjmp(jb, 1) == 0) {
		ro[100] = 1;
		printf("no fault?\n");
	} else {
		printf("recovered: si_addr is ro+100 %d si_code %d (SEGV_ACCERR %d)\n", fault_addr == (uintptr_t)(ro + 100),
		       fault_code, SEGV_ACCERR);
	}
	/* the mask was restored by siglongjmp: a third fault is caught too */
	if (sigsetjmp(jb, 1) == 0)
		*(volatile char *)(ro + 5000) = 0;
	printf("third fault: si_addr is ro+5000 %d\n", fault_addr == (uintptr_t)(ro + 5000));
}

static void on_chld_count(int sig)
{
	(void)sig;
	int st;
	pid_t p;
	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		chld_count++;
		chld_status_sum += WEXITSTATUS(st);
	}
}

static void case_sigchld(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_chld_count;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (int i = 1; i <= 5; i++)
		if (fork() == 0)
			_exit(i);
	while (chld_count < 5)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("sigchld: %d children reaped by the handler, status sum %d\n", chld_count, chld_status_sum);
}

static char *alt;
static size_t altsz = 65536;

static void on_alt(int sig, siginfo_t *si, void *ucv)
{
	(void)si;
	(void)ucv;
	char here;
	stack_t cur;
	sigaltstack(NULL, &cur);
	printf("handler %d on the alternate stack %d, SS_ONSTACK %d\n", sig, &here >= alt && &here < alt + altsz,
	       !!(cur.ss_flags & SS_ONSTACK));
	if (sig == SIGSEGV)
		siglongjmp(jb, 1);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(int n)
{
	volatile char buf[1024];
	buf[0] = (char)n;
	return recurse(n + 1) + buf[0];
}

static void case_altstack(void)
{
	alt = malloc(altsz);
	stack_t ss = { .ss_sp = alt, .ss_size = altsz, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL))
		exit(2);
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_alt;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	raise(SIGUSR1);
	stack_t cur;
	sigaltstack(NULL, &cur);
	printf("after: SS_ONSTACK %d, size %zu\n", !!(cur.ss_flags & SS_ONSTACK), cur.ss_size);
	stack_t small = { .ss_sp = alt, .ss_size = 100, .ss_flags = 0 };
	int r = sigaltstack(&small, NULL);
	printf("too small: %d %s\n", r, strerror(errno));
	/* stack overflow: only the alternate stack can run the handler */
	struct rlimit rl = { 256 * 1024, 256 * 1024 };
	setrlimit(RLIMIT_STACK, &rl);
	if (sigsetjmp(jb, 1) == 0)
		printf("%d\n", recurse(0));
	printf("recovered from stack overflow\n");
}

static volatile uint32_t handler_mxcsr;
static volatile int frame_ok;

static void on_fpu(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	(void)si;
	uint32_t m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	handler_mxcsr = m;
	/* the interrupted state is in the frame, FXSAVE layout */
	struct _fpstate *fp = uc->uc_mcontext.fpregs;
	frame_ok = fp && fp->mxcsr == 0x3f80 && fp->_xmm[2].element[0] == 0x33333333 &&
		   fp->_xmm[14].element[3] == 0xffffffff && fp->cwd == 0x37f;
	/* clobber everything */
	uint32_t z = 0x1f80 | 0x6000;
	__asm__ volatile("ldmxcsr %0\n\t"
			 "pxor %%xmm0, %%xmm0\n\tpxor %%xmm3, %%xmm3\n\tpxor %%xmm8, %%xmm8\n\tpxor %%xmm15, %%xmm15\n\t"
			 "fninit\n\tfldz\n\tfldz\n\t" ::"m"(z)
			 : "xmm0", "xmm3", "xmm8", "xmm15", "st", "st(1)");
}

static void case_fpu(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_fpu;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	uint32_t pat[16][4], out[16][4];
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 4; j++)
			pat[i][j] = 0x11111111u * (uint32_t)(i + 1);
	uint32_t mx = 0x3f80, mx_after = 0;
	double pi = 0;
	long pid = getpid();
	__asm__ volatile(
		"ldmxcsr %[mx]\n\t"
		"movdqu 0(%[p]), %%xmm0\n\tmovdqu 16(%[p]), %%xmm1\n\tmovdqu 32(%[p]), %%xmm2\n\t"
		"movdqu 48(%[p]), %%xmm3\n\tmovdqu 64(%[p]), %%xmm4\n\tmovdqu 80(%[p]), %%xmm5\n\t"
		"movdqu 96(%[p]), %%xmm6\n\tmovdqu 112(%[p]), %%xmm7\n\tmovdqu 128(%[p]), %%xmm8\n\t"
		"movdqu 144(%[p]), %%xmm9\n\tmovdqu 160(%[p]), %%xmm10\n\tmovdqu 176(%[p]), %%xmm11\n\t"
		"movdqu 192(%[p]), %%xmm12\n\tmovdqu 208(%[p]), %%xmm13\n\tmovdqu 224(%[p]), %%xmm14\n\t"
		"movdqu 240(%[p]), %%xmm15\n\t"
		"fldpi\n\t"
		"mov %[pid], %%rdi\n\tmov $10, %%esi\n\tmov $62, %%eax\n\tsyscall\n\t" /* kill(pid, SIGUSR1) */
		"fstpl %[pi]\n\t"
		"movdqu %%xmm0, 0(%[o])\n\tmovdqu %%xmm1, 16(%[o])\n\tmovdqu %%xmm2, 32(%[o])\n\t"
		"movdqu %%xmm3, 48(%[o])\n\tmovdqu %%xmm4, 64(%[o])\n\tmovdqu %%xmm5, 80(%[o])\n\t"
		"movdqu %%xmm6, 96(%[o])\n\tmovdqu %%xmm7, 112(%[o])\n\tmovdqu %%xmm8, 128(%[o])\n\t"
		"movdqu %%xmm9, 144(%[o])\n\tmovdqu %%xmm10, 160(%[o])\n\tmovdqu %%xmm11, 176(%[o])\n\t"
		"movdqu %%xmm12, 192(%[o])\n\tmovdqu %%xmm13, 208(%[o])\n\tmovdqu %%xmm14, 224(%[o])\n\t"
		"movdqu %%xmm15, 240(%[o])\n\t"
		"stmxcsr %[mxa]\n\t"
		: [pi] "=m"(pi), [mxa] "=m"(mx_after)
		: [mx] "m"(mx), [p] "r"(pat), [o] "r"(out), [pid] "r"(pid)
		: "rax", "rdi", "rsi", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "st");
	uint32_t restore = 0x1f80;
	__asm__ volatile("ldmxcsr %0" ::"m"(restore));
	printf("fpu: handler started with MXCSR %#x, frame fpstate ok %d\n", handler_mxcsr, frame_ok);
	printf("fpu: xmm0-15 preserved %d, MXCSR preserved %d, x87 st0 preserved %d\n",
	       memcmp(pat, out, sizeof(pat)) == 0, mx_after == 0x3f80, pi > 3.14159 && pi < 3.1416);
}

static void on_corrupt_fp(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	(void)si;
	uc->uc_mcontext.fpregs = (void *)0x10; /* unreadable: sigreturn must fail */
}

static void on_corrupt_cs(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_CSGSFS] = 0x1234; /* bogus CS */
}

static void case_badframe(int cs)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = cs ? on_corrupt_cs : on_corrupt_fp;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	printf("corrupting the frame\n");
	fflush(stdout);
	raise(SIGUSR1);
	printf("survived a corrupted frame\n");
}

static void case_wait(void)
{
	/* pause/sigsuspend return EINTR after the handler; sigtimedwait takes
	 * a blocked signal; its timeout gives EAGAIN; alarm's remaining time */
	struct sigaction sa = { 0 };
	sa.sa_handler = on_chld;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	printf("alarm(5) returns %u\n", alarm(5));
	alarm(0);
	struct itimerval it = { { 0, 0 }, { 0, 10000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	int r = pause();
	printf("pause -> %d %s, handler ran %d\n", r, strerror(errno), hits);
	sigset_t s, none;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	siginfo_t si;
	r = sigtimedwait(&s, &si, NULL);
	printf("sigtimedwait -> %d (SIGUSR1 %d) si_code %d si_pid ok %d\n", r, SIGUSR1, si.si_code,
	       si.si_pid == getpid());
	struct timespec ts = { 0, 20000000 };
	r = sigtimedwait(&s, &si, &ts);
	printf("sigtimedwait with nothing pending -> %d %s\n", r, strerror(errno));
	setitimer(ITIMER_REAL, &it, NULL);
	sigemptyset(&none);
	r = sigsuspend(&none);
	printf("sigsuspend -> %d %s, handler ran %d\n", r, strerror(errno), hits);
}

static void case_timer(void)
{
	/* a periodic ITIMER_REAL: 5 SIGALRMs caught by sigsuspend */
	struct sigaction sa = { 0 };
	sa.sa_handler = on_chld;
	sigaction(SIGALRM, &sa, NULL);
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, &old);
	struct itimerval it = { { 0, 5000 }, { 0, 5000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	while (hits < 5)
		sigsuspend(&old);
	struct itimerval off = { { 0, 0 }, { 0, 0 } }, prev;
	setitimer(ITIMER_REAL, &off, &prev);
	printf("timer: %d SIGALRMs, interval %ld us\n", hits, (long)prev.it_interval.tv_usec);
}

static void case_nanosleep(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART; /* nanosleep is never restarted after a handler */
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	int r = nanosleep(&req, &rem);
	printf("nanosleep -> %d %s, rem between 1.8 and 2 s %d\n", r, strerror(errno),
	       rem.tv_sec == 1 && rem.tv_nsec >= 800000000);
}

static void case_exe(int argc, char **argv)
{
	if (argc > 2) {
		printf("re-exec'ed through /proc/self/exe: %s\n", argv[2]);
		return;
	}
	char buf[4] = { 0 };
	int fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0 || read(fd, buf, 4) != 4) {
		printf("cannot read /proc/self/exe\n");
		exit(1);
	}
	printf("/proc/self/exe starts with ELF magic %d\n", memcmp(buf, "\177ELF", 4) == 0);
	char *args[] = { "again", "exe", "ok", NULL };
	fflush(stdout);
	execv("/proc/self/exe", args);
	printf("execv failed: %s\n", strerror(errno));
}

/* a signal from another process arrives while this one computes */
static void case_async(void)
{
	signal(SIGUSR1, on_chld);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		kill(parent, SIGUSR1);
		_exit(0);
	}
	unsigned long spins = 0;
	while (!hits)
		spins++;
	waitpid(pid, NULL, 0);
	printf("async: handler interrupted a busy loop, hits %d\n", hits);
}

/* x86-64 requires SA_RESTORER: without it the frame cannot be set up and
 * the task gets SIGSEGV */
static void case_norestorer(void)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		uint64_t mask;
	} ksa = { on_plain, 0, NULL, 0 };
	if (syscall(SYS_rt_sigaction, SIGUSR2, &ksa, NULL, 8))
		exit(2);
	printf("raising without SA_RESTORER\n");
	fflush(stdout);
	raise(SIGUSR2);
	printf("not reached\n");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *c = argc > 1 ? argv[1] : "";
	if (!strcmp(c, "basic"))
		case_basic();
	else if (!strcmp(c, "mask"))
		case_mask();
	else if (!strcmp(c, "resethand"))
		case_resethand();
	else if (!strcmp(c, "restart"))
		case_restart();
	else if (!strcmp(c, "segv"))
		case_segv();
	else if (!strcmp(c, "sigchld"))
		case_sigchld();
	else if (!strcmp(c, "altstack"))
		case_altstack();
	else if (!strcmp(c, "fpu"))
		case_fpu();
	else if (!strcmp(c, "badframe"))
		case_badframe(0);
	else if (!strcmp(c, "badcs"))
		case_badframe(1);
	else if (!strcmp(c, "wait"))
		case_wait();
	else if (!strcmp(c, "timer"))
		case_timer();
	else if (!strcmp(c, "nanosleep"))
		case_nanosleep();
	else if (!strcmp(c, "async"))
		case_async();
	else if (!strcmp(c, "norestorer"))
		case_norestorer();
	else if (!strcmp(c, "exe"))
		case_exe(argc, argv);
	else {
		fprintf(stderr, "usage: signals CASE\n");
		return 2;
	}
	return 0;
}
