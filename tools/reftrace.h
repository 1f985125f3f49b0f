/* tools/reftrace.h - address traces: what `refs` in a scenario and
 * `mmsim refs --trace` replay.  Three notations (docs/refs.md):
 *   inline tokens  r:0x1000 w:0x2000 x:0x400000 (R/W/X, any case)
 *   mmsim lines    R|W|X ADDR [PID]     ('#' comments, blank lines)
 *   valgrind lackey --trace-mem=yes:  "I  addr,size", " L addr,size",
 *                  " S addr,size", " M addr,size" (hex without 0x);
 *                  lines starting with "==" are comments
 * A file may mix the two line formats; each line is recognised by its
 * shape.  A lackey M (modify) is a load then a store; an access whose
 * bytes span a page boundary is one access per page touched. */
#ifndef MMSIM_TOOLS_REFTRACE_H
#define MMSIM_TOOLS_REFTRACE_H

#include <stddef.h>
#include <stdint.h>

struct ref_access {
	uint64_t addr;
	char kind;                 /* 'R', 'W' or 'X' */
	int pid;                   /* -1: none given */
	int line;                  /* source line (0: inline) */
};

struct reftrace {
	struct ref_access *a;
	size_t n, cap;
};

/* Append one access.  Returns 0 or -1 (out of memory). */
int reftrace_add(struct reftrace *t, uint64_t addr, char kind, int pid, int line);
/* Parse an inline token "r:0x1000" into *OUT.  Returns 0, or -1 with a
 * message in ERR and the 0-based offset of the bad character in *BADOFF. */
int reftrace_token(const char *tok, struct ref_access *out, int *badoff, char *err, size_t errlen);
/* Parse TEXT (the contents of FILE, named in messages), appending to T;
 * accesses spanning a PAGE_SIZE boundary (0: none split) are split.
 * Returns 0, or -1 with "FILE:LINE:COL: message" in ERR. */
int reftrace_parse(const char *text, const char *file, uint64_t page_size, struct reftrace *t, char *err,
		   size_t errlen);
void reftrace_free(struct reftrace *t);

#endif
