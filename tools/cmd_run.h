/* tools/cmd_run.h - `mmsim run`: run a guest program (tools/cmd_run.c). */
#ifndef MMSIM_TOOLS_CMD_RUN_H
#define MMSIM_TOOLS_CMD_RUN_H

/* ARGV[0] is "run".  Returns the process exit status. */
int cmd_run(int argc, char **argv);

#endif
