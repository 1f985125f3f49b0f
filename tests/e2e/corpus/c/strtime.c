#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
/* time formatting of fixed instants with gmtime/strftime/mktime (TZ=UTC). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	time_t ts[] = { 0, 1234567890, 2147483647, 951782400, -86400 };
	char buf[128];
	for (unsigned i = 0; i < sizeof ts / sizeof ts[0]; i++) {
		struct tm tm;
		gmtime_r(&ts[i], &tm);
		strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %j %U %Z", &tm);
		printf("%lld -> %s wday %d\n", (long long)ts[i], buf, tm.tm_wday);
	}
	struct tm t = { .tm_year = 124, .tm_mon = 1, .tm_mday = 30, .tm_hour = 12 };
	time_t m = mktime(&t);
	printf("mktime normalises: %lld -> %04d-%02d-%02d yday %d\n", (long long)m, t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_yday);
	struct tm p = { 0 };
	char *r = strptime("2023-07-04 09:08:07", "%Y-%m-%d %H:%M:%S", &p);
	printf("strptime %s %d/%d/%d\n", r ? "ok" : "fail", p.tm_year + 1900, p.tm_mon + 1, p.tm_mday);
	printf("difftime %.1f\n", difftime(1000, 1));
	return 0;
}
