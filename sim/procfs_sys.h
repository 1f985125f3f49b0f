/* sim/procfs_sys.h - the writable corners of the guest's /proc:
 * /proc/sys/vm/NAME (mm/sysctl_vm.h) and /proc/PID/oom_score,
 * oom_score_adj and oom_adj (sim/oom_kill.h).  sim/procfs.c and
 * sim/sys_fs.c call in here; everything else under /proc is read-only. */
#ifndef MMSIM_SIM_PROCFS_SYS_H
#define MMSIM_SIM_PROCFS_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim;
struct task;
struct file;
struct iobuf;
struct strbuf;
struct vfs_stat;
struct vfs_file;

/* Mode (type and permission bits) of REST below /proc (PID 0) or below
 * /proc/PID: "sys", "sys/vm", "sys/vm/NAME", "oom_score"...  Returns 0 if
 * REST is not one of these. */
unsigned procfs_sys_mode(int pid, const char *rest);
/* Names in directory /proc/REST ("sys", "sys/vm"): count, or -1. */
int procfs_sys_dir(const char *rest, const char **names, uint8_t *types, int max);
/* Append the text of REST (for task P, or NULL) to SB.  Returns 0, or 1 if
 * REST is not one of these files. */
int procfs_sys_generate(struct sim *s, struct task *p, const char *rest, struct strbuf *sb);
/* May canonical path P be opened with access mode ACC (O_RDONLY ...)?
 * Returns 0, -EACCES (read of write-only drop_caches), or -EROFS (any
 * other /proc file opened for writing). */
int procfs_may_open(struct sim *s, const char *p, int acc);
/* write(2) of LEN bytes from IO to the /proc file F: the bytes consumed,
 * or Linux's errno (-EINVAL for nonsense, -ESRCH for a dead process,
 * -EFAULT). */
long procfs_write(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len);

#endif
