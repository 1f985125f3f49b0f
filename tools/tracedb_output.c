/* tools/tracedb_output.c - an output file of a command that reads a trace
 * database must not be that database (see tools/cmd_tracedb.h). */
#include <stdio.h>
#include <sys/stat.h>

#include "tools/cmd_tracedb.h"

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
