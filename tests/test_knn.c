/* k-NN: hand-computed cases (a line, grids with exact ties, duplicate rows), scikit-learn's
 * neighbours of tests/reference/knn_sklearn.csv, agreement of brute force, KD-tree and a
 * plain O(n^2) scalar search written here on random data (with and without ties), thread
 * count and kernel independence, and every error path. Random data comes from a fixed
 * 64-bit LCG defined below. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "alloc.h"
#include "imbal/knn.h"
#include "knn_internal.h"
#include "util.h"

static const imbal_knn_algorithm algs[] = {IMBAL_KNN_BRUTE, IMBAL_KNN_KDTREE, IMBAL_KNN_AUTO};
#define N_ALGS (sizeof(algs) / sizeof(algs[0]))

/* Knuth's MMIX LCG; the top 53 bits give a double in [0, 1). */
static double lcg_next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (double)(*s >> 11) * 0x1.0p-53;
}

/* n x d values: uniform in [0, 1), or, when levels > 0, integers 0 .. levels - 1 (ties). */
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

static imbal_knn *build(const double *x, size_t n, size_t d, imbal_knn_algorithm alg)
{
    imbal_knn *knn = NULL;
    imbal_error err = {0};
    ck_assert_int_eq(imbal_knn_build(x, n, d, alg, &knn, &err), IMBAL_OK);
    ck_assert_ptr_nonnull(knn);
    return knn;
}

/* Independent reference: for each query scan every row, keep a sorted list, insert a row
 * only when strictly nearer than the k-th (rows come in increasing order, so equal squared
 * distances keep the lower row first). */
static void naive_knn(const double *x, size_t n, size_t d, const double *q, size_t m, size_t k,
                      int skip_self, size_t *idx, double *dist)
{
    double *bd = malloc(k * sizeof(*bd));
    ck_assert_ptr_nonnull(bd);
    for (size_t i = 0; i < m; i++) {
        size_t have = 0;
        size_t *bi = idx + i * k;
        for (size_t j = 0; j < n; j++) {
            double s = 0.0;
            size_t p;
            if (skip_self && j == i) {
                continue;
            }
            for (size_t f = 0; f < d; f++) {
                double t = q[i * d + f] - x[j * d + f];
                s += t * t;
            }
            if (have == k && !(s < bd[k - 1])) {
                continue;
            }
            p = have < k ? have++ : k - 1;
            while (p > 0 && bd[p - 1] > s) {
                bd[p] = bd[p - 1];
                bi[p] = bi[p - 1];
                p--;
            }
            bd[p] = s;
            bi[p] = j;
        }
        for (size_t j = 0; j < k; j++) {
            dist[i * k + j] = sqrt(bd[j]);
        }
    }
    free(bd);
}

static void query_ok(const imbal_knn *knn, const double *q, size_t m, size_t k, int skip_self,
                     size_t *idx, double *dist)
{
    imbal_error err = {0};
    ck_assert_msg(imbal_knn_query(knn, q, m, k, skip_self, idx, dist, &err) == IMBAL_OK, "%s",
                  err.msg);
}

/* Exact agreement: same rows, same distance bits. */
static void assert_same(const size_t *idx_a, const double *dist_a, const size_t *idx_b,
                        const double *dist_b, size_t m, size_t k, const char *what)
{
    for (size_t i = 0; i < m * k; i++) {
        ck_assert_msg(idx_a[i] == idx_b[i], "%s: query %zu, neighbour %zu: row %zu vs %zu",
                      what, i / k, i % k, idx_a[i], idx_b[i]);
        ck_assert_msg(memcmp(&dist_a[i], &dist_b[i], sizeof(double)) == 0,
                      "%s: query %zu, neighbour %zu: distance %.17g vs %.17g", what, i / k,
                      i % k, dist_a[i], dist_b[i]);
    }
}

