/* sim/config.c - the simulator's settings: KEY=VALUE pairs shared by the
 * command line's long options (--mem 1G) and scenario `config` lines.
 *
 * Memory keys go to mem_config_set (mm/config.c); the TLB spec is checked
 * with tlb_config_parse (mmu/tlb_config.c) and stored as text for
 * mmu_create; the rest are plain numbers or paths.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mm/sysctl_vm.h"
#include "mmu/tlb.h"
#include "sim/config.h"
#include "traces/trace.h"

#define KNOWN_KEYS "mem, zones, numa, min_free_kbytes, slub_debug, tlb, seed, quantum, max_insns, " \
		   "trace_level, root, stdin, max_procs, host_map_limit, page_cache, fastpath, tmpfs_size, sysctl, cpus, pcp, cpu_slab"

void sim_config_default(struct sim_config *c)
{
	memset(c, 0, sizeof *c);
	mem_config_default(&c->mem);
	c->mem.pcp = true; /* per-CPU page lists, as Linux (mm/page_pcp.c) */
	c->mem.cpu_slab = true; /* SLUB's per-CPU slabs, as Linux (mm/slub_cpu.c) */
	c->seed = 0;
	c->quantum = 100000;
	c->max_insns = 0;
	c->trace_level = TRACE_LEVEL_EVENTS;
	c->max_procs = 64;
	c->cpus = 1;
	c->page_cache = PAGE_CACHE_WARM;
	c->fastpath = true;
}

/* Parse VALUE as a decimal (or 0x hex) number in [MIN, MAX].  Returns 0, or
 * -1 with "KEY: 'v' is not ..." in ERR. */
