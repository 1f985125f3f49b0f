/* tools/exercise_gen_pressure.c - the memory-pressure topics of `mmsim
 * exercise` (tools/exercise.h):
 *
 *   watermarks  a machine's zones, min_free_kbytes and
 *               watermark_scale_factor: min_free_kbytes, a zone's min, low
 *               and high watermarks, and what one-page allocations do at
 *               given free levels (fast path, wake kswapd, direct reclaim,
 *               fail);
 *   oom         a few processes with resident pages, swap entries,
 *               page-table pages and oom_score_adj: each one's badness,
 *               oom_score, and the OOM killer's victim.
 *
 * Both build the machine in the problem's "given" part; the describe hook
 * then reads the model's state (the zones' managed pages and watermarks,
 * the processes' counters) into the statement.  The free levels of the
 * watermark problem are drawn there, around the watermarks the model
 * computed, and appended to the scenario with their questions.  Every
 * answer is an expression evaluated by the scenario engine (zoneinfo.*,
 * sysctl.vm.*, alloc_path, oom_badness, oom_victim, proc.*.oom_score);
 * --solve prints Linux's arithmetic with the terms the model's own
 * functions report (calculate_min_free_kbytes and zone_wmark_steps in
 * mm/zone.c, oom_badness_parts and oom_select_bad_process in
 * sim/oom_kill.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/swapfile.h"
#include "sim/oom_kill.h"
#include "sim/sys_internal.h"
#include "tools/exercise.h"
#include "tools/scenario.h"
#include "tools/scenario_expr_pressure.h"

/* The worked solution, written while the model's state is at hand (the
 * describe hook) and printed by the solve hook. */
struct pressure_solution {
	struct strbuf text;
};

static void solve_print(struct exgen *g, FILE *f)
{
	struct pressure_solution *s = g->priv;
	if (s && s->text.buf)
		fputs(s->text.buf, f);
}

/* ---- watermarks ---- */

struct wmark_problem {
	struct pressure_solution sol;
	bool min_free_set;       /* min_free_kbytes written by sysctl, else Linux's rule */
	int wsf;                 /* watermark_scale_factor */
};

/* The highest populated zone up to Normal: where GFP_KERNEL looks first. */
static int top_zone(struct memsys *m)
{
	for (int t = ZONE_NORMAL; t > 0; t--)
		if (m->nodes[0].node_zones[t].managed_pages)
			return t;
	return 0;
}

