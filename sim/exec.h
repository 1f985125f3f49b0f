/* sim/exec.h - building a new process image (Linux: fs/binfmt_elf.c
 * load_elf_binary, create_elf_tables; fs/exec.c setup_arg_pages).
 *
 * exec_build_mm() fills an empty mm (mm_alloc) from a validated ELF image:
 *   - each PT_LOAD as a private file-backed VMA over the executable's page
 *     cache (vm_mmap MAP_PRIVATE|MAP_FIXED), the tail of the last file page
 *     of a segment zeroed (padzero: a COW fault, as on Linux) and the rest of
 *     .bss anonymous memory;
 *   - a PIE (ET_DYN with PT_INTERP) at ELF_ET_DYN_BASE, a static-PIE placed
 *     by get_unmapped_area, as Linux does without address randomization;
 *   - the ELF interpreter (ld.so) of a dynamically linked program, its
 *     span placed by get_unmapped_area below the mmap base; the entry point
 *     is then its entry and AT_BASE its load address;
 *   - the brk area starting at the page-aligned end of .bss;
 *   - the "[stack]" VMA (grows down, guard gap) at STACK_TOP holding, top
 *     down: AT_EXECFN string, envp and argv strings, "x86_64", 16 AT_RANDOM
 *     bytes, then (16-byte aligned) argc, argv[], NULL, envp[], NULL, auxv.
 * Nothing touches the engine: the caller creates one and starts it with
 * engine_exec_start(entry, sp).
 */
#ifndef MMSIM_SIM_EXEC_H
#define MMSIM_SIM_EXEC_H

#include <stddef.h>
#include <stdint.h>

struct sim;
struct mm_struct;
struct elf_image;
struct file_backing;
struct engine;

#define EXEC_MAX_ARG_BYTES (128u * 1024) /* argv + envp strings (Linux: 1/4 of the 8 MiB stack limit, 2 MiB; smaller here) */
#define EXEC_STACK_INITIAL (128u * 1024) /* first stack VMA size beyond the arguments */
/* Where a PIE is loaded: 2/3 of the 47-bit address space (Linux's x86-64
 * ELF_ET_DYN_BASE; 0x555555554000, as every `setarch -R` run shows). */
#define ELF_ET_DYN_BASE ((0x00007ffffffff000ULL / 3 * 2) & ~0xfffULL)

struct exec_params {
	const char *const *argv;
	int argc;
	const char *const *envp;
	int envc;
	const char *execfn;      /* AT_EXECFN: the path as given to exec */
	uint32_t uid, gid;       /* AT_UID/AT_EUID, AT_GID/AT_EGID */
	uint64_t random_seed;    /* AT_RANDOM's 16 bytes derive from it (use cfg.seed mixed with the pid) */
	const struct elf_image *interp;    /* the program's ELF interpreter, or NULL */
	struct file_backing *interp_file;  /* its page cache */
	const char *interp_error;          /* the interpreter fails after the point of no return (why), or NULL */
};

struct exec_layout {
	uint64_t entry;          /* initial RIP (e_entry + load_bias) */
	uint64_t sp;             /* initial RSP: points at argc */
	uint64_t load_bias;      /* 0 for ET_EXEC */
	uint64_t interp_base;    /* AT_BASE: the interpreter's load bias (0: none) */
	uint64_t phdr;           /* AT_PHDR */
	uint64_t start_brk;
	uint64_t stack_top;
};

/* Build the image of IMG in the empty MM.  FILE is the executable's page
 * cache (the vfs's backing for the path, vfs_file_backing(), which also
 * warms it under page_cache=warm).  Returns 0 and fills *OUT, or a negative errno (-ENOMEM: no
 * simulated memory or address space, -E2BIG: arguments larger than
 * EXEC_MAX_ARG_BYTES) with a one-line message in ERR.  On failure MM may be
 * partly filled: mmput() it. */
int exec_build_mm(struct sim *s, struct mm_struct *mm, const struct elf_image *img, struct file_backing *file,
		  const struct exec_params *p, struct exec_layout *out, char *err, size_t errlen);

/* Reset E's CPU to the state Linux's start_thread leaves: every general
 * register 0, RIP = ENTRY, RSP = SP, RFLAGS = 0x202, FS/GS base 0, default
 * x87/SSE control words.  (Implemented in sim/engine.c.) */
void engine_exec_start(struct engine *e, uint64_t entry, uint64_t sp);

#endif
