/* tools/policy_plugin.c - run a replacement-policy plug-in (mmsim_policy.h)
 * in a sandboxed child process.
 *
 * The parent keeps the authoritative frame table (policy_frames.c): it
 * decides hits and fills of empty frames itself, checks every victim, and
 * records the result.  The child only answers "which frame?", so a
 * plug-in can lie about nothing but its own choices.
 *
 * Child: a fork of this process (it already holds the reference string),
 * with stdin/stdout/stderr on /dev/null and only the two pipe ends open,
 * no core dumps, RLIMIT_CPU, RLIMIT_AS (its size at fork plus the limit),
 * RLIMIT_FSIZE 0.  A seccomp filter (libseccomp) then allows only memory
 * management, reads and writes of inherited descriptors, read-only opens
 * (for dlopen), time and exit; after dlopen a second filter forbids opens
 * too.  A SIGSEGV/SIGBUS/SIGFPE/SIGILL handler on its own stack reports
 * the signal (and whether the address space was at its limit) before the
 * child exits.
 *
 * Protocol: fixed-size messages.  Parent -> child: struct pmsg (ACCESS,
 * VICTIM, END); the parent batches ACCESS messages and flushes before it
 * waits for a reply.  Child -> parent: struct preply (READY, VICTIM with a
 * frame, FAIL with a text).  Every wait is bounded by the wall-clock
 * deadline, after which the child is killed (SIGKILL).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tools/mmsim_policy.h"
#include "tools/policy_frames.h"

enum { PM_ACCESS = 1, PM_VICTIM, PM_END };
enum { PR_READY = 1, PR_VICTIM, PR_FAIL };
#define PR_MAGIC 0x6d6d7370u   /* "mmsp" */

struct pmsg {
	uint32_t type, set;
	uint64_t i;
	uint32_t frame, hit;
};

struct preply {
	uint32_t magic, type;
	uint32_t frame, pad;
	char text[112];
};

/* Where the child is, in a page shared with the parent, so a failure is
 * reported at the call that failed (the parent batches its messages and
 * learns of a death only when it next waits). */
enum { AT_LOAD, AT_INIT, AT_ACCESS, AT_VICTIM, AT_FINI, AT_IDLE };
struct pprogress {
	volatile uint64_t i;
	volatile uint32_t fn;
};

/* ---- the child ---- */

/* Leave at once: exit_group itself, not _exit, which a sanitizer runtime
 * intercepts to run its leak check (system calls the filter forbids). */
static _Noreturn void child_exit(int code)
{
	for (;;)
		syscall(SYS_exit_group, code);
}

static int child_reply_fd = -1, child_statm_fd = -1;
static size_t child_as_limit;

/* Crash handler: report the signal, and whether the address space is at
 * its limit (so a failed allocation is named as one), then exit. */
static void child_crash(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	struct preply r = {PR_MAGIC, PR_FAIL, 0, 0, {0}};
	char buf[128];
	long pages = 0;
	if (child_statm_fd >= 0) {
		ssize_t n = pread(child_statm_fd, buf, sizeof buf - 1, 0);
		for (ssize_t k = 0; k < n && buf[k] >= '0' && buf[k] <= '9'; k++)
			pages = pages * 10 + (buf[k] - '0');
	}
	size_t vm = (size_t)pages * 4096;
	const char *name = sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGFPE ? "SIGFPE" : "SIGILL";
	if (child_as_limit && vm + (64u << 20) >= child_as_limit)
		snprintf(r.text, sizeof r.text, "exceeded its memory limit (crashed with %s after allocations failed)",
			 name);
	else
		snprintf(r.text, sizeof r.text, "crashed (%s, address %p)", name, si->si_addr);
	if (write(child_reply_fd, &r, sizeof r) < 0)
		child_exit(71);
	child_exit(70);
}

static void child_fail(int fd, const char *fmt, const char *s)
{
	struct preply r = {PR_MAGIC, PR_FAIL, 0, 0, {0}};
	snprintf(r.text, sizeof r.text, fmt, s ? s : "");
	if (write(fd, &r, sizeof r) < 0)
		child_exit(71);
	child_exit(72);
}

/* The allow-list filter (before dlopen: read-only opens allowed).
 * Returns 0 or -1. */
