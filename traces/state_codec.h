/* traces/state_codec.h - packing a vector of integers (mm/proc_state.h) as
 * a full checkpoint or as the delta from the previous vector.
 *
 * Full:  varint N, then N zigzag varints.
 * Delta: pairs (varint GAP, zigzag varint DIFF) for each element that
 *        changed, in index order; GAP is the index less the previous
 *        changed index plus one (the first: the index itself), DIFF the
 *        new value less the old (two's-complement wrap-around).
 * A delta never changes the vector's length: a length change is a new
 * checkpoint.
 */
#ifndef MMSIM_TRACES_STATE_CODEC_H
#define MMSIM_TRACES_STATE_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* Bytes enough for the full encoding of N elements. */
static inline size_t state_max_bytes(size_t n) { return 10 + n * 10; }

/* Encode V[0..N) into OUT (state_max_bytes(N) bytes).  Returns the length. */
size_t state_encode_full(const int64_t *v, size_t n, uint8_t *out);

/* Encode the change from OLD to NEW (N elements each) into OUT
 * (state_max_bytes(N) * 2 bytes).  Returns the length; 0: no change. */
size_t state_encode_delta(const int64_t *old, const int64_t *new_, size_t n, uint8_t *out);

/* Decode a full encoding of LEN bytes into a new array (*V, *N; the caller
 * frees *V).  Returns 0, or -1 if malformed or out of memory. */
int state_decode_full(const uint8_t *in, size_t len, int64_t **v, size_t *n);

/* Apply a delta of LEN bytes to V (N elements).  Returns 0, or -1 if it is
 * malformed or names an element past N (V may be partly changed then). */
int state_apply_delta(const uint8_t *in, size_t len, int64_t *v, size_t n);

#endif
