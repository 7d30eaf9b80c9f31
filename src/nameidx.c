/* The name index of nameidx.h: FNV-1a over the bytes, started from the caller's seed and
 * finished with splitmix64's mixer so every bit reaches the slot bits; a table at most half
 * full, doubled when it would pass that, so each operation is O(1) expected. */
#include "nameidx.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static uint64_t nameidx_hash(uint64_t seed, const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

void imbal_nameidx_init(imbal_nameidx *idx, uint64_t seed)
{
    memset(idx, 0, sizeof(*idx));
    idx->seed = seed;
}

uint64_t imbal_nameidx_seed(const char *text, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
    size_t m = len < 4096 ? len : 4096;
    for (size_t i = 0; i < m; i++) {
        h ^= (unsigned char)text[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The slot of s: where it is, or the empty slot where it would go. cap must be > 0. */
static size_t nameidx_slot(const imbal_nameidx *idx, const char *s)
{
    size_t j = (size_t)nameidx_hash(idx->seed, s) & (idx->cap - 1);
    while (idx->key[j] != NULL && strcmp(idx->key[j], s) != 0) {
        j = (j + 1) & (idx->cap - 1);
    }
    return j;
}

static int nameidx_grow(imbal_nameidx *idx)
{
    imbal_nameidx bigger = *idx;
    bigger.cap = idx->cap == 0 ? 64 : 2 * idx->cap;
    bigger.key = imbal_calloc(bigger.cap, sizeof(*bigger.key));
    bigger.pos = imbal_malloc(bigger.cap, sizeof(*bigger.pos));
    if (bigger.key == NULL || bigger.pos == NULL) {
        free(bigger.key);
        free(bigger.pos);
        return 0;
    }
    for (size_t i = 0; i < idx->cap; i++) {
        if (idx->key[i] != NULL) {
            size_t j = nameidx_slot(&bigger, idx->key[i]);
            bigger.key[j] = idx->key[i];
            bigger.pos[j] = idx->pos[i];
        }
    }
    free(idx->key);
    free(idx->pos);
    *idx = bigger;
    return 1;
}

int imbal_nameidx_add(imbal_nameidx *idx, const char *s, size_t pos, size_t *first)
{
    size_t j;
    *first = SIZE_MAX;
    if (2 * (idx->n + 1) > idx->cap && !nameidx_grow(idx)) {
        return 0;
    }
    j = nameidx_slot(idx, s);
    if (idx->key[j] != NULL) {
        *first = idx->pos[j];
        return 1;
    }
    idx->key[j] = s;
    idx->pos[j] = pos;
    idx->n++;
    return 1;
}

size_t imbal_nameidx_find(const imbal_nameidx *idx, const char *s)
{
    size_t j;
    if (idx->cap == 0) {
        return SIZE_MAX;
    }
    j = nameidx_slot(idx, s);
    return idx->key[j] != NULL ? idx->pos[j] : SIZE_MAX;
}

void imbal_nameidx_free(imbal_nameidx *idx)
{
    free(idx->key);
    free(idx->pos);
    idx->key = NULL;
    idx->pos = NULL;
    idx->cap = 0;
    idx->n = 0;
}
