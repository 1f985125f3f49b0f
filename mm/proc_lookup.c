/* mm/proc_lookup.c - look one number up in a /proc view by dotted name.
 *
 * The view's text is generated exactly as `show` prints it and parsed
 * back, so a lookup can never disagree with the text.  Names:
 *   meminfo.FIELD                 (kB, as shown)
 *   buddyinfo.[NODE.]ZONE.ORDER
 *   zoneinfo.[NODE.]ZONE.FIELD    ("free" or "nr_free_pages" for "pages
 *                                  free", min, low, high, spanned,
 *                                  present, managed, boost, cma, nr_*,
 *                                  start_pfn, protection.N; pagesets:
 *                                  pcp.CPU.count|high|batch, pcp_count
 *                                  = pages on every CPU's list)
 *   vmstat.NAME
 *   slabinfo.CACHE.FIELD          (columns of the slabinfo 2.1 header)
 * Zone names match case-insensitively.  Without NODE, the values of every
 * node are added (start_pfn and protection: node 0's).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mm/proc.h"

struct kv {
	int node;          /* -1 for views without nodes */
	char zone[64];     /* zone or cache name; "" for flat views */
	char field[64];
	long long val;
};

struct kvlist {
	struct kv *v;
	size_t n, cap;
};

static void kv_add(struct kvlist *l, int node, const char *zone, const char *field, long long val)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 128;
		struct kv *nv = realloc(l->v, cap * sizeof(*nv));
		if (!nv) {
			fprintf(stderr, "mmsim: out of host memory\n");
			abort();
		}
		l->v = nv;
		l->cap = cap;
	}
	struct kv *e = &l->v[l->n++];
	e->node = node;
	snprintf(e->zone, sizeof(e->zone), "%s", zone);
	snprintf(e->field, sizeof(e->field), "%s", field);
	e->val = val;
}

/* Next line of TEXT at *POS into LINE (without '\n').  Returns 0 at end. */
static int next_line(const char *text, size_t *pos, char *line, size_t len)
{
	if (!text[*pos])
		return 0;
	size_t n = strcspn(text + *pos, "\n");
	size_t k = n < len - 1 ? n : len - 1;
	memcpy(line, text + *pos, k);
	line[k] = '\0';
	*pos += n + (text[*pos + n] == '\n');
	return 1;
}

/* Add each line of T that FMT (a "%s ... %lld" sscanf format) matches as a
 * field of a flat view (meminfo "Name: N", vmstat "name N"). */
static void parse_pairs(const char *t, struct kvlist *l, const char *fmt)
{
	char line[256], name[64];
	long long v;
	for (size_t pos = 0; next_line(t, &pos, line, sizeof(line));)
		if (sscanf(line, fmt, name, &v) == 2)
			kv_add(l, -1, "", name, v);
}

static void parse_meminfo(const char *t, struct kvlist *l)
{
	parse_pairs(t, l, "%63[^:]: %lld");
}

static void parse_flat(const char *t, struct kvlist *l)
{
	parse_pairs(t, l, "%63s %lld");
}

/* Add each number of the list at P ("1 2 3" or "1, 2, 3)") as the fields
 * PREFIX0, PREFIX1, ... of NODE's ZONE. */
static void kv_add_list(struct kvlist *l, int node, const char *zone, const char *prefix, const char *p)
{
	char *end, f[32];
	for (int i = 0;; i++) {
		long long v = strtoll(p, &end, 10);
		if (end == p)
			break;
		snprintf(f, sizeof(f), "%s%d", prefix, i);
		kv_add(l, node, zone, f, v);
		for (p = end; *p == ',' || *p == ' '; p++)
			;
	}
}

static void parse_buddyinfo(const char *t, struct kvlist *l)
{
	char line[512], zone[64];
	int node, used;
	for (size_t pos = 0; next_line(t, &pos, line, sizeof(line));) {
		if (sscanf(line, "Node %d, zone %31s%n", &node, zone, &used) != 2)
			continue;
		kv_add_list(l, node, zone, "", line + used);
	}
}

