/* sim/run_record.c - the run's record beside the events (see
 * sim/run_record.h).
 *
 * Samples are taken at the first slice boundary at or after each multiple
 * of sample_every guest instructions (a slice is at most --quantum
 * instructions), from the same texts the guest reads in /proc, so a counter
 * added to /proc/vmstat or /proc/meminfo is sampled without a change here.
 * Faulting instructions and VMAs are interned: each RIP is disassembled
 * once, each distinct VMA (pid, range, flags, offset, file) stored once.
 */
#include "sim/run_record.h"
#include "sim/view_record.h"

#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mm/mmap.h"
#include "mm/proc.h"
#include "mm/proc_state.h"
#include "mmu/mmu.h"
#include "sim/guest_code.h"
#include "sim/process.h"
#include "sim/run.h"
#include "sim/sim.h"
#include "sim/summary.h"
#include "sim/vfs.h"

struct run_record_vma {
	int32_t pid;
	uint64_t start, end, pgoff;
	unsigned long flags;
	const void *file;
	int64_t id; /* 0: free slot */
};

/* Ctrl-C: a signal handler can only set a flag; the slice hook turns it
 * into a stop of the run. */
static volatile sig_atomic_t sigint_seen;
static struct sigaction old_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	sigint_seen = 1;
}

bool run_record_interrupted(void)
{
	return sigint_seen != 0;
}

void sha256_hex(const uint8_t *data, size_t size, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(data, size, md, &n, EVP_sha256(), NULL))
		n = 0;
	for (unsigned i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	hex[2 * n] = '\0';
}

/* The host's clock as ISO 8601 UTC (a host fact: differs between runs). */
static void now_utc(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* JSON array of the N strings V into a malloc'd string (NULL: no memory). */
static char *json_array(const char *const *v, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputc('[', f);
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_put_string(f, v[i]);
	}
	fputc(']', f);
	fclose(f);
	return buf;
}

