/* bench/trace_bench.c - the trace database's speed (issue 11).
 *
 *   trace_bench [GUEST [REPS]]
 *
 * 1. Throughput: 2 million synthetic events (a realistic mix: alloc/free
 *    pages, page faults with RIP and detail, slab allocations) through
 *    trace_emit() into a fresh SQLite database; events per second and the
 *    database size per million events.  Target: >= 1 million events/s.
 * 2. Cost of tracing a run: `mmsim run` of GUEST (default
 *    build/guest/fork_cow) without --trace and with --trace at the default
 *    level (samples, insns and all), interleaved REPS times (default 5), best
 *    of each; the ratio traced/untraced.  Target: <= 1.3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/config.h"
#include "sim/run.h"
#include "traces/trace.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (the host is shared: wall time swings). */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

static int throughput(const char *dir)
{
	char path[512], err[512];
	const unsigned long n = 2000000;
	snprintf(path, sizeof path, "%s/tput.db", dir);
	double t0 = now(), c0 = cpu();
	struct trace *t = trace_open_sqlite(path, err, sizeof err);
	if (!t) {
		fprintf(stderr, "trace_bench: %s\n", err);
		return 1;
	}
	trace_begin_run(t, "mem=256M", "trace_bench");
	for (unsigned long i = 0; i < n; i++) {
		struct trace_event ev;
		trace_set_clock(t, i * 37, 1 + (int)(i % 3));
		switch (i % 4) {
		case 0:
			ev = trace_event_init(TEV_ALLOC_PAGES);
			ev.pfn = (int64_t)(i & 0xfffff);
			ev.order = 0;
			ev.zone = 1;
			ev.gfp = 0x100cca;
			break;
		case 1:
			ev = trace_event_init(TEV_PAGE_FAULT);
			ev.addr = 0x400000 + (i << 12);
			ev.ip = 0x401000 + (i & 0xff);
			ev.value = 6;
			ev.pfn = (int64_t)(i & 0xfffff);
			ev.detail = "anon";
			break;
		case 2:
			ev = trace_event_init(TEV_SLAB_ALLOC);
			ev.cache = "kmalloc-64";
			ev.addr = 0xffff888000000000ULL + i * 64;
			ev.size = 64;
			break;
		default:
			ev = trace_event_init(TEV_FREE_PAGES);
			ev.pfn = (int64_t)(i & 0xfffff);
			ev.order = 0;
			ev.zone = 1;
		}
		trace_emit(t, &ev);
	}
	trace_end_run(t, 0);
	if (trace_close(t) != 0) {
		fprintf(stderr, "trace_bench: database error\n");
		return 1;
	}
	double dt = now() - t0, dc = cpu() - c0;
	long long size = file_size(path);
	printf("throughput: %lu events in %.3f s wall, %.3f s CPU = %.2f M events/s wall, %.2f M events/s CPU "
	       "(target >= 1.0)\n", n, dt, dc, (double)n / dt / 1e6, (double)n / dc / 1e6);
	printf("size: %.1f MB per million events (%lld bytes for %lu)\n", (double)size / 1e6 / ((double)n / 1e6), size, n);
	unlink(path);
	return 0;
}

/* One run of GUEST, traced to PATH or not.  Returns seconds, <0 on failure. */
static double one_run(const char *guest, const char *path)
{
	static char *argv[2];
	struct run_options o;
	memset(&o, 0, sizeof o);
	sim_config_default(&o.cfg);
	argv[0] = (char *)guest;
	o.program = guest;
	o.argv = argv;
	o.argc = 1;
	o.trace_path = path;
	o.force = true;
	o.quiet = true;
	o.stdout_path = "/dev/null";
	double t0 = cpu();
	int rc = run_program(&o);
	double dt = cpu() - t0;
	return rc == 0 ? dt : -1;
}

int main(int argc, char **argv)
{
	const char *guest = argc > 1 ? argv[1] : "build/guest/fork_cow";
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	char dir[] = "/tmp/mmsim-trace-bench-XXXXXX", path[512];
	if (!mkdtemp(dir))
		return 1;
	int rc = throughput(dir);
	snprintf(path, sizeof path, "%s/run.db", dir);
	double best_plain = 1e9, best_traced = 1e9;
	for (int r = 0; r < reps && rc == 0; r++) {
		double a = one_run(guest, NULL), b = one_run(guest, path);
		if (a < 0 || b < 0) {
			fprintf(stderr, "trace_bench: %s failed\n", guest);
			rc = 1;
			break;
		}
		best_plain = a < best_plain ? a : best_plain;
		best_traced = b < best_traced ? b : best_traced;
	}
	if (rc == 0) {
		printf("run %s (CPU time, best of %d): untraced %.3f s, traced %.3f s (%lld bytes): ratio %.2f (target <= 1.30)\n", guest, reps,
		       best_plain, best_traced, file_size(path), best_traced / best_plain);
	}
	unlink(path);
	rmdir(dir);
	return rc;
}
