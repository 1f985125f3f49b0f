/* bench/emu_bench.c - what the emulator costs, measured four ways in one run.
 *
 * For the sequential (guest/seq_sweep) and random (guest/rand_access)
 * workloads:
 *   native     the static guest binary exec'ed on the host
 *   uc-bare    the same binary in a bare Unicorn engine, no memory hooks
 *              (flat guest memory, a few syscalls emulated here)
 *   uc-hook    the same, plus an empty UC_HOOK_MEM_READ|UC_HOOK_MEM_WRITE
 *              callback: the floor for any design that models every access
 *   mmsim      `mmsim run` (run_program): modelled TLBs, page tables, page
 *              faults, scheduler; tracing off
 * and for "threaded" (guest/threads sweep: four threads under mmsim with
 * --cpus 1, "threaded4" with --cpus 4; the same sweeps in one thread for
 * the other ways, which cannot clone).
 * Each is the best of REPS wall-clock runs; ratios are printed against
 * native and against uc-hook.  Targets (docs/performance.md): mmsim <= 1.5x
 * uc-hook, <= 20x native sequential, <= 12x native random.
 *
 * Usage: emu_bench [GUEST_DIR [REPS]]  (default: ../guest from the binary, 3)
 * Exit status 0 when the runs' outputs agree (the ratios are reported, not
 * enforced).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unicorn/unicorn.h>
#include <unistd.h>

#include "sim/elf_load.h"
#include "sim/run.h"

#define UC_STACK_TOP 0x7ffffff00000ULL
#define UC_STACK_SIZE (8ULL << 20)
#define UC_HEAP_BASE 0x7f0000000000ULL
#define UC_HEAP_SIZE (1ULL << 30)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- native ---- */

