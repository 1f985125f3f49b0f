/* sim/binfmt_script.c - "#!" scripts (see sim/binfmt_script.h).
 *
 * The parser is Linux's load_script() step for step, on a NUL-padded copy
 * of the first 256 bytes, so every odd line (NULs, no newline, blanks only,
 * a cut argument) gives what Linux gives.
 */
#include "sim/binfmt_script.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sys_internal.h"

#define AT_FDCWD_ (-100)

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* First byte in [FIRST, LAST] that is not a space or tab, or NULL. */
static char *next_non_spacetab(char *first, char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* First space, tab or NUL in [FIRST, LAST], or NULL. */
static char *next_terminator(char *first, char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/* Linux's strnchr: C in the first COUNT bytes of S before a NUL, or NULL. */
static char *strnchr_(char *s, size_t count, char c)
{
	for (; count-- && *s; s++)
		if (*s == c)
			return s;
	return NULL;
}

int binfmt_script_parse(const uint8_t *data, size_t size, struct script_interp *si)
{
	char *buf = si->buf, *buf_end = buf + BINPRM_BUF_SIZE - 1;
	char *i_name, *i_sep, *i_arg, *i_end;

	memset(buf, 0, BINPRM_BUF_SIZE);
	memcpy(buf, data, size < BINPRM_BUF_SIZE ? size : BINPRM_BUF_SIZE);
	si->name = si->arg = NULL;
	if (buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	/* Either a newline ends the line, or the interpreter name must end
	 * (blank or NUL) before the buffer does: never run a cut name. */
	i_end = strnchr_(buf, BINPRM_BUF_SIZE, '\n');
	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end)
			return -ENOEXEC; /* blanks only */
		if (!next_terminator(i_end, buf_end))
			return -ENOEXEC; /* the interpreter name is cut */
		i_end = buf_end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(buf + 2, i_end);
	if (!i_name || i_name == i_end)
		return -ENOEXEC; /* no interpreter name */
	i_arg = NULL;
	i_sep = next_terminator(i_name, i_end);
	if (i_sep && *i_sep != '\0')
		i_arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (i_arg)
		*i_sep = '\0';
	si->name = i_name;
	si->arg = i_arg;
	return 0;
}

struct linux_binprm *bprm_alloc(const char *filename, char *const *argv, int argc)
{
	static const char empty[] = "";
	struct linux_binprm *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->cap = (argc ? argc : 1) + 2 * (BINPRM_MAX_DEPTH + 1) + 1;
	b->argv = calloc((size_t)b->cap, sizeof(*b->argv));
	b->filename = strdup(filename);
	if (!b->argv || !b->filename) {
		free(b->argv);
		free(b->filename);
		free(b);
		return NULL;
	}
	for (int i = 0; i < argc; i++)
		b->argv[i] = argv[i];
	b->argc = argc;
	if (!argc)
		b->argv[b->argc++] = empty;
	b->interp = b->filename;
	return b;
}

void bprm_free(struct linux_binprm *b)
{
	if (!b)
		return;
	if (b->file)
		vfs_file_put(b->file);
	free(b->argv);
	free(b->filename);
	free(b);
}

/* Replace argv[0] by [NAME, ARG (if any), B->interp] (Linux's
 * remove_arg_zero and the three copy_string_kernel calls). */
static void splice_interp(struct linux_binprm *b, const struct script_interp *si)
{
	int add = si->arg ? 3 : 2; /* net growth: one old argv[0] goes */
	memmove(b->argv + add, b->argv, (size_t)b->argc * sizeof(*b->argv));
	int k = 0;
	b->argv[k++] = si->name;
	if (si->arg)
		b->argv[k++] = si->arg;
	b->argv[k++] = b->interp;
	/* b->argv[k] is the old argv[0]: drop it */
	memmove(b->argv + k, b->argv + k + 1, (size_t)(b->argc - 1) * sizeof(*b->argv));
	b->argc += add - 1;
}

long bprm_follow_scripts(struct sim *s, struct task *t, struct linux_binprm *b, char *err, size_t errlen)
{
	for (int depth = 0;; depth++) {
		if (depth > BINPRM_MAX_DEPTH) {
			snprintf(err, errlen, "%s: more than %d levels of #! interpreters", b->filename,
				 BINPRM_MAX_DEPTH);
			return -ELOOP;
		}
		const struct vfs_file *f = b->file;
		if (f->size < 2 || f->data[0] != '#' || f->data[1] != '!')
			return 0;
		struct script_interp *si = &b->lines[depth];
		if (binfmt_script_parse(f->data, f->size, si) != 0) {
			snprintf(err, errlen, "%s: the #! line names no interpreter that fits in its first %d bytes",
				 b->canon, BINPRM_BUF_SIZE);
			return -ENOEXEC;
		}
		splice_interp(b, si);
		char canon[VFS_PATH_MAX];
		struct vfs_file *interp = NULL;
		/* an empty name ("#!" alone, blanks without a newline) is the
		 * cwd for the kernel's own lookup: a directory, EACCES */
		long rc = si->name[0] ? open_exec(s, t, AT_FDCWD_, si->name, canon, &interp) : -EACCES;
		if (rc) {
			snprintf(err, errlen, "%s: interpreter %s: %s", b->canon, si->name, strerror((int)-rc));
			return rc;
		}
		vfs_file_put(b->file);
		b->file = interp;
		memcpy(b->canon, canon, sizeof(canon));
		b->interp = si->name;
	}
}
