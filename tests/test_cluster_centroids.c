/* Technique cluster_centroids and the k-means under it (src/kmeans.c). Parity with
 * scikit-learn 1.2 / imbalanced-learn 0.10: the abalone19 fold's centroids and hard-voting rows
 * (tests/reference/abalone19_cluster_centroids_888.csv; with sklearn_threads=2 the
 * two-thread run of abalone19_cluster_centroids_888_2threads.csv) and three classes
 * (multiclass3_cluster_centroids_4242.csv), more than 64 clusters (130 and 300, one and two
 * threads: large_k_cluster_centroids.csv, the k-means path without centre tables), bit for bit;
 * hand-computed blob means; k-means properties (labels nearest, centres member means, restarts only
 * lower the inertia); every error path. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleaning_fixtures.h"
#include "imbal/kmeans.h"
#include "imbal/resample.h"
#include "util.h"

/* ---- cluster_centroids ---- */

/* |got - want| within 1e-12 of max(1, |want|): for means computed here in another order. */
static void assert_close(double got, double want, const char *what, size_t i, size_t j)
{
    double tol = 1e-12 * fmax(1.0, fabs(want));
    ck_assert_msg(fabs(got - want) <= tol, "%s [%zu][%zu]: got %.17g, want %.17g", what, i, j, got,
                  want);
}

static const char *const abalone_cols[ABALONE_D] = {
    "Length",         "Diameter",     "Height", "Whole_weight", "Shucked_weight",
    "Viscera_weight", "Shell_weight", "Sex_I",  "Sex_M"};

/* Runs cluster_centroids (numpy generator seeded 888) on the published fold with params (and
 * voting soft, then hard) and compares with the reference file ref. */
static void assert_abalone_centroids(const char *ref, const char *params)
{
    char hard_params[128];
    fold f = abalone_train();
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL, NULL};
    imbal_resampled *r = run("cluster_centroids", &v, params, NULL);
    ref_table *t = ref_read(ref);
    ck_assert_uint_eq(t->n_rows, 26);
    ck_assert_uint_eq(r->n, 52); /* abalone19_table_888.csv: 26 + 26 */
    for (size_t i = 0; i < 26; i++) {
        ck_assert_int_eq(r->y[i], 0);
        ck_assert_uint_eq(r->source[i], IMBAL_SYNTHETIC);
        /* bit-equal: same labels, and each centre summed, scaled and shifted back in
         * scikit-learn's order, see kmeans.c */
        for (size_t j = 0; j < ABALONE_D; j++) {
            double got = r->x[i * ABALONE_D + j];
            double want = ref_num(t, i, abalone_cols[j]);
            ck_assert_msg(got == want, "%s centroid [%zu][%zu]: got %.17g, want %.17g", ref, i, j,
                          got, want);
        }
    }
    /* then the positives, untouched, in fold order */
    size_t k = 26;
    for (size_t i = 0; i < f.n; i++) {
        if (f.y[i] == 1) {
            ck_assert_uint_eq(r->source[k++], i);
        }
    }
    assert_copies_are_exact(r, &v);
    imbal_resampled_free(r);

    /* hard voting: the real negative nearest each centroid */
    snprintf(hard_params, sizeof(hard_params), "voting=hard%s%s", params != NULL ? ";" : "",
             params != NULL ? params : "");
    r = run("cluster_centroids", &v, hard_params, NULL);
    ck_assert_uint_eq(r->n, 52);
    for (size_t i = 0; i < 26; i++) {
        ck_assert_uint_eq(r->source[i], (size_t)ref_num(t, i, "hard_position"));
    }
    assert_copies_are_exact(r, &v);
    imbal_resampled_free(r);
    ref_free(t);
    fold_free(&f);
}

