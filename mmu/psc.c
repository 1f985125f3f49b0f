/* mmu/psc.c - paging-structure caches: PML4E, PDPTE and PDE caches.
 *
 * Each cache is an array of sets of `ways` entries.  An entry is tagged by
 * (PCID, VA >> shift) where shift is 39, 30 or 21; the set is the tag modulo
 * the number of sets.  Replacement is LRU by a per-cache use counter, which
 * keeps the simulation deterministic.  Lookups go PDE first (the longest
 * prefix, the most levels skipped), then PDPTE, then PML4E, as the SDM
 * (4.10.3.2) describes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mmzone.h"
#include "mmu/psc.h"

#define PSC_MAX_ENTRIES 4096

struct psc_entry {
	bool valid;
	bool rw, us, nx;
	uint16_t pcid;
	uint64_t tag;         /* va >> shift (the 48-bit VA's index bits) */
	uint64_t next_pfn;
	uint64_t last_use;
};

struct psc_cache {
	struct psc_entry *e;
	unsigned entries, ways, sets;
	unsigned shift;
	uint64_t clock;
};

struct psc {
	struct psc_config cfg;
	struct psc_cache c[PSC_NR_KINDS];
	struct psc_stats stats;
};

static const unsigned kind_shift[PSC_NR_KINDS] = { 39, 30, 21 };
static const char *const kind_names[PSC_NR_KINDS] = { "PML4E", "PDPTE", "PDE" };
static const char *const kind_keys[PSC_NR_KINDS] = { "pml4e", "pdpte", "pde" };

const char *psc_kind_name(enum psc_kind kind)
{
	return (unsigned)kind < PSC_NR_KINDS ? kind_names[kind] : "?";
}

void psc_config_default(struct psc_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->c[PSC_PML4E].entries = 2;
	cfg->c[PSC_PDPTE].entries = 4;
	cfg->c[PSC_PDE].entries = 32;
}

/* Returns 0 (with *ENABLED) or -1 with ERR naming the bad item. */
int psc_config_parse(const char *s, struct psc_config *cfg, bool *enabled, char *err, size_t errlen)
{
	char buf[256];
	memset(cfg, 0, sizeof *cfg);
	*enabled = false;
	if (!strcmp(s, "off") || !strcmp(s, "0") || !*s)
		return 0;
	if (!strcmp(s, "on") || !strcmp(s, "1")) {
		psc_config_default(cfg);
		*enabled = true;
		return 0;
	}
	if (strlen(s) >= sizeof buf) {
		snprintf(err, errlen, "psc: setting too long");
		return -1;
	}
	int empty = list_empty_item(s);
	if (empty) {
		snprintf(err, errlen, "psc: item %d of '%s' is empty", empty, s);
		return -1;
	}
	strcpy(buf, s);
	char *save = NULL;
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		int kind = -1;
		if (eq) {
			*eq = 0;
			for (int i = 0; i < PSC_NR_KINDS; i++)
				if (!strcmp(item, kind_keys[i]))
					kind = i;
		}
		if (kind < 0) {
			snprintf(err, errlen, "psc: unknown cache '%s' (expected pml4e=, pdpte= or pde=)", item);
			return -1;
		}
		char *end;
		unsigned long n = strtoul(eq + 1, &end, 10), ways = 0;
		if (end == eq + 1 || (*end && *end != ':')) {
			snprintf(err, errlen, "psc: bad entry count '%s' for %s", eq + 1, item);
			return -1;
		}
		if (*end == ':') {
			char *wend;
			ways = strtoul(end + 1, &wend, 10);
			if (wend == end + 1 || *wend) {
				snprintf(err, errlen, "psc: bad ways '%s' for %s", end + 1, item);
				return -1;
			}
		}
		if (n > PSC_MAX_ENTRIES || (n && ways && (ways > n || n % ways))) {
			snprintf(err, errlen, "psc: %s=%lu:%lu: entries must be <= %d and a multiple of ways", item,
				 n, ways, PSC_MAX_ENTRIES);
			return -1;
		}
		cfg->c[kind].entries = (unsigned)n;
		cfg->c[kind].ways = (unsigned)ways;
		if (n)
			*enabled = true;
	}
	return 0;
}

char *psc_config_format(const struct psc_config *cfg, char *buf, size_t len)
{
	size_t n = 0;
	if (!len)
		return buf;
	buf[0] = 0;
	for (int i = 0; i < PSC_NR_KINDS && n < len; i++) {
		const struct psc_cache_config *c = &cfg->c[i];
		if (c->ways && c->ways != c->entries)
			n += (size_t)snprintf(buf + n, len - n, "%s%s=%u:%u", n ? "," : "", kind_keys[i], c->entries,
					      c->ways);
		else
			n += (size_t)snprintf(buf + n, len - n, "%s%s=%u", n ? "," : "", kind_keys[i], c->entries);
	}
	return buf;
}

