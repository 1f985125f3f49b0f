/* sim/elf_load.c - read and validate x86-64 executables and ELF interpreters (libelf).
 *
 * The checks follow what Linux's load_elf_binary() refuses, plus bounds
 * checks libelf leaves to the caller, so a hostile or truncated file can
 * only ever produce a one-line message.
 */
#include "sim/elf_load.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096ULL

/* Write "NAME: fmt..." into ERR; returns -1. */
static int fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", name, msg);
	return -1;
}

void elf_image_free(struct elf_image *img)
{
	free(img->data);
	memset(img, 0, sizeof *img);
}

/* Check the identification bytes.  Returns 0, or ELF_INVALID or
 * ELF_UNSUPPORTED with ERR. */
static int check_ident(const char *name, const uint8_t *d, size_t size, char *err, size_t errlen)
{
	if (size == 0)
		return fail(err, errlen, name, "empty file, not an ELF executable");
	if (size < 4 || memcmp(d, ELFMAG, SELFMAG) != 0)
		return fail(err, errlen, name, "not an ELF file nor a #! script (bad magic)");
	if (size < EI_NIDENT)
		return fail(err, errlen, name, "truncated ELF header (%zu bytes)", size);
	if (d[EI_CLASS] == ELFCLASS32 && size >= 20 && d[18] == EM_386 && d[19] == 0) {
		fail(err, errlen, name, "32-bit i386 programs are not supported (ELF32, EM_386)");
		return ELF_UNSUPPORTED; /* Linux runs them (IA32 emulation) */
	}
	if (d[EI_CLASS] != ELFCLASS64)
		return fail(err, errlen, name, "wrong ELF class %s, only 64-bit x86-64 is supported",
			    d[EI_CLASS] == ELFCLASS32 ? "ELF32" : "(invalid)");
	if (d[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, name, "not little-endian (EI_DATA %u)", d[EI_DATA]);
	if (d[EI_VERSION] != EV_CURRENT)
		return fail(err, errlen, name, "bad ELF version %u", d[EI_VERSION]);
	if (size < sizeof(Elf64_Ehdr))
		return fail(err, errlen, name, "truncated ELF header (%zu of %zu bytes)", size,
			    sizeof(Elf64_Ehdr));
	return 0;
}

/* Check one PT_LOAD against the file and the address space.  Returns 0 or
 * -1 with ERR. */
static int check_load(const char *name, int i, const GElf_Phdr *ph, size_t size, bool pie, char *err,
		      size_t errlen)
{
	if (ph->p_filesz > ph->p_memsz)
		return fail(err, errlen, name, "segment %d: file size 0x%llx larger than memory size 0x%llx", i,
			    (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return fail(err, errlen, name, "segment %d: file data [0x%llx, +0x%llx) beyond end of file (%zu bytes): truncated?",
			    i, (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz, size);
	if (ph->p_memsz == 0)
		return 0;
	if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)))
		return fail(err, errlen, name, "segment %d: alignment 0x%llx is not a power of two", i,
			    (unsigned long long)ph->p_align);
	if ((ph->p_vaddr - ph->p_offset) % PAGE)
		return fail(err, errlen, name, "segment %d: address 0x%llx and file offset 0x%llx differ modulo the page size",
			    i, (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_offset);
	if (ph->p_memsz > TASK_SIZE_MAX || ph->p_vaddr > TASK_SIZE_MAX - ph->p_memsz)
		return fail(err, errlen, name, "segment %d: [0x%llx, +0x%llx) does not fit in the user address space",
			    i, (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_memsz);
	if (!pie && ph->p_vaddr < ELF_MMAP_MIN_ADDR)
		return fail(err, errlen, name, "segment %d: address 0x%llx below vm.mmap_min_addr (0x%llx)", i,
			    (unsigned long long)ph->p_vaddr, ELF_MMAP_MIN_ADDR);
	return 0;
}

/* Copy the PT_INTERP path PH names into OUT (ELF_INTERP_MAX bytes), with
 * Linux's checks: 2..PATH_MAX bytes, NUL-terminated (else ENOEXEC), inside
 * the file (else the short read's EIO).  Returns 0, ELF_INVALID or ELF_IO
 * with ERR. */
static int read_interp(const char *name, const GElf_Phdr *ph, const uint8_t *data, size_t size, char *out,
		       char *err, size_t errlen)
{
	if (ph->p_filesz > ELF_INTERP_MAX || ph->p_filesz < 2)
		return fail(err, errlen, name, "PT_INTERP of %llu bytes (Linux takes 2 to %d)",
			    (unsigned long long)ph->p_filesz, ELF_INTERP_MAX);
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset) {
		fail(err, errlen, name, "PT_INTERP [0x%llx, +0x%llx) beyond end of file (%zu bytes): truncated?",
		     (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz, size);
		return ELF_IO;
	}
	memcpy(out, data + ph->p_offset, ph->p_filesz);
	if (out[ph->p_filesz - 1] != '\0') {
		out[0] = '\0';
		return fail(err, errlen, name, "PT_INTERP path is not NUL-terminated");
	}
	return 0;
}

/*
 * The checks of one file, as a program (AS_INTERP false) or as an ELF
 * interpreter.  An interpreter is refused with ELF_BAD_INTERP where Linux's
 * load_elf_binary() gives ELIBBAD before the point of no return (magic,
 * machine, program header table), ELF_LATE where load_elf_interp() fails
 * after it (type, segments); its own PT_INTERP is ignored.
 */
static int elf_parse(const char *name, uint8_t *data, size_t size, struct elf_image *img, char *err,
		     size_t errlen, bool as_interp)
{
	Elf *elf = NULL;
	GElf_Ehdr eh;
	size_t phnum = 0;
	bool interp = false;
	int rc = ELF_INVALID;

	memset(img, 0, sizeof *img);
	if ((rc = check_ident(name, data, size, err, errlen)) != 0) {
		if (as_interp)
			rc = ELF_BAD_INTERP;
		goto err;
	}
	rc = as_interp ? ELF_BAD_INTERP : ELF_INVALID;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fail(err, errlen, name, "libelf initialisation failed");
		goto err;
	}
	elf = elf_memory((char *)data, size);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		fail(err, errlen, name, "unreadable ELF header (%s)", elf_errmsg(-1));
		goto err;
	}
	if (eh.e_machine != EM_X86_64) {
		fail(err, errlen, name, "wrong machine %u, only x86-64 (62) is supported", eh.e_machine);
		goto err;
	}
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
		if (as_interp)
			rc = ELF_LATE;
		fail(err, errlen, name, "not an executable (ELF type %s)",
		     eh.e_type == ET_REL ? "ET_REL, an object file" : eh.e_type == ET_CORE ? "ET_CORE, a core dump" : "unknown");
		goto err;
	}
	if (eh.e_phoff == 0 || eh.e_phnum == 0) {
		fail(err, errlen, name, "no program headers");
		goto err;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr)) {
		fail(err, errlen, name, "program header size %u, expected %zu", eh.e_phentsize, sizeof(Elf64_Phdr));
		goto err;
	}
	if (eh.e_phnum == PN_XNUM || eh.e_phnum > 256) {
		fail(err, errlen, name, "too many program headers (%u)", eh.e_phnum);
		/* Linux takes up to 64 KiB of them (1170) */
		if (eh.e_phnum <= 65536 / sizeof(Elf64_Phdr) && !as_interp)
			rc = ELF_UNSUPPORTED;
		goto err;
	}
	if (eh.e_phoff > size || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > size - eh.e_phoff) {
		fail(err, errlen, name, "program headers beyond end of file (%zu bytes): truncated?", size);
		goto err;
	}
	if (elf_getphdrnum(elf, &phnum) != 0 || phnum != eh.e_phnum) {
		fail(err, errlen, name, "unreadable program headers (%s)", elf_errmsg(-1));
		goto err;
	}
	if (as_interp)
		rc = ELF_LATE; /* the rest fails in load_elf_interp(), after the point of no return */
	img->pie = eh.e_type == ET_DYN;
	img->entry = eh.e_entry;
	img->phnum = (uint16_t)phnum;
	img->phentsize = eh.e_phentsize;
	img->lo = UINT64_MAX;
	bool phdr_seen = false;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph)) {
			fail(err, errlen, name, "unreadable program header %zu (%s)", i, elf_errmsg(-1));
			goto err;
		}
		switch (ph.p_type) {
		case PT_INTERP:
			if (as_interp || interp)
				break; /* Linux reads the first one only */
			interp = true;
			if ((rc = read_interp(name, &ph, data, size, img->interp, err, errlen)) != 0)
				goto err;
			rc = ELF_INVALID;
			break;
		case PT_PHDR:
			img->phdr_vaddr = ph.p_vaddr;
			phdr_seen = true;
			break;
		case PT_GNU_STACK:
			img->exec_stack = ph.p_flags & PF_X;
			break;
		case PT_TLS:
			img->tls_memsz = ph.p_memsz;
			break;
		case PT_LOAD: {
			if (check_load(name, (int)i, &ph, size, img->pie, err, errlen))
				goto err;
			if (ph.p_align && !(ph.p_align & (ph.p_align - 1)) && ph.p_align > img->max_align)
				img->max_align = ph.p_align;
			if (ph.p_memsz == 0)
				break;
			if (img->nr_segments == ELF_MAX_SEGMENTS) {
				fail(err, errlen, name, "more than %d PT_LOAD segments", ELF_MAX_SEGMENTS);
				if (!as_interp)
					rc = ELF_UNSUPPORTED;
				goto err;
			}
			if (img->nr_segments) {
				const struct elf_segment *prev = &img->seg[img->nr_segments - 1];
				if (ph.p_vaddr < prev->vaddr + prev->memsz) {
					fail(err, errlen, name, "segment %zu at 0x%llx overlaps or precedes the previous segment [0x%llx, 0x%llx)",
					     i, (unsigned long long)ph.p_vaddr, (unsigned long long)prev->vaddr,
					     (unsigned long long)(prev->vaddr + prev->memsz));
					goto err;
				}
			}
			struct elf_segment *s = &img->seg[img->nr_segments++];
			s->vaddr = ph.p_vaddr;
			s->memsz = ph.p_memsz;
			s->filesz = ph.p_filesz;
			s->offset = ph.p_offset;
			s->flags = ph.p_flags;
			s->align = ph.p_align;
			uint64_t lo = ph.p_vaddr & ~(PAGE - 1);
			uint64_t hi = (ph.p_vaddr + ph.p_memsz + PAGE - 1) & ~(PAGE - 1);
			if (lo < img->lo)
				img->lo = lo;
			if (hi > img->hi)
				img->hi = hi;
			break;
		}
		default:
			break;
		}
	}
	img->max_align = (img->max_align + PAGE - 1) & ~(PAGE - 1);
	if (img->nr_segments == 0) {
		fail(err, errlen, name, "no PT_LOAD segment");
		goto err;
	}
	if (img->pie && img->hi - img->lo > (1ULL << 40)) {
		fail(err, errlen, name, "position-independent image spans 0x%llx bytes, too large",
		     (unsigned long long)(img->hi - img->lo));
		goto err;
	}
	/* The entry point must be inside an executable segment. */
	bool entry_ok = false;
	for (int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		if ((s->flags & PF_X) && img->entry >= s->vaddr && img->entry < s->vaddr + s->memsz)
			entry_ok = true;
	}
	if (!entry_ok) {
		fail(err, errlen, name, "entry point 0x%llx is not inside an executable PT_LOAD segment",
		     (unsigned long long)img->entry);
		goto err;
	}
	/* AT_PHDR: from PT_PHDR, else the segment mapping e_phoff (as Linux). */
	if (!phdr_seen) {
		for (int i = 0; i < img->nr_segments; i++) {
			const struct elf_segment *s = &img->seg[i];
			if (eh.e_phoff >= s->offset && eh.e_phoff - s->offset < s->filesz) {
				img->phdr_vaddr = s->vaddr + (eh.e_phoff - s->offset);
				phdr_seen = true;
				break;
			}
		}
	}
	(void)phdr_seen; /* Linux passes 0 too when the headers are not mapped */
	elf_end(elf);
	snprintf(img->path, sizeof img->path, "%s", name);
	img->data = data;
	img->size = size;
	return 0;