static void describe_watermarks(struct exgen *g, struct scenario *sc)
{
	struct wmark_problem *p = g->priv;
	struct memsys *m = sc->sim->mem;
	struct strbuf *sol = &p->sol.text;
	int top = top_zone(m);
	const char *tn = zone_names[top];

	ex_say(g, "The zones, with their managed pages (4 KiB each):\n");
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *z = &m->nodes[0].node_zones[t];
		if (z->managed_pages)
			ex_say(g, "  %-7s %lu pages\n", zone_names[t], z->managed_pages);
	}
	if (p->min_free_set)
		ex_say(g, "An administrator wrote vm.min_free_kbytes = %ld.\n", m->min_free_kbytes);
	else
		ex_say(g, "vm.min_free_kbytes has its boot-time value (Linux's rule).\n");
	ex_say(g, "vm.watermark_scale_factor = %d.\n\n", m->sysctl.watermark_scale_factor);

	/* the arithmetic, from the model's own steps */
	struct min_free_steps mf;
	calculate_min_free_kbytes(m, &mf);
	sb_printf(sol, "1. min_free_kbytes");
	if (p->min_free_set)
		sb_printf(sol, " was written by sysctl: %ld.\n", m->min_free_kbytes);
	else
		sb_printf(sol,
			  " (calculate_min_free_kbytes): lowmem_kbytes = managed pages of the zones up\n"
			  "   to Normal x 4 = %lu kB; int_sqrt(%lu x 16) = %lu; clamped to 128..262144: %ld.\n",
			  mf.lowmem_kbytes, mf.lowmem_kbytes, mf.root, mf.min_free_kbytes);
	struct wmark_steps st;
	zone_wmark_steps(m, &m->nodes[0].node_zones[top], &st);
	sb_printf(sol,
		  "2. __setup_per_zone_wmarks: pages_min = min_free_kbytes / 4 = %lu pages, shared among\n"
		  "   the zones in proportion to their managed pages (lowmem_pages = %lu, every zone but Movable).\n",
		  st.pages_min, st.lowmem_pages);
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *z = &m->nodes[0].node_zones[t];
		if (!z->managed_pages)
			continue;
		zone_wmark_steps(m, z, &st);
		sb_printf(sol,
			  "   %s: min = %lu x %lu / %lu = %lu; gap = max(min / 4 = %lu, %lu x %d / 10000 = %lu) = %lu;\n"
			  "        low = min + gap = %lu; high = min + 2 x gap = %lu\n",
			  zone_names[t], st.pages_min, st.managed, st.lowmem_pages, st.min, st.share >> 2, st.managed,
			  m->sysctl.watermark_scale_factor, st.scale, st.gap, st.low, st.high);
	}
	sb_printf(sol,
		  "3. A one-page allocation (get_page_from_freelist, __alloc_pages_slowpath): the fast path\n"
		  "   takes a page only while free > low (+ lowmem_reserve, 0 in the zone the request names).\n"
		  "   Otherwise the slow path wakes kswapd (__GFP_KSWAPD_RECLAIM) and retries at min: free > min,\n"
		  "   where __GFP_HIGH lowers min by half and __GFP_ATOMIC by a quarter more (GFP_ATOMIC has\n"
		  "   both).  Still below: direct reclaim if __GFP_DIRECT_RECLAIM (GFP_KERNEL), else failure.\n"
		  "   Here nothing is reclaimable (no page cache, no user pages), so direct reclaim ends in\n"
		  "   failure.  The run below shows each allocation; the answers name the path it took.\n\n");

	/* free levels around the watermarks the model computed: a1 above
	 * low; f1 in the upper half of (min, low] with the zone below at about
	 * its low mark + lowmem_reserve (does the fast path fall back?); then
	 * the lower zones fill up and a2 is in (min, f1), a3..a5 below min:
	 * (min/2, min], (min/4, min/2], [1, min/4] (GFP_ATOMIC may still
	 * succeed down there) */
	struct zone *z = &m->nodes[0].node_zones[top], *lz = &m->nodes[0].node_zones[top - 1];
	unsigned long min = min_wmark_pages(z), low = low_wmark_pages(z), high = high_wmark_pages(z);
	unsigned long gap = low - min, lres = (unsigned long)lz->lowmem_reserve[ZONE_NORMAL];
	enum { NLV = 5 };
	unsigned long lv[NLV];
	const char *gfp[NLV];
	lv[0] = low + 1 + ex_rand(g, 0, high > low ? high - low : 1);
	unsigned long f1 = ex_rand(g, min + gap / 2 + 1 < low ? min + gap / 2 + 1 : low, low);
	unsigned long lmark = low_wmark_pages(lz) + lres;
	unsigned long lfree = lmark + 4 - ex_rand(g, 0, 8);
	lv[1] = f1 > min + 1 ? ex_rand(g, min + 1, f1 - 1) : min + 1;
	lv[2] = ex_rand(g, 0, 2) == 0 ? min : ex_rand(g, min / 2 + 1, min);
	lv[3] = ex_rand(g, min / 4 + 1, min / 2 > min / 4 + 1 ? min / 2 : min / 4 + 1);
	lv[4] = ex_rand(g, 1, min / 4 > 1 ? min / 4 : 1);
	for (int i = 0; i < NLV; i++)
		gfp[i] = ex_rand(g, 0, i < 2 ? 3 : 1) == 0 ? "GFP_ATOMIC" : "GFP_KERNEL";
	sb_printf(sol, "   Falling back to a lower zone, the fast path must leave that zone's\n"
		       "   lowmem_reserve for the requested zone (Normal for GFP_KERNEL) untouched: free > low +\n"
		       "   lowmem_reserve, where lowmem_reserve = the managed pages of the zones above it up to\n"
		       "   Normal / 256 (setup_per_zone_lowmem_reserve):");
	for (int t = 0; t < top; t++) {
		struct zone *l = &m->nodes[0].node_zones[t];
		if (l->managed_pages)
			sb_printf(sol, " %s %ld (low + reserve = %lu)%s", zone_names[t], l->lowmem_reserve[ZONE_NORMAL],
				  low_wmark_pages(l) + (unsigned long)l->lowmem_reserve[ZONE_NORMAL], t + 1 < top ? ";" : ".");
	}
	sb_printf(sol, "\n\n");

	ex_say(g, "One page is allocated at each step, alloc_pages(FLAGS, 0).  (kswapd, once woken,\n"
		  "does not get to run between the steps; nothing here could be reclaimed anyway.)\n");
	ex_line(g, "fill_zone %s free=%lu", tn, lv[0]);
	ex_line(g, "alloc_pages a1 gfp=%s|__GFP_NOWARN", gfp[0]);
	ex_say(g, "  a1: %s has %lu free pages; alloc_pages(%s, 0)\n", tn, lv[0], gfp[0]);
	ex_line(g, "fill_zone %s free=%lu", tn, f1);
	ex_line(g, "fill_zone %s free=%lu", zone_names[top - 1], lfree);
	ex_line(g, "alloc_pages f1 gfp=GFP_KERNEL|__GFP_NOWARN");
	ex_say(g, "  f1: %s has %lu free pages and %s %lu", tn, f1, zone_names[top - 1], lfree);
	if (top == ZONE_NORMAL && m->nodes[0].node_zones[ZONE_DMA].managed_pages)
		ex_say(g, " (DMA still %ld)", (long)m->nodes[0].node_zones[ZONE_DMA].vm_stat[NR_FREE_PAGES]);
	ex_say(g, "; alloc_pages(GFP_KERNEL, 0): from which zone?\n");
	ex_say(g, "Then the zones below %s fill up completely (0 free pages), so only %s can serve\n"
		  "a request, and %s fills up step by step:\n",
	       tn, tn, tn);
	for (int t = 0; t < top; t++)
		if (m->nodes[0].node_zones[t].managed_pages)
			ex_line(g, "fill_zone %s free=0", zone_names[t]);
	for (int i = 1; i < NLV; i++) {
		ex_line(g, "fill_zone %s free=%lu", tn, lv[i]);
		ex_line(g, "alloc_pages a%d gfp=%s|__GFP_NOWARN", i + 1, gfp[i]);
		ex_say(g, "  a%d: %lu free pages; alloc_pages(%s, 0)\n", i + 1, lv[i], gfp[i]);
	}
	ex_say(g, "For a1..a5 the answer is one word: fast (it succeeds on the fast path), kswapd (it\n"
		  "wakes kswapd and succeeds without reclaim), direct (it enters direct reclaim) or failed\n"
		  "(it fails without reclaiming).\n");
	for (int i = 0; i < NLV; i++) {
		char t[160], e[32];
		snprintf(t, sizeof t, "a%d: %s with %lu free pages in %s: fast, kswapd, direct or failed?", i + 1, gfp[i],
			 lv[i], tn);
		snprintf(e, sizeof e, "alloc_path(a%d)", i + 1);
		ex_question(g, t, e, "");
		if (i == 0)
			ex_question(g, "f1: from which zone does the page come?", "zone(f1)", "");
	}
}

