/* tools/grade_program.c - `mmsim grade EXERCISE --program FILE`: run the
 * student's program on the exercise's machine (its `config` lines, its
 * `program_args`) exactly as `mmsim run` would, in a child process with a
 * wall-clock limit, then judge each `criterion` of the exercise against the
 * run's JSON summary (the keys of `mmsim run --json`, flattened with dots:
 * exit_code, instructions, faults.cow, tlb.dTLB-load-misses,
 * vmstat.pgfault, processes.0.peak_rss_kb) and the program's output.
 * A program that crashes, loops (config max_insns, and the wall-clock
 * limit) or cannot start fails the criteria it cannot meet; the grader
 * itself never runs the guest in its own process.
 */
#include "tools/grade.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/run.h"
#include "tools/scenario.h"
#include "tools/scenario_question.h"

#define PROGRAM_WALL_SECONDS 120

/* ---- a flattening JSON reader: "a":{"b":[{"c":1}]} gives a.b.0.c = 1 ---- */

struct jkv {
	char key[160];
	double val;
};

struct jflat {
	struct jkv *kv;
	size_t n, cap;
	const char *s;
	size_t p;
};

static void jws(struct jflat *j)
{
	while (isspace((unsigned char)j->s[j->p]))
		j->p++;
}

static int jput(struct jflat *j, const char *key, double v)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 64;
		struct jkv *n = realloc(j->kv, cap * sizeof *n);
		if (!n)
			return -1;
		j->kv = n;
		j->cap = cap;
	}
	snprintf(j->kv[j->n].key, sizeof j->kv[j->n].key, "%s", key);
	j->kv[j->n++].val = v;
	return 0;
}

/* A string at j->p into BUF.  Returns 0 or -1. */
static int jstring(struct jflat *j, char *buf, size_t len)
{
	size_t k = 0;
	if (j->s[j->p] != '"')
		return -1;
	for (j->p++; j->s[j->p] && j->s[j->p] != '"'; j->p++) {
		if (j->s[j->p] == '\\' && j->s[j->p + 1])
			j->p++;
		if (k + 1 < len)
			buf[k++] = j->s[j->p];
	}
	buf[k] = '\0';
	if (j->s[j->p] != '"')
		return -1;
	j->p++;
	return 0;
}

static int jvalue(struct jflat *j, const char *key, int depth)
{
	char sub[160], name[128];
	jws(j);
	if (depth > 16)
		return -1;
	char c = j->s[j->p];
	if (c == '{' || c == '[') {
		j->p++;
		jws(j);
		char close = c == '{' ? '}' : ']';
		for (int idx = 0; j->s[j->p] != close; idx++) {
			if (c == '{') {
				if (jstring(j, name, sizeof name) < 0)
					return -1;
				jws(j);
				if (j->s[j->p++] != ':')
					return -1;
			} else {
				snprintf(name, sizeof name, "%d", idx);
			}
			snprintf(sub, sizeof sub, "%s%s%s", key, *key ? "." : "", name);
			if (jvalue(j, sub, depth + 1) < 0)
				return -1;
			jws(j);
			if (j->s[j->p] == ',') {
				j->p++;
				jws(j);
			} else if (j->s[j->p] != close) {
				return -1;
			}
		}
		j->p++;
		return 0;
	}
	if (c == '"')
		return jstring(j, name, sizeof name);
	if (!strncmp(j->s + j->p, "true", 4) || !strncmp(j->s + j->p, "null", 4)) {
		double v = j->s[j->p] == 't';
		j->p += 4;
		return j->s[j->p - 4] == 't' ? jput(j, key, v) : 0;
	}
	if (!strncmp(j->s + j->p, "false", 5)) {
		j->p += 5;
		return jput(j, key, 0);
	}
	char *end;
	double v = strtod(j->s + j->p, &end);
	if (end == j->s + j->p)
		return -1;
	j->p = (size_t)(end - j->s);
	return jput(j, key, v);
}

static const struct jkv *jfind(const struct jflat *j, const char *key)
{
	for (size_t i = 0; i < j->n; i++)
		if (!strcmp(j->kv[i].key, key))
			return &j->kv[i];
	return NULL;
}

/* Whole file PATH, NUL-terminated (NULL if unreadable); *LEN its size. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 8192);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Run PROGRAM as `mmsim run --json` would, in a child, stdout/stderr and
 * the summary into files of TMPDIR.  Returns the child's exit status (the
 * run's), or -1 after writing why into R. */
