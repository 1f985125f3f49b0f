/* alarm and setitimer(ITIMER_REAL) on a periodic interval; pause/sigsuspend wake-ups. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
static volatile sig_atomic_t ticks;
static void on_alrm(int s) { (void)s; ticks++; }
int main(void)
{
	signal(SIGALRM, on_alrm);
	printf("alarm(5) returns %u\n", alarm(5));
	printf("alarm(0) returns %u\n", alarm(0));
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	while (ticks < 5)
		pause();
	struct itimerval zero = { { 0, 0 }, { 0, 0 } }, prev;
	setitimer(ITIMER_REAL, &zero, &prev);
	printf("ticks %d, interval was %ld us\n", (int)ticks, (long)prev.it_interval.tv_usec);
	sigset_t block, empty;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	ualarm(20000, 0);
	sigemptyset(&empty);
	sigsuspend(&empty);
	printf("sigsuspend woke, ticks %d\n", (int)ticks);
	getitimer(ITIMER_REAL, &prev);
	printf("timer disarmed %d\n", prev.it_value.tv_sec == 0 && prev.it_value.tv_usec == 0);
	return 0;
}