void gen_watermarks(struct exgen *g)
{
	static struct wmark_problem p;
	static const int wsfs[] = { 10, 10, 30, 100, 150, 300, 1000 };
	sb_free(&p.sol.text);
	memset(&p, 0, sizeof p);
	unsigned dma32 = 16 * (unsigned)ex_rand(g, 1, 15), normal = ex_rand(g, 0, 2) ? 32 * (unsigned)ex_rand(g, 1, 8) : 0;
	p.wsf = wsfs[ex_rand(g, 0, sizeof wsfs / sizeof wsfs[0] - 1)];
	p.min_free_set = ex_rand(g, 0, 2) == 0;
	struct strbuf setup = { 0 };
	if (normal)
		sb_printf(&setup, "config mem=%uM zones=DMA:16M,DMA32:%uM,Normal:%uM\n", 16 + dma32 + normal, dma32,
			  normal);
	else
		sb_printf(&setup, "config mem=%uM zones=DMA:16M,DMA32:%uM\n", 16 + dma32, dma32);
	if (p.min_free_set)
		sb_printf(&setup, "sysctl vm.min_free_kbytes=%u\n", 4 * (unsigned)ex_rand(g, 64, 2048));
	if (p.wsf != 10)
		sb_printf(&setup, "sysctl vm.watermark_scale_factor=%d\n", p.wsf);
	sb_printf(&g->given, "%s", setup.buf);
	ex_line(g, "%s", setup.buf);
	sb_free(&setup);
	g->given_quiet = true;
	g->priv = &p;
	g->describe = describe_watermarks;
	g->solve = solve_print;
	const char *tn = normal ? "Normal" : "DMA32";
	ex_say(g, "Zone watermarks and kswapd (Linux 6.x, 4 KiB pages, one NUMA node).\n");
	if (!p.min_free_set)
		ex_question(g, "min_free_kbytes as the kernel computes it at boot (kB)", "sysctl.vm.min_free_kbytes", "");
	char t[128], e[64];
	static const char *const marks[] = { "min", "low", "high" };
	for (int i = 0; i < 3; i++) {
		snprintf(t, sizeof t, "The %s watermark of zone %s (pages)", marks[i], tn);
		snprintf(e, sizeof e, "zoneinfo.%s.%s", tn, marks[i]);
		ex_question(g, t, e, i == 0 ? "points=2" : "");
	}
	ex_question(g, "The min watermark of zone DMA (pages)", "zoneinfo.DMA.min", "");
}

