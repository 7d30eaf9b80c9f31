/* Private: a hash index from borrowed strings to their position in a list (column names,
 * declared KEEL values), so the readers' duplicate checks and name lookups are linear in the
 * number of names instead of quadratic (a KEEL header of 100,000 attributes took 37 s).
 * Open addressing with linear probing; the hash is seeded by the caller from the file's own
 * text, so colliding names cannot be prepared apart from the file that holds them. */
#ifndef IMBAL_NAMEIDX_H
#define IMBAL_NAMEIDX_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char **key; /* borrowed; NULL: an empty slot */
    size_t *pos;
    size_t cap, n;
    uint64_t seed;
} imbal_nameidx;

/* An empty index seeded with seed (see imbal_nameidx_seed); nothing allocated yet. */
void imbal_nameidx_init(imbal_nameidx *idx, uint64_t seed);

/* A seed from text[0..len) (the first 4 KiB are enough to make it the file's own). */
uint64_t imbal_nameidx_seed(const char *text, size_t len);

/* Adds s (borrowed: it must outlive the index) at position pos. When s is already there,
 * nothing is added and *first receives its position; else *first = SIZE_MAX. Returns 0 when
 * out of memory, else 1. */
int imbal_nameidx_add(imbal_nameidx *idx, const char *s, size_t pos, size_t *first);

/* The position of s, or SIZE_MAX when absent. */
size_t imbal_nameidx_find(const imbal_nameidx *idx, const char *s);

void imbal_nameidx_free(imbal_nameidx *idx);

#endif
