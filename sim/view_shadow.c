/* sim/view_shadow.c - replaying sim/view_record.c's records into the state
 * /proc/PID/{maps,smaps,status} are printed from (see view_shadow.h).
 *
 * The shadow holds what the records name and nothing else: user PTEs by
 * (mm, page), page map counts by pfn, swap slot counts, shmem pages in
 * swap, each mm's VMA list with its maps lines, and each task's status
 * numbers.  A count or PTE the records never named is 0 (none), which is
 * what the live machine holds for it too: the recorder names every
 * non-zero one in a checkpoint and every change after it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mmap.h"
#include "mm/proc.h"
#include "mm/swapfile.h"
#include "mmu/pgtable.h"
#include "sim/pid_views.h"
#include "sim/view_record.h"
#include "sim/view_shadow.h"
#include "traces/varint.h"

/* An open-addressing map from non-zero 64-bit keys to 64-bit values
 * (linear probing, deletion by backward shift: no tombstones). */
struct map {
	uint64_t *keys, *vals;
	size_t cap, n; /* cap: a power of two */
};

static size_t slot_of(const struct map *m, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (m->cap - 1);
}

static uint64_t map_get(const struct map *m, uint64_t key)
{
	if (!m->cap)
		return 0;
	for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key)
			return m->vals[i];
		if (!m->keys[i])
			return 0;
	}
}

static void map_del(struct map *m, uint64_t key)
{
	if (!m->cap)
		return;
	size_t i = slot_of(m, key);
	while (m->keys[i] != key) {
		if (!m->keys[i])
			return;
		i = (i + 1) & (m->cap - 1);
	}
	m->n--;
	/* backward shift: move later entries of the run into the hole when
	 * their home slot is not between the hole and them */
	for (size_t j = (i + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		size_t home = slot_of(m, m->keys[j]);
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			i = j;
		}
	}
	m->keys[i] = 0;
}

static int map_put(struct map *m, uint64_t key, uint64_t val);

static int map_grow(struct map *m)
{
	struct map old = *m;
	size_t cap = old.cap ? old.cap * 2 : 1024;
	m->keys = calloc(cap, sizeof *m->keys);
	m->vals = calloc(cap, sizeof *m->vals);
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		*m = old;
		return -1;
	}
	m->cap = cap;
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			map_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
	return 0;
}

/* Set KEY to VAL (0: remove).  Returns 0 or -1 (out of memory). */
static int map_put(struct map *m, uint64_t key, uint64_t val)
{
	if (!val) {
		map_del(m, key);
		return 0;
	}
	if ((m->n + 1) * 4 > m->cap * 3 && map_grow(m) < 0)
		return -1;
	size_t i = slot_of(m, key);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->n++;
	}
	m->vals[i] = val;
	return 0;
}

static void map_free(struct map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

struct vv {
	uint64_t start, end, flags, pgoff, file;
	bool is_file;
	char *line;
	size_t line_len;
};

struct vlist {
	struct vv *v;
	size_t n;
};

struct shadow_task {
	bool live;
	int64_t v[PID_STATUS_N];
};

struct view_shadow {
	struct map ptes;    /* mm serial << 36 | page number -> pteval */
	struct map maps;    /* pfn + 1 -> map count << 2 | smaps kind */
	struct map swaps;   /* slot -> count */
	struct map shmem;   /* file << 40 | index -> 1 */
	struct vlist *mms;  /* by mm serial */
	size_t nmms;
	struct shadow_task *tasks; /* by pid */
	size_t ntasks;
};

#define PTE_KEY(serial, vpn) (((uint64_t)(serial) << 36) | (vpn))

struct view_shadow *view_shadow_create(void)
{
	return calloc(1, sizeof(struct view_shadow));
}

static void vlist_clear(struct vlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].line);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void reset(struct view_shadow *vs)
{
	map_free(&vs->ptes);
	map_free(&vs->maps);
	map_free(&vs->swaps);
	map_free(&vs->shmem);
	for (size_t i = 0; i < vs->nmms; i++)
		vlist_clear(&vs->mms[i]);
	for (size_t i = 0; i < vs->ntasks; i++)
		vs->tasks[i].live = false;
}

