/* sim/exec.c - the initial process image (Linux's load_elf_binary and
 * create_elf_tables), built in a fresh mm from a validated ELF image.
 *
 * Invariant: everything is written through the mm's own page tables
 * (access_process_vm), so the frames, faults and counters it causes are the
 * ones Linux would see while exec'ing: page-cache reads for the ELF pages
 * touched by padzero, anonymous pages for the stack.
 */
#include "sim/exec.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/prandom.h"
#include "mmu/memory.h"
#include "sim/elf_load.h"
#include "sim/sim.h"
#include "sim/sys_internal.h"

#define AT_MINSIGSTKSZ_VAL 2048 /* x86-64 without AVX-512 state */

static unsigned long prot_of(uint32_t pflags)
{
	return ((pflags & PF_R) ? PROT_READ : 0) | ((pflags & PF_W) ? PROT_WRITE : 0) |
	       ((pflags & PF_X) ? PROT_EXEC : 0);
}

/* Map one PT_LOAD at BIAS (Linux 6.x's elf_map + elf_load): the file part
 * with the segment's protection; the tail of its last file page zeroed
 * (padzero) when the segment is writable - Linux ignores a failed padzero
 * of a segment that is not, since clear_user cannot write there; the rest of
 * .bss anonymous memory from vm_brk_flags, which is read-write whatever the
 * segment says (executable too with PF_X).  Returns 0 or a negative errno
 * with ERR. */
static int map_segment(struct memsys *m, struct mm_struct *mm, const struct elf_segment *sg, uint64_t bias,
		       struct file_backing *file, char *err, size_t errlen)
{
	uint64_t va = sg->vaddr + bias;
	uint64_t start = va & PAGE_MASK;
	uint64_t off = sg->offset - (va - start);
	uint64_t file_end = va + sg->filesz;              /* end of file-backed bytes */
	uint64_t mem_end = va + sg->memsz;
	uint64_t map_end = PAGE_ALIGN(file_end);
	unsigned long prot = prot_of(sg->flags);
	uint64_t got;
	int r;

	if (sg->filesz) {
		r = vm_mmap(m, mm, start, map_end - start, prot, MAP_PRIVATE | MAP_FIXED, file, off, &got);
		if (r) {
			snprintf(err, errlen, "cannot map segment at 0x%llx: %s", (unsigned long long)start, strerror(-r));
			return r;
		}
		/* padzero: the bytes after filesz in the last file page belong to .bss */
		if (sg->memsz > sg->filesz && (file_end & ~PAGE_MASK) && (prot & PROT_WRITE)) {
			size_t n = PAGE_SIZE - (file_end & ~PAGE_MASK);
			uint8_t zero[PAGE_SIZE];
			memset(zero, 0, n);
			if (access_process_vm(m, mm, file_end, zero, n, true) != n) {
				snprintf(err, errlen, "cannot clear .bss tail at 0x%llx", (unsigned long long)file_end);
				return -EFAULT;
			}
		}
	} else {
		map_end = start;
	}
	if (mem_end > map_end) {
		uint64_t anon_end = PAGE_ALIGN(mem_end);
		unsigned long bss_prot = PROT_READ | PROT_WRITE | (prot & PROT_EXEC);
		r = vm_mmap(m, mm, map_end, anon_end - map_end, bss_prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
			    NULL, 0, &got);
		if (r) {
			snprintf(err, errlen, "cannot map .bss at 0x%llx: %s", (unsigned long long)map_end, strerror(-r));
			return r;
		}
	}
	return 0;
}

/* Where the PT_LOADs of an image landed (mm->start_code ... for the program). */
struct image_span {
	uint64_t start_code, end_code, start_data, end_data, end_bss;
};

/* Map every PT_LOAD of IMG from FILE at BIAS and note the span in *SP.
 * Returns 0 or a negative errno with ERR. */
static int map_image(struct memsys *m, struct mm_struct *mm, const struct elf_image *img, uint64_t bias,
		     struct file_backing *file, struct image_span *sp, char *err, size_t errlen)
{
	*sp = (struct image_span){ .start_code = UINT64_MAX };
	for (int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *sg = &img->seg[i];
		int r = map_segment(m, mm, sg, bias, file, err, errlen);
		if (r)
			return r;
		uint64_t va = sg->vaddr + bias;
		if ((sg->flags & PF_X) && va < sp->start_code)
			sp->start_code = va;
		if ((sg->flags & PF_X) && va + sg->filesz > sp->end_code)
			sp->end_code = va + sg->filesz;
		if (!(sg->flags & PF_X) && (sg->flags & PF_W) && !sp->start_data)
			sp->start_data = va;
		if (va + sg->filesz > sp->end_data)
			sp->end_data = va + sg->filesz;
		if (va + sg->memsz > sp->end_bss)
			sp->end_bss = va + sg->memsz;
	}
	return 0;
}