static int run_child(struct scenario *sc, const char *program, const char *tmpdir, struct grade_report *r)
{
	char out[4200], err[4200], sum[4200];
	snprintf(out, sizeof out, "%s/stdout", tmpdir);
	snprintf(err, sizeof err, "%s/stderr", tmpdir);
	snprintf(sum, sizeof sum, "%s/summary.json", tmpdir);
	const struct scn_questions *qs = sc->qs;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		sb_printf(&r->output, "cannot fork to run the program: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		FILE *sf = fopen(sum, "w");
		if (!sf || !freopen(err, "w", stderr))
			_exit(RUN_EXIT_ERROR);
		struct run_options o;
		memset(&o, 0, sizeof o);
		o.cfg = sc->cfg;
		o.program = program;
		char *argv[66];
		int argc = 0;
		argv[argc++] = (char *)program;
		for (int i = 0; qs && i < qs->nargs && argc < 64; i++)
			argv[argc++] = qs->args[i];
		argv[argc] = NULL;
		o.argv = argv;
		o.argc = argc;
		o.stdout_path = out;
		o.json = true;
		o.summary_out = sf;
		o.cmdline = "mmsim grade --program";
		int rc = run_program(&o);
		fclose(sf);
		fflush(NULL);
		_exit(rc & 0xff);
	}
	int ws = 0;
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	for (long waited = 0;; waited += 20) {
		pid_t w = waitpid(pid, &ws, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			sb_printf(&r->output, "lost the program's process: %s\n", strerror(errno));
			return -1;
		}
		if (waited >= PROGRAM_WALL_SECONDS * 1000L) {
			kill(pid, SIGKILL);
			waitpid(pid, &ws, 0);
			sb_printf(&r->output, "the run took longer than %d s of real time and was stopped\n",
				  PROGRAM_WALL_SECONDS);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFSIGNALED(ws)) {
		sb_printf(&r->output, "the simulator running the program died with signal %d\n", WTERMSIG(ws));
		return -1;
	}
	return WEXITSTATUS(ws);
}

int grade_program(struct scenario *sc, const char *exdir, const char *program, struct grade_report *r)
{
	const struct scn_questions *qs = sc->qs;
	char name[600];
	if (!qs || !qs->nc) {
		sb_printf(&r->output, "the exercise %s has no criterion lines\n", sc->file);
		return -1;
	}
	char tmpdir[] = "/tmp/mmsim-grade-XXXXXX";
	if (!mkdtemp(tmpdir)) {
		sb_printf(&r->output, "cannot make a temporary directory: %s\n", strerror(errno));
		return -1;
	}
	int code = run_child(sc, program, tmpdir, r);
	char path[4200];
	size_t outlen = 0;
	snprintf(path, sizeof path, "%s/summary.json", tmpdir);
	char *summary = code >= 0 ? slurp(path, NULL) : NULL;
	snprintf(path, sizeof path, "%s/stdout", tmpdir);
	char *out = slurp(path, &outlen);
	snprintf(path, sizeof path, "%s/stderr", tmpdir);
	char *errs = slurp(path, NULL);
	struct jflat j = { 0 };
	bool have = false;
	if (summary && *summary) {
		j.s = summary;
		have = jvalue(&j, "", 0) == 0;
	}
	if (code >= 0 && !have) {
		sb_printf(&r->output, "the program did not run (exit status %d)%s%s", code, errs && *errs ? ":\n" : "\n",
			  errs ? errs : "");
	} else if (code >= 0) {
		const struct jkv *ec = jfind(&j, "exit_code");
		sb_printf(&r->output, "program %s: exit status %d\n", program, ec ? (int)ec->val : code);
	}
	for (size_t i = 0; i < qs->nc; i++) {
		const struct scn_criterion *c = &qs->c[i];
		snprintf(name, sizeof name, "%s: %s", c->id, c->text);
		struct grade_test *t = grade_add(r, name, c->points);
		if (!t)
			continue;
		if (!have) {
			sb_printf(&t->output, "the program did not run to a summary");
			continue;
		}
		if (c->kind == CRIT_OUTPUT) {
			char want_path[8200];
			if (c->file[0] == '/')
				snprintf(want_path, sizeof want_path, "%s", c->file);
			else
				snprintf(want_path, sizeof want_path, "%s/%s", exdir, c->file);
			size_t wlen = 0;
			char *want = slurp(want_path, &wlen);
			if (!want) {
				sb_printf(&t->output, "the exercise's expected output %s cannot be read", want_path);
			} else if (out && wlen == outlen && !memcmp(want, out, wlen)) {
				t->score = c->points;
				sb_printf(&t->output, "output as expected (%zu bytes)", wlen);
			} else {
				size_t k = 0;
				while (out && k < wlen && k < outlen && want[k] == out[k])
					k++;
				int line = 1;
				for (size_t q = 0; q < k; q++)
					line += want[q] == '\n';
				sb_printf(&t->output, "output differs from line %d (expected %zu bytes, got %zu)", line, wlen,
					  outlen);
			}
			free(want);
			continue;
		}
		const char *key = c->kind == CRIT_EXIT ? "exit_code" : c->stat;
		const struct jkv *kv = jfind(&j, key);
		if (!kv) {
			sb_printf(&t->output, "the run's summary has no '%s' (see mmsim run --json)", key);
			continue;
		}
		if (crit_compare(c->op, kv->val, c->value)) {
			t->score = c->points;
			sb_printf(&t->output, "%s = %.10g (%s %.10g): met", key, kv->val, crit_ops[c->op], c->value);
		} else {
			sb_printf(&t->output, "%s = %.10g, wanted %s %.10g: not met", key, kv->val, crit_ops[c->op], c->value);
		}
	}
	free(j.kv);
	free(summary);
	free(out);
	free(errs);
	const char *files[] = { "summary.json", "stdout", "stderr" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	return 0;
}
