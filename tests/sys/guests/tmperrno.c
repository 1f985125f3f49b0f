/* tmperrno DIR - bad file operations in the writable directory DIR (the
 * guest's /tmp), each printed with the errno it gives; the output is
 * compared with a native run (Linux's VFS decides these errno values the
 * same on any writable file system). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *D;

static const char *p(const char *name)
{
	static char buf[8][512];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", D, name);
	return buf[k];
}

#define T(what, call)                                                                      \
	do {                                                                               \
		errno = 0;                                                                 \
		long r_ = (long)(call);                                                    \
		printf("%-40s %s\n", what, r_ < 0 ? strerror(errno) : "ok");              \
	} while (0)

int main(int argc, char **argv)
{
	D = argc > 1 ? argv[1] : "/tmp/tmperrno";
	char big[300];
	memset(big, 'n', sizeof big - 1);
	big[sizeof big - 1] = 0;
	T("mkdir D", mkdir(D, 0755));
	T("mkdir D again", mkdir(D, 0755));
	T("creat file", creat(p("file"), 0644));
	T("open O_CREAT|O_EXCL existing", open(p("file"), O_CREAT | O_EXCL | O_WRONLY, 0644));
	T("open missing", open(p("missing"), O_RDONLY));
	T("open file/ ", open(p("file/"), O_RDONLY));
	T("open O_CREAT new/", open(p("new/"), O_CREAT | O_WRONLY, 0644));
	T("open O_CREAT in missing dir", open(p("nodir/x"), O_CREAT | O_WRONLY, 0644));
	T("open O_CREAT under a file", open(p("file/x"), O_CREAT | O_WRONLY, 0644));
	T("open long name", open(p(big), O_CREAT | O_WRONLY, 0644));
	T("mkdir sub", mkdir(p("sub"), 0755));
	T("open dir O_WRONLY", open(p("sub"), O_WRONLY));
	T("open O_DIRECTORY on file", open(p("file"), O_RDONLY | O_DIRECTORY));
	T("creat dir", creat(p("sub"), 0644));
	T("mkdir over file", mkdir(p("file"), 0755));
	T("unlink dir", unlink(p("sub")));
	T("unlink missing", unlink(p("missing")));
	T("unlink file/", unlink(p("file/")));
	T("rmdir file", rmdir(p("file")));
	T("creat sub/inner", creat(p("sub/inner"), 0644));
	T("rmdir non-empty", rmdir(p("sub")));
	T("rmdir sub/.", rmdir(p("sub/.")));
	T("rmdir missing", rmdir(p("missing")));
	T("rename missing", rename(p("missing"), p("x")));
	T("rename dir into itself", rename(p("sub"), p("sub/deeper")));
	T("rename file over dir", rename(p("file"), p("sub")));
	T("mkdir empty", mkdir(p("empty"), 0755));
	T("rename dir over file", rename(p("empty"), p("file")));
	T("rename dir over non-empty dir", rename(p("empty"), p("sub")));
	T("rename dir over empty dir", rename(p("sub"), p("empty")));
	T("rename file to itself", rename(p("file"), p("file")));
	T("rename file/ to x", rename(p("file/"), p("x")));
	T("link dir", link(p("empty"), p("dirlink")));
	T("link missing", link(p("missing"), p("l2")));
	T("link file", link(p("file"), p("hard")));
	T("link over existing", link(p("file"), p("hard")));
	T("symlink", symlink("file", p("sym")));
	T("symlink over existing", symlink("file", p("sym")));
	T("open O_NOFOLLOW symlink", open(p("sym"), O_RDONLY | O_NOFOLLOW));
	T("symlink dangling", symlink("nowhere", p("dang")));
	T("open O_CREAT via dangling symlink", open(p("dang"), O_CREAT | O_WRONLY, 0600));
	T("open O_CREAT|O_EXCL dangling symlink", open(p("dang2"), O_CREAT | O_EXCL | O_WRONLY, 0600));
	T("symlink dang2", symlink("nowhere2", p("dang2")));
	T("open O_CREAT|O_EXCL on symlink", open(p("dang2"), O_CREAT | O_EXCL | O_WRONLY, 0600));
	T("unlink nowhere (made through dang)", unlink(p("nowhere")));
	int ro = open(p("file"), O_RDONLY);
	int wo = open(p("file"), O_WRONLY);
	char c = 'x';
	T("write O_RDONLY", write(ro, &c, 1));
	T("read O_WRONLY", read(wo, &c, 1));
	T("ftruncate O_RDONLY", ftruncate(ro, 10));
	T("ftruncate negative", ftruncate(wo, -1));
	T("ftruncate 10", ftruncate(wo, 10));
	T("truncate dir", truncate(p("empty"), 0));
	T("truncate missing", truncate(p("missing"), 0));
	T("lseek SEEK_DATA past end", lseek(ro, 100, SEEK_DATA));
	T("lseek SEEK_HOLE 0", lseek(ro, 0, SEEK_HOLE));
	T("pwrite negative offset", pwrite(wo, &c, 1, -1));
	T("chmod missing", chmod(p("missing"), 0600));
	T("chmod file", chmod(p("file"), 0600));
	struct stat st;
	stat(p("file"), &st);
	printf("file: mode %o size %lld nlink %lu\n", st.st_mode, (long long)st.st_size, (unsigned long)st.st_nlink);
	lstat(p("sym"), &st);
	printf("sym: mode %o size %lld\n", st.st_mode, (long long)st.st_size);
	close(ro);
	close(wo);
	T("rename across file systems (/dev/shm)", rename(p("file"), "/dev/shm/tmperrno-x"));
	T("rmdir D/.. ", rmdir(p("..")));
	/* clean up */
	T("unlink file", unlink(p("file")));
	T("unlink hard", unlink(p("hard")));
	T("unlink sym", unlink(p("sym")));
	T("unlink dang", unlink(p("dang")));
	T("unlink dang2", unlink(p("dang2")));
	T("unlink empty/inner", unlink(p("empty/inner")));
	T("rmdir empty", rmdir(p("empty")));
	T("rmdir D", rmdir(D));
	return 0;
}