START_TEST(cluster_centroids_replay_sklearn_kmeans_on_abalone19)
{
    /* scikit-learn with OMP_NUM_THREADS=1: each cluster's rows summed in row order */
    assert_abalone_centroids("tests/reference/abalone19_cluster_centroids_888.csv", NULL);
    assert_abalone_centroids("tests/reference/abalone19_cluster_centroids_888.csv",
                             "sklearn_threads=1");
}
END_TEST

/* scikit-learn with OMP_NUM_THREADS=2 (the published table's setting): 3313 rows are 13
 * chunks of 256 (the last 241); thread 0 sums chunks 0-6 (rows 0-1791), thread 1 chunks 7-12,
 * and the two partial sums are added. The centroids differ from the one-thread ones in the
 * last bits (e.g. the Sex dummies), which the reference pins. */
START_TEST(cluster_centroids_replay_two_thread_sklearn_on_abalone19)
{
    const char *ref = "tests/reference/abalone19_cluster_centroids_888_2threads.csv";
    assert_abalone_centroids(ref, "sklearn_threads=2");
    /* the two references differ, so each emulation is told apart from the other */
    ref_table *one = ref_read("tests/reference/abalone19_cluster_centroids_888.csv");
    ref_table *two = ref_read(ref);
    size_t differ = 0;
    for (size_t i = 0; i < 26; i++) {
        for (size_t j = 0; j < ABALONE_D; j++) {
            differ += ref_num(one, i, abalone_cols[j]) != ref_num(two, i, abalone_cols[j]);
        }
    }
    ck_assert_uint_gt(differ, 0);
    ref_free(one);
    ref_free(two);
}
END_TEST

static void assert_blob_centroids(const imbal_resampled *r)
{
    int seen[3] = {0, 0, 0};
    ck_assert_uint_eq(r->n, 6);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(r->y[i], 0);
        ck_assert_uint_eq(r->source[i], IMBAL_SYNTHETIC);
        size_t b = r->x[2 * i] < 5 ? 0 : r->x[2 * i] < 15 ? 1 : 2;
        seen[b]++;
        assert_close(r->x[2 * i], blob_means[b][0], "blob", b, 0);
        assert_close(r->x[2 * i + 1], blob_means[b][1], "blob", b, 1);
    }
    ck_assert(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    for (size_t i = 3; i < 6; i++) {
        ck_assert_uint_eq(r->source[i], 12 + (i - 3));
    }
}

START_TEST(cluster_centroids_are_the_blob_means)
{
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL, NULL};
    imbal_resampled *r = run("cluster_centroids", &v, NULL, NULL);
    assert_blob_centroids(r);
    imbal_resampled_free(r);
    imbal_rng *g = new_rng(IMBAL_RNG_DEFAULT, 12345); /* imbal's own stream: same clusters */
    r = run("cluster_centroids", &v, "n_init=1", g);
    assert_blob_centroids(r);
    imbal_resampled_free(r);
    imbal_rng_free(g);
}
END_TEST

START_TEST(cluster_centroids_hard_voting_returns_real_rows)
{
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL, NULL};
    imbal_resampled *r = run("cluster_centroids", &v, "voting=hard", NULL);
    ck_assert_uint_eq(r->n, 6);
    for (size_t i = 0; i < 3; i++) {
        /* each blob mean is equidistant from its blob's 4 rows: the first of them wins */
        size_t b = r->x[2 * i] < 5 ? 0 : r->x[2 * i] < 15 ? 1 : 2;
        ck_assert_uint_eq(r->source[i], b);
    }
    assert_copies_are_exact(r, &v);
    imbal_resampled_free(r);
}
END_TEST

