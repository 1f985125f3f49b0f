/* sim/process.h - guest processes (struct task), the process table and the
 * scheduler's interface.
 *
 * A task is one guest thread (Linux's task_struct): a tid (pid), its thread
 * group (tgid, group_leader), one Unicorn engine (sim/engine.h, opaque
 * here), registers, signal mask, and the counters getrusage() and the run
 * summary report; what threads share as the clone flags say - the address
 * space (struct mm_struct, mm/mm_types.h), open files, cwd and umask,
 * signal handlers, limits and the group exit - are separate
 * reference-counted objects (docs/threads.md).  task_struct objects themselves live in simulated RAM:
 * they come from the "task_struct" slab cache, as in Linux, so
 * /proc/slabinfo shows one object per live or zombie task.
 *
 * Life cycle (Linux's states, simplified):
 *   TASK_RUNNING      runnable; the scheduler runs it for up to one quantum
 *   TASK_INTERRUPTIBLE blocked (sim/wait.h): in wait4/waitid, nanosleep,
 *                     a vfork parent, pipe I/O, poll/select, sigsuspend;
 *                     an optional timeout (wake_time)
 *   (stopped)         job-control stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU):
 *                     task->stopped, orthogonal to the two states above, as
 *                     a stop leaves the task inside its sleep; the scheduler
 *                     skips it until SIGCONT (or SIGKILL); /proc shows
 *                     "T (stopped)" (Linux's TASK_STOPPED)
 *   EXIT_ZOMBIE       exited, exit_code kept until the parent reaps it
 *   EXIT_DEAD         reaped; the task is freed
 *
 * Scheduling is deterministic round robin in pid order with a quantum counted
 * in guest instructions (cfg.quantum).  Simulated time (sim_now_ns) is the
 * guest instructions retired (sim->insns) at 1 ns each, a 1 GHz machine at
 * one instruction per cycle, plus reclaim's charged time (kswapd, stalls);
 * when every live task waits (sleep, swap I/O), time jumps to the earliest
 * wake_time and the jump is idle time.
 *
 * Who updates what:
 *   - the engine (sim/engine.c) calls syscall_dispatch() on SYSCALL and stops
 *     its slice when task_must_stop() says so after the call;
 *   - the fault path (mmu/memory.c) counts faults per mm (mm->min_flt,
 *     maj_flt, faults.cow); the scheduler snapshots them at slice start and
 *     adds the increase to the task that ran at slice end (and before an mm
 *     goes away), so vfork children and exec'ed images are counted right.
 */
#ifndef MMSIM_SIM_PROCESS_H
#define MMSIM_SIM_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/list.h"
#include "mm/mm_types.h"
#include "sim/oom_kill.h"

struct sim;
struct engine;
struct vfs;
struct vfs_file;  /* sim/vfs.h: an opened, read-only file image */
struct kmem_cache;
struct pipe_inode;

#define TASK_COMM_LEN 16
#define NR_OPEN_DEFAULT 64      /* descriptors held in the files_struct itself */
#define NR_OPEN_MAX (1024 * 1024) /* fs.nr_open: the ceiling of RLIMIT_NOFILE */
#define TASK_NSIG 65            /* signals 1..64 */
#define MMSIM_DEFAULT_MAX_PROCS 64

enum task_state {
	TASK_RUNNING = 0,
	TASK_INTERRUPTIBLE = 1,
	EXIT_ZOMBIE = 2,
	EXIT_DEAD = 3,
};

/* Why a TASK_INTERRUPTIBLE task sleeps. */
enum task_block {
	BLOCK_NONE = 0,
	BLOCK_WAIT,      /* wait4/waitid: woken when a child changes state */
	BLOCK_SLEEP,     /* nanosleep: woken when sim_now_ns() >= wake_time */
	BLOCK_VFORK,     /* vfork parent: woken when the child execs or exits */
	BLOCK_IO,        /* pipe read/write, poll, select: woken when one of
			    the objects in the wait set changes (sim/wait.h),
			    or at wake_time for a timeout */
	BLOCK_SIGNAL,    /* rt_sigsuspend/pause/rt_sigtimedwait: woken when a
			    signal is pending (or at wake_time for a timeout) */
	BLOCK_PAGEIO,    /* a page fault waiting for swap-in I/O (Linux's
			    uninterruptible D sleep): woken at wake_time only */
	BLOCK_FUTEX,     /* futex wait: woken by a futex wake or requeue of
			    its key (sim/futex.c), a signal, or at wake_time */
};

