/* tools/refs_print.h - how `mmsim refs` prints a struct policy_result:
 * mmsim's step list, a textbook frame table, OSTEP paging-policy.py's
 * exact lines, or one summary line. */
#ifndef MMSIM_TOOLS_REFS_PRINT_H
#define MMSIM_TOOLS_REFS_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "tools/policy_plugin.h"

struct refs_view {
	bool hex;                  /* pages from an address trace: 0x VPNs (PID:0xVPN) */
	const char *order_label;   /* "LRU -> MRU" ...; NULL: no order column */
	unsigned tlb_ways;         /* TLB mode: ways per set (frames shown per set) */
};

/* Page P as text into BUF (decimal, or 0xVPN / PID:0xVPN with hex). */
const char *refs_page_str(const struct refs_view *v, uint64_t p, char *buf, size_t len);
/* One line per reference: page, hit/miss, victim, frames, policy order;
 * then the totals. */
void refs_print_steps(FILE *f, const struct refs_view *v, const struct policy_result *r);
/* The textbook grid: a column per reference, a row per frame, then the
 * faults and victims.  Returns 0 or -1 (no per-step log kept). */
int refs_print_table(FILE *f, const struct refs_view *v, const struct policy_result *r);
/* paging-policy.py -c's lines ("Access: 1  MISS FirstIn ->  [1] <- Lastin
 * Replaced:- [Hits:0 Misses:1]"), LEFT/RIGHT its labels; unless NOTRACE. */
void refs_print_ostep(FILE *f, const struct policy_result *r, const char *left, const char *right, bool notrace);
/* "hits H  misses M (page faults)  evictions E  hit rate X%" ("TLB misses"
 * in TLB mode). */
void refs_print_totals(FILE *f, const struct refs_view *v, const struct policy_result *r);

#endif
