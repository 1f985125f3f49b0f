/* tools/cmd_query.c - `mmsim stats DB` and `mmsim query DB "SQL"`.
 *
 * stats prints the summary stored by the run (runs.summary_text or
 * summary_json: the bytes `mmsim run` printed).  query runs read-only
 * SQL: every statement is prepared and checked with sqlite3_stmt_readonly
 * before any runs, on a connection opened read-only with query_only set,
 * so a writing statement is refused before it can run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/summary.h"
#include "tools/cmd_tracedb.h"
#include "traces/trace_read.h"

sqlite3 *tracedb_open(const char *cmd, const char *path)
{
	char err[1024];
	sqlite3 *db = trace_read_open(path, err, sizeof err);
	if (!db)
		fprintf(stderr, "mmsim %s: %s\n", cmd, err);
	return db;
}

void tracedb_error(const char *cmd, const char *path, sqlite3 *db)
{
	fprintf(stderr, "mmsim %s: %s: %s\n", cmd, path, sqlite3_errmsg(db));
}

int tracedb_write_file(const char *cmd, const char *out, const char *buf, size_t len)
{
	FILE *o = fopen(out, "w");
	int why = o ? 0 : errno;
	bool ok = o && fwrite(buf, 1, len, o) == len;
	if (o && !ok)
		why = errno;
	if (o && fclose(o) != 0 && ok) {
		why = errno;
		ok = false;
	}
	if (!ok) {
		fprintf(stderr, "mmsim %s: %s: cannot write: %s\n", cmd, out, strerror(why ? why : EIO));
		return 2;
	}
	return 0;
}

char *tracedb_run_text(sqlite3 *db, const char *col)
{
	char sql[128];
	sqlite3_stmt *st;
	char *out = NULL;
	snprintf(sql, sizeof sql, "SELECT %s FROM runs WHERE id = 1", col);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

char *tracedb_no_summary(sqlite3 *db)
{
	char *fin = tracedb_run_text(db, "finished"), *prog = tracedb_run_text(db, "program");
	char *why = tracedb_run_text(db, "finish_reason"), *out = NULL;
	if (!fin || !strcmp(fin, "0"))
		out = strdup("no summary: the run did not finish (killed before its end)");
	else if (!prog)
		out = strdup("no summary: a scenario database (mmsim scenario, mmsim demo --scenario) has no run "
			     "summary; its events, counters and views are in the database (mmsim query)");
	else if (asprintf(&out, "no summary: the run finished (%s) but its summary was not stored",
			  why ? why : "no reason recorded") < 0)
		out = NULL;
	free(fin);
	free(prog);
	free(why);
	return out;
}

int cmd_stats(int argc, char **argv)
{
	bool json = false;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: mmsim stats [--json] RUN.db\n"
			     "Print the summary `mmsim run` printed for the recorded run (text, or the\n"
			     "JSON object with --json), from the database alone.");
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "mmsim stats: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (!path)
			path = argv[i];
		else {
			fprintf(stderr, "mmsim stats: one database only ('%s')\n", argv[i]);
			return 2;
		}
	}
	if (!path) {
		fputs("mmsim stats: no database given (usage: mmsim stats [--json] RUN.db)\n", stderr);
		return 2;
	}
	sqlite3 *db = tracedb_open("stats", path);
	if (!db)
		return 2;
	char *text = tracedb_run_text(db, json ? "summary_json" : "summary_text");
	int rc = 0;
	if (!text) {
		char *why = tracedb_no_summary(db);
		fprintf(stderr, "mmsim stats: %s: %s\n", path, why ? why : "no summary");
		free(why);
		rc = 2;
	} else {
		fputs(text, stdout);
	}
	free(text);
	sqlite3_close(db);
	return rc;
}

enum qfmt { Q_TABLE, Q_CSV, Q_JSON };

/* A cell's text as the table and CSV show it (NULL: ""). */
static char *cell_text(sqlite3_stmt *st, int c)
{
	char buf[64];
	switch (sqlite3_column_type(st, c)) {
	case SQLITE_NULL: return strdup("");
	case SQLITE_INTEGER: snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, c)); return strdup(buf);
	case SQLITE_FLOAT: snprintf(buf, sizeof buf, "%.15g", sqlite3_column_double(st, c)); return strdup(buf);
	case SQLITE_BLOB: {
		int n = sqlite3_column_bytes(st, c);
		const unsigned char *b = sqlite3_column_blob(st, c);
		char *s = malloc(2 * (size_t)n + 4);
		if (!s)
			return NULL;
		strcpy(s, "x'");
		for (int i = 0; i < n; i++)
			sprintf(s + 2 + 2 * i, "%02x", b[i]);
		strcat(s, "'");
		return s;
	}
	default: return strdup((const char *)sqlite3_column_text(st, c));
	}
}