/* ---- oom ---- */

#define OOM_MAXP 5

static void describe_oom(struct exgen *g, struct scenario *sc)
{
	struct pressure_solution *sol = g->priv;
	struct sim *s = sc->sim;
	struct memsys *m = s->mem;
	unsigned long total = oom_totalpages(m);
	struct list_head *pos;

	ex_say(g,
	       "The machine has %lu pages of RAM (totalram_pages) and %ld pages of swap.  The\n"
	       "processes, as the OOM killer sees them (in 4 KiB pages; pgtables counts page-table\n"
	       "pages, which dump_tasks prints as pgtables_bytes):\n\n"
	       "  name     pid      rss  swapents  pgtables  oom_score_adj\n",
	       m->totalram_pages, total_swap_pages(m));
	sb_printf(&sol->text,
		  "oom_badness (mm/oom_kill.c): points = rss + swapents + pgtables pages, then\n"
		  "  + oom_score_adj x (totalpages / 1000); oom_score_adj -1000 means never.\n"
		  "  totalpages = RAM + swap = %lu + %ld = %lu, so totalpages / 1000 = %lu.\n",
		  m->totalram_pages, total_swap_pages(m), total, total / 1000);
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state >= EXIT_ZOMBIE || !t->mm)
			continue;
		struct mm_struct *mm = t->mm;
		const char *name = scn_process_name(sc, t->pid);
		ex_say(g, "  %-7s %4d %8lu  %8lu  %8lu  %13d\n", name, t->pid, mm->rss_anon + mm->rss_file + mm->rss_shmem,
		       mm->swapents, mm->nr_ptes, t->oom_score_adj);
		struct oom_badness_parts b;
		oom_badness_parts(t, total, &b);
		if (b.points == LONG_MIN) {
			sb_printf(&sol->text, "  %-7s oom_score_adj %d: never chosen; oom_score 0\n", name, t->oom_score_adj);
			continue;
		}
		sb_printf(&sol->text, "  %-7s %lu + %lu + %lu = %lu; %d x %ld = %ld; badness %ld; oom_score %lu\n", name,
			  b.rss, b.swapents, b.pgtables, b.rss + b.swapents + b.pgtables, b.oom_score_adj, b.per_mille,
			  b.adj_pages, b.points, proc_oom_score(s, t));
	}
	long pts = 0;
	struct task *v = oom_select_bad_process(s, &pts);
	sb_printf(&sol->text,
		  "select_bad_process: the highest badness wins (a later pid on a tie): %s (badness %ld).\n"
		  "/proc/PID/oom_score = (1000 + badness x 1000 / totalpages) x 2 / 3 (proc_oom_score).\n\n",
		  v ? scn_process_name(sc, v->pid) : "none", pts);
	ex_say(g, "\nThe OOM killer runs now (no memory cgroups, constraint CONSTRAINT_NONE).\n");
}

