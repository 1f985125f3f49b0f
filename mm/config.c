/* mm/config.c - the memory configuration: mem=, zones=, numa=,
 * min_free_kbytes=, slub_debug=, pcp=, cpu_slab=, swap=.
 *
 * zones= lists zones in ascending physical order with their sizes
 * ("DMA:1M,Normal:15M"); the zones follow each other from pfn 0 and their
 * sizes must add up to mem= (when mem= is not given, it becomes the sum).
 * Without zones= the x86-64 split applies: DMA below 16 MiB, DMA32 below
 * 4 GiB, Normal above (mm/memsys.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mm/mmzone.h"
#include "mm/swapfile.h"

#define MEM_MIN_BYTES (128ULL << 10)
#define MEM_MAX_BYTES (64ULL << 30)

void mem_config_default(struct mem_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_bytes = 256ULL << 20;
	cfg->nr_nodes = 1;
	cfg->min_free_kbytes = -1;
	cfg->swap_latency_ns = SWAP_LATENCY_DEFAULT_NS;
	/* pcp and cpu_slab stay off in a bare memsys (the allocator's unit
	 * tests count buddy pages and slab lists exactly); sim_config_default
	 * turns them on. */
}

/* Parse a duration "20us", "1ms", "500ns", "0" (bare: ns) into *NS.
 * Returns 0 or -1. */
static int parse_ns(const char *s, uint64_t *ns)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	v = strtoull(s, &end, 10);
	if (end == s)
		return -1;
	if (!*end || !strcmp(end, "ns"))
		*ns = v;
	else if (!strcmp(end, "us"))
		*ns = v * 1000ULL;
	else if (!strcmp(end, "ms"))
		*ns = v * 1000000ULL;
	else if (!strcmp(end, "s"))
		*ns = v * 1000000000ULL;
	else
		return -1;
	return v > 3600ULL * 1000000000ULL ? -1 : 0;
}

/* Parse VALUE of KEY as on/1 or off/0 into *OUT.  Returns 0, or -1 with
 * "KEY: 'VALUE' is not on or off" in ERR. */
int parse_on_off(const char *key, const char *value, bool *out, char *err, size_t errlen)
{
	if (!strcmp(value, "0") || !strcasecmp(value, "off"))
		*out = false;
	else if (!strcmp(value, "1") || !strcasecmp(value, "on"))
		*out = true;
	else {
		snprintf(err, errlen, "%s: '%s' is not on or off", key, value);
		return -1;
	}
	return 0;
}

static uint64_t zone_spec_sum(const struct mem_config *cfg)
{
	uint64_t sum = 0;
	for (int i = 0; i < cfg->nr_zone_specs; i++)
		sum += cfg->zone_spec[i].bytes;
	return sum;
}

/* Check the parts of CFG that depend on each other.  Returns 0, or -1 with
 * a message in ERR.  Also used by memsys_create for hand-built configs. */
int mem_config_validate(const struct mem_config *cfg, char *err, size_t errlen)
{
	char a[32], b[32], c[32];

	if (cfg->mem_bytes < MEM_MIN_BYTES || cfg->mem_bytes > MEM_MAX_BYTES) {
		snprintf(err, errlen, "mem: '%s' is out of range (%s..%s)", memformat(cfg->mem_bytes, a, sizeof(a)),
			 memformat(MEM_MIN_BYTES, b, sizeof(b)), memformat(MEM_MAX_BYTES, c, sizeof(c)));
		return -1;
	}
	if (cfg->mem_bytes % PAGE_SIZE) {
		snprintf(err, errlen, "mem: '%s' is not a multiple of the 4K page size",
			 memformat(cfg->mem_bytes, a, sizeof(a)));
		return -1;
	}
	if (cfg->nr_nodes != 1 && cfg->nr_nodes != 2) {
		snprintf(err, errlen, "numa: %d nodes (must be 1 or 2)", cfg->nr_nodes);
		return -1;
	}
	if (cfg->nr_zone_specs && zone_spec_sum(cfg) != cfg->mem_bytes) {
		snprintf(err, errlen, "zones: sizes add up to %s but mem=%s",
			 memformat(zone_spec_sum(cfg), a, sizeof(a)), memformat(cfg->mem_bytes, b, sizeof(b)));
		return -1;
	}
	return 0;
}