static void csv_put(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* Run ST, printing its rows in FMT.  Returns 0 or -1 (SQLite error). */
static int print_rows(sqlite3_stmt *st, enum qfmt fmt, FILE *out)
{
	int nc = sqlite3_column_count(st), rc;
	char **cells = NULL;
	size_t nrows = 0, cap = 0;
	bool first = true;
	if (fmt == Q_CSV && nc) {
		for (int c = 0; c < nc; c++) {
			if (c)
				fputc(',', out);
			csv_put(out, sqlite3_column_name(st, c));
		}
		fputc('\n', out);
	}
	if (fmt == Q_JSON)
		fputc('[', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == Q_JSON) {
			fputs(first ? "\n{" : ",\n{", out);
			first = false;
			for (int c = 0; c < nc; c++) {
				if (c)
					fputc(',', out);
				json_put_string(out, sqlite3_column_name(st, c));
				fputc(':', out);
				int t = sqlite3_column_type(st, c);
				if (t == SQLITE_NULL)
					fputs("null", out);
				else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
					char *s = cell_text(st, c);
					fputs(s ? s : "null", out);
					free(s);
				} else {
					char *s = cell_text(st, c);
					json_put_string(out, s ? s : "");
					free(s);
				}
			}
			fputc('}', out);
			continue;
		}
		if (fmt == Q_CSV) {
			for (int c = 0; c < nc; c++) {
				char *s = cell_text(st, c);
				if (c)
					fputc(',', out);
				csv_put(out, s ? s : "");
				free(s);
			}
			fputc('\n', out);
			continue;
		}
		if ((nrows + 1) * (size_t)nc > cap) {
			cap = cap ? 2 * cap : 64 * (size_t)nc;
			char **n = realloc(cells, cap * sizeof *n);
			if (!n)
				break;
			cells = n;
		}
		for (int c = 0; c < nc; c++)
			cells[nrows * (size_t)nc + (size_t)c] = cell_text(st, c);
		nrows++;
	}
	if (fmt == Q_JSON)
		fputs(first ? "]\n" : "\n]\n", out);
	if (fmt == Q_TABLE && nc) {
		/* aligned columns: numbers right, text left */
		size_t *w = calloc((size_t)nc, sizeof *w);
		bool *num = calloc((size_t)nc, sizeof *num);
		for (int c = 0; w && num && c < nc; c++) {
			w[c] = strlen(sqlite3_column_name(st, c));
			num[c] = nrows > 0;
			for (size_t r = 0; r < nrows; r++) {
				const char *s = cells[r * (size_t)nc + (size_t)c];
				s = s ? s : "";
				if (strlen(s) > w[c])
					w[c] = strlen(s);
				if (*s && strspn(s, "-0123456789.e+") != strlen(s))
					num[c] = false;
			}
		}
		for (int c = 0; w && num && c < nc; c++)
			fprintf(out, "%s%*s", c ? "  " : "", num[c] ? (int)w[c] : -(int)w[c], sqlite3_column_name(st, c));
		fputc('\n', out);
		for (int c = 0; w && c < nc; c++) {
			fputs(c ? "  " : "", out);
			for (size_t k = 0; k < w[c]; k++)
				fputc('-', out);
		}
		fputc('\n', out);
		for (size_t r = 0; w && num && r < nrows; r++) {
			for (int c = 0; c < nc; c++) {
				const char *s = cells[r * (size_t)nc + (size_t)c];
				if (c == nc - 1 && !num[c])
					fprintf(out, "%s%s", c ? "  " : "", s ? s : "");
				else
					fprintf(out, "%s%*s", c ? "  " : "", num[c] ? (int)w[c] : -(int)w[c], s ? s : "");
			}
			fputc('\n', out);
		}
		free(w);
		free(num);
	}
	for (size_t i = 0; i < nrows * (size_t)nc; i++)
		free(cells[i]);
	free(cells);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* One line: the SQL with its newlines shown as spaces. */