void view_shadow_destroy(struct view_shadow *vs)
{
	if (!vs)
		return;
	reset(vs);
	free(vs->mms);
	free(vs->tasks);
	free(vs);
}

/* Grow *A (*N elements of SIZE bytes, new ones zeroed) to hold index I.
 * Returns 0 or -1. */
static int grow_to(void *a, size_t *n, size_t size, uint64_t i)
{
	if (i < *n)
		return 0;
	if (i > (1u << 30))
		return -1; /* no real run has that many tasks or mms */
	size_t cap = *n ? *n : 64;
	while (cap <= i)
		cap *= 2;
	uint8_t *p = realloc(*(void **)a, cap * size);
	if (!p)
		return -1;
	memset(p + *n * size, 0, (cap - *n) * size);
	*(void **)a = p;
	*n = cap;
	return 0;
}

struct reader {
	const uint8_t *in;
	size_t len, pos;
	bool bad;
};

static uint64_t rd(struct reader *r)
{
	uint64_t x = 0;
	if (!r->bad && get_varint(r->in, r->len, &r->pos, &x) < 0)
		r->bad = true;
	return r->bad ? 0 : x;
}

/* A VR_VMAS record's body into VS.  Returns 0 or -1. */
static int read_vmas(struct view_shadow *vs, struct reader *r)
{
	uint64_t serial = rd(r), n = rd(r);
	if (r->bad || n > r->len || grow_to(&vs->mms, &vs->nmms, sizeof *vs->mms, serial) < 0)
		return -1;
	struct vlist *l = &vs->mms[serial];
	vlist_clear(l);
	if (!n)
		return 0;
	l->v = calloc(n, sizeof *l->v);
	if (!l->v)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		struct vv *v = &l->v[l->n++];
		v->start = rd(r);
		v->end = rd(r);
		v->flags = rd(r);
		v->pgoff = rd(r);
		v->is_file = rd(r) != 0;
		v->file = rd(r);
		uint64_t len = rd(r);
		if (r->bad || len > r->len - r->pos || v->end < v->start)
			return -1;
		v->line = malloc(len + 1);
		if (!v->line)
			return -1;
		memcpy(v->line, r->in + r->pos, len);
		v->line[len] = 0;
		v->line_len = len;
		r->pos += len;
	}
	return 0;
}

int view_shadow_apply(struct view_shadow *vs, const uint8_t *blob, size_t len)
{
	struct reader r = { blob, len, 0, false };
	while (r.pos < r.len && !r.bad) {
		uint64_t tag = rd(&r), a, b, c;
		int rc = 0;
		if (r.bad)
			return -1;
		switch (tag) {
		case 0:
			return 1;
		case VR_FULL:
			if (rd(&r) != VIEW_RECORD_VERSION)
				return r.bad ? -1 : 1; /* another mmsim's records: re-execute */
			reset(vs);
			break;
		case VR_PTE:
			a = rd(&r);
			b = rd(&r);
			c = rd(&r);
			if (a >> 28 || b >> 36)
				return -1;
			rc = map_put(&vs->ptes, PTE_KEY(a, b), c >> 1 | c << 63);
			break;
		case VR_MAP: {
			a = rd(&r);
			int64_t count = unzigzag(rd(&r));
			c = rd(&r);
			if (c > SMAPS_SHMEM)
				return -1;
			/* the count and the kind in one value; no count: none */
			rc = map_put(&vs->maps, a + 1, count > 0 ? (uint64_t)count << 2 | c : 0);
			break;
		}
		case VR_SWAP:
			a = rd(&r);
			b = rd(&r);
			rc = map_put(&vs->swaps, a + 1, (uint64_t)unzigzag(b));
			break;
		case VR_SHMEM:
			a = rd(&r);
			b = rd(&r);
			c = rd(&r);
			if (a >> 23 || b >> 40)
				return -1;
			rc = map_put(&vs->shmem, (a << 40) | b, c != 0);
			break;
		case VR_VMAS:
			rc = read_vmas(vs, &r);
			break;
		case VR_TASK: {
			a = rd(&r);
			if (r.bad || grow_to(&vs->tasks, &vs->ntasks, sizeof *vs->tasks, a) < 0)
				return -1;
			struct shadow_task *t = &vs->tasks[a];
			for (int i = 0; i < PID_STATUS_N; i++)
				t->v[i] = unzigzag(rd(&r));
			t->live = true;
			break;
		}
		case VR_TASK_CHANGE: {
			a = rd(&r);
			b = rd(&r);
			if (r.bad || a >= vs->ntasks || !vs->tasks[a].live || b > PID_STATUS_N)
				return -1;
			struct shadow_task *t = &vs->tasks[a];
			for (uint64_t i = 0; i < b; i++) {
				uint64_t k = rd(&r);
				int64_t d = unzigzag(rd(&r));
				if (k >= PID_STATUS_N)
					return -1;
				t->v[k] = (int64_t)((uint64_t)t->v[k] + (uint64_t)d);
			}
			break;
		}
		case VR_EXIT:
			a = rd(&r);
			if (a < vs->ntasks)
				vs->tasks[a].live = false;
			break;
		default:
			return -1;
		}
		if (rc < 0)
			return -1;
	}
	return r.bad ? -1 : 0;
}

