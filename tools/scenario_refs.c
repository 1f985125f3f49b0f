/* tools/scenario_refs.c - the scenario command `refs MM ...`: replay an
 * address trace in address space MM through the TLBs and the page walker.
 * When MM has VMAs (a process's address space) every #PF goes to Linux's
 * fault handler (do_user_addr_fault: anonymous, zero-page, COW faults; an
 * access outside the VMAs or against their rights is a SIGSEGV, counted,
 * and the trace goes on).  A bare address space (mm_create, no VMAs)
 * serves a not-present fault as a first touch: a fresh zeroed frame is
 * mapped (user, writable, executable).  Either way the access is retried,
 * so the trace sees first-touch faults, TLB misses and walks as a process
 * would.  Accesses come inline (r:0x1000 w:0x2000
 * x:0x400000) and/or from file=PATH (R|W|X ADDR [PID] lines or valgrind
 * lackey --trace-mem=yes output; tools/reftrace.h); pid=N keeps only one
 * process's lines.  The file is parsed in the check pass, so a malformed
 * line stops the script before anything runs (scenario:line:col:
 * trace:line:col: message).  A relative PATH is taken from the script's
 * directory. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mm/list.h"
#include "mmu/memory.h"
#include "mmu/mmu.h"
#include "tools/policy_plugin.h"
#include "tools/reftrace.h"
#include "tools/scenario.h"

/* PATH relative to the directory of the script FILE, into BUF. */
static const char *script_relative(const char *file, const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(file, '/');
	if (path[0] == '/' || !slash || !strcmp(file, "-"))
		return path;
	snprintf(buf, len, "%.*s/%s", (int)(slash - file), file, path);
	return buf;
}

/* Parse the command's accesses into T.  Returns 0 or SCN_ERROR. */
/* frames=N policy=P: a fixed frame budget with a replacement policy. */
struct refs_budget {
	int frames;                /* 0: none */
	enum policy_kind policy;
};

static int refs_collect(struct scenario *sc, const struct scn_args *a, struct reftrace *t, int *pid, bool *verbose,
			struct refs_budget *b)
{
	char err[512];
	*pid = -1;
	*verbose = false;
	for (int i = 2; i < a->argc; i++) {
		const char *w = a->argv[i];
		if (!strncmp(w, "file=", 5) || !strncmp(w, "pid=", 4) || !strncmp(w, "frames=", 7) ||
		    !strncmp(w, "policy=", 7))
			continue;
		if (!strcmp(w, "verbose")) {
			*verbose = true;
			continue;
		}
		if (strchr(w, '=') && !strchr(w, ':'))
			return scn_error(sc, a, i, "refs: unknown option '%s' (file=PATH, pid=N, frames=N, policy=P, verbose)", w);
		struct ref_access acc;
		int off = 0;
		if (reftrace_token(w, &acc, &off, err, sizeof err))
			return scn_error_at(sc, a, i, off, "refs: %s", err);
		if (!va_canonical(acc.addr))
			return scn_error_at(sc, a, i, 2, "refs: 0x%llx is not a canonical 48-bit address",
					    (unsigned long long)acc.addr);
		if (reftrace_add(t, acc.addr, acc.kind, -1, 0))
			return scn_error(sc, a, i, "refs: out of host memory");
	}
	const char *v;
	int pi = scn_kv(a, "pid", &v);
	if (pi >= 0) {
		uint64_t n;
		if (scn_u64(sc, a, pi, 4, false, 0x7fffffff, &n))
			return SCN_ERROR;
		*pid = (int)n;
	}
	b->frames = 0;
	b->policy = POLICY_LRU;
	int ni = scn_kv(a, "frames", &v);
	if (ni >= 0) {
		uint64_t n;
		if (scn_u64(sc, a, ni, 7, false, 1u << 20, &n))
			return SCN_ERROR;
		if (!n)
			return scn_error_at(sc, a, ni, 7, "refs: frames= needs at least 1 frame");
		b->frames = (int)n;
	}
	int poi = scn_kv(a, "policy", &v);
	if (poi >= 0) {
		if (ni < 0)
			return scn_error(sc, a, poi, "refs: policy= goes with frames=N");
		if (policy_kind_parse(v, &b->policy))
			return scn_error_at(sc, a, poi, 7, "refs: unknown policy '%s' (FIFO, LRU, OPT, UNOPT, CLOCK, "
					    "RAND, LFU, MRU)", v);
	}
	int fi = scn_kv(a, "file", &v);
	if (fi >= 0) {
		if (!*v)
			return scn_error_at(sc, a, fi, 5, "refs: file= needs a path");
		char pbuf[PATH_MAX];
		const char *path = script_relative(sc->file, v, pbuf, sizeof pbuf);
		char *msg = NULL;
		size_t mlen = 0;
		FILE *saved = sc->errf, *mem = open_memstream(&msg, &mlen);
		const char *prefix = sc->errprefix;
		if (mem)
			sc->errf = mem;
		sc->errprefix = ""; /* the message goes inside this line's own */
		char *text = scenario_read_file(sc, path);
		sc->errf = saved;
		sc->errprefix = prefix;
		if (mem)
			fclose(mem);
		if (!text) {
			size_t l = msg ? strlen(msg) : 0;
			while (l && msg[l - 1] == '\n')
				msg[--l] = 0;
			int rc = scn_error_at(sc, a, fi, 5, "refs: %s", msg && *msg ? msg : path);
			free(msg);
			return rc;
		}
		free(msg);
		int rc = reftrace_parse(text, v, 4096, t, err, sizeof err);
		free(text);
		if (rc)
			return scn_error_at(sc, a, fi, 5, "refs: %s", err);
	}
	if (!t->n && fi < 0)
		return scn_error(sc, a, a->argc, "refs: no accesses (r:ADDR w:ADDR x:ADDR ... or file=PATH)");
	for (size_t k = 0; k < t->n; k++)
		if (t->a[k].line && !va_canonical(t->a[k].addr))
			return scn_error_at(sc, a, fi, 5, "refs: %s:%d: 0x%llx is not a canonical 48-bit address", v,
					    t->a[k].line, (unsigned long long)t->a[k].addr);
	return 0;
}

