/* guest/jobctl.c - job-control stops as Linux does them.
 *
 * Usage: jobctl CASE (wait, sigchld, nocldstop, waitid, sleep, sigcont,
 * flush, orphan, all) or jobctl selfstop.  Each case prints what it saw
 * and exits 1 on the first mismatch with Linux's documented behaviour;
 * output and exit status are the same natively and under mmsim.
 * selfstop stops the lone process with SIGSTOP: natively it stays stopped,
 * under mmsim the run ends with a deadlock message (nothing can send
 * SIGCONT).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* A child that waits for one byte on a pipe, then exits with CODE. */
static pid_t spawn_waiter(int code, int fds[2], int newpgrp)
{
	if (pipe(fds) != 0)
		exit(2);
	pid_t pid = fork();
	if (pid < 0)
		exit(2);
	if (pid == 0) {
		char c;
		close(fds[1]);
		if (newpgrp == 1)
			setpgid(0, 0);
		else if (newpgrp == 2)
			setsid();
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(code);
	}
	close(fds[0]);
	return pid;
}

static void release(int fds[2])
{
	if (write(fds[1], "x", 1) != 1)
		exit(2);
	close(fds[1]);
}

static const char *proc_state(pid_t pid, char *buf, size_t len)
{
	char path[64], line[60];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	snprintf(buf, len, "?");
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "State:", 6)) {
			char *p = line + 6;
			while (*p == '\t' || *p == ' ')
				p++;
			p[strcspn(p, "\n")] = '\0';
			snprintf(buf, len, "%s", p);
		}
	fclose(f);
	return buf;
}

/* waitpid(WUNTRACED) sees the stop once, WCONTINUED the continue once,
 * plain waitpid only the exit. */
static void case_wait(void)
{
	int fds[2], st;
	char state[64];
	pid_t c = spawn_waiter(42, fds, 0);
	CHECK(kill(c, SIGSTOP) == 0, "kill SIGSTOP");
	CHECK(waitpid(c, &st, WUNTRACED) == c, "waitpid WUNTRACED");
	printf("wait: WIFSTOPPED %d WSTOPSIG %d (SIGSTOP %d) status 0x%x\n", WIFSTOPPED(st), WSTOPSIG(st), SIGSTOP, st);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && st == 0x137f, "stop status");
	printf("wait: /proc/child/status State: %s\n", proc_state(c, state, sizeof(state)));
	CHECK(!strcmp(state, "T (stopped)"), "State line");
	CHECK(waitpid(c, &st, WUNTRACED | WNOHANG) == 0, "stop reported twice");
	CHECK(waitpid(c, &st, WNOHANG) == 0, "plain wait reported a stop");
	printf("wait: stop reported once; plain WNOHANG wait returns 0\n");
	CHECK(kill(c, SIGCONT) == 0, "kill SIGCONT");
	CHECK(waitpid(c, &st, WCONTINUED) == c, "waitpid WCONTINUED");
	printf("wait: WIFCONTINUED %d status 0x%x\n", WIFCONTINUED(st), st);
	CHECK(WIFCONTINUED(st) && st == 0xffff, "continued status");
	CHECK(waitpid(c, &st, WCONTINUED | WNOHANG) == 0, "continue reported twice");
	/* SIGTSTP from the parent stops too (the child's group is not orphaned) */
	CHECK(kill(c, SIGTSTP) == 0, "kill SIGTSTP");
	CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st), "SIGTSTP stop");
	printf("wait: SIGTSTP: WSTOPSIG %d (SIGTSTP %d)\n", WSTOPSIG(st), SIGTSTP);
	CHECK(WSTOPSIG(st) == SIGTSTP, "SIGTSTP stop signal");
	CHECK(kill(c, SIGCONT) == 0, "kill SIGCONT");
	release(fds);
	CHECK(waitpid(c, &st, 0) == c, "final waitpid");
	printf("wait: WIFEXITED %d WEXITSTATUS %d\n", WIFEXITED(st), WEXITSTATUS(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "exit status");
}

static volatile sig_atomic_t chld_codes[8], chld_status[8], chld_n;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (chld_n < 8) {
		chld_codes[chld_n] = si->si_code;
		chld_status[chld_n] = si->si_status;
		chld_n++;
	}
}

static const char *cld_name(int code)
{
	switch (code) {
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_STOPPED: return "CLD_STOPPED";
	case CLD_CONTINUED: return "CLD_CONTINUED";
	default: return "other";
	}
}

/* Wait (SIGCHLD blocked outside sigsuspend) until N SIGCHLDs arrived. */
static void wait_chld(int n)
{
	sigset_t none;
	sigemptyset(&none);
	while (chld_n < n)
		sigsuspend(&none);
}

