/* sim/run.c - one guest run from start to summary (see sim/run.h).
 *
 * Order: trace, machine (sim_create), process table, root, stdio, load
 * PROGRAM, build pid 1 with task_exec, schedule until pid 1 exits (or the
 * instruction limit / a deadlock stops the run), kill what is left (like
 * Linux when init dies), summary, teardown.
 */
#include "sim/run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mm/filemap.h"
#include "sim/binfmt_script.h"
#include "sim/elf_load.h"
#include "sim/exec.h"
#include "sim/run_record.h"
#include "sim/summary.h"
#include "sim/sys_internal.h"
#include "sim/tmpfs.h"
#include "sim/wait.h"
#include "traces/trace_replace.h"

static const char *const guest_env[] = { "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME=/" };

/* Start T in the host's working directory when it lies under the root
 * (as the same command run natively would), else in "/".  The directory
 * is resolved inside the root like any guest path. */
static void set_initial_cwd(struct sim *s, struct task *t)
{
	const char *root = s->procs->vfs ? vfs_root_dir(s->procs->vfs) : NULL;
	char host[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	if (!root || !getcwd(host, sizeof(host)))
		return;
	size_t rl = strcmp(root, "/") ? strlen(root) : 0;
	if (strncmp(host, root, rl) || (host[rl] != '/' && host[rl] != '\0'))
		return;
	const char *rel = host[rl] ? host + rl : "/";
	struct vfs_stat st;
	if (vfs_resolve(s->procs->vfs, "/", rel, true, guest, sizeof(guest)) == 0 &&
	    vfs_lstat(s->procs->vfs, guest, &st) == 0 && (st.mode & 0170000) == VFS_S_IFDIR &&
	    strlen(guest) < sizeof(t->fs->cwd))
		memcpy(t->fs->cwd, guest, strlen(guest) + 1);
}

/* True if host file PATH starts with "#!". */
static bool host_is_script(const char *path)
{
	char magic[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool script = read(fd, magic, 2) == 2 && magic[0] == '#' && magic[1] == '!';
	close(fd);
	return script;
}

/* The guest path of host script PROGRAM, which its interpreter opens
 * inside the root, into GUEST.  Returns 0 or -1 with ERR. */
static int script_guest_path(struct sim *s, const char *program, char *guest, size_t len, char *err,
			     size_t errlen)
{
	const char *root = s->procs->vfs ? vfs_root_dir(s->procs->vfs) : NULL;
	struct script_interp si;
	uint8_t head[BINPRM_BUF_SIZE];
	size_t n = 0;
	int fd = open(program, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = read(fd, head, sizeof(head));
		n = r > 0 ? (size_t)r : 0;
		close(fd);
	}
	const char *name = binfmt_script_parse(head, n, &si) == 0 ? si.name : "(none)";
	if (!root) {
		snprintf(err, errlen, "%s: a #! script needs --root: its interpreter %s and the script are read inside the root",
			 program, name);
		return -1;
	}
	/* the directory resolved, the script's own name kept (a symlink's
	 * name, as execve passes it on) */
	char dir[VFS_PATH_MAX];
	const char *slash = strrchr(program, '/'), *base = slash ? slash + 1 : program;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - program) + 1 : 1, slash ? program : ".");
	char *real = realpath(dir, NULL);
	size_t rl = strcmp(root, "/") ? strlen(root) : 0;
	if (!real || strncmp(real, root, rl) || (real[rl] != '/' && real[rl] != '\0')) {
		snprintf(err, errlen, "%s: a #! script must lie inside --root %s (its interpreter %s reads it there)",
			 program, root, name);
		free(real);
		return -1;
	}
	snprintf(guest, len, "%s/%s", strcmp(real + rl, "/") ? real + rl : "", base);
	free(real);
	return 0;
}

/* Open PROGRAM, a "#!" script at guest path GUEST, and follow its #! lines
 * inside the root like execve (sim/binfmt_script.c).  Returns 0 and *BP
 * (the program it leads to in (*BP)->file and CANON, the new argv) or -1
 * with ERR. */