/* One object in a sleeping task's wait set: the task is woken once the
 * object's event counter *EVENTS differs from SEEN (sim/wait.h). */
struct wait_ref {
	const uint64_t *events;
	uint64_t seen;
};

/* What an open file descriptor refers to. */
enum file_kind {
	FILE_STDIN,      /* --stdin FILE contents, or empty */
	FILE_STDOUT,     /* host stdout (or the file run was given) */
	FILE_STDERR,
	FILE_REG,        /* regular file under --root, or generated /proc text */
	FILE_DIR,        /* directory: getdents64 */
	FILE_NULL,       /* /dev/null */
	FILE_PIPE_R,     /* read end of a pipe (sim/pipe.h) */
	FILE_PIPE_W,     /* write end */
	FILE_ZERO,       /* /dev/zero (sim/devfs.c) */
	FILE_FULL,       /* /dev/full */
	FILE_RANDOM,     /* /dev/random: the run's seeded generator */
	FILE_URANDOM,    /* /dev/urandom: the same generator */
	FILE_PIPE_RW,    /* a FIFO opened O_RDWR: both ends (sim/pipe.h) */
	FILE_PATH,       /* O_PATH of a FIFO, socket or device node on a tmpfs:
			    names the inode (fstat, *at, /proc/PID/fd), no I/O */
};

/* F is an end of a pipe or FIFO (F->pipe is set). */
#define file_is_pipe(f) ((f)->kind == FILE_PIPE_R || (f)->kind == FILE_PIPE_W || (f)->kind == FILE_PIPE_RW)

/* An open file description (shared by dup and fork, like struct file). */
struct file {
	int refcount;
	enum file_kind kind;
	int flags;                    /* O_* as opened (O_RDONLY | O_DIRECTORY ...) */
	uint64_t pos;                 /* file offset */
	struct vfs_file *vf;          /* contents for FILE_REG / FILE_DIR / FILE_STDIN;
					 a FIFO's file on its tmpfs for FILE_PIPE_* */
	struct pipe_inode *pipe;      /* FILE_PIPE_R / FILE_PIPE_W / FILE_PIPE_RW */
	uint64_t f_version;           /* a FIFO read end opened O_NONBLOCK with no
					 writer: the pipe's w_counter then (no
					 POLLHUP until a writer came; Linux's f_version) */
};

/* The descriptor table (files_struct, with Linux's fdtable folded in);
 * copied on fork.  It starts with the NR_OPEN_DEFAULT slots inside it and
 * grows (expand_files in sim/sys_fs.c) up to RLIMIT_NOFILE; a grown table
 * is host memory, like the kvmalloc()ed fdtable it stands for. */
struct files_struct {
	int count;                    /* tasks sharing it (CLONE_FILES) */
	unsigned int max_fds;         /* slots in fd[] and cloexec[] */
	struct file **fd;             /* fd_array or a grown host array */
	uint8_t *cloexec;
	struct file *fd_array[NR_OPEN_DEFAULT];
	uint8_t cloexec_array[NR_OPEN_DEFAULT];
};

/* rt_sigaction's view of one signal (the kernel's struct k_sigaction). */
struct k_sigaction {
	uint64_t handler;             /* SIG_DFL = 0, SIG_IGN = 1, or a guest address */
	uint64_t flags;               /* SA_* */
	uint64_t restorer;
	uint64_t mask;
};

/* The siginfo of a pending signal (the fields Linux's kernel_siginfo keeps
 * for the si_code classes mmsim generates). */
struct ksiginfo {
	int32_t signo, errno_, code;
	int32_t pid;                  /* sender (kill, SIGCHLD: the child) */
	uint32_t uid;
	int32_t status;               /* SIGCHLD: exit code or signal */
	uint64_t value;               /* si_value (rt_sigqueueinfo) */
	uint64_t addr;                /* SIGSEGV/SIGBUS/SIGILL/SIGFPE: si_addr */
	uint64_t utime, stime;        /* SIGCHLD: clock ticks */
	uint32_t trapno, error_code;  /* sigcontext.trapno / err of a fault */
	uint64_t cr2;                 /* sigcontext.cr2 of a page fault */
};

