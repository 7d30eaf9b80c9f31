/* Random streams: the numpy kind replays numpy 1.24's legacy RandomState(888) exactly
 * (tests/reference/numpy_randomstate.csv, a fresh generator per stream); the default kind,
 * xoshiro256** seeded through splitmix64, and imbal_seed_derive are pinned to the values of a
 * transcription of Blackman and Vigna's reference code (tests/reference/xoshiro256ss.csv, made
 * by scripts/reference/xoshiro.py, which checks itself against the published outputs first):
 * these streams are part of the output contract, so a change here changes every result. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/rng.h"
#include "util.h"

static ref_table *np_ref;
static ref_table *xo_ref;

static void load_ref(void)
{
    np_ref = ref_read("tests/reference/numpy_randomstate.csv");
    xo_ref = ref_read("tests/reference/xoshiro256ss.csv");
}

static void free_ref(void)
{
    ref_free(np_ref);
    ref_free(xo_ref);
}

/* The values of one default-kind stream for one seed, as text, in k order. */
static size_t xo_values(uint64_t seed, const char *stream, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t r = 0; r < xo_ref->n_rows; r++) {
        if (strtoull(ref_str(xo_ref, r, "seed"), NULL, 10) == seed &&
            strcmp(ref_str(xo_ref, r, "stream"), stream) == 0) {
            size_t k = (size_t)ref_num(xo_ref, r, "k");
            ck_assert_uint_lt(k, cap);
            out[k] = ref_str(xo_ref, r, "value");
            n++;
        }
    }
    ck_assert_uint_gt(n, 0);
    return n;
}

static const uint64_t xo_seeds[] = {0, 1, 42, 888, UINT64_MAX};
#define XO_NSEEDS (sizeof(xo_seeds) / sizeof(xo_seeds[0]))

static imbal_rng *xo_new(uint64_t seed)
{
    imbal_rng *r = NULL;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, seed, &r, NULL), IMBAL_OK);
    return r;
}

static void assert_same_bits(double got, const char *hex, const char *what, size_t k)
{
    double want = strtod(hex, NULL);
    ck_assert_msg(memcmp(&got, &want, sizeof(got)) == 0, "%s[%zu]: %a, reference %s", what, k, got,
                  hex);
}

/* The values of one stream, in k order. */
static size_t stream_values(const char *stream, double *out, size_t cap)
{
    size_t n = 0;
    for (size_t r = 0; r < np_ref->n_rows; r++) {
        if (strcmp(ref_str(np_ref, r, "stream"), stream) == 0) {
            size_t k = (size_t)ref_num(np_ref, r, "k");
            ck_assert_uint_lt(k, cap);
            out[k] = ref_num(np_ref, r, "value");
            n++;
        }
    }
    ck_assert_uint_gt(n, 0);
    return n;
}

static imbal_rng *numpy888(void)
{
    imbal_rng *r = NULL;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_NUMPY, 888, &r, NULL), IMBAL_OK);
    return r;
}

START_TEST(numpy_raw_words)
{
    double v[32];
    size_t n = stream_values("randint_uint32_full", v, 32);
    imbal_rng *r = numpy888();
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(imbal_rng_u32(r), (uint32_t)v[k]);
    }
    imbal_rng_free(r);
}
END_TEST

START_TEST(numpy_seed_zero_is_not_gsl_4357)
{
    double v[32];
    size_t n = stream_values("randint_uint32_full_seed_0", v, 32);
    imbal_rng *r = NULL;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_NUMPY, 0, &r, NULL), IMBAL_OK);
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(imbal_rng_u32(r), (uint32_t)v[k]);
    }
    imbal_rng_free(r);
}
END_TEST

START_TEST(numpy_random_sample_and_uniform)
{
    double v[32];
    size_t n = stream_values("random_sample", v, 32);
    imbal_rng *r = numpy888();
    for (size_t k = 0; k < n; k++) {
        ck_assert_double_eq(imbal_rng_uniform(r), v[k]); /* exact: same bits */
    }
    imbal_rng_free(r);
    n = stream_values("uniform_0_1", v, 32);
    r = numpy888();
    for (size_t k = 0; k < n; k++) {
        ck_assert_double_eq(imbal_rng_uniform(r), v[k]);
    }
    imbal_rng_free(r);
}
END_TEST

START_TEST(numpy_randint)
{
    double v[32];
    size_t n = stream_values("randint_0_26", v, 32);
    imbal_rng *r = numpy888();
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(imbal_rng_below(r, 26), (uint64_t)v[k]);
    }
    imbal_rng_free(r);
    n = stream_values("randint_0_3313", v, 32);
    r = numpy888();
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(imbal_rng_below(r, 3313), (uint64_t)v[k]);
    }
    imbal_rng_free(r);
}
END_TEST