static int load_script(struct sim *s, const struct run_options *o, const char *guest,
		       struct linux_binprm **bp, char *canon, size_t canon_len, char *err, size_t errlen)
{
	struct linux_binprm *b = bprm_alloc(guest, o->argv, o->argc);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	long rc = open_exec(s, NULL, -100, guest, b->canon, &b->file);
	if (rc)
		snprintf(err, errlen, "%s: %s", o->program, strerror((int)-rc));
	else
		rc = bprm_follow_scripts(s, NULL, b, err, errlen);
	if (rc) {
		bprm_free(b);
		return -1;
	}
	snprintf(canon, canon_len, "%s", b->canon);
	*bp = b;
	return 0;
}

/* Find PROGRAM: a host path, else a guest path in the root; a "#!" script
 * is followed to its interpreter inside the root (*BP set).  Fills IMG
 * and, for a root file, *VF.  Returns 0 or -1 with ERR. */
static int load_program(struct sim *s, const struct run_options *o, struct elf_image *img, struct vfs_file **vf,
			struct linux_binprm **bp, char *canon, size_t canon_len, char *err, size_t errlen)
{
	const char *program = o->program;
	char try[VFS_PATH_MAX], path[VFS_PATH_MAX];
	*vf = NULL;
	*bp = NULL;
	if (access(program, F_OK) == 0 || !s->procs->vfs || !vfs_root_dir(s->procs->vfs)) {
		if (host_is_script(program)) {
			if (script_guest_path(s, program, path, sizeof(path), err, errlen) != 0 ||
			    load_script(s, o, path, bp, canon, canon_len, err, errlen) != 0)
				return -1;
			goto load_root_file;
		}
		/* The guest sees an absolute path, as Linux's /proc/self/exe and
		 * maps show (glibc's static-PIE start-up insists on it). */
		char *abs = realpath(program, NULL);
		snprintf(canon, canon_len, "%s", abs ? abs : program);
		free(abs);
		return elf_image_load(program, img, err, errlen);
	}
	static const char *const dirs[] = { "/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/" };
	int rc = -ENOENT;
	if (strchr(program, '/')) {
		snprintf(try, sizeof(try), "%s", program);
		rc = vfs_resolve(s->procs->vfs, "/", program, true, path, sizeof(path));
	} else {
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && rc; i++) {
			snprintf(try, sizeof(try), "%s%s", dirs[i], program);
			rc = vfs_resolve(s->procs->vfs, "/", try, true, path, sizeof(path));
		}
	}
	if (rc == 0)
		rc = vfs_open(s->procs->vfs, path, vf);
	if (rc) {
		snprintf(err, errlen, "%s: not found on the host nor under --root %s", program,
			 vfs_root_dir(s->procs->vfs));
		return -1;
	}
	if ((*vf)->st.mode & 0040000) {
		snprintf(err, errlen, "%s: is a directory", program);
		vfs_file_put(*vf);
		*vf = NULL;
		return -1;
	}
	if ((*vf)->size >= 2 && (*vf)->data[0] == '#' && (*vf)->data[1] == '!') {
		vfs_file_put(*vf);
		*vf = NULL;
		if (load_script(s, o, try, bp, canon, canon_len, err, errlen) != 0)
			return -1;
		goto load_root_file;
	}
	snprintf(canon, canon_len, "%s", path);
	goto load;
load_root_file:
	*vf = (*bp)->file;
	vfs_file_get(*vf);
load:;
	uint8_t *copy = malloc((*vf)->size ? (*vf)->size : 1);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(copy, (*vf)->data, (*vf)->size);
	return elf_image_from_memory(canon, copy, (*vf)->size, img, err, errlen);
}