/* One queued instance of a pending signal (Linux's struct sigqueue), an
 * object of the "sigqueue" slab cache.  A standard signal (1..31) has at
 * most one; a real-time one (32..64) one per kill/sigqueue, up to
 * RLIMIT_SIGPENDING queued signals for the user (uid 0: every task). */
struct sigqueue {
	struct list_head list;        /* task.sigqueue, in generation order */
	struct ksiginfo info;
};

/* Registers and FPU state rt_sigreturn restores once the slice has
 * stopped (sim/signal.c; the SYSCALL path would clobber RCX/R11). */
struct sigreturn_state {
	uint64_t r[27];               /* struct engine_regs layout */
	uint8_t fx[512];              /* FXSAVE image */
	bool fx_valid;                /* false: reset the FPU (fpstate NULL) */
};

/* Signal handlers of a thread group (sighand_struct), shared by
 * CLONE_SIGHAND; an object of the "sighand_cache" slab cache. */
struct sighand_struct {
	int count;
	/* a number no other change of any action[] has had (sighand_changed):
	 * /proc status's SigIgn/SigCgt can be cached by it */
	uint32_t gen;
	struct k_sigaction action[TASK_NSIG];
};

/* What the threads of one process share (signal_struct, "signal_cache"):
 * resource limits, the group exit, and the counters of threads that have
 * exited (getrusage(RUSAGE_SELF) sums the live threads and these). */
struct signal_struct {
	int count;                    /* tasks pointing here */
	int live;                     /* threads not yet exited */
	bool group_exit;              /* exit_group or a fatal signal (SIGNAL_GROUP_EXIT) */
	int group_exit_code;
	struct { uint64_t cur, max; } rlim[16]; /* RLIMIT_*, inherited on fork */
	uint64_t min_flt, maj_flt, cow_faults, insns, nvcsw, nivcsw; /* exited threads */
	uint64_t curr_target;         /* tid complete_signal tried last */
};

/* Working directory and umask (fs_struct, "fs_cache"), shared by CLONE_FS. */
struct fs_struct {
	int users;
	uint32_t umask;
	char cwd[256];                /* working directory, a canonical guest path */
};

struct task {
	int pid, ppid, pgid, sid;     /* pid is the thread id (gettid) */
	int tgid;                     /* thread group id (getpid): the leader's pid */
	struct task *group_leader;    /* the thread that created the process */
	struct list_head thread_group; /* every thread of the group, creation order */
	char comm[TASK_COMM_LEN];     /* basename of the executable, like Linux */
	enum task_state state;
	enum task_block block;
	int exit_code;                /* wait status: (status & 0xff) << 8, or signo */
	bool need_resched;            /* end the current slice after this syscall */
	int cpu;                      /* the CPU it last ran on (getcpu, /proc stat) */
	bool sched_picked;            /* sched.c: chosen for the current round */
	bool vfork_child;             /* shares the parent's mm until exec/exit */

	struct mm_struct *mm;
	struct engine *eng;           /* sim/engine.h; NULL before exec and after exit */
	struct mm_struct *mm_to_drop; /* old image after execve: mmput once the slice ends */

