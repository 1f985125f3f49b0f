/* guest/rtsig.c - real-time signal queueing as Linux does it.
 *
 * Usage: rtsig CASE (order, wait, limit, all).  Each case prints what it
 * saw and exits 1 on the first mismatch; output and exit status are the
 * same natively and under mmsim.
 *   order  standard signals pending once, real-time ones once per send, in
 *          order: SIGUSR1, then SIGRTMIN x3 (FIFO, each with its siginfo),
 *          then SIGRTMIN+1 x2
 *   wait   sigtimedwait takes the instances one by one with their si_value;
 *          rt_sigqueueinfo's EPERM rule; rt_tgsigqueueinfo
 *   limit  RLIMIT_SIGPENDING: sigqueue and raise (tkill) fail with EAGAIN
 *          when the queue is full, kill() still sets the signal pending
 *          (its siginfo lost: SI_USER from pid 0); SigQ in /proc/self/status
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

struct rec {
	int sig, code, pid_is_me, pid, value;
};
static volatile struct rec recs[32];
static volatile int nrec;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (nrec < 32) {
		recs[nrec].sig = sig;
		recs[nrec].code = si->si_code;
		recs[nrec].pid_is_me = si->si_pid == getpid();
		recs[nrec].pid = si->si_pid;
		recs[nrec].value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
		nrec++;
	}
}

static const char *name(int sig)
{
	static char b[32];
	if (sig == SIGUSR1)
		return "SIGUSR1";
	if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
		if (sig == SIGRTMIN)
			return "SIGRTMIN";
		snprintf(b, sizeof(b), "SIGRTMIN+%d", sig - SIGRTMIN);
		return b;
	}
	snprintf(b, sizeof(b), "sig%d", sig);
	return b;
}

static const char *code_name(int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TKILL: return "SI_TKILL";
	default: return "other";
	}
}

static void install(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask); /* one handler at a time: the order is the delivery order */
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction %d", sig);
}

static void print_recs(const char *c)
{
	for (int i = 0; i < nrec; i++) {
		printf("%s: %d %s %s", c, i + 1, name(recs[i].sig), code_name(recs[i].code));
		if (recs[i].value >= 0)
			printf(" value %d", recs[i].value);
		printf(recs[i].pid_is_me ? " from me\n" : " from pid %d\n", recs[i].pid);
	}
}

static void case_order(void)
{
	sigset_t set, pend;
	int r0 = SIGRTMIN, r1 = SIGRTMIN + 1;
	install(SIGUSR1);
	install(r0);
	install(r1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, r0);
	sigaddset(&set, r1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* r1 first, so that the order below is by number, not by sending */
	CHECK(sigqueue(getpid(), r1, (union sigval){ .sival_int = 1 }) == 0, "sigqueue r1");
	CHECK(kill(getpid(), r0) == 0, "kill r0");
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill USR1");
	CHECK(sigqueue(getpid(), r0, (union sigval){ .sival_int = 77 }) == 0, "sigqueue r0");
	CHECK(sigqueue(getpid(), r1, (union sigval){ .sival_int = 2 }) == 0, "sigqueue r1");
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill USR1");
	CHECK(kill(getpid(), r0) == 0, "kill r0");
	sigpending(&pend);
	printf("order: pending USR1 %d RTMIN %d RTMIN+1 %d; nothing delivered %d\n", sigismember(&pend, SIGUSR1),
	       sigismember(&pend, r0), sigismember(&pend, r1), nrec == 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	print_recs("order");
	CHECK(nrec == 6, "6 deliveries, got %d", nrec);
	static const int want_sig_off[6] = { -1, 0, 0, 0, 1, 1 };
	static const int want_code[6] = { SI_USER, SI_USER, SI_QUEUE, SI_USER, SI_QUEUE, SI_QUEUE };
	static const int want_val[6] = { -1, -1, 77, -1, 1, 2 };
	for (int i = 0; i < 6; i++) {
		int want = want_sig_off[i] < 0 ? SIGUSR1 : SIGRTMIN + want_sig_off[i];
		CHECK(recs[i].sig == want && recs[i].code == want_code[i] && recs[i].value == want_val[i] &&
			      recs[i].pid_is_me,
		      "delivery %d", i + 1);
	}
	sigpending(&pend);
	CHECK(!sigismember(&pend, r0) && !sigismember(&pend, r1), "still pending");
	nrec = 0;
}

static void case_wait(void)
{
	sigset_t set, pend;
	siginfo_t si;
	int r2 = SIGRTMIN + 2;
	struct timespec zero = { 0, 0 };
	sigemptyset(&set);
	sigaddset(&set, r2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int v = 10; v <= 30; v += 10)
		CHECK(sigqueue(getpid(), r2, (union sigval){ .sival_int = v }) == 0, "sigqueue");
	for (int i = 0; i < 3; i++) {
		memset(&si, 0, sizeof(si));
		int sig = sigtimedwait(&set, &si, &zero);
		sigpending(&pend);
		printf("wait: %s %s value %d, still pending %d\n", name(sig), code_name(si.si_code), si.si_value.sival_int,
		       sigismember(&pend, r2));
		CHECK(sig == r2 && si.si_code == SI_QUEUE && si.si_value.sival_int == 10 * (i + 1) && si.si_pid == getpid(),
		      "sigtimedwait %d", i);
		CHECK(sigismember(&pend, r2) == (i < 2), "pending after %d", i);
	}
	errno = 0;
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN, "empty queue");
	printf("wait: queue empty: EAGAIN\n");
	/* posing as kill() (si_code SI_USER) towards another process: EPERM */
	memset(&si, 0, sizeof(si));
	si.si_signo = r2;
	si.si_code = SI_USER;
	errno = 0;
	long rc = syscall(SYS_rt_sigqueueinfo, getpid() + 100000, r2, &si);
	printf("wait: rt_sigqueueinfo SI_USER to another pid: %ld %s\n", rc, strerror(errno));
	CHECK(rc == -1 && errno == EPERM, "EPERM");
	/* rt_tgsigqueueinfo to ourselves with SI_QUEUE and a value */
	memset(&si, 0, sizeof(si));
	si.si_signo = r2;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_value.sival_int = 99;
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), r2, &si) == 0, "rt_tgsigqueueinfo");
	memset(&si, 0, sizeof(si));
	CHECK(sigtimedwait(&set, &si, &zero) == r2 && si.si_value.sival_int == 99, "tgsigqueueinfo value");
	printf("wait: rt_tgsigqueueinfo value %d\n", si.si_value.sival_int);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static long sigq_now(void)
{
	char line[128];
	long n = -1, max = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigQ:\t%ld/%ld", &n, &max) == 2)
			break;
	fclose(f);
	return n;
}