/* Returns the caches, or NULL with ERR. */
struct psc *psc_create(const struct psc_config *cfg, char *err, size_t errlen)
{
	struct psc *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "psc: out of host memory");
		return NULL;
	}
	p->cfg = *cfg;
	for (int i = 0; i < PSC_NR_KINDS; i++) {
		struct psc_cache *c = &p->c[i];
		unsigned n = cfg->c[i].entries, ways = cfg->c[i].ways;
		if (!ways || ways > n)
			ways = n;
		if (n > PSC_MAX_ENTRIES || (n && n % ways)) {
			snprintf(err, errlen, "psc: %s cache: %u entries is not a multiple of %u ways (max %d)",
				 kind_names[i], n, ways, PSC_MAX_ENTRIES);
			goto err;
		}
		c->shift = kind_shift[i];
		if (!n)
			continue;
		c->e = calloc(n, sizeof *c->e);
		if (!c->e) {
			snprintf(err, errlen, "psc: out of host memory");
			goto err;
		}
		c->entries = n;
		c->ways = ways;
		c->sets = n / ways;
	}
	return p;
err:
	psc_destroy(p);
	return NULL;
}

void psc_destroy(struct psc *p)
{
	if (!p)
		return;
	for (int i = 0; i < PSC_NR_KINDS; i++)
		free(p->c[i].e);
	free(p);
}

static inline uint64_t va_tag(uint64_t va, unsigned shift) { return (va & ((1ULL << 48) - 1)) >> shift; }

static inline struct psc_entry *set_of(struct psc_cache *c, uint64_t tag)
{
	return &c->e[(tag % c->sets) * c->ways];
}

/* Returns the matching valid entry, or NULL. */
static struct psc_entry *find(struct psc_cache *c, uint16_t pcid, uint64_t tag)
{
	if (!c->entries)
		return NULL;
	struct psc_entry *s = set_of(c, tag);
	for (unsigned i = 0; i < c->ways; i++)
		if (s[i].valid && s[i].tag == tag && s[i].pcid == pcid)
			return &s[i];
	return NULL;
}

bool psc_lookup(struct psc *p, uint16_t pcid, uint64_t va, struct psc_hit *hit)
{
	p->stats.lookups++;
	for (int k = PSC_PDE; k >= PSC_PML4E; k--) {
		struct psc_cache *c = &p->c[k];
		struct psc_entry *e = find(c, pcid, va_tag(va, c->shift));
		if (!e)
			continue;
		e->last_use = ++c->clock;
		p->stats.hits[k]++;
		hit->level = 3 - k;          /* PML4E hit -> resume at 3, PDE -> 1 */
		hit->table_pfn = e->next_pfn;
		hit->rw = e->rw;
		hit->us = e->us;
		hit->nx = e->nx;
		return true;
	}
	hit->level = 4;
	hit->table_pfn = 0;
	hit->rw = hit->us = true;
	hit->nx = false;
	return false;
}

void psc_fill(struct psc *p, uint16_t pcid, uint64_t va, int level, uint64_t next_pfn, bool rw, bool us, bool nx)
{
	if (level < 2 || level > 4)
		return;
	int k = 4 - level;                  /* level 4 -> PML4E cache */
	struct psc_cache *c = &p->c[k];
	if (!c->entries)
		return;
	uint64_t tag = va_tag(va, c->shift);
	struct psc_entry *e = find(c, pcid, tag);
	if (!e) {
		struct psc_entry *s = set_of(c, tag);
		e = &s[0];
		for (unsigned i = 0; i < c->ways; i++) {
			if (!s[i].valid) {
				e = &s[i];
				break;
			}
			if (s[i].last_use < e->last_use)
				e = &s[i];
		}
		if (e->valid)
			p->stats.evictions[k]++;
		p->stats.fills[k]++;
	}
	e->valid = true;
	e->pcid = pcid;
	e->tag = tag;
	e->next_pfn = next_pfn;
	e->rw = rw;
	e->us = us;
	e->nx = nx;
	e->last_use = ++c->clock;
}

void psc_invalidate_va(struct psc *p, uint16_t pcid, uint64_t va)
{
	for (int k = 0; k < PSC_NR_KINDS; k++) {
		struct psc_cache *c = &p->c[k];
		struct psc_entry *e = find(c, pcid, va_tag(va, c->shift));
		if (e) {
			e->valid = false;
			p->stats.invalidations++;
		}
	}
}

void psc_flush_pcid(struct psc *p, uint16_t pcid)
{
	for (int k = 0; k < PSC_NR_KINDS; k++) {
		struct psc_cache *c = &p->c[k];
		for (unsigned i = 0; i < c->entries; i++)
			if (c->e[i].valid && c->e[i].pcid == pcid) {
				c->e[i].valid = false;
				p->stats.invalidations++;
			}
	}
}

void psc_invlpg(struct psc *p, uint16_t pcid, uint64_t va)
{
	(void)va;   /* SDM 4.10.4.1: all PSC entries of the PCID, whatever the address */
	psc_flush_pcid(p, pcid);
}

void psc_flush_all(struct psc *p)
{
	for (int k = 0; k < PSC_NR_KINDS; k++) {
		struct psc_cache *c = &p->c[k];
		for (unsigned i = 0; i < c->entries; i++)
			if (c->e[i].valid) {
				c->e[i].valid = false;
				p->stats.invalidations++;
			}
	}
}

const struct psc_stats *psc_stats(const struct psc *p) { return &p->stats; }
const struct psc_config *psc_get_config(const struct psc *p) { return &p->cfg; }

unsigned psc_occupancy(const struct psc *p, enum psc_kind kind)
{
	unsigned n = 0;
	const struct psc_cache *c = &p->c[kind];
	for (unsigned i = 0; i < c->entries; i++)
		n += c->e[i].valid;
	return n;
}
