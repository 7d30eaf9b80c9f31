/* Random streams (see rng.h). Two raw generators: xoshiro256** for imbal's own runs and
 * MT19937 seeded like numpy's legacy RandomState, so compat mode can replay Python's draws.
 * The algorithms on top (bounded integers, shuffle, normal deviates) follow numpy's legacy
 * definitions for both kinds; only the raw words and the 53-bit double differ. */
#include "imbal/rng.h"

#include <math.h>
#include <stdlib.h>

#include "alloc.h"

#define MT_N 624
#define MT_M 397

struct imbal_rng {
    imbal_rng_kind kind;
    uint64_t s[4];        /* xoshiro256** state */
    uint32_t mt[MT_N];    /* MT19937 state */
    int mti;
    int has_gauss;        /* numpy's legacy cached second normal deviate */
    double gauss;
};

static uint64_t rng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_xoshiro_next(imbal_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

/* init_genrand: numpy's legacy seeding of an integer seed (seed 0 stays 0). */
static void rng_mt_seed(imbal_rng *r, uint32_t seed)
{
    r->mt[0] = seed;
    for (int i = 1; i < MT_N; i++) {
        uint32_t prev = r->mt[i - 1];
        r->mt[i] = 1812433253U * (prev ^ (prev >> 30)) + (uint32_t)i;
    }
    r->mti = MT_N;
}

static void rng_mt_generate(imbal_rng *r)
{
    static const uint32_t mag01[2] = {0x0U, 0x9908b0dfU};
    uint32_t *mt = r->mt;
    int k;
    for (k = 0; k < MT_N - MT_M; k++) {
        uint32_t y = (mt[k] & 0x80000000U) | (mt[k + 1] & 0x7fffffffU);
        mt[k] = mt[k + MT_M] ^ (y >> 1) ^ mag01[y & 1U];
    }
    for (; k < MT_N - 1; k++) {
        uint32_t y = (mt[k] & 0x80000000U) | (mt[k + 1] & 0x7fffffffU);
        mt[k] = mt[k + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1U];
    }
    {
        uint32_t y = (mt[MT_N - 1] & 0x80000000U) | (mt[0] & 0x7fffffffU);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1U];
    }
    r->mti = 0;
}

static uint32_t rng_mt_next(imbal_rng *r)
{
    uint32_t y;
    if (r->mti >= MT_N) {
        rng_mt_generate(r);
    }
    y = r->mt[r->mti++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

imbal_status imbal_rng_new(imbal_rng_kind kind, uint64_t seed, imbal_rng **out, imbal_error *err)
{
    imbal_rng *r;
    *out = NULL;
    if (kind != IMBAL_RNG_DEFAULT && kind != IMBAL_RNG_NUMPY) {
        return imbal_fail(err, IMBAL_EINVAL, "unknown generator kind %d", (int)kind);
    }
    r = imbal_calloc(1, sizeof(*r));
    if (r == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating a generator");
    }
    r->kind = kind;
    if (kind == IMBAL_RNG_NUMPY) {
        /* numpy accepts seeds in [0, 2^32); callers derive seeds in that range */
        rng_mt_seed(r, (uint32_t)seed);
    } else {
        uint64_t sm = seed;
        for (int i = 0; i < 4; i++) {
            r->s[i] = rng_splitmix64(&sm);
        }
    }
    *out = r;
    return IMBAL_OK;
}

void imbal_rng_free(imbal_rng *rng)
{
    free(rng);
}

imbal_rng_kind imbal_rng_get_kind(const imbal_rng *rng)
{
    return rng->kind;
}

imbal_status imbal_rng_clone(const imbal_rng *rng, imbal_rng **out, imbal_error *err)
{
    imbal_rng *r = imbal_malloc(1, sizeof(*r));
    *out = NULL;
    if (r == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating a generator");
    }
    *r = *rng;
    *out = r;
    return IMBAL_OK;
}

void imbal_rng_copy(imbal_rng *dst, const imbal_rng *src)
{
    *dst = *src;
}

uint32_t imbal_rng_u32(imbal_rng *rng)
{
    if (rng->kind == IMBAL_RNG_NUMPY) {
        return rng_mt_next(rng);
    }
    return (uint32_t)(rng_xoshiro_next(rng) >> 32);
}

static uint64_t rng_u64(imbal_rng *rng)
{
    if (rng->kind == IMBAL_RNG_NUMPY) {
        /* numpy's mt19937_next64: the first word is the high half */
        uint64_t hi = rng_mt_next(rng);
        return (hi << 32) | rng_mt_next(rng);
    }
    return rng_xoshiro_next(rng);
}

double imbal_rng_uniform(imbal_rng *rng)
{
    if (rng->kind == IMBAL_RNG_NUMPY) {
        /* numpy's random_sample: 27 + 26 bits from two words */
        uint32_t a = rng_mt_next(rng) >> 5;
        uint32_t b = rng_mt_next(rng) >> 6;
        return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
    }
    return (double)(rng_xoshiro_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t imbal_rng_interval(imbal_rng *rng, uint64_t max)
{
    uint64_t mask = max;
    uint64_t value;
    if (max == 0) {
        return 0;
    }
    /* smallest all-ones mask covering max; rejection keeps the draw unbiased */
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    if (max <= 0xffffffffULL) {
        if (max == 0xffffffffULL) {
            return imbal_rng_u32(rng);
        }
        do {
            value = imbal_rng_u32(rng) & mask;
        } while (value > max);
    } else {
        do {
            value = rng_u64(rng) & mask;
        } while (value > max);
    }
    return value;
}

uint64_t imbal_rng_below(imbal_rng *rng, uint64_t n)
{
    if (n <= 1) {
        return 0;
    }
    return imbal_rng_interval(rng, n - 1);
}

double imbal_rng_normal(imbal_rng *rng)
{
    double x1;
    double x2;
    double r2;
    double f;
    if (rng->has_gauss) {
        rng->has_gauss = 0;
        return rng->gauss;
    }
    do {
        x1 = 2.0 * imbal_rng_uniform(rng) - 1.0;
        x2 = 2.0 * imbal_rng_uniform(rng) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    /* polar Box-Muller; numpy returns the second value first and caches the first */
    f = sqrt(-2.0 * log(r2) / r2);
    rng->gauss = f * x1;
    rng->has_gauss = 1;
    return f * x2;
}

void imbal_rng_shuffle(imbal_rng *rng, size_t *a, size_t n)
{
    for (size_t i = n; i-- > 1;) {
        size_t j = (size_t)imbal_rng_interval(rng, i);
        size_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

void imbal_rng_permutation(imbal_rng *rng, size_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = i;
    }
    imbal_rng_shuffle(rng, out, n);
}

static uint64_t rng_mix(uint64_t h, uint64_t v)
{
    uint64_t s = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    return rng_splitmix64(&s);
}

uint64_t imbal_seed_derive(uint64_t master, uint64_t dataset, uint64_t technique, uint64_t repeat,
                           uint64_t fold)
{
    uint64_t h = rng_mix(0x696d62616cULL, master); /* "imbal" */
    h = rng_mix(h, dataset);
    h = rng_mix(h, technique);
    h = rng_mix(h, repeat);
    h = rng_mix(h, fold);
    return h;
}