/* The SIGCHLD handler sees CLD_STOPPED, CLD_CONTINUED, CLD_EXITED; with
 * SA_NOCLDSTOP only CLD_EXITED. */
static void case_sigchld(int nocldstop)
{
	const char *name = nocldstop ? "nocldstop" : "sigchld";
	struct sigaction sa;
	sigset_t blk, old;
	int fds[2], st;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | (nocldstop ? SA_NOCLDSTOP : 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&blk);
	sigaddset(&blk, SIGCHLD);
	sigprocmask(SIG_BLOCK, &blk, &old);
	chld_n = 0;
	pid_t c = spawn_waiter(5, fds, 0);
	kill(c, SIGSTOP);
	if (nocldstop)
		CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st), "%s: stop", name);
	else
		wait_chld(1);
	kill(c, SIGCONT);
	if (nocldstop)
		CHECK(waitpid(c, &st, WCONTINUED) == c && WIFCONTINUED(st), "%s: continue", name);
	else
		wait_chld(2);
	release(fds);
	wait_chld(nocldstop ? 1 : 3);
	CHECK(waitpid(c, &st, 0) == c, "%s: reap", name);
	printf("%s: %d SIGCHLD:", name, (int)chld_n);
	for (int i = 0; i < chld_n; i++)
		printf(" %s(%d)", cld_name(chld_codes[i]), (int)chld_status[i]);
	printf("\n");
	if (nocldstop)
		CHECK(chld_n == 1 && chld_codes[0] == CLD_EXITED && chld_status[0] == 5, "%s codes", name);
	else
		CHECK(chld_n == 3 && chld_codes[0] == CLD_STOPPED && chld_status[0] == SIGSTOP &&
			      chld_codes[1] == CLD_CONTINUED && chld_status[1] == SIGCONT && chld_codes[2] == CLD_EXITED &&
			      chld_status[2] == 5,
		      "%s codes", name);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGCHLD, SIG_DFL);
}

/* waitid with WSTOPPED / WCONTINUED / WNOWAIT / WEXITED. */
static void case_waitid(void)
{
	int fds[2];
	siginfo_t si;
	pid_t c = spawn_waiter(3, fds, 0);
	kill(c, SIGSTOP);
	for (int i = 0; i < 2; i++) {
		memset(&si, 0, sizeof(si));
		CHECK(waitid(P_PID, (id_t)c, &si, WSTOPPED | WNOWAIT) == 0, "waitid WNOWAIT");
		CHECK(si.si_pid == c && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP, "WNOWAIT report %d", i);
	}
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, (id_t)c, &si, WSTOPPED) == 0, "waitid WSTOPPED");
	printf("waitid: si_signo %d si_code %s si_status %d pid ok %d\n", si.si_signo, cld_name(si.si_code),
	       si.si_status, si.si_pid == c);
	CHECK(si.si_signo == SIGCHLD && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP, "stop report");
	memset(&si, 0xff, sizeof(si));
	CHECK(waitid(P_PID, (id_t)c, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == 0, "stop reported twice");
	kill(c, SIGCONT);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WCONTINUED) == 0, "waitid WCONTINUED");
	printf("waitid: si_code %s si_status %d\n", cld_name(si.si_code), si.si_status);
	CHECK(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT && si.si_pid == c, "continue report");
	release(fds);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, (id_t)c, &si, WEXITED) == 0, "waitid WEXITED");
	printf("waitid: si_code %s si_status %d\n", cld_name(si.si_code), si.si_status);
	CHECK(si.si_code == CLD_EXITED && si.si_status == 3, "exit report");
}

/* A stop during nanosleep: the sleep goes on to its end after SIGCONT
 * (returns 0); a stop during sigtimedwait: it goes on to its timeout
 * (EAGAIN; signal(7) says EINTR, Linux 6.x waits on). */
static void case_sleep(void)
{
	int sync[2], st;
	for (int which = 0; which < 2; which++) {
		if (pipe(sync) != 0)
			exit(2);
		pid_t c = fork();
		if (c == 0) {
			close(sync[0]);
			sigset_t set;
			sigemptyset(&set);
			sigaddset(&set, SIGUSR1);
			sigprocmask(SIG_BLOCK, &set, NULL);
			if (write(sync[1], "s", 1) != 1)
				_exit(2);
			if (which == 0) {
				struct timespec ts = { 0, 300000000 }; /* 300 ms */
				int r = nanosleep(&ts, NULL);
				_exit(r == 0 ? 10 : 11);
			}
			struct timespec to = { 1, 0 };
			int r = sigtimedwait(&set, NULL, &to);
			_exit(r < 0 && errno == EINTR ? 20 : r < 0 && errno == EAGAIN ? 21 : 22);
		}
		char b;
		close(sync[1]);
		CHECK(read(sync[0], &b, 1) == 1, "sync");
		close(sync[0]);
		struct timespec ts = { 0, 50000000 }; /* let it go to sleep */
		nanosleep(&ts, NULL);
		kill(c, SIGSTOP);
		CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st), "sleep stop");
		kill(c, SIGCONT);
		CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st), "sleep exit");
		printf("sleep: stopped in %s: child exit %d\n", which ? "sigtimedwait" : "nanosleep", WEXITSTATUS(st));
		CHECK(WEXITSTATUS(st) == (which ? 21 : 10), "sleep result");
	}
}