START_TEST(points_on_a_line)
{
    /* rows at 0, 1, 3, 6, 10. Query 2: distances 2, 1, 1, 4, 8 -> rows 1 and 2 tie at 1,
     * the lower first, then row 0 at 2. Query 5: 5, 4, 2, 1, 5 -> 3 (1), 2 (2), 1 (4).
     * Query 11: 11, 10, 8, 5, 1 -> 4 (1), 3 (5), 2 (8). */
    const double x[] = {0, 1, 3, 6, 10};
    const double q[] = {2, 5, 11};
    const size_t want_idx[] = {1, 2, 0, 3, 2, 1, 4, 3, 2};
    const double want_dist[] = {1, 1, 2, 1, 2, 4, 1, 5, 8};
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = build(x, 5, 1, algs[a]);
        size_t idx[10];
        double dist[10];
        query_ok(knn, q, 3, 3, 0, idx, dist);
        for (size_t i = 0; i < 9; i++) {
            ck_assert_uint_eq(idx[i], want_idx[i]);
            ck_assert_double_eq(dist[i], want_dist[i]);
        }
        /* skip_self on the rows themselves: row 0 -> 1 (1), 2 (3); row 2 (at 3) -> 1 (2),
         * 0 (3) and 3 (3) tie, 0 first; row 4 (at 10) -> 3 (4), 2 (7) */
        query_ok(knn, x, 5, 2, 1, idx, dist);
        ck_assert_uint_eq(idx[0], 1);
        ck_assert_uint_eq(idx[1], 2);
        ck_assert_uint_eq(idx[4], 1);
        ck_assert_uint_eq(idx[5], 0);
        ck_assert_double_eq(dist[5], 3.0);
        ck_assert_uint_eq(idx[8], 3);
        ck_assert_uint_eq(idx[9], 2);
        ck_assert_double_eq(dist[9], 7.0);
        imbal_knn_free(knn);
    }
}
END_TEST

START_TEST(small_grid_ties_go_to_lower_row)
{
    /* 3 x 3 grid, row 3 y + x at (x, y). Corner 0 at (0, 0): rows 1 and 3 at 1, row 4 at
     * sqrt(2), rows 2 and 6 at 2 (2 first). Centre 4: rows 1, 3, 5, 7 at 1, then the
     * corners 0, 2, 6, 8 at sqrt(2). */
    double x[18];
    size_t idx[9 * 5];
    double dist[9 * 5];
    const size_t want0[] = {1, 3, 4, 2, 6};
    const double want0_dist[] = {1, 1, sqrt(2.0), 2, 2};
    const size_t want4[] = {1, 3, 5, 7, 0};
    for (size_t i = 0; i < 9; i++) {
        x[2 * i] = (double)(i % 3);
        x[2 * i + 1] = (double)(i / 3);
    }
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = build(x, 9, 2, algs[a]);
        query_ok(knn, x, 9, 5, 1, idx, dist);
        for (size_t j = 0; j < 5; j++) {
            ck_assert_uint_eq(idx[j], want0[j]);
            ck_assert_double_eq(dist[j], want0_dist[j]);
            ck_assert_uint_eq(idx[4 * 5 + j], want4[j]);
        }
        imbal_knn_free(knn);
    }
}
END_TEST

