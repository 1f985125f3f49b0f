/* sim/config.h - the simulator's configuration: the same KEY=VALUE settings
 * serve the command line's long options (--mem 1G) and scenario `config`
 * lines (config mem=1G). */
#ifndef MMSIM_SIM_CONFIG_H
#define MMSIM_SIM_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mmzone.h"

struct sim_config {
	struct mem_config mem;       /* mem, zones, numa, min_free_kbytes, slub_debug */
	char tlb[256];               /* TLB spec (mmu/tlb.h syntax); "" = default */
	uint64_t seed;               /* seed=N: all simulated randomness */
	uint64_t quantum;            /* quantum=N guest instructions per slice */
	uint64_t max_insns;          /* max_insns=N, 0 = unlimited */
	int trace_level;             /* trace_level=1|2 (enum trace_level) */
	char root[PATH_MAX];         /* root=DIR read-only guest root, "" = none */
	char stdin_path[PATH_MAX];   /* stdin=FILE */
	int max_procs;               /* max_procs=N fork limit */
	int cpus;                    /* cpus=N simulated CPUs (1..64) */
	long host_map_limit;         /* host_map_limit=N host VMAs for guest memory;
				      * 0 = vm.max_map_count minus a reserve */
	int page_cache;              /* page_cache=warm|cold (enum page_cache_mode) */
	uint64_t tmpfs_size;         /* tmpfs_size=SIZE of /tmp and of /dev/shm
				      * (bytes, or a percentage of RAM with
				      * tmpfs_size_pct); 0 = half the RAM */
	unsigned tmpfs_size_pct;     /* tmpfs_size=N%: N percent of RAM, else 0 */
	/* sysctl=vm.NAME=VALUE (repeatable, --sysctl): applied in order by
	 * sim_create after the memory is built */
	char sysctl[32][96];
	int nr_sysctl;
	bool fastpath;               /* fastpath=on|off: the engine's same-block
				      * shortcut (sim/hooks.c); off checks every
				      * block in full, for testing that the
				      * shortcut changes no result */
};

/* State of the page cache at start (page_cache=).  Warm: every file image
 * the kernel opens for exec or mmap is fully cached when first used, as on
 * a native rerun (filemap_populate, mm/filemap.h).  Cold: nothing is
 * cached; first touches are major faults with read-around. */
enum page_cache_mode { PAGE_CACHE_WARM, PAGE_CACHE_COLD };

/* Defaults: mem=256M, default zones and TLB, seed=0, quantum=100000,
 * page_cache=warm. */
void sim_config_default(struct sim_config *c);

/* Apply KEY=VALUE.  Returns 0, or -1 with "unknown setting 'x'" or the
 * value's problem in ERR. */
int sim_config_set(struct sim_config *c, const char *key, const char *value, char *err, size_t errlen);

/* ERR of sim_config_set(KEY) without its leading "KEY: " (or "OPT: ", the
 * command-line option without "--"), for a message that names the option
 * itself: "--mem: bad size '12Q' ...", not "--mem: mem: bad size ...". */
const char *sim_config_error_text(const char *err, const char *key, const char *opt);

/* Apply "k=v k=v ..." (whitespace separated; the tlb value may itself hold
 * '=' and ','). Returns 0 or -1 with ERR naming the bad item. */
int sim_config_apply_line(struct sim_config *c, const char *line, char *err, size_t errlen);

/* Render the configuration as "mem=... zones=... tlb=... seed=..." for the
 * trace's runs table. */
void sim_config_format(const struct sim_config *c, char *buf, size_t len);

#endif
