/* tools/cmd_run.c - placeholder until the emulator's `mmsim run` lands
 * (the sim-run helper replaces this file). */
#include <stdio.h>

#include "tools/cmd_run.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("mmsim run: the emulator is not built yet\n", stderr);
	return 2;
}