static void parse_zoneinfo(const char *t, struct kvlist *l)
{
	char line[512], zone[32] = "", name[64];
	int node = -1, cpu = -1;
	bool in_pagesets = false;
	long long v;
	for (size_t pos = 0; next_line(t, &pos, line, sizeof(line));) {
		int n;
		char z[32];
		if (sscanf(line, "Node %d, zone %31s", &n, z) == 2) {
			node = n;
			in_pagesets = false;
			cpu = -1;
			snprintf(zone, sizeof(zone), "%s", z);
			continue;
		}
		if (!strcmp(line, "  pagesets")) {
			in_pagesets = true;
			continue;
		}
		if (!strncmp(line, "  node_unreclaimable", 20))
			in_pagesets = false;
		if (node < 0)
			continue;
		if (in_pagesets) { /* every CPU's count/high/batch: pcp.CPU.FIELD, pcp_count */
			if (sscanf(line, " cpu: %d", &cpu) == 1)
				continue;
			if (sscanf(line, " %63[a-z]: %lld", name, &v) == 2 && cpu >= 0) {
				char key[96];
				snprintf(key, sizeof(key), "pcp.%d.%s", cpu, name);
				kv_add(l, node, zone, key, v);
				if (!strcmp(name, "count"))
					kv_add(l, node, zone, "pcp_count", v);
			}
			continue;
		}
		if (sscanf(line, " pages free %lld", &v) == 1) {
			kv_add(l, node, zone, "free", v);
			kv_add(l, node, zone, "pages_free", v);
			continue;
		}
		char *prot = strstr(line, "protection: (");
		if (prot) {
			kv_add_list(l, node, zone, "protection.", prot + strlen("protection: ("));
			continue;
		}
		if (sscanf(line, " %63[^: ]: %lld", name, &v) == 2 || sscanf(line, " %63s %lld", name, &v) == 2)
			kv_add(l, node, zone, name, v);
	}
}

static void parse_slabinfo(const char *t, struct kvlist *l)
{
	char line[512], cols[16][32];
	int ncols = 0;
	for (size_t pos = 0; next_line(t, &pos, line, sizeof(line));) {
		char *save = NULL, *tok;
		if (line[0] == '#') {
			ncols = 0;
			for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
				size_t n = strlen(tok);
				if (tok[0] == '<' && tok[n - 1] == '>' && ncols < 16) {
					snprintf(cols[ncols], sizeof(cols[0]), "%.*s", (int)(n - 2), tok + 1);
					ncols++;
				}
			}
			continue;
		}
		if (!strncmp(line, "slabinfo", 8) || !ncols)
			continue;
		tok = strtok_r(line, " \t", &save);
		if (!tok)
			continue;
		char cache[64];
		snprintf(cache, sizeof(cache), "%s", tok);
		int c = 0;
		while ((tok = strtok_r(NULL, " \t", &save)) && c < ncols) {
			char *end;
			long long v = strtoll(tok, &end, 10);
			if (end == tok || *end)
				continue; /* ':' "tunables" "slabdata" */
			kv_add(l, -1, cache, cols[c++], v);
		}
	}
}

/* Is FIELD a value where adding nodes makes no sense? */
static bool per_node_only(const char *field)
{
	return !strcmp(field, "start_pfn") || !strncmp(field, "protection.", 11);
}

/* Append "a, b, c" (distinct values of SEL(e) over L, where MATCH) to ERR. */
static void list_names(const struct kvlist *l, const char *zone, bool zones, char *err, size_t errlen)
{
	size_t used = strlen(err);
	int count = 0;
	for (size_t i = 0; i < l->n && used + 8 < errlen; i++) {
		const char *name = zones ? l->v[i].zone : l->v[i].field;
		if (!zones && zone && strcasecmp(l->v[i].zone, zone))
			continue;
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++) {
			const char *prev = zones ? l->v[j].zone : l->v[j].field;
			if (!zones && zone && strcasecmp(l->v[j].zone, zone))
				continue;
			dup = !strcmp(prev, name);
		}
		if (dup)
			continue;
		int n = snprintf(err + used, errlen - used, "%s%s", count++ ? ", " : " (", name);
		if (n < 0 || (size_t)n >= errlen - used) {
			if (errlen > 5)
				memcpy(err + errlen - 5, "...)", 5);
			return;
		}
		used += (size_t)n;
	}
	if (count && used + 2 <= errlen)
		snprintf(err + used, errlen - used, ")");
	else if (count && errlen > 5)
		memcpy(err + errlen - 5, "...)", 5);
}