/* frames=N: the policy's choices over this command's pages (4 KiB
 * pages, in order), computed up front by the built-in policies; the
 * replay then evicts (unmap, free, flush_tlb_page) what it says before
 * each fault.  The pages must not be mapped yet (they are the ones the
 * budget manages) and MM must be bare (no VMAs).  Returns 0 with *PLAN,
 * or -1 after an error. */
static int refs_plan(struct scenario *sc, const struct scn_args *a, struct mm_struct *mm, const struct reftrace *t,
		     int pid, const struct refs_budget *b, struct policy_result *plan)
{
	if (!list_empty(&mm->mmap)) {
		scn_error(sc, a, 1, "refs: frames= needs a bare address space (mm_create): %s has VMAs", a->argv[1]);
		return -1;
	}
	uint64_t *page = malloc((t->n ? t->n : 1) * sizeof *page);
	char *kind = malloc(t->n ? t->n : 1);
	size_t n = 0;
	int rc = 0;
	if (!page || !kind) {
		scn_error(sc, a, 0, "refs: out of host memory");
		rc = -1;
	}
	for (size_t k = 0; !rc && k < t->n; k++) {
		if (pid >= 0 && t->a[k].pid != pid)
			continue;
		if (scn_mmu_mapped(sc, mm, t->a[k].addr)) {
			scn_error(sc, a, 1, "refs: frames=: 0x%llx is already mapped in %s (the budget manages the pages "
				  "this command maps)", (unsigned long long)(t->a[k].addr & ~0xfffULL), a->argv[1]);
			rc = -1;
			break;
		}
		page[n] = t->a[k].addr >> 12;
		kind[n++] = t->a[k].kind;
	}
	struct policy_refs refs = {n, page, kind};
	if (!rc && policy_sim_run(b->policy, &refs, b->frames, NULL, plan)) {
		scn_error(sc, a, 0, "refs: out of host memory");
		rc = -1;
	}
	free(page);
	free(kind);
	return rc;
}

static unsigned long stat_of(struct scenario *sc, const char *name)
{
	unsigned long v = 0;
	mmu_stat_lookup(sc->sim->mmu, name, &v);
	return v;
}