/* The smaps figures of VMA V of mm SERIAL into A, page by page. */
static void vma_smaps(struct view_shadow *vs, uint64_t serial, const struct vv *v, struct smaps_acc *a)
{
	memset(a, 0, sizeof *a);
	for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE) {
		pte_t e = { map_get(&vs->ptes, PTE_KEY(serial, va >> PAGE_SHIFT)) };
		uint64_t mk = pte_present(e) ? map_get(&vs->maps, pte_pfn(e) + 1) : 0;
		int cnt = is_swap_pte(e) ? (int)map_get(&vs->swaps, swp_offset(pte_to_swp_entry(e)) + 1) : 0;
		bool hole = pte_none(e) && v->is_file && v->file &&
			    map_get(&vs->shmem, (v->file << 40) | (v->pgoff + ((va - v->start) >> PAGE_SHIFT)));
		smaps_add_page(a, e.pte, (int)(mk >> 2), (enum smaps_page_kind)(mk & 3), cnt, hole);
	}
}

/* smaps (or, ROLLUP, smaps_rollup) of mm SERIAL, whose VMAs are L, into SB. */
static void render_smaps(struct view_shadow *vs, uint64_t serial, const struct vlist *l, bool rollup,
			 struct strbuf *sb)
{
	struct smaps_acc total = { 0 }, acc;
	for (size_t i = 0; i < l->n; i++) {
		const struct vv *v = &l->v[i];
		vma_smaps(vs, serial, v, &acc);
		if (rollup) {
			smaps_acc_add(&total, &acc, v->flags & VM_LOCKED);
		} else {
			sb_printf(sb, "%s", v->line);
			smaps_print(sb, v->start, v->end, v->flags, &acc);
		}
	}
	if (rollup && l->n)
		smaps_rollup_print(sb, l->v[0].start, l->v[l->n - 1].end, &total);
}

int view_shadow_render(struct view_shadow *vs, int pid, const char *view, struct strbuf *sb)
{
	if (pid <= 0 || (size_t)pid >= vs->ntasks || !vs->tasks[pid].live)
		return -ESRCH;
	const int64_t *v = vs->tasks[pid].v;
	uint64_t serial = v[PS_MM_SERIAL] > 0 ? (uint64_t)v[PS_MM_SERIAL] : 0;
	static const struct vlist none = { NULL, 0 };
	const struct vlist *l = serial && serial < vs->nmms ? &vs->mms[serial] : &none;
	if (!strcmp(view, "status")) {
		pid_status_print(v, sb);
	} else if (!strcmp(view, "maps")) {
		for (size_t i = 0; i < l->n; i++)
			sb_printf(sb, "%s", l->v[i].line);
	} else if (!strcmp(view, "smaps") || !strcmp(view, "smaps_rollup")) {
		render_smaps(vs, serial, l, view[5] == '_', sb);
	} else {
		return -ENOENT;
	}
	return 0;
}