	struct files_struct *files;
	struct fs_struct *fs;
	struct sighand_struct *sighand;
	struct signal_struct *signal;
	uint64_t sigmask;             /* blocked signals, bit (sig-1) */
	uint64_t sigpending;          /* pending signals, bit (sig-1) */
	struct list_head sigqueue;    /* struct sigqueue: their siginfo; a bit
					 without an entry lost its info (queue full) */
	/* Job control (Linux's jobctl and SIGNAL_STOP_* flags) */
	bool stopped;                 /* stopped by a stop signal, until SIGCONT */
	int stop_code;                /* the signal that stopped it */
	bool stop_unreported;         /* wait(WUNTRACED) has not reported the stop */
	bool continued;               /* continued, until WCONTINUED reports it */
	int fatal_sig;                /* a fatal signal was generated (Linux's
					 SIGNAL_GROUP_EXIT): T dies of it the next
					 time it would return to user mode */
	uint64_t saved_sigmask;       /* mask before rt_sigsuspend */
	bool restore_sigmask;         /* saved_sigmask is valid (TIF_RESTORE_SIGMASK) */
	uint64_t sas_ss_sp, sas_ss_size; /* sigaltstack; size 0 = disabled */
	uint32_t sas_ss_flags;        /* SS_AUTODISARM */
	/* System call restart (sim/signal.c): RIP is at a SYSCALL that
	 * returned a restart code; restart_code says what a handler makes of
	 * it (-ERESTARTSYS ...), 0 while the call merely sleeps. */
	bool in_restart;
	bool restarting;              /* this dispatch re-executes it */
	int restart_code;
	uint64_t sleep_rem;           /* nanosleep: user address for the remaining time */
	bool sleep_interrupted;       /* a signal woke a BLOCK_SLEEP task: EINTR */
	uint64_t sigwait_set;         /* rt_sigtimedwait: signals waited for */
	bool notify_resume;           /* sigreturn state to apply (TIF_NOTIFY_RESUME) */
	struct sigreturn_state sigreturn;
	uint64_t itimer_real, itimer_interval; /* ITIMER_REAL expiry (ns, 0 = off), period */
	bool itimer_idle_fired;       /* sched.c: it fired while no task could run,
					 and woke nobody */
	uint64_t nsignals;            /* handlers entered (ru_nsignals) */

	/* Blocking state */
	uint64_t wake_time;           /* simulated ns to wake at (timeout), or
					 UINT64_MAX: only an event wakes it */
	int wait_pid;                 /* BLOCK_WAIT: pid argument of wait4 */
	struct wait_ref *waits;       /* BLOCK_IO: the wait set (malloc'ed) */
	int nr_waits, cap_waits;
	const char *wait_wchan;       /* BLOCK_IO: Linux's wchan ("pipe_read" ...) */
	uint64_t io_done;             /* bytes a blocking pipe write has written
					 so far (kept across its re-executions) */
	struct file *fifo_opening;    /* a blocking FIFO open waiting for the other
					 end (sim/fifo.c): counted as a reader or
					 writer already, not yet a descriptor */
	uint64_t fifo_seen;           /* the partner counter it waits to move */

	/* futex wait (sim/futex.c): queued on proc_table.futex_queue */
	struct list_head futex_node;
	uint64_t futex_key[2];        /* private: (mm, address); shared: (0, physical address) */
	uint32_t futex_bitset;
	bool futex_queued, futex_woken;

	/* Addresses the kernel keeps for the task */
	uint64_t clear_child_tid;     /* set_tid_address */
	uint64_t robust_list, robust_len;
	uint64_t fs_base, gs_base;    /* arch_prctl (the engine applies them) */

	/* Accounting: getrusage(), /proc/self/status, the run summary */
	uint64_t min_flt, maj_flt;    /* page faults without / with I/O */
	uint64_t cow_faults;          /* write faults that copied a page */
	uint64_t hiwater_rss_kb;      /* peak RSS (kB) over the task's life */
	uint64_t insns;               /* guest instructions this task retired */
	uint64_t start_time;          /* sim->insns at fork */
	uint64_t nvcsw, nivcsw;       /* voluntary / involuntary context switches */
	uint64_t snap_min, snap_maj, snap_cow; /* mm counters already accounted */
	uint64_t syscalls;            /* syscalls made (counted by the engine) */
	/* Children's totals, folded in when reaped (RUSAGE_CHILDREN) */
	uint64_t c_min_flt, c_maj_flt, c_insns, c_hiwater_rss_kb;

	/* Executable path as the guest named it (for /proc/self/exe, readlink) */
	char exe[256];
	struct vfs_file *exe_file;    /* the image's file (/proc/PID/exe), or NULL */

	struct task *parent;
	struct list_head children;    /* struct task.sibling */
	struct list_head sibling;
	struct list_head tasks;       /* proc_table.tasks, pid order */
	uint64_t kstack_pfn;          /* the task's 16 KiB kernel stack (order 2) */
	/* OOM killer (sim/oom_kill.c); oom_score_adj is inherited on fork */
	int oom_score_adj;            /* -1000 (never chosen) .. 1000 */
	bool oom_victim;              /* chosen and SIGKILLed (tsk_is_oom_victim) */
	bool oom_reaped;              /* its memory was reaped (MMF_OOM_SKIP) */
};

