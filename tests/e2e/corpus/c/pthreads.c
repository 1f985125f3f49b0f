/* LIBS: -pthread */
/* four threads add to a mutex-protected counter; join collects return values. */
#include <pthread.h>
#include <stdio.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static void *work(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	return (void *)(id * 10);
}
int main(void)
{
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, work, (void *)i)) { puts("create failed"); return 1; }
	long sum = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("counter %ld, joined sum %ld\n", counter, sum);
	return 0;
}
