/* mmu/ptdump.c - page-table dump in the format of Linux's
 * /sys/kernel/debug/page_tables/kernel (arch/x86/mm/dump_pagetables.c).
 *
 * The tables are read, never written (no A bits change).  Consecutive
 * leaves with the same protection bits and level are merged into one line,
 * as are consecutive non-present ranges:
 *   0x0000000000400000-0x0000000000402000           8K USR ro                         x  pte
 */
#include <stdio.h>

#include "mm/proc.h"
#include "mmu/pgtable.h"

#define PROT_BITS (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT | _PAGE_PCD | _PAGE_PSE | _PAGE_GLOBAL | _PAGE_NX)
#define PROT_BITS_LARGE (PROT_BITS | _PAGE_PAT_LARGE)

struct dump_state {
	struct memsys *m;
	struct strbuf *sb;
	bool open;
	uint64_t start;
	pteval_t prot;      /* PROT_BITS of the run; 0 = not present */
	int level;
	unsigned long lines;
};

static uint64_t sign_extend(uint64_t va) { return (va & (1ULL << 47)) ? va | 0xffff000000000000ULL : va; }

static void flush_run(struct dump_state *s, uint64_t end)
{
	static const char *const lvl[] = { "", "pte", "pmd", "pud", "pgd" };
	static const char units[] = "KMGTPE";
	if (!s->open)
		return;
	uint64_t size = (end - s->start) >> 10;
	int u = 0;
	while (!(size & 1023) && size && units[u + 1]) {
		size >>= 10;
		u++;
	}
	sb_printf(s->sb, "0x%016llx-0x%016llx   %9llu%c ", (unsigned long long)sign_extend(s->start),
		  (unsigned long long)(sign_extend(end - 1) + 1), (unsigned long long)size, units[u]);
	pteval_t p = s->prot;
	if (!(p & _PAGE_PRESENT)) {
		sb_printf(s->sb, "%30s", "");
	} else {
		bool pat = s->level == 1 ? (p & _PAGE_PAT) : (p & _PAGE_PAT_LARGE);
		sb_printf(s->sb, "%s%s%s%s%s%s%s%s", p & _PAGE_USER ? "USR " : "    ", p & _PAGE_RW ? "RW " : "ro ",
			  p & _PAGE_PWT ? "PWT " : "    ", p & _PAGE_PCD ? "PCD " : "    ",
			  (p & _PAGE_PSE) && s->level > 1 ? "PSE " : "    ", pat ? "PAT " : "    ",
			  p & _PAGE_GLOBAL ? "GLB " : "    ", p & _PAGE_NX ? "NX " : "x  ");
	}
	sb_printf(s->sb, "%s\n", lvl[s->level]);
	s->lines++;
	s->open = false;
}

/* Account [va, va + size) as PROT at LEVEL, merging with the open run. */
static void note(struct dump_state *s, uint64_t va, pteval_t prot, int level)
{
	if (s->open && s->prot == prot && s->level == level)
		return;
	flush_run(s, va);
	s->open = true;
	s->start = va;
	s->prot = prot;
	s->level = level;
}

static void dump_table(struct dump_state *s, const pteval_t *table, int level, uint64_t base, int first, int last,
		       pteval_t up_us)
{
	unsigned shift = pgtable_level_shift(level);
	for (int i = first; i <= last; i++) {
		uint64_t va = base + ((uint64_t)i << shift);
		pteval_t e = table[i];
		if (!(e & _PAGE_PRESENT)) {
			note(s, va, 0, level);
			continue;
		}
		bool leaf = level == 1 || (level < 4 && (e & _PAGE_PSE));
		uint64_t pfn = (e & PTE_PFN_MASK) >> PAGE_SHIFT;
		if (!leaf && pfn < s->m->max_pfn && PageTable(pfn_to_page(s->m, pfn))) {
			dump_table(s, pgtable_table(s->m, pfn), level - 1, va, 0, PTRS_PER_TABLE - 1,
				   up_us & (e & _PAGE_USER));
			continue;
		}
		pteval_t prot = e & (level == 1 ? PROT_BITS : PROT_BITS_LARGE);
		if (!(up_us & _PAGE_USER))
			prot &= ~_PAGE_USER;   /* effective U/S, as Linux's effective_prot */
		note(s, va, prot, level);
	}
}

/* Append the dump of MM's user half (entries 0..255) and, if KERNEL, of the
 * kernel half, with Linux's "---[ ... ]---" markers.  Returns lines written. */
unsigned long ptdump(struct memsys *m, const struct mm_struct *mm, bool kernel, struct strbuf *sb)
{
	struct dump_state s = { .m = m, .sb = sb };
	if (!mm->pgd_pfn)
		return 0;
	const pteval_t *pgd = pgtable_table(m, mm->pgd_pfn);
	sb_printf(sb, "---[ User Space ]---\n");
	dump_table(&s, pgd, 4, 0, 0, 255, _PAGE_USER);
	flush_run(&s, 1ULL << 47);
	if (kernel) {
		sb_printf(sb, "---[ Kernel Space ]---\n");
		dump_table(&s, pgd, 4, 0, 256, 511, _PAGE_USER);
		flush_run(&s, 1ULL << 48);
	}
	return s.lines;
}