/* Host descriptor for --stdout/--stderr FILE, or FALLBACK. */
static int open_output(const char *path, int fallback, char *err, size_t errlen)
{
	if (!path)
		return fallback;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		snprintf(err, errlen, "%s: %s: %s", fallback == 1 ? "--stdout" : "--stderr", path, strerror(errno));
	return fd;
}

/* Give pid 1 its stdin, stdout and stderr. */
static int setup_stdio(struct sim *s, struct task *t)
{
	struct proc_table *pt = s->procs;
	struct file *in = file_alloc(FILE_STDIN, O_RDONLY, pt->stdin_file);
	struct file *out = file_alloc(FILE_STDOUT, O_WRONLY, NULL);
	struct file *err = file_alloc(FILE_STDERR, O_WRONLY, NULL);
	if (!in || !out || !err) {
		free(in);
		free(out);
		free(err);
		return -1;
	}
	if (pt->stdin_file)
		vfs_file_get(pt->stdin_file);
	t->files->fd[0] = in;
	t->files->fd[1] = out;
	t->files->fd[2] = err;
	return 0;
}

struct progress {
	uint64_t next;
};

/* A progress line on the terminal every 100M instructions. */
static void show_progress(struct sim *s, void *ctx)
{
	struct progress *p = ctx;
	if (s->insns < p->next)
		return;
	p->next = s->insns + 100000000ULL;
	fprintf(stderr, "\rmmsim: %llu M instructions, %d process%s\033[K", (unsigned long long)(s->insns / 1000000),
		s->procs->nr_tasks, s->procs->nr_tasks == 1 ? "" : "es");
	fflush(stderr);
	s->procs->progress_shown = true;
}

