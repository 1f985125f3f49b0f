/* sim/run_record_progs.c - the programs of a multi-program run and the
 * run-wide --oom-score-adj rules in the runs row (see sim/run_record.h).
 *
 * runs.programs is a JSON array of strings in the command line's own
 * multi-program syntax, every per-program option made explicit:
 *   ["--oom-score-adj=-1000","--delay=0","/bin/a","x",":::","--delay=5000","/bin/b"]
 * so replay splits it exactly as `mmsim run` splits its arguments.
 * runs.oom_rules is a JSON array of "PID_OR_COMM=N" strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/run.h"
#include "sim/run_record.h"
#include "sim/sim.h"
#include "sim/summary.h"
#include "traces/trace.h"

int run_record_programs(struct sim *s, const struct run_options *o)
{
	struct trace *tr = s->trace;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	if (!trace_has_db(tr))
		return 0;
	if (o->nr_progs > 1) {
		f = open_memstream(&buf, &len);
		if (!f)
			return -1;
		fputc('[', f);
		for (int k = 0; k < o->nr_progs; k++) {
			const struct run_prog *p = &o->progs[k];
			char opt[64];
			if (k)
				fputs(",\":::\",", f);
			if (p->set_oom_score_adj) {
				snprintf(opt, sizeof opt, "--oom-score-adj=%d", p->oom_score_adj);
				json_put_string(f, opt);
				fputc(',', f);
			}
			snprintf(opt, sizeof opt, "--delay=%llu", (unsigned long long)p->delay);
			json_put_string(f, opt);
			fputc(',', f);
			json_put_string(f, p->program);
			for (int i = 0; i < p->argc; i++) {
				fputc(',', f);
				json_put_string(f, p->argv[i]);
			}
		}
		fputc(']', f);
		fclose(f);
		trace_run_set_text(tr, "programs", buf);
		free(buf);
		buf = NULL;
	}
	if (o->nr_oom_rules) {
		f = open_memstream(&buf, &len);
		if (!f)
			return -1;
		fputc('[', f);
		for (int i = 0; i < o->nr_oom_rules; i++) {
			const struct oom_adj_rule *r = &o->oom_rules[i];
			char rule[64];
			if (r->pid)
				snprintf(rule, sizeof rule, "%d=%d", r->pid, r->adj);
			else
				snprintf(rule, sizeof rule, "%s=%d", r->comm, r->adj);
			if (i)
				fputc(',', f);
			json_put_string(f, rule);
		}
		fputc(']', f);
		fclose(f);
		trace_run_set_text(tr, "oom_rules", buf);
		free(buf);
	}
	return trace_error(tr) ? -1 : 0;
}

int run_record_extra_program(struct sim *s, const char *program, const char *canon, const uint8_t *image,
			     size_t size)
{
	char hex[65];
	if (!trace_has_db(s->trace))
		return 0;
	sha256_hex(image, size, hex);
	return trace_add_input(s->trace, "program", canon, program, size, hex);
}
