/* traces/trace_replace.h - may an existing file be replaced by a new trace
 * database?  Only an mmsim database (any schema version) or an empty file
 * may: `--force` never destroys a file that is something else. */
#ifndef MMSIM_TRACES_TRACE_REPLACE_H
#define MMSIM_TRACES_TRACE_REPLACE_H

#include <stddef.h>

/* Check PATH before a new database is created there.  Returns 0 when PATH
 * does not exist, is empty, or is an mmsim trace database; -1 with "trace:
 * 'PATH' is not an mmsim trace database (WHAT); it was left alone" in ERR
 * otherwise (a file that cannot be read counts as not a database). */
int trace_check_replace(const char *path, char *err, size_t errlen);

#endif
