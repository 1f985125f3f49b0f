/* execve PATH [ARGV0 ARGS...]: execve(PATH, {ARGV0, ARGS..., NULL}) and,
 * if it returns, print "execve PATH: ERRNO-NAME" and exit 1 (no argv at
 * all when only PATH is given).  For comparing exec errors natively and
 * under mmsim (tests/sys/shebang.sh). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct {
	int e;
	const char *name;
} names[] = {
	{ ENOENT, "ENOENT" }, { EACCES, "EACCES" }, { ENOEXEC, "ENOEXEC" }, { ELOOP, "ELOOP" },
	{ E2BIG, "E2BIG" },   { ENOTDIR, "ENOTDIR" }, { ELIBBAD, "ELIBBAD" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ EISDIR, "EISDIR" }, { ENOMEM, "ENOMEM" },
};

int main(int argc, char **argv, char **envp)
{
	if (argc < 2) {
		fprintf(stderr, "usage: execve PATH [ARGV0 ARGS...]\n");
		return 2;
	}
	execve(argv[1], argv + 2, envp);
	int e = errno;
	const char *name = "?";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			name = names[i].name;
	printf("execve %s: %s\n", argv[1], name);
	return 1;
}
