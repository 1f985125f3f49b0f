/* tools/scenario_expr_pressure.c - alloc_path, oom_badness, oom_victim and
 * oom_totalpages for answer expressions (scenario_expr_pressure.h).  The
 * badness and the victim come from sim/oom_kill.c's own oom_badness and
 * select_bad_process, the path from what alloc_pages recorded.
 */
#include "tools/scenario_expr_pressure.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mm/proc.h"
#include "sim/oom_kill.h"
#include "sim/sys_internal.h"
#include "tools/scenario.h"

bool expr_pressure_func(const char *name)
{
	return !strcmp(name, "alloc_path") || !strcmp(name, "oom_badness") || !strcmp(name, "oom_victim") ||
	       !strcmp(name, "oom_totalpages");
}

static void put_word(struct answer *out, const char *w)
{
	memset(out, 0, sizeof *out);
	out->kind = ANS_WORD;
	out->v.word = true;
	snprintf(out->v.w, sizeof out->v.w, "%s", w);
}

static void put_int(struct answer *out, long long v)
{
	memset(out, 0, sizeof *out);
	out->kind = ANS_NUMBER;
	out->v.i = v;
}

/* The live task of process handle NAME, or NULL with ERR. */
static struct task *proc_of(struct scenario *sc, const char *name, char *err, size_t errlen)
{
	struct scn_handle *h = scn_handle_find(sc, name);
	if (!h || h->kind != SCN_H_EXT || !h->ext_kind || strcmp(h->ext_kind, "process") || h->failed) {
		snprintf(err, errlen, "'%s' is not a process (process, fork, spawn)", name);
		return NULL;
	}
	struct task *t = sc->sim->procs ? find_task_by_pid(sc->sim, (int)h->addr) : NULL;
	if (!t) {
		snprintf(err, errlen, "process '%s' (pid %d) is gone", name, (int)h->addr);
		return NULL;
	}
	return t;
}

const char *scn_process_name(struct scenario *sc, int pid)
{
	for (size_t i = sc->nhandles; i-- > 0;) {
		const struct scn_handle *h = &sc->handles[i];
		if (h->kind == SCN_H_EXT && h->ext_kind && !strcmp(h->ext_kind, "process") && !h->failed &&
		    (int)h->addr == pid)
			return h->name;
	}
	struct task *t = sc->sim->procs ? find_task_by_pid(sc->sim, pid) : NULL;
	return t ? t->comm : NULL;
}

int expr_pressure_call(struct scenario *sc, const char *name, const char *arg, struct answer *out, char *err,
		       size_t errlen)
{
	static const char *const paths[] = { "fast", "kswapd", "direct", "failed" };
	if (!strcmp(name, "alloc_path")) {
		struct scn_handle *h = scn_handle_find(sc, arg);
		if (!h || h->kind != SCN_H_PAGES) {
			snprintf(err, errlen, "alloc_path(): '%s' is not an alloc_pages handle", arg);
			return -1;
		}
		put_word(out, paths[h->alloc_path & 3]);
		return 0;
	}
	if (!strcmp(name, "oom_totalpages")) {
		put_int(out, (long long)oom_totalpages(sc->sim->mem));
		return 0;
	}
	if (!strcmp(name, "oom_victim")) {
		struct task *t = sc->sim->procs ? oom_select_bad_process(sc->sim, NULL) : NULL;
		put_word(out, t ? scn_process_name(sc, t->pid) : "none");
		return 0;
	}
	struct task *t = proc_of(sc, arg, err, errlen);
	if (!t)
		return -1;
	long b = oom_badness(t, oom_totalpages(sc->sim->mem));
	if (b == LONG_MIN)
		put_word(out, "never");
	else
		put_int(out, b);
	return 0;
}