int cmd_refs_replay(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 1, -1))
		return SCN_ERROR;
	struct mm_struct *mm = scn_mmu_get_mm(sc, a, 1);
	if (!mm)
		return SCN_ERROR;
	struct reftrace t = {0};
	int pid;
	bool verbose;
	struct refs_budget b;
	int rc = refs_collect(sc, a, &t, &pid, &verbose, &b);
	if (rc || sc->checking) {
		reftrace_free(&t);
		return rc;
	}
	struct policy_result plan = {0};
	if (b.frames && refs_plan(sc, a, mm, &t, pid, &b, &plan)) {
		reftrace_free(&t);
		return SCN_ERROR;
	}
	struct mmu *mmu = sc->sim->mmu;
	if (mmu->cur_mm != mm)
		mmu_switch_mm(mmu, mm);
	static const char *const names[] = {"dTLB-loads", "dTLB-load-misses", "dTLB-stores", "dTLB-store-misses",
					    "iTLB-loads", "iTLB-load-misses", "walk.count"};
	unsigned long before[7];
	for (int k = 0; k < 7; k++)
		before[k] = stat_of(sc, names[k]);
	unsigned long n = 0, nr = 0, nw = 0, nx = 0, faults = 0, prot = 0, segv = 0, by_kind[8] = {0};
	unsigned long evicted = 0, dirty = 0;
	bool vmas = !list_empty(&mm->mmap);
	for (size_t k = 0; k < t.n; k++) {
		const struct ref_access *r = &t.a[k];
		if (pid >= 0 && r->pid != pid)
			continue;
		unsigned acc = (r->kind == 'W' ? MMU_WRITE : r->kind == 'X' ? MMU_EXEC : MMU_READ) | MMU_USER;
		n++;
		nr += r->kind == 'R';
		nw += r->kind == 'W';
		nx += r->kind == 'X';
		if (plan.step && plan.step[n - 1].victim != POLICY_NO_VICTIM) {
			uint64_t v = plan.step[n - 1].victim << 12;
			if (scn_mmu_evict_page(sc, a, mm, v)) {
				policy_result_free(&plan);
				reftrace_free(&t);
				return scn_error(sc, a, 1, "refs: page 0x%llx, the %s victim, is no longer mapped",
						 (unsigned long long)v, policy_kind_name(b.policy));
			}
			evicted++;
			dirty += plan.step[n - 1].victim_dirty;
			if (verbose)
				scn_printf(sc, "  evict 0x%llx%s (%s, %d frames): unmap, free, invlpg\n", (unsigned long long)v,
					   plan.step[n - 1].victim_dirty ? " (dirty)" : "", policy_kind_name(b.policy),
					   b.frames);
		}
		struct mmu_xlate x;
		int e = mmu_translate(mmu, r->addr, acc, &x);
		const char *how = x.source == MMU_SRC_L1 ? "L1 TLB hit" : x.source == MMU_SRC_L2 ? "STLB hit" : "walk";
		uint64_t pfn = 0;
		bool faulted = false;
		int sig = 0;
		if (e == MMU_FAULT && vmas) {
			struct fault_info fi;
			memset(&fi, 0, sizeof fi);
			sig = do_user_addr_fault(sc->sim->mem, mm, r->addr, x.error_code, 0, &fi);
			if (sig) {
				segv++;
			} else {
				faults++;
				by_kind[(unsigned)fi.kind < 8 ? fi.kind : 0]++;
				faulted = true;
				e = mmu_translate(mmu, r->addr, acc, &x);
			}
		} else if (e == MMU_FAULT && x.kind == WALK_NOT_PRESENT) {
			if (scn_mmu_demand_page(sc, a, mm, r->addr, &pfn)) {
				policy_result_free(&plan);
				reftrace_free(&t);
				return scn_error(sc, a, 1, "refs: access %zu (0x%llx): out of simulated memory for a page",
						 k + 1, (unsigned long long)r->addr);
			}
			faults++;
			faulted = true;
			e = mmu_translate(mmu, r->addr, acc, &x);
		}
		if (e == MMU_FAULT && !sig)
			prot++;
		if (verbose) {
			char line[32] = "";
			if (r->line)
				snprintf(line, sizeof line, " (line %d)", r->line);
			if (sig)
				scn_printf(sc, "  %c 0x%llx%s: %s\n", r->kind, (unsigned long long)r->addr, line,
					   sig == MMSIM_SIGBUS ? "SIGBUS" : "SIGSEGV");
			else if (e == 0)
				scn_printf(sc, "  %c 0x%llx%s: %s%s -> pa 0x%llx\n", r->kind, (unsigned long long)r->addr, line,
					   !faulted ? "" : vmas ? "page fault (handle_mm_fault), then " :
					   "page fault, mapped a fresh page, then ",
					   faulted ? "walk" : how, (unsigned long long)x.pa);
			else
				scn_printf(sc, "  %c 0x%llx%s: #PF error code 0x%x (%s)\n", r->kind,
					   (unsigned long long)r->addr, line, x.error_code, walk_fault_name(x.kind));
		}
	}
	unsigned long d[7];
	for (int k = 0; k < 7; k++)
		d[k] = stat_of(sc, names[k]) - before[k];
	char fk[160] = "pages mapped";
	if (vmas)
		snprintf(fk, sizeof fk, "anon %lu, zero %lu, file %lu, cow %lu; %lu SIGSEGV/SIGBUS", by_kind[FK_ANON],
			 by_kind[FK_ZERO], by_kind[FK_FILE], by_kind[FK_COW], segv);
	scn_printf(sc, "refs %s: %lu accesses (%lu reads, %lu writes, %lu fetches): %lu page faults (%s), "
		   "%lu protection faults; dTLB-loads %lu misses %lu, dTLB-stores %lu misses %lu, iTLB-loads %lu "
		   "misses %lu, walks %lu\n",
		   a->argv[1], n, nr, nw, nx, faults, fk, prot, d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
	if (b.frames)
		scn_printf(sc, "refs %s: %s with %d frames: %lu evictions (%lu dirty), hit rate %.2f%%\n", a->argv[1],
			   policy_kind_name(b.policy), b.frames, evicted, dirty, plan.hit_rate);
	policy_result_free(&plan);
	reftrace_free(&t);
	return 0;
}
