/* tools/tracedb_output.c - an output file of a command that reads a trace
 * database must not be that database, and `mmsim run` must not read or
 * write its own --trace database through another option (see
 * tools/cmd_tracedb.h). */
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/cmd_tracedb.h"

/* The absolute path of P with its directory resolved (P itself need not
 * exist) into BUF.  Returns BUF, or NULL when the directory cannot be. */
static char *canonical(const char *p, char *buf, size_t len)
{
	char d[PATH_MAX], b[PATH_MAX], dir[PATH_MAX];
	snprintf(d, sizeof d, "%s", p);
	snprintf(b, sizeof b, "%s", p);
	if (!realpath(dirname(d), dir))
		return NULL;
	snprintf(buf, len, "%s/%s", dir, basename(b));
	return buf;
}

bool tracedb_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char ca[2 * PATH_MAX], cb[2 * PATH_MAX];
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return canonical(a, ca, sizeof ca) && canonical(b, cb, sizeof cb) && !strcmp(ca, cb);
}

int tracedb_check_run_files(const char *trace, const char *const files[][2], int n)
{
	for (int i = 0; trace && i < n; i++)
		if (files[i][1] && tracedb_same_file(files[i][1], trace)) {
			fprintf(stderr, "mmsim run: %s %s is the --trace database; give another file\n", files[i][0],
				files[i][1]);
			return 2;
		}
	return 0;
}

int tracedb_check_output(const char *cmd, const char *in, const char *out)
{
	struct stat a, b;
	/* an OUT that does not exist yet cannot be IN; one that does is IN
	 * when it is the same file by any name (./RUN.db, a symlink, a hard link) */
	if (stat(in, &a) != 0 || stat(out, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return 0;
	fprintf(stderr, "mmsim %s: -o %s is the database being read (%s); write to another file\n", cmd, out, in);
	return 2;
}
