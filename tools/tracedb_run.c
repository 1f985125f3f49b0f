/* tools/tracedb_run.c - a recorded run made runnable again (see
 * tools/tracedb_run.h). */
#include "tools/tracedb_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/run_record.h"
#include "sim/vfs.h"
#include "tools/builtin_guest.h"
#include "tools/cmd_tracedb.h"

/* Parse the JSON array of strings TEXT (as run_record wrote it) into a
 * NULL-terminated malloc'd vector.  Returns the count, or -1. */
static int parse_string_array(const char *text, char ***out)
{
	const char *p = text;
	char **v = NULL;
	int n = 0;
	if (!p || *p++ != '[')
		return -1;
	while (*p && *p != ']') {
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != '"')
			goto bad;
		char *s = malloc(strlen(p) + 1), *d = s;
		if (!s)
			goto bad;
		while (*p && *p != '"') {
			if (*p == '\\') {
				p++;
				switch (*p) {
				case 'n': *d++ = '\n'; break;
				case 't': *d++ = '\t'; break;
				case 'r': *d++ = '\r'; break;
				case 'b': *d++ = '\b'; break;
				case 'f': *d++ = '\f'; break;
				case 'u': {
					unsigned c = 0;
					if (sscanf(p + 1, "%4x", &c) != 1) {
						free(s);
						goto bad;
					}
					*d++ = (char)c;
					p += 4;
					break;
				}
				default: *d++ = *p;
				}
				p++;
			} else {
				*d++ = *p++;
			}
		}
		*d = '\0';
		if (*p++ != '"') {
			free(s);
			goto bad;
		}
		char **nv = realloc(v, (size_t)(n + 2) * sizeof *nv);
		if (!nv) {
			free(s);
			goto bad;
		}
		v = nv;
		v[n++] = s;
		v[n] = NULL;
	}
	*out = v;
	return n;
bad:
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return -1;
}

/* SHA-256 of host file PATH into HEX.  Returns 0, or -1 (cannot read). */
static int hash_file(const char *path, char *hex)
{
	uint8_t *data;
	size_t size;
	char err[256];
	if (vfs_read_host_file(path, &data, &size, err, sizeof err) != 0)
		return -1;
	sha256_hex(data, size, hex);
	free(data);
	return 0;
}

