/* chdir/getcwd/fchdir, relative paths, realpath, uname fields that do not vary, getpid relations. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
int main(void)
{
	char b[PATH_MAX];
	printf("start %s\n", getcwd(b, sizeof b));
	printf("chdir /usr/bin %d -> %s\n", chdir("/usr/bin"), getcwd(b, sizeof b));
	printf("chdir ../lib %d -> %s\n", chdir("../lib"), getcwd(b, sizeof b));
	int fd = open("/etc", O_RDONLY | O_DIRECTORY);
	printf("fchdir %d -> %s\n", fchdir(fd), getcwd(b, sizeof b));
	printf("relative access passwd %d\n", access("passwd", R_OK));
	errno = 0; { long r_ = (long)(chdir("/no/where")); printf("chdir missing %ld %s\n", r_, strerror(errno)); }
	errno = 0; { long r_ = (long)(chdir("/etc/passwd")); printf("chdir file %ld %s\n", r_, strerror(errno)); }
	errno = 0; { long r_ = (long)((void *)getcwd(b, 2)); printf("getcwd small %ld %s\n", r_, strerror(errno)); }
	char *rp = realpath("/usr/bin/../lib/./", NULL);
	printf("realpath %s\n", rp);
	struct utsname u;
	uname(&u);
	printf("sysname %s machine %s\n", u.sysname, u.machine);
	printf("ppid != pid %d, getpgrp == getpgid(0) %d\n", getppid() != getpid(), getpgrp() == getpgid(0));
	printf("uid==euid %d gid==egid %d\n", getuid() == geteuid(), getgid() == getegid());
	return 0;
}