err:
	if (elf)
		elf_end(elf);
	free(data);
	memset(img, 0, sizeof *img);
	return rc;
}

int elf_image_from_memory(const char *name, uint8_t *data, size_t size, struct elf_image *img, char *err,
			  size_t errlen)
{
	return elf_parse(name, data, size, img, err, errlen, false);
}

int elf_interp_from_memory(const char *name, uint8_t *data, size_t size, struct elf_image *img, char *err,
			   size_t errlen)
{
	return elf_parse(name, data, size, img, err, errlen, true);
}

int elf_refusal_errno(int rc)
{
	return rc == ELF_BAD_INTERP ? ELIBBAD : rc == ELF_IO ? EIO : ENOEXEC;
}

bool elf_refusal_is_limitation(int rc)
{
	return rc == ELF_UNSUPPORTED;
}

int elf_image_load(const char *path, struct elf_image *img, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *data = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(img, 0, sizeof *img);
	if (fd < 0)
		return fail(err, errlen, path, "%s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		fail(err, errlen, path, "%s", strerror(errno));
		goto err;
	}
	if (S_ISDIR(st.st_mode)) {
		fail(err, errlen, path, "is a directory");
		goto err;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(err, errlen, path, "not a regular file");
		goto err;
	}
	if ((uint64_t)st.st_size > ELF_MAX_FILE_SIZE) {
		fail(err, errlen, path, "file too large (%lld bytes, limit %llu)", (long long)st.st_size,
		     ELF_MAX_FILE_SIZE);
		goto err;
	}
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data) {
		fail(err, errlen, path, "out of memory reading the file");
		goto err;
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail(err, errlen, path, "read error: %s", n < 0 ? strerror(errno) : "short read");
			goto err;
		}
		got += (size_t)n;
	}
	close(fd);
	return elf_image_from_memory(path, data, got, img, err, errlen);
err:
	free(data);
	close(fd);
	return -1;
}
