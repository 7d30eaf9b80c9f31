/* The rules the k-means speed-ups (src/kmeans_assign.c, kmeans_seed.c, kmeans_kernel.c) must
 * keep, checked against sums done here the plain way:
 * - the labels are scikit-learn's E-step on the final centres: for every row the first centre
 *   with the lowest score |c|^2 - 2 x.c (dot products in feature order), so a row exactly
 *   tied between two centres goes to the lower one even when a bound (Elkan's table up to 64
 *   centres, Yinyang's groups above) would let the higher one's group be skipped. The data
 *   is mirrored integer points (x, -x, y, -y, ...), whose column means are exactly 0, so the
 *   centres returned are the ones the library scored, bit for bit; many rows are exact ties.
 * - the kernels (kmeans_kernel.c), AVX2 or generic, give every dot product the bits of the
 *   plain loop in feature order (imbal_km_dot), and the whole fit the same bits either way.
 * (Parity with scikit-learn itself is tests/test_cluster_centroids.c.) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/kmeans.h"
#include "imbal/simd.h"
#include "kmeans_internal.h"
#include "util.h"

static imbal_kmeans *fit_kind(const double *x, size_t n, size_t d, size_t k, size_t n_init,
                              size_t threads, imbal_rng_kind kind, uint64_t seed)
{
    imbal_kmeans_params p;
    imbal_rng *rng = NULL;
    imbal_kmeans *km = NULL;
    imbal_kmeans_params_default(&p);
    p.n_init = n_init;
    p.sklearn_threads = threads;
    ck_assert_int_eq(imbal_rng_new(kind, seed, &rng, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_kmeans_fit(x, n, d, k, &p, rng, &km, NULL), IMBAL_OK);
    imbal_rng_free(rng);
    return km;
}

/* n rows (n even) of d integers in [-levels, levels] (levels 0: Gaussian blobs, sd 1, around
 * 12 integer centres in [-6, 6]^d), each followed by its mirror image. */
static double *mirrored_rows(size_t n, size_t d, unsigned levels, uint64_t seed)
{
    double *x = malloc(n * d * sizeof(*x));
    imbal_rng *g = NULL;
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, seed, &g, NULL), IMBAL_OK);
    for (size_t i = 0; i + 1 < n; i += 2) {
        size_t blob = levels > 0 ? 0 : (size_t)imbal_rng_below(g, 12);
        for (size_t f = 0; f < d; f++) {
            double v = levels > 0
                           ? (double)imbal_rng_below(g, 2 * levels + 1) - (double)levels
                           : imbal_rng_normal(g) + (double)((blob * 7 + f * 5) % 13) - 6.0;
            x[i * d + f] = v;
            x[(i + 1) * d + f] = -v;
        }
    }
    imbal_rng_free(g);
    return x;
}

/* Asserts the labels are the first lowest scores on km's centres; returns how many rows had
 * another centre with exactly the same score (a tie the label had to break to the lower). */
static size_t assert_first_lowest(const double *x, size_t n, size_t d, const imbal_kmeans *km)
{
    const size_t k = km->k;
    size_t ties = 0;
    double *cn = malloc(k * sizeof(*cn));
    ck_assert_ptr_nonnull(cn);
    for (size_t j = 0; j < k; j++) {
        double s = 0.0;
        for (size_t f = 0; f < d; f++) {
            s += km->centers[j * d + f] * km->centers[j * d + f];
        }
        cn[j] = s;
    }
    for (size_t i = 0; i < n; i++) {
        size_t arg = 0;
        double best = INFINITY;
        size_t n_best = 0;
        for (size_t j = 0; j < k; j++) {
            double dot = 0.0;
            for (size_t f = 0; f < d; f++) {
                dot += x[i * d + f] * km->centers[j * d + f];
            }
            double s = cn[j] + -2.0 * dot;
            if (s < best) {
                best = s;
                arg = j;
                n_best = 1;
            } else if (s == best) {
                n_best++;
            }
        }
        ck_assert_msg(km->labels[i] == arg, "row %zu (k %zu): label %zu, first lowest %zu", i, k,
                      km->labels[i], arg);
        ties += n_best > 1;
    }
    free(cn);
    return ties;
}

/* Up to 64 centres (Elkan's table) and above (Yinyang's groups of about ten), both generators,
 * scikit-learn's one- and two-thread orders. The integer data must have ties for the test to
 * mean anything (duplicated centres, rows on a bisector); the blobs catch a group bound kept
 * wrong (without the group's moves, or without the centre a row left), which labels some
 * rows with a centre that is not the nearest. */
START_TEST(kmeans_labels_are_the_first_lowest_score)
{
    static const struct {
        size_t n, d, k;
        unsigned levels;
    } cases[] = {
        {600, 2, 30, 2}, {800, 2, 64, 3}, {900, 2, 80, 3}, {1200, 3, 130, 2}, {700, 4, 90, 1},
        {900, 2, 40, 4}, {1000, 3, 100, 3}, {2000, 4, 80, 0}, {2000, 6, 100, 0}, {3000, 9, 200, 0},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t n = cases[c].n, d = cases[c].d, k = cases[c].k;
        double *x = mirrored_rows(n, d, cases[c].levels, 40 + c);
        size_t ties = 0;
        for (uint64_t seed = 0; seed < 4; seed++) {
            imbal_kmeans *km = fit_kind(x, n, d, k, 3, 1 + seed % 2,
                                        seed < 2 ? IMBAL_RNG_NUMPY : IMBAL_RNG_DEFAULT, seed);
            ties += assert_first_lowest(x, n, d, km);
            imbal_kmeans_free(km);
        }
        ck_assert_msg(ties > 0 || cases[c].levels == 0, "case %zu: no tied row, nothing tested", c);
        free(x);
    }
}
END_TEST

