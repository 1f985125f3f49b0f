/* fifo MODE DIR - named pipes, run natively and under mmsim (tests/sys/fifo.sh).
 * DIR is a fresh directory path the program creates and removes.
 *   basic   mkfifo, a forked writer and this reader, both opening blocking
 *           (whichever opens first waits for the other), 200000 bytes
 *           through; stat/fstat/lstat, readdir's d_type, /proc/self/fd
 *   rules   the open rules: O_RDONLY|O_NONBLOCK at once, read 0 and no
 *           POLLHUP before a writer came; O_WRONLY|O_NONBLOCK ENXIO without
 *           a reader; O_RDWR never blocks; unlink while open; lseek ESPIPE
 *   errno   mknod/mkfifo errors and the other node types (regular, socket)
 *   eintr   a blocking open interrupted by SIGALRM (no SA_RESTART): EINTR,
 *           and the interrupted reader no longer counts (ENXIO after);
 *           with SA_RESTART it goes on waiting for a late writer
 *   dev     mknod of devices (mmsim: EPERM, no CAP_MKNOD; 0:0 allowed)
 *   erofs   mkfifo below the read-only root (mmsim: EROFS)
 *   hang    open O_RDONLY with no writer ever (blocks forever)
 *   hang2   a child and its parent each open a different FIFO for reading
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[512];

static void path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static const char *err(int rc)
{
	static char b[64];
	if (rc >= 0)
		return "ok";
	snprintf(b, sizeof b, "%s", strerror(errno));
	return b;
}

static const char *type_of(mode_t m)
{
	return S_ISFIFO(m) ? "fifo" : S_ISREG(m) ? "regular" : S_ISSOCK(m) ? "socket" : S_ISCHR(m) ? "chardev"
	       : S_ISDIR(m) ? "directory" : "other";
}

static void cleanup(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[1024];
	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			path(p, sizeof p, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int basic(void)
{
	char f[1024], link[64], target[1024];
	struct stat st, fst;
	path(f, sizeof f, "fifo");
	printf("mkfifo: %s\n", err(mkfifo(f, 0666)));
	if (stat(f, &st))
		return 1;
	printf("stat: %s mode %o size %lld nlink %lu\n", type_of(st.st_mode), (unsigned)(st.st_mode & 07777),
	       (long long)st.st_size, (unsigned long)st.st_nlink);
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (!strcmp(e->d_name, "fifo"))
			printf("readdir: d_type %s\n", e->d_type == DT_FIFO ? "DT_FIFO" : "other");
	closedir(d);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int w = open(f, O_WRONLY);
		if (w < 0)
			_exit(10);
		static char buf[200000];
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (char)('a' + i % 26);
		size_t done = 0;
		while (done < sizeof buf) {
			ssize_t n = write(w, buf + done, sizeof buf - done);
			if (n <= 0)
				_exit(11);
			done += (size_t)n;
		}
		close(w);
		_exit(0);
	}
	int r = open(f, O_RDONLY);
	if (r < 0) {
		printf("open O_RDONLY: %s\n", err(r));
		return 1;
	}
	fstat(r, &fst);
	printf("fstat: %s, same inode as stat: %s\n", type_of(fst.st_mode),
	       fst.st_ino == st.st_ino && fst.st_dev == st.st_dev ? "yes" : "no");
	snprintf(link, sizeof link, "/proc/self/fd/%d", r);
	ssize_t n = readlink(link, target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	printf("/proc/self/fd link is the path: %s\n", !strcmp(target, f) ? "yes" : target);
	printf("F_GETFL access mode O_RDONLY: %s\n", (fcntl(r, F_GETFL) & O_ACCMODE) == O_RDONLY ? "yes" : "no");
	char buf[4096];
	unsigned long total = 0, sum = 0;
	while ((n = read(r, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + (unsigned char)buf[i];
		total += (unsigned long)n;
	}
	printf("read %lu bytes, checksum %lx, then %s\n", total, sum, n == 0 ? "EOF" : err((int)n));
	int status;
	waitpid(pid, &status, 0);
	printf("writer exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	close(r);
	printf("unlink: %s\n", err(unlink(f)));
	return 0;
}

static int rules(void)
{
	char f[1024], buf[64];
	ssize_t n;
	path(f, sizeof f, "fifo");
	mkfifo(f, 0600);
	int w = open(f, O_WRONLY | O_NONBLOCK);
	printf("O_WRONLY|O_NONBLOCK, no reader: %s\n", err(w));
	int r = open(f, O_RDONLY | O_NONBLOCK);
	printf("O_RDONLY|O_NONBLOCK, no writer: %s\n", err(r));
	printf("read with no writer: %zd\n", read(r, buf, sizeof buf));
	struct pollfd pf = { r, POLLIN, 0 };
	n = poll(&pf, 1, 0);
	printf("poll before any writer: %zd revents %#x\n", n, pf.revents);
	w = open(f, O_WRONLY | O_NONBLOCK);
	printf("O_WRONLY|O_NONBLOCK, a reader: %s\n", err(w));
	printf("write: %zd\n", write(w, "hello", 5));
	pf.revents = 0;
	n = poll(&pf, 1, 0);
	printf("poll with data: %zd revents %#x\n", n, pf.revents);
	n = read(r, buf, sizeof buf);
	printf("read: %zd '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);
	printf("lseek: %s\n", err((int)lseek(w, 0, SEEK_SET)));
	void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, r, 0);
	printf("mmap the read end: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, w, 0);
	printf("mmap the write end: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
	printf("F_GETFL O_WRONLY|O_NONBLOCK: %s\n",
	       (fcntl(w, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == (O_WRONLY | O_NONBLOCK) ? "yes" : "no");
	close(w);
	pf.revents = 0;
	n = poll(&pf, 1, 0);
	printf("poll after the writer closed: %zd revents %#x\n", n, pf.revents);
	printf("read after the writer closed: %zd\n", read(r, buf, sizeof buf));
	close(r);
	int rw = open(f, O_RDWR);
	printf("O_RDWR, nobody else: %s\n", err(rw));
	printf("unlink while open: %s\n", err(unlink(f)));
	struct stat st;
	fstat(rw, &st);
	printf("fstat after unlink: %s nlink %lu\n", type_of(st.st_mode), (unsigned long)st.st_nlink);
	printf("write to itself: %zd\n", write(rw, "self", 4));
	n = read(rw, buf, sizeof buf);
	printf("read from itself: %zd '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);
	pf = (struct pollfd){ rw, POLLIN | POLLOUT, 0 };
	n = poll(&pf, 1, 0);
	printf("poll O_RDWR: %zd revents %#x\n", n, pf.revents);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	printf("mmap the O_RDWR end: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
	close(rw);
	/* an O_RDWR end counts as a reader: a non-blocking writer opens */
	mkfifo(f, 0600);
	rw = open(f, O_RDWR);
	w = open(f, O_WRONLY | O_NONBLOCK);
	printf("O_WRONLY|O_NONBLOCK beside O_RDWR: %s\n", err(w));
	close(w);
	close(rw);
	/* the data go with the last close */
	rw = open(f, O_RDWR);
	write(rw, "lost", 4);
	close(rw);
	r = open(f, O_RDONLY | O_NONBLOCK);
	printf("after every end closed: read %zd\n", read(r, buf, sizeof buf));
	close(r);
	/* O_PATH names the FIFO without opening it (coreutils mkfifo -m) */
	int pfd = open(f, O_PATH | O_CLOEXEC);
	printf("O_PATH, no reader or writer: %s\n", err(pfd));
	struct stat pst;
	int src = fstatat(pfd, "", &pst, AT_EMPTY_PATH);
	printf("fstatat AT_EMPTY_PATH: %s %s\n", err(src), type_of(pst.st_mode));
	printf("read an O_PATH descriptor: %s\n", err((int)read(pfd, buf, 1)));
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", pfd);
	printf("chmod through /proc/self/fd: %s\n", err(chmod(link, 0604)));
	stat(f, &pst);
	printf("  mode %o\n", (unsigned)(pst.st_mode & 07777));
	r = open(link, O_RDONLY | O_NONBLOCK);
	printf("open O_RDONLY|O_NONBLOCK through it: %s\n", err(r));
	w = open(link, O_WRONLY | O_NONBLOCK);
	printf("and O_WRONLY|O_NONBLOCK: %s\n", err(w));
	close(w);
	close(r);
	close(pfd);
	unlink(f);
	return 0;
}

