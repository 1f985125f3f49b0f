/* tools/refs_print.c - the output formats of `mmsim refs` (refs_print.h). */
#include <stdlib.h>
#include <string.h>

#include "tools/refs_print.h"

const char *refs_page_str(const struct refs_view *v, uint64_t p, char *buf, size_t len)
{
	if (p == POLICY_EMPTY)
		snprintf(buf, len, "-");
	else if (!v->hex)
		snprintf(buf, len, "%llu", (unsigned long long)p);
	else if (p >> 40)
		snprintf(buf, len, "%llu:0x%llx", (unsigned long long)(p >> 40) - 1,
			 (unsigned long long)(p & ((1ULL << 40) - 1)));
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)p);
	return buf;
}

/* "[a, b, c]" of the N pages at P into BUF (SKIP_EMPTY: leave out empty
 * entries). */
static void list_str(const struct refs_view *v, const uint64_t *p, int n, bool skip_empty, char *buf, size_t len)
{
	size_t o = 0;
	char pb[48];
	o += (size_t)snprintf(buf, len, "[");
	bool first = true;
	for (int k = 0; k < n && o < len; k++) {
		if (skip_empty && p[k] == POLICY_EMPTY)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", first ? "" : ", ", refs_page_str(v, p[k], pb, sizeof pb));
		first = false;
	}
	if (o < len)
		snprintf(buf + o, len - o, "]");
}

void refs_print_totals(FILE *f, const struct refs_view *v, const struct policy_result *r)
{
	fprintf(f, "hits %lu  misses %lu (%s)  evictions %lu", r->hits, r->misses, v->tlb_ways ? "TLB misses" : "page faults",
		r->evictions);
	if (r->dirty_evictions)
		fprintf(f, " (%lu dirty)", r->dirty_evictions);
	fprintf(f, "  hit rate %.2f%%\n", r->hit_rate);
}

void refs_print_steps(FILE *f, const struct refs_view *v, const struct policy_result *r)
{
	int pw = 4;
	char pb[48], vb[64];
	for (size_t i = 0; i < r->n; i++) {
		int w = (int)strlen(refs_page_str(v, r->step[i].page, pb, sizeof pb));
		if (w > pw)
			pw = w;
	}
	size_t cap = (size_t)r->nframes * 48 + 8;
	char *fr = malloc(cap), *ord = malloc(cap);
	if (!fr || !ord) {
		free(fr);
		free(ord);
		return;
	}
	int nf = v->tlb_ways ? (int)v->tlb_ways : r->nframes;
	int fw = 2 + nf * pw + (nf - 1) * 2;  /* width of "[a, b, c]" */
	if (fw < 6)
		fw = 6;
	if (v->order_label && !v->tlb_ways)
		fprintf(f, "%6s  %*s  %-6s  %-*s  %-*s  %s\n", "#", pw, "page", "result", pw + 8, "evicted", fw, "frames",
			v->order_label);
	else
		fprintf(f, "%6s  %*s  %-6s  %-*s  %s\n", "#", pw, "page", "result", pw + 8, "evicted",
			v->tlb_ways ? "set: ways" : "frames");
	for (size_t i = 0; i < r->n; i++) {
		const struct policy_step *s = &r->step[i];
		if (s->victim == POLICY_NO_VICTIM)
			snprintf(vb, sizeof vb, "-");
		else
			snprintf(vb, sizeof vb, "%s%s", refs_page_str(v, s->victim, pb, sizeof pb),
				 s->victim_dirty ? " (dirty)" : "");
		fprintf(f, "%6zu  %*s  %-6s  %-*s", i + 1, pw, refs_page_str(v, s->page, pb, sizeof pb),
			s->hit ? "hit" : "miss", pw + 8, vb);
		if (r->frames) {
			size_t base = i * (size_t)r->nframes;
			if (v->tlb_ways) {
				unsigned set = (unsigned)s->frame / v->tlb_ways;
				list_str(v, r->frames + base + (size_t)set * v->tlb_ways, nf, false, fr, cap);
				fprintf(f, "  %u: %s", set, fr);
			} else {
				list_str(v, r->frames + base, nf, false, fr, cap);
				if (v->order_label) {
					list_str(v, r->order + base, nf, true, ord, cap);
					fprintf(f, "  %-*s  %s", fw, fr, ord);
				} else {
					fprintf(f, "  %s", fr);
				}
			}
		}
		fputc('\n', f);
	}
	free(fr);
	free(ord);
	refs_print_totals(f, v, r);
}