/* Both kernels against imbal_km_dot, at both levels: d with and without a tail of features
 * (d % 4), k with padding columns (kp > k), lists of rows not a multiple of 16. Values of
 * mixed magnitude so that any change of order or grouping changes some sum's last bits. */
START_TEST(kmeans_kernels_sum_in_feature_order)
{
    static const size_t dims[] = {1, 3, 4, 9, 13, 50};
    imbal_rng *g = NULL;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 5, &g, NULL), IMBAL_OK);
    for (size_t c = 0; c < sizeof(dims) / sizeof(dims[0]); c++) {
        const size_t d = dims[c], n = 45, k = 21, kp = 24;
        double *x = malloc(n * d * sizeof(*x));
        double *ct = calloc(d * kp, sizeof(*ct));
        double *out = malloc(4 * kp * sizeof(*out));
        size_t rows[45];
        ck_assert(x != NULL && ct != NULL && out != NULL);
        for (size_t m = 0; m < n * d; m++) {
            x[m] = imbal_rng_normal(g) * pow(10.0, (double)imbal_rng_below(g, 9) - 4.0);
        }
        for (size_t j = 0; j < k; j++) { /* centres: rows 20 .. 40, transposed */
            for (size_t f = 0; f < d; f++) {
                ct[f * kp + j] = x[(20 + j) * d + f];
            }
        }
        for (size_t m = 0; m < n; m++) {
            rows[m] = (m * 7 + 3) % n;
        }
        for (int level = 0; level < 2; level++) {
            imbal_simd_set(level ? IMBAL_SIMD_GENERIC : IMBAL_SIMD_BEST);
            const double *xr[4] = {x, x + 5 * d, x + 11 * d, x + 44 * d};
            const size_t ri[4] = {0, 5, 11, 44};
            imbal_km_dots4(xr, ct, kp, d, out);
            for (size_t r = 0; r < 4; r++) {
                for (size_t j = 0; j < k; j++) {
                    double want = imbal_km_dot(x + ri[r] * d, x + (20 + j) * d, d);
                    ck_assert_msg(out[r * kp + j] == want, "dots4 d %zu level %d [%zu][%zu]", d,
                                  level, r, j);
                }
            }
            double *dr = malloc(n * sizeof(*dr));
            ck_assert_ptr_nonnull(dr);
            for (size_t cnt = 0; cnt <= n; cnt += 11) { /* 0, 11, 22, 33, 44 rows */
                imbal_km_dots_rows(x + 2 * d, x, d, rows, cnt, dr);
                for (size_t m = 0; m < cnt; m++) {
                    ck_assert_msg(dr[m] == imbal_km_dot(x + 2 * d, x + rows[m] * d, d),
                                  "dots_rows d %zu level %d cnt %zu [%zu]", d, level, cnt, m);
                }
            }
            free(dr);
        }
        imbal_simd_set(IMBAL_SIMD_BEST);
        free(x);
        free(ct);
        free(out);
    }
    imbal_rng_free(g);
}
END_TEST

static imbal_kmeans *fit_at(imbal_simd_level level, const double *x, size_t n, size_t d,
                            size_t k)
{
    imbal_simd_set(level);
    imbal_kmeans *km = fit_kind(x, n, d, k, 2, 1, IMBAL_RNG_NUMPY, 7);
    imbal_simd_set(IMBAL_SIMD_BEST);
    return km;
}

/* The blocked assignment kernel (k above 64; d not a multiple of 4 leaves a tail; k not a
 * multiple of 8 leaves padding columns) and the 16-row seeding kernel, AVX2 or not. */
START_TEST(kmeans_generic_equals_best)
{
    static const struct {
        size_t n, d, k;
    } cases[] = {{900, 9, 26}, {1000, 13, 101}, {700, 3, 80}, {1500, 8, 200}, {300, 1, 70}};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t n = cases[c].n, d = cases[c].d, k = cases[c].k;
        double *x = malloc(n * d * sizeof(*x));
        imbal_rng *g = NULL;
        ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 90 + c, &g, NULL), IMBAL_OK);
        for (size_t m = 0; m < n * d; m++) {
            x[m] = imbal_rng_normal(g) + (double)(m / d % 7);
        }
        imbal_rng_free(g);
        imbal_kmeans *a = fit_at(IMBAL_SIMD_BEST, x, n, d, k);
        imbal_kmeans *b = fit_at(IMBAL_SIMD_GENERIC, x, n, d, k);
        ck_assert_msg(memcmp(a->centers, b->centers, k * d * sizeof(double)) == 0,
                      "case %zu: centres differ", c);
        ck_assert_msg(memcmp(a->labels, b->labels, n * sizeof(size_t)) == 0,
                      "case %zu: labels differ", c);
        ck_assert(a->inertia == b->inertia);
        ck_assert_uint_eq(a->n_iter, b->n_iter);
        imbal_kmeans_free(a);
        imbal_kmeans_free(b);
        free(x);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kmeans");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, kmeans_labels_are_the_first_lowest_score);
    tcase_add_test(tc, kmeans_kernels_sum_in_feature_order);
    tcase_add_test(tc, kmeans_generic_equals_best);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