/* Check every row of the inputs table.  Returns 0, or 2 after a message. */
static int check_inputs(sqlite3 *db, const char *cmd, const char *path, const struct recorded_run *rr)
{
	sqlite3_stmt *st;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT kind, path, host_path, sha256 FROM inputs ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK) {
		tracedb_error(cmd, path, db);
		return 2;
	}
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *gp = (const char *)sqlite3_column_text(st, 1);
		const char *hp = (const char *)sqlite3_column_text(st, 2);
		const char *want = (const char *)sqlite3_column_text(st, 3);
		char have[65];
		if (!hp)
			continue;
		/* a program named inside --root is checked by its file row */
		if (!strcmp(kind, "program") && rr->o.cfg.root[0] && access(hp, F_OK) != 0)
			continue;
		if (hash_file(hp, have) != 0) {
			fprintf(stderr, "mmsim %s: %s: the %s %s (host %s) is missing or unreadable; cannot re-execute\n", cmd,
				path, kind, gp, hp);
			rc = 2;
		} else if (strcmp(have, want)) {
			fprintf(stderr, "mmsim %s: %s: the %s %s (host %s) changed since the run (SHA-256 recorded %.12s..., now %.12s...)\n",
				cmd, path, kind, gp, hp, want, have);
			rc = 2;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* A program recorded without a host file (inputs.host_path NULL: it was
 * built into mmsim, as `mmsim demo`'s) into RR->o.image, after checking
 * that this mmsim has it with the recorded SHA-256.  Returns 0 (also when
 * the program is a host file), or 2 after a message. */
static int load_builtin(sqlite3 *db, const char *cmd, const char *path, struct recorded_run *rr)
{
	sqlite3_stmt *st;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT sha256 FROM inputs WHERE kind = 'program' AND host_path IS NULL ORDER BY id LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		tracedb_error(cmd, path, db);
		return 2;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *want = (const char *)sqlite3_column_text(st, 0);
		size_t size;
		const uint8_t *image = builtin_guest(rr->program, &size);
		char have[65];
		if (image)
			sha256_hex(image, size, have);
		if (!image) {
			fprintf(stderr, "mmsim %s: %s: the program %s was built into the mmsim that recorded the run, and this mmsim has no built-in %s; cannot re-execute\n",
				cmd, path, rr->program, rr->program);
			rc = 2;
		} else if (!want || strcmp(have, want)) {
			fprintf(stderr, "mmsim %s: %s: the built-in program %s changed since the run (SHA-256 recorded %.12s..., now %.12s...)\n",
				cmd, path, rr->program, want ? want : "?", have);
			rc = 2;
		} else {
			rr->o.image = image;
			rr->o.image_size = size;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* runs.programs (a multi-program run, in the command line's syntax) into
 * RR->o.progs, and runs.oom_rules into RR->o.oom_rules.  Returns 0, or 2
 * after a message. */
static int load_programs(sqlite3 *db, const char *cmd, const char *path, struct recorded_run *rr)
{
	char *text = tracedb_run_text(db, "programs"), *rules = tracedb_run_text(db, "oom_rules");
	int rc = 0;
	if (text) {
		rr->nprog_argv = parse_string_array(text, &rr->prog_argv);
		struct run_prog *p = NULL;
		for (int i = 0; i < rr->nprog_argv && rc == 0; i++) {
			char *a = rr->prog_argv[i];
			if (!strcmp(a, ":::")) {
				p = NULL;
				continue;
			}
			if (!p) {
				if (rr->o.nr_progs == RUN_MAX_PROGRAMS) {
					rc = 2;
					break;
				}
				p = &rr->o.progs[rr->o.nr_progs++];
			}
			if (!p->program && !strncmp(a, "--oom-score-adj=", 16)) {
				p->set_oom_score_adj = true;
				p->oom_score_adj = atoi(a + 16);
			} else if (!p->program && !strncmp(a, "--delay=", 8)) {
				p->delay = strtoull(a + 8, NULL, 10);
			} else if (!p->program) {
				p->program = a;
				p->argv = &rr->prog_argv[i + 1];
			} else {
				p->argc++;
			}
		}
		/* each program's argv ends at its ":::": terminate it there */
		for (int i = 0; i < rr->nprog_argv; i++)
			if (!strcmp(rr->prog_argv[i], ":::")) {
				free(rr->prog_argv[i]);
				rr->prog_argv[i] = NULL;
			}
		if (rr->nprog_argv < 0 || rc || rr->o.nr_progs < 2) {
			rc = 2;
		} else {
			for (int k = 0; k < rr->o.nr_progs; k++)
				if (!rr->o.progs[k].program || rr->o.progs[k].argc < 1)
					rc = 2;
		}
		if (rc)
			fprintf(stderr, "mmsim %s: %s: damaged runs.programs\n", cmd, path);
	}
	if (rules && rc == 0) {
		char **v = NULL, err[256];
		int n = parse_string_array(rules, &v);
		if (n < 0 || n > RUN_MAX_OOM_RULES)
			rc = 2;
		for (int i = 0; i < n; i++) {
			if (rc == 0 && oom_adj_rule_parse(v[i], &rr->o.oom_rules[rr->o.nr_oom_rules++], err, sizeof err) != 0)
				rc = 2;
			free(v[i]);
		}
		free(v);
		if (rc)
			fprintf(stderr, "mmsim %s: %s: damaged runs.oom_rules\n", cmd, path);
	}
	free(text);
	free(rules);
	return rc;
}

int recorded_run_load(sqlite3 *db, const char *cmd, const char *path, bool check, struct recorded_run *rr)
{
	char err[512];
	memset(rr, 0, sizeof *rr);
	rr->config = tracedb_run_text(db, "config");
	rr->program = tracedb_run_text(db, "program");
	rr->cwd = tracedb_run_text(db, "cwd");
	char *argv = tracedb_run_text(db, "argv"), *events = tracedb_run_text(db, "events");
	rr->events = events ? strtoll(events, NULL, 10) : -1;
	free(events);
	if (!rr->config || !rr->program || !rr->cwd || !argv) {
		fprintf(stderr, "mmsim %s: %s: not a recording of `mmsim run` (no program, argv or configuration)\n", cmd,
			path);
		free(argv);
		return 2;
	}
	rr->argc = parse_string_array(argv, &rr->argv);
	free(argv);
	if (rr->argc < 1) {
		fprintf(stderr, "mmsim %s: %s: damaged runs.argv\n", cmd, path);
		return 2;
	}
	sim_config_default(&rr->o.cfg);
	if (chdir(rr->cwd) != 0) {
		fprintf(stderr, "mmsim %s: %s: the run's directory %s: %s\n", cmd, path, rr->cwd, strerror(errno));
		return 2;
	}
	if (sim_config_apply_line(&rr->o.cfg, rr->config, err, sizeof err) != 0) {
		fprintf(stderr, "mmsim %s: %s: recorded configuration: %s\n", cmd, path, err);
		return 2;
	}
	if (check && check_inputs(db, cmd, path, rr) != 0)
		return 2;
	if (load_builtin(db, cmd, path, rr) != 0)
		return 2;
	rr->o.program = rr->program;
	rr->o.argv = rr->argv;
	rr->o.argc = rr->argc;
	rr->o.stdout_path = "/dev/null";
	rr->o.stderr_path = "/dev/null";
	rr->o.quiet = true;
	if (load_programs(db, cmd, path, rr) != 0)
		return 2;
	char *se = tracedb_run_text(db, "sample_every");
	rr->o.sample_every = se ? strtoull(se, NULL, 10) : 0;
	free(se);
	/* a run stopped by Ctrl-C: the re-execution stops where it did */
	char *why = tracedb_run_text(db, "finish_reason"), *insns = tracedb_run_text(db, "instructions");
	if (why && insns && !strcmp(why, RUN_INTERRUPTED_REASON))
		rr->o.interrupt_at = strtoull(insns, NULL, 10);
	free(why);
	free(insns);
	return 0;
}

void recorded_run_free(struct recorded_run *rr)
{
	for (int i = 0; i < rr->argc; i++)
		free(rr->argv[i]);
	free(rr->argv);
	for (int i = 0; i < rr->nprog_argv; i++)
		free(rr->prog_argv[i]);
	free(rr->prog_argv);
	free(rr->program);
	free(rr->cwd);
	free(rr->config);
	free(rr->cmdline);
	memset(rr, 0, sizeof *rr);
}

/* Hold back what the machine prints on stderr (its kernel log: OOM-killer
 * reports, SIGSEGV reports, allocation failures, why a run stopped) in a
 * temporary file, as the live run already showed it.  Returns the saved
 * stderr, or -1 (then nothing is held back) with *HELD NULL. */
int hold_stderr(FILE **held)
{
	int saved = -1;
	fflush(stderr);
	*held = tmpfile();
	if (*held && (saved = dup(2)) >= 0 && dup2(fileno(*held), 2) >= 0)
		return saved;
	if (saved >= 0)
		close(saved);
	if (*held)
		fclose(*held);
	*held = NULL;
	return -1;
}

/* Give stderr back (SAVED from hold_stderr); with SHOW, copy the text held
 * back to it first. */
void release_stderr(int saved, FILE *held, bool show)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (show) {
		char buf[4096];
		size_t n;
		rewind(held);
		while ((n = fread(buf, 1, sizeof buf, held)) > 0)
			fwrite(buf, 1, n, stderr);
		fflush(stderr);
	}
	fclose(held);
}