START_TEST(large_grid_ties_across_leaves)
{
    /* 20 x 20 grid (400 rows: many KD-tree leaves), row 20 y + x at (x, y). An interior row
     * i has rows i - 20, i - 1, i + 1, i + 20 at distance 1 and i - 21, i - 19, i + 19,
     * i + 21 at sqrt(2): 8 neighbours, each tie in increasing row order. */
    const size_t side = 20;
    const size_t n = side * side;
    const size_t k = 8;
    double *x = malloc(2 * n * sizeof(*x));
    size_t *idx = malloc(n * k * sizeof(*idx));
    double *dist = malloc(n * k * sizeof(*dist));
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = (double)(i % side);
        x[2 * i + 1] = (double)(i / side);
    }
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = build(x, n, 2, algs[a]);
        query_ok(knn, x, n, k, 1, idx, dist);
        for (size_t i = 0; i < n; i++) {
            size_t gx = i % side;
            size_t gy = i / side;
            if (gx == 0 || gy == 0 || gx == side - 1 || gy == side - 1) {
                continue;
            }
            const size_t want[] = {i - 20, i - 1, i + 1, i + 20, i - 21, i - 19, i + 19, i + 21};
            for (size_t j = 0; j < k; j++) {
                ck_assert_msg(idx[i * k + j] == want[j], "alg %d row %zu nb %zu: %zu != %zu",
                              (int)algs[a], i, j, idx[i * k + j], want[j]);
                ck_assert_double_eq(dist[i * k + j], j < 4 ? 1.0 : sqrt(2.0));
            }
        }
        imbal_knn_free(knn);
    }
    free(x);
    free(idx);
    free(dist);
}
END_TEST

START_TEST(skip_self_keeps_duplicates)
{
    /* rows 0, 2, 3 are (0, 0), row 1 is (5, 5), row 4 is (1, 0). Row 0: its duplicates 2, 3
     * at 0, then row 4 at 1. Row 3: 0, 2 at 0, then 4. Row 4: 0, 2, 3 at 1. Row 1: row 4 at
     * sqrt(16 + 25) = sqrt(41), then 0 and 2 at sqrt(50). */
    const double x[] = {0, 0, 5, 5, 0, 0, 0, 0, 1, 0};
    const size_t want[] = {2, 3, 4, 4, 0, 2, 0, 3, 4, 0, 2, 4, 0, 2, 3};
    const double want_dist[] = {
        0, 0, 1, sqrt(41.0), sqrt(50.0), sqrt(50.0), 0, 0, 1, 0, 0, 1, 1, 1, 1};
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = build(x, 5, 2, algs[a]);
        size_t idx[15];
        double dist[15];
        query_ok(knn, x, 5, 3, 1, idx, dist);
        for (size_t i = 0; i < 15; i++) {
            ck_assert_uint_eq(idx[i], want[i]);
            ck_assert_double_eq(dist[i], want_dist[i]);
        }
        imbal_knn_free(knn);
    }
}
END_TEST

START_TEST(skip_self_many_duplicates_across_leaves)
{
    /* 150 copies of (1, 2, 3) at rows 0, 2, ..., 298 (even), and 150 distinct far rows
     * (odd). Each even row's 5 neighbours are the 5 lowest other even rows, at distance 0:
     * row 0 -> 2, 4, 6, 8, 10; row 4 -> 0, 2, 6, 8, 10; row 298 -> 0, 2, 4, 6, 8. */
    const size_t n = 300;
    const size_t k = 5;
    double *x = malloc(3 * n * sizeof(*x));
    size_t *idx = malloc(n * k * sizeof(*idx));
    double *dist = malloc(n * k * sizeof(*dist));
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < 3; f++) {
            x[3 * i + f] = i % 2 == 0 ? (double)(f + 1) : 100.0 + (double)(i * 3 + f);
        }
    }
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = build(x, n, 3, algs[a]);
        query_ok(knn, x, n, k, 1, idx, dist);
        for (size_t i = 0; i < n; i += 2) {
            size_t want = 0;
            for (size_t j = 0; j < k; j++, want += 2) {
                if (want == i) {
                    want += 2;
                }
                ck_assert_msg(idx[i * k + j] == want, "alg %d row %zu nb %zu: %zu != %zu",
                              (int)algs[a], i, j, idx[i * k + j], want);
                ck_assert_double_eq(dist[i * k + j], 0.0);
            }
        }
        imbal_knn_free(knn);
    }
    free(x);
    free(idx);
    free(dist);
}
END_TEST