/* Run ARGV natively with stdout to OUT_FD.  Returns seconds, or -1. */
static double run_native(char *const argv[], int out_fd)
{
	double t0 = now();
	pid_t p = fork();
	if (p < 0)
		return -1;
	if (p == 0) {
		dup2(out_fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return now() - t0;
}

/* ---- bare Unicorn: flat memory, the syscalls musl's startup, malloc and
 * printf need ---- */

struct bare {
	uc_engine *uc;
	uint64_t heap_next;      /* mmap bump pointer */
	int out_fd;
	int exited;
};

static void bare_syscall(uc_engine *uc, void *ud)
{
	struct bare *b = ud;
	uint64_t nr, a0, a1, a2, ret = 0;
	uc_reg_read(uc, UC_X86_REG_RAX, &nr);
	uc_reg_read(uc, UC_X86_REG_RDI, &a0);
	uc_reg_read(uc, UC_X86_REG_RSI, &a1);
	uc_reg_read(uc, UC_X86_REG_RDX, &a2);
	switch (nr) {
	case 158: /* arch_prctl(ARCH_SET_FS) */
		if (a0 == 0x1002)
			uc_reg_write(uc, UC_X86_REG_FS_BASE, &a1);
		break;
	case 218: /* set_tid_address */
		ret = 1;
		break;
	case 16: /* ioctl */
		ret = (uint64_t)-ENOTTY;
		break;
	case 20: { /* writev */
		uint64_t total = 0;
		for (uint64_t i = 0; i < a2 && i < 64; i++) {
			uint64_t iov[2];
			char buf[4096];
			uc_mem_read(uc, a1 + 16 * i, iov, sizeof iov);
			for (uint64_t off = 0; off < iov[1]; off += sizeof buf) {
				size_t n = iov[1] - off < sizeof buf ? (size_t)(iov[1] - off) : sizeof buf;
				uc_mem_read(uc, iov[0] + off, buf, n);
				if (write(b->out_fd, buf, n) < 0)
					break;
			}
			total += iov[1];
		}
		ret = total;
		break;
	}
	case 12: /* brk: never grows, musl's malloc falls back to mmap */
		ret = 0;
		break;
	case 9: { /* mmap: anonymous only, from the bump region */
		uint64_t len = (a1 + 4095) & ~4095ULL;
		if (b->heap_next + len > UC_HEAP_BASE + UC_HEAP_SIZE) {
			ret = (uint64_t)-ENOMEM;
			break;
		}
		ret = b->heap_next;
		b->heap_next += len;
		break;
	}
	case 11: /* munmap */
	case 28: /* madvise */
	case 14: /* rt_sigprocmask */
		ret = 0;
		break;
	case 25: /* mremap */
		ret = (uint64_t)-ENOMEM;
		break;
	case 60:
	case 231: /* exit, exit_group */
		b->exited = 1;
		uc_emu_stop(uc);
		break;
	default:
		ret = (uint64_t)-ENOSYS;
		break;
	}
	uc_reg_write(uc, UC_X86_REG_RAX, &ret);
}

static void empty_mem_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *ud)
{
	(void)uc;
	(void)type;
	(void)addr;
	(void)size;
	(void)value;
	(void)ud;
}

/* Map host memory for [GVA, GVA+LEN) in UC.  Returns the host pointer or NULL. */
static uint8_t *bare_map(uc_engine *uc, uint64_t gva, uint64_t len)
{
	uint8_t *h = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (h == MAP_FAILED)
		return NULL;
	if (uc_mem_map_ptr(uc, gva, len, UC_PROT_ALL, h) != UC_ERR_OK) {
		munmap(h, len);
		return NULL;
	}
	return h;
}

/* Run the static binary IMG with ARGV in a bare engine (HOOK: add the empty
 * memory hook).  Returns seconds, or -1 with a message on stderr. */
static double run_bare(const struct elf_image *img, int argc, char *const argv[], bool hook, int out_fd)
{
	struct bare b = { .heap_next = UC_HEAP_BASE, .out_fd = out_fd };
	uc_hook h1, h2;
	double t = -1;
	if (img->pie) {
		fprintf(stderr, "emu_bench: %s: position-independent guests not supported here\n", img->path);
		return -1;
	}
	if (uc_open(UC_ARCH_X86, UC_MODE_64, &b.uc) != UC_ERR_OK)
		return -1;
	uint64_t lo = img->lo, hi = img->hi + (1ULL << 20);
	uint8_t *image = bare_map(b.uc, lo, hi - lo);
	uint8_t *stack = bare_map(b.uc, UC_STACK_TOP - UC_STACK_SIZE, UC_STACK_SIZE);
	uint8_t *heap = bare_map(b.uc, UC_HEAP_BASE, UC_HEAP_SIZE);
	if (!image || !stack || !heap) {
		fprintf(stderr, "emu_bench: cannot map guest memory\n");
		goto out;
	}
	for (int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *sg = &img->seg[i];
		memcpy(image + (sg->vaddr - lo), img->data + sg->offset, sg->filesz);
	}
	/* Stack: argv strings, 16 random bytes, then argc, argv, envp, auxv. */
	uint64_t sp = UC_STACK_TOP - 4096;
	uint64_t argp[16];
	for (int i = 0; i < argc && i < 16; i++) {
		size_t l = strlen(argv[i]) + 1;
		sp -= l;
		memcpy(stack + (sp - (UC_STACK_TOP - UC_STACK_SIZE)), argv[i], l);
		argp[i] = sp;
	}
	sp = (sp - 16) & ~15ULL;
	uint64_t rnd = sp;
	uint64_t words[64];
	int k = 0;
	words[k++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++)
		words[k++] = argp[i];
	words[k++] = 0; /* argv end */
	words[k++] = 0; /* envp end */
	uint64_t aux[] = { 3, img->phdr_vaddr, 4, img->phentsize, 5, img->phnum, 6, 4096, 9, img->entry, 25, rnd, 0, 0 };
	for (size_t i = 0; i < sizeof aux / 8; i++)
		words[k++] = aux[i];
	sp = (sp - 8 * (uint64_t)k) & ~15ULL;
	memcpy(stack + (sp - (UC_STACK_TOP - UC_STACK_SIZE)), words, 8 * (size_t)k);
	uc_reg_write(b.uc, UC_X86_REG_RSP, &sp);
	if (uc_hook_add(b.uc, &h1, UC_HOOK_INSN, (void *)bare_syscall, &b, 1, 0, UC_X86_INS_SYSCALL) != UC_ERR_OK)
		goto out;
	if (hook && uc_hook_add(b.uc, &h2, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)empty_mem_hook, NULL, 1, 0) !=
			    UC_ERR_OK)
		goto out;
	double t0 = now();
	uc_err e = uc_emu_start(b.uc, img->entry, 0, 0, 0);
	if (e != UC_ERR_OK || !b.exited) {
		uint64_t rip;
		uc_reg_read(b.uc, UC_X86_REG_RIP, &rip);
		fprintf(stderr, "emu_bench: bare Unicorn stopped: %s at 0x%llx\n", uc_strerror(e), (unsigned long long)rip);
		goto out;
	}
	t = now() - t0;
out:
	uc_close(b.uc);
	if (image)
		munmap(image, hi - lo);
	if (stack)
		munmap(stack, UC_STACK_SIZE);
	if (heap)
		munmap(heap, UC_HEAP_SIZE);
	return t;
}