static int child_seccomp_base(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return -1;
	static const int allow[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
		SCMP_SYS(lseek), SCMP_SYS(pread64), SCMP_SYS(mmap), SCMP_SYS(mprotect), SCMP_SYS(munmap),
		SCMP_SYS(brk), SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(futex), SCMP_SYS(rt_sigprocmask),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(getpid), SCMP_SYS(gettid),
		SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(getrandom), SCMP_SYS(nanosleep),
		SCMP_SYS(clock_nanosleep), SCMP_SYS(sched_yield), SCMP_SYS(statx),
		SCMP_SYS(sigaltstack), SCMP_SYS(seccomp),  /* more filters only restrict: the second one needs it */
	};
	int rc = 0;
	for (size_t k = 0; k < sizeof allow / sizeof allow[0]; k++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allow[k], 0);
	/* raise()/abort() signal the process itself only */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	/* stdio asks whether stdout is a terminal */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, TCGETS));
	scmp_datum_t wr = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, wr, 0));
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc ? -1 : 0;
}

/* The second filter, after dlopen: no more opens. */
static int child_seccomp_noopen(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -1;
	/* no_new_privs is already set (and prctl is not allowed) */
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	rc |= seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(openat), 0);
	rc |= seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(open), 0);
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc ? -1 : 0;
}

/* The child's life: sandbox, load, serve; never returns. */
static _Noreturn void child_main(const char *so, const struct policy_refs *refs, unsigned nsets, unsigned ways,
				 uint64_t seed, const struct plugin_limits *lim, int in, int out, size_t vmsize,
				 struct pprogress *at)
{
	/* descriptors: 0-2 /dev/null, 3 requests, 4 replies, 5 /proc/self/statm */
	int null = open("/dev/null", O_RDWR);
	int statm = open("/proc/self/statm", O_RDONLY);
	if (null < 0 || dup2(in, 3) < 0 || dup2(out, 4) < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0 || (statm >= 0 && dup2(statm, 5) < 0))
		child_exit(73);
	close_range(statm >= 0 ? 6 : 5, ~0u, 0);
	in = 3;
	out = 4;
	child_reply_fd = out;
	child_statm_fd = statm >= 0 ? 5 : -1;

	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
	setrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = (rlim_t)ceil(lim->cpu_seconds);
	rl.rlim_max = rl.rlim_cur + 1;
	setrlimit(RLIMIT_CPU, &rl);
	child_as_limit = vmsize + lim->mem_bytes;
	rl.rlim_cur = rl.rlim_max = child_as_limit;
	setrlimit(RLIMIT_AS, &rl);

	static char altstack[64 * 1024];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = child_crash;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
	for (size_t k = 0; k < 4; k++)
		sigaction(sigs[k], &sa, NULL);
	signal(SIGPIPE, SIG_DFL);

	if (child_seccomp_base())
		child_fail(out, "cannot install the seccomp filter%s", NULL);
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		child_fail(out, "cannot load: %s", dlerror());
	const struct mmsim_policy *p = dlsym(h, "mmsim_policy");
	if (!p)
		child_fail(out, "no symbol 'mmsim_policy' (see docs/plugins.md)%s", NULL);
	if (child_seccomp_noopen())
		child_fail(out, "cannot install the seccomp filter%s", NULL);
	if (p->abi != MMSIM_POLICY_ABI)
		child_fail(out, "mmsim_policy.abi is not MMSIM_POLICY_ABI (1)%s", NULL);
	if (!p->init || !p->access || !p->victim)
		child_fail(out, "mmsim_policy lacks init, access or victim%s", NULL);
	char *kinds = malloc(refs->n ? refs->n : 1);
	uint64_t *frames = malloc((size_t)nsets * ways * sizeof *frames);
	if (!kinds || !frames)
		child_fail(out, "out of memory before init%s", NULL);
	for (size_t i = 0; i < refs->n; i++)
		kinds[i] = refs->kind ? refs->kind[i] : 'R';
	for (size_t f = 0; f < (size_t)nsets * ways; f++)
		frames[f] = UINT64_MAX;
	struct mmsim_policy_info info = {ways, nsets, refs->n, refs->page, kinds, seed};
	at->fn = AT_INIT;
	void *st = p->init(&info);
	if (!st) {
		at->fn = AT_LOAD;
		child_fail(out, "init() returned NULL%s", NULL);
	}
	struct preply r = {PR_MAGIC, PR_READY, 0, 0, {0}};
	snprintf(r.text, sizeof r.text, "%s", p->name ? p->name : "plug-in");
	if (write(out, &r, sizeof r) != sizeof r)
		child_exit(74);
	/* a pipe read may end inside a message: keep the bytes of a partial one */
	static struct pmsg buf[256];
	size_t bytes = 0, next = 0;
	for (;;) {
		at->fn = AT_IDLE;
		if (next == bytes / sizeof buf[0]) {
			size_t part = bytes % sizeof buf[0];
			memmove(buf, (char *)buf + bytes - part, part);
			bytes = part;
			next = 0;
			while (bytes < sizeof buf[0]) {
				ssize_t n = read(in, (char *)buf + bytes, sizeof buf - bytes);
				if (n <= 0)
					child_exit(75);
				bytes += (size_t)n;
			}
		}
		struct pmsg m = buf[next++];
		at->i = m.i;
		if (m.type == PM_END) {
			at->fn = AT_FINI;
			if (p->fini)
				p->fini(st);
			child_exit(0);
		}
		if (m.set >= nsets || m.i >= refs->n)
			child_exit(76);
		uint64_t *set = frames + (size_t)m.set * ways;
		if (m.type == PM_VICTIM) {
			struct preply v = {PR_MAGIC, PR_VICTIM, 0, 0, {0}};
			at->fn = AT_VICTIM;
			v.frame = p->victim(st, m.i, m.set, set);
			if (write(out, &v, sizeof v) != sizeof v)
				child_exit(77);
		} else if (m.frame < ways) {
			set[m.frame] = refs->page[m.i];
			at->fn = AT_ACCESS;
			p->access(st, m.i, m.set, m.frame, (int)m.hit);
		}
	}
}