/* Brute force, KD-tree (self-query by leaf and one row at a time) and the naive search agree
 * exactly, on continuous data and on data with many ties. */
static void compare_all(size_t n, size_t d, size_t k, unsigned levels, uint64_t seed)
{
    const size_t m = n / 3 + 1;
    double *x = random_rows(n, d, levels, seed);
    double *xcopy = malloc((n * d + 1) * sizeof(*xcopy));
    double *q = random_rows(m, d, levels, seed + 1);
    size_t *want = malloc(n * k * sizeof(*want));
    double *want_d = malloc(n * k * sizeof(*want_d));
    size_t *got = malloc(n * k * sizeof(*got));
    double *got_d = malloc(n * k * sizeof(*got_d));
    char what[96];
    memcpy(xcopy, x, n * d * sizeof(*x));
    /* mode 0: other queries; 1: the rows themselves, each its own first neighbour (or a
     * lower duplicate); 2: the rows with skip_self */
    for (int mode = 0; mode <= 2; mode++) {
        const double *qq = mode > 0 ? x : q;
        size_t mm = mode > 0 ? n : m;
        int self = mode == 2;
        naive_knn(x, n, d, qq, mm, k, self, want, want_d);
        for (size_t a = 0; a < N_ALGS; a++) {
            imbal_knn *knn = build(x, n, d, algs[a]);
            snprintf(what, sizeof(what), "n=%zu d=%zu k=%zu levels=%u mode=%d alg=%d", n, d,
                     k, levels, mode, (int)algs[a]);
            query_ok(knn, qq, mm, k, self, got, got_d);
            assert_same(want, want_d, got, got_d, mm, k, what);
            if (mode > 0) {
                /* a copy of the rows is ordered like other queries, by descent */
                query_ok(knn, xcopy, n, k, self, got, got_d);
                assert_same(want, want_d, got, got_d, mm, k, what);
            }
            imbal_knn_free(knn);
        }
    }
    free(x);
    free(xcopy);
    free(q);
    free(want);
    free(want_d);
    free(got);
    free(got_d);
}

START_TEST(algorithms_agree_on_random_data)
{
    static const size_t cases[][3] = {{2, 1, 1},    {40, 1, 3},    {200, 2, 5},   {500, 3, 1},
                                      {1000, 8, 7}, {777, 20, 4},  {300, 50, 2},  {129, 5, 128},
                                      {300, 4, 100}, {600, 16, 10}, {257, 33, 17}};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        compare_all(cases[c][0], cases[c][1], cases[c][2], 0, 1000 + c);
        compare_all(cases[c][0], cases[c][1], cases[c][2], 3, 2000 + c);
    }
}
END_TEST

START_TEST(matches_scikit_learn)
{
    /* tests/reference/knn_sklearn.csv: 300 rows in 6-D (two clusters) and the 5 neighbours
     * scikit-learn 1.2.1's NearestNeighbors(algorithm='kd_tree').kneighbors() gives each row
     * (itself left out), with distances; consecutive neighbour distances differ by > 8e-5,
     * so the order is unambiguous. Its KD-tree sums (a - b)^2 in feature order too: the
     * distances agree to the bit. */
    ref_table *t = ref_read("tests/reference/knn_sklearn.csv");
    const size_t n = t->n_rows;
    const size_t d = 6;
    const size_t k = 5;
    double *x = malloc(n * d * sizeof(*x));
    size_t *idx = malloc(n * k * sizeof(*idx));
    double *dist = malloc(n * k * sizeof(*dist));
    char col[16];
    ck_assert_uint_eq(n, 300);
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < d; f++) {
            snprintf(col, sizeof(col), "x%zu", f);
            x[i * d + f] = ref_num(t, i, col);
        }
    }
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = build(x, n, d, algs[a]);
        query_ok(knn, x, n, k, 1, idx, dist);
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < k; j++) {
                snprintf(col, sizeof(col), "nb%zu", j);
                ck_assert_msg(idx[i * k + j] == (size_t)ref_num(t, i, col),
                              "alg %d row %zu nb %zu: %zu != %g", (int)algs[a], i, j,
                              idx[i * k + j], ref_num(t, i, col));
                snprintf(col, sizeof(col), "dist%zu", j);
                ck_assert_double_eq(dist[i * k + j], ref_num(t, i, col));
            }
        }
        imbal_knn_free(knn);
    }
    ref_free(t);
    free(x);
    free(idx);
    free(dist);
}
END_TEST

