/* showargs: print what exec handed this program - argv, AT_EXECFN,
 * /proc/self/exe and comm - one item a line, for comparing "#!" scripts
 * run natively and under mmsim (tests/sys/shebang.sh). */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char exe[4096], comm[64] = "";
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=<%s>\n", i, argv[i]);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("execfn=<%s>\n", execfn ? execfn : "(none)");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	printf("exe=<%s>\n", exe);
	FILE *f = fopen("/proc/self/comm", "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("comm=<%s>\n", comm);
	return 0;
}