void gen_oom(struct exgen *g)
{
	static struct pressure_solution sol;
	static const char *const names[] = { "db", "web", "cache", "batch", "shell", "backup", "build", "worker" };
	static const int adjs[] = { 0, 0, 0, -500, -1000, 200, 500, 800, -200, 100 };
	sb_free(&sol.text);
	memset(&sol, 0, sizeof sol);
	bool swap = ex_rand(g, 0, 1);
	unsigned mem = 64, swapmb = swap ? 16 * (unsigned)ex_rand(g, 2, 4) : 0;
	unsigned n = (unsigned)ex_rand(g, 3, OOM_MAXP);
	/* the memory the processes touch: beyond RAM with swap (so some
	 * pages go out and become swap entries), well within it without */
	unsigned budget = swap ? mem + swapmb / 2 : mem * 3 / 4;
	struct strbuf setup = { 0 };
	sb_printf(&setup, "config mem=%uM%s", mem, swap ? "" : "\n");
	if (swap)
		sb_printf(&setup, " swap=%uM\n", swapmb);
	bool used[8] = { false };
	const char *pn[OOM_MAXP];
	unsigned left = budget;
	int forked = -1;
	for (unsigned i = 0; i < n; i++) {
		unsigned k;
		do
			k = (unsigned)ex_rand(g, 0, 7);
		while (used[k]);
		used[k] = true;
		pn[i] = names[k];
		int adj = adjs[ex_rand(g, 0, sizeof adjs / sizeof adjs[0] - 1)];
		unsigned share = left / (n - i);
		unsigned mb = i + 1 == n ? left : (unsigned)ex_rand(g, share / 2 > 1 ? share / 2 : 1, share * 3 / 2);
		if (mb < 1)
			mb = 1;
		left = left > mb ? left - mb : 0;
		unsigned touched_kb = mb * 1024 - 4 * (unsigned)ex_rand(g, 0, mb * 64);
		if (adj)
			sb_printf(&setup, "process %s oom_score_adj=%d\n", pn[i], adj);
		else
			sb_printf(&setup, "process %s\n", pn[i]);
		sb_printf(&setup, "mmap %s m_%s %uM\n", pn[i], pn[i], mb + (unsigned)ex_rand(g, 0, 8));
		sb_printf(&setup, "touch %s m_%s len=%uK\n", pn[i], pn[i], touched_kb);
		if (forked < 0 && i + 1 < n && ex_rand(g, 0, 3) == 0) {
			/* a child shares its parent's pages: both count them */
			forked = (int)i;
			sb_printf(&setup, "fork %s %s.1\n", pn[i], pn[i]);
		}
	}
	sb_printf(&g->given, "%s", setup.buf);
	ex_line(g, "%s", setup.buf);
	sb_free(&setup);
	g->given_quiet = true;
	g->priv = &sol;
	g->describe = describe_oom;
	g->solve = solve_print;
	ex_say(g, "OOM victim choice (Linux 6.x's oom_badness and select_bad_process).\n"
		  "%u processes map and write private anonymous memory%s%s.\n",
	       n, swap ? ";\nthe machine swaps, so some of their pages are out on swap" : "",
	       forked >= 0 ? ";\none of them forked a child, which shares its pages" : "");
	ex_line(g, "show processes");
	ex_question(g, "totalpages, the scale of oom_score_adj (RAM + swap pages)", "oom_totalpages()", "");
	for (unsigned i = 0; i < n; i++) {
		char t[160], e[64];
		snprintf(t, sizeof t, "The badness (oom_badness) of %s (the word never if it cannot be chosen)", pn[i]);
		snprintf(e, sizeof e, "oom_badness(%s)", pn[i]);
		ex_question(g, t, e, "");
		if ((int)i == forked) {
			snprintf(t, sizeof t, "The badness of %s.1, %s's child", pn[i], pn[i]);
			snprintf(e, sizeof e, "oom_badness(%s.1)", pn[i]);
			ex_question(g, t, e, "");
		}
	}
	ex_question(g, "Which process does the OOM killer choose (its name)?", "oom_victim()", "points=2");
	char t[160], e[64];
	snprintf(t, sizeof t, "/proc/PID/oom_score of %s", pn[0]);
	snprintf(e, sizeof e, "proc.%s.oom_score", pn[0]);
	ex_question(g, t, e, "");
}
