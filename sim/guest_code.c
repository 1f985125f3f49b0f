/* sim/guest_code.c - a guest's code bytes by follow_pfn and the direct map
 * (see sim/guest_code.h). */
#include "sim/guest_code.h"

#include <string.h>

#include "mmu/memory.h"

size_t guest_read_code(struct memsys *m, struct mm_struct *mm, uint64_t rip, uint8_t *code, size_t max)
{
	size_t have = 0;
	while (have < max) {
		uint64_t va = rip + have;
		int64_t pfn = follow_pfn(m, mm, va);
		if (pfn < 0)
			break;
		size_t n = PAGE_SIZE - (va & ~PAGE_MASK);
		if (n > max - have)
			n = max - have;
		memcpy(code + have, (uint8_t *)phys_to_host(m, ((uint64_t)pfn << PAGE_SHIFT)) + (va & ~PAGE_MASK), n);
		have += n;
	}
	return have;
}