void progress_clear(struct proc_table *pt)
{
	if (!pt->progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	pt->progress_shown = false;
}

/* The per-program options of P for task T: oom_score_adj, start delay
 * (T sleeps until the simulated clock, sim_now_ns, reaches it: that many
 * instructions unless every task waits idle meanwhile). */
static void apply_prog_options(struct sim *s, struct task *t, const struct run_prog *p)
{
	(void)s;
	if (p->set_oom_score_adj)
		t->oom_score_adj = p->oom_score_adj;
	if (p->delay)
		task_sleep(t, BLOCK_SLEEP, p->delay, "mmsim_start_delay");
}

/* Load and start program K (K >= 1) of a multi-program run as a new
 * top-level process with its own stdio.  Returns 0 or -1 with ERR (*CODE
 * 2 for a bad program). */
static int start_extra_program(struct sim *s, const struct run_options *o, int k, char *err, size_t errlen,
			       int *code)
{
	return run_spawn(s, o, &o->progs[k], (uint64_t)k, NULL, err, errlen, code);
}

int run_spawn(struct sim *s, const struct run_options *o, const struct run_prog *p, uint64_t k, struct task **out,
	      char *err, size_t errlen, int *code)
{
	struct run_options ok = *o;
	struct proc_table *pt = s->procs;
	struct elf_image img;
	struct vfs_file *vf = NULL;
	struct linux_binprm *script = NULL;
	char canon[VFS_PATH_MAX];
	int rc = -1, aerr = 0;

	memset(&img, 0, sizeof(img));
	ok.program = p->program;
	ok.argv = p->argv;
	ok.argc = p->argc;
	ok.image = NULL;
	if (load_program(s, &ok, &img, &vf, &script, canon, sizeof(canon), err, errlen) != 0) {
		*code = 2;
		return -1;
	}
	if (!vf) {
		uint8_t *bytes = NULL;
		size_t size = 0;
		if (vfs_read_host_file(p->program, &bytes, &size, err, errlen) != 0)
			goto out;
		vf = vfs_file_new(canon, VFS_S_IFREG | 0755, bytes, size);
		if (!vf) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		if (vfs_host_stat(p->program, &vf->st) == 0)
			vf->st.size = size;
	}
	run_record_extra_program(s, p->program, canon, vf->data, vf->size);
	if (!vfs_file_backing(s, vf)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	struct task *init = pt->init;
	struct task *t = task_alloc(s, NULL, &aerr);
	pt->init = init; /* a top-level process, not a second init */
	if (!t) {
		snprintf(err, errlen, "cannot create the process of %s: out of simulated memory", p->program);
		goto out;
	}
	if (pt->nr_programs < (int)(sizeof(pt->programs) / sizeof(pt->programs[0])))
		pt->programs[pt->nr_programs++] = t->pid;
	task_init_rlimits(s, t);
	set_initial_cwd(s, t);
	if (setup_stdio(s, t) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	struct exec_params ep = {
		.argv = script ? script->argv : (const char *const *)p->argv,
		.argc = script ? script->argc : p->argc,
		.envp = guest_env,
		.envc = (int)(sizeof(guest_env) / sizeof(guest_env[0])),
		.execfn = script ? script->filename : p->argv[0],
		.random_seed = (o->cfg.seed + (uint64_t)k) * 0x9e3779b97f4a7c15ULL + 1,
	};
	if (task_exec(s, t, &img, vf->backing, &ep, canon, vf, err, errlen) != 0)
		goto out;
	t->need_resched = false;
	apply_prog_options(s, t, p);
	if (out)
		*out = t;
	rc = 0;
out:
	elf_image_free(&img);
	if (vf)
		vfs_file_put(vf);
	bprm_free(script);
	return rc;
}

/* Is --trace PATH the program itself (the main one, under --root)?
 * Returns 0 when not, -1 with ERR when it is. */
static int trace_is_program(const struct run_options *o, char *err, size_t errlen)
{
	char host[VFS_PATH_MAX * 2];
	struct stat a, b;
	if (!o->program)
		return 0;
	if (o->cfg.root[0] && o->program[0] == '/')
		snprintf(host, sizeof host, "%s%s", o->cfg.root, o->program);
	else
		snprintf(host, sizeof host, "%s", o->program);
	if (stat(o->trace_path, &a) == 0 && stat(host, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		snprintf(err, errlen, "trace: '%s' is the program to run; choose another database file", o->trace_path);
		return -1;
	}
	return 0;
}

int run_program(const struct run_options *o)
{
	char err[512], canon[VFS_PATH_MAX];
	struct trace *trace = NULL;
	struct sim *s = NULL;
	struct elf_image img;
	struct elf_interp interp;
	struct vfs_file *vf = NULL;
	struct linux_binprm *script = NULL; /* PROGRAM was a #! script */
	struct vmstat_snap start = { 0 };
	struct progress prog = { 100000000ULL };
	int code = RUN_EXIT_ERROR, outfd = -1, errfd = -1;
	bool have_img = false;
	bool started = false; /* the guest ran: the trace is a run's record */
	FILE *sout = o->summary_out ? o->summary_out : stderr;
	struct run_record rec = { 0 };
	char backup[VFS_PATH_MAX + 32] = ""; /* --force: the replaced database, until the run starts */

	memset(&img, 0, sizeof(img));
	memset(&interp, 0, sizeof(interp));
	trace = o->trace;
	if (o->trace_path && !trace) {
		if (trace_check_replace(o->trace_path, err, sizeof(err)) == 0 &&
		    trace_is_program(o, err, sizeof(err)) == 0 &&
		    (!o->force || trace_replace_begin(o->trace_path, backup, sizeof(backup), err, sizeof(err)) == 0))
			trace = trace_create_sqlite(o->trace_path, o->force, err, sizeof(err));
		if (!trace) {
			trace_replace_end(o->trace_path, backup, false);
			fprintf(stderr, "mmsim run: %s\n", err);
			return 2;
		}
	}
	s = sim_create(&o->cfg, trace, err, sizeof(err));
	if (!s) {
		if (o->trace_path)
			trace_replace_end(o->trace_path, backup, false);
		fprintf(stderr, "mmsim run: %s\n", err);
		return 2;
	}
	if (o->on_sim)
		o->on_sim(s, o->on_sim_ctx);
	char cfgtext[1024];
	sim_config_format(&o->cfg, cfgtext, sizeof(cfgtext));
	if (trace_begin_run(s->trace, cfgtext, o->cmdline ? o->cmdline : o->program) != 0) {
		fprintf(stderr, "mmsim run: %s: %s\n", o->trace_path ? o->trace_path : "trace",
			trace_error(s->trace) ? trace_error(s->trace) : "cannot record the run");
		goto out;
	}
	if (proc_table_init(s, err, sizeof(err)) != 0)
		goto fail;
	struct proc_table *pt = s->procs;
	pt->rng = o->cfg.seed ^ 0x6d6d73696d2d7267ULL; /* "mmsim-rg" */
	for (int i = 0; i < o->nr_oom_rules && i < (int)(sizeof(pt->oom_rules) / sizeof(pt->oom_rules[0])); i++)
		pt->oom_rules[pt->nr_oom_rules++] = o->oom_rules[i];
	pt->vfs = vfs_create(o->cfg.root, err, sizeof(err));
	if (!pt->vfs) {
		code = 2;
		goto fail;
	}
	if (tmpfs_mount_defaults(s, err, sizeof(err)) != 0)
		goto fail;
	if (run_record_begin(&rec, s, o->argv, o->argc, guest_env, (int)(sizeof(guest_env) / sizeof(guest_env[0])),
			     o->sample_every ? o->sample_every : RUN_SAMPLE_EVERY_DEFAULT) != 0) {
		snprintf(err, sizeof(err), "%s", trace_error(s->trace));
		goto fail;
	}
	rec.interrupt_at = o->interrupt_at;
	if (o->checkpoint_every)
		trace_set_checkpoint_every(s->trace, o->checkpoint_every);
	run_record_programs(s, o);
	if (o->cfg.stdin_path[0]) {
		uint8_t *data;
		size_t size;
		char why[400];
		if (vfs_read_host_file(o->cfg.stdin_path, &data, &size, why, sizeof(why)) != 0) {
			snprintf(err, sizeof(err), "--stdin: %s", why);
			code = 2;
			goto fail;
		}
		run_record_stdin(&rec, o->cfg.stdin_path, data, size);
		pt->stdin_file = vfs_file_new("<stdin>", VFS_S_IFREG | 0644, data, size);
		if (!pt->stdin_file) {
			snprintf(err, sizeof(err), "out of memory");
			goto fail;
		}
	}
	outfd = open_output(o->stdout_path, 1, err, sizeof(err));
	if (outfd < 0) {
		code = 2;
		goto fail;
	}
	errfd = open_output(o->stderr_path, 2, err, sizeof(err));
	if (errfd < 0) {
		code = 2;
		goto fail;
	}
	pt->stdout_fd = outfd;
	pt->stderr_fd = errfd;
	if (o->image) {
		uint8_t *copy = malloc(o->image_size ? o->image_size : 1);
		if (!copy) {
			snprintf(err, sizeof(err), "out of memory");
			goto fail;
		}
		memcpy(copy, o->image, o->image_size);
		snprintf(canon, sizeof(canon), "%s%s", o->program[0] == '/' ? "" : "/", o->program);
		if (elf_image_from_memory(o->program, copy, o->image_size, &img, err, sizeof(err)) != 0) {
			code = 2;
			goto fail;
		}
	} else if (load_program(s, o, &img, &vf, &script, canon, sizeof(canon), err, sizeof(err)) != 0) {
		code = 2;
		goto fail;
	}
	have_img = true;
	if (img.interp[0] && !vfs_root_dir(pt->vfs)) {
		snprintf(err, sizeof(err),
			 "%.150s: dynamically linked: it needs its ELF interpreter %.200s from a root file system; give one with --root / (or link it with -static)",
			 o->program, img.interp);
		code = 2;
		goto fail;
	}
	if (img.interp[0]) {
		if (open_elf_interp(s, NULL, &img, &interp, err, sizeof(err)) != 0) {
			code = 2;
			goto fail;
		}
	}
	if (!vf) {
		/* PROGRAM came from the host (or is built in): keep its bytes as
		 * the file /proc/self/exe opens and exec's */
		uint8_t *bytes = NULL;
		size_t size = 0;
		if (o->image) {
			bytes = malloc(o->image_size ? o->image_size : 1);
			if (bytes)
				memcpy(bytes, o->image, o->image_size);
			size = o->image_size;
		} else if (vfs_read_host_file(o->program, &bytes, &size, err, sizeof(err)) != 0) {
			goto fail;
		}
		if (bytes)
			vf = vfs_file_new(canon, VFS_S_IFREG | 0755, bytes, size);
		if (!vf) {
			snprintf(err, sizeof(err), "out of memory");
			goto fail;
		}
		/* a host PROGRAM shows its own metadata, as natively */
		if (!o->image && vfs_host_stat(o->program, &vf->st) == 0)
			vf->st.size = size;
		else
			vfs_stat_virtual(&vf->st, canon, VFS_S_IFREG | 0755, size, VFS_ANON_DEV_ROOT);
	}
	run_record_program(&rec, o->program, canon, vf->data, vf->size, o->image != NULL);
	/* The program's page-cache backing (warmed with page_cache=warm)
	 * exists before the run's vmstat baseline: a warm cache is the state
	 * the run starts from, not something the run allocates. */
	if (!vfs_file_backing(s, vf)) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	if (vmstat_snapshot(s, &start) != 0) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}

	int aerr = 0;
	struct task *init = task_alloc(s, NULL, &aerr);
	if (!init) {
		snprintf(err, sizeof(err), "cannot create pid 1: out of simulated memory");
		goto fail;
	}
	task_init_rlimits(s, init);
	set_initial_cwd(s, init);
	if (setup_stdio(s, init) != 0) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	struct exec_params ep = {
		.argv = script ? script->argv : (const char *const *)o->argv,
		.argc = script ? script->argc : o->argc,
		.envp = guest_env,
		.envc = (int)(sizeof(guest_env) / sizeof(guest_env[0])),
		.execfn = script ? script->filename : o->argv[0],
		.random_seed = o->cfg.seed * 0x9e3779b97f4a7c15ULL + 1,
		.interp = interp.vf ? &interp.img : NULL,
		.interp_file = interp.vf ? interp.vf->backing : NULL,
		.interp_error = interp.late_error[0] ? interp.late_error : NULL,
	};
	if (task_exec(s, init, &img, vf->backing, &ep, canon, vf, err,
		      sizeof(err)) != 0)
		goto fail;
	init->need_resched = false;
	if (o->nr_progs > 1) {
		pt->programs[pt->nr_programs++] = init->pid;
		apply_prog_options(s, init, &o->progs[0]);
		for (int k = 1; k < o->nr_progs; k++)
			if (start_extra_program(s, o, k, err, sizeof(err), &code) != 0)
				goto fail;
	}
	if (o->progress) {
		pt->progress = show_progress;
		pt->progress_ctx = &prog;
	}

	started = true;
	if (o->started)
		*o->started = true;
	if (o->trace_path)
		trace_replace_end(o->trace_path, backup, true); /* the old database goes now */
	backup[0] = 0;
	schedule_loop(s);
	if (o->progress && s->insns >= 100000000ULL)
		fputs("\r\033[K", stderr);

	const char *reason = NULL;
	int ws = -1;
	/* a panic stops the machine even when it also killed pid 1 */
	bool panic = pt->stop && !strncmp(pt->stop_reason, "Kernel panic", 12);
	if (pt->init_exited && !panic) {
		ws = pt->init_exit_code;
		code = (ws & 0x7f) ? 128 + (ws & 0x7f) : (ws >> 8) & 0xff;
	} else {
		reason = pt->stop_reason;
		code = !strncmp(reason, "Kernel panic", 12)   ? RUN_EXIT_PANIC
		       : strstr(reason, "instruction limit") ? RUN_EXIT_LIMIT
		       : strstr(reason, "deadlock")        ? RUN_EXIT_DEADLOCK
		       : strstr(reason, "interrupted")     ? RUN_EXIT_INTERRUPTED
							   : RUN_EXIT_ERROR;
		if (!trace_stop_requested(s->trace))
			fprintf(stderr, "mmsim run: %s\n", reason);
	}
	/* Like Linux when init dies: every other process is killed.  The
	 * summary shows what each was doing before that.  Children go before
	 * their parents (highest pid first; do_exit leaves the task listed),
	 * so each record keeps the parent it had when the run ended. */
	proc_records_note_end_states(s);
	struct list_head *pos, *n;
	for (pos = pt->tasks.prev; pos != &pt->tasks; pos = n) {
		n = pos->prev;
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state < EXIT_ZOMBIE)
			do_exit(s, t, SIGKILL);
	}
	proc_records_refresh(s);
	run_record_end(&rec, reason, ws);
	/* RUN_END, finished=1, the exit status and event count in the runs
	 * row; the machine's teardown after it is counted, not stored. */
	if (trace_end_run(s->trace, code) != 0) {
		fprintf(stderr, "mmsim run: %s: %s\n", o->trace_path ? o->trace_path : "trace",
			trace_error(s->trace) ? trace_error(s->trace) : "cannot record the end of the run");
		code = RUN_EXIT_ERROR;
	}

	{
		char cmd[1024] = "";
		size_t used = 0;
		for (int k = 0; k < (o->nr_progs > 1 ? o->nr_progs : 1); k++) {
			char **argv = o->nr_progs > 1 ? o->progs[k].argv : o->argv;
			int argc = o->nr_progs > 1 ? o->progs[k].argc : o->argc;
			for (int i = 0; i < argc && used + 2 < sizeof(cmd); i++) {
				int w = snprintf(cmd + used, sizeof(cmd) - used, "%s%s", k && !i ? " ::: " : i ? " " : "",
						 argv[i]);
				if (w < 0)
					break;
				used += (size_t)w;
				if (used >= sizeof(cmd))
					used = sizeof(cmd) - 1;
			}
		}
		progress_clear(s->procs);
		struct summary_info si = { cmd, code, ws, reason, &start };
		char *text = NULL, *json = NULL;
		size_t tlen = 0, jlen = 0;
		FILE *tf = open_memstream(&text, &tlen), *jf = open_memstream(&json, &jlen);
		if (tf && jf) {
			summary_print_text(s, &si, tf);
			summary_print_json(s, &si, jf);
			fclose(tf);
			fclose(jf);
			if (!o->quiet) {
				fputs(o->json ? json : text, sout);
				fflush(sout);
			}
			run_record_summary(&rec, text, json);
		} else {
			if (tf)
				fclose(tf);
			if (jf)
				fclose(jf);
		}
		free(text);
		free(json);
	}
	goto out;
fail:
	fprintf(stderr, "mmsim run: %s\n", err);
out:
	if (have_img)
		elf_image_free(&img);
	close_elf_interp(&interp);
	if (vf)
		vfs_file_put(vf);
	bprm_free(script);
	vmstat_snap_free(&start);
	run_record_free(&rec);
	if (s) {
		proc_table_destroy(s);
		if (sim_destroy(s) != 0 && code == 0) {
			fprintf(stderr, "mmsim run: trace: %s\n", "database error while closing the trace");
			code = RUN_EXIT_ERROR;
		}
	}
	/* A run that never started (bad program, stdin, stdout...) leaves no
	 * trace database behind, rather than one that looks interrupted. */
	if (!started && o->trace_path) {
		if (backup[0])
			trace_replace_end(o->trace_path, backup, false); /* --force: the old one comes back */
		else
			unlink(o->trace_path);
	}
	if (outfd > 2)
		close(outfd);
	if (errfd > 2)
		close(errfd);
	return code;
}
