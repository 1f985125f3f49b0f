/* tools/pagemap.c - linear probing over a power-of-two table; deleted
 * slots are tombstones until the next rebuild (when used + dead passes
 * half the table). */
#include <stdlib.h>

#include "tools/pagemap.h"

static size_t slot_of(const struct pagemap *m, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (m->cap - 1);
}

int pagemap_init(struct pagemap *m, size_t expect)
{
	size_t cap = 16;
	while (cap < 2 * expect + 2)
		cap *= 2;
	m->key = malloc(cap * sizeof *m->key);
	m->val = malloc(cap * sizeof *m->val);
	m->state = calloc(cap, 1);
	m->cap = cap;
	m->used = m->dead = 0;
	if (!m->key || !m->val || !m->state) {
		pagemap_free(m);
		return -1;
	}
	return 0;
}

void pagemap_free(struct pagemap *m)
{
	free(m->key);
	free(m->val);
	free(m->state);
	m->key = NULL;
	m->val = NULL;
	m->state = NULL;
	m->cap = m->used = m->dead = 0;
}

long pagemap_get(const struct pagemap *m, uint64_t key)
{
	for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->state[i] == 0)
			return -1;
		if (m->state[i] == 1 && m->key[i] == key)
			return m->val[i];
	}
}

/* Rebuild into a table of CAP slots.  Returns 0 or -1. */
static int rehash(struct pagemap *m, size_t cap)
{
	struct pagemap n = {0};
	if (pagemap_init(&n, cap / 2 - 1))
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->state[i] == 1)
			pagemap_put(&n, m->key[i], m->val[i]);
	pagemap_free(m);
	*m = n;
	return 0;
}

int pagemap_put(struct pagemap *m, uint64_t key, long val)
{
	if (2 * (m->used + m->dead + 1) > m->cap && rehash(m, 2 * (m->used + 1) > m->cap / 2 ? 2 * m->cap : m->cap))
		return -1;
	size_t tomb = SIZE_MAX;
	for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->state[i] == 1 && m->key[i] == key) {
			m->val[i] = val;
			return 0;
		}
		if (m->state[i] == 2 && tomb == SIZE_MAX)
			tomb = i;
		if (m->state[i] == 0) {
			if (tomb != SIZE_MAX) {
				i = tomb;
				m->dead--;
			}
			m->state[i] = 1;
			m->key[i] = key;
			m->val[i] = val;
			m->used++;
			return 0;
		}
	}
}

void pagemap_del(struct pagemap *m, uint64_t key)
{
	for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->state[i] == 0)
			return;
		if (m->state[i] == 1 && m->key[i] == key) {
			m->state[i] = 2;
			m->used--;
			m->dead++;
			return;
		}
	}
}
