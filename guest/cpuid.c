/* cpuid: what CPUID says about this CPU, in /proc/cpuinfo's words:
 * "vendor_id", "cpu family", "model", "model name", "stepping" lines and
 * one "flag NAME yes|no" line per well-known feature bit.  The e2e test
 * checks /proc/cpuinfo against it, natively and under mmsim. */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

struct flag {
	unsigned leaf, reg, bit; /* reg: 0 EAX 1 EBX 2 ECX 3 EDX */
	const char *name;
};

static const struct flag flags[] = {
	{ 1, 3, 0, "fpu" },	     { 1, 3, 4, "tsc" },	 { 1, 3, 8, "cx8" },
	{ 1, 3, 15, "cmov" },	     { 1, 3, 19, "clflush" },	 { 1, 3, 23, "mmx" },
	{ 1, 3, 24, "fxsr" },	     { 1, 3, 25, "sse" },	 { 1, 3, 26, "sse2" },
	{ 1, 2, 0, "pni" },	     { 1, 2, 9, "ssse3" },	 { 1, 2, 13, "cx16" },
	{ 1, 2, 19, "sse4_1" },	     { 1, 2, 20, "sse4_2" },	 { 1, 2, 23, "popcnt" },
	{ 1, 2, 25, "aes" },	     { 1, 2, 28, "avx" },	 { 0x80000001, 3, 11, "syscall" },
	{ 0x80000001, 3, 27, "rdtscp" }, { 0x80000001, 3, 29, "lm" }, { 0x80000001, 2, 0, "lahf_lm" },
	{ 0x80000001, 2, 5, "abm" }, { 7, 1, 3, "bmi1" },	 { 7, 1, 5, "avx2" },
	{ 7, 1, 8, "bmi2" },	     { 7, 1, 19, "adx" },
};

int main(void)
{
	unsigned r[4], max;
	char vendor[13] = { 0 }, brand[49] = { 0 };
	__cpuid(0, r[0], r[1], r[2], r[3]);
	max = r[0];
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	for (unsigned l = 0; l < 3; l++) {
		__cpuid(0x80000002 + l, r[0], r[1], r[2], r[3]);
		memcpy(brand + 16 * l, r, 16);
	}
	__cpuid(1, r[0], r[1], r[2], r[3]);
	unsigned family = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf;
	if (family == 0xf)
		family += (r[0] >> 20) & 0xff;
	if (family >= 6)
		model += ((r[0] >> 16) & 0xf) << 4;
	printf("vendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n", vendor,
	       family, model, brand, r[0] & 0xf);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		const struct flag *f = &flags[i];
		if (f->leaf < 0x80000000 && f->leaf > max)
			continue;
		__cpuid_count(f->leaf, 0, r[0], r[1], r[2], r[3]);
		printf("flag %s %s\n", f->name, (r[f->reg] >> f->bit) & 1 ? "yes" : "no");
	}
	return 0;
}
