/* mm/sysctl_vm.c - the vm.* sysctl table and Linux's proc handlers for it
 * (see mm/sysctl_vm.h).
 *
 * Each entry names a field of memsys->sysctl (or min_free_kbytes), its
 * type, the bounds its Linux handler enforces (proc_dointvec_minmax's
 * extra1/extra2; none for plain proc_dointvec, which still refuses what
 * does not fit an int) and what a successful write must redo.
 */
#include "mm/sysctl_vm.h"
#include "mm/vmscan.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/proc.h"

enum sysctl_type { SC_INT, SC_ULONG };
enum sysctl_after { AFTER_NONE, AFTER_WMARKS, AFTER_RATIO, AFTER_KBYTES, AFTER_DROP_CACHES, AFTER_MIN_FREE };

struct vm_sysctl_entry {
	const char *name;
	enum sysctl_type type;
	size_t offset;                 /* in struct vm_sysctl; SIZE_MAX: min_free_kbytes */
	long min, max;                 /* LONG_MIN / LONG_MAX: no bound */
	unsigned mode;
	enum sysctl_after after;
};

#define F(field) offsetof(struct vm_sysctl, field)
/* Sorted by name, as `ls /proc/sys/vm` lists them. */
static const struct vm_sysctl_entry vm_table[] = {
	{ "admin_reserve_kbytes", SC_ULONG, F(admin_reserve_kbytes), 0, LONG_MAX, 0644, AFTER_NONE },
	{ "drop_caches", SC_INT, F(drop_caches), 1, 4, 0200, AFTER_DROP_CACHES },
	{ "min_free_kbytes", SC_INT, SIZE_MAX, 0, LONG_MAX, 0644, AFTER_MIN_FREE },
	{ "oom_dump_tasks", SC_INT, F(oom_dump_tasks), LONG_MIN, LONG_MAX, 0644, AFTER_NONE },
	{ "oom_kill_allocating_task", SC_INT, F(oom_kill_allocating_task), LONG_MIN, LONG_MAX, 0644, AFTER_NONE },
	{ "overcommit_kbytes", SC_ULONG, F(overcommit_kbytes), 0, LONG_MAX, 0644, AFTER_KBYTES },
	{ "overcommit_memory", SC_INT, F(overcommit_memory), 0, 2, 0644, AFTER_NONE },
	{ "overcommit_ratio", SC_INT, F(overcommit_ratio), LONG_MIN, LONG_MAX, 0644, AFTER_RATIO },
	{ "page-cluster", SC_INT, F(page_cluster), 0, 31, 0644, AFTER_NONE },
	{ "panic_on_oom", SC_INT, F(panic_on_oom), 0, 2, 0644, AFTER_NONE },
	{ "swappiness", SC_INT, F(swappiness), 0, 200, 0644, AFTER_NONE },
	{ "user_reserve_kbytes", SC_ULONG, F(user_reserve_kbytes), 0, LONG_MAX, 0644, AFTER_NONE },
	{ "vfs_cache_pressure", SC_INT, F(vfs_cache_pressure), 0, LONG_MAX, 0644, AFTER_NONE },
	{ "watermark_scale_factor", SC_INT, F(watermark_scale_factor), 1, 3000, 0644, AFTER_WMARKS },
};
#undef F
#define NR_VM_SYSCTL ((int)(sizeof(vm_table) / sizeof(vm_table[0])))

int vm_sysctl_count(void) { return NR_VM_SYSCTL; }
const char *vm_sysctl_name(int i) { return i >= 0 && i < NR_VM_SYSCTL ? vm_table[i].name : NULL; }

static const struct vm_sysctl_entry *lookup(const char *name)
{
	for (int i = 0; i < NR_VM_SYSCTL; i++)
		if (!strcmp(vm_table[i].name, name))
			return &vm_table[i];
	return NULL;
}

bool vm_sysctl_exists(const char *name, unsigned *mode)
{
	const struct vm_sysctl_entry *e = lookup(name);
	if (e && mode)
		*mode = e->mode;
	return e != NULL;
}

static int *int_field(struct memsys *m, const struct vm_sysctl_entry *e)
{
	return (int *)((char *)&m->sysctl + e->offset);
}

static unsigned long *ulong_field(struct memsys *m, const struct vm_sysctl_entry *e)
{
	return (unsigned long *)((char *)&m->sysctl + e->offset);
}

int vm_sysctl_read(struct memsys *m, const char *name, struct strbuf *sb)
{
	const struct vm_sysctl_entry *e = lookup(name);
	if (!e)
		return -ENOENT;
	if (!(e->mode & 0400))
		return -EACCES;
	if (e->offset == SIZE_MAX)
		sb_printf(sb, "%ld\n", m->min_free_kbytes);
	else if (e->type == SC_INT)
		sb_printf(sb, "%d\n", *int_field(m, e));
	else
		sb_printf(sb, "%lu\n", *ulong_field(m, e));
	return 0;
}

