/* LIBS: -lsqlite3 -lm */
/* sqlite3 with its default settings: a GROUP BY over 100k rows too large
 * for the sorter's memory spills to a temporary file (in /tmp: the guest's
 * tmpfs under mmsim).  Without a writable temporary directory it fails with
 * "disk I/O error" (SQLITE_IOERR_GETTEMPPATH, extended code 6410). */
#include <sqlite3.h>
#include <stdio.h>
static int row(void *tag, int n, char **v, char **col)
{
	(void)col;
	printf("%s:", (char *)tag);
	for (int i = 0; i < n; i++) printf(" %s", v[i] ? v[i] : "NULL");
	printf("\n");
	return 0;
}
int main(void)
{
	sqlite3 *db;
	char *err = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) { puts("open failed"); return 1; }
	sqlite3_extended_result_codes(db, 1);
	const char *q =
		"CREATE TABLE t(k INT, v INT, pad BLOB);"
		"WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x<100000) "
		"INSERT INTO t SELECT (x * 7919) % 50000, x, zeroblob(40) FROM c;";
	if (sqlite3_exec(db, q, 0, 0, &err) != SQLITE_OK) { printf("error: %s\n", err); return 1; }
	int rc = sqlite3_exec(db,
		"SELECT count(*), sum(n), max(s), sum(l) FROM (SELECT k, count(*) AS n, sum(v) AS s, max(length(pad)) AS l "
		"FROM t GROUP BY k)", row, "groups", &err);
	if (rc != SQLITE_OK) { printf("error: %s (extended code %d)\n", err, sqlite3_extended_errcode(db)); return 1; }
	sqlite3_close(db);
	return 0;
}
