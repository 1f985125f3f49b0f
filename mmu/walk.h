/* mmu/walk.h - the hardware page walker (what the CPU does on a TLB miss).
 *
 * mmu_walk() translates one linear address through the 4-level tables in
 * simulated physical memory exactly as an x86-64 CPU with CR0.PG=1,
 * CR4.PAE=1, EFER.LME=1, EFER.NXE=1 (configurable) does:
 *
 *   - reads one 8-byte entry per level from simulated RAM (each read is one
 *     memory reference, counted per level), starting at CR3's table or where
 *     a paging-structure cache hit lets it resume (mmu/psc.h);
 *   - stops with a #PF at the first entry with P=0 (error code without P) or
 *     with a reserved bit set (P|RSVD): PFN bits at or above MAXPHYADDR,
 *     PS in a PML4E, bits 29:13 of a 1 GiB leaf, bits 20:13 of a 2 MiB leaf,
 *     NX when EFER.NXE=0;
 *   - stops at a leaf: a PDPTE or PDE with PS=1 (1 GiB / 2 MiB page) or a PTE;
 *   - checks the rights accumulated over all levels (R/W and U/S are ANDed,
 *     NX ORed): user accesses need U/S=1 everywhere, writes need R/W=1
 *     everywhere (supervisor writes too when CR0.WP=1, Linux's setting),
 *     fetches need NX=0 everywhere; optional SMEP/SMAP for supervisor
 *     accesses to user pages;
 *   - on success only, sets A in every entry it read and D in the leaf for
 *     a write, in simulated memory, as the SDM says for entries "used as part
 *     of a successful translation" (levels skipped by a PSC hit are not
 *     re-read: their A bits were set when the PSC entry was created).
 *     Our choice where the SDM leaves it open: a faulting walk modifies
 *     nothing, and a fault drops the PSC entries for the faulting VA.
 *
 * The #PF error code uses Linux's names (arch/x86/include/asm/trap_pf.h).
 * A non-canonical address raises #GP on hardware, not #PF: mmu_walk()
 * returns -EINVAL for it, distinct from a page fault.
 *
 * Levels: 4 = PML4 (pgd), 3 = PDPT (pud), 2 = PD (pmd), 1 = PT (pte).
 * Arrays indexed by level have 5 slots, slot 0 unused.
 */
#ifndef MMSIM_MMU_WALK_H
#define MMSIM_MMU_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mm_types.h"
#include "mm/mmzone.h"
#include "mmu/pgtable.h"

struct psc;

/* Access kind (low 2 bits) plus MMU_USER for a CPL-3 access. */
enum mmu_access { MMU_READ = 0, MMU_WRITE = 1, MMU_EXEC = 2 };
#define MMU_ACCESS_KIND 3u
#define MMU_USER        4u

/* x86 #PF error code bits */
#define PF_PROT  (1u << 0)  /* 0: not-present page, 1: protection/reserved */
#define PF_WRITE (1u << 1)  /* write access */
#define PF_USER  (1u << 2)  /* CPL 3 access */
#define PF_RSVD  (1u << 3)  /* reserved bit set in a paging-structure entry */
#define PF_INSTR (1u << 4)  /* instruction fetch */

/* Why a walk stopped (finer than the error code, for traces and show). */
enum walk_fault_kind {
	WALK_OK = 0,
	WALK_NOT_PRESENT,   /* P=0 at out->level */
	WALK_RESERVED,      /* reserved bit set at out->level */
	WALK_USER,          /* user access, U/S=0 at out->level */
	WALK_WRITE,         /* write, R/W=0 at out->level */
	WALK_NX,            /* fetch, NX=1 at out->level */
	WALK_SMEP,          /* supervisor fetch from a user page (CR4.SMEP) */
	WALK_SMAP,          /* supervisor data access to a user page (CR4.SMAP) */
};

