/* mmu/smp.h - several CPUs: per-CPU TLBs, mm_cpumask, lazy TLB mode and
 * TLB shootdowns (Linux: arch/x86/mm/tlb.c).
 *
 * Each CPU has its own struct mmu (TLBs, paging-structure caches, CR3 and
 * PCID state).  An mm's cpumask has the bit of every CPU where it is
 * loaded: switch_mm sets the new CPU's bit and clears it in the mm the CPU
 * leaves, as x86 does; a CPU with nothing to run enters lazy TLB mode
 * (the idle task borrows the last mm, which stays loaded and keeps its
 * bit) and leaves it at its next switch.
 *
 * A flush of an mm's range (smp_flush_tlb_range, reached through
 * mm->tlb_ops from munmap, mprotect, mremap, madvise, COW, reclaim) is
 * flush_tlb_mm_range(): more than tlb_single_page_flush_ceiling (33) pages
 * become a full flush of the mm; if the mm is loaded on a CPU other than
 * the one running the code (this_cpu), native_flush_tlb_multi() counts one
 * NR_TLB_REMOTE_FLUSH and sends an IPI to each such CPU that is not lazy,
 * which flushes its TLB (NR_TLB_REMOTE_FLUSH_RECEIVED there); the local
 * CPU flushes its own if the mm is loaded there (NR_TLB_LOCAL_FLUSH_ONE
 * per page, or NR_TLB_LOCAL_FLUSH_ALL).  A lazy CPU gets no IPI (Linux's
 * tlb_is_not_lazy); like a CPU where the mm is not loaded, its stale
 * entries for the mm are dropped at once without an interrupt, which is
 * what Linux's tlb_gen check does when the CPU next switches to that mm.
 * Every IPI costs simulated time: SMP_IPI_SEND_NS on the sending CPU
 * (it waits for the acknowledgements) and SMP_IPI_RECV_NS on each target.
 */
#ifndef MMSIM_MMU_SMP_H
#define MMSIM_MMU_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mm_types.h"

#define SMP_MAX_CPUS 64
#define SMP_IPI_SEND_NS 2000 /* the initiator: send, wait for every ack */
#define SMP_IPI_RECV_NS 500  /* a target: interrupt entry, INVLPGs, exit */

struct mmu;
struct memsys;

struct smp_cpu {
	struct mmu *mmu;
	bool is_lazy;                    /* cpu_tlbstate.is_lazy */
	uint64_t stall_ns;               /* IPI time not yet charged to the CPU's clock */
	unsigned long ipis_sent;         /* flush IPIs this CPU sent */
	unsigned long ipis_received;     /* NR_TLB_REMOTE_FLUSH_RECEIVED on this CPU */
	unsigned long remote_flushes;    /* NR_TLB_REMOTE_FLUSH started here */
};

struct smp {
	int nr_cpus;
	int this_cpu;                    /* the CPU whose code runs now */
	struct memsys *mem;
	struct smp_cpu cpu[SMP_MAX_CPUS];
};

/* Set up NR CPUs over the MMUs in MMUS (one each, already created; CPU
 * 0's PCID allocator serves all).  Each MMU gets SMP as its m->smp. */
void smp_init(struct smp *smp, struct memsys *mem, struct mmu **mmus, int nr);

/* CPU switches to NEXT (switch_mm_irqs_off): leaves lazy mode; the CPU's
 * bit moves from the mm it had loaded to NEXT's cpumask; CR3 is written
 * if the mm changes.  Returns mmu_switch_mm's result. */
int smp_switch_mm(struct smp *smp, int cpu, struct mm_struct *next);
/* CPU has nothing to run: lazy TLB mode (enter_lazy_tlb). */
void smp_enter_lazy(struct smp *smp, int cpu);
/* MM was freed (after the last mmput): no CPU keeps it loaded. */
void smp_drop_mm(struct smp *smp, const struct mm_struct *mm);

/* Give MM a PCID (every CPU's stale entries for a recycled one are
 * dropped) and route its flushes to smp_flush_tlb_range/_mm. */
void smp_attach_mm(struct smp *smp, struct mm_struct *mm);
/* flush_tlb_mm_range for [START, END) of MM from this_cpu (above). */
void smp_flush_tlb_range(struct smp *smp, struct mm_struct *mm, uint64_t start, uint64_t end);
void smp_flush_tlb_mm(struct smp *smp, struct mm_struct *mm);

#endif
