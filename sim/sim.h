/* sim/sim.h - struct sim: all simulator state, nothing global.
 *
 * One struct sim is one simulated machine: its configuration, trace sink,
 * physical memory (mm/), kernel page tables and MMU (mmu/), and - once the
 * emulator runs programs - its processes (sim/process.h).  Two sims can live
 * in one host process; tests rely on it.
 */
#ifndef MMSIM_SIM_SIM_H
#define MMSIM_SIM_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "mm/mmzone.h"
#include "mmu/pgtable.h"
#include "sim/config.h"
#include "traces/trace.h"

struct mmu;
struct smp;
struct proc_table;

struct sim {
	struct sim_config cfg;
	struct trace *trace;
	struct memsys *mem;
	struct kernel_pgtables kpt;   /* init_mm: direct map + vmalloc */
	struct mmu *mmu;              /* TLBs, walker, current CR3 (mmu/mmu.h): the
	                               * MMU of the CPU running now (CPU 0 when idle) */
	struct smp *smp;              /* cfg.cpus > 1: the CPUs and their MMUs
	                               * (mmu/smp.h); NULL for one CPU */
	struct proc_table *procs;     /* processes (sim/process.h); NULL until run */
	uint64_t insns;               /* guest time: instructions retired */
	long host_maps;               /* host VMAs of all engines' guest memory (sim/physmap.h) */
	FILE *out;                    /* where show/summary text goes (stdout) */
};

/* Build a machine from CFG, recording to TRACE (ownership passes to the sim;
 * NULL = a counters-only sink).  Returns NULL with a one-line message in ERR. */
struct sim *sim_create(const struct sim_config *cfg, struct trace *trace, char *err, size_t errlen);
/* Tear everything down, closing the trace.  Returns the trace_close() result. */
int sim_destroy(struct sim *s);

#endif