START_TEST(numpy_permutation_and_choice)
{
    double v[32];
    size_t perm[30];
    size_t n = stream_values("permutation_10", v, 32);
    imbal_rng *r = numpy888();
    ck_assert_uint_eq(n, 10);
    imbal_rng_permutation(r, perm, 10);
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(perm[k], (size_t)v[k]);
    }
    imbal_rng_free(r);
    /* legacy choice(30, 5, replace=False) is permutation(30)[:5] */
    n = stream_values("choice_30_5_noreplace", v, 32);
    r = numpy888();
    imbal_rng_permutation(r, perm, 30);
    for (size_t k = 0; k < n; k++) {
        ck_assert_uint_eq(perm[k], (size_t)v[k]);
    }
    imbal_rng_free(r);
}
END_TEST

START_TEST(numpy_standard_normal)
{
    double v[32];
    size_t n = stream_values("standard_normal", v, 32);
    imbal_rng *r = numpy888();
    for (size_t k = 0; k < n; k++) {
        double z = imbal_rng_normal(r);
        /* libm's log/sqrt may differ from numpy's platform libm in the last bit */
        ck_assert_double_eq_tol(z, v[k], 1e-15 * fabs(v[k]) + 1e-300);
    }
    imbal_rng_free(r);
}
END_TEST

/* Raw 64-bit outputs (interval(UINT64_MAX) returns them unmasked), their high halves and the
 * 53-bit doubles, for seeds 0, 1, 42, 888 and 2^64 - 1. */
START_TEST(default_raw_words_match_reference)
{
    for (size_t si = 0; si < XO_NSEEDS; si++) {
        const char *v[32];
        size_t n = xo_values(xo_seeds[si], "u64", v, 32);
        imbal_rng *r = xo_new(xo_seeds[si]);
        ck_assert_uint_eq(n, 16);
        for (size_t k = 0; k < n; k++) {
            ck_assert_uint_eq(imbal_rng_interval(r, UINT64_MAX), strtoull(v[k], NULL, 10));
        }
        imbal_rng_free(r);
        n = xo_values(xo_seeds[si], "u32", v, 32);
        r = xo_new(xo_seeds[si]);
        for (size_t k = 0; k < n; k++) {
            ck_assert_uint_eq(imbal_rng_u32(r), strtoull(v[k], NULL, 10));
        }
        imbal_rng_free(r);
        n = xo_values(xo_seeds[si], "uniform", v, 32);
        r = xo_new(xo_seeds[si]);
        for (size_t k = 0; k < n; k++) {
            assert_same_bits(imbal_rng_uniform(r), v[k], "uniform", k);
        }
        imbal_rng_free(r);
    }
}
END_TEST

/* The algorithms on top of the raw words: bounded integers (32-bit and 64-bit rejection),
 * the shuffle and the polar normal deviates (libm's log and sqrt: 2 ulp allowed). */
START_TEST(default_derived_draws_match_reference)
{
    static const struct {
        const char *stream;
        uint64_t n;
    } bounded[] = {{"below_26", 26}, {"below_3313", 3313}, {"below_2p40_3", (1ULL << 40) + 3}};
    for (size_t si = 0; si < XO_NSEEDS; si++) {
        const char *v[32];
        size_t perm[10];
        size_t n;
        imbal_rng *r;
        for (size_t b = 0; b < 3; b++) {
            n = xo_values(xo_seeds[si], bounded[b].stream, v, 32);
            r = xo_new(xo_seeds[si]);
            for (size_t k = 0; k < n; k++) {
                ck_assert_uint_eq(imbal_rng_below(r, bounded[b].n), strtoull(v[k], NULL, 10));
            }
            imbal_rng_free(r);
        }
        n = xo_values(xo_seeds[si], "permutation_10", v, 32);
        ck_assert_uint_eq(n, 10);
        r = xo_new(xo_seeds[si]);
        imbal_rng_permutation(r, perm, 10);
        for (size_t k = 0; k < n; k++) {
            ck_assert_uint_eq(perm[k], strtoull(v[k], NULL, 10));
        }
        imbal_rng_free(r);
        n = xo_values(xo_seeds[si], "normal", v, 32);
        r = xo_new(xo_seeds[si]);
        for (size_t k = 0; k < n; k++) {
            double want = strtod(v[k], NULL);
            ck_assert_double_eq_tol(imbal_rng_normal(r), want, 4.5e-16 * fabs(want));
        }
        imbal_rng_free(r);
    }
}
END_TEST

/* Run seeds from coordinates, as stored: the split stream (technique UINT64_MAX, as the
 * runner uses it) included. */