START_TEST(results_independent_of_threads_and_kernel)
{
    const size_t n = 3000;
    const size_t d = 6;
    const size_t k = 5;
    double *x = random_rows(n, d, 4, 77);
    size_t *idx1 = malloc(n * k * sizeof(*idx1));
    size_t *idx2 = malloc(n * k * sizeof(*idx2));
    double *dist1 = malloc(n * k * sizeof(*dist1));
    double *dist2 = malloc(n * k * sizeof(*dist2));
    for (size_t a = 0; a < 2; a++) {
        imbal_knn *knn = build(x, n, d, algs[a]);
#ifdef _OPENMP
        int saved = omp_get_max_threads();
        omp_set_num_threads(1);
        query_ok(knn, x, n, k, 1, idx1, dist1);
        omp_set_num_threads(4);
        query_ok(knn, x, n, k, 1, idx2, dist2);
        omp_set_num_threads(saved);
        assert_same(idx1, dist1, idx2, dist2, n, k, "1 vs 4 threads");
#endif
        query_ok(knn, x, n, k, 1, idx1, dist1);
        /* the plain scalar and the 2-wide kernels must give the best kernel's bits */
        knn->kernel = imbal_knn_pick_kernel(IMBAL_KNN_KERNEL_SCALAR);
        query_ok(knn, x, n, k, 1, idx2, dist2);
        assert_same(idx1, dist1, idx2, dist2, n, k, "best vs scalar kernel");
        knn->kernel = imbal_knn_pick_kernel(IMBAL_KNN_KERNEL_WIDE2);
        query_ok(knn, x, n, k, 1, idx2, dist2);
        assert_same(idx1, dist1, idx2, dist2, n, k, "best vs 2-wide kernel");
        imbal_knn_free(knn);
    }
    free(x);
    free(idx1);
    free(idx2);
    free(dist1);
    free(dist2);
}
END_TEST

START_TEST(auto_keeps_the_tree_only_where_it_prunes)
{
    /* 2000 uniform rows: in 2-D the 1-NN search scans a few of the 63 leaves, so AUTO keeps
     * the KD-tree; in 60-D it scans them all, so AUTO falls back to brute force (over the
     * same buckets, so the results cannot differ); below 256 rows it never builds a tree */
    double *x2 = random_rows(2000, 2, 0, 11);
    double *x60 = random_rows(2000, 60, 0, 12);
    imbal_knn *knn = build(x2, 2000, 2, IMBAL_KNN_AUTO);
    ck_assert_int_eq(knn->alg, IMBAL_KNN_KDTREE);
    ck_assert_double_lt(imbal_knn_tree_probe(knn), 0.1);
    imbal_knn_free(knn);
    knn = build(x60, 2000, 60, IMBAL_KNN_KDTREE);
    ck_assert_double_gt(imbal_knn_tree_probe(knn), 0.9);
    imbal_knn_free(knn);
    knn = build(x60, 2000, 60, IMBAL_KNN_AUTO);
    ck_assert_int_eq(knn->alg, IMBAL_KNN_BRUTE);
    imbal_knn_free(knn);
    knn = build(x2, 255, 2, IMBAL_KNN_AUTO);
    ck_assert_int_eq(knn->alg, IMBAL_KNN_BRUTE);
    imbal_knn_free(knn);
    free(x2);
    free(x60);
}
END_TEST

