/* atexit handlers run in reverse order; stdio flushed after them; exit status from exit(). */
#include <stdio.h>
#include <stdlib.h>
static void a(void) { printf("handler a\n"); }
static void b(void) { printf("handler b\n"); }
static void c(void) { printf("handler c registers nothing, exits "); fflush(stdout); }
int main(int argc, char **argv)
{
	atexit(a);
	atexit(b);
	atexit(c);
	printf("main buffered output, no newline... ");
	if (argc > 1) _Exit(4);
	return 3;
}