static int parse_num(const char *key, const char *value, uint64_t min, uint64_t max, uint64_t *out, char *err,
		     size_t errlen)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(value, &end, 0);
	if (!*value || *end || errno || value[0] == '-' || v < min || v > max) {
		snprintf(err, errlen, "%s: '%s' is not a number in %llu..%llu", key, value, (unsigned long long)min,
			 (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Copy a path value into DST (size LEN).  Returns 0 or -1 with ERR. */
static int set_path(const char *key, const char *value, char *dst, size_t len, bool want_dir, char *err,
		    size_t errlen)
{
	struct stat st;
	if (strlen(value) >= len) {
		snprintf(err, errlen, "%s: path too long", key);
		return -1;
	}
	if (*value && want_dir && (stat(value, &st) < 0 || !S_ISDIR(st.st_mode))) {
		snprintf(err, errlen, "%s: '%s' is not a directory", key, value);
		return -1;
	}
	strcpy(dst, value);
	return 0;
}

int sim_config_set(struct sim_config *c, const char *key, const char *value, char *err, size_t errlen)
{
	uint64_t v;
	int rc = mem_config_set(&c->mem, key, value, err, errlen);
	if (rc <= 0)
		return rc;

	if (!strcmp(key, "tlb")) {
		struct tlb_config tc;
		if (strlen(value) >= sizeof c->tlb) {
			snprintf(err, errlen, "tlb: spec longer than %zu characters", sizeof c->tlb - 1);
			return -1;
		}
		tlb_config_default(&tc);
		if (tlb_config_parse(value, &tc, err, errlen) < 0)
			return -1;
		strcpy(c->tlb, value);
	} else if (!strcmp(key, "sysctl")) {
		if (vm_sysctl_check_setting(value, err, errlen) < 0)
			return -1;
		if (c->nr_sysctl == (int)(sizeof c->sysctl / sizeof c->sysctl[0]) || strlen(value) >= sizeof c->sysctl[0]) {
			snprintf(err, errlen, "'%s': too many or too long sysctl settings", value);
			return -1;
		}
		strcpy(c->sysctl[c->nr_sysctl++], value);
	} else if (!strcmp(key, "seed")) {
		if (parse_num(key, value, 0, UINT64_MAX, &c->seed, err, errlen) < 0)
			return -1;
	} else if (!strcmp(key, "quantum")) {
		if (parse_num(key, value, 1, UINT64_MAX, &c->quantum, err, errlen) < 0)
			return -1;
	} else if (!strcmp(key, "max_insns")) {
		if (parse_num(key, value, 0, UINT64_MAX, &c->max_insns, err, errlen) < 0)
			return -1;
	} else if (!strcmp(key, "trace_level")) {
		if (!strcmp(value, "events"))
			v = TRACE_LEVEL_EVENTS;
		else if (!strcmp(value, "tlb"))
			v = TRACE_LEVEL_TLB;
		else if (parse_num(key, value, TRACE_LEVEL_EVENTS, TRACE_LEVEL_TLB, &v, err, errlen) < 0) {
			snprintf(err, errlen, "trace_level: '%s' is not 1 (events) or 2 (tlb)", value);
			return -1;
		}
		c->trace_level = (int)v;
	} else if (!strcmp(key, "root")) {
		return set_path(key, value, c->root, sizeof c->root, true, err, errlen);
	} else if (!strcmp(key, "stdin")) {
		return set_path(key, value, c->stdin_path, sizeof c->stdin_path, false, err, errlen);
	} else if (!strcmp(key, "max_procs")) {
		if (parse_num(key, value, 1, 4096, &v, err, errlen) < 0)
			return -1;
		c->max_procs = (int)v;
	} else if (!strcmp(key, "cpus")) {
		if (parse_num(key, value, 1, 64, &v, err, errlen) < 0)
			return -1;
		c->cpus = (int)v;
	} else if (!strcmp(key, "host_map_limit")) {
		if (parse_num(key, value, 0, INT32_MAX, &v, err, errlen) < 0)
			return -1;
		c->host_map_limit = (long)v;
	} else if (!strcmp(key, "page_cache")) {
		if (!strcmp(value, "warm")) {
			c->page_cache = PAGE_CACHE_WARM;
		} else if (!strcmp(value, "cold")) {
			c->page_cache = PAGE_CACHE_COLD;
		} else {
			snprintf(err, errlen, "page_cache: '%s' is not warm or cold", value);
			return -1;
		}
	} else if (!strcmp(key, "tmpfs_size")) {
		/* Linux's size= of tmpfs: a size with k/m/g suffixes (rounded up to
		 * pages) or N% of the RAM */
		size_t n = strlen(value);
		if (n > 1 && value[n - 1] == '%') {
			char num[32];
			if (n - 1 >= sizeof num) {
				snprintf(err, errlen, "tmpfs_size: '%s' is not a size or a percentage", value);
				return -1;
			}
			memcpy(num, value, n - 1);
			num[n - 1] = '\0';
			if (parse_num(key, num, 1, 10000, &v, err, errlen) < 0) {
				snprintf(err, errlen, "tmpfs_size: '%s' is not a size or a percentage", value);
				return -1;
			}
			c->tmpfs_size_pct = (unsigned)v;
			c->tmpfs_size = 0;
		} else if (memparse(value, &v) < 0 || v == 0) {
			snprintf(err, errlen, "tmpfs_size: '%s' is not a size (like 64M) or a percentage of RAM (like 50%%)",
				 value);
			return -1;
		} else {
			c->tmpfs_size = v;
			c->tmpfs_size_pct = 0;
		}
	} else if (!strcmp(key, "fastpath")) {
		if (parse_on_off(key, value, &c->fastpath, err, errlen) < 0)
			return -1;
	} else {
		snprintf(err, errlen, "unknown setting '%s' (known: " KNOWN_KEYS ")", key);
		return -1;
	}
	return 0;
}

const char *sim_config_error_text(const char *err, const char *key, const char *opt)
{
	size_t kl = strlen(key), ol = strlen(opt);
	if (!strncmp(err, key, kl) && !strncmp(err + kl, ": ", 2))
		return err + kl + 2;
	if (!strncmp(err, opt, ol) && !strncmp(err + ol, ": ", 2))
		return err + ol + 2;
	return err;
}

int sim_config_apply_line(struct sim_config *c, const char *line, char *err, size_t errlen)
{
	const char *p = line;
	char item[1024];

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (!*p)
			return 0;
		size_t n = strcspn(p, " \t\r\n");
		if (n >= sizeof item) {
			snprintf(err, errlen, "'%.32s...': setting too long", p);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		p += n;
		char *eq = strchr(item, '=');
		if (!eq || eq == item) {
			snprintf(err, errlen, "'%s': expected KEY=VALUE", item);
			return -1;
		}
		*eq = '\0';
		if (sim_config_set(c, item, eq + 1, err, errlen) < 0)
			return -1;
	}
}

/* Append " key=value" to BUF (size LEN, holding *POS bytes). */
static void put(char *buf, size_t len, size_t *pos, const char *fmt, const char *key, const char *val)
{
	if (*pos >= len)
		return;
	int n = snprintf(buf + *pos, len - *pos, fmt, *pos ? " " : "", key, val);
	if (n > 0)
		*pos += (size_t)n;
}

void sim_config_format(const struct sim_config *c, char *buf, size_t len)
{
	char v[320];
	size_t pos = 0;

	if (len)
		buf[0] = '\0';
	put(buf, len, &pos, "%s%s=%s", "mem", memformat(c->mem.mem_bytes, v, sizeof v));
	if (c->mem.nr_zone_specs) {
		size_t n = 0;
		v[0] = '\0';
		for (int i = 0; i < c->mem.nr_zone_specs; i++) {
			char sz[32];
			n += (size_t)snprintf(v + n, sizeof v - n, "%s%s:%s", i ? "," : "",
					      zone_names[c->mem.zone_spec[i].type],
					      memformat(c->mem.zone_spec[i].bytes, sz, sizeof sz));
			if (n >= sizeof v)
				break;
		}
		put(buf, len, &pos, "%s%s=%s", "zones", v);
	}
	snprintf(v, sizeof v, "%d", c->mem.nr_nodes);
	put(buf, len, &pos, "%s%s=%s", "numa", v);
	if (c->mem.min_free_kbytes >= 0) {
		snprintf(v, sizeof v, "%ld", c->mem.min_free_kbytes);
		put(buf, len, &pos, "%s%s=%s", "min_free_kbytes", v);
	}
	if (c->mem.slab_debug)
		put(buf, len, &pos, "%s%s=%s", "slub_debug", "1");
	if (c->mem.swap_bytes) {
		put(buf, len, &pos, "%s%s=%s", "swap", memformat(c->mem.swap_bytes, v, sizeof v));
		snprintf(v, sizeof v, "%lluns", (unsigned long long)c->mem.swap_latency_ns);
		put(buf, len, &pos, "%s%s=%s", "swap_latency", v);
	}
	if (c->mem.swap_dir[0])
		put(buf, len, &pos, "%s%s=%s", "swap_file", c->mem.swap_dir);
	if (c->tlb[0])
		put(buf, len, &pos, "%s%s=%s", "tlb", c->tlb);
	snprintf(v, sizeof v, "%llu", (unsigned long long)c->seed);
	put(buf, len, &pos, "%s%s=%s", "seed", v);
	snprintf(v, sizeof v, "%llu", (unsigned long long)c->quantum);
	put(buf, len, &pos, "%s%s=%s", "quantum", v);
	snprintf(v, sizeof v, "%llu", (unsigned long long)c->max_insns);
	put(buf, len, &pos, "%s%s=%s", "max_insns", v);
	snprintf(v, sizeof v, "%d", c->trace_level);
	put(buf, len, &pos, "%s%s=%s", "trace_level", v);
	if (c->root[0])
		put(buf, len, &pos, "%s%s=%s", "root", c->root);
	if (c->stdin_path[0])
		put(buf, len, &pos, "%s%s=%s", "stdin", c->stdin_path);
	snprintf(v, sizeof v, "%d", c->max_procs);
	put(buf, len, &pos, "%s%s=%s", "max_procs", v);
	if (c->host_map_limit) {
		snprintf(v, sizeof v, "%ld", c->host_map_limit);
		put(buf, len, &pos, "%s%s=%s", "host_map_limit", v);
	}
	put(buf, len, &pos, "%s%s=%s", "page_cache", c->page_cache == PAGE_CACHE_COLD ? "cold" : "warm");
	if (!c->fastpath)
		put(buf, len, &pos, "%s%s=%s", "fastpath", "off");
	if (c->tmpfs_size || c->tmpfs_size_pct) {
		if (c->tmpfs_size_pct)
			snprintf(v, sizeof v, "%u%%", c->tmpfs_size_pct);
		else
			snprintf(v, sizeof v, "%llu", (unsigned long long)c->tmpfs_size);
		put(buf, len, &pos, "%s%s=%s", "tmpfs_size", v);
	}
	for (int i = 0; i < c->nr_sysctl; i++)
		put(buf, len, &pos, "%s%s=%s", "sysctl", c->sysctl[i]);
	if (c->cpus > 1) {
		snprintf(v, sizeof v, "%d", c->cpus);
		put(buf, len, &pos, "%s%s=%s", "cpus", v);
	}
	if (!c->mem.pcp)
		put(buf, len, &pos, "%s%s=%s", "pcp", "off");
	if (!c->mem.cpu_slab)
		put(buf, len, &pos, "%s%s=%s", "cpu_slab", "off");
}
