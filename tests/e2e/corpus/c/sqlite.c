/* LIBS: -lsqlite3 -lm */
/* sqlite3 in-memory database: schema, 2000 inserts in a transaction, joins, aggregates. */
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
	if (sqlite3_open(":memory:", &db) != SQLITE_OK) { puts("open failed"); return 1; }
	char *err = NULL;
	const char *q[] = {
		"CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, grp INT, val REAL)",
		"CREATE TABLE g(grp INT PRIMARY KEY, label TEXT)",
		"CREATE INDEX t_grp ON t(grp)",
		"WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x<2000) "
		"INSERT INTO t(name, grp, val) SELECT printf('n%04d', x), x % 7, x * 0.5 FROM c",
		"INSERT INTO g VALUES (0,'zero'),(1,'one'),(2,'two'),(3,'three'),(4,'four'),(5,'five')",
	};
	sqlite3_exec(db, "BEGIN", 0, 0, 0);
	for (unsigned i = 0; i < sizeof q / sizeof q[0]; i++)
		if (sqlite3_exec(db, q[i], 0, 0, &err) != SQLITE_OK) { printf("error: %s\n", err); return 1; }
	sqlite3_exec(db, "COMMIT", 0, 0, 0);
	sqlite3_exec(db, "SELECT count(*), sum(val), min(name), max(name) FROM t", row, "all", 0);
	sqlite3_exec(db, "SELECT t.grp, g.label, count(*), round(avg(val), 3) FROM t LEFT JOIN g USING(grp) GROUP BY t.grp ORDER BY t.grp", row, "grp", 0);
	sqlite3_exec(db, "SELECT name FROM t WHERE grp = 3 ORDER BY val DESC LIMIT 3", row, "top", 0);
	sqlite3_exec(db, "UPDATE t SET val = val * 2 WHERE id % 100 = 0", 0, 0, 0);
	printf("changes %d\n", sqlite3_changes(db));
	sqlite3_exec(db, "SELECT total(val), group_concat(id, ',') FROM t WHERE id % 500 = 0", row, "upd", 0);
	if (sqlite3_exec(db, "SELECT * FROM missing", row, "x", &err) != SQLITE_OK) printf("expected error: %s\n", err);
	sqlite3_close(db);
	return 0;
}