START_TEST(distances_optional)
{
    const double x[] = {0, 1, 3, 6, 10};
    size_t idx[5 * 2];
    imbal_knn *knn = build(x, 5, 1, IMBAL_KNN_KDTREE);
    query_ok(knn, x, 5, 2, 1, idx, NULL);
    /* row 3 (at 6): row 2 at 3, row 4 at 4 */
    ck_assert_uint_eq(idx[6], 2);
    ck_assert_uint_eq(idx[7], 4);
    imbal_knn_free(knn);
}
END_TEST

START_TEST(zero_features)
{
    /* d = 0: every distance is 0, so the neighbours are the lowest rows (self left out) */
    const size_t want_q[] = {0, 1, 2, 0, 1, 2};
    const size_t want_self[] = {1, 2, 3, 0, 2, 3, 0, 1, 3};
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = NULL;
        size_t idx[4 * 3];
        double dist[4 * 3];
        ck_assert_int_eq(imbal_knn_build(NULL, 4, 0, algs[a], &knn, NULL), IMBAL_OK);
        query_ok(knn, NULL, 2, 3, 0, idx, dist);
        for (size_t i = 0; i < 6; i++) {
            ck_assert_uint_eq(idx[i], want_q[i]);
            ck_assert_double_eq(dist[i], 0.0);
        }
        query_ok(knn, NULL, 4, 3, 1, idx, dist);
        for (size_t i = 0; i < 9; i++) {
            ck_assert_uint_eq(idx[i], want_self[i]);
        }
        imbal_knn_free(knn);
    }
}
END_TEST

START_TEST(no_queries_is_ok)
{
    const double x[] = {0, 1, 3};
    imbal_knn *knn = build(x, 3, 1, IMBAL_KNN_BRUTE);
    ck_assert_int_eq(imbal_knn_query(knn, NULL, 0, 2, 0, NULL, NULL, NULL), IMBAL_OK);
    imbal_knn_free(knn);
}
END_TEST

/* A failing query leaves the outputs as they were. */
static void assert_query_fails(const imbal_knn *knn, const double *q, size_t m, size_t k,
                               int skip_self, const char *msg_part)
{
    size_t idx[16];
    double dist[16];
    imbal_error err = {0};
    for (size_t i = 0; i < 16; i++) {
        idx[i] = 12345;
        dist[i] = -7.0;
    }
    ck_assert_int_eq(imbal_knn_query(knn, q, m, k, skip_self, idx, dist, &err), IMBAL_EINVAL);
    ck_assert_int_eq(err.status, IMBAL_EINVAL);
    ck_assert_msg(strstr(err.msg, msg_part) != NULL, "message '%s' lacks '%s'", err.msg,
                  msg_part);
    for (size_t i = 0; i < 16; i++) {
        ck_assert_uint_eq(idx[i], 12345);
        ck_assert_double_eq(dist[i], -7.0);
    }
}

START_TEST(bad_k_is_rejected)
{
    const double x[] = {0, 1, 3, 6};
    for (size_t a = 0; a < N_ALGS; a++) {
        imbal_knn *knn = build(x, 4, 1, algs[a]);
        assert_query_fails(knn, x, 4, 0, 0, "k must be at least 1");
        assert_query_fails(knn, x, 2, 5, 0, "k = 5 neighbours requested but only 4");
        /* skip_self leaves 3 rows per query */
        assert_query_fails(knn, x, 4, 4, 1, "k = 4 neighbours requested but only 3");
        assert_query_fails(knn, x, 3, 1, 1, "skip_self needs the reference rows");
        imbal_knn_free(knn);
    }
}
END_TEST

START_TEST(empty_reference_set)
{
    imbal_knn *knn = NULL;
    const double q[] = {1.0};
    ck_assert_int_eq(imbal_knn_build(NULL, 0, 1, IMBAL_KNN_KDTREE, &knn, NULL), IMBAL_OK);
    assert_query_fails(knn, q, 1, 1, 0, "only 0 reference rows");
    imbal_knn_free(knn);
}
END_TEST