static void on_file_read(void *ctx, const char *p, const char *hp, const uint8_t *data, size_t size)
{
	struct run_record *r = ctx;
	char hex[65];
	sha256_hex(data, size, hex);
	trace_add_input(r->s->trace, "file", p, hp, size, hex);
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* The id of V (of task PID) in the vmas table, storing it on first sight.
 * Returns 0 when out of memory. */
static int64_t intern_vma(struct run_record *r, int32_t pid, struct mm_struct *mm, struct vm_area_struct *v)
{
	if (r->nvmas * 2 >= r->vma_cap) {
		size_t cap = r->vma_cap ? r->vma_cap * 2 : 256;
		struct run_record_vma *n = calloc(cap, sizeof *n);
		if (!n)
			return 0;
		for (size_t i = 0; i < r->vma_cap; i++) {
			if (!r->vmas[i].id)
				continue;
			const struct run_record_vma *o = &r->vmas[i];
			size_t j = mix((uint64_t)o->pid ^ o->start * 31 ^ o->end * 17 ^ o->flags) & (cap - 1);
			while (n[j].id)
				j = (j + 1) & (cap - 1);
			n[j] = *o;
		}
		free(r->vmas);
		r->vmas = n;
		r->vma_cap = cap;
	}
	size_t j = mix((uint64_t)pid ^ v->vm_start * 31 ^ v->vm_end * 17 ^ v->vm_flags) & (r->vma_cap - 1);
	for (; r->vmas[j].id; j = (j + 1) & (r->vma_cap - 1)) {
		const struct run_record_vma *o = &r->vmas[j];
		if (o->pid == pid && o->start == v->vm_start && o->end == v->vm_end && o->flags == v->vm_flags &&
		    o->pgoff == v->vm_pgoff && o->file == v->vm_file)
			return o->id;
	}
	struct run_record_vma *n = &r->vmas[j];
	*n = (struct run_record_vma){ pid, v->vm_start, v->vm_end, v->vm_pgoff, v->vm_flags, v->vm_file,
				      (int64_t)++r->nvmas };
	struct strbuf sb = { 0 };
	show_map_vma(&sb, mm, v, "00:00", 0);
	if (sb.len && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	trace_add_vma(r->s->trace, n->id, pid, v->vm_start, v->vm_end, sb.buf ? sb.buf : "");
	sb_free(&sb);
	return n->id;
}

/* Store RIP's bytes and disassembly once. */
static void note_rip(struct run_record *r, struct mm_struct *mm, uint64_t rip)
{
	if (!rip)
		return;
	if (r->nrips * 2 >= r->rip_cap) {
		size_t cap = r->rip_cap ? r->rip_cap * 2 : 1024;
		uint64_t *n = calloc(cap, sizeof *n);
		if (!n)
			return;
		for (size_t i = 0; i < r->rip_cap; i++) {
			if (!r->rips[i])
				continue;
			size_t j = mix(r->rips[i]) & (cap - 1);
			while (n[j])
				j = (j + 1) & (cap - 1);
			n[j] = r->rips[i];
		}
		free(r->rips);
		r->rips = n;
		r->rip_cap = cap;
	}
	size_t j = mix(rip) & (r->rip_cap - 1);
	for (; r->rips[j]; j = (j + 1) & (r->rip_cap - 1))
		if (r->rips[j] == rip)
			return;
	r->rips[j] = rip;
	r->nrips++;

	uint8_t code[16];
	char text[200] = "(not readable)";
	size_t have = guest_read_code(r->s->mem, mm, rip, code, sizeof code);
	size_t len = have;
	if (have && r->cs_ok) {
		cs_insn *insn;
		size_t cnt = cs_disasm(r->cs, code, have, rip, 1, &insn);
		if (cnt) {
			snprintf(text, sizeof text, "%s%s%s", insn[0].mnemonic, insn[0].op_str[0] ? " " : "",
				 insn[0].op_str);
			len = insn[0].size;
			cs_free(insn, cnt);
		} else {
			snprintf(text, sizeof text, "(undecodable)");
		}
	}
	trace_add_insn(r->s->trace, rip, code, len, text);
}

/* The annotator: faults and signals get their VMA and instruction. */
static int64_t annotate(void *ctx, const struct trace_event *ev)
{
	struct run_record *r = ctx;
	struct proc_table *pt = r->s->procs;
	struct task *t = pt ? (pt->exec_task ? pt->exec_task : pt->current) : NULL;
	struct mm_struct *mm = pt && pt->exec_task ? pt->exec_mm : t ? t->mm : NULL;
	if (!t || !mm)
		return 0;
	note_rip(r, mm, ev->ip);
	struct vm_area_struct *v = find_vma(mm, ev->addr);
	if (!v || v->vm_start > ev->addr)
		return 0;
	return intern_vma(r, t->pid, mm, v);
}

/* Samples of "name value" lines of TEXT (meminfo's "Name:  N kB" too). */
static void sample_lines(struct trace *tr, uint64_t time, const char *kind, const char *text)
{
	const char *line = text;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char name[64];
		long long v;
		if (sscanf(line, "%63[^: ]%*[: ]%lld", name, &v) == 2)
			trace_add_sample(tr, time, kind, -1, NULL, -1, name, v);
		line = nl ? nl + 1 : NULL;
	}
}

/* Per zone of /proc/zoneinfo: free, min, low, high, managed... */
static void sample_zoneinfo(struct trace *tr, uint64_t time, const char *text)
{
	char zone[48] = "";
	bool in = false;
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		int node;
		char zn[32], name[64];
		long long v;
		if (sscanf(line, "Node %d, zone %31s", &node, zn) == 2) {
			snprintf(zone, sizeof zone, "%d:%s", node, zn);
			in = false;
		} else if (sscanf(line, " pages free %lld", &v) == 1) {
			in = true;
			trace_add_sample(tr, time, "zone", -1, zone, -1, "free", v);
		} else if (!strncmp(line + strspn(line, " "), "pagesets", 8)) {
			in = false;
		} else if (in && sscanf(line, " %63s %lld", name, &v) == 2 && name[strlen(name) - 1] != ':') {
			trace_add_sample(tr, time, "zone", -1, zone, -1, name, v);
		}
		line = nl ? nl + 1 : NULL;
	}
}