START_TEST(cluster_centroids_counts_equal_targets)
{
    fold f = abalone_train();
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL, NULL};
    imbal_resampled *r = run("cluster_centroids", &v, "sampling_strategy=negative:40", NULL);
    size_t count[2] = {0, 0};
    for (size_t i = 0; i < r->n; i++) {
        count[r->y[i]]++;
        ck_assert(r->source[i] == IMBAL_SYNTHETIC || r->y[i] == 1);
    }
    ck_assert_uint_eq(count[0], 40);
    ck_assert_uint_eq(count[1], 26);
    imbal_resampled_free(r);
    fold_free(&f);

    /* three classes of 5, 4 and 3 rows: auto reduces a and b to 3 rows each */
    const double x[] = {0, 1, 2, 3, 4, 10, 11, 12, 13, 20, 21, 22};
    const int y[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
    imbal_train_view v3 = {x, y, 12, 1, 3, NULL, NULL};
    r = run("cluster_centroids", &v3, NULL, NULL);
    ck_assert_uint_eq(r->n, 9);
    for (size_t i = 0; i < 9; i++) {
        ck_assert_int_eq(r->y[i], (int)(i / 3));
        ck_assert(i < 6 ? r->source[i] == IMBAL_SYNTHETIC : r->source[i] == 3 + i);
    }
    imbal_resampled_free(r);
}
END_TEST