START_TEST(seed_derive_matches_reference)
{
    size_t checked = 0;
    for (size_t r = 0; r < xo_ref->n_rows; r++) {
        const char *stream = ref_str(xo_ref, r, "stream");
        unsigned long long c[4];
        if (strncmp(stream, "derive:", 7) != 0) {
            continue;
        }
        ck_assert_int_eq(sscanf(stream + 7, "%llu:%llu:%llu:%llu", &c[0], &c[1], &c[2], &c[3]), 4);
        ck_assert_uint_eq(imbal_seed_derive(strtoull(ref_str(xo_ref, r, "seed"), NULL, 10), c[0],
                                            c[1], c[2], c[3]),
                          strtoull(ref_str(xo_ref, r, "value"), NULL, 10));
        checked++;
    }
    ck_assert_uint_eq(checked, 10);
}
END_TEST

START_TEST(default_kind_is_deterministic_and_uniform)
{
    imbal_rng *a = NULL;
    imbal_rng *b = NULL;
    size_t counts[10] = {0};
    double sum = 0.0;
    const size_t n = 100000;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 7, &a, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 7, &b, NULL), IMBAL_OK);
    for (size_t i = 0; i < n; i++) {
        double u = imbal_rng_uniform(a);
        ck_assert_double_eq(u, imbal_rng_uniform(b));
        ck_assert(u >= 0.0 && u < 1.0);
        sum += u;
        counts[imbal_rng_below(a, 10)]++;
        (void)imbal_rng_below(b, 10);
    }
    /* mean of U(0,1) has sd 1/sqrt(12 n) ~ 0.0009: 5 sd */
    ck_assert_double_eq_tol(sum / (double)n, 0.5, 0.0046);
    for (size_t c = 0; c < 10; c++) {
        /* binomial(1e5, 0.1): sd ~ 95 */
        ck_assert_uint_gt(counts[c], 10000 - 500);
        ck_assert_uint_lt(counts[c], 10000 + 500);
    }
    imbal_rng_free(a);
    imbal_rng_free(b);
}
END_TEST

/* A clone, and a generator copied over, continue exactly where the original stands, cached
 * normal deviate included (numpy's get_state/set_state carry has_gauss too). */
START_TEST(clone_and_copy_continue_the_same_stream)
{
    for (int kind = IMBAL_RNG_DEFAULT; kind <= IMBAL_RNG_NUMPY; kind++) {
        imbal_rng *a = NULL;
        imbal_rng *b = NULL;
        imbal_rng *c = NULL;
        ck_assert_int_eq(imbal_rng_new((imbal_rng_kind)kind, 888, &a, NULL), IMBAL_OK);
        ck_assert_int_eq(imbal_rng_new((imbal_rng_kind)kind, 5, &c, NULL), IMBAL_OK);
        (void)imbal_rng_normal(a); /* leaves the second deviate cached */
        ck_assert_int_eq(imbal_rng_clone(a, &b, NULL), IMBAL_OK);
        ck_assert_int_eq(imbal_rng_get_kind(b), kind);
        imbal_rng_copy(c, a);
        for (int i = 0; i < 1000; i++) {
            double z = imbal_rng_normal(a);
            uint32_t w = imbal_rng_u32(a);
            ck_assert_double_eq(imbal_rng_normal(b), z);
            ck_assert_double_eq(imbal_rng_normal(c), z);
            ck_assert_uint_eq(imbal_rng_u32(b), w);
            ck_assert_uint_eq(imbal_rng_u32(c), w);
        }
        imbal_rng_free(a);
        imbal_rng_free(b);
        imbal_rng_free(c);
    }
}
END_TEST

START_TEST(seed_derive_separates_coordinates)
{
    uint64_t s = imbal_seed_derive(42, 0, 1, 2, 3);
    ck_assert_uint_eq(s, imbal_seed_derive(42, 0, 1, 2, 3));
    ck_assert_uint_ne(s, imbal_seed_derive(42, 0, 1, 3, 2));
    ck_assert_uint_ne(s, imbal_seed_derive(43, 0, 1, 2, 3));
    ck_assert_uint_ne(s, imbal_seed_derive(42, 1, 1, 2, 3));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("streams");
    tcase_add_unchecked_fixture(tc, load_ref, free_ref);
    tcase_add_test(tc, numpy_raw_words);
    tcase_add_test(tc, numpy_seed_zero_is_not_gsl_4357);
    tcase_add_test(tc, numpy_random_sample_and_uniform);
    tcase_add_test(tc, numpy_randint);
    tcase_add_test(tc, numpy_permutation_and_choice);
    tcase_add_test(tc, numpy_standard_normal);
    tcase_add_test(tc, default_raw_words_match_reference);
    tcase_add_test(tc, default_derived_draws_match_reference);
    tcase_add_test(tc, seed_derive_matches_reference);
    tcase_add_test(tc, default_kind_is_deterministic_and_uniform);
    tcase_add_test(tc, clone_and_copy_continue_the_same_stream);
    tcase_add_test(tc, seed_derive_separates_coordinates);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