/* An exited process's record kept for the run summary after reaping. */
struct proc_record {
	int pid, ppid;
	int tgid;                     /* its process (== pid unless a thread) */
	char comm[TASK_COMM_LEN];
	int exit_code;                /* wait status */
	uint64_t min_flt, maj_flt, cow_faults, hiwater_rss_kb, insns;
	/* What the process was doing when the run ended, as /proc showed it
	 * then (proc_records_note_end_states, before run.c kills what is left):
	 * 0 it had exited (reaped, or nobody could reap it); 'Z' exited, its
	 * parent alive and not reaping it yet (exit_code is its own); 'R'
	 * running, 'S' sleeping in end_wchan, 'T' stopped
	 * by end_stop_sig (exit_code is then the run's SIGKILL, not its own). */
	char end_state;
	int end_stop_sig;
	const char *end_wchan;        /* Linux's wchan name: "do_wait" ... */
};

/* Unknown-syscall tally for the summary. */
struct unknown_syscall {
	long nr;
	uint64_t count;
};

/* An execve mmsim refused although Linux would run the program. */
struct exec_refusal {
	char path[256];      /* the program's canonical guest path */
	char reason[200];    /* the loader's one-line reason */
	int err;             /* the errno the guest got */
	int pid;             /* the first task refused */
	uint64_t count;
};

/* All processes of one sim (sim->procs). */
struct proc_table {
	struct list_head tasks;       /* live and zombie tasks, pid order */
	int nr_tasks;                 /* live + zombie */
	int max_procs;                /* fork fails with EAGAIN beyond it */
	int next_pid;
	struct task *current;
	/* task_exec building EXEC_MM for EXEC_TASK (pid 1 before it first
	 * runs, or an execve): the faults of the new image's set-up are that
	 * task's, in that mm (the trace's annotator); NULL otherwise */
	struct task *exec_task;
	struct mm_struct *exec_mm;
	struct task *init;            /* the first process (pid 1) */
	uint64_t last_switch;         /* sim->insns at the last context switch */

	struct kmem_cache *task_cachep, *files_cachep, *sighand_cachep, *signal_cachep, *fs_cachep;
	struct kmem_cache *sigqueue_cachep;
	struct list_head futex_queue; /* tasks in a futex wait, in queueing order */
	uint64_t nr_sigqueue;         /* queued signals of uid 0 (SigQ, RLIMIT_SIGPENDING) */

	struct proc_record *records;  /* every process that ever ran, pid order */
	int nr_records, cap_records;
	struct unknown_syscall unknown[64];
	int nr_unknown;
	uint64_t unknown_total;
	uint64_t forks_refused;       /* forks that hit max_procs */
	struct exec_refusal exec_refusals[32]; /* by path and reason, first seen first */
	int nr_exec_refusals;
	uint64_t exec_refusals_total;
	uint64_t ctx_switches;
	uint64_t idle_ns;             /* time every task slept (nanosleep) */
	/* Several CPUs (sim/sched.c, sim->smp): each round runs one task per
	 * CPU; simulated time advances by the busiest CPU's share. */
	struct sched_cpu {
		struct task *curr;        /* the task it ran last (NULL: none yet) */
		uint64_t insns;           /* instructions retired on it */
		uint64_t round_ns;        /* time it used in the current round */
		uint64_t busy_ns;         /* time it ran tasks or took IPIs */
		uint64_t slices, idle_slices, ctx_switches;
	} cpu[64];
	uint64_t round_base;          /* simulated ns when the current round began */
	uint64_t slice_insns0;        /* sim->insns when the running slice began */
	uint64_t rng;                 /* getrandom's generator state (from the seed) */
	uint64_t next_pipe_ino;       /* inode number of the next pipe (pipe:[INO]) */
	uint32_t sighand_gen;         /* the last sighand_struct.gen given */

	void (*progress)(struct sim *s, void *ctx); /* called after every slice (run's progress line) */
	void *progress_ctx;

	struct oom_kill_record {      /* the OOM killer's victims, in order (sim/oom_kill.c) */
		int pid;
		char comm[TASK_COMM_LEN];
		long points;          /* oom_badness when chosen */
		uint64_t anon_rss_kb, time;
	} oom_kills[32];
	int nr_oom_kills;             /* kills (oom_kills holds the first 32) */
	struct oom_adj_rule oom_rules[16]; /* --oom-score-adj (sim/oom_kill.h) */
	int nr_oom_rules;
	int programs[16];             /* pids of the programs a multi-program run started */
	int nr_programs;