/* ---- the parent ---- */

struct prun {
	pid_t pid;
	int to, from;              /* pipe ends */
	struct timespec deadline;
	struct pmsg out[256];
	size_t nout;
	const struct plugin_limits *lim;
	char *err;
	size_t errlen;
	bool killed;               /* we sent SIGKILL at the deadline */
	struct pprogress *at;      /* shared with the child */
	bool verdict;              /* the parent rejected a reply: report its AT */
};

/* Milliseconds to the deadline (0 when past it). */
static int ms_left(const struct prun *r)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(r->deadline.tv_sec - now.tv_sec) * 1e3 + (double)(r->deadline.tv_nsec - now.tv_nsec) / 1e6;
	return ms <= 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Wait for the child to end (SIGKILL at the deadline) and describe how
 * it ended into r->err.  AT: the reference being served (SIZE_MAX: at
 * load).  Always returns -1. */
static int child_failed(struct prun *r, size_t at, const char *why)
{
	int status = 0;
	for (;;) {
		pid_t w = waitpid(r->pid, &status, WNOHANG);
		if (w == r->pid)
			break;
		if (w < 0) {
			status = 0;
			break;
		}
		if (!ms_left(r) || why) {
			kill(r->pid, SIGKILL);
			if (!why)
				r->killed = true;
			waitpid(r->pid, &status, 0);
			break;
		}
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
	}
	r->pid = -1;
	static const char *const fn[] = {"while loading", "in init()", "in access()", "in victim()", "in fini()"};
	char where[64] = " while loading";
	unsigned f = r->verdict ? AT_IDLE : r->at->fn;
	if (f <= AT_INIT)
		snprintf(where, sizeof where, " %s", fn[f]);
	else if (f < AT_IDLE && r->at->i < SIZE_MAX)
		snprintf(where, sizeof where, " %s at reference %llu", fn[f], (unsigned long long)r->at->i + 1);
	else if (at != SIZE_MAX)
		snprintf(where, sizeof where, " at reference %zu", at + 1);
	if (why)
		snprintf(r->err, r->errlen, "%s%s", why, where);
	else if (r->killed)
		snprintf(r->err, r->errlen, "exceeded its wall-clock limit (%.3g s)%s and was killed",
			 r->lim->wall_seconds, where);
	else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
		snprintf(r->err, r->errlen, "exceeded its CPU-time limit (%.3g s)%s", r->lim->cpu_seconds, where);
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(r->err, r->errlen, "made a forbidden system call (files, network and processes are not "
			 "available to a plug-in)%s", where);
	else if (WIFSIGNALED(status))
		snprintf(r->err, r->errlen, "killed by signal %d (%s)%s", WTERMSIG(status), strsignal(WTERMSIG(status)),
			 where);
	else
		snprintf(r->err, r->errlen, "exited with status %d%s (protocol error: it must return from every call)",
			 WEXITSTATUS(status), where);
	return -1;
}

