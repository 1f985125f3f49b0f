/* tools/grade_policy_none.c - `mmsim grade --policy` in a build without the
 * replacement-policy engine (tools/policy_sim.c): says so. */
#include "tools/grade.h"

#include "tools/scenario.h"

int grade_policy(struct scenario *sc, const char *exdir, const char *plugin, struct grade_report *r)
{
	(void)sc;
	(void)exdir;
	sb_printf(&r->output, "cannot grade %s: this mmsim was built without the replacement-policy engine\n", plugin);
	return -1;
}
