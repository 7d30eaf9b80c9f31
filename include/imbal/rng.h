/* Random streams. Every function that draws takes an imbal_rng; its state lives there,
 * never in statics. Two kinds, each part of the output contract (a test pins each stream):
 *   IMBAL_RNG_DEFAULT  xoshiro256** seeded through splitmix64 from a 64-bit seed;
 *   IMBAL_RNG_NUMPY    MT19937 seeded like numpy's legacy RandomState(seed) (init_genrand on
 *                      the low 32 bits; seed 0 is seed 0, unlike GSL), with numpy's legacy
 *                      algorithms on top: random_sample, randint, shuffle/permutation,
 *                      choice without replacement, uniform, standard_normal (polar method
 *                      with its cached second value).
 * Seeds for runs are derived by imbal_seed_derive() only, so results do not depend on
 * the order or the thread in which runs execute. */
#ifndef IMBAL_RNG_H
#define IMBAL_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "imbal/error.h"

typedef enum { IMBAL_RNG_DEFAULT = 0, IMBAL_RNG_NUMPY = 1 } imbal_rng_kind;

typedef struct imbal_rng imbal_rng;

/* New generator of the given kind. Free with imbal_rng_free. On error NULL is stored. */
imbal_status imbal_rng_new(imbal_rng_kind kind, uint64_t seed, imbal_rng **out, imbal_error *err);
void imbal_rng_free(imbal_rng *rng);
imbal_rng_kind imbal_rng_get_kind(const imbal_rng *rng);

/* A new generator in the same state as rng (same kind, same future draws, including a
 * cached normal deviate). Free with imbal_rng_free. On error NULL is stored. */
imbal_status imbal_rng_clone(const imbal_rng *rng, imbal_rng **out, imbal_error *err);
/* Puts dst in src's state: both then draw the same stream (numpy: set_state). */
void imbal_rng_copy(imbal_rng *dst, const imbal_rng *src);

/* Next raw 32-bit word (numpy: MT19937 genrand_int32). */
uint32_t imbal_rng_u32(imbal_rng *rng);

/* Uniform double in [0, 1) with 53 random bits (numpy: random_sample). */
double imbal_rng_uniform(imbal_rng *rng);

/* Uniform integer in [0, n), n >= 1 (numpy: randint(0, n), masked rejection on 32-bit
 * words when n - 1 fits in 32 bits). n == 0 returns 0. */
uint64_t imbal_rng_below(imbal_rng *rng, uint64_t n);

/* Uniform integer in [0, max] (numpy: random_interval, the draw of shuffle). */
uint64_t imbal_rng_interval(imbal_rng *rng, uint64_t max);

/* Standard normal deviate (numpy: legacy standard_normal, polar method, cached pair). */
double imbal_rng_normal(imbal_rng *rng);

/* In-place Fisher-Yates shuffle of a, as numpy's legacy shuffle does it
 * (i from n-1 down to 1, j = interval(i), swap). */
void imbal_rng_shuffle(imbal_rng *rng, size_t *a, size_t n);

/* out[0..n) = a random permutation of 0..n-1 (numpy: permutation(n)). */
void imbal_rng_permutation(imbal_rng *rng, size_t *out, size_t n);

/* Seed of a run from the master seed and the run's coordinates (dataset, technique,
 * repeat, fold; pass 0 where a coordinate does not apply). A pure function: the same
 * inputs give the same seed on every machine. */
uint64_t imbal_seed_derive(uint64_t master, uint64_t dataset, uint64_t technique, uint64_t repeat,
                           uint64_t fold);

#endif
