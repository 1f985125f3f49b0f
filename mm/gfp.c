/* mm/gfp.c - GFP flags to and from text, as Linux's %pGg prints them.
 *
 * gfp_format walks the table in Linux's order (include/trace/events/
 * mmflags.h __def_gfpflag_names): composite masks first, so 0xcc0 prints
 * "GFP_KERNEL" and 0xdc0 "GFP_KERNEL|__GFP_ZERO"; leftover unnamed bits
 * print as "|0x..".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/gfp.h"

static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
	{GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
	{GFP_HIGHUSER, "GFP_HIGHUSER"},
	{GFP_USER, "GFP_USER"},
	{GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"},
	{GFP_KERNEL, "GFP_KERNEL"},
	{GFP_NOFS, "GFP_NOFS"},
	{GFP_ATOMIC, "GFP_ATOMIC"},
	{GFP_NOIO, "GFP_NOIO"},
	{GFP_NOWAIT, "GFP_NOWAIT"},
	{GFP_DMA, "GFP_DMA"},
	{__GFP_HIGHMEM, "__GFP_HIGHMEM"},
	{GFP_DMA32, "GFP_DMA32"},
	{__GFP_HIGH, "__GFP_HIGH"},
	{__GFP_ATOMIC, "__GFP_ATOMIC"},
	{__GFP_IO, "__GFP_IO"},
	{__GFP_FS, "__GFP_FS"},
	{__GFP_NOWARN, "__GFP_NOWARN"},
	{__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"},
	{__GFP_NOFAIL, "__GFP_NOFAIL"},
	{__GFP_NORETRY, "__GFP_NORETRY"},
	{__GFP_COMP, "__GFP_COMP"},
	{__GFP_ZERO, "__GFP_ZERO"},
	{__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"},
	{__GFP_MEMALLOC, "__GFP_MEMALLOC"},
	{__GFP_HARDWALL, "__GFP_HARDWALL"},
	{__GFP_THISNODE, "__GFP_THISNODE"},
	{__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"},
	{__GFP_MOVABLE, "__GFP_MOVABLE"},
	{__GFP_ACCOUNT, "__GFP_ACCOUNT"},
	{__GFP_WRITE, "__GFP_WRITE"},
	{__GFP_RECLAIM, "__GFP_RECLAIM"},
	{__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"},
	{__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"},
};
#define NR_GFP_NAMES (sizeof(gfp_names) / sizeof(gfp_names[0]))

/* Also accepted by gfp_parse: the __GFP_ spelling of single-bit masks. */
static const struct {
	gfp_t mask;
	const char *name;
} gfp_aliases[] = {
	{__GFP_DMA, "__GFP_DMA"}, {__GFP_DMA32, "__GFP_DMA32"}, {GFP_DMA32, "GFP_DMA32"},
	{0, "0"},
};

char *gfp_format(gfp_t gfp, char *buf, size_t len)
{
	size_t used = 0;
	if (!len)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < NR_GFP_NAMES && gfp; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		gfp &= ~gfp_names[i].mask;
		int n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "", gfp_names[i].name);
		if (n < 0 || (size_t)n >= len - used)
			return buf;
		used += (size_t)n;
	}
	if (gfp)
		snprintf(buf + used, len - used, "%s%#x", used ? "|" : "", gfp);
	return buf;
}

static int lookup(const char *tok, gfp_t *out)
{
	for (size_t i = 0; i < NR_GFP_NAMES; i++)
		if (!strcmp(tok, gfp_names[i].name)) {
			*out = gfp_names[i].mask;
			return 0;
		}
	for (size_t i = 0; i < sizeof(gfp_aliases) / sizeof(gfp_aliases[0]); i++)
		if (!strcmp(tok, gfp_aliases[i].name)) {
			*out = gfp_aliases[i].mask;
			return 0;
		}
	if (tok[0] >= '0' && tok[0] <= '9') {
		char *end;
		unsigned long v = strtoul(tok, &end, 0);
		if (!*end && v <= 0xffffffffUL) {
			*out = (gfp_t)v;
			return 0;
		}
	}
	return -1;
}

int gfp_parse(const char *s, gfp_t *out, char *err, size_t errlen)
{
	gfp_t gfp = 0;
	const char *p = s;

	if (!s || !*s) {
		snprintf(err, errlen, "gfp: empty flags");
		return -1;
	}
	while (*p) {
		char tok[64];
		size_t n = strcspn(p, "|");
		gfp_t v;

		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		size_t k = n;
		while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
			k--;
		if (k == 0 || k >= sizeof(tok)) {
			snprintf(err, errlen, "gfp: empty or overlong flag in '%s'", s);
			return -1;
		}
		memcpy(tok, p, k);
		tok[k] = '\0';
		if (lookup(tok, &v) < 0) {
			snprintf(err, errlen, "gfp: unknown flag '%s'", tok);
			return -1;
		}
		gfp |= v;
		p += n;
		if (*p == '|') {
			p++;
			if (!*p) {
				snprintf(err, errlen, "gfp: trailing '|' in '%s'", s);
				return -1;
			}
		}
	}
	*out = gfp;
	return 0;
}