static volatile sig_atomic_t cont_handled;

static void on_cont(int sig)
{
	(void)sig;
	cont_handled++;
}

/* SIGCONT resumes even when handled (the handler runs after) or blocked
 * (it stays pending). */
static void case_sigcont(void)
{
	int st;
	for (int blocked = 0; blocked < 2; blocked++) {
		pid_t c = fork();
		if (c == 0) {
			struct sigaction sa;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_cont;
			sigaction(SIGCONT, &sa, NULL);
			sigset_t set, pend;
			sigemptyset(&set);
			sigaddset(&set, SIGCONT);
			if (blocked)
				sigprocmask(SIG_BLOCK, &set, NULL);
			raise(SIGSTOP);
			sigpending(&pend);
			if (blocked)
				_exit(sigismember(&pend, SIGCONT) && !cont_handled ? 31 : 32);
			_exit(cont_handled == 1 ? 30 : 33);
		}
		CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "self stop");
		kill(c, SIGCONT);
		CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st), "sigcont exit");
		printf("sigcont: %s SIGCONT: child exit %d\n", blocked ? "blocked" : "handled", WEXITSTATUS(st));
		CHECK(WEXITSTATUS(st) == (blocked ? 31 : 30), "sigcont result");
	}
}

static int pending(int sig)
{
	sigset_t p;
	sigpending(&p);
	return sigismember(&p, sig);
}

/* A stop signal discards a pending SIGCONT, SIGCONT pending stop signals. */
static void case_flush(void)
{
	sigset_t set;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCONT);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGCONT);
	int a = pending(SIGCONT);
	raise(SIGTSTP);
	int b = pending(SIGCONT), c = pending(SIGTSTP);
	raise(SIGCONT);
	int d = pending(SIGTSTP), e = pending(SIGCONT);
	printf("flush: CONT pending %d; after TSTP: CONT %d TSTP %d; after CONT: TSTP %d CONT %d\n", a, b, c, d, e);
	CHECK(a == 1 && b == 0 && c == 1 && d == 0 && e == 1, "flush");
	signal(SIGCONT, SIG_IGN); /* discards the pending one */
	CHECK(!pending(SIGCONT), "SIG_IGN discards");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGCONT, SIG_DFL);
}

/* SIGTSTP in an orphaned process group (a new session) is discarded;
 * SIGTSTP in a group of its own with the parent outside still stops. */
static void case_orphan(void)
{
	int fds[2], st;
	pid_t c = spawn_waiter(7, fds, 2);
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL); /* let it setsid() */
	kill(c, SIGTSTP);
	release(fds);
	CHECK(waitpid(c, &st, WUNTRACED) == c, "orphan wait");
	printf("orphan: SIGTSTP in an orphaned group: %s %d\n", WIFEXITED(st) ? "exited" : "stopped",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WSTOPSIG(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "orphaned SIGTSTP");
	c = spawn_waiter(8, fds, 1);
	nanosleep(&ts, NULL);
	kill(c, SIGTSTP);
	CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st), "own group stop");
	printf("orphan: SIGTSTP in its own group (parent outside it): stopped %d\n", WSTOPSIG(st));
	kill(c, SIGCONT);
	release(fds);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 8, "own group exit");
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "all";
	int all = !strcmp(c, "all");
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(c, "selfstop")) {
		printf("selfstop: stopping myself\n");
		raise(SIGSTOP);
		printf("selfstop: continued\n");
		return 0;
	}
	if (all || !strcmp(c, "wait"))
		case_wait();
	if (all || !strcmp(c, "sigchld"))
		case_sigchld(0);
	if (all || !strcmp(c, "nocldstop"))
		case_sigchld(1);
	if (all || !strcmp(c, "waitid"))
		case_waitid();
	if (all || !strcmp(c, "sleep"))
		case_sleep();
	if (all || !strcmp(c, "sigcont"))
		case_sigcont();
	if (all || !strcmp(c, "flush"))
		case_flush();
	if (all || !strcmp(c, "orphan"))
		case_orphan();
	printf("jobctl %s: ok\n", c);
	return 0;
}