	int init_exit_code;           /* wait status of pid 1 once it exits */
	bool init_exited;
	bool stop;                    /* --max-insns reached or fatal error */
	char stop_reason[1024];

	struct vfs *vfs;              /* sim/vfs.h: the read-only root; NULL = none */
	struct vfs_file *stdin_file;  /* --stdin contents, or NULL (empty) */
	int stdout_fd, stderr_fd;     /* host descriptors for guest fd 1 and 2 */
	bool progress_shown;          /* a progress line is on the terminal (sim/run.c) */
};

/* The name of the Linux function a sleeping T would show in
 * /proc/PID/wchan ("do_wait", "pipe_read", "do_sys_poll" ...), "?" if
 * T is not sleeping. */
const char *task_wchan(const struct task *t);

/* Erase the progress line, if one is shown, before other output. */
void progress_clear(struct proc_table *pt);

/* Create the process table for S (caches, limits from S->cfg).  Returns 0
 * or -1 with a one-line reason in ERR. */
int proc_table_init(struct sim *s, char *err, size_t errlen);
/* Free every task, engine and mm still alive, then the table. */
void proc_table_destroy(struct sim *s);

/* Allocate a task with the next pid, no mm and no engine, parented to
 * PARENT (NULL for init).  Returns NULL (and sets *errp to -EAGAIN when
 * max_procs is reached, -ENOMEM when simulated memory is exhausted). */
struct task *task_alloc(struct sim *s, struct task *parent, int *errp);
/* Free a reaped task (EXIT_DEAD) and its slab objects. */
void task_free(struct sim *s, struct task *t);
struct task *find_task_by_pid(struct sim *s, int pid);

/* Terminate T with wait status CODE ((status & 0xff) << 8 for exit, or the
 * signal number): drop its mm and engine, close files, reparent children to
 * init, wake the parent, become a zombie (init itself is reaped at once). */
void do_exit(struct sim *s, struct task *t, int code);
/* exit_group, or a fatal signal: end every thread of T's group with wait
 * status CODE (the first group exit's code wins), T last. */
void do_group_exit(struct sim *s, struct task *t, int code);
/* True when no thread of P's group is alive (a zombie leader is then
 * reapable). */
static inline bool thread_group_empty(const struct task *p)
{
	return p->signal->live == 0;
}
/* A signal for T's whole process (kill, SIGCHLD, SIGALRM ...): Linux's
 * complete_signal picks the thread that takes it - T if it does not block
 * SIG, else the first thread (in tid order after the last one picked)
 * that does not, else T, where it stays pending until T unblocks it. */
void group_send_sig_info(struct sim *s, struct task *t, int sig, const struct ksiginfo *info);
/* Thread T is exiting with its mm (sim/futex.c, mm_release): release the
 * robust futexes it holds (FUTEX_OWNER_DIED, one waiter woken each), and
 * if other tasks share the mm, clear the clear_child_tid word and wake one
 * futex waiter on it (what pthread_join sleeps on); leave any futex wait. */
void exit_mm_release(struct sim *s, struct task *t);
/* Drop T from the futex wait queues (task_free). */
void futex_unqueue(struct sim *s, struct task *t);
/* Generate SIG for T (sim/signal.c): discarded if ignored, made pending
 * (queued, for a real-time signal) otherwise; a default-fatal unblocked
 * signal wakes T (even from a stop or a vfork wait) and T dies of it in
 * do_signal() when it next runs, a default-stop one stops it,
 * SIGCONT resumes it; one with a handler is delivered by do_signal()
 * before T runs user code again.  INFO (NULL: SI_KERNEL) is the siginfo. */
void send_signal_info(struct sim *s, struct task *t, int sig, const struct ksiginfo *info);
void send_signal(struct sim *s, struct task *t, int sig);
/* SIGKILL T without queueing a siginfo (nothing is allocated): the OOM
 * killer's kill, when there is no memory and the victim never reads it. */
void send_sigkill_noalloc(struct sim *s, struct task *t);
/* A synchronous fault signal (SIGSEGV from a bad access ...): delivered to
 * the handler if one is installed and SIG is not blocked, otherwise the
 * task is reported on stderr by REPORT (if not NULL) and killed, as Linux's
 * force_sig_fault.  Returns true if T was killed. */
