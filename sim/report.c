/* sim/report.c - the report printed when a guest dies of a CPU fault. */
#include "sim/report.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mmap.h"
#include "mmu/memory.h"
#include "mmu/walk.h"
#include "sim/engine_impl.h"
#include "sim/guest_code.h"
#include "sim/process.h"
#include "sim/sim.h"

const char *engine_fault_reason(const struct engine_fault *f)
{
	switch (f->kind) {
	case EFAULT_NOT_MAPPED: return "not mapped";
	case EFAULT_PROTECTION: return "protection";
	case EFAULT_NON_CANONICAL: return "non-canonical address";
	case EFAULT_BUS: return "beyond end of file mapping";
	case EFAULT_OOM: return "out of memory";
	case EFAULT_EXEC: return "instruction fetch refused";
	}
	return "unknown";
}

const char *engine_signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGTRAP: return "SIGTRAP";
	default: return "signal";
	}
}

static const char *access_name(unsigned access)
{
	switch (access & MMU_ACCESS_KIND) {
	case MMU_WRITE: return "write";
	case MMU_EXEC: return "exec";
	default: return "read";
	}
}

/* Disassemble the instruction at RIP into BUF without touching the modelled
 * TLBs (a debugger's peek: follow_pfn + the direct map). */
static void disasm_at(struct engine *e, uint64_t rip, char *buf, size_t len)
{
	uint8_t code[16];
	snprintf(buf, len, "(not readable)");
	size_t have = guest_read_code(e->s->mem, e->mm, rip, code, sizeof code);
	if (!have || !e->cs_ok)
		return;
	cs_insn *insn;
	size_t cnt = cs_disasm(e->cs, code, have, rip, 1, &insn);
	if (cnt == 0) {
		snprintf(buf, len, "(undecodable bytes %02x %02x %02x %02x)", code[0], have > 1 ? code[1] : 0,
			 have > 2 ? code[2] : 0, have > 3 ? code[3] : 0);
		return;
	}
	char hex[64] = "";
	for (int i = 0; i < insn[0].size && i < 15; i++)
		snprintf(hex + 3 * i, sizeof hex - 3 * (size_t)i, "%02x ", insn[0].bytes[i]);
	snprintf(buf, len, "%-30.45s %.31s %.100s", hex, insn[0].mnemonic, insn[0].op_str);
	cs_free(insn, cnt);
}

void engine_report_fault(struct engine *e, FILE *out)
{
	const struct engine_fault *f = &e->fault;
	int pid = e->t ? e->t->pid : 0;
	const char *comm = e->t ? e->t->comm : "?";
	char insn[256], ec[64];

	disasm_at(e, f->rip, insn, sizeof insn);
	fprintf(out, "mmsim: pid %d (%s) killed by %s", pid, comm, engine_signal_name(f->signo));
	if (f->signo == SIGSEGV || f->signo == SIGBUS)
		fprintf(out, ": %s at 0x%llx (%s, %s)\n", access_name(f->access), (unsigned long long)f->addr,
			engine_fault_reason(f), f->si_code == 1 ? "SEGV_MAPERR" : f->si_code == 2 ? "SEGV_ACCERR" : "SI_KERNEL");
	else
		fprintf(out, " (CPU exception %u)\n", f->error_code);
	fprintf(out, "  RIP 0x%llx: %s\n", (unsigned long long)f->rip, insn);
	if (f->signo == SIGSEGV && f->kind != EFAULT_NON_CANONICAL && f->error_code)
		fprintf(out, "  #PF error code 0x%x (%s)\n", f->error_code, pf_error_str(f->error_code, ec, sizeof ec));
	if (e->mm) {
		size_t cap = 64 * 1024;
		char *maps = malloc(cap);
		if (maps) {
			mm_format_maps(e->mm, maps, cap);
			fprintf(out, "  VMAs:\n");
			for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n"))
				fprintf(out, "    %s\n", line);
			free(maps);
		}
	}
}
