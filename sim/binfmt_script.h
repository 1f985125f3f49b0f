/* sim/binfmt_script.h - "#!" scripts: Linux's fs/binfmt_script.c and the
 * interpreter loop of fs/exec.c (exec_binprm), for the guest's execve and
 * for PROGRAM on the `mmsim run` command line.
 *
 * The "#!" line is parsed from the first BINPRM_BUF_SIZE (256) bytes of the
 * file: the interpreter name after optional spaces/tabs, then one optional
 * argument - the rest of the line, inner blanks kept, trailing spaces/tabs
 * stripped (not '\r').  A line without '\n' in those bytes is cut there; if
 * even the interpreter name does not end (space, tab or NUL) before the cut
 * the file is not executable (ENOEXEC).  The new argv is
 *   [interpreter, argument (if any), script path as given, argv[1..]]
 * (the old argv[0] is dropped); the interpreter is opened like execve opens
 * a program (relative to the cwd, inside the root, EACCES if not
 * executable).  An interpreter may itself be a script: Linux allows 5 such
 * rewrites (exec_binprm's "depth > 5") and gives ELOOP at the 6th.
 * AT_EXECFN and comm stay the path given to execve; /proc/PID/exe is the
 * program finally loaded (the last interpreter).
 */
#ifndef MMSIM_SIM_BINFMT_SCRIPT_H
#define MMSIM_SIM_BINFMT_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "sim/vfs.h"

struct sim;
struct task;

#define BINPRM_BUF_SIZE 256 /* bytes of the file examined (include/uapi/linux/binfmts.h) */
#define BINPRM_MAX_DEPTH 5  /* interpreter rewrites before ELOOP (fs/exec.c exec_binprm) */

/* One parsed "#!" line; NAME and ARG point into BUF. */
struct script_interp {
	char buf[BINPRM_BUF_SIZE];
	const char *name;   /* the interpreter path */
	const char *arg;    /* the optional argument, or NULL */
};

/* An exec in progress (Linux's struct linux_binprm, the parts we need). */
struct linux_binprm {
	char *filename;            /* the path given to execve (a copy): AT_EXECFN, comm */
	const char *interp;        /* the script path the next interpreter gets */
	struct vfs_file *file;     /* the file being examined (one reference) */
	char canon[VFS_PATH_MAX];  /* its canonical guest path */
	const char **argv;         /* the argument vector after the rewrites */
	int argc, cap;             /* (strings are the caller's or in LINES) */
	struct script_interp lines[BINPRM_MAX_DEPTH + 1];
};

/* Parse the "#!" line of the file DATA[0..SIZE) into SI.  Returns 0, or
 * -ENOEXEC if it does not start with "#!", names no interpreter, or the
 * interpreter name runs past the first BINPRM_BUF_SIZE bytes. */
int binfmt_script_parse(const uint8_t *data, size_t size, struct script_interp *si);

/* A new exec of FILENAME (copied) with ARGV[0..ARGC) (borrowed; an empty argv
 * becomes {""}, as on Linux since 5.18).  Returns NULL on no host memory. */
struct linux_binprm *bprm_alloc(const char *filename, char *const *argv, int argc);
/* Free B and drop its file. */
void bprm_free(struct linux_binprm *b);

/* Follow "#!" lines from B->file (already opened as B->canon) for task T
 * (NULL: the command line, cwd "/").  Returns 0 with B->file the program
 * to load (not a script; maybe not ELF either) and B->argv rewritten, or a
 * negative errno (-ENOEXEC, -ELOOP, the interpreter's -ENOENT/-EACCES...)
 * with "SCRIPT: problem" in ERR. */
long bprm_follow_scripts(struct sim *s, struct task *t, struct linux_binprm *b, char *err, size_t errlen);

#endif