/* ---- mmsim ---- */

static double run_mmsim(int argc, char *argv[], const char *out_path, int cpus)
{
	struct run_options o;
	memset(&o, 0, sizeof o);
	sim_config_default(&o.cfg);
	o.cfg.mem.mem_bytes = 512ULL << 20;
	o.cfg.cpus = cpus;
	o.program = argv[0];
	o.argv = argv;
	o.argc = argc;
	o.stdout_path = out_path;
	o.quiet = true;
	double t0 = now();
	int rc = run_program(&o);
	if (rc != 0) {
		fprintf(stderr, "emu_bench: mmsim run %s exited %d\n", argv[0], rc);
		return -1;
	}
	return now() - t0;
}

/* Compare the files A and B.  Returns 0 if identical. */
static int same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	int r = -1;
	if (fa && fb) {
		int ca, cb;
		do {
			ca = fgetc(fa);
			cb = fgetc(fb);
		} while (ca == cb && ca != EOF);
		r = ca == cb ? 0 : -1;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Whether way W is selected by EMU_BENCH_WAYS (a comma list; unset: all). */
static bool way_on(const char *w)
{
	const char *list = getenv("EMU_BENCH_WAYS");
	if (!list || !*list)
		return true;
	size_t n = strlen(w);
	for (const char *p = list; (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == 0))
			return true;
	return false;
}

/* Whether workload NAME is selected by EMU_BENCH_ONLY (unset: all). */
static bool workload_on(const char *name)
{
	const char *only = getenv("EMU_BENCH_ONLY");
	return !only || !*only || strcmp(only, name) == 0;
}

/* Bench workload NAME: ARGV natively, in the bare engines and, unless
 * MM_ARGV (then run by mmsim instead, on CPUS CPUs: the threaded version
 * of the same work) is given, under mmsim. */
static int bench_one(const char *name, int argc, char *argv[], char *mm_argv[], int cpus, int reps,
		     const char *tmpdir)
{
	char err[256], pn[512], pb[512], ph[512], pm[512];
	struct elf_image img;
	if (elf_image_load(argv[0], &img, err, sizeof err) != 0) {
		fprintf(stderr, "emu_bench: %s\n", err);
		return 1;
	}
	snprintf(pn, sizeof pn, "%s/native.out", tmpdir);
	snprintf(pb, sizeof pb, "%s/bare.out", tmpdir);
	snprintf(ph, sizeof ph, "%s/hook.out", tmpdir);
	snprintf(pm, sizeof pm, "%s/mmsim.out", tmpdir);
	int fn = open(pn, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int fb = open(pb, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int fh = open(ph, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fn < 0 || fb < 0 || fh < 0) {
		fprintf(stderr, "emu_bench: %s: %s\n", tmpdir, strerror(errno));
		return 1;
	}
	/* EMU_BENCH_WAYS=native,bare,hook,mmsim (default: all) runs a subset,
	 * e.g. to profile one way with perf; skipped ways print as 0.  The
	 * repetitions are interleaved (native, bare, hook, mmsim, native, ...)
	 * so that every way sees the same spells of host noise; each way's
	 * best run counts. */
	double tn = 0, tb = 0, th = 0, tm = 0;
	double pair[64]; /* mmsim / uc-hook of the same repetition */
	int npair = 0;
	for (int r = 0; r < reps; r++) {
		double thr = 0;
		double t;
		if (way_on("native")) {
			if ((t = run_native(argv, fn)) < 0)
				return 1;
			tn = r == 0 || t < tn ? t : tn;
		}
		if (way_on("bare")) {
			if ((t = run_bare(&img, argc, argv, false, fb)) < 0)
				return 1;
			tb = r == 0 || t < tb ? t : tb;
		}
		if (way_on("hook")) {
			if ((t = run_bare(&img, argc, argv, true, fh)) < 0)
				return 1;
			th = r == 0 || t < th ? t : th;
			thr = t;
		}
		if (way_on("mmsim")) {
			if ((t = mm_argv ? run_mmsim(argc, mm_argv, pm, cpus) : run_mmsim(argc, argv, pm, 1)) < 0)
				return 1;
			tm = r == 0 || t < tm ? t : tm;
			if (thr > 0 && npair < 64)
				pair[npair++] = t / thr;
		}
	}
	close(fn);
	close(fb);
	close(fh);
	elf_image_free(&img);
	printf("%-10s native %8.1f ms | uc-bare %8.1f ms (%5.1fx) | uc-hook %8.1f ms (%5.1fx) | "
	       "mmsim %8.1f ms (%5.1fx native, %4.2fx uc-hook)\n",
	       name, tn * 1e3, tb * 1e3, tb / tn, th * 1e3, th / tn, tm * 1e3, tm / tn, tm / th);
	if (npair > 1) {
		/* The empty-hook floor swings by tens of percent between runs on a
		 * shared host (its time is mostly host cache and TLB misses); the
		 * ratio within one repetition is steadier than best against best. */
		qsort(pair, (size_t)npair, sizeof pair[0], cmp_double);
		double med = npair % 2 ? pair[npair / 2] : (pair[npair / 2 - 1] + pair[npair / 2]) / 2;
		printf("%-10s mmsim / uc-hook per repetition: median %4.2fx, range %4.2f-%4.2fx (%d pairs)\n", name, med,
		       pair[0], pair[npair - 1], npair);
	}
	/* The checksum lines must agree (each run appends REPS copies). */
	if ((tn > 0 && tb > 0 && same_file(pn, pb)) || (tn > 0 && th > 0 && same_file(pn, ph))) {
		fprintf(stderr, "emu_bench: %s: Unicorn output differs from native\n", name);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* default: BUILD/guest next to BUILD/bench/emu_bench */
	char defdir[512];
	snprintf(defdir, sizeof defdir, "%s", argv[0]);
	char *slash = strrchr(defdir, '/');
	if (slash)
		snprintf(slash, sizeof defdir - (size_t)(slash - defdir), "/../guest");
	else
		snprintf(defdir, sizeof defdir, "../guest");
	const char *gdir = argc > 1 ? argv[1] : defdir;
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	char tmpdir[] = "/tmp/emu_bench.XXXXXX";
	char seq[600], rnd[600];
	if (reps < 1)
		reps = 1;
	if (!mkdtemp(tmpdir)) {
		perror("emu_bench: mkdtemp");
		return 1;
	}
	snprintf(seq, sizeof seq, "%s/seq_sweep", gdir);
	snprintf(rnd, sizeof rnd, "%s/rand_access", gdir);
	char *seq_argv[] = { seq, "16", "8", NULL };
	char *rnd_argv[] = { rnd, "16", "4000000", NULL };
	printf("emu_bench: best of %d runs each; ratios against native and against the empty-hook floor\n", reps);
	int rc = workload_on("sequential") ? bench_one("sequential", 3, seq_argv, NULL, 1, reps, tmpdir) : 0;
	if (!rc && workload_on("random"))
		rc = bench_one("random", 3, rnd_argv, NULL, 1, reps, tmpdir);
	/* threaded: four threads sweep a buffer under mmsim (one CPU, then
	 * four); the other ways run the same sweeps in one thread (the bare
	 * engines have no clone): the floor for the same guest work */
	char thr[600];
	snprintf(thr, sizeof thr, "%s/threads", gdir);
	char *thr_argv[] = { thr, "sweep", "0", "64", "8", NULL };
	char *thr_mm_argv[] = { thr, "sweep", "4", "64", "8", NULL };
	if (!rc && workload_on("threaded"))
		rc = bench_one("threaded", 5, thr_argv, thr_mm_argv, 1, reps, tmpdir);
	if (!rc && workload_on("threaded4"))
		rc = bench_one("threaded4", 5, thr_argv, thr_mm_argv, 4, reps, tmpdir);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "emu_bench: could not remove %s\n", tmpdir);
	return rc;
}