/* Send the queued messages.  Returns 0 or -1 (the child is gone or
 * stuck past the deadline). */
static int flush_out(struct prun *r)
{
	const char *p = (const char *)r->out;
	size_t len = r->nout * sizeof r->out[0];
	while (len) {
		ssize_t n = write(r->to, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return -1;
		struct pollfd pf = {r->to, POLLOUT, 0};
		int left = ms_left(r);
		if (!left || poll(&pf, 1, left) <= 0 || (pf.revents & (POLLERR | POLLHUP)))
			return -1;
	}
	r->nout = 0;
	return 0;
}

static int send_msg(struct prun *r, struct pmsg m)
{
	r->out[r->nout++] = m;
	return r->nout == sizeof r->out / sizeof r->out[0] ? flush_out(r) : 0;
}

/* Wait for one reply.  Returns 0, or -1 (EOF, deadline). */
static int get_reply(struct prun *r, struct preply *rep)
{
	if (flush_out(r))
		return -1;
	char *p = (char *)rep;
	size_t len = sizeof *rep;
	while (len) {
		struct pollfd pf = {r->from, POLLIN, 0};
		int left = ms_left(r);
		if (!left || poll(&pf, 1, left) <= 0)
			return -1;
		ssize_t n = read(r->from, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The address-space size of this process, in bytes (0 if unknown). */
static size_t own_vmsize(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;
	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* A reply's text, sanitised for a one-line message. */
static const char *reply_text(struct preply *rep)
{
	rep->text[sizeof rep->text - 1] = 0;
	for (char *c = rep->text; *c; c++)
		if ((unsigned char)*c < ' ' || (unsigned char)*c > '~')
			*c = '?';
	return rep->text;
}

/* Serve the reference string: hits and fills here, victims from the
 * child.  Returns 0 or -1 with r->err. */
static int serve(struct prun *r, struct ftab *t, const struct policy_refs *refs, unsigned nsets, unsigned ways)
{
	struct preply rep;
	if (get_reply(r, &rep))
		return child_failed(r, SIZE_MAX, NULL);
	if (rep.magic != PR_MAGIC || (rep.type != PR_READY && rep.type != PR_FAIL))
		return child_failed(r, SIZE_MAX, "protocol error: a bad message from the plug-in");
	if (rep.type == PR_FAIL) {
		char why[160];
		snprintf(why, sizeof why, "%s", reply_text(&rep));
		return child_failed(r, SIZE_MAX, why);
	}
	snprintf(t->res->policy, sizeof t->res->policy, "plug-in %.50s", reply_text(&rep));
	int order[ways ? ways : 1];
	for (size_t i = 0; i < refs->n; i++) {
		uint64_t page = refs->page[i];
		unsigned set = (unsigned)(page % nsets);
		int f = ftab_lookup(t, page);
		bool hit = f >= 0;
		if (!hit) {
			f = -1;
			for (unsigned w = 0; w < ways && f < 0; w++)
				if (t->slot[set * ways + w] == POLICY_EMPTY)
					f = (int)(set * ways + w);
			if (f < 0) {
				if (send_msg(r, (struct pmsg){PM_VICTIM, set, i, 0, 0}) || get_reply(r, &rep))
					return child_failed(r, i, NULL);
				if (rep.magic != PR_MAGIC || rep.type != PR_VICTIM) {
					if (rep.magic == PR_MAGIC && rep.type == PR_FAIL) {
						char why[160];
						snprintf(why, sizeof why, "%s", reply_text(&rep));
						return child_failed(r, i, why);
					}
					r->verdict = true;
					return child_failed(r, i, "protocol error: a bad reply from the plug-in");
				}
				if (rep.frame >= ways) {
					char why[160];
					snprintf(why, sizeof why, "returned an invalid victim: frame %u (valid: 0..%u)",
						 rep.frame, ways - 1);
					r->verdict = true;
					return child_failed(r, i, why);
				}
				f = (int)(set * ways + rep.frame);
			}
		}
		if (ftab_access(t, i, f, hit)) {
			snprintf(r->err, r->errlen, "out of host memory");
			return -1;
		}
		for (unsigned w = 0; w < ways; w++)
			order[w] = (int)(set * ways + w);
		ftab_log(t, i, order, (int)ways);
		if (send_msg(r, (struct pmsg){PM_ACCESS, set, i, (uint32_t)(f - (int)(set * ways)), hit}))
			return child_failed(r, i, NULL);
	}
	if (send_msg(r, (struct pmsg){PM_END, 0, 0, 0, 0}) || flush_out(r))
		return child_failed(r, refs->n ? refs->n - 1 : SIZE_MAX, NULL);
	/* a clean exit (fini) within the deadline */
	int status;
	for (;;) {
		pid_t w = waitpid(r->pid, &status, WNOHANG);
		if (w == r->pid)
			break;
		if (w < 0 || !ms_left(r))
			return child_failed(r, refs->n ? refs->n - 1 : SIZE_MAX, NULL);
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
	r->pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(r->err, r->errlen, "failed in fini() (%s %d)", WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	return 0;
}

/* policy_plugin_run with NSETS sets of WAYS frames (TLB mode). */
int policy_plugin_run_sets(const char *so_path, const struct policy_refs *refs, unsigned nsets, unsigned ways,
			   uint64_t seed, const struct plugin_limits *lim_in, struct policy_result *res, char *err,
			   size_t errlen)
{
	struct plugin_limits lim = {5, 10, 256u << 20};
	if (lim_in) {
		if (lim_in->cpu_seconds > 0)
			lim.cpu_seconds = lim_in->cpu_seconds;
		if (lim_in->wall_seconds > 0)
			lim.wall_seconds = lim_in->wall_seconds;
		if (lim_in->mem_bytes)
			lim.mem_bytes = lim_in->mem_bytes;
	}
	memset(res, 0, sizeof *res);
	if (!nsets || !ways || (size_t)nsets * ways > (1u << 20)) {
		snprintf(err, errlen, "bad geometry: %u sets of %u frames", nsets, ways);
		return -1;
	}
	char path[PATH_MAX];
	if (!realpath(so_path, path)) {
		snprintf(err, errlen, "%s: %s", so_path, strerror(errno));
		return -1;
	}
	struct ftab t;
	if (ftab_init(&t, (int)(nsets * ways), refs, res)) {
		snprintf(err, errlen, "out of host memory");
		return -1;
	}
	int req[2], rep[2];
	if (pipe2(req, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	if (pipe2(rep, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(req[0]);
		close(req[1]);
		goto fail;
	}
	size_t vmsize = own_vmsize();
	fflush(NULL);
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	struct prun r = {.to = req[1], .from = rep[0], .lim = &lim, .err = err, .errlen = errlen};
	clock_gettime(CLOCK_MONOTONIC, &r.deadline);
	r.deadline.tv_sec += (time_t)lim.wall_seconds;
	r.deadline.tv_nsec += (long)((lim.wall_seconds - floor(lim.wall_seconds)) * 1e9);
	if (r.deadline.tv_nsec >= 1000000000L) {
		r.deadline.tv_sec++;
		r.deadline.tv_nsec -= 1000000000L;
	}
	r.at = mmap(NULL, sizeof *r.at, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r.at == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		close(req[0]);
		close(req[1]);
		close(rep[0]);
		close(rep[1]);
		sigaction(SIGPIPE, &old, NULL);
		goto fail;
	}
	r.at->fn = AT_LOAD;
	r.pid = fork();
	if (r.pid == 0)
		child_main(path, refs, nsets, ways, seed, &lim, req[0], rep[1], vmsize, r.at);
	close(req[0]);
	close(rep[1]);
	int rc = -1;
	if (r.pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
	} else {
		fcntl(r.to, F_SETFL, O_NONBLOCK);
		rc = serve(&r, &t, refs, nsets, ways);
		if (r.pid > 0) {
			kill(r.pid, SIGKILL);
			waitpid(r.pid, NULL, 0);
		}
	}
	close(r.to);
	close(r.from);
	munmap(r.at, sizeof *r.at);
	sigaction(SIGPIPE, &old, NULL);
	if (rc)
		goto fail;
	ftab_finish(&t);
	ftab_fini(&t);
	return 0;
fail:
	ftab_fini(&t);
	policy_result_free(res);
	return -1;
}

int policy_plugin_run(const char *so_path, const struct policy_refs *refs, int nframes,
		      const struct plugin_limits *lim, struct policy_result *res, char *err, size_t errlen)
{
	if (nframes < 1) {
		memset(res, 0, sizeof *res);
		snprintf(err, errlen, "bad frame count %d", nframes);
		return -1;
	}
	return policy_plugin_run_sets(so_path, refs, 1, (unsigned)nframes, 0, lim, res, err, errlen);
}
