/* mmu/tlb_config.c - the TLB spec string: defaults, parsing, formatting.
 *
 * Grammar: ITEM[,ITEM]... where ITEM is one of
 *   ARRAY=ENTRIES:WAYS[:POLICY]   ARRAY in l1d l1i l1d2m l1i2m l2
 *   ARRAY.policy=POLICY           POLICY in plru lru fifo random
 *   policy=POLICY                 every array
 *   pcid=on|off
 *   psc=on|off                    paging-structure caches (defaults when on)
 *   psc.pml4e|psc.pdpte|psc.pde=ENTRIES[:WAYS]   (turns the PSC on)
 * Items apply left to right, so "policy=lru,l2.policy=plru" works.
 */
#include "mmu/tlb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mmzone.h"

static const char *const tlb_names[TLB_NR] = { "l1d", "l1i", "l1d2m", "l1i2m", "l2" };
static const char *const policy_names[TLB_NR_POLICIES] = { "plru", "lru", "fifo", "random" };

const char *tlb_id_name(enum tlb_id id) { return (unsigned)id < TLB_NR ? tlb_names[id] : "?"; }
const char *tlb_policy_name(enum tlb_policy p) { return (unsigned)p < TLB_NR_POLICIES ? policy_names[p] : "?"; }

void tlb_config_default(struct tlb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->a[TLB_L1D] = (struct tlb_array_config){ 64, 4, TLB_PLRU };
	cfg->a[TLB_L1I] = (struct tlb_array_config){ 128, 8, TLB_PLRU };
	cfg->a[TLB_L1D2M] = (struct tlb_array_config){ 32, 4, TLB_PLRU };
	cfg->a[TLB_L1I2M] = (struct tlb_array_config){ 8, 8, TLB_PLRU };
	cfg->a[TLB_L2] = (struct tlb_array_config){ 1536, 12, TLB_PLRU };
	cfg->pcid = true;
	cfg->psc_enabled = false; /* issue 3: optional, off by default */
	psc_config_default(&cfg->psc);
}

/* Check geometry.  Returns 0 or -1 with ERR. */
int tlb_array_check(const char *name, const struct tlb_array_config *c, char *err, size_t errlen)
{
	if (c->entries == 0 || c->ways == 0) {
		snprintf(err, errlen, "tlb: %s=%u:%u: entries and ways must be at least 1", name, c->entries,
			 c->ways);
		return -1;
	}
	if (c->entries > TLB_MAX_ENTRIES) {
		snprintf(err, errlen, "tlb: %s=%u:%u: more than %u entries", name, c->entries, c->ways,
			 TLB_MAX_ENTRIES);
		return -1;
	}
	if (c->entries % c->ways) {
		snprintf(err, errlen, "tlb: %s=%u:%u: entries (%u) not divisible by ways (%u)", name, c->entries,
			 c->ways, c->entries, c->ways);
		return -1;
	}
	unsigned sets = c->entries / c->ways;
	if (sets & (sets - 1)) {
		snprintf(err, errlen,
			 "tlb: %s=%u:%u: %u sets is not a power of two (a TLB is indexed by address bits)", name,
			 c->entries, c->ways, sets);
		return -1;
	}
	if (c->ways > TLB_MAX_WAYS) {
		snprintf(err, errlen, "tlb: %s=%u:%u: at most %u ways", name, c->entries, c->ways, TLB_MAX_WAYS);
		return -1;
	}
	if (c->policy == TLB_PLRU && c->ways > TLB_MAX_PLRU_WAYS) {
		snprintf(err, errlen, "tlb: %s=%u:%u: plru supports at most %u ways (use lru)", name, c->entries,
			 c->ways, TLB_MAX_PLRU_WAYS);
		return -1;
	}
	return 0;
}

static int parse_uint(const char *s, size_t n, unsigned *out)
{
	if (n == 0 || n > 9)
		return -1;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_policy(const char *s, size_t n, enum tlb_policy *out)
{
	for (int p = 0; p < TLB_NR_POLICIES; p++)
		if (strlen(policy_names[p]) == n && !strncmp(s, policy_names[p], n)) {
			*out = (enum tlb_policy)p;
			return 0;
		}
	return -1;
}

static int find_array(const char *s, size_t n)
{
	for (int i = 0; i < TLB_NR; i++)
		if (strlen(tlb_names[i]) == n && !strncmp(s, tlb_names[i], n))
			return i;
	return -1;
}

static int parse_onoff(const char *v, bool *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no")) {
		*out = false;
		return 0;
	}
	return -1;
}

/* "N:W" or "N" (fully associative when WAYS_OPTIONAL).  Returns 0 or -1. */
static int parse_geometry(const char *v, bool ways_optional, unsigned *entries, unsigned *ways, const char **rest)
{
	const char *colon = strchr(v, ':');
	size_t n1 = colon ? (size_t)(colon - v) : strlen(v);
	if (parse_uint(v, n1, entries) < 0)
		return -1;
	if (!colon) {
		if (!ways_optional)
			return -1;
		*ways = *entries;
		*rest = NULL;
		return 0;
	}
	const char *w = colon + 1, *c2 = strchr(w, ':');
	size_t n2 = c2 ? (size_t)(c2 - w) : strlen(w);
	if (parse_uint(w, n2, ways) < 0)
		return -1;
	*rest = c2 ? c2 + 1 : NULL;
	return 0;
}

