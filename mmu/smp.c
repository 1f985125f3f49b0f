/* mmu/smp.c - per-CPU TLB state, mm_cpumask and TLB shootdowns (see
 * mmu/smp.h). */
#include "mmu/smp.h"

#include <stddef.h>

#include "mm/vmstat.h"
#include "mmu/mmu.h"

static void smp_ops_flush_range(void *ctx, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	smp_flush_tlb_range(ctx, mm, start, end);
}

static void smp_ops_flush_mm(void *ctx, struct mm_struct *mm)
{
	smp_flush_tlb_mm(ctx, mm);
}

static const struct mm_tlb_ops smp_tlb_ops = {
	.flush_range = smp_ops_flush_range,
	.flush_mm = smp_ops_flush_mm,
};

void smp_init(struct smp *smp, struct memsys *mem, struct mmu **mmus, int nr)
{
	smp->nr_cpus = nr;
	smp->this_cpu = 0;
	smp->mem = mem;
	for (int i = 0; i < nr; i++) {
		smp->cpu[i] = (struct smp_cpu){ .mmu = mmus[i], .is_lazy = true };
		mmus[i]->smp = smp;
	}
}

int smp_switch_mm(struct smp *smp, int cpu, struct mm_struct *next)
{
	struct smp_cpu *c = &smp->cpu[cpu];
	struct mm_struct *prev = c->mmu->cur_mm;
	c->is_lazy = false;
	if (prev == next)
		return 0;
	if (prev)
		prev->cpumask &= ~(1ULL << cpu);
	if (next)
		next->cpumask |= 1ULL << cpu;
	return mmu_switch_mm(c->mmu, next);
}

void smp_enter_lazy(struct smp *smp, int cpu)
{
	smp->cpu[cpu].is_lazy = true;
}

void smp_drop_mm(struct smp *smp, const struct mm_struct *mm)
{
	/* MM is already freed: compare, never touch it.  A CPU that had it
	 * loaded (lazily) has nothing loaded now; its next switch writes CR3. */
	for (int i = 0; i < smp->nr_cpus; i++) {
		struct mmu *m = smp->cpu[i].mmu;
		if (m->cur_mm == mm) {
			m->cur_mm = NULL;
			m->cr3_pfn = 0;
		}
	}
}

void smp_attach_mm(struct smp *smp, struct mm_struct *mm)
{
	struct mmu *m0 = smp->cpu[0].mmu;
	unsigned pcid = m0->next_pcid;
	m0->next_pcid = pcid >= TLB_PCID_MAX ? 1 : pcid + 1;
	mm->pcid = (uint16_t)pcid;
	mm->cpumask = 0;
	for (int i = 0; i < smp->nr_cpus; i++)
		if (smp->cpu[i].mmu->cfg.pcid)
			mmu_flush_pcid(smp->cpu[i].mmu, pcid); /* a recycled PCID must not see old entries */
	mm->tlb_ops = &smp_tlb_ops;
	mm->tlb_ctx = smp;
}

/* flush_tlb_mm_range: see mmu/smp.h.  END UINT64_MAX means the whole mm
 * (TLB_FLUSH_ALL). */
static void flush_mm_range(struct smp *smp, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	int self = smp->this_cpu;
	struct smp_cpu *me = &smp->cpu[self];
	bool all = end == UINT64_MAX || ((end - start) >> PAGE_SHIFT) > TLB_SINGLE_PAGE_FLUSH_CEILING;
	uint64_t others = mm->cpumask & ~(1ULL << self);
	unsigned ipis = 0;
	for (int i = 0; i < smp->nr_cpus; i++) {
		if (i == self)
			continue;
		struct smp_cpu *c = &smp->cpu[i];
		bool ipi = ((others >> i) & 1) && !c->is_lazy;
		if (ipi) {
			if (!ipis) { /* native_flush_tlb_multi: one per shootdown */
				__count_vm_event(smp->mem, NR_TLB_REMOTE_FLUSH);
				me->remote_flushes++;
				me->stall_ns += SMP_IPI_SEND_NS;
			}
			ipis++;
			me->ipis_sent++;
			c->ipis_received++;
			c->stall_ns += SMP_IPI_RECV_NS;
			__count_vm_event(smp->mem, NR_TLB_REMOTE_FLUSH_RECEIVED);
		}
		/* with or without an IPI the CPU's entries for MM go (lazy and
		 * not-loaded CPUs: Linux's tlb_gen flush at the next switch) */
		if (all)
			flush_tlb_range_remote(c->mmu, mm, 0, 1ULL << 47, 30, ipi);
		else
			flush_tlb_range_remote(c->mmu, mm, start, end, PAGE_SHIFT, ipi);
	}
	if (all)
		flush_tlb_mm_ipis(me->mmu, mm, ipis);
	else
		flush_tlb_range_ipis(me->mmu, mm, start, end, PAGE_SHIFT, ipis);
}

void smp_flush_tlb_range(struct smp *smp, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	if (end > start)
		flush_mm_range(smp, mm, start, end);
}

void smp_flush_tlb_mm(struct smp *smp, struct mm_struct *mm)
{
	flush_mm_range(smp, mm, 0, UINT64_MAX);
}
