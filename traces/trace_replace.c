/* traces/trace_replace.c - may an existing file become a new trace
 * database (see traces/trace_replace.h)?
 *
 * The cheap test reads SQLite's 100-byte header: the magic and, at byte
 * 68, the application id that every mmsim database carries.  A database
 * whose first page still sits in its write-ahead log (a run killed before
 * a checkpoint) has no id in the file itself: SQLite's own read of it,
 * which sees the log, decides (the id, or mmsim's runs and events tables).
 */
#include "traces/trace_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "traces/trace_internal.h"

/* Whether SQLite file PATH, read through SQLite, is an mmsim database. */
static int sqlite_is_mmsim(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int yes = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
			       "SELECT (SELECT application_id FROM pragma_application_id) = ? OR "
			       "(SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('runs', 'events')) = 2",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, TRACE_APPLICATION_ID);
		yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return yes;
}

int trace_check_replace(const char *path, char *err, size_t errlen)
{
	struct stat sb;
	unsigned char h[100];
	const char *what;
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0)
		return 0; /* absent, or not a file: the sink's own checks say so */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "trace: '%s' exists and cannot be read (%s); it was left alone", path,
			 strerror(errno));
		return -1;
	}
	ssize_t n = read(fd, h, sizeof h);
	close(fd);
	if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
		what = "not a SQLite file";
	} else {
		unsigned long app = (unsigned long)h[68] << 24 | (unsigned long)h[69] << 16 | (unsigned long)h[70] << 8 | h[71];
		if (app == TRACE_APPLICATION_ID || sqlite_is_mmsim(path))
			return 0;
		what = "a SQLite database of another program";
	}
	snprintf(err, errlen, "trace: '%s' is not an mmsim trace database (%s); it was left alone", path, what);
	return -1;
}

/* Rename FROM and its -wal/-shm companions to TO's.  Returns 0 or -1
 * (errno; FROM missing counts as done). */
static int rename_with_sides(const char *from, const char *to)
{
	char a[4096], b[4096];
	for (const char *suf = ""; suf; suf = !*suf ? "-wal" : suf[1] == 'w' ? "-shm" : NULL) {
		snprintf(a, sizeof a, "%s%s", from, suf);
		snprintf(b, sizeof b, "%s%s", to, suf);
		if (rename(a, b) < 0 && errno != ENOENT)
			return -1;
	}
	return 0;
}

static void unlink_with_sides(const char *path)
{
	char a[4096];
	for (const char *suf = ""; suf; suf = !*suf ? "-wal" : suf[1] == 'w' ? "-shm" : NULL) {
		snprintf(a, sizeof a, "%s%s", path, suf);
		unlink(a);
	}
}

int trace_replace_begin(const char *path, char *backup, size_t len, char *err, size_t errlen)
{
	struct stat sb;
	backup[0] = 0;
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	snprintf(backup, len, "%s.mmsim-replaced", path);
	unlink_with_sides(backup);
	if (rename_with_sides(path, backup) < 0) {
		snprintf(err, errlen, "trace: cannot replace '%s': %s", path, strerror(errno));
		backup[0] = 0;
		return -1;
	}
	return 0;
}

void trace_replace_end(const char *path, const char *backup, bool keep_new)
{
	if (!backup[0])
		return;
	if (keep_new) {
		unlink_with_sides(backup);
	} else {
		unlink_with_sides(path);
		rename_with_sides(backup, path);
	}
}
