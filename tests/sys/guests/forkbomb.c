/* forkbomb: forks until fork fails; the process limit must make it fail
 * with EAGAIN.  Children sleep; they are killed when pid 1 exits. */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int n = 0;
	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			for (;;) {
				struct timespec ts = { 1000, 0 };
				nanosleep(&ts, NULL);
			}
		}
		if (p < 0) {
			printf("forkbomb: %d children, then fork failed: %s\n", n, errno == EAGAIN ? "EAGAIN" : "other");
			return errno == EAGAIN ? 0 : 1;
		}
		n++;
	}
}
