/* sigaction handlers, sigprocmask blocking, sigpending, raise/kill, SA_RESETHAND, ignored signals. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static volatile sig_atomic_t got[65];
static char order[64];
static volatile int pos;
static void h(int s)
{
	got[s]++;
	if (pos < 63) order[pos++] = s == SIGUSR1 ? '1' : s == SIGUSR2 ? '2' : s == SIGTERM ? 'T' : '?';
}
int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGTERM, &sa, NULL);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR2);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigset_t pend;
	sigpending(&pend);
	printf("pending USR1 %d USR2 %d, count so far %d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2), got[SIGUSR1]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("after unblock USR1 count %d\n", got[SIGUSR1]);
	raise(SIGTERM);
	struct sigaction cur;
	sigaction(SIGTERM, NULL, &cur);
	printf("SIGTERM handler reset to default: %d\n", cur.sa_handler == SIG_DFL);
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	order[pos] = 0;
	printf("order %s\n", order);
	printf("kill bad signal: %d\n", kill(getpid(), 999));
	printf("sigaction SIGKILL: %d\n", sigaction(SIGKILL, &sa, NULL));
	fflush(stdout);
	signal(SIGUSR1, SIG_DFL);
	raise(SIGUSR1);
	puts("not reached");
	return 0;
}