START_TEST(bad_build_arguments)
{
    const double x[] = {0, 1};
    imbal_knn *knn = (imbal_knn *)&knn; /* not NULL: must be reset */
    imbal_error err = {0};
    ck_assert_int_eq(imbal_knn_build(NULL, 2, 1, IMBAL_KNN_AUTO, &knn, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(knn);
    ck_assert_ptr_nonnull(strstr(err.msg, "no reference rows"));
    knn = (imbal_knn *)&knn;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_knn_build(x, 2, 1, (imbal_knn_algorithm)7, &knn, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(knn);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown algorithm 7"));
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_knn_build(x, 2, 1, IMBAL_KNN_AUTO, NULL, &err), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_knn_query(NULL, x, 2, 1, 0, (size_t[2]){0}, NULL, NULL),
                     IMBAL_EINVAL);
    imbal_knn_free(NULL);
}
END_TEST

START_TEST(out_of_memory_frees_everything)
{
    /* fail the N-th allocation for N = 1, 2, ... until the call succeeds: each failure is
     * IMBAL_ENOMEM with *out NULL and outputs untouched (the sanitizer build checks leaks) */
    const size_t n = 200;
    double *x = random_rows(n, 3, 0, 5);
    size_t idx[200 * 2];
    for (size_t a = 0; a < N_ALGS; a++) {
        long fail_at = 1;
        imbal_knn *knn = NULL;
        for (;; fail_at++) {
            imbal_error err = {0};
            imbal_alloc_fail_after(fail_at);
            imbal_status st = imbal_knn_build(x, n, 3, algs[a], &knn, &err);
            imbal_alloc_fail_after(0);
            if (st == IMBAL_OK) {
                break;
            }
            ck_assert_int_eq(st, IMBAL_ENOMEM);
            ck_assert_int_eq(err.status, IMBAL_ENOMEM);
            ck_assert_ptr_null(knn);
        }
        ck_assert_int_gt(fail_at, 2);
        for (fail_at = 1;; fail_at++) {
            imbal_error err = {0};
            imbal_status st;
            idx[0] = 999;
            imbal_alloc_fail_after(fail_at);
            st = imbal_knn_query(knn, x, n, 2, 1, idx, NULL, &err);
            imbal_alloc_fail_after(0);
            if (st == IMBAL_OK) {
                break;
            }
            ck_assert_int_eq(st, IMBAL_ENOMEM);
            ck_assert_uint_eq(idx[0], 999);
        }
        ck_assert_int_gt(fail_at, 1);
        imbal_knn_free(knn);
    }
    free(x);
}
END_TEST

static Suite *knn_suite(void)
{
    Suite *s = suite_create("knn");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, points_on_a_line);
    tcase_add_test(tc, small_grid_ties_go_to_lower_row);
    tcase_add_test(tc, large_grid_ties_across_leaves);
    tcase_add_test(tc, skip_self_keeps_duplicates);
    tcase_add_test(tc, skip_self_many_duplicates_across_leaves);
    tcase_add_test(tc, algorithms_agree_on_random_data);
    tcase_add_test(tc, matches_scikit_learn);
    tcase_add_test(tc, results_independent_of_threads_and_kernel);
    tcase_add_test(tc, auto_keeps_the_tree_only_where_it_prunes);
    tcase_add_test(tc, distances_optional);
    tcase_add_test(tc, zero_features);
    tcase_add_test(tc, no_queries_is_ok);
    tcase_add_test(tc, bad_k_is_rejected);
    tcase_add_test(tc, empty_reference_set);
    tcase_add_test(tc, bad_build_arguments);
    tcase_add_test(tc, out_of_memory_frees_everything);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(knn_suite());
}
