/* sim/elf_load.h - reading and validating x86-64 ELF executables and ELF
 * interpreters (ld.so).
 *
 * elf_image_load() reads a whole file, checks it with libelf plus mmsim's own
 * bounds checks, and describes what exec must map: the PT_LOAD segments, the
 * entry point, where the program headers live in memory (AT_PHDR), whether
 * the file is position independent (ET_DYN: a PIE or a static-PIE) and the
 * interpreter a dynamically linked program names (PT_INTERP, as Linux's
 * load_elf_binary reads it: 2..PATH_MAX bytes ending in a NUL).
 * Every refusal is one line naming the file and the problem ("FILE: no
 * PT_LOAD segment").
 *
 * A refusal says whose limit it is: ELF_INVALID for a file Linux refuses too
 * (execve's ENOEXEC), ELF_IO for a PT_INTERP past the end of the file
 * (Linux's short read: EIO), ELF_UNSUPPORTED for a program Linux runs but
 * mmsim cannot (32-bit i386, more than ELF_MAX_SEGMENTS PT_LOADs);
 * elf_refusal_errno() gives the guest's errno.  An interpreter is checked by
 * elf_interp_from_memory(): ELF_BAD_INTERP for what Linux refuses before
 * the point of no return (ELIBBAD: bad magic, another machine, unreadable
 * program headers), ELF_LATE for what makes load_elf_interp() fail after it
 * (the task is killed with SIGSEGV).
 */
#ifndef MMSIM_SIM_ELF_LOAD_H
#define MMSIM_SIM_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mm_types.h"

#define ELF_MAX_SEGMENTS 16          /* PT_LOADs we accept */
#define ELF_MAX_FILE_SIZE (1ULL << 30) /* 1 GiB */
#define ELF_MMAP_MIN_ADDR 0x10000ULL /* vm.mmap_min_addr */
#define ELF_INTERP_MAX 4096          /* PATH_MAX: the longest PT_INTERP Linux reads */

struct elf_segment {
	uint64_t vaddr;     /* p_vaddr (before the PIE load bias) */
	uint64_t memsz, filesz;
	uint64_t offset;    /* p_offset */
	uint32_t flags;     /* PF_R | PF_W | PF_X */
	uint64_t align;
};

struct elf_image {
	char path[256];
	uint8_t *data;      /* whole file (malloc'ed, owned) */
	size_t size;
	bool pie;           /* ET_DYN static-PIE: add a load bias */
	uint64_t entry;     /* e_entry (before the load bias) */
	uint64_t phdr_vaddr;/* p_vaddr of the program headers (AT_PHDR - bias) */
	uint16_t phnum, phentsize;
	int nr_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	uint64_t lo, hi;    /* page-rounded span of all PT_LOADs (before bias) */
	bool exec_stack;    /* PT_GNU_STACK with PF_X */
	uint64_t tls_memsz; /* PT_TLS size, 0 if none */
	uint64_t max_align; /* Linux's maximum_alignment(): largest power-of-two p_align, page-rounded */
	char interp[ELF_INTERP_MAX]; /* PT_INTERP path ("" for a static program) */
};

#define ELF_INVALID (-1)     /* not a valid x86-64 executable, for Linux either */
#define ELF_UNSUPPORTED (-2) /* valid for Linux, beyond mmsim (32-bit, segment count) */
#define ELF_BAD_INTERP (-3)  /* an interpreter Linux refuses before the point of no return (ELIBBAD) */
#define ELF_LATE (-4)        /* an interpreter load_elf_interp() fails to map: SIGSEGV after the point of no return */
#define ELF_IO (-5)          /* PT_INTERP beyond the end of the file (EIO) */

/* Read PATH and validate it.  Returns 0, or ELF_INVALID / ELF_UNSUPPORTED /
 * ELF_IO with a one-line message "PATH: problem" in ERR (IMG is then
 * empty).  A host file that cannot be read is ELF_INVALID. */
int elf_image_load(const char *path, struct elf_image *img, char *err, size_t errlen);

/* Validate the file image DATA[0..SIZE) named NAME; takes ownership of DATA
 * (malloc'ed) on success and on failure.  Same result as elf_image_load. */
int elf_image_from_memory(const char *name, uint8_t *data, size_t size, struct elf_image *img,
			  char *err, size_t errlen);

/* Validate DATA[0..SIZE) (named NAME) as an ELF interpreter: its own
 * PT_INTERP is ignored, as Linux does.  Takes ownership of DATA.  Returns 0,
 * ELF_BAD_INTERP or ELF_LATE with a one-line message in ERR. */
int elf_interp_from_memory(const char *name, uint8_t *data, size_t size, struct elf_image *img, char *err,
			   size_t errlen);

/* The errno execve returns for refusal RC: ENOEXEC, EIO for ELF_IO, ELIBBAD
 * for ELF_BAD_INTERP (execve(2): "an ELF interpreter was not in a
 * recognized format"). */
int elf_refusal_errno(int rc);

/* True when refusal RC is mmsim's limitation, not the program's fault. */
bool elf_refusal_is_limitation(int rc);

/* Free the file copy. */
void elf_image_free(struct elf_image *img);

#endif