/* The load bias of ET_DYN image IMG: a program with an interpreter (a PIE)
 * goes at ELF_ET_DYN_BASE (Linux without randomization, as `setarch -R`),
 * aligned to its largest segment alignment; a static-PIE or an interpreter
 * where get_unmapped_area puts its whole span (top down from the mmap
 * base).  Returns 0 with *BIAS or -ENOMEM with ERR. */
static int et_dyn_bias(struct mm_struct *mm, const struct elf_image *img, bool pie_with_interp, uint64_t *bias,
		       char *err, size_t errlen)
{
	if (pie_with_interp) {
		uint64_t base = ELF_ET_DYN_BASE;
		if (img->max_align)
			base &= ~(img->max_align - 1);
		*bias = (base - img->seg[0].vaddr) & PAGE_MASK;
		return 0;
	}
	uint64_t base;
	if (get_unmapped_area(mm, 0, img->hi - img->lo, 0, &base)) {
		snprintf(err, errlen, "no room for a 0x%llx-byte position-independent image",
			 (unsigned long long)(img->hi - img->lo));
		return -ENOMEM;
	}
	*bias = base - img->lo;
	return 0;
}

/* Bytes of the strings of V[0..N) including their NULs. */
static size_t strings_size(const char *const *v, int n)
{
	size_t s = 0;
	for (int i = 0; i < n; i++)
		s += strlen(v[i]) + 1;
	return s;
}

