/* traces/trace_read.c - opening a trace database for reading (see
 * traces/trace_read.h).
 *
 * The checks go from cheap to dear: the file's size and SQLite's 100-byte
 * header (magic, page size, page count: a file shorter than page size x
 * page count is truncated), then SQLite's own open, the application id and
 * user_version pragmas, and the runs row.  Damage inside a page is only
 * seen when a query reads it; the commands turn that SQLite error into
 * their one-line exit 2.
 */
#include "traces/trace_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/trace_internal.h"

int trace_schema_version(void)
{
	return TRACE_SCHEMA_VERSION;
}

/* One integer from SQL, or DEF when it returns no row. Returns 0, or -1
 * on a SQLite error. */
static int pragma_int(sqlite3 *db, const char *sql, long long def, long long *out)
{
	sqlite3_stmt *st;
	*out = def;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Check the SQLite header of PATH.  Returns 0, or -1 with ERR. */
static int check_header(const char *path, char *err, size_t errlen)
{
	struct stat st;
	unsigned char h[100];
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t n = read(fd, h, sizeof h);
	close(fd);
	if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
		snprintf(err, errlen, "%s: not an mmsim trace database (not a SQLite file%s)", path,
			 n >= 0 && n < (ssize_t)sizeof h ? ": too short" : "");
		return -1;
	}
	unsigned long page = (unsigned long)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	unsigned long long pages = (unsigned long long)h[28] << 24 | (unsigned long long)h[29] << 16 |
				   (unsigned long long)h[30] << 8 | h[31];
	if (page < 512 || (page & (page - 1))) {
		snprintf(err, errlen, "%s: damaged trace database (bad page size %lu in the header)", path, page);
		return -1;
	}
	if ((unsigned long long)st.st_size < pages * page || st.st_size % (off_t)page) {
		snprintf(err, errlen, "%s: truncated trace database (%lld bytes, the header says %llu)", path,
			 (long long)st.st_size, pages * page);
		return -1;
	}
	return 0;
}

/* Open PATH read-only.  A database still in WAL mode (a run that did not
 * finish, or a database of an older mmsim) needs PATH-shm, which SQLite
 * creates beside it; in a directory the reader cannot write, a database
 * without PATH-wal is opened immutable (nothing to fold in: the file is
 * all of it), and one with PATH-wal is refused with why.  A finished run's
 * database is in journal_mode=DELETE and needs no side files.  Returns
 * SQLite's code; *DB is set as by sqlite3_open_v2. */
static int open_readonly(const char *path, sqlite3 **db, char *err, size_t errlen)
{
	char side[4200], dir[4096];
	unsigned char h[20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool wal = fd >= 0 && read(fd, h, sizeof h) == (ssize_t)sizeof h && (h[18] == 2 || h[19] == 2);
	if (fd >= 0)
		close(fd);
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path == 0 ? 1 : slash - path) : 1, slash ? path : ".");
	snprintf(side, sizeof side, "%s-shm", path);
	if (!wal || access(dir, W_OK) == 0 || access(side, F_OK) == 0)
		return sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
	snprintf(side, sizeof side, "%s-wal", path);
	if (access(side, F_OK) == 0) {
		*db = NULL;
		snprintf(err, errlen,
			 "%s: the run did not finish and part of it is in %s, which SQLite reads only with %s-shm beside "
			 "it: directory '%s' must be writable (or copy both files to one that is)",
			 path, side, path, dir);
		return SQLITE_READONLY;
	}
	/* file:PATH?immutable=1, PATH percent-encoded where URIs need it */
	char uri[3 * 4096 + 32], *u = uri;
	u += sprintf(u, "file:");
	for (const char *p = path; *p && u < uri + sizeof uri - 20; p++)
		u += strchr("?#%", *p) || (unsigned char)*p < 0x20 ? sprintf(u, "%%%02X", (unsigned char)*p)
								     : sprintf(u, "%c", *p);
	strcpy(u, "?immutable=1");
	return sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
}

sqlite3 *trace_read_open(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	long long app, ver, runs, events;

	if (check_header(path, err, errlen) < 0)
		return NULL;
	err[0] = '\0';
	if (open_readonly(path, &db, err, errlen) != SQLITE_OK) {
		if (err[0])
			goto fail;
		snprintf(err, errlen, "%s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db, 2000);
	if (pragma_int(db, "PRAGMA application_id", 0, &app) < 0 || pragma_int(db, "PRAGMA user_version", 0, &ver) < 0 ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'runs'", 0, &runs) < 0 ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'events'", 0,
		       &events) < 0) {
		snprintf(err, errlen, "%s: damaged trace database: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (app != TRACE_APPLICATION_ID && !(runs && events)) {
		snprintf(err, errlen, "%s: not an mmsim trace database (a SQLite file without mmsim's tables)", path);
		goto fail;
	}
	if (ver != TRACE_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: trace schema version %lld, this mmsim reads version %d (%s)", path, ver,
			 TRACE_SCHEMA_VERSION, ver < TRACE_SCHEMA_VERSION ? "record the run again with this mmsim"
									   : "use a newer mmsim");
		goto fail;
	}
	long long nrun;
	if (pragma_int(db, "SELECT count(*) FROM runs", 0, &nrun) < 0) {
		snprintf(err, errlen, "%s: damaged trace database: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (nrun != 1) {
		snprintf(err, errlen, "%s: damaged trace database (%lld runs rows, expected 1)", path, nrun);
		goto fail;
	}
	sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}