/* Parse "DMA:1M,Normal:15M" into CFG's zone_spec.  Returns 0 or -1 + ERR. */
static int parse_zones(struct mem_config *cfg, const char *value, char *err, size_t errlen)
{
	char buf[256];
	int n = 0;
	int last = -1;

	if (strlen(value) >= sizeof(buf) || !*value) {
		snprintf(err, errlen, "zones: '%s' is not a zone list (e.g. DMA:1M,Normal:15M)", value);
		return -1;
	}
	int empty = list_empty_item(value);
	if (empty) {
		snprintf(err, errlen, "zones: item %d of '%s' is empty (e.g. DMA:1M,Normal:15M)", empty, value);
		return -1;
	}
	strcpy(buf, value);
	for (char *save = NULL, *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(item, ':');
		int type = -1;
		uint64_t bytes;

		if (!colon) {
			snprintf(err, errlen, "zones: '%s' is not NAME:SIZE", item);
			return -1;
		}
		*colon = '\0';
		for (int t = 0; t < MAX_NR_ZONES; t++)
			if (!strcasecmp(item, zone_names[t]))
				type = t;
		if (type < 0) {
			snprintf(err, errlen, "zones: unknown zone '%s' (DMA, DMA32, Normal, Movable)", item);
			return -1;
		}
		if (type <= last) {
			snprintf(err, errlen, "zones: zone '%s' out of order (zones go DMA, DMA32, Normal, Movable, once each)",
				 item);
			return -1;
		}
		if (memparse(colon + 1, &bytes) < 0) {
			snprintf(err, errlen, "zones: bad size '%s' (e.g. DMA:16M,Normal:1G)", colon + 1);
			return -1;
		}
		if (bytes == 0 || bytes % PAGE_SIZE) {
			snprintf(err, errlen, "zones: size '%s' of %s must be a non-zero multiple of 4K", colon + 1,
				 zone_names[type]);
			return -1;
		}
		cfg->zone_spec[n].type = (enum zone_type)type;
		cfg->zone_spec[n].bytes = bytes;
		n++;
		last = type;
	}
	if (n == 0) {
		snprintf(err, errlen, "zones: '%s' names no zone", value);
		return -1;
	}
	cfg->nr_zone_specs = n;
	return 0;
}

/* Apply KEY=VALUE.  Returns 0, 1 if KEY is not ours, -1 with ERR. */
int mem_config_set(struct mem_config *cfg, const char *key, const char *value, char *err, size_t errlen)
{
	struct mem_config next = *cfg;

	if (!strcmp(key, "mem")) {
		uint64_t bytes;
		if (memparse(value, &bytes) < 0) {
			snprintf(err, errlen, "mem: bad size '%s' (e.g. 64M, 1G)", value);
			return -1;
		}
		next.mem_bytes = bytes;
		next.mem_explicit = true;
	} else if (!strcmp(key, "zones")) {
		if (parse_zones(&next, value, err, errlen) < 0)
			return -1;
		if (!next.mem_explicit)
			next.mem_bytes = zone_spec_sum(&next);
	} else if (!strcmp(key, "numa")) {
		if (!strcmp(value, "1") || !strcmp(value, "off"))
			next.nr_nodes = 1;
		else if (!strcmp(value, "2"))
			next.nr_nodes = 2;
		else {
			snprintf(err, errlen, "numa: '%s' is not a node count (1 or 2)", value);
			return -1;
		}
	} else if (!strcmp(key, "min_free_kbytes")) {
		char *end;
		long v = strtol(value, &end, 10);
		if (!*value || *end || v < 0 || v > 262144 * 4) {
			snprintf(err, errlen, "min_free_kbytes: '%s' is not a number of kB (0..1048576)", value);
			return -1;
		}
		next.min_free_kbytes = v;
	} else if (!strcmp(key, "swap")) {
		uint64_t bytes;
		if (memparse(value, &bytes) < 0 || bytes % PAGE_SIZE || (bytes && bytes < 2 * PAGE_SIZE) ||
		    bytes > (1ULL << 40)) {
			snprintf(err, errlen, "swap: '%s' is not a swap size (0, or 8K..1T in whole pages)", value);
			return -1;
		}
		next.swap_bytes = bytes;
	} else if (!strcmp(key, "swap_latency")) {
		if (parse_ns(value, &next.swap_latency_ns) < 0) {
			snprintf(err, errlen, "swap-latency: '%s' is not a duration (e.g. 20us, 100ns, 1ms)", value);
			return -1;
		}
	} else if (!strcmp(key, "swap_file")) {
		if (!*value || strlen(value) >= sizeof(next.swap_dir) - 32) {
			snprintf(err, errlen, "swap-file: '%s' is not a usable directory name", value);
			return -1;
		}
		snprintf(next.swap_dir, sizeof(next.swap_dir), "%s", value);
	} else if (!strcmp(key, "slub_debug")) {
		/* "0"/"off" disable; "1"/"on" or Linux's letters (F,Z,P,U,T,-) enable. */
		if (!strcmp(value, "0") || !strcasecmp(value, "off"))
			next.slab_debug = false;
		else if (!strcmp(value, "1") || !strcasecmp(value, "on") || !*value ||
			 strspn(value, "FZPUTAOfzputao-") == strlen(value))
			next.slab_debug = true;
		else {
			snprintf(err, errlen, "slub_debug: '%s' is not 0, 1 or slub_debug flags (FZPU)", value);
			return -1;
		}
	} else if (!strcmp(key, "pcp")) {
		if (parse_on_off(key, value, &next.pcp, err, errlen) < 0)
			return -1;
	} else if (!strcmp(key, "cpu_slab")) {
		if (parse_on_off(key, value, &next.cpu_slab, err, errlen) < 0)
			return -1;
	} else {
		return 1;
	}
	if (next.nr_zone_specs && (!strcmp(key, "mem") || !strcmp(key, "zones")) &&
	    mem_config_validate(&next, err, errlen) < 0)
		return -1;
	if (!strcmp(key, "mem") && (next.mem_bytes < MEM_MIN_BYTES || next.mem_bytes > MEM_MAX_BYTES ||
				    next.mem_bytes % PAGE_SIZE)) {
		mem_config_validate(&next, err, errlen);
		return -1;
	}
	*cfg = next;
	return 0;
}
