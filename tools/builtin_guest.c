/* tools/builtin_guest.c - guest programs built into the binary (see
 * tools/builtin_guest.h); the bytes come from tools/embed.c at build time. */
#include "tools/builtin_guest.h"

#include <string.h>

#ifdef HAVE_DEMO_GUEST
extern const unsigned char demo_guest[];
extern const size_t demo_guest_len;
#endif

const uint8_t *builtin_guest(const char *name, size_t *size)
{
#ifdef HAVE_DEMO_GUEST
	if (!strcmp(name, "fork_cow")) {
		*size = demo_guest_len;
		return demo_guest;
	}
#endif
	(void)name;
	*size = 0;
	return NULL;
}
