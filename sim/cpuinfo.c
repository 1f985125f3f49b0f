/* sim/cpuinfo.c - /proc/cpuinfo: the simulated CPUs in Linux's format
 * (arch/x86/kernel/cpu/proc.c, show_cpuinfo), decoded from the CPUID the
 * guest sees.
 *
 * The guest's CPUID is Unicorn 2.0.1's default x86-64 model (QEMU's
 * "qemu64": AuthenticAMD, family 6 model 6 stepping 3, "QEMU Virtual CPU
 * version 2.5+") with three bits Unicorn leaves out although it emulates
 * them: fpu and mmx (CPUID 1 EDX) and syscall (0x80000001 EDX).  Without
 * the first two glibc's ld.so finds the CPU below the x86-64 baseline ISA
 * that Debian's libraries are marked with ("CPU ISA level is lower than
 * required"); cpuid_insn_hook() answers those two leaves from the tables
 * below, every other leaf is Unicorn's.  Its registers are below, as a
 * static guest reads them under mmsim (tests/e2e/devproc.sh checks that
 * they still agree); flags are named and ordered as Linux does
 * (capability words 0, 1, 3, 4, 6, 9).
 * There is no TSC bit, so, as Linux, no "cpu MHz" line; bogomips is twice
 * the simulated 1 GHz (1 instruction = 1 ns).
 */
#include <stdint.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "mm/proc.h"
#include "sim/sys_internal.h"

#define SIM_NR_CPUS (s->cfg.cpus > 0 ? s->cfg.cpus : 1) /* --cpus */

/* CPUID leaves of the emulated CPU: EAX, EBX, ECX, EDX. */
static const uint32_t cpuid_0[4] = { 0x0000000d, 0x68747541, 0x444d4163, 0x69746e65 };
static const uint32_t cpuid_1[4] = { 0x00000663, 0x00000800, 0x02182200, 0x07888101 };
static const uint32_t cpuid_7[4] = { 0x00000000, 0x00180108, 0x00000000, 0x00000000 };
static const uint32_t cpuid_80000001[4] = { 0x00000663, 0x00000000, 0x00001031, 0xa8000800 };
static const uint32_t cpuid_80000006[4] = { 0x00000000, 0x42004200, 0x02008140, 0x00000000 };
static const uint32_t cpuid_80000008[4] = { 0x00003028, 0x00000000, 0x00000000, 0x00000000 };
static const char cpu_brand[] = "QEMU Virtual CPU version 2.5+";

int cpuid_insn_hook(void *uc, void *user)
{
	(void)user;
	uint64_t leaf = 0;
	const uint32_t *r;
	uc_reg_read(uc, UC_X86_REG_RAX, &leaf);
	switch ((uint32_t)leaf) {
	case 1: r = cpuid_1; break;
	case 0x80000001: r = cpuid_80000001; break;
	default: return 0; /* Unicorn answers */
	}
	uint64_t v[4] = { r[0], r[1], r[2], r[3] };
	uc_reg_write(uc, UC_X86_REG_RAX, &v[0]);
	uc_reg_write(uc, UC_X86_REG_RBX, &v[1]);
	uc_reg_write(uc, UC_X86_REG_RCX, &v[2]);
	uc_reg_write(uc, UC_X86_REG_RDX, &v[3]);
	return 1;
}

uint32_t cpuid_1_edx(void)
{
	return cpuid_1[3];
}

