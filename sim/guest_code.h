/* sim/guest_code.h - reading a guest's code bytes without touching the
 * modelled TLBs (a debugger's peek), for the fault report and the trace's
 * insns table. */
#ifndef MMSIM_SIM_GUEST_CODE_H
#define MMSIM_SIM_GUEST_CODE_H

#include <stddef.h>
#include <stdint.h>

struct memsys;
struct mm_struct;

/* Copy up to MAX bytes at guest address RIP of MM into CODE, stopping at
 * the first page that is not present.  Returns the number copied (0: RIP's
 * page is not present). */
size_t guest_read_code(struct memsys *m, struct mm_struct *mm, uint64_t rip, uint8_t *code, size_t max);

#endif
