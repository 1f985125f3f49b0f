/* environment: inherited variables, setenv/putenv/unsetenv, environ walk (sorted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern char **environ;
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static void dump(const char *tag)
{
	int n = 0;
	while (environ[n]) n++;
	char **v = malloc((n + 1) * sizeof *v);
	memcpy(v, environ, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp);
	printf("%s (%d):\n", tag, n);
	for (int i = 0; i < n; i++) printf("  %s\n", v[i]);
	free(v);
}
int main(int argc, char **argv)
{
	printf("argc %d:", argc);
	for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
	printf("\n");
	dump("initial");
	setenv("ZED", "last", 1);
	setenv("HOME", "/nowhere", 0);
	setenv("AAA", "x=y=z", 1);
	putenv("PUT=1");
	unsetenv("PATH");
	printf("getenv HOME=%s PATH=%s AAA=%s\n", getenv("HOME"), getenv("PATH") ? getenv("PATH") : "(null)", getenv("AAA"));
	printf("setenv bad name: %d\n", setenv("A=B", "c", 1));
	dump("modified");
	clearenv();
	printf("after clearenv: %s\n", environ == NULL || environ[0] == NULL ? "empty" : "not empty");
	return 0;
}