/* Apply one ITEM (NUL-terminated, "key=value"). */
static int apply_item(struct tlb_config *cfg, char *item, char *err, size_t errlen)
{
	char *eq = strchr(item, '=');
	if (!eq) {
		snprintf(err, errlen, "tlb: '%s': expected KEY=VALUE", item);
		return -1;
	}
	*eq = '\0';
	const char *key = item, *val = eq + 1;
	const char *dot = strchr(key, '.');
	if (!strcmp(key, "policy")) {
		enum tlb_policy p;
		if (parse_policy(val, strlen(val), &p) < 0)
			goto bad_policy;
		for (int i = 0; i < TLB_NR; i++)
			cfg->a[i].policy = p;
		return 0;
	}
	if (!strcmp(key, "pcid")) {
		if (parse_onoff(val, &cfg->pcid) < 0) {
			snprintf(err, errlen, "tlb: pcid=%s: expected on or off", val);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "psc")) {
		bool on;
		if (parse_onoff(val, &on) < 0) {
			snprintf(err, errlen, "tlb: psc=%s: expected on, off or psc.pde=N[:W] items", val);
			return -1;
		}
		cfg->psc_enabled = on;
		if (on)
			psc_config_default(&cfg->psc);
		return 0;
	}
	if (dot && !strncmp(key, "psc.", 4)) {
		static const char *const kinds[PSC_NR_KINDS] = { "pml4e", "pdpte", "pde" };
		for (int k = 0; k < PSC_NR_KINDS; k++) {
			if (strcmp(key + 4, kinds[k]))
				continue;
			unsigned e, w;
			const char *rest;
			if (parse_geometry(val, true, &e, &w, &rest) < 0 || rest) {
				snprintf(err, errlen, "tlb: %s=%s: expected ENTRIES[:WAYS]", key, val);
				return -1;
			}
			if (e && (w == 0 || e % w)) {
				snprintf(err, errlen, "tlb: %s=%s: entries (%u) not divisible by ways (%u)", key, val, e, w);
				return -1;
			}
			cfg->psc.c[k].entries = e;
			cfg->psc.c[k].ways = w;
			cfg->psc_enabled = true;
			return 0;
		}
		snprintf(err, errlen, "tlb: unknown key '%s' (psc caches: psc.pml4e, psc.pdpte, psc.pde)", key);
		return -1;
	}
	int id = find_array(key, dot ? (size_t)(dot - key) : strlen(key));
	if (id < 0) {
		snprintf(err, errlen,
			 "tlb: unknown key '%s' (keys: l1d l1i l1d2m l1i2m l2 policy pcid psc ARRAY.policy psc.CACHE)",
			 key);
		return -1;
	}
	struct tlb_array_config *a = &cfg->a[id];
	if (dot) {
		if (strcmp(dot + 1, "policy")) {
			snprintf(err, errlen, "tlb: unknown key '%s' (per-array key: %.*s.policy)", key, (int)(dot - key),
				 key);
			return -1;
		}
		if (parse_policy(val, strlen(val), &a->policy) < 0)
			goto bad_policy;
		return 0;
	}
	struct tlb_array_config n = *a;
	const char *rest;
	if (parse_geometry(val, false, &n.entries, &n.ways, &rest) < 0) {
		snprintf(err, errlen, "tlb: %s=%s: expected ENTRIES:WAYS[:POLICY]", key, val);
		return -1;
	}
	if (rest && parse_policy(rest, strlen(rest), &n.policy) < 0) {
		val = rest;
		goto bad_policy;
	}
	if (tlb_array_check(key, &n, err, errlen) < 0)
		return -1;
	*a = n;
	return 0;
bad_policy:
	snprintf(err, errlen, "tlb: %s=%s: unknown policy '%s' (plru, lru, fifo, random)", key, eq + 1, val);
	return -1;
}

/* Parse SPEC over CFG.  Returns 0 or -1 with ERR; on error *CFG may hold
 * the items before the bad one. */
int tlb_config_parse(const char *spec, struct tlb_config *cfg, char *err, size_t errlen)
{
	if (!spec || !*spec)
		return 0;
	int empty = list_empty_item(spec);
	if (empty) {
		snprintf(err, errlen, "tlb: item %d of '%s' is empty", empty, spec);
		return -1;
	}
	char *copy = strdup(spec);
	if (!copy) {
		snprintf(err, errlen, "tlb: out of host memory");
		return -1;
	}
	int rc = 0;
	char *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if ((rc = apply_item(cfg, item, err, errlen)) < 0)
			break;
	}
	free(copy);
	if (rc < 0)
		return -1;
	/* Re-check the final geometry (a later policy=plru may meet many ways). */
	for (int i = 0; i < TLB_NR; i++)
		if (tlb_array_check(tlb_names[i], &cfg->a[i], err, errlen) < 0)
			return -1;
	return 0;
}

char *tlb_config_format(const struct tlb_config *cfg, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < TLB_NR && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s=%u:%u:%s", i ? "," : "", tlb_names[i],
				 cfg->a[i].entries, cfg->a[i].ways, policy_names[cfg->a[i].policy]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, ",pcid=%s", cfg->pcid ? "on" : "off");
	if (off < len) {
		if (!cfg->psc_enabled) {
			snprintf(buf + off, len - off, ",psc=off");
		} else {
			static const char *const kinds[PSC_NR_KINDS] = { "pml4e", "pdpte", "pde" };
			for (int k = 0; k < PSC_NR_KINDS && off < len; k++) {
				const struct psc_cache_config *c = &cfg->psc.c[k];
				int n = snprintf(buf + off, len - off, ",psc.%s=%u:%u", kinds[k], c->entries,
						 c->ways ? c->ways : c->entries);
				if (n < 0)
					break;
				off += (size_t)n;
			}
		}
	}
	return buf;
}