static void errno_line(const char *what, int rc)
{
	printf("%s: %s\n", what, err(rc));
}

static int errnos(void)
{
	char f[1024], g[1024], p[1024];
	struct stat st;
	path(f, sizeof f, "fifo");
	path(g, sizeof g, "file");
	umask(022);
	errno_line("mkfifo", mkfifo(f, 0777));
	stat(f, &st);
	printf("mode with umask 022: %o\n", (unsigned)(st.st_mode & 07777));
	errno_line("mkfifo again", mkfifo(f, 0600));
	errno_line("mknod S_IFIFO existing", mknod(f, S_IFIFO | 0600, 0));
	path(p, sizeof p, "none/fifo");
	errno_line("mkfifo in a missing directory", mkfifo(p, 0600));
	errno_line("mknod S_IFREG", mknod(g, S_IFREG | 0640, 0));
	stat(g, &st);
	printf("  %s mode %o size %lld\n", type_of(st.st_mode), (unsigned)(st.st_mode & 07777), (long long)st.st_size);
	path(p, sizeof p, "file/x");
	errno_line("mkfifo below a regular file", mkfifo(p, 0600));
	path(p, sizeof p, "zero");
	errno_line("mknod type 0", mknod(p, 0644, 0));
	stat(p, &st);
	printf("  %s mode %o\n", type_of(st.st_mode), (unsigned)(st.st_mode & 07777));
	path(p, sizeof p, "d");
	errno_line("mknod S_IFDIR", mknod(p, S_IFDIR | 0755, 0));
	errno_line("mknod bad type", mknod(p, 0170000 | 0644, 0));
	path(p, sizeof p, "missing/");
	errno_line("mkfifo with a trailing slash", mkfifo(p, 0600));
	errno_line("mkfifo .", mkfifo(dir, 0600));
	path(p, sizeof p, "sock");
	errno_line("mknod S_IFSOCK", mknod(p, S_IFSOCK | 0755, 0));
	lstat(p, &st);
	printf("  %s mode %o\n", type_of(st.st_mode), (unsigned)(st.st_mode & 07777));
	errno_line("open a socket file", open(p, O_RDONLY));
	errno_line("open O_DIRECTORY a fifo", open(f, O_RDONLY | O_DIRECTORY | O_NONBLOCK));
	errno_line("open O_CREAT|O_EXCL a fifo", open(f, O_RDWR | O_CREAT | O_EXCL, 0600));
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600);
	errno_line("open O_CREAT|O_TRUNC an existing fifo", fd);
	fstat(fd, &st);
	printf("  fstat: %s\n", type_of(st.st_mode));
	close(fd);
	errno_line("truncate a fifo", truncate(f, 0));
	errno_line("chmod a fifo", chmod(f, 0640));
	stat(f, &st);
	printf("  mode %o\n", (unsigned)(st.st_mode & 07777));
	errno_line("execve a fifo", execl(f, f, (char *)NULL));
	path(p, sizeof p, "moved");
	errno_line("rename a fifo", rename(f, p));
	errno_line("mkfifoat relative to the directory", mkfifoat(open(dir, O_RDONLY | O_DIRECTORY), "rel", 0600));
	path(p, sizeof p, "rel");
	stat(p, &st);
	printf("  %s\n", type_of(st.st_mode));
	return 0;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static int eintr(void)
{
	char f[1024];
	path(f, sizeof f, "fifo");
	mkfifo(f, 0600);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	int r = open(f, O_RDONLY);
	printf("blocking open, SIGALRM: %s\n", err(r));
	int w = open(f, O_WRONLY | O_NONBLOCK);
	printf("O_WRONLY|O_NONBLOCK after that: %s\n", err(w));
	alarm(1);
	w = open(f, O_WRONLY);
	printf("blocking O_WRONLY, SIGALRM: %s\n", err(w));
	int r2 = open(f, O_RDONLY | O_NONBLOCK);
	char c;
	printf("O_RDONLY|O_NONBLOCK then read: %s %zd\n", err(r2), read(r2, &c, 1));
	close(r2);
	/* SA_RESTART: the open goes on waiting after the handler, until a
	 * child opens the other end a second later */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	pid_t pid = fork();
	if (pid == 0) {
		sleep(2);
		int cw = open(f, O_WRONLY);
		_exit(cw < 0 || write(cw, "z", 1) != 1);
	}
	alarm(1);
	r = open(f, O_RDONLY);
	printf("blocking open, SIGALRM with SA_RESTART: %s after %d handler run(s)\n", err(r), (int)alarms);
	printf("read: %zd\n", read(r, &c, 1));
	int status;
	waitpid(pid, &status, 0);
	printf("writer exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	unlink(f);
	return 0;
}

static int devs(void)
{
	char p[1024];
	struct stat st;
	path(p, sizeof p, "null");
	errno_line("mknod S_IFCHR 1:3", mknod(p, S_IFCHR | 0666, makedev(1, 3)));
	errno_line("mknod S_IFBLK 7:0", mknod(p, S_IFBLK | 0660, makedev(7, 0)));
	path(p, sizeof p, "whiteout");
	errno_line("mknod S_IFCHR 0:0 (whiteout)", mknod(p, S_IFCHR | 0600, 0));
	stat(p, &st);
	printf("  %s %u:%u\n", type_of(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
	errno_line("open it", open(p, O_RDONLY));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	snprintf(dir, sizeof dir, "%s", argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "erofs")) {
		printf("mkfifo below the root: %s\n", err(mkfifo(argv[2], 0600)));
		printf("mknod S_IFREG below the root: %s\n", err(mknod(argv[2], S_IFREG | 0600, 0)));
		return 0;
	}
	if (mkdir(dir, 0755)) {
		perror(dir);
		return 1;
	}
	int rc = 2;
	char f[1024], g[1024];
	path(f, sizeof f, "fifo");
	path(g, sizeof g, "fifo2");
	if (!strcmp(argv[1], "basic"))
		rc = basic();
	else if (!strcmp(argv[1], "rules"))
		rc = rules();
	else if (!strcmp(argv[1], "errno"))
		rc = errnos();
	else if (!strcmp(argv[1], "eintr"))
		rc = eintr();
	else if (!strcmp(argv[1], "dev"))
		rc = devs();
	else if (!strcmp(argv[1], "hang")) {
		mkfifo(f, 0600);
		rc = open(f, O_RDONLY) < 0;
	} else if (!strcmp(argv[1], "hang2")) {
		mkfifo(f, 0600);
		mkfifo(g, 0600);
		if (fork() == 0)
			_exit(open(f, O_RDONLY) < 0);
		rc = open(g, O_RDONLY) < 0;
	}
	cleanup();
	return rc;
}