static bool is_wspace(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* Linux's proc_get_long on BUF[*pos..len): a number with an optional '-',
 * base 0 (strtoul), which must be followed by a blank, tab, newline or the
 * end.  Returns 0 with *VAL, *NEG and *POS past it, or -EINVAL. */
static int proc_get_long(const char *buf, size_t len, size_t *pos, unsigned long *val, bool *neg)
{
	char tmp[22], *end;
	size_t left = len - *pos, n = left < sizeof(tmp) - 1 ? left : sizeof(tmp) - 1;

	memcpy(tmp, buf + *pos, n);
	tmp[n] = '\0';
	char *p = tmp;
	*neg = false;
	if (*p == '-' && left > 1) {
		*neg = true;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	*val = strtoul(p, &end, 0);
	if (errno == ERANGE)
		return -EINVAL;
	n = (size_t)(end - tmp);
	if (n == sizeof(tmp) - 1)
		return -EINVAL; /* too long to know where it ends */
	if (n < left && !is_wspace(tmp[n]))
		return -EINVAL;
	*pos += n;
	return 0;
}

/* The entry's new value from BUF, as its Linux handler converts and
 * bounds it.  Returns the bytes consumed with *OUT, or -EINVAL. */
static long parse_value(const struct vm_sysctl_entry *e, const char *buf, size_t len, long *out)
{
	size_t pos = 0;
	unsigned long v;
	bool neg;
	long val;

	while (pos < len && is_wspace(buf[pos]))
		pos++;
	if (pos == len || buf[pos] == '\0')
		return -EINVAL;
	if (proc_get_long(buf, len, &pos, &v, &neg))
		return -EINVAL;
	if (e->type == SC_INT) {
		if (neg ? v > (unsigned long)INT_MAX + 1 : v > (unsigned long)INT_MAX)
			return -EINVAL;
		val = neg ? -(long)v : (long)v;
	} else {
		if (neg || v > (unsigned long)LONG_MAX)
			return -EINVAL;
		val = (long)v;
	}
	if (val < e->min || val > e->max)
		return -EINVAL;
	while (pos < len && is_wspace(buf[pos]))
		pos++;
	*out = val;
	return (long)pos;
}

/* What a write of E changes beyond its own field. */
static void after_write(struct memsys *m, const struct vm_sysctl_entry *e)
{
	switch (e->after) {
	case AFTER_NONE:
		break;
	case AFTER_MIN_FREE:
	case AFTER_WMARKS:
		setup_per_zone_wmarks(m);
		break;
	case AFTER_RATIO:
		m->sysctl.overcommit_kbytes = 0;
		break;
	case AFTER_KBYTES:
		m->sysctl.overcommit_ratio = 0;
		break;
	case AFTER_DROP_CACHES:
		/* Linux's drop_caches_sysctl_handler: bit 1 the page cache,
		 * bit 2 slab; bit 4 only silences its kernel message. */
		drop_caches(m, m->sysctl.drop_caches);
		break;
	}
}

long vm_sysctl_write(struct memsys *m, const char *name, const char *buf, size_t len)
{
	const struct vm_sysctl_entry *e = lookup(name);
	long val, n;

	if (!e)
		return -ENOENT;
	n = parse_value(e, buf, len, &val);
	if (n < 0)
		return n;
	if (e->offset == SIZE_MAX)
		m->cfg.min_free_kbytes = val; /* user_min_free_kbytes: kept over recomputation */
	else if (e->type == SC_INT)
		*int_field(m, e) = (int)val;
	else
		*ulong_field(m, e) = (unsigned long)val;
	after_write(m, e);
	return n;
}

/* Split "vm.NAME=VALUE" / "vm/NAME=VALUE" into the entry and the value.
 * Returns the entry or NULL with ERR. */
static const struct vm_sysctl_entry *split_setting(const char *setting, const char **value, char *err,
						   size_t errlen)
{
	char name[64];
	const char *eq = strchr(setting, '=');

	if (!eq) {
		snprintf(err, errlen, "'%s': expected vm.NAME=VALUE", setting);
		return NULL;
	}
	if (strncmp(setting, "vm.", 3) && strncmp(setting, "vm/", 3)) {
		snprintf(err, errlen, "'%s': only vm.* sysctls are simulated (vm.NAME=VALUE)", setting);
		return NULL;
	}
	size_t n = (size_t)(eq - setting) - 3;
	if (n == 0 || n >= sizeof(name)) {
		snprintf(err, errlen, "'%s': expected vm.NAME=VALUE", setting);
		return NULL;
	}
	memcpy(name, setting + 3, n);
	name[n] = '\0';
	const struct vm_sysctl_entry *e = lookup(name);
	if (!e) {
		/* sysctl(8) accepts '.' or '/' as separators; page-cluster is
		 * also written page_cluster by some */
		for (char *c = name; *c; c++)
			if (*c == '_' && !strcmp(name, "page_cluster"))
				*c = '-';
		e = lookup(name);
	}
	if (!e) {
		snprintf(err, errlen, "'%s': unknown sysctl vm.%s", setting, name);
		return NULL;
	}
	*value = eq + 1;
	return e;
}

int vm_sysctl_check_setting(const char *setting, char *err, size_t errlen)
{
	const char *value;
	long val;
	const struct vm_sysctl_entry *e = split_setting(setting, &value, err, errlen);

	if (!e)
		return -1;
	long n = parse_value(e, value, strlen(value), &val);
	if (n < 0 || (size_t)n != strlen(value)) {
		if (e->min != LONG_MIN && e->max != LONG_MAX)
			snprintf(err, errlen, "'%s': invalid value for vm.%s (an integer %ld..%ld)", setting, e->name,
				 e->min, e->max);
		else if (e->min != LONG_MIN)
			snprintf(err, errlen, "'%s': invalid value for vm.%s (an integer >= %ld)", setting, e->name,
				 e->min);
		else
			snprintf(err, errlen, "'%s': invalid value for vm.%s (an integer)", setting, e->name);
		return -1;
	}
	return 0;
}

int vm_sysctl_apply_setting(struct memsys *m, const char *setting, char *err, size_t errlen)
{
	const char *value;
	const struct vm_sysctl_entry *e;

	if (vm_sysctl_check_setting(setting, err, errlen))
		return -1;
	e = split_setting(setting, &value, err, errlen);
	if (!e || vm_sysctl_write(m, e->name, value, strlen(value)) < 0) {
		snprintf(err, errlen, "'%s': cannot be applied", setting);
		return -1;
	}
	return 0;
}
