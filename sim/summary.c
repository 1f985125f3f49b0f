/* sim/summary.c - the run summary (see sim/summary.h). */
#include "sim/summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/proc.h"
#include "mm/swapfile.h"
#include "mm/vmstat.h"
#include "mmu/mmu.h"
#include "mmu/smp.h"
#include "sim/process.h"
#include "sim/sim.h"
#include "sim/sys_internal.h"
#include "sim/syscall.h"

/* Parse "name value" lines of /proc/vmstat text. */
int vmstat_snapshot(struct sim *s, struct vmstat_snap *out)
{
	struct strbuf sb = { 0 };
	memset(out, 0, sizeof(*out));
	proc_vmstat(s->mem, &sb);
	int cap = 0;
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n')
			cap++;
	out->name = calloc((size_t)cap + 1, sizeof(*out->name));
	out->val = calloc((size_t)cap + 1, sizeof(*out->val));
	if (!out->name || !out->val) {
		sb_free(&sb);
		vmstat_snap_free(out);
		return -1;
	}
	char *line = sb.buf;
	while (line && *line && out->n < cap) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char name[48];
		long long v;
		if (sscanf(line, "%47s %lld", name, &v) == 2) {
			strcpy(out->name[out->n], name);
			out->val[out->n++] = v;
		}
		line = nl ? nl + 1 : NULL;
	}
	sb_free(&sb);
	return 0;
}

void vmstat_snap_free(struct vmstat_snap *v)
{
	free(v->name);
	free(v->val);
	memset(v, 0, sizeof(*v));
}

void json_put_string(FILE *out, const char *str)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* The errno names an exec refusal can give. */
static const char *errno_name(int e)
{
	switch (e) {
	case ENOEXEC: return "ENOEXEC";
	case ELIBBAD: return "ELIBBAD";
	default: return "?";
	}
}

