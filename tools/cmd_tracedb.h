/* tools/cmd_tracedb.h - the commands that read a trace database:
 * stats, query (cmd_query.c), replay and diff (cmd_replay.c), proc
 * (cmd_proc.c), report and export (cmd_report.c, cmd_export.c).
 * Each takes ARGV[0] = its name and returns the process exit status:
 * 0 success, 1 a difference (replay, diff --check), 2 bad usage or a
 * database it refuses. */
#ifndef MMSIM_TOOLS_CMD_TRACEDB_H
#define MMSIM_TOOLS_CMD_TRACEDB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

int cmd_stats(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_proc(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* SQL: the zones (samples.zone) that have present pages; the charts and
 * counter tracks leave out the others (an empty Normal zone of a 256M
 * machine). */
#define TRACEDB_ZONES_WITH_PAGES \
	"(SELECT zone FROM samples WHERE kind = 'zone' AND name = 'present' GROUP BY zone HAVING max(value) > 0)"

/* Open PATH for command CMD (trace_read_open); prints "mmsim CMD: why"
 * and returns NULL on refusal. */
sqlite3 *tracedb_open(const char *cmd, const char *path);

/* Print the SQLite error of DB for command CMD ("mmsim CMD: PATH: msg"). */
void tracedb_error(const char *cmd, const char *path, sqlite3 *db);

/* The text of column COL of the single runs row into a malloc'd string
 * (NULL if the column is NULL or on error). */
char *tracedb_run_text(sqlite3 *db, const char *col);

/* Why DB has no stored summary, as "no summary: ..." (the run did not
 * finish; a scenario database, which has none), malloc'd (NULL: no
 * memory). */
char *tracedb_no_summary(sqlite3 *db);

/* Write LEN bytes of BUF to file OUT.  Returns 0, or 2 after "mmsim CMD:
 * OUT: cannot write". */
int tracedb_write_file(const char *cmd, const char *out, const char *buf, size_t len);

/* Refuse output file OUT of command CMD when it is the database IN under
 * any name (same device and inode).  Returns 0, or 2 after "mmsim CMD: -o
 * OUT is the database being read (IN)...". */
int tracedb_check_output(const char *cmd, const char *in, const char *out);

/* Whether paths A and B name one file: the same device and inode when both
 * exist, else the same path once the directories are resolved. */
bool tracedb_same_file(const char *a, const char *b);

/* `mmsim run`: refuse each of the N files FILES[i] = { "--option", path or
 * NULL } that is the database TRACE (NULL: no --trace).  Returns 0, or 2
 * after "mmsim run: --stdout X is the --trace database...". */
int tracedb_check_run_files(const char *trace, const char *const files[][2], int n);

#endif
