/* tests/sim/test_elf_load.c - ELF validation: every malformed input gets a
 * one-line message naming the problem; good static binaries load. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/elf_load.h"

/* A minimal valid static ET_EXEC: one R+X PT_LOAD at 0x400000. */
static uint8_t *make_elf(size_t *size)
{
	size_t sz = 0x2000;
	uint8_t *d = calloc(1, sz);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)d;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x401000;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 2;
	Elf64_Phdr *ph = (Elf64_Phdr *)(d + eh->e_phoff);
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0x400000,
			      .p_filesz = 0x2000, .p_memsz = 0x2000, .p_align = 0x1000 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x1000, .p_vaddr = 0x403000,
			      .p_filesz = 0x100, .p_memsz = 0x5000, .p_align = 0x1000 };
	*size = sz;
	return d;
}

static Elf64_Ehdr *EH(uint8_t *d) { return (Elf64_Ehdr *)d; }
static Elf64_Phdr *PH(uint8_t *d, int i) { return (Elf64_Phdr *)(d + sizeof(Elf64_Ehdr)) + i; }

/* Load D and expect refusal RC with NEEDLE in the message. */
static void expect_refusal(uint8_t *d, size_t size, int rc, const char *needle)
{
	struct elf_image img;
	char err[256] = "";
	assert_int_equal(elf_image_from_memory("t.elf", d, size, &img, err, sizeof err), rc);
	if (!strstr(err, needle))
		fail_msg("message '%s' does not mention '%s'", err, needle);
	assert_non_null(strstr(err, "t.elf: "));
	assert_null(strchr(err, '\n'));
}

/* Load D and expect ELF_INVALID (Linux refuses it too). */
static void expect_fail(uint8_t *d, size_t size, const char *needle)
{
	expect_refusal(d, size, ELF_INVALID, needle);
}

static void test_good(void **state)
{
	(void)state;
	size_t sz;
	uint8_t *d = make_elf(&sz);
	struct elf_image img;
	char err[256];
	assert_int_equal(elf_image_from_memory("t.elf", d, sz, &img, err, sizeof err), 0);
	assert_int_equal(img.nr_segments, 2);
	assert_false(img.pie);
	assert_int_equal(img.entry, 0x401000);
	assert_int_equal(img.phdr_vaddr, 0x400040);
	assert_int_equal(img.lo, 0x400000);
	assert_int_equal(img.hi, 0x408000);
	elf_image_free(&img);
}

static void test_bad(void **state)
{
	(void)state;
	size_t sz;
	uint8_t *d;
	d = make_elf(&sz); expect_fail(d, 0, "empty");
	d = make_elf(&sz); d[1] = 'X'; expect_fail(d, sz, "bad magic");
	d = make_elf(&sz); expect_fail(d, 20, "truncated ELF header");
	d = make_elf(&sz); d[EI_CLASS] = ELFCLASS32; expect_fail(d, sz, "ELF32");
	d = make_elf(&sz); d[EI_DATA] = ELFDATA2MSB; expect_fail(d, sz, "little-endian");
	d = make_elf(&sz); EH(d)->e_machine = EM_AARCH64; expect_fail(d, sz, "wrong machine");
	d = make_elf(&sz); EH(d)->e_type = ET_REL; expect_fail(d, sz, "ET_REL");
	d = make_elf(&sz); EH(d)->e_phnum = 0; expect_fail(d, sz, "no program headers");
	d = make_elf(&sz); EH(d)->e_phoff = sz - 8; expect_fail(d, sz, "beyond end of file");
	d = make_elf(&sz); PH(d, 0)->p_type = PT_NOTE; PH(d, 1)->p_type = PT_NOTE; expect_fail(d, sz, "no PT_LOAD");
	d = make_elf(&sz); expect_fail(d, 0x1800, "truncated?");
	d = make_elf(&sz); PH(d, 1)->p_filesz = 0x6000; expect_fail(d, sz, "larger than memory size");
	d = make_elf(&sz); PH(d, 1)->p_vaddr = 0x401000; expect_fail(d, sz, "overlaps");
	d = make_elf(&sz); PH(d, 1)->p_memsz = 0xfffffffffff00000ULL; expect_fail(d, sz, "does not fit");
	d = make_elf(&sz); PH(d, 1)->p_vaddr = 0x7ffffffff000ULL; expect_fail(d, sz, "does not fit");
	d = make_elf(&sz); PH(d, 1)->p_vaddr = 0x403123; expect_fail(d, sz, "modulo the page size");
	d = make_elf(&sz); PH(d, 0)->p_vaddr = 0; PH(d, 1)->p_vaddr = 0x3000; EH(d)->e_entry = 0x1000;
	expect_fail(d, sz, "mmap_min_addr");
	d = make_elf(&sz); EH(d)->e_entry = 0x404000; expect_fail(d, sz, "entry point");
	d = make_elf(&sz); PH(d, 1)->p_type = PT_INTERP; PH(d, 1)->p_filesz = 1; expect_fail(d, sz, "PT_INTERP of 1 bytes");
	d = make_elf(&sz); PH(d, 1)->p_type = PT_INTERP; PH(d, 1)->p_filesz = 5000; expect_fail(d, sz, "PT_INTERP of 5000");
	d = make_elf(&sz); PH(d, 1)->p_type = PT_INTERP; d[0x1000 + 0xff] = 'x'; expect_fail(d, sz, "not NUL-terminated");
	d = make_elf(&sz); PH(d, 1)->p_type = PT_INTERP; PH(d, 1)->p_offset = 0x1f80;
	expect_refusal(d, sz, ELF_IO, "PT_INTERP [0x1f80, +0x100) beyond end of file");
	assert_int_equal(elf_refusal_errno(ELF_IO), EIO);
	assert_int_equal(elf_refusal_errno(ELF_BAD_INTERP), ELIBBAD);
	d = make_elf(&sz); d[EI_CLASS] = ELFCLASS32; EH(d)->e_machine = EM_386;
	expect_refusal(d, sz, ELF_UNSUPPORTED, "32-bit i386");
	assert_int_equal(elf_refusal_errno(ELF_INVALID), ENOEXEC);
	assert_true(elf_refusal_is_limitation(ELF_UNSUPPORTED));
	assert_false(elf_refusal_is_limitation(ELF_INVALID));
	d = make_elf(&sz); EH(d)->e_phentsize = 32; expect_fail(d, sz, "program header size");
}