static void put_query(FILE *f, const char *sql)
{
	for (const char *p = sql; *p; p++)
		fputc(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p, f);
}

int cmd_query(int argc, char **argv)
{
	enum qfmt fmt = Q_TABLE;
	const char *path = NULL, *sql = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--csv"))
			fmt = Q_CSV;
		else if (!strcmp(a, "--json"))
			fmt = Q_JSON;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			puts("usage: mmsim query [--csv|--json] RUN.db \"SQL\"\n"
			     "Run read-only SQL on a trace database (tables, views: docs/trace-schema.md).\n"
			     "Output: an aligned table (default), CSV with a header line, or a JSON array\n"
			     "of objects.  A statement that would write is refused before anything runs.\n"
			     "Exit status: 0, or 2 for a refused database, a SQL error or a write.");
			return 0;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mmsim query: unknown option '%s'\n", a);
			return 2;
		} else if (!path)
			path = a;
		else if (!sql)
			sql = a;
		else {
			fprintf(stderr, "mmsim query: too many arguments ('%s'); quote the SQL\n", a);
			return 2;
		}
	}
	if (!path || !sql) {
		fputs("mmsim query: usage: mmsim query [--csv|--json] RUN.db \"SQL\"\n", stderr);
		return 2;
	}
	if (!sql[strspn(sql, " \t\n;")]) {
		fputs("mmsim query: the SQL is empty\n", stderr);
		return 2;
	}
	sqlite3 *db = tracedb_open("query", path);
	if (!db)
		return 2;
	/* prepare and check every statement before running any */
	sqlite3_stmt *sts[64];
	int n = 0, rc = 0;
	const char *p = sql, *tail;
	while (*p) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db, p, -1, &st, &tail) != SQLITE_OK) {
			fprintf(stderr, "mmsim query: %s in: ", sqlite3_errmsg(db));
			put_query(stderr, sql);
			fputc('\n', stderr);
			rc = 2;
			goto out;
		}
		if (st) {
			if (!sqlite3_stmt_readonly(st)) {
				fputs("mmsim query: refused, the statement would write (the database is read-only): ", stderr);
				put_query(stderr, sqlite3_sql(st));
				fputc('\n', stderr);
				sqlite3_finalize(st);
				rc = 2;
				goto out;
			}
			if (n == (int)(sizeof sts / sizeof sts[0])) {
				sqlite3_finalize(st);
				fputs("mmsim query: more than 64 statements\n", stderr);
				rc = 2;
				goto out;
			}
			sts[n++] = st;
		}
		p = tail;
	}
	for (int i = 0; i < n; i++) {
		if (print_rows(sts[i], fmt, stdout) != 0) {
			fflush(stdout);
			fprintf(stderr, "mmsim query: %s in: ", sqlite3_errmsg(db));
			put_query(stderr, sqlite3_sql(sts[i]));
			fputc('\n', stderr);
			rc = 2;
			break;
		}
	}
out:
	for (int i = 0; i < n; i++)
		sqlite3_finalize(sts[i]);
	sqlite3_close(db);
	return rc;
}