/* 1234567 -> "1,234,567" (perf stat's grouping). */
static const char *grouped(unsigned long long v, char *buf, size_t len)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", v), o = 0;
	for (int i = 0; i < n && (size_t)o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

/* MMU stat NAME summed over the machine's CPUs. */
static unsigned long mstat(struct sim *s, const char *name)
{
	unsigned long v = 0, sum = 0;
	int n = s->smp ? s->smp->nr_cpus : 1;
	for (int i = 0; i < n; i++)
		if (mmu_stat_lookup(s->smp ? s->smp->cpu[i].mmu : s->mmu, name, &v) == 0)
			sum += v;
	return sum;
}

/* Per CPU (--cpus N > 1): instructions, busy time, context switches,
 * dTLB/iTLB misses, shootdowns started and IPIs received. */
static void print_cpus_text(struct sim *s, FILE *out)
{
	if (!s->smp)
		return;
	struct proc_table *pt = s->procs;
	fprintf(out, "\n   cpu  instructions    busy_ns  ctx_sw  dTLB-load-misses  dTLB-store-misses  iTLB-load-misses"
		     "  shootdowns  ipis_sent  ipis_received\n");
	for (int i = 0; i < s->smp->nr_cpus; i++) {
		const struct smp_cpu *c = &s->smp->cpu[i];
		unsigned long dl = 0, ds = 0, il = 0;
		mmu_stat_lookup(c->mmu, "dTLB-load-misses", &dl);
		mmu_stat_lookup(c->mmu, "dTLB-store-misses", &ds);
		mmu_stat_lookup(c->mmu, "iTLB-load-misses", &il);
		fprintf(out, "%6d %13llu %10llu %7llu %17lu %18lu %17lu %11lu %10lu %14lu\n", i,
			(unsigned long long)pt->cpu[i].insns, (unsigned long long)pt->cpu[i].busy_ns,
			(unsigned long long)pt->cpu[i].ctx_switches, dl, ds, il, c->remote_flushes, c->ipis_sent,
			c->ipis_received);
	}
}

static void json_mmu_stat(void *ctx, const char *name, unsigned long val);

/* "cpus":[...] of --json: the same figures, and every MMU stat per CPU. */
static void print_cpus_json(struct sim *s, FILE *out)
{
	struct proc_table *pt = s->procs;
	int n = s->smp ? s->smp->nr_cpus : 1;
	fputs(",\"cpus\":[", out);
	for (int i = 0; i < n; i++) {
		const struct smp_cpu *c = s->smp ? &s->smp->cpu[i] : NULL;
		fprintf(out, "%s{\"cpu\":%d,\"instructions\":%llu,\"busy_ns\":%llu,\"context_switches\":%llu,"
			     "\"shootdowns\":%lu,\"ipis_sent\":%lu,\"ipis_received\":%lu,\"tlb\":{",
			i ? "," : "", i, (unsigned long long)(c ? pt->cpu[i].insns : s->insns),
			(unsigned long long)(c ? pt->cpu[i].busy_ns : s->insns),
			(unsigned long long)(c ? pt->cpu[i].ctx_switches : pt->ctx_switches), c ? c->remote_flushes : 0,
			c ? c->ipis_sent : 0, c ? c->ipis_received : 0);
		struct { FILE *out; bool first; } j = { out, true };
		mmu_stat_foreach(c ? c->mmu : s->mmu, json_mmu_stat, &j);
		fputs("}}", out);
	}
	fputs("]", out);
}

/* Threads (tasks whose tid is not their process's pid): "   threads of
 * pid 1: 2 3 4" lines after the task table. */
static void print_threads_text(struct sim *s, FILE *out)
{
	struct proc_table *pt = s->procs;
	for (int i = 0; i < pt->nr_records; i++) {
		const struct proc_record *r = &pt->records[i];
		if (r->tgid != r->pid)
			continue;
		bool any = false;
		for (int k = i + 1; k < pt->nr_records; k++) {
			if (pt->records[k].tgid != r->pid || pt->records[k].pid == r->pid)
				continue;
			fprintf(out, any ? " %d" : "\n   threads of pid %d:", any ? pt->records[k].pid : r->pid);
			if (!any)
				fprintf(out, " %d", pt->records[k].pid);
			any = true;
		}
		if (any)
			fputc('\n', out);
	}
}

static double pct(unsigned long part, unsigned long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The process was alive when the run ended (its exit_code is the run's). */
static bool alive_at_end(const struct proc_record *r)
{
	return r->end_state == 'R' || r->end_state == 'S' || r->end_state == 'T';
}

/* The status column: "exit N" / "signal N", "zombie (exit N)" for an
 * unreaped child, or the state of a process alive at the end. */
static void status_text(const struct proc_record *r, char *buf, size_t len)
{
	int ws = r->exit_code;
	char st[24];
	const char *sig = r->end_stop_sig > 0 ? sigabbrev_np(r->end_stop_sig) : NULL;
	switch (r->end_state) {
	case 'R': snprintf(buf, len, "running"); return;
	case 'S': snprintf(buf, len, "sleeping (%s)", r->end_wchan ? r->end_wchan : "?"); return;
	case 'T': snprintf(buf, len, "stopped (SIG%s)", sig ? sig : "?"); return;
	}
	if (ws < 0)
		snprintf(st, sizeof(st), "running");
	else if (ws & 0x7f)
		snprintf(st, sizeof(st), "signal %d", ws & 0x7f);
	else
		snprintf(st, sizeof(st), "exit %d", (ws >> 8) & 0xff);
	if (r->end_state == 'Z')
		snprintf(buf, len, "zombie (%s)", st);
	else
		snprintf(buf, len, "%s", st);
}

/* state_at_end in --json: Linux's task state names. */
static const char *state_name(const struct proc_record *r)
{
	switch (r->end_state) {
	case 'R': return "running";
	case 'S': return "sleeping";
	case 'T': return "stopped";
	case 'Z': return "zombie";
	default: return r->exit_code < 0 ? "running" : "exited";
	}
}

static const char *const tlb_levels[] = { "l1d", "l1d2m", "l1i", "l1i2m", "l2" };

/* The memory-pressure figures of the run (mm/vmscan.h, mm/swapfile.h). */
struct pressure {
	unsigned long kswapd_scan, kswapd_steal, direct_scan, direct_steal, allocstall, pswpout, pswpin;
	long refault_anon, refault_file, activate_anon, activate_file;
	unsigned long oom_kill;
	unsigned long long kswapd_ns, stall_ns;
};

static void pressure_get(struct sim *s, struct pressure *p)
{
	const unsigned long *v = s->mem->vm_events;
	p->kswapd_scan = v[PGSCAN_KSWAPD];
	p->kswapd_steal = v[PGSTEAL_KSWAPD];
	p->direct_scan = v[PGSCAN_DIRECT];
	p->direct_steal = v[PGSTEAL_DIRECT];
	p->allocstall = v[ALLOCSTALL_DMA] + v[ALLOCSTALL_DMA32] + v[ALLOCSTALL_NORMAL] + v[ALLOCSTALL_MOVABLE];
	p->pswpout = v[PSWPOUT];
	p->pswpin = v[PSWPIN];
	p->refault_anon = global_node_page_state(s->mem, WORKINGSET_REFAULT_ANON);
	p->refault_file = global_node_page_state(s->mem, WORKINGSET_REFAULT_FILE);
	p->activate_anon = global_node_page_state(s->mem, WORKINGSET_ACTIVATE_ANON);
	p->activate_file = global_node_page_state(s->mem, WORKINGSET_ACTIVATE_FILE);
	p->oom_kill = v[OOM_KILL];
	p->kswapd_ns = s->mem->kswapd_ns;
	p->stall_ns = s->mem->stall_ns;
}

/* The text summary's memory-pressure block: only when something was
 * reclaimed, scanned or swapped (or a swap area exists). */
static void pressure_print_text(struct sim *s, FILE *out)
{
	struct pressure p;
	char b1[32];

	pressure_get(s, &p);
	if (!s->mem->swap && !p.kswapd_scan && !p.direct_scan && !p.pswpin && !p.oom_kill)
		return;
	fprintf(out, "\n   memory pressure:\n");
	fprintf(out, "%20s      kswapd scanned            # %lu reclaimed, %.3f ms of kswapd time\n",
		grouped(p.kswapd_scan, b1, sizeof(b1)), p.kswapd_steal, (double)p.kswapd_ns / 1e6);
	fprintf(out, "%20s      direct reclaim scanned    # %lu reclaimed, %lu stalls, %.3f ms stalled\n",
		grouped(p.direct_scan, b1, sizeof(b1)), p.direct_steal, p.allocstall, (double)p.stall_ns / 1e6);
	fprintf(out, "%20s      pages swapped out         # %lu swapped in\n", grouped(p.pswpout, b1, sizeof(b1)),
		p.pswpin);
	fprintf(out, "%20s      refaults                  # anon %ld, file %ld; activated anon %ld, file %ld\n",
		grouped((unsigned long)(p.refault_anon + p.refault_file), b1, sizeof(b1)), p.refault_anon,
		p.refault_file, p.activate_anon, p.activate_file);
	fprintf(out, "%20s      OOM kills\n", grouped(p.oom_kill, b1, sizeof(b1)));
}

static void pressure_print_json(struct sim *s, FILE *out)
{
	struct pressure p;

	pressure_get(s, &p);
	fprintf(out,
		",\"memory_pressure\":{\"pgscan_kswapd\":%lu,\"pgsteal_kswapd\":%lu,\"pgscan_direct\":%lu,"
		"\"pgsteal_direct\":%lu,\"allocstall\":%lu,\"pswpout\":%lu,\"pswpin\":%lu,"
		"\"workingset_refault_anon\":%ld,\"workingset_refault_file\":%ld,\"workingset_activate_anon\":%ld,"
		"\"workingset_activate_file\":%ld,\"oom_kill\":%lu,\"kswapd_ns\":%llu,\"direct_stall_ns\":%llu,"
		"\"swap_total_kb\":%ld,\"swap_used_kb\":%ld}",
		p.kswapd_scan, p.kswapd_steal, p.direct_scan, p.direct_steal, p.allocstall, p.pswpout, p.pswpin,
		p.refault_anon, p.refault_file, p.activate_anon, p.activate_file, p.oom_kill, p.kswapd_ns, p.stall_ns,
		total_swap_pages(s->mem) * 4, (total_swap_pages(s->mem) - nr_swap_pages(s->mem)) * 4);
}

void summary_print_text(struct sim *s, const struct summary_info *si, FILE *out)
{
	struct proc_table *pt = s->procs;
	char b1[32], b2[32];
	const struct fault_stats *f = &s->mem->faults;
	unsigned long long insns = s->insns, now = sim_now_ns(s);

	fprintf(out, "\n Performance counter stats for 'mmsim run %s':\n\n", si->command);
	fprintf(out, "%20s      instructions\n", grouped(insns, b1, sizeof(b1)));
	fprintf(out, "%20.6f ms   simulated time            # 1 ns per instruction + idle waits + reclaim\n", (double)now / 1e6);
	fprintf(out, "%20s      page-faults               # %lu minor, %lu major\n",
		grouped(s->mem->vm_events[PGFAULT], b1, sizeof(b1)),
		s->mem->vm_events[PGFAULT] - s->mem->vm_events[PGMAJFAULT], s->mem->vm_events[PGMAJFAULT]);
	fprintf(out, "%20s      faults by kind            #", "");
	const char *sep = " ";
#define TEXT_KIND(k) fprintf(out, "%s" #k " %lu", sep, f->k), sep = ", ";
	FAULT_STATS_KINDS(TEXT_KIND)
#undef TEXT_KIND
	fputc('\n', out);
	fprintf(out, "%20s      COW copies\n", grouped(trace_count(s->trace, TEV_COW), b1, sizeof(b1)));
	static const char *const perf[3][2] = { { "dTLB-loads", "dTLB-load-misses" },
						 { "dTLB-stores", "dTLB-store-misses" },
						 { "iTLB-loads", "iTLB-load-misses" } };
	for (int k = 0; k < 3; k++) {
		unsigned long l = mstat(s, perf[k][0]), m = mstat(s, perf[k][1]);
		fprintf(out, "%20s      %-25s\n", grouped(l, b1, sizeof(b1)), perf[k][0]);
		fprintf(out, "%20s      %-25s # %6.2f%% of all %s\n", grouped(m, b2, sizeof(b2)), perf[k][1], pct(m, l),
			perf[k][0]);
	}
	for (size_t i = 0; i < sizeof(tlb_levels) / sizeof(tlb_levels[0]); i++) {
		char hn[48], mn[48];
		snprintf(hn, sizeof(hn), "tlb.%s.hits", tlb_levels[i]);
		snprintf(mn, sizeof(mn), "tlb.%s.misses", tlb_levels[i]);
		unsigned long h = mstat(s, hn), m = mstat(s, mn);
		fprintf(out, "%20s      %-25s # %s misses, %6.2f%% miss rate\n", grouped(h, b1, sizeof(b1)), hn,
			grouped(m, b2, sizeof(b2)), pct(m, h + m));
	}
	unsigned long walks = mstat(s, "walk.count"), refs = mstat(s, "walk.refs");
	fprintf(out, "%20s      page walks                # %.2f entry reads per walk\n", grouped(walks, b1, sizeof(b1)),
		walks ? (double)refs / (double)walks : 0.0);
	fprintf(out, "%20s      context switches\n", grouped(pt->ctx_switches, b1, sizeof(b1)));
	if (s->smp)
		fprintf(out, "%20s      TLB shootdowns            # %lu IPIs, %d CPUs\n",
			grouped(s->mem->vm_events[NR_TLB_REMOTE_FLUSH], b1, sizeof(b1)),
			s->mem->vm_events[NR_TLB_REMOTE_FLUSH_RECEIVED], s->smp->nr_cpus);
	print_cpus_text(s, out);
	pressure_print_text(s, out);

	/* the status column is 10 wide, more when a state needs it */
	int width = 10, alive = 0;
	for (int i = 0; i < pt->nr_records; i++) {
		char st[64];
		status_text(&pt->records[i], st, sizeof(st));
		if ((int)strlen(st) > width)
			width = (int)strlen(st);
		alive += alive_at_end(&pt->records[i]);
	}
	fprintf(out, "\n   pid   ppid  comm             %-*s    min_flt    maj_flt  cow_faults  peak_rss_kB\n", width,
		"status");
	for (int i = 0; i < pt->nr_records; i++) {
		const struct proc_record *r = &pt->records[i];
		char st[64];
		status_text(r, st, sizeof(st));
		fprintf(out, "%6d %6d  %-16s %-*s %10llu %10llu  %10llu  %11llu\n", r->pid, r->ppid, r->comm, width, st,
			(unsigned long long)r->min_flt, (unsigned long long)r->maj_flt,
			(unsigned long long)r->cow_faults, (unsigned long long)r->hiwater_rss_kb);
	}
	print_threads_text(s, out);
	if (alive)
		fprintf(out, "\n   %d process%s alive when the run ended (state shown as it was then), then killed by mmsim\n",
			alive, alive == 1 ? "" : "es");
	oom_summary_text(s, out);
	if (pt->forks_refused)
		fprintf(out, "\n   fork refused %llu time(s): process limit max_procs=%d reached (EAGAIN)\n",
			(unsigned long long)pt->forks_refused, pt->max_procs);

	struct vmstat_snap end;
	if (si->start && vmstat_snapshot(s, &end) == 0) {
		fprintf(out, "\n   vmstat counters that moved:\n");
		for (int i = 0; i < end.n; i++) {
			long long before = 0;
			for (int j = 0; j < si->start->n; j++)
				if (!strcmp(si->start->name[j], end.name[i])) {
					before = si->start->val[j];
					break;
				}
			if (end.val[i] != before)
				fprintf(out, "%20lld      %s\n", end.val[i] - before, end.name[i]);
		}
		vmstat_snap_free(&end);
	}
	if (pt->nr_exec_refusals) {
		fprintf(out, "\n   exec refused (programs Linux runs but mmsim cannot):\n");
		for (int i = 0; i < pt->nr_exec_refusals; i++) {
			const struct exec_refusal *r = &pt->exec_refusals[i];
			fprintf(out, "%20llu      %s: %s (errno %s, first pid %d)\n", (unsigned long long)r->count,
				r->path, r->reason, errno_name(r->err), r->pid);
		}
	}
	if (pt->nr_unknown) {
		fprintf(out, "\n   unknown syscalls (returned ENOSYS):\n");
		for (int i = 0; i < pt->nr_unknown; i++) {
			const char *nm = syscall_name(pt->unknown[i].nr);
			fprintf(out, "%20llu      %s (%ld)\n", (unsigned long long)pt->unknown[i].count, nm ? nm : "?",
				pt->unknown[i].nr);
		}
	}
	if (si->stop_reason)
		fprintf(out, "\n   stopped: %s\n", si->stop_reason);
	fprintf(out, "\n   exit code %d\n\n", si->exit_code);
}

struct json_ctx {
	FILE *out;
	bool first;
};

static void json_mmu_stat(void *ctx, const char *name, unsigned long val)
{
	struct json_ctx *j = ctx;
	fputs(j->first ? "" : ",", j->out);
	j->first = false;
	json_put_string(j->out, name);
	fprintf(j->out, ":%lu", val);
}

struct json_sum {
	struct json_ctx *j;
	struct sim *s;
};

/* A stat of CPU 0's MMU, printed as its sum over every CPU. */
static void json_mmu_stat_sum(void *ctx, const char *name, unsigned long val)
{
	struct json_sum *js = ctx;
	json_mmu_stat(js->j, name, js->s->smp ? mstat(js->s, name) : val);
}

void summary_print_json(struct sim *s, const struct summary_info *si, FILE *out)
{
	struct proc_table *pt = s->procs;
	const struct fault_stats *f = &s->mem->faults;
	fprintf(out, "{\"exit_code\":%d,\"wait_status\":%d,\"stop_reason\":", si->exit_code, si->wait_status);
	if (si->stop_reason)
		json_put_string(out, si->stop_reason);
	else
		fputs("null", out);
	fprintf(out, ",\"instructions\":%llu,\"simulated_ns\":%llu,\"context_switches\":%llu",
		(unsigned long long)s->insns, (unsigned long long)sim_now_ns(s),
		(unsigned long long)pt->ctx_switches);
	fprintf(out, ",\"faults\":{\"total\":%lu,\"minor\":%lu,\"major\":%lu", s->mem->vm_events[PGFAULT],
		s->mem->vm_events[PGFAULT] - s->mem->vm_events[PGMAJFAULT], s->mem->vm_events[PGMAJFAULT]);
#define JSON_KIND(k) fprintf(out, ",\"" #k "\":%lu", f->k);
	FAULT_STATS_KINDS(JSON_KIND)
#undef JSON_KIND
	fprintf(out, ",\"cow_copies\":%llu}", (unsigned long long)trace_count(s->trace, TEV_COW));
	pressure_print_json(s, out);
	fputs(",\"tlb\":{", out);
	struct json_ctx j = { out, true };
	mmu_stat_foreach(s->mmu, json_mmu_stat_sum, &(struct json_sum){ &j, s });
	fputs("}", out);
	print_cpus_json(s, out);
	fputs(",\"vmstat\":{", out);
	struct vmstat_snap end;
	if (si->start && vmstat_snapshot(s, &end) == 0) {
		bool first = true;
		for (int i = 0; i < end.n; i++) {
			long long before = 0;
			for (int k = 0; k < si->start->n; k++)
				if (!strcmp(si->start->name[k], end.name[i])) {
					before = si->start->val[k];
					break;
				}
			if (end.val[i] == before)
				continue;
			fputs(first ? "" : ",", out);
			first = false;
			json_put_string(out, end.name[i]);
			fprintf(out, ":%lld", end.val[i] - before);
		}
		vmstat_snap_free(&end);
	}
	fputs("},\"processes\":[", out);
	for (int i = 0; i < pt->nr_records; i++) {
		const struct proc_record *r = &pt->records[i];
		fprintf(out, "%s{\"pid\":%d,\"tgid\":%d,\"ppid\":%d,\"comm\":", i ? "," : "", r->pid, r->tgid, r->ppid);
		json_put_string(out, r->comm);
		if (r->exit_code < 0 || alive_at_end(r))
			fputs(",\"exit_status\":null,\"signal\":null", out);
		else
			fprintf(out, ",\"exit_status\":%d,\"signal\":%d", (r->exit_code & 0x7f) ? -1 : (r->exit_code >> 8) & 0xff,
				r->exit_code & 0x7f);
		fprintf(out, ",\"state_at_end\":\"%s\",\"stop_signal\":", state_name(r));
		if (r->end_state == 'T')
			fprintf(out, "%d", r->end_stop_sig);
		else
			fputs("null", out);
		fputs(",\"wchan\":", out);
		if (r->end_state == 'S' && r->end_wchan)
			json_put_string(out, r->end_wchan);
		else
			fputs("null", out);
		fprintf(out, ",\"min_flt\":%llu,\"maj_flt\":%llu,\"cow_faults\":%llu,\"peak_rss_kb\":%llu,\"instructions\":%llu}",
			(unsigned long long)r->min_flt, (unsigned long long)r->maj_flt, (unsigned long long)r->cow_faults,
			(unsigned long long)r->hiwater_rss_kb, (unsigned long long)r->insns);
	}
	fputs("],", out);
	oom_summary_json(s, out);
	fprintf(out, "\"forks_refused\":%llu,\"exec_refusals\":[", (unsigned long long)pt->forks_refused);
	for (int i = 0; i < pt->nr_exec_refusals; i++) {
		const struct exec_refusal *r = &pt->exec_refusals[i];
		fputs(i ? ",{\"path\":" : "{\"path\":", out);
		json_put_string(out, r->path);
		fputs(",\"reason\":", out);
		json_put_string(out, r->reason);
		fprintf(out, ",\"errno\":\"%s\",\"pid\":%d,\"count\":%llu}", errno_name(r->err), r->pid,
			(unsigned long long)r->count);
	}
	fputs("],\"unknown_syscalls\":[", out);
	for (int i = 0; i < pt->nr_unknown; i++) {
		const char *nm = syscall_name(pt->unknown[i].nr);
		fprintf(out, "%s{\"nr\":%ld,\"name\":", i ? "," : "", pt->unknown[i].nr);
		json_put_string(out, nm ? nm : "?");
		fprintf(out, ",\"count\":%llu}", (unsigned long long)pt->unknown[i].count);
	}
	fputs("]}\n", out);
}
