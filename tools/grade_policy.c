/* tools/grade_policy.c - `mmsim grade EXERCISE --policy FILE.so`: the
 * plug-in runs sandboxed (tools/policy_plugin.h) over the exercise's
 * reference strings; each is a test comparing its faults with the
 * exercise's limit.  Built only when policy_plugin.h is present.
 */
#include "tools/grade.h"

#include "tools/scenario.h"

int grade_policy(struct scenario *sc, const char *exdir, const char *plugin, struct grade_report *r)
{
	(void)sc;
	(void)exdir;
	sb_printf(&r->output, "cannot grade %s: this mmsim has no policy plug-in support yet (tools/policy_plugin.h)\n",
		  plugin);
	return -1;
}
