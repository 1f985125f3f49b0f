/* traces/trace_replace.h - may an existing file be replaced by a new trace
 * database?  Only an mmsim database (any schema version) or an empty file
 * may: `--force` never destroys a file that is something else. */
#ifndef MMSIM_TRACES_TRACE_REPLACE_H
#define MMSIM_TRACES_TRACE_REPLACE_H

#include <stdbool.h>
#include <stddef.h>

/* Check PATH before a new database is created there.  Returns 0 when PATH
 * does not exist, is empty, or is an mmsim trace database; -1 with "trace:
 * 'PATH' is not an mmsim trace database (WHAT); it was left alone" in ERR
 * otherwise (a file that cannot be read counts as not a database). */
int trace_check_replace(const char *path, char *err, size_t errlen);

/* `--force`: move an existing PATH (with its -wal/-shm files) aside to
 * BACKUP (LEN bytes; "PATH.mmsim-replaced"; "" when there was nothing to
 * move) so that a run that never starts can put it back.  Returns 0, or -1
 * with ERR. */
int trace_replace_begin(const char *path, char *backup, size_t len, char *err, size_t errlen);

/* Finish what trace_replace_begin started: KEEP_NEW (the run started)
 * deletes BACKUP; else the new PATH is deleted and BACKUP goes back. */
void trace_replace_end(const char *path, const char *backup, bool keep_new);

#endif