/* The views, by name. */
static const struct proc_view {
	const char *name;
	void (*show)(struct memsys *, struct strbuf *);
	void (*parse)(const char *, struct kvlist *);
	bool zoned; /* names are [NODE.]ZONE.FIELD or CACHE.FIELD */
} views[] = {
	{"meminfo", proc_meminfo, parse_meminfo, false},    {"vmstat", proc_vmstat, parse_flat, false},
	{"buddyinfo", proc_buddyinfo, parse_buddyinfo, true}, {"zoneinfo", proc_zoneinfo, parse_zoneinfo, true},
	{"slabinfo", proc_slabinfo, parse_slabinfo, true},
};

/* The view named NAME, or NULL. */
static const struct proc_view *proc_view(const char *name)
{
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(views[i].name, name))
			return &views[i];
	return NULL;
}

int proc_show(struct memsys *m, const char *view, struct strbuf *sb)
{
	const struct proc_view *v = proc_view(view);
	if (!v)
		return -1;
	v->show(m, sb);
	return 0;
}

int proc_stat_lookup(struct memsys *m, const char *view, const char *key, long long *out, char *err,
		     size_t errlen)
{
	struct strbuf sb = {0};
	struct kvlist l = {0};
	int rc = -1;

	const struct proc_view *v = proc_view(view);
	if (!v) {
		snprintf(err, errlen, "unknown view '%s' (meminfo, buddyinfo, zoneinfo, slabinfo, vmstat)", view);
		return 1;
	}
	v->show(m, &sb);
	v->parse(sb.buf ? sb.buf : "", &l);

	if (!v->zoned) {
		for (size_t i = 0; i < l.n; i++)
			if (!strcmp(l.v[i].field, key)) {
				*out = l.v[i].val;
				rc = 0;
				goto out;
			}
		snprintf(err, errlen, "%s has no field '%s'", view, key);
		list_names(&l, NULL, false, err, errlen);
		goto out;
	}

	/* [NODE.]ZONE.FIELD (slabinfo: CACHE.FIELD; cache names may hold '.') */
	int node = -1;
	const char *rest = key;
	if (strcmp(view, "slabinfo") && isdigit((unsigned char)key[0]) && strchr(key, '.')) {
		node = atoi(key);
		rest = strchr(key, '.') + 1;
	}
	const char *dot = strcmp(view, "zoneinfo") ? strrchr(rest, '.') : strchr(rest, '.');
	if (!dot || dot == rest || !dot[1]) {
		snprintf(err, errlen, "%s: '%s' is not %s", view, key,
			 !strcmp(view, "slabinfo") ? "CACHE.FIELD" : "[NODE.]ZONE.FIELD");
		goto out;
	}
	char zone[64];
	snprintf(zone, sizeof(zone), "%.*s", (int)(dot - rest), rest);
	const char *field = dot + 1;
	bool zone_seen = false, found = false;
	long long sum = 0;
	for (size_t i = 0; i < l.n; i++) {
		const struct kv *e = &l.v[i];
		if (strcasecmp(e->zone, zone) || (node >= 0 && e->node != node))
			continue;
		zone_seen = true;
		if (strcmp(e->field, field))
			continue;
		if (found && per_node_only(field))
			continue;
		sum += e->val;
		found = true;
	}
	if (found) {
		*out = sum;
		rc = 0;
	} else if (!zone_seen) {
		if (node >= 0)
			snprintf(err, errlen, "%s has no node %d zone '%s'", view, node, zone);
		else
			snprintf(err, errlen, "%s has no %s '%s'", view, !strcmp(view, "slabinfo") ? "cache" : "zone",
				 zone);
		list_names(&l, NULL, true, err, errlen);
	} else {
		snprintf(err, errlen, "%s %s has no field '%s'", view, zone, field);
		list_names(&l, zone, false, err, errlen);
	}
out:
	free(l.v);
	sb_free(&sb);
	return rc;
}
