/* sim/report.h - the fatal-signal report (SIGSEGV, SIGBUS, SIGILL, ...)
 * printed when a guest dies of a CPU fault: pid, signal, address, RIP,
 * reason, the faulting instruction disassembled with Capstone, and the VMA
 * list (as /proc/PID/maps shows it). */
#ifndef MMSIM_SIM_REPORT_H
#define MMSIM_SIM_REPORT_H

#include <stdio.h>

struct engine;
struct engine_fault;

/* One-word reason: "not mapped", "protection", "non-canonical", ... */
const char *engine_fault_reason(const struct engine_fault *f);
/* Signal name ("SIGSEGV"), or "signal N". */
const char *engine_signal_name(int sig);
/* Print the report for E's last fault to OUT. */
void engine_report_fault(struct engine *e, FILE *out);

#endif