int exec_build_mm(struct sim *s, struct mm_struct *mm, const struct elf_image *img, struct file_backing *file,
		  const struct exec_params *p, struct exec_layout *out, char *err, size_t errlen)
{
	struct memsys *m = s->mem;
	uint8_t *stk = NULL;
	uint64_t bias = 0;
	int r;

	memset(out, 0, sizeof *out);
	const char *execfn = p->execfn ? p->execfn : img->path;
	size_t argbytes = strings_size(p->argv, p->argc) + strings_size(p->envp, p->envc) + strlen(execfn) + 1;
	if (argbytes > EXEC_MAX_ARG_BYTES) {
		snprintf(err, errlen, "argument list too long (%zu bytes, limit %u)", argbytes, EXEC_MAX_ARG_BYTES);
		return -E2BIG;
	}

	const struct elf_image *interp = p->interp;
	if (img->pie && (r = et_dyn_bias(mm, img, img->interp[0] != 0, &bias, err, errlen)) != 0)
		goto err;
	struct image_span span;
	if ((r = map_image(m, mm, img, bias, file, &span, err, errlen)) != 0)
		goto err;
	mm->start_code = span.start_code == UINT64_MAX ? 0 : span.start_code;
	mm->end_code = span.end_code;
	mm->start_data = span.start_data ? span.start_data : span.end_code;
	mm->end_data = span.end_data;
	mm_set_brk(mm, span.end_bss);

	/* The stack: arguments + 128 KiB, grows down on demand. */
	uint64_t top = STACK_TOP;
	/* setup_arg_pages: the pages the strings reach below the top NULL word, then 128 KiB more */
	uint64_t stack_size = PAGE_ALIGN(argbytes + 8) + EXEC_STACK_INITIAL;
	r = mm_setup_stack(m, mm, top, stack_size);
	if (r) {
		snprintf(err, errlen, "cannot set up the stack: %s", strerror(-r));
		goto err;
	}

	/* The interpreter (load_elf_interp): its whole span where
	 * get_unmapped_area puts it, below the mmap base; it is the entry. */
	uint64_t interp_bias = 0, entry = img->entry + bias;
	if (interp) {
		struct image_span isp;
		if (interp->pie && (r = et_dyn_bias(mm, interp, false, &interp_bias, err, errlen)) != 0)
			goto err;
		if ((r = map_image(m, mm, interp, interp_bias, p->interp_file, &isp, err, errlen)) != 0)
			goto err;
		entry = interp->entry + interp_bias;
	}

	/* Lay the stack out in a host buffer, then copy it in one go. */
	size_t nptr = (size_t)p->argc + 1 + (size_t)p->envc + 1;
	size_t stk_len = argbytes + 64 + 16 + 16 + 8 * (1 + nptr + 2 * 24) + 64;
	stk_len = (stk_len + 15) & ~(size_t)15;
	stk = calloc(1, stk_len);
	if (!stk) {
		snprintf(err, errlen, "out of host memory building the stack");
		r = -ENOMEM;
		goto err;
	}
	uint64_t lo = top - stk_len; /* guest address of stk[0] */
	uint64_t sp = top - 8;       /* Linux leaves one NULL word at the very top */
#define PUT_STR(str)                                         \
	do {                                                 \
		size_t l_ = strlen(str) + 1;                 \
		sp -= l_;                                    \
		memcpy(stk + (sp - lo), (str), l_);          \
	} while (0)
	PUT_STR(execfn);
	uint64_t execfn_at = sp;
	uint64_t *envp_at = calloc((size_t)p->envc + 1, 8), *argv_at = calloc((size_t)p->argc + 1, 8);
	if (!envp_at || !argv_at) {
		free(envp_at);
		free(argv_at);
		snprintf(err, errlen, "out of host memory building the stack");
		r = -ENOMEM;
		goto err;
	}
	for (int i = p->envc - 1; i >= 0; i--) {
		PUT_STR(p->envp[i]);
		envp_at[i] = sp;
	}
	for (int i = p->argc - 1; i >= 0; i--) {
		PUT_STR(p->argv[i]);
		argv_at[i] = sp;
	}
	uint64_t arg_start = p->argc ? argv_at[0] : sp;
	uint64_t env_start = p->envc ? envp_at[0] : execfn_at;
	sp &= ~15ULL;
	PUT_STR("x86_64");
	uint64_t platform_at = sp;
	uint64_t seed = p->random_seed;
	uint64_t rnd[2] = { splitmix64(&seed), splitmix64(&seed) };
	sp -= 16;
	memcpy(stk + (sp - lo), rnd, 16);
	uint64_t random_at = sp;
	sp &= ~15ULL;
#undef PUT_STR
	uint64_t auxv[] = {
		AT_MINSIGSTKSZ, AT_MINSIGSTKSZ_VAL,
		AT_HWCAP, cpuid_1_edx(),
		AT_PAGESZ, PAGE_SIZE,
		AT_CLKTCK, 100,
		AT_PHDR, img->phdr_vaddr + bias,
		AT_PHENT, img->phentsize,
		AT_PHNUM, img->phnum,
		AT_BASE, interp_bias,
		AT_FLAGS, 0,
		AT_ENTRY, img->entry + bias,
		AT_UID, p->uid,
		AT_EUID, p->uid,
		AT_GID, p->gid,
		AT_EGID, p->gid,
		AT_SECURE, 0,
		AT_RANDOM, random_at,
		AT_HWCAP2, 0,
		AT_EXECFN, execfn_at,
		AT_PLATFORM, platform_at,
		AT_NULL, 0,
	};
	size_t words = 1 + nptr + sizeof auxv / 8;
	sp -= words * 8;
	sp &= ~15ULL; /* the ABI: RSP 16-byte aligned at _start */
	uint64_t *w = (uint64_t *)(stk + (sp - lo));
	size_t k = 0;
	w[k++] = (uint64_t)p->argc;
	for (int i = 0; i < p->argc; i++)
		w[k++] = argv_at[i];
	w[k++] = 0;
	for (int i = 0; i < p->envc; i++)
		w[k++] = envp_at[i];
	w[k++] = 0;
	memcpy(&w[k], auxv, sizeof auxv);
	free(envp_at);
	free(argv_at);
	if (sp < lo) {
		snprintf(err, errlen, "internal error: initial stack overflowed its buffer");
		r = -E2BIG;
		goto err;
	}
	size_t used = (size_t)(top - sp);
	if (access_process_vm(m, mm, sp, stk + (sp - lo), used, true) != used) {
		snprintf(err, errlen, "cannot write the initial stack (out of simulated memory?)");
		r = -ENOMEM;
		goto err;
	}
	mm->arg_start = arg_start;
	out->entry = entry;
	out->interp_base = interp_bias;
	out->sp = sp;
	out->load_bias = bias;
	out->phdr = img->phdr_vaddr + bias;
	out->start_brk = mm->start_brk;
	out->stack_top = top;
	mm->arg_end = env_start;
	mm->env_start = env_start;
	mm->env_end = execfn_at;
	free(stk);
	return 0;
err:
	free(stk);
	return r;
}