struct walk_result {
	bool fault;                  /* true: #PF, see error_code/kind/level */
	enum walk_fault_kind kind;
	uint32_t error_code;         /* PF_* bits, 0 when !fault */
	int level;                   /* level of the leaf (success) or where the
	                              * walk stopped: the entry not present or
	                              * with reserved bits, or the highest level
	                              * whose entry denies the access */
	uint64_t pfn;                /* 4 KiB frame holding va */
	uint64_t phys;               /* physical address of va */
	unsigned page_shift;         /* 12, 21 or 30 (0 on a fault) */
	unsigned fault_shift;        /* on a fault: size of the page the walk
	                              * reached (a rights fault at a 2 MiB
	                              * leaf: 21), 12 when it reached none */
	uint64_t page_pfn;           /* first 4 KiB frame of the whole (huge) page */
	bool writable, user, nx, global, dirty; /* effective rights, G and D of the leaf */
	pteval_t leaf;               /* leaf entry after A/D update */
	int start_level;             /* 4, or lower when a PSC hit skipped levels */
	unsigned refs;               /* memory references (entry reads) this walk */
	unsigned refs_per_level[5];
	/* Per-level record: filled by mmu_walk_cr3(), not by mmu_walk_cr3_fast(). */
	pteval_t entries[5];         /* entries read, by level (0 if not read) */
	uint64_t entry_phys[5];      /* physical address of each entry read */
};

/* Architectural configuration of the walker (the control-register bits). */
struct walker_config {
	unsigned maxphyaddr;  /* MAXPHYADDR, 36..52; default 46 */
	bool nxe;             /* EFER.NXE (default on) */
	bool wp;              /* CR0.WP (default on, as Linux sets it) */
	bool smep, smap;      /* CR4.SMEP / CR4.SMAP (default off) */
};

struct walker {
	struct memsys *mem;
	struct psc *psc;           /* NULL = paging-structure caches off */
	struct walker_config cfg;
	uint64_t rsvd_phys_mask;   /* PFN bits >= MAXPHYADDR, from cfg */
	/* statistics */
	unsigned long walks, faults, gp_faults;
	unsigned long refs;                 /* total entry reads */
	unsigned long refs_level[5];        /* entry reads per level */
	unsigned long ad_writes;            /* entries whose A/D bits the walker set */
	unsigned long faults_kind[WALK_SMAP + 1];
	unsigned long leaves[3];            /* successful walks ending at 4K/2M/1G */
	/* mem->trace's counter array when it only counts (walk.c caches it on
	 * the first walk; the answer is fixed for a trace's life) */
	uint64_t *trace_counts;
	bool trace_cached;
};

/* Defaults: MAXPHYADDR 46, NXE on, WP on, SMEP/SMAP off. */
void walker_config_default(struct walker_config *cfg);

/* Initialise W for MEM with CFG (NULL = defaults) and PSC (NULL = off; the
 * walker does not own it).  Returns 0, or -EINVAL if CFG's MAXPHYADDR is
 * outside 36..52. */
int walker_init(struct walker *w, struct memsys *mem, const struct walker_config *cfg, struct psc *psc);

/* Translate VA for ACCESS (enum mmu_access | MMU_USER) in the address space
 * whose PML4 is at frame PGD_PFN, with PSC tag PCID.  Fills *OUT.
 * Returns 0 on a translation, 1 on a page fault (out->fault, error_code,
 * kind, level), -EINVAL for a non-canonical VA (#GP; nothing read), or
 * -EFAULT if a table frame lies outside simulated RAM (a broken CR3 or
 * entry; out->level says which). Emits a TEV_WALK event. */
int mmu_walk_cr3(struct walker *w, uint64_t pgd_pfn, uint16_t pcid, uint64_t va, unsigned access,
		 struct walk_result *out);

/* mmu_walk_cr3() for the translate path (mmu_translate_slow): the same
 * reads, A/D writes, PSC use, statistics and TEV_WALK event, but only the
 * scalar fields of *OUT are written (fault, kind, error_code, level,
 * start_level, refs, pfn, phys, page_shift, fault_shift, page_pfn, rights,
 * leaf); entries[], entry_phys[] and refs_per_level[] are left as they were. */
int mmu_walk_cr3_fast(struct walker *w, uint64_t pgd_pfn, uint16_t pcid, uint64_t va, unsigned access,
		      struct walk_result *out);

/* mmu_walk_cr3() on MM's pgd and PCID.  -ENOENT if MM has no pgd. */
int mmu_walk(struct walker *w, const struct mm_struct *mm, uint64_t va, unsigned access,
	     struct walk_result *out);

/* "not-present", "reserved", "user", "write", "nx", "smep", "smap", "ok". */
const char *walk_fault_name(enum walk_fault_kind k);
/* Render an x86 #PF error code as "P|W|U|RSVD|I" style text ("0" if none). */
char *pf_error_str(uint32_t code, char *buf, size_t len);
/* Render a walk as one line per level for `show walk`; returns BUF. */
char *walk_format(const struct walk_result *r, uint64_t va, char *buf, size_t len);

#endif