int refs_print_table(FILE *f, const struct refs_view *v, const struct policy_result *r)
{
	if (!r->frames)
		return -1;
	int w = 1;
	char pb[48];
	for (size_t i = 0; i < r->n; i++) {
		int l = (int)strlen(refs_page_str(v, r->step[i].page, pb, sizeof pb));
		if (l > w)
			w = l;
	}
	char lab[32];
	fprintf(f, "%-10s", "reference");
	for (size_t i = 0; i < r->n; i++)
		fprintf(f, " %*s", w, refs_page_str(v, r->step[i].page, pb, sizeof pb));
	fputc('\n', f);
	for (int fr = 0; fr < r->nframes; fr++) {
		snprintf(lab, sizeof lab, "frame %d", fr);
		fprintf(f, "%-10s", lab);
		for (size_t i = 0; i < r->n; i++) {
			uint64_t p = r->frames[i * (size_t)r->nframes + (size_t)fr];
			fprintf(f, " %*s", w, p == POLICY_EMPTY ? "" : refs_page_str(v, p, pb, sizeof pb));
		}
		fputc('\n', f);
	}
	fprintf(f, "%-10s", "fault");
	for (size_t i = 0; i < r->n; i++)
		fprintf(f, " %*s", w, r->step[i].hit ? "" : "*");
	fputc('\n', f);
	fprintf(f, "%-10s", "evicted");
	for (size_t i = 0; i < r->n; i++)
		fprintf(f, " %*s", w,
			r->step[i].victim == POLICY_NO_VICTIM ? "" : refs_page_str(v, r->step[i].victim, pb, sizeof pb));
	fputc('\n', f);
	refs_print_totals(f, v, r);
	return 0;
}

void refs_print_ostep(FILE *f, const struct policy_result *r, const char *left, const char *right, bool notrace)
{
	if (!notrace) {
		fputs("Solving...\n\n", f);
		size_t cap = (size_t)r->nframes * 24 + 8;
		char *mem = malloc(cap);
		unsigned long hits = 0, misses = 0;
		for (size_t i = 0; mem && r->order && i < r->n; i++) {
			const struct policy_step *s = &r->step[i];
			hits += s->hit;
			misses += !s->hit;
			size_t o = (size_t)snprintf(mem, cap, "[");
			bool first = true;
			for (int k = 0; k < r->nframes; k++) {
				uint64_t p = r->order[i * (size_t)r->nframes + (size_t)k];
				if (p == POLICY_EMPTY)
					continue;
				o += (size_t)snprintf(mem + o, cap - o, "%s%lld", first ? "" : ", ", (long long)p);
				first = false;
			}
			snprintf(mem + o, cap - o, "]");
			char vb[32] = "-";
			if (s->victim != POLICY_NO_VICTIM)
				snprintf(vb, sizeof vb, "%lld", (long long)s->victim);
			fprintf(f, "Access: %lld  %s %s -> %12s <- %s Replaced:%s [Hits:%lu Misses:%lu]\n", (long long)s->page,
				s->hit ? "HIT " : "MISS", left, mem, right, vb, hits, misses);
		}
		free(mem);
	}
	fprintf(f, "\nFINALSTATS hits %lu   misses %lu   hitrate %.2f\n\n", r->hits, r->misses, r->hit_rate);
}
