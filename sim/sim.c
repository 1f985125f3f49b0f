/* sim/sim.c - build and tear down one simulated machine.
 *
 * Order of construction (reversed by sim_destroy): the trace sink, the
 * physical memory (mm/: zones, buddy allocator, kmalloc caches), the kernel
 * page tables (init_mm: direct map + vmalloc area), then the MMU (TLBs and
 * walker, from the tlb= spec).  No CR3 is loaded: whoever runs code picks
 * the address space (mmu_switch_mm).  Processes are added later by the emulator (sim/process.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mmzone.h"
#include "mm/page_pcp.h"
#include "mm/sysctl_vm.h"
#include "sim/oom_kill.h"
#include "mmu/pgtable.h"
#include "sim/sim.h"

#include "mmu/mmu.h"
#include "mmu/smp.h"
#include "mmu/tlb.h"

/* CPUs 1..cfg.cpus-1 get MMUs like CPU 0's (TC; the random policy
 * seeded with seed + cpu).  Returns 0 or -1 with ERR. */
static int smp_create(struct sim *s, const struct tlb_config *tc, char *err, size_t errlen)
{
	struct mmu *mmus[SMP_MAX_CPUS];
	s->smp = calloc(1, sizeof *s->smp);
	if (!s->smp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mmus[0] = s->mmu;
	for (int i = 1; i < s->cfg.cpus; i++) {
		mmus[i] = mmu_create(s->mem, tc, s->cfg.seed + (uint64_t)i, s->trace, err, errlen);
		if (!mmus[i]) {
			while (--i > 0)
				mmu_destroy(mmus[i]);
			free(s->smp);
			s->smp = NULL;
			return -1;
		}
	}
	smp_init(s->smp, s->mem, mmus, s->cfg.cpus);
	return 0;
}

/* Free CPUs 1.. and point s->mmu back at CPU 0's MMU. */
static void smp_destroy(struct sim *s)
{
	if (!s->smp)
		return;
	s->mmu = s->smp->cpu[0].mmu;
	for (int i = 1; i < s->smp->nr_cpus; i++)
		mmu_destroy(s->smp->cpu[i].mmu);
	free(s->smp);
	s->smp = NULL;
}

struct sim *sim_create(const struct sim_config *cfg, struct trace *trace, char *err, size_t errlen)
{
	struct sim *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		trace_close(trace);
		return NULL;
	}
	s->cfg = *cfg;
	s->out = stdout;
	s->trace = trace ? trace : trace_open_none();
	trace_set_level(s->trace, (enum trace_level)cfg->trace_level);
	trace_set_clock(s->trace, 0, 0);

	s->mem = memsys_create(&cfg->mem, s->trace, err, errlen);
	if (!s->mem)
		goto err;
	s->mem->owner = s;
	if (memsys_set_nr_cpus(s->mem, cfg->cpus > 0 ? cfg->cpus : 1) < 0) {
		snprintf(err, errlen, "cpus: %d is more than the memory model's %d", cfg->cpus, MM_MAX_CPUS);
		goto err;
	}
	s->mem->reclaim.out_of_memory = sim_out_of_memory;
	for (int i = 0; i < cfg->nr_sysctl; i++)
		if (vm_sysctl_apply_setting(s->mem, cfg->sysctl[i], err, errlen) < 0)
			goto err;
	if (kernel_pgtables_init(s->mem, &s->kpt) < 0) {
		memset(&s->kpt, 0, sizeof s->kpt); /* init unwound itself */
		snprintf(err, errlen, "cannot build the kernel page tables: out of simulated memory (mem=%lluK)",
			 (unsigned long long)(cfg->mem.mem_bytes >> 10));
		goto err;
	}
	struct tlb_config tc;
	tlb_config_default(&tc);
	if (tlb_config_parse(cfg->tlb, &tc, err, errlen) < 0)
		goto err;
	s->mmu = mmu_create(s->mem, &tc, cfg->seed, s->trace, err, errlen);
	if (!s->mmu)
		goto err;
	if (cfg->cpus > 1 && smp_create(s, &tc, err, errlen) < 0)
		goto err;
	return s;
err:
	sim_destroy(s);
	return NULL;
}

int sim_destroy(struct sim *s)
{
	if (!s)
		return 0;
	smp_destroy(s);
	if (s->mmu)
		mmu_destroy(s->mmu);
	if (s->mem) {
		if (s->kpt.mem)
			kernel_pgtables_destroy(s->mem, &s->kpt);
		memsys_destroy(s->mem);
	}
	int rc = trace_close(s->trace);
	free(s);
	return rc;
}
