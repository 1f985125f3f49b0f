/* mm/sysctl_vm.h - the vm.* sysctls: /proc/sys/vm/NAME for the guest and
 * --sysctl vm.NAME=VALUE on the command line (Linux's kernel/sysctl.c
 * vm_table and its proc handlers).
 *
 * A write is parsed exactly as Linux's proc_dointvec_minmax (or
 * proc_doulongvec_minmax) parses it: leading blanks skipped, one number
 * (decimal, 0x hex or 0 octal; "-" allowed for ints), then only a blank,
 * tab or newline may follow; a value outside the entry's [min, max], no
 * number at all, or more than 21 digits is -EINVAL.  Only the first number
 * is used; the bytes consumed (number and trailing blanks) are returned,
 * as Linux's handler reports them.  The writes' side effects are Linux's:
 * min_free_kbytes and watermark_scale_factor recompute the watermarks,
 * overcommit_ratio clears overcommit_kbytes and the other way round,
 * drop_caches drops the clean page cache (1), slab (2) or both (3).
 */
#ifndef MMSIM_MM_SYSCTL_VM_H
#define MMSIM_MM_SYSCTL_VM_H

#include <stdbool.h>
#include <stddef.h>

#include "mm/mmzone.h"

struct strbuf;

/* Number of vm sysctls and the name of the I-th (sorted, as ls shows). */
int vm_sysctl_count(void);
const char *vm_sysctl_name(int i);
/* True if NAME ("swappiness", "page-cluster") is a vm sysctl; *MODE gets
 * its permission bits (0644, or 0200 for drop_caches). */
bool vm_sysctl_exists(const char *name, unsigned *mode);
/* Append NAME's value and a newline to SB.  Returns 0, -ENOENT, or
 * -EACCES for a write-only entry (drop_caches). */
int vm_sysctl_read(struct memsys *m, const char *name, struct strbuf *sb);
/* Write BUF[0..LEN) to NAME.  Returns the bytes consumed, or -ENOENT,
 * -EINVAL (Linux's errors for nonsense). */
long vm_sysctl_write(struct memsys *m, const char *name, const char *buf, size_t len);
/* Check "vm.NAME=VALUE" or "vm/NAME=VALUE" (the --sysctl syntax) without
 * applying it.  Returns 0 or -1 with a one-line reason in ERR. */
int vm_sysctl_check_setting(const char *setting, char *err, size_t errlen);
/* Apply a checked setting to M.  Returns 0 or -1 with ERR. */
int vm_sysctl_apply_setting(struct memsys *m, const char *setting, char *err, size_t errlen);

#endif
