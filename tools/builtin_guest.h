/* tools/builtin_guest.h - guest programs built into the mmsim binary
 * (`mmsim demo` runs guest/fork_cow.c from here; replay finds it again by
 * name). */
#ifndef MMSIM_TOOLS_BUILTIN_GUEST_H
#define MMSIM_TOOLS_BUILTIN_GUEST_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of the built-in program NAME ("fork_cow") and their size in
 * *SIZE, or NULL when this mmsim has no such program (built without the
 * musl guests). */
const uint8_t *builtin_guest(const char *name, size_t *size);

#endif