bool force_sig_fault(struct sim *s, struct task *t, const struct ksiginfo *info, void (*report)(void *ctx),
		     void *ctx);
/* Before T returns to user mode (the scheduler, before each slice): apply
 * a pending rt_sigreturn, then deliver every pending unblocked signal:
 * default actions, or an rt_sigframe per handler.  May kill T. */
void do_signal(struct sim *s, struct task *t);
/* ppoll, pselect6, rt_sigsuspend: block the signals of the user sigset
 * at UMASK (SIGSETSIZE bytes; 0: no change) for the call, remembering the
 * mask to restore.  Returns 0, -EINVAL (size not 8) or -EFAULT. */
long set_user_sigmask(struct task *t, uint64_t umask, uint64_t sigsetsize);
/* The call returns without a signal to deliver (INTERRUPTED false): put
 * back the mask set_user_sigmask replaced.  When a handler runs instead,
 * its frame saves that mask and rt_sigreturn restores it. */
void restore_saved_sigmask_unless(struct task *t, bool interrupted);
/* Drop every pending signal of T (exit, task_free). */
void flush_signals(struct sim *s, struct task *t);
/* T stopped or continued: wake its parent if it sleeps in wait4/waitid. */
void wake_up_parent(struct task *t);
/* ITIMER_REAL: send SIGALRM to every task whose timer expired by NOW. */
void run_itimers(struct sim *s, uint64_t now);

/* True when the engine must end the current slice: the task blocked,
 * exited, exec'ed, yielded, or the simulation must stop. */
static inline bool task_must_stop(const struct task *t)
{
	return t->state != TASK_RUNNING || t->stopped || t->need_resched || t->notify_resume ||
	       (t->sigpending & ~t->sigmask);
}

/* Run all processes until init exits, max_insns is reached or nothing can
 * run.  Returns 0, or -1 with the reason in procs->stop_reason. */
int schedule_loop(struct sim *s);

/* Count a syscall nobody implements (for the summary). */
void proc_note_unknown_syscall(struct sim *s, long nr);
/* Note that T's execve of PATH was refused for REASON, mmsim's limitation
 * (the guest got errno ERR); sys_proc.c. */
void proc_note_exec_refusal(struct sim *s, struct task *t, const char *path, const char *reason, int err);

/* Drop one user of MM after its engine is gone. */
void task_mmput(struct sim *s, struct mm_struct *mm);
/* Update T's peak RSS from its mm. */
void task_update_rss(struct sim *s, struct task *t);
/* Add the faults T's mm counted since the last snapshot to T and update
 * the peak RSS; task_snap_counters takes a snapshot (the scheduler does at
 * every slice start, so a vfork child's faults are its own). */
void task_sync_counters(struct sim *s, struct task *t);
void task_snap_counters(struct task *t);
/* A vfork child execs or exits: wake its parent. */
void vfork_release(struct sim *s, struct task *t);
/* The counters of T's whole process: its live threads and those that
 * have exited (getrusage RUSAGE_SELF, wait's rusage). */
struct task_totals {
	uint64_t min_flt, maj_flt, cow_faults, insns, nvcsw, nivcsw;
};
void thread_group_totals(const struct task *t, struct task_totals *out);
/* wait4 reaps CHILD: fold its counters into PARENT's children totals and
 * mark it EXIT_DEAD (the scheduler frees it). */
void task_reap(struct sim *s, struct task *parent, struct task *child);
/* The record of PID (every process that ever ran keeps one), or NULL. */
/* Note in each process record what the process is doing now (the run has
 * ended): running, sleeping (and where), stopped (and by what), or exited
 * but not reaped.  Called by run.c before it kills the processes left, so
 * the summary shows their state rather than the run's SIGKILL. */
void proc_records_note_end_states(struct sim *s);
const struct proc_record *proc_record_of(struct sim *s, int pid);
/* Refresh the records of live tasks from their counters. */
void proc_records_refresh(struct sim *s);

/* SH's actions changed (or SH is new): give it a new generation. */
static inline void sighand_changed(struct proc_table *procs, struct sighand_struct *sh)
{
	sh->gen = ++procs->sighand_gen;
}

#endif