/* Interpreter checks: ELIBBAD before the point of no return, ELF_LATE after. */
static void test_interp(void **state)
{
	(void)state;
	size_t sz;
	uint8_t *d;
	struct elf_image img;
	char err[256];
	d = make_elf(&sz); EH(d)->e_type = ET_DYN;
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), 0);
	assert_true(img.pie);
	assert_int_equal(img.max_align, 0x1000);
	elf_image_free(&img);
	d = make_elf(&sz); d[1] = 'X';
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), ELF_BAD_INTERP);
	d = make_elf(&sz); EH(d)->e_machine = EM_AARCH64;
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), ELF_BAD_INTERP);
	d = make_elf(&sz); EH(d)->e_phentsize = 32;
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), ELF_BAD_INTERP);
	d = make_elf(&sz); EH(d)->e_type = ET_REL;
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), ELF_LATE);
	d = make_elf(&sz); PH(d, 1)->p_vaddr = 0x401000;
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), ELF_LATE);
	d = make_elf(&sz); PH(d, 0)->p_type = PT_NOTE; PH(d, 1)->p_type = PT_NOTE;
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), ELF_LATE);
	/* its own PT_INTERP is ignored */
	d = make_elf(&sz); PH(d, 1)->p_type = PT_INTERP; PH(d, 1)->p_filesz = 1; PH(d, 0)->p_align = 0x200000;
	assert_int_equal(elf_interp_from_memory("ld.so", d, sz, &img, err, sizeof err), 0);
	assert_int_equal(img.interp[0], 0);
	assert_int_equal(img.max_align, 0x200000);
	elf_image_free(&img);
	/* a program's PT_INTERP path */
	d = make_elf(&sz); PH(d, 1)->p_type = PT_INTERP; PH(d, 1)->p_filesz = 8; memcpy(d + 0x1000, "/ld.so", 7);
	assert_int_equal(elf_image_from_memory("t.elf", d, sz, &img, err, sizeof err), 0);
	assert_string_equal(img.interp, "/ld.so");
	elf_image_free(&img);
}

static void test_fuzz_truncations(void **state)
{
	(void)state;
	/* Every truncation of a valid file is refused cleanly or loads. */
	size_t sz;
	for (size_t cut = 0; cut < 0x2000; cut += 7) {
		uint8_t *d = make_elf(&sz);
		struct elf_image img;
		char err[256];
		if (elf_image_from_memory("t.elf", d, cut, &img, err, sizeof err) == 0)
			elf_image_free(&img);
		else
			assert_non_null(strstr(err, "t.elf: "));
	}
}

static void test_files(void **state)
{
	(void)state;
	struct elf_image img;
	char err[256];
	assert_int_equal(elf_image_load("/nonexistent/x", &img, err, sizeof err), -1);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(elf_image_load("/", &img, err, sizeof err), -1);
	assert_non_null(strstr(err, "directory"));
	/* Debian's busybox-static (glibc, static-PIE or ET_EXEC) must load. */
	if (elf_image_load("/bin/busybox", &img, err, sizeof err) == 0) {
		assert_true(img.nr_segments >= 2);
		elf_image_free(&img);
	} else {
		fail_msg("%s", err);
	}
	/* A dynamic host binary loads and names its interpreter. */
	assert_int_equal(elf_image_load("/bin/sh", &img, err, sizeof err), 0);
	assert_string_equal(img.interp, "/lib64/ld-linux-x86-64.so.2");
	elf_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_interp),
		cmocka_unit_test(test_fuzz_truncations),
		cmocka_unit_test(test_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