START_TEST(cluster_centroids_reject_bad_parameters)
{
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL, NULL};
    imbal_param_values p;
    imbal_error err = {0};
    const imbal_technique *t = imbal_technique_find("cluster_centroids");
    ck_assert_int_eq(parse(t, "voting=medium", 2, &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "voting");
    imbal_error_clear(&err);
    ck_assert_int_eq(parse(t, "n_init=0", 2, &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "n_init");
    imbal_error_clear(&err);
    ck_assert_int_eq(parse(t, "sklearn_threads=0", 2, &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "sklearn_threads");
    imbal_error_clear(&err);
    ck_assert_int_eq(parse(t, "sklearn_threads=65", 2, &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "sklearn_threads");
    /* k larger than the class: an under-sampler cannot grow a class */
    assert_fails("cluster_centroids", &v, "sampling_strategy=negative:13", IMBAL_EINVAL,
                 "sampling_strategy");
    /* zero clusters: KMeans(n_clusters=0) is refused */
    assert_fails("cluster_centroids", &v, "sampling_strategy=negative:0", IMBAL_EINVAL,
                 "sampling_strategy");
    assert_fails("cluster_centroids", &v, "sampling_strategy=minority", IMBAL_EINVAL,
                 "sampling_strategy");
    /* a ratio needs two classes */
    const double x[] = {0, 1, 2, 3, 4, 10, 11, 12, 13, 20, 21, 22};
    const int y[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
    imbal_train_view v3 = {x, y, 12, 1, 3, NULL, NULL};
    assert_fails("cluster_centroids", &v3, "sampling_strategy=0.5", IMBAL_EINVAL,
                 "sampling_strategy");
}
END_TEST

/* ClusterCentroids(random_state=4242): classes a and b become 60 centroids each; each class's
 * KMeans restarts from RandomState(4242), which the bit-equal centroids of b prove. */
START_TEST(three_classes_replay_sklearn_cluster_centroids)
{
    static const char *const cols[5] = {"x0", "x1", "x2", "x3", "x4"};
    multiclass3 *m = multiclass3_load();
    imbal_train_view v = {m->x, m->y, 600, 5, 3, NULL, NULL};
    imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, 4242);
    imbal_resampled *r = run("cluster_centroids", &v, NULL, g);
    ref_table *t = ref_read("tests/reference/multiclass3_cluster_centroids_4242.csv");
    ck_assert_uint_eq(t->n_rows, 120);
    ck_assert_uint_eq(r->n, 180);
    for (size_t i = 0; i < 120; i++) {
        ck_assert_int_eq(r->y[i], (int)ref_num(t, i, "class"));
        ck_assert_uint_eq(r->source[i], IMBAL_SYNTHETIC);
        for (size_t j = 0; j < 5; j++) {
            double want = ref_num(t, i, cols[j]);
            ck_assert_msg(r->x[i * 5 + j] == want, "centroid [%zu][%zu]: got %.17g, want %.17g", i,
                          j, r->x[i * 5 + j], want);
        }
    }
    size_t k = 120;
    for (size_t i = 0; i < 600; i++) {
        if (m->y[i] == 2) {
            ck_assert_uint_eq(r->source[k++], i);
        }
    }
    ck_assert_uint_eq(k, 180);
    assert_copies_are_exact(r, &v);
    ref_free(t);
    imbal_resampled_free(r);
    imbal_rng_free(g);
    free(m);
}
END_TEST

/* k > IMBAL_KM_MAX_TABLE_K (64): the assignment step runs on Hamerly's bounds alone, without
 * the centre-to-centre tables that every other reference exercises. 870 negatives clustered
 * into 130 (the minority count) and 300 centroids, compared bit for bit with scikit-learn. */
static void assert_large_k(const char *case_name, const char *params, size_t k)
{
    static const char *const cols[6] = {"x0", "x1", "x2", "x3", "x4", "x5"};
    ref_table *in = ref_read("tests/reference/large_k_input.csv");
    ref_table *t = ref_read("tests/reference/large_k_cluster_centroids.csv");
    double *x = malloc(in->n_rows * 6 * sizeof(*x));
    int *y = malloc(in->n_rows * sizeof(*y));
    size_t n_pos = 0;
    size_t row = 0;
    ck_assert(x != NULL && y != NULL);
    for (size_t i = 0; i < in->n_rows; i++) {
        for (size_t j = 0; j < 6; j++) {
            x[i * 6 + j] = ref_num(in, i, cols[j]);
        }
        y[i] = (int)ref_num(in, i, "class");
        n_pos += y[i] == 1;
    }
    imbal_train_view v = {x, y, in->n_rows, 6, 2, NULL, NULL};
    imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, 4242);
    imbal_resampled *r = run("cluster_centroids", &v, params, g);
    ck_assert_uint_gt(k, 64);
    ck_assert_uint_eq(r->n, k + n_pos);
    for (size_t i = 0; i < t->n_rows; i++) {
        if (strcmp(ref_str(t, i, "case"), case_name) != 0) {
            continue;
        }
        ck_assert_uint_lt(row, k);
        ck_assert_int_eq(r->y[row], 0);
        for (size_t j = 0; j < 6; j++) {
            double want = ref_num(t, i, cols[j]);
            ck_assert_msg(r->x[row * 6 + j] == want,
                          "%s centroid [%zu][%zu]: got %.17g, want %.17g", case_name, row, j,
                          r->x[row * 6 + j], want);
        }
        row++;
    }
    ck_assert_uint_eq(row, k);
    imbal_resampled_free(r);
    imbal_rng_free(g);
    ref_free(in);
    ref_free(t);
    free(x);
    free(y);
}

START_TEST(more_than_64_clusters_replay_sklearn)
{
    assert_large_k("auto_1thread", NULL, 130);
    assert_large_k("auto_2threads", "sklearn_threads=2", 130);
    assert_large_k("count300_1thread", "sampling_strategy=negative:300", 300);
}
END_TEST

/* ---- k-means ---- */

static imbal_kmeans *fit_threads(const double *x, size_t n, size_t d, size_t k, size_t n_init,
                                 uint64_t seed, size_t threads)
{
    imbal_kmeans_params p;
    imbal_kmeans *km = NULL;
    imbal_error err = {0};
    imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, seed);
    imbal_kmeans_params_default(&p);
    p.n_init = n_init;
    p.sklearn_threads = threads;
    ck_assert_msg(imbal_kmeans_fit(x, n, d, k, &p, g, &km, &err) == IMBAL_OK, "%s", err.msg);
    imbal_rng_free(g);
    return km;
}

static imbal_kmeans *fit(const double *x, size_t n, size_t d, size_t k, size_t n_init,
                         uint64_t seed)
{
    return fit_threads(x, n, d, k, n_init, seed, 1);
}

/* One cluster of 600 rows (d = 2, column 1 all 0; every column sum is 0 in row order, so
 * the centring is exact). scikit-learn's centre sum takes 256-row chunks (3: 256, 256, 88);
 * with 2 threads the static schedule gives thread 0 chunks 0-1 (rows 0-511), thread 1
 * chunk 2. Rows 0, 256, 512, 513 hold B = 2^53, 1, 1, -B, the rest 0:
 *   one thread: ((B + 1) + 1) - B = (B + 1) - B = 0   (B + 1 is a tie: rounds to even B)
 *   two: (B + 1) + (1 - B) = B + (1 - B) = 1         (1 - B = -(2^53 - 1) is exact)
 * (were thread 0 given one chunk: B + ((1 + 1) - B) = 2). Centre = sum * (1/600).
 * The inertia's threads take rows (300 each). Rows 0, 1 = +-2^27 (squares 2^54), rows
 * 300-305 = +-1, centre 0: one thread 2^55 + 1 + ... + 1 = 2^55 (ulp 8); two: 2^55 + 6 =
 * 2^55 + 8. Both checked against KMeans(n_clusters=1, n_init=1) with OMP_NUM_THREADS=1, 2. */
START_TEST(kmeans_sums_in_sklearn_thread_order)
{
    enum { N = 600 };
    static double x[N * 2];
    const double b = 9007199254740992.0; /* 2^53 */
    memset(x, 0, sizeof(x));
    x[0] = b;
    x[256 * 2] = 1.0;
    x[512 * 2] = 1.0;
    x[513 * 2] = -b;
    for (uint64_t seed = 0; seed < 3; seed++) {
        imbal_kmeans *one = fit_threads(x, N, 2, 1, 1, seed, 1);
        imbal_kmeans *two = fit_threads(x, N, 2, 1, 1, seed, 2);
        ck_assert(one->centers[0] == 0.0 && one->centers[1] == 0.0);
        ck_assert(two->centers[0] == 1.0 * (1.0 / 600.0) && two->centers[1] == 0.0);
        imbal_kmeans_free(one);
        imbal_kmeans_free(two);
    }
    memset(x, 0, sizeof(x));
    x[0] = 134217728.0; /* 2^27 */
    x[2] = -134217728.0;
    for (size_t i = 0; i < 6; i++) {
        x[(300 + i) * 2] = i % 2 == 0 ? 1.0 : -1.0;
    }
    imbal_kmeans *one = fit_threads(x, N, 2, 1, 1, 0, 1);
    imbal_kmeans *two = fit_threads(x, N, 2, 1, 1, 0, 2);
    ck_assert(one->centers[0] == 0.0 && two->centers[0] == 0.0);
    ck_assert(one->inertia == 36028797018963968.0); /* 2^55 */
    ck_assert(two->inertia == 36028797018963976.0); /* 2^55 + 8 */
    imbal_kmeans_free(one);
    imbal_kmeans_free(two);
}
END_TEST

/* One column: numpy reduces the contiguous column pairwise for X.mean(axis=0) (and np.var),
 * not row by row. Rows 0, 256, 512, 513 = 2^53, 1, 1, -2^53 of 600 (rest 0): in row order the
 * sum is 0, pairwise (blocks of 8 accumulators) it is 1, so the centring and the centre move.
 * Expected: KMeans(n_clusters=1, n_init=1, random_state=s).fit(x).cluster_centers_ for s = 0,
 * 1, 2 under scikit-learn 1.2.1 with OMP_NUM_THREADS=1 (0.001427777777777778) and 2
 * (0.0033333333333333335); summing the column in row order gave 0.0016666666666666668 with
 * two threads. */
START_TEST(kmeans_one_column_is_centred_as_numpy_does)
{
    enum { N = 600 };
    static double x[N];
    memset(x, 0, sizeof(x));
    x[0] = 9007199254740992.0;
    x[256] = 1.0;
    x[512] = 1.0;
    x[513] = -9007199254740992.0;
    for (uint64_t seed = 0; seed < 3; seed++) {
        imbal_kmeans *one = fit_threads(x, N, 1, 1, 1, seed, 1);
        imbal_kmeans *two = fit_threads(x, N, 1, 1, 1, seed, 2);
        ck_assert_msg(one->centers[0] == 0.001427777777777778, "got %.17g", one->centers[0]);
        ck_assert_msg(two->centers[0] == 0.0033333333333333335, "got %.17g", two->centers[0]);
        imbal_kmeans_free(one);
        imbal_kmeans_free(two);
    }
}
END_TEST

/* Labels are the nearest centre, and the centres the means of their rows when the labels
 * stopped changing; inertia is the sum of squared distances. Five Gaussian clusters far
 * apart (sd 1, centres 50 apart) converge that way. */
START_TEST(kmeans_centres_are_member_means)
{
    enum { N = 500, D = 3, K = 5 };
    static double x[N * D];
    imbal_rng *g = new_rng(IMBAL_RNG_DEFAULT, 3);
    for (size_t i = 0; i < N; i++) {
        for (size_t f = 0; f < D; f++) {
            x[i * D + f] =
                50.0 * (double)((i % K) == f) + 50.0 * (double)(i % K == 4) + imbal_rng_normal(g);
        }
    }
    imbal_rng_free(g);
    imbal_kmeans *km = fit(x, N, D, K, 10, 888);
    double sum[K][D] = {{0}};
    size_t count[K] = {0};
    double inertia = 0.0;
    for (size_t i = 0; i < N; i++) {
        size_t l = km->labels[i];
        double best = INFINITY;
        size_t arg = K;
        for (size_t j = 0; j < K; j++) {
            double s = 0.0;
            for (size_t f = 0; f < D; f++) {
                double diff = x[i * D + f] - km->centers[j * D + f];
                s += diff * diff;
            }
            if (s < best) {
                best = s;
                arg = j;
            }
        }
        ck_assert_uint_eq(l, arg);
        inertia += best;
        count[l]++;
        for (size_t f = 0; f < D; f++) {
            sum[l][f] += x[i * D + f];
        }
    }
    for (size_t j = 0; j < K; j++) {
        ck_assert_uint_eq(count[j], N / K);
        for (size_t f = 0; f < D; f++) {
            assert_close(km->centers[j * D + f], sum[j][f] / (double)count[j], "centre", j, f);
        }
    }
    ck_assert_double_eq_tol(km->inertia, inertia, 1e-9 * inertia);
    imbal_kmeans_free(km);
}
END_TEST

/* The first restart of n_init=10 is the n_init=1 run (one shared generator), so ten
 * restarts can only lower the inertia; the same seed gives the same centres. */
START_TEST(kmeans_restarts_keep_the_lowest_inertia)
{
    fold f = abalone_train();
    imbal_kmeans *one = fit(f.x, 400, ABALONE_D, 8, 1, 5);
    imbal_kmeans *ten = fit(f.x, 400, ABALONE_D, 8, 10, 5);
    imbal_kmeans *again = fit(f.x, 400, ABALONE_D, 8, 10, 5);
    ck_assert(ten->inertia <= one->inertia);
    ck_assert(memcmp(ten->centers, again->centers, 8 * ABALONE_D * sizeof(double)) == 0);
    ck_assert(memcmp(ten->labels, again->labels, 400 * sizeof(size_t)) == 0);
    ck_assert_uint_ge(ten->n_iter, 1);
    ck_assert_uint_le(ten->n_iter, 300);
    imbal_kmeans_free(one);
    imbal_kmeans_free(ten);
    imbal_kmeans_free(again);
    fold_free(&f);
}
END_TEST

/* k == n: every row its own centre, inertia 0. Duplicate rows leave clusters empty, which
 * take the farthest rows (here: none is farther than another, all distances 0). */
START_TEST(kmeans_edge_cases)
{
    const double x[] = {1, 2, 3, 7};
    imbal_kmeans *km = fit(x, 4, 1, 4, 3, 1);
    for (size_t i = 0; i < 4; i++) {
        ck_assert_double_eq(x[i], km->centers[km->labels[i]]);
    }
    ck_assert_double_eq(km->inertia, 0.0);
    imbal_kmeans_free(km);
    const double dup[] = {5, 5, 5, 5};
    km = fit(dup, 4, 1, 2, 2, 1);
    ck_assert_double_eq(km->centers[0], 5.0);
    ck_assert_double_eq(km->centers[1], 5.0);
    ck_assert_double_eq(km->inertia, 0.0);
    imbal_kmeans_free(km);
}
END_TEST

START_TEST(kmeans_rejects_bad_input)
{
    const double x[] = {1, 2, 3};
    imbal_kmeans_params p;
    imbal_kmeans *km = (imbal_kmeans *)&km;
    imbal_error err = {0};
    imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, 1);
    imbal_kmeans_params_default(&p);
    ck_assert_int_eq(imbal_kmeans_fit(x, 3, 1, 4, &p, g, &km, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(km);
    ck_assert_ptr_nonnull(strstr(err.msg, "n_clusters=4"));
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_kmeans_fit(x, 3, 1, 0, &p, g, &km, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(km);
    imbal_error_clear(&err);
    p.n_init = 0;
    ck_assert_int_eq(imbal_kmeans_fit(x, 3, 1, 2, &p, g, &km, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "n_init");
    ck_assert_ptr_null(km);
    imbal_error_clear(&err);
    imbal_kmeans_params_default(&p);
    p.max_iter = 0;
    ck_assert_int_eq(imbal_kmeans_params_check(&p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "max_iter");
    imbal_error_clear(&err);
    imbal_kmeans_params_default(&p);
    p.tol = -1.0;
    ck_assert_int_eq(imbal_kmeans_params_check(&p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "tol");
    imbal_error_clear(&err);
    imbal_kmeans_params_default(&p);
    p.sklearn_threads = 0;
    km = (imbal_kmeans *)&km;
    ck_assert_int_eq(imbal_kmeans_fit(x, 3, 1, 2, &p, g, &km, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "sklearn_threads");
    ck_assert_ptr_null(km);
    imbal_kmeans_free(NULL);
    imbal_rng_free(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cluster_centroids");
    TCase *tc = tcase_create("cluster_centroids");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, cluster_centroids_replay_sklearn_kmeans_on_abalone19);
    tcase_add_test(tc, cluster_centroids_replay_two_thread_sklearn_on_abalone19);
    tcase_add_test(tc, cluster_centroids_are_the_blob_means);
    tcase_add_test(tc, cluster_centroids_hard_voting_returns_real_rows);
    tcase_add_test(tc, cluster_centroids_counts_equal_targets);
    tcase_add_test(tc, cluster_centroids_reject_bad_parameters);
    tcase_add_test(tc, three_classes_replay_sklearn_cluster_centroids);
    tcase_add_test(tc, more_than_64_clusters_replay_sklearn);
    suite_add_tcase(s, tc);
    tc = tcase_create("kmeans");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, kmeans_centres_are_member_means);
    tcase_add_test(tc, kmeans_restarts_keep_the_lowest_inertia);
    tcase_add_test(tc, kmeans_sums_in_sklearn_thread_order);
    tcase_add_test(tc, kmeans_one_column_is_centred_as_numpy_does);
    tcase_add_test(tc, kmeans_edge_cases);
    tcase_add_test(tc, kmeans_rejects_bad_input);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
