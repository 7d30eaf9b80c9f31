/* The AVX2 and the generic kernels give the same bits (simd.h): every result below is computed
 * twice, with imbal_simd_set(IMBAL_SIMD_BEST) (AVX2 on this machine when it has it) and with
 * IMBAL_SIMD_GENERIC (the code a CPU without AVX2 runs: SSE2 2-wide vectors or plain C), and
 * compared with memcmp. Covered: the k-NN distance kernel (brute force and KD-tree, whose gap
 * pass has its own AVX2 variant), on data with and without ties; the exact logistic
 * regression's passes (Cholesky path and the conjugate-gradient path above 200 features,
 * plain, weighted and standardised). Random data comes from a fixed 64-bit LCG. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/knn.h"
#include "imbal/logreg.h"
#include "imbal/simd.h"
#include "util.h"

static double lcg_next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (double)(*s >> 11) * 0x1.0p-53;
}

static double *random_rows(size_t n, size_t d, unsigned levels, uint64_t seed)
{
    double *x = malloc((n * d + 1) * sizeof(*x));
    ck_assert_ptr_nonnull(x);
    for (size_t i = 0; i < n * d; i++) {
        double u = lcg_next(&seed);
        x[i] = levels > 0 ? floor(u * levels) : u;
    }
    return x;
}

START_TEST(level_switches_the_avx2_variants_off)
{
    imbal_simd_set(IMBAL_SIMD_GENERIC);
    ck_assert_int_eq(imbal_simd_get(), IMBAL_SIMD_GENERIC);
    ck_assert_int_eq(imbal_simd_avx2(), 0);
    imbal_simd_set(IMBAL_SIMD_BEST);
    ck_assert_int_eq(imbal_simd_get(), IMBAL_SIMD_BEST);
#if defined(__GNUC__) && defined(__x86_64__)
    ck_assert_int_eq(imbal_simd_avx2(), __builtin_cpu_supports("avx2") ? 1 : 0);
#endif
}
END_TEST

/* k nearest neighbours of every row (skip_self) under one level. */
static void knn_all(imbal_simd_level level, const double *x, size_t n, size_t d, size_t k,
                    imbal_knn_algorithm alg, size_t *idx, double *dist)
{
    imbal_knn *knn = NULL;
    imbal_simd_set(level);
    ck_assert_int_eq(imbal_knn_build(x, n, d, alg, &knn, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_knn_query(knn, x, n, k, 1, idx, dist, NULL), IMBAL_OK);
    imbal_knn_free(knn);
    imbal_simd_set(IMBAL_SIMD_BEST);
}

START_TEST(knn_generic_equals_best)
{
    static const struct {
        size_t n, d;
        unsigned levels;
        imbal_knn_algorithm alg;
    } cases[] = {
        {1500, 4, 0, IMBAL_KNN_KDTREE}, {1500, 4, 3, IMBAL_KNN_KDTREE},
        {700, 37, 0, IMBAL_KNN_BRUTE},  {700, 37, 2, IMBAL_KNN_BRUTE},
        {900, 9, 0, IMBAL_KNN_AUTO},    {300, 3, 4, IMBAL_KNN_AUTO},
    };
    const size_t k = 7;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t n = cases[c].n;
        double *x = random_rows(n, cases[c].d, cases[c].levels, 100 + c);
        size_t *ia = malloc(n * k * sizeof(*ia));
        size_t *ib = malloc(n * k * sizeof(*ib));
        double *da = malloc(n * k * sizeof(*da));
        double *db = malloc(n * k * sizeof(*db));
        ck_assert(ia != NULL && ib != NULL && da != NULL && db != NULL);
        knn_all(IMBAL_SIMD_BEST, x, n, cases[c].d, k, cases[c].alg, ia, da);
        knn_all(IMBAL_SIMD_GENERIC, x, n, cases[c].d, k, cases[c].alg, ib, db);
        ck_assert_msg(memcmp(ia, ib, n * k * sizeof(*ia)) == 0, "case %zu: indices differ", c);
        ck_assert_msg(memcmp(da, db, n * k * sizeof(*da)) == 0, "case %zu: distances differ", c);
        free(x);
        free(ia);
        free(ib);
        free(da);
        free(db);
    }
}
END_TEST

static imbal_logreg_model *fit_at(imbal_simd_level level, const double *x, const int *y,
                                  size_t n, size_t d, const double *w,
                                  const imbal_logreg_params *p)
{
    imbal_logreg_model *m = NULL;
    imbal_simd_set(level);
    ck_assert_int_eq(imbal_logreg_fit(x, y, n, d, w, p, &m, NULL), IMBAL_OK);
    imbal_simd_set(IMBAL_SIMD_BEST);
    return m;
}

START_TEST(logreg_generic_equals_best)
{
    static const struct {
        size_t n, d;
        int standardize, weighted;
    } cases[] = {
        {1001, 6, 0, 0}, {1001, 6, 1, 1}, {333, 17, 0, 1}, {600, 230, 0, 0}, {600, 230, 1, 0},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t n = cases[c].n;
        size_t d = cases[c].d;
        double *x = random_rows(n, d, 0, 7 + c);
        int *y = malloc(n * sizeof(*y));
        double *w = malloc(n * sizeof(*w));
        uint64_t s = 99 + c;
        imbal_logreg_params p;
        imbal_logreg_model *a;
        imbal_logreg_model *b;
        ck_assert(y != NULL && w != NULL);
        /* a noisy linear rule, so the optimum is finite */
        for (size_t i = 0; i < n; i++) {
            double z = x[i * d] - x[i * d + 1] + 0.7 * (lcg_next(&s) - 0.5);
            y[i] = z > 0.1;
            w[i] = 0.5 + lcg_next(&s);
        }
        imbal_logreg_params_default(&p);
        p.standardize = cases[c].standardize;
        p.class_weight = IMBAL_CW_BALANCED;
        a = fit_at(IMBAL_SIMD_BEST, x, y, n, d, cases[c].weighted ? w : NULL, &p);
        b = fit_at(IMBAL_SIMD_GENERIC, x, y, n, d, cases[c].weighted ? w : NULL, &p);
        ck_assert_uint_eq(a->n_iter, b->n_iter);
        ck_assert_msg(memcmp(a->coef, b->coef, d * sizeof(double)) == 0, "case %zu: coef", c);
        ck_assert_msg(memcmp(&a->intercept, &b->intercept, sizeof(double)) == 0,
                      "case %zu: intercept", c);
        ck_assert_msg(memcmp(&a->grad_max, &b->grad_max, sizeof(double)) == 0,
                      "case %zu: grad_max", c);
        ck_assert_uint_ge(a->n_iter, 2); /* a real Newton run, not the starting point */
        imbal_logreg_model_free(a);
        imbal_logreg_model_free(b);
        free(x);
        free(y);
        free(w);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("simd");
    TCase *tc = tcase_create("variants");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, level_switches_the_avx2_variants_off);
    tcase_add_test(tc, knn_generic_equals_best);
    tcase_add_test(tc, logreg_generic_equals_best);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
