/* setjmp/longjmp nesting, volatile locals, sigsetjmp restoring the signal mask. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
static jmp_buf outer, inner;
static int depth(int n)
{
	if (n == 0) longjmp(inner, 77);
	return depth(n - 1) + 1;
}
int main(void)
{
	volatile int count = 0;
	int r = setjmp(outer);
	count++;
	if (r < 3) {
		printf("setjmp returned %d\n", r);
		longjmp(outer, r + 1);
	}
	printf("outer done r=%d count=%d\n", r, count);
	if ((r = setjmp(inner)) == 0)
		depth(1000);
	printf("deep longjmp %d\n", r);
	r = setjmp(inner);
	if (!r) longjmp(inner, 0);
	printf("longjmp(0) gives %d\n", r);
	sigjmp_buf sj;
	sigset_t s, cur;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	if (!sigsetjmp(sj, 1)) {
		sigprocmask(SIG_BLOCK, &s, NULL);
		siglongjmp(sj, 1);
	}
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("mask restored: USR1 blocked %d\n", sigismember(&cur, SIGUSR1));
	if (!sigsetjmp(sj, 0)) {
		sigprocmask(SIG_BLOCK, &s, NULL);
		siglongjmp(sj, 1);
	}
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("mask kept: USR1 blocked %d\n", sigismember(&cur, SIGUSR1));
	return 0;
}
