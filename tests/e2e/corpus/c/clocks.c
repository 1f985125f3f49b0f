/* nanosleep and clock_gettime: monotonic never goes back; sleeps last at least as asked. */
#include <stdio.h>
#include <time.h>
#include <errno.h>
static long long ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}
int main(void)
{
	long long prev = ns(CLOCK_MONOTONIC), back = 0;
	for (int i = 0; i < 10000; i++) {
		long long now = ns(CLOCK_MONOTONIC);
		back += now < prev;
		prev = now;
	}
	printf("monotonic went back %lld times\n", back);
	long long t0 = ns(CLOCK_MONOTONIC);
	struct timespec req = { 0, 20000000 };
	int r = nanosleep(&req, NULL);
	long long dt = ns(CLOCK_MONOTONIC) - t0;
	printf("nanosleep %d, slept >= 20ms: %d, < 2s: %d\n", r, dt >= 20000000, dt < 2000000000);
	t0 = ns(CLOCK_BOOTTIME);
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 5000000;
	if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	printf("clock_nanosleep abs %d, boottime advanced %d\n", r, ns(CLOCK_BOOTTIME) > t0);
	struct timespec res;
	clock_getres(CLOCK_MONOTONIC, &res);
	printf("resolution <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
	struct timespec bad = { 0, 2000000000 };
	errno = 0;
	r = nanosleep(&bad, NULL);
	printf("nanosleep bad: %d errno EINVAL %d\n", r, errno == EINVAL);
	long long c0 = ns(CLOCK_PROCESS_CPUTIME_ID);
	volatile unsigned long s = 0;
	for (unsigned long i = 0; i < 3000000; i++) s += i;
	printf("cputime advanced %d\n", ns(CLOCK_PROCESS_CPUTIME_ID) > c0);
	return 0;
}