static void case_limit(void)
{
	sigset_t set;
	int r0 = SIGRTMIN, r1 = SIGRTMIN + 1, r3 = SIGRTMIN + 3;
	/* the count is per user: natively other processes of ours may have
	 * signals queued, so the limit is set 3 above what is queued now */
	long base = sigq_now();
	CHECK(base >= 0, "no SigQ line");
	struct rlimit rl = { (rlim_t)base + 3, (rlim_t)base + 3 };
	install(r0);
	install(r1);
	sigemptyset(&set);
	sigaddset(&set, r0);
	sigaddset(&set, r1);
	sigaddset(&set, r3);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(setrlimit(RLIMIT_SIGPENDING, &rl) == 0, "setrlimit");
	int ok = 0, err = 0;
	for (int i = 0; i < 5; i++) {
		if (sigqueue(getpid(), r1, (union sigval){ .sival_int = i }) == 0)
			ok++;
		else if (errno == EAGAIN)
			err++;
	}
	long q = sigq_now();
	printf("limit: RLIMIT_SIGPENDING queued+3: sigqueue %d ok, %d EAGAIN; SigQ +%ld\n", ok, err, q - base);
	CHECK(ok == 3 && err == 2 && q == base + 3, "sigqueue limit");
	errno = 0;
	int r = raise(r3);
	printf("limit: raise (tkill) of a real-time signal: %d %s\n", r, strerror(errno));
	CHECK(r != 0 && errno == EAGAIN, "tkill EAGAIN");
	CHECK(kill(getpid(), r0) == 0, "kill still works");
	printf("limit: kill() with a full queue: 0\n");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	print_recs("limit");
	CHECK(nrec == 4, "4 deliveries");
	CHECK(recs[0].sig == r0 && recs[0].code == SI_USER && recs[0].pid == 0, "lost info");
	for (int i = 1; i < 4; i++)
		CHECK(recs[i].sig == r1 && recs[i].value == i - 1, "queued %d", i);
	CHECK(sigq_now() == base, "SigQ after");
	nrec = 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "all";
	int all = !strcmp(c, "all");
	setvbuf(stdout, NULL, _IONBF, 0);
	if (all || !strcmp(c, "order"))
		case_order();
	if (all || !strcmp(c, "wait"))
		case_wait();
	if (all || !strcmp(c, "limit"))
		case_limit();
	printf("rtsig %s: ok\n", c);
	return 0;
}