/* Linux's names of the 32 bits of one capability word ("" = not shown). */
static const char *const word0[32] = { /* CPUID 1 EDX */
	"fpu",  "vme",  "de",    "pse",     "tsc", "msr",  "pae",  "mce",  "cx8",  "apic", "",
	"sep",  "mtrr", "pge",   "mca",     "cmov", "pat", "pse36", "pn",  "clflush", "", "dts",
	"acpi", "mmx",  "fxsr",  "sse",     "sse2", "ss",  "ht",   "tm",   "ia64", "pbe"
};
static const char *const word1[32] = { /* CPUID 0x80000001 EDX (AMD-defined) */
	[11] = "syscall", [19] = "mp",	   [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
	[26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow"
};
static const char *const word4[32] = { /* CPUID 1 ECX */
	"pni",	   "pclmulqdq", "dtes64", "monitor",	"ds_cpl", "vmx",  "smx",    "est",
	"tm2",	   "ssse3",	"cid",	  "sdbg",	"fma",	  "cx16", "xtpr",   "pdcm",
	"",	   "pcid",	"dca",	  "sse4_1",	"sse4_2", "x2apic", "movbe", "popcnt",
	"tsc_deadline_timer", "aes", "xsave", "",	"avx",	  "f16c", "rdrand", "hypervisor"
};
static const char *const word6[32] = { /* CPUID 0x80000001 ECX */
	"lahf_lm", "cmp_legacy", "svm",	   "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
	"3dnowprefetch", "osvw", "ibs",	   "xop",     "skinit",	    "wdt", "",	    "lwp",
	"fma4",	   "tce",	 "",	   "nodeid_msr", "",	    "tbm", "topoext", "perfctr_core",
	"perfctr_nb", "",	 "bpext",  "ptsc",    "perfctr_llc", "mwaitx", "",  ""
};
static const char *const word9[32] = { /* CPUID 7.0 EBX */
	"fsgsbase", "tsc_adjust", "sgx",      "bmi1",	   "hle",      "avx2",	   "",	      "smep",
	"bmi2",	    "erms",	  "invpcid",  "rtm",	   "cqm",      "",	   "mpx",     "rdt_a",
	"avx512f",  "avx512dq",	  "rdseed",   "adx",	   "smap",     "avx512ifma", "",      "clflushopt",
	"clwb",	    "intel_pt",	  "avx512pf", "avx512er",  "avx512cd", "sha_ni",   "avx512bw", "avx512vl"
};

/* Append the names of the bits set in REG. */
static void show_word(struct strbuf *sb, const char *const names[32], uint32_t reg)
{
	for (int b = 0; b < 32; b++)
		if ((reg >> b) & 1 && names[b] && names[b][0])
			sb_printf(sb, " %s", names[b]);
}

void proc_cpuinfo(struct sim *s, struct strbuf *sb)
{
	(void)s;
	char vendor[13];
	memcpy(vendor, &cpuid_0[1], 4);
	memcpy(vendor + 4, &cpuid_0[3], 4);
	memcpy(vendor + 8, &cpuid_0[2], 4);
	vendor[12] = '\0';
	uint32_t sig = cpuid_1[0];
	unsigned family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf, stepping = sig & 0xf;
	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 0x6)
		model += ((sig >> 16) & 0xf) << 4;
	unsigned clflush = ((cpuid_1[1] >> 8) & 0xff) * 8;
	for (int cpu = 0; cpu < SIM_NR_CPUS; cpu++) {
		sb_printf(sb, "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n", cpu, vendor, family,
			  model);
		sb_printf(sb, "model name\t: %s\nstepping\t: %u\n", cpu_brand, stepping);
		sb_printf(sb, "cache size\t: %u KB\n", cpuid_80000006[2] >> 16);
		sb_printf(sb, "physical id\t: 0\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\n", SIM_NR_CPUS, cpu,
			  SIM_NR_CPUS);
		sb_printf(sb, "apicid\t\t: %d\ninitial apicid\t: %d\n", cpu, cpu);
		sb_printf(sb, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n", cpuid_0[0]);
		sb_printf(sb, "flags\t\t:");
		show_word(sb, word0, cpuid_1[3]);
		show_word(sb, word1, cpuid_80000001[3]);
		sb_printf(sb, " nopl cpuid"); /* Linux's synthetic word 3: x86-64, CPUID present */
		show_word(sb, word4, cpuid_1[2]);
		show_word(sb, word6, cpuid_80000001[2]);
		show_word(sb, word9, cpuid_7[1]);
		sb_printf(sb, "\nbugs\t\t:\nbogomips\t: 2000.00\n");
		sb_printf(sb, "clflush size\t: %u\ncache_alignment\t: %u\n", clflush, clflush);
		sb_printf(sb, "address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
			  cpuid_80000008[0] & 0xff, (cpuid_80000008[0] >> 8) & 0xff);
	}
}