/* Free blocks per zone and order from /proc/buddyinfo. */
static void sample_buddyinfo(struct trace *tr, uint64_t time, const char *text)
{
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		int node, used;
		char zn[32], zone[48];
		if (sscanf(line, "Node %d, zone %31s%n", &node, zn, &used) == 2) {
			snprintf(zone, sizeof zone, "%d:%s", node, zn);
			const char *p = line + used;
			char *end;
			for (int order = 0;; order++) {
				long long v = strtoll(p, &end, 10);
				if (end == p || (nl && end > nl))
					break;
				trace_add_sample(tr, time, "buddy", -1, zone, order, "free_blocks", v);
				p = end;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

struct mmu_sample {
	struct trace *tr;
	uint64_t time;
};

static void sample_mmu_stat(void *ctx, const char *name, unsigned long val)
{
	struct mmu_sample *m = ctx;
	trace_add_sample(m->tr, m->time, "tlb", -1, NULL, -1, name, (int64_t)val);
}

/* One sample of everything at S's current time. */
static void take_sample(struct run_record *r)
{
	struct sim *s = r->s;
	struct trace *tr = s->trace;
	uint64_t now = s->insns;
	struct strbuf sb = { 0 };

	proc_vmstat(s->mem, &sb);
	sample_lines(tr, now, "vmstat", sb.buf);
	sb.len = 0;
	proc_meminfo(s->mem, &sb);
	sample_lines(tr, now, "meminfo", sb.buf);
	sb.len = 0;
	proc_zoneinfo(s->mem, &sb);
	sample_zoneinfo(tr, now, sb.buf);
	sb.len = 0;
	proc_buddyinfo(s->mem, &sb);
	sample_buddyinfo(tr, now, sb.buf);
	sb_free(&sb);
	struct mmu_sample ms = { tr, now };
	mmu_stat_foreach(s->mmu, sample_mmu_stat, &ms);
	const struct fault_stats *f = &s->mem->faults;
#define SAMPLE_KIND(k) trace_add_sample(tr, now, "faults", -1, NULL, -1, #k, (int64_t)f->k);
	FAULT_STATS_KINDS(SAMPLE_KIND)
#undef SAMPLE_KIND
	if (!s->procs)
		return;
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		struct mm_struct *mm = t->mm;
		if (t->state >= EXIT_ZOMBIE || !mm)
			continue;
		unsigned long kb = PAGE_SIZE / 1024;
		trace_add_sample(tr, now, "proc", t->pid, NULL, -1, "rss_kb",
				 (int64_t)((mm->rss_anon + mm->rss_file + mm->rss_shmem) * kb));
		trace_add_sample(tr, now, "proc", t->pid, NULL, -1, "rss_anon_kb", (int64_t)(mm->rss_anon * kb));
		trace_add_sample(tr, now, "proc", t->pid, NULL, -1, "rss_file_kb", (int64_t)(mm->rss_file * kb));
		trace_add_sample(tr, now, "proc", t->pid, NULL, -1, "swap_kb", (int64_t)(mm->swapents * kb));
		trace_add_sample(tr, now, "proc", t->pid, NULL, -1, "vm_kb", (int64_t)(mm->total_vm * kb));
	}
}

/* After every slice: Ctrl-C, then a sample when one is due.
 *
 * Ctrl-C takes effect at the first slice boundary after it that follows a
 * slice which retired instructions, so the run stops at the first boundary
 * where the instruction count reaches its final value N (every earlier
 * boundary is below N).  A re-execution of the run (replay, proc, what-if:
 * R->interrupt_at = N) stops at that same boundary, the same way. */
static void on_slice(struct sim *s, void *ctx)
{
	struct run_record *r = ctx;
	bool advanced = s->insns != r->slice_insns;
	r->slice_insns = s->insns;
	if (((sigint_seen && advanced) || (r->interrupt_at && s->insns >= r->interrupt_at)) && !s->procs->stop) {
		s->procs->stop = true;
		snprintf(s->procs->stop_reason, sizeof s->procs->stop_reason, "%s", RUN_INTERRUPTED_REASON);
	}
	if (trace_stop_requested(s->trace) && !s->procs->stop) {
		s->procs->stop = true;
		snprintf(s->procs->stop_reason, sizeof s->procs->stop_reason, "stopped by the trace reader");
	}
	if (r->sample_every && s->insns >= r->next_sample) {
		take_sample(r);
		r->next_sample = (s->insns / r->sample_every + 1) * r->sample_every;
	}
	if (r->chain)
		r->chain(s, r->chain_ctx);
}

int run_record_program(struct run_record *r, const char *program, const char *canon, const uint8_t *image,
		       size_t size, bool builtin)
{
	char hex[65];
	if (!r->s || !trace_has_db(r->s->trace))
		return 0;
	struct trace *tr = r->s->trace;
	sha256_hex(image, size, hex);
	trace_run_set_text(tr, "program", program);
	trace_run_set_text(tr, "program_path", canon);
	trace_run_set_text(tr, "program_sha256", hex);
	return trace_add_input(tr, "program", canon, builtin ? NULL : program, size, hex);
}

/* The trace's state probe (trace_set_state_probe) over the memsys. */
static size_t state_gather(void *ctx, int64_t *buf, size_t cap)
{
	return proc_state_gather(ctx, buf, cap);
}

static const char *state_layout(void *ctx)
{
	return proc_state_layout(ctx);
}

int run_record_begin(struct run_record *r, struct sim *s, char *const *argv, int argc, const char *const *env,
		     int envc, uint64_t sample_every)
{
	struct trace *tr = s->trace;
	char when[32], cwd[4096];
	memset(r, 0, sizeof *r);
	r->s = s;
	if (!trace_is_recording(tr))
		return 0;
	if (!trace_has_db(tr))
		goto hooks; /* an observer: only the stop request and Ctrl-C */
	r->sample_every = sample_every;
	r->next_sample = 0;
	r->cs_ok = cs_open(CS_ARCH_X86, CS_MODE_64, &r->cs) == CS_ERR_OK;

	char *av = json_array((const char *const *)argv, argc), *ev = json_array(env, envc);
	now_utc(when, sizeof when);
	trace_run_set_text(tr, "argv", av);
	trace_run_set_text(tr, "env", ev);
	trace_run_set_text(tr, "cwd", getcwd(cwd, sizeof cwd) ? cwd : NULL);
	trace_run_set_int(tr, "seed", (int64_t)s->cfg.seed);
	trace_run_set_int(tr, "sample_every", (int64_t)sample_every);
	trace_run_set_text(tr, "started_at", when);
	free(av);
	free(ev);
	char empty[65];
	sha256_hex((const uint8_t *)"", 0, empty);
	trace_run_set_text(tr, "stdin_sha256", empty); /* no --stdin: the guest reads nothing */

	/* the machine as built: every setting, defaults made explicit */
	struct sim_config full = s->cfg;
	if (!full.tlb[0]) {
		struct tlb_config tc;
		tlb_config_default(&tc);
		tlb_config_format(&tc, full.tlb, sizeof full.tlb);
	}
	if (full.mem.min_free_kbytes < 0)
		full.mem.min_free_kbytes = s->mem->min_free_kbytes;
	char machine[2048];
	sim_config_format(&full, machine, sizeof machine);
	trace_run_set_text(tr, "machine", machine);

	if (s->procs && s->procs->vfs)
		vfs_set_read_hook(s->procs->vfs, on_file_read, r);
	trace_set_annotator(tr, annotate, r);
	/* /proc's global numbers with every event: proc --at's checkpoints */
	r->pstate = proc_state_create(s->mem);
	if (r->pstate)
		trace_set_state_probe(tr, state_gather, state_layout, r->pstate);
	r->vrec = r->pstate ? view_record_create(s) : NULL;
	if (r->vrec)
		trace_set_view_probe(tr, view_record_step, r->vrec);
hooks:
	if (s->procs) {
		r->chain = s->procs->progress;
		r->chain_ctx = s->procs->progress_ctx;
		s->procs->progress = on_slice;
		s->procs->progress_ctx = r;
	}
	struct sigaction sa = { 0 };
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigint_seen = 0;
	r->sigint_installed = sigaction(SIGINT, &sa, &old_sigint) == 0;
	return trace_error(tr) ? -1 : 0;
}

int run_record_stdin(struct run_record *r, const char *path, const uint8_t *data, size_t size)
{
	char hex[65];
	if (!r->s || !trace_has_db(r->s->trace))
		return 0;
	sha256_hex(data, size, hex);
	trace_run_set_text(r->s->trace, "stdin_sha256", hex);
	return trace_add_input(r->s->trace, "stdin", "<stdin>", path, size, hex);
}

/* The counters table: every number the summary and diff show. */
static void store_counters(struct run_record *r)
{
	struct sim *s = r->s;
	struct trace *tr = s->trace;
	char name[96];
	struct vmstat_snap end;
	if (vmstat_snapshot(s, &end) == 0) {
		for (int i = 0; i < end.n; i++) {
			snprintf(name, sizeof name, "vmstat.%s", end.name[i]);
			trace_set_counter(tr, name, end.val[i]);
		}
		vmstat_snap_free(&end);
	}
	for (unsigned i = 0; i < TEV__COUNT; i++) {
		snprintf(name, sizeof name, "events.%s", trace_event_name(i));
		trace_set_counter(tr, name, (int64_t)trace_count(tr, i));
	}
	const struct fault_stats *f = &s->mem->faults;
#define COUNTER_KIND(k) trace_set_counter(tr, "faults." #k, (int64_t)f->k);
	FAULT_STATS_KINDS(COUNTER_KIND)
#undef COUNTER_KIND
	trace_set_counter(tr, "run.instructions", (int64_t)s->insns);
	if (s->procs) {
		trace_set_counter(tr, "run.simulated_ns", (int64_t)(s->insns + s->procs->idle_ns));
		trace_set_counter(tr, "run.context_switches", (int64_t)s->procs->ctx_switches);
		trace_set_counter(tr, "run.processes", s->procs->nr_records);
	}
}

struct mmu_counter_ctx {
	struct trace *tr;
};

static void counter_mmu_stat(void *ctx, const char *name, unsigned long val)
{
	char full[96];
	snprintf(full, sizeof full, "mmu.%s", name);
	trace_set_counter(((struct mmu_counter_ctx *)ctx)->tr, full, (int64_t)val);
}

int run_record_end(struct run_record *r, const char *reason, int ws)
{
	struct sim *s = r->s;
	char when[32], why[1100];
	if (!s || !trace_has_db(s->trace))
		return 0;
	if (r->sample_every)
		take_sample(r);
	store_counters(r);
	struct mmu_counter_ctx mc = { s->trace };
	mmu_stat_foreach(s->mmu, counter_mmu_stat, &mc);
	now_utc(when, sizeof when);
	trace_run_set_text(s->trace, "ended_at", when);
	if (reason)
		snprintf(why, sizeof why, "%s", reason);
	else if (ws & 0x7f)
		snprintf(why, sizeof why, "killed by signal %d (SIG%s)", ws & 0x7f,
			 sigabbrev_np(ws & 0x7f) ? sigabbrev_np(ws & 0x7f) : "?");
	else
		snprintf(why, sizeof why, "exited with status %d", (ws >> 8) & 0xff);
	trace_run_set_text(s->trace, "finish_reason", why);
	trace_run_set_int(s->trace, "instructions", (int64_t)s->insns);
	return trace_error(s->trace) ? -1 : 0;
}

int run_record_summary(struct run_record *r, const char *text, const char *json)
{
	if (!r->s || !trace_has_db(r->s->trace))
		return 0;
	trace_run_set_text(r->s->trace, "summary_text", text);
	trace_run_set_text(r->s->trace, "summary_json", json);
	return trace_flush(r->s->trace);
}

void run_record_free(struct run_record *r)
{
	if (r->sigint_installed)
		sigaction(SIGINT, &old_sigint, NULL);
	r->sigint_installed = false;
	if (r->s && r->s->procs && r->s->procs->progress == on_slice) {
		r->s->procs->progress = r->chain;
		r->s->procs->progress_ctx = r->chain_ctx;
	}
	if (r->s && r->s->trace) {
		trace_set_annotator(r->s->trace, NULL, NULL);
		trace_set_state_probe(r->s->trace, NULL, NULL, NULL);
		trace_set_view_probe(r->s->trace, NULL, NULL);
	}
	proc_state_destroy(r->pstate);
	view_record_destroy(r->vrec);
	r->vrec = NULL;
	if (r->s && r->s->procs && r->s->procs->vfs)
		vfs_set_read_hook(r->s->procs->vfs, NULL, NULL);
	if (r->cs_ok)
		cs_close(&r->cs);
	r->cs_ok = false;
	free(r->vmas);
	free(r->rips);
	memset(r, 0, sizeof *r);
}
