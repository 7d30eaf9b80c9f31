/* Techniques tomek_links, cluster_centroids, smote_tomek and the k-means under
 * cluster_centroids. Parity with imbalanced-learn 0.10 / scikit-learn 1.2 on the published
 * abalone19 training fold (tests/reference/abalone19_kept.csv, abalone19_table_888.csv,
 * abalone19_cluster_centroids_888.csv, abalone19_smote_tomek_888.csv); small hand-made cases
 * whose links and centroids the comments work out; a brute-force Tomek test on random data
 * with ties; k-means properties; every error path; an allocation-failure walk. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/dataset.h"
#include "imbal/kmeans.h"
#include "imbal/resample.h"
#include "util.h"

#define ABALONE_D 9

/* ---- fixtures ---- */

typedef struct {
    size_t n;
    double *x;
    int *y;
} fold;

/* The published training fold: rows of abalone19_split.csv with set=train, in file order,
 * of datasets/abalone19.csv as the dataset module loads it (Length .. Shell_weight, then
 * Sex_I, Sex_M; Class positive = 1). */
static fold abalone_train(void)
{
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_error err = {0};
    ref_table *split = ref_read("tests/reference/abalone19_split.csv");
    fold f = {0, NULL, NULL};
    imbal_load_options_default(&opt);
    opt.target = "Class";
    opt.positive = "positive";
    ck_assert_msg(imbal_dataset_load("datasets/abalone19.csv", &opt, &ds, &err) == IMBAL_OK,
                  "%s", err.msg);
    ck_assert_uint_eq(ds->d, ABALONE_D);
    ck_assert_str_eq(ds->feature_names[7], "Sex_I");
    ck_assert_str_eq(ds->feature_names[8], "Sex_M");
    f.x = malloc(split->n_rows * ABALONE_D * sizeof(*f.x));
    f.y = malloc(split->n_rows * sizeof(*f.y));
    ck_assert_ptr_nonnull(f.x);
    ck_assert_ptr_nonnull(f.y);
    for (size_t r = 0; r < split->n_rows; r++) {
        if (strcmp(ref_str(split, r, "set"), "train") != 0) {
            continue;
        }
        size_t row = (size_t)ref_num(split, r, "row");
        memcpy(f.x + f.n * ABALONE_D, ds->x + row * ABALONE_D, ABALONE_D * sizeof(double));
        f.y[f.n++] = ds->y[row];
    }
    imbal_dataset_free(ds);
    ref_free(split);
    ck_assert_uint_eq(f.n, 3339);
    return f;
}

static void fold_free(fold *f)
{
    free(f->x);
    free(f->y);
}

static char *const names2[] = {"negative", "positive"};
static char *const names3[] = {"a", "b", "c"};

static imbal_rng *new_rng(imbal_rng_kind kind, uint64_t seed)
{
    imbal_rng *r = NULL;
    ck_assert_int_eq(imbal_rng_new(kind, seed, &r, NULL), IMBAL_OK);
    return r;
}

/* Parses "name=value;name=value" (or NULL) for technique t into p; returns the status. */
static imbal_status parse(const imbal_technique *t, const char *params, size_t n_classes,
                          imbal_param_values *p, imbal_error *err)
{
    char buf[256];
    imbal_param given[4];
    size_t n_given = 0;
    if (params != NULL) {
        char *save = NULL;
        snprintf(buf, sizeof(buf), "%s", params);
        for (char *tok = strtok_r(buf, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(tok, '=');
            ck_assert_ptr_nonnull(eq);
            *eq = '\0';
            given[n_given].name = tok;
            given[n_given++].value = eq + 1;
        }
    }
    return imbal_params_parse(t, given, n_given, n_classes == 3 ? names3 : names2, n_classes,
                              p, err);
}

/* Runs technique name on v; returns the status, *out and err filled. */
static imbal_status try_run(const char *name, const imbal_train_view *v, const char *params,
                            imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    const imbal_technique *t = imbal_technique_find(name);
    imbal_param_values p;
    ck_assert_ptr_nonnull(t);
    *out = NULL;
    ck_assert_msg(parse(t, params, v->n_classes, &p, err) == IMBAL_OK, "%s", err->msg);
    return imbal_resample(t, v, &p, rng, out, err);
}

/* The same, asserting success; a numpy generator seeded 888 (random_state=888) when rng is
 * NULL. */
static imbal_resampled *run(const char *name, const imbal_train_view *v, const char *params,
                            imbal_rng *rng)
{
    imbal_rng *own = rng == NULL ? new_rng(IMBAL_RNG_NUMPY, 888) : NULL;
    imbal_resampled *r = NULL;
    imbal_error err = {0};
    imbal_status st = try_run(name, v, params, rng != NULL ? rng : own, &r, &err);
    ck_assert_msg(st == IMBAL_OK, "%s: %s", name, err.msg);
    ck_assert_ptr_nonnull(r);
    imbal_rng_free(own);
    return r;
}

/* Asserts that run fails with st and key, leaving *out NULL. */
static void assert_fails(const char *name, const imbal_train_view *v, const char *params,
                         imbal_status st, const char *key)
{
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 888);
    imbal_resampled *r = (imbal_resampled *)&r; /* not NULL: the call must clear it */
    imbal_error err = {0};
    ck_assert_int_eq(try_run(name, v, params, rng, &r, &err), st);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(err.status, st);
    ck_assert_str_eq(err.key, key);
    ck_assert_str_ne(err.msg, "");
    imbal_rng_free(rng);
}

static void assert_copies_are_exact(const imbal_resampled *r, const imbal_train_view *v)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->source[i] == IMBAL_SYNTHETIC) {
            continue;
        }
        ck_assert_uint_lt(r->source[i], v->n);
        ck_assert_int_eq(r->y[i], v->y[r->source[i]]);
        ck_assert(memcmp(r->x + i * v->d, v->x + r->source[i] * v->d,
                         v->d * sizeof(double)) == 0);
    }
}

/* Asserts that r keeps exactly the input rows not listed in removed[], in input order. */
static void assert_kept_all_but(const imbal_resampled *r, const imbal_train_view *v,
                                const size_t *removed, size_t n_removed)
{
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++) {
        int gone = 0;
        for (size_t j = 0; j < n_removed; j++) {
            gone |= removed[j] == i;
        }
        if (!gone) {
            ck_assert_uint_lt(k, r->n);
            ck_assert_uint_eq(r->source[k], i);
            k++;
        }
    }
    ck_assert_uint_eq(k, r->n);
    assert_copies_are_exact(r, v);
}

/* ---- tomek_links ---- */

START_TEST(tomek_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    ref_table *t = ref_read("tests/reference/abalone19_kept.csv");
    size_t k = 0;
    size_t count[2] = {0, 0};
    for (size_t row = 0; row < t->n_rows; row++) {
        if (strcmp(ref_str(t, row, "technique"), "tomek_links") != 0) {
            continue;
        }
        ck_assert_uint_lt(k, r->n);
        ck_assert_uint_eq(r->source[k], (size_t)ref_num(t, row, "kept_position"));
        k++;
    }
    ck_assert_uint_eq(k, r->n);
    for (size_t i = 0; i < r->n; i++) {
        count[r->y[i]]++;
    }
    ck_assert_uint_eq(count[0], 3298); /* 15 negatives in links removed */
    ck_assert_uint_eq(count[1], 26);   /* the minority is not cleaned */
    assert_copies_are_exact(r, &v);
    ref_free(t);
    imbal_resampled_free(r);
    fold_free(&f);
}
END_TEST

/* Twelve points on a line (x, 0); class 1 at 1, 9 and 21, class 0 elsewhere:
 *   0 @ 0 (c0) <-> 1 @ 1 (c1): each other's nearest (1 < 4)           -> link
 *   2 @ 5, 3 @ 5.5: nearest pair but both c0                          -> no link
 *   4 @ 9 (c1): nearest 5 @ 10 (1); 5's nearest is 6 @ 10.4 (0.4)     -> no link
 *   7 @ 20 (c0) <-> 8 @ 21 (c1): nearest 1 apart, 9 @ 30 is 9 away    -> link
 *   9 @ 30, 10 @ 33, 11 @ 40: c0, nearest each other                  -> no link */
static const double line_x[] = {0, 0, 1, 0, 5, 0, 5.5, 0, 9, 0, 10, 0,
                                10.4, 0, 20, 0, 21, 0, 30, 0, 33, 0, 40, 0};
static const int line_y[] = {0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};

START_TEST(tomek_removes_the_targeted_member_of_each_link)
{
    imbal_train_view v = {line_x, line_y, 12, 2, 2, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    const size_t auto_removed[] = {0, 7}; /* auto: class 0 only (not the minority) */
    assert_kept_all_but(r, &v, auto_removed, 2);
    imbal_resampled_free(r);

    r = run("tomek_links", &v, "sampling_strategy=all", NULL);
    const size_t all_removed[] = {0, 1, 7, 8};
    assert_kept_all_but(r, &v, all_removed, 4);
    imbal_resampled_free(r);

    r = run("tomek_links", &v, "sampling_strategy=positive", NULL); /* a list: class 1 */
    const size_t pos_removed[] = {1, 8};
    assert_kept_all_but(r, &v, pos_removed, 2);
    imbal_resampled_free(r);

    r = run("tomek_links", &v, "sampling_strategy=majority", NULL);
    assert_kept_all_but(r, &v, auto_removed, 2);
    imbal_resampled_free(r);
}
END_TEST

/* Row 2 @ 0 (c0) is 1 from row 0 @ -1 (c1) and from row 1 @ 1 (c0): the tie goes to the
 * lower index, row 0, whose own nearest is row 2 (1 < 2): a link. With the labels of rows 0
 * and 1 swapped the tie picks row 0 again, now c0 like row 2: no link. Rows 3-5 are far c0
 * rows making class 0 the majority. */
START_TEST(tomek_breaks_distance_ties_by_lower_index)
{
    const double x[] = {-1, 1, 0, 100, 101, 200};
    const int y_link[] = {1, 0, 0, 0, 0, 0};
    const int y_none[] = {0, 1, 0, 0, 0, 0};
    imbal_train_view v = {x, y_link, 6, 1, 2, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    const size_t removed[] = {2};
    assert_kept_all_but(r, &v, removed, 1);
    imbal_resampled_free(r);

    v.y = y_none;
    r = run("tomek_links", &v, NULL, NULL);
    assert_kept_all_but(r, &v, NULL, 0);
    imbal_resampled_free(r);
}
END_TEST

/* Exact duplicates of different classes: each is the other's nearest other row (distance 0),
 * so they form a link and "all" removes both (imbal's rule; scikit-learn's column 1 of
 * kneighbors(X) depends on its tree layout there). */
START_TEST(tomek_links_exact_duplicates_of_different_classes)
{
    const double x[] = {3, 3, 3, 3, 10, 10, 20, 20, 40, 40};
    const int y[] = {0, 1, 0, 0, 1};
    imbal_train_view v = {x, y, 5, 2, 2, NULL};
    imbal_resampled *r = run("tomek_links", &v, "sampling_strategy=all", NULL);
    const size_t removed[] = {0, 1};
    assert_kept_all_but(r, &v, removed, 2);
    imbal_resampled_free(r);
}
END_TEST

/* Three classes on a line (counts 5, 3, 2: class c is the minority, auto cleans a and b):
 *   0 @ 0 (a) <-> 1 @ 1 (b)            link: both removed
 *   2 @ 10, 3 @ 10.8 (a, a)            no link
 *   4 @ 20 (b) <-> 5 @ 21 (c)          link: 4 removed, 5 (minority) kept
 *   6 @ 30 (c) <-> 7 @ 30.5 (a)        link: 7 removed, 6 kept
 *   8 @ 40 (a) <-> 9 @ 45 (b)          5 apart, 7 is 9.5 from 8: link, both removed */
START_TEST(tomek_cleans_several_classes)
{
    const double x[] = {0, 1, 10, 10.8, 20, 21, 30, 30.5, 40, 45};
    const int y[] = {0, 1, 0, 0, 1, 2, 2, 0, 0, 1};
    imbal_train_view v = {x, y, 10, 1, 3, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    const size_t removed[] = {0, 1, 4, 7, 8, 9};
    assert_kept_all_but(r, &v, removed, 6);
    imbal_resampled_free(r);
}
END_TEST

/* Random points on a coarse grid (many equal distances and some duplicates), three classes,
 * against a brute force written here: nearest other row by squared distance, first index
 * on ties, link when mutual with different classes, removed when its class is cleaned. */
START_TEST(tomek_matches_brute_force_on_random_grid_points)
{
    const size_t n = 300;
    double x[600];
    int y[300];
    size_t nn[300];
    size_t removed[300];
    imbal_rng *g = new_rng(IMBAL_RNG_DEFAULT, 7);
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = (double)imbal_rng_below(g, 12);
        x[2 * i + 1] = (double)imbal_rng_below(g, 12);
        y[i] = i % 10 == 0 ? 2 : (int)imbal_rng_below(g, 2);
    }
    for (size_t i = 0; i < n; i++) {
        double best = INFINITY;
        for (size_t j = 0; j < n; j++) {
            double dx = x[2 * i] - x[2 * j];
            double dy = x[2 * i + 1] - x[2 * j + 1];
            double s = dx * dx + dy * dy;
            if (j != i && s < best) {
                best = s;
                nn[i] = j;
            }
        }
    }
    imbal_train_view v = {x, y, n, 2, 3, NULL};
    imbal_resampled *r = run("tomek_links", &v, "sampling_strategy=all", NULL);
    size_t n_removed = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[nn[i]] != y[i] && nn[nn[i]] == i) {
            removed[n_removed++] = i;
        }
    }
    ck_assert_uint_gt(n_removed, 0);
    assert_kept_all_but(r, &v, removed, n_removed);
    imbal_resampled_free(r);
    imbal_rng_free(g);
}
END_TEST

START_TEST(tomek_rejects_bad_strategies)
{
    imbal_train_view v = {line_x, line_y, 12, 2, 2, NULL};
    /* imblearn: "minority" is for over-samplers, a ratio or counts for other samplers */
    assert_fails("tomek_links", &v, "sampling_strategy=minority", IMBAL_EINVAL,
                 "sampling_strategy");
    assert_fails("tomek_links", &v, "sampling_strategy=0.5", IMBAL_EINVAL, "sampling_strategy");
    assert_fails("tomek_links", &v, "sampling_strategy=negative:3", IMBAL_EINVAL,
                 "sampling_strategy");
    const int one_class[12] = {0};
    v.y = one_class;
    assert_fails("tomek_links", &v, NULL, IMBAL_EINVAL, "sampling_strategy");
}
END_TEST

/* ---- cluster_centroids ---- */

/* |got - want| within 1e-12 of max(1, |want|): for means computed here in another order. */
static void assert_close(double got, double want, const char *what, size_t i, size_t j)
{
    double tol = 1e-12 * fmax(1.0, fabs(want));
    ck_assert_msg(fabs(got - want) <= tol, "%s [%zu][%zu]: got %.17g, want %.17g", what, i, j,
                  got, want);
}

static const char *const abalone_cols[ABALONE_D] = {
    "Length",         "Diameter",     "Height", "Whole_weight", "Shucked_weight",
    "Viscera_weight", "Shell_weight", "Sex_I",  "Sex_M"};

START_TEST(cluster_centroids_replay_sklearn_kmeans_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL};
    imbal_resampled *r = run("cluster_centroids", &v, NULL, NULL);
    ref_table *t = ref_read("tests/reference/abalone19_cluster_centroids_888.csv");
    ck_assert_uint_eq(t->n_rows, 26);
    ck_assert_uint_eq(r->n, 52); /* abalone19_table_888.csv: 26 + 26 */
    for (size_t i = 0; i < 26; i++) {
        ck_assert_int_eq(r->y[i], 0);
        ck_assert_uint_eq(r->source[i], IMBAL_SYNTHETIC);
        /* bit-equal: same labels, and each centre summed, scaled and shifted back in
         * scikit-learn's order (one thread), see kmeans.c */
        for (size_t j = 0; j < ABALONE_D; j++) {
            double got = r->x[i * ABALONE_D + j];
            double want = ref_num(t, i, abalone_cols[j]);
            ck_assert_msg(got == want, "centroid [%zu][%zu]: got %.17g, want %.17g", i, j,
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
    r = run("cluster_centroids", &v, "voting=hard", NULL);
    ck_assert_uint_eq(r->n, 52);
    for (size_t i = 0; i < 26; i++) {
        ck_assert_uint_eq(r->source[i], (size_t)ref_num(t, i, "hard_position"));
    }
    assert_copies_are_exact(r, &v);
    imbal_resampled_free(r);
    ref_free(t);
    fold_free(&f);
}
END_TEST

/* Three tight blobs of class 0 (4 rows each) and 3 rows of class 1: auto gives class 0 three
 * clusters, found by any k-means++ start. Means: (0+1+0+1)/4 = 0.5, (0+0+1+1)/4 = 0.5;
 * (10+11+10+11)/4 = 10.5 twice; (20+22+20+22)/4 = 21, (0+0+2+2)/4 = 1. */
static const double blob_x[] = {0,  0,  10, 10, 20, 0,  1,  0,  11, 10, 22, 0,  0, 1,
                                10, 11, 20, 2,  1,  1,  11, 11, 22, 2,  5,  5,  6, 5, 5, 6};
static const int blob_y[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
static const double blob_means[3][2] = {{0.5, 0.5}, {10.5, 10.5}, {21, 1}};

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
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL};
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
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL};
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
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL};
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
    imbal_train_view v3 = {x, y, 12, 1, 3, NULL};
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
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL};
    imbal_param_values p;
    imbal_error err = {0};
    const imbal_technique *t = imbal_technique_find("cluster_centroids");
    ck_assert_int_eq(parse(t, "voting=medium", 2, &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "voting");
    imbal_error_clear(&err);
    ck_assert_int_eq(parse(t, "n_init=0", 2, &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "n_init");
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
    imbal_train_view v3 = {x, y, 12, 1, 3, NULL};
    assert_fails("cluster_centroids", &v3, "sampling_strategy=0.5", IMBAL_EINVAL,
                 "sampling_strategy");
}
END_TEST

/* ---- k-means ---- */

static imbal_kmeans *fit(const double *x, size_t n, size_t d, size_t k, size_t n_init,
                         uint64_t seed)
{
    imbal_kmeans_params p;
    imbal_kmeans *km = NULL;
    imbal_error err = {0};
    imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, seed);
    imbal_kmeans_params_default(&p);
    p.n_init = n_init;
    ck_assert_msg(imbal_kmeans_fit(x, n, d, k, &p, g, &km, &err) == IMBAL_OK, "%s", err.msg);
    imbal_rng_free(g);
    return km;
}

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
            x[i * D + f] = 50.0 * (double)((i % K) == f) + 50.0 * (double)(i % K == 4) +
                           imbal_rng_normal(g);
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
    imbal_kmeans_free(NULL);
    imbal_rng_free(g);
}
END_TEST

/* ---- smote_tomek ---- */

START_TEST(smote_tomek_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL};
    imbal_resampled *over = run("smote", &v, NULL, NULL);
    imbal_resampled *r = run("smote_tomek", &v, NULL, NULL);
    ref_table *t = ref_read("tests/reference/abalone19_smote_tomek_888.csv");
    size_t count[2] = {0, 0};
    size_t k = 0;
    size_t next = 0; /* next removed row of the reference */
    ck_assert_uint_eq(over->n, 6626);
    for (size_t i = 0; i < over->n; i++) {
        if (next < t->n_rows && (size_t)ref_num(t, next, "removed_position") == i) {
            ck_assert_int_eq(over->y[i], (int)ref_num(t, next, "class"));
            next++;
            continue;
        }
        ck_assert_uint_lt(k, r->n);
        ck_assert_uint_eq(r->source[k], over->source[i]);
        ck_assert_int_eq(r->y[k], over->y[i]);
        ck_assert(memcmp(r->x + k * ABALONE_D, over->x + i * ABALONE_D,
                         ABALONE_D * sizeof(double)) == 0);
        count[r->y[k]]++;
        k++;
    }
    ck_assert_uint_eq(next, t->n_rows);
    ck_assert_uint_eq(k, r->n);
    ck_assert_uint_eq(count[0], 3309); /* abalone19_table_888.csv n_neg_after, n_pos_after */
    ck_assert_uint_eq(count[1], 3309);
    assert_copies_are_exact(r, &v);
    ref_free(t);
    imbal_resampled_free(r);
    imbal_resampled_free(over);
    fold_free(&f);
}
END_TEST

START_TEST(smote_tomek_rejects_bad_parameters)
{
    imbal_train_view v = {line_x, line_y, 12, 2, 2, NULL};
    /* 3 positives: SMOTE needs k_neighbors < 3 */
    assert_fails("smote_tomek", &v, "k_neighbors=3", IMBAL_EINVAL, "k_neighbors");
    assert_fails("smote_tomek", &v, "sampling_strategy=majority", IMBAL_EINVAL,
                 "sampling_strategy");
    imbal_resampled *r = run("smote_tomek", &v, "k_neighbors=2", NULL);
    size_t count[2] = {0, 0};
    for (size_t i = 0; i < r->n; i++) {
        count[r->y[i]]++;
    }
    /* SMOTE makes 9 + 9; each link then takes one row of each class */
    ck_assert_uint_le(count[0], 9);
    ck_assert_uint_eq(count[0], count[1]);
    imbal_resampled_free(r);
}
END_TEST

/* ---- allocation failures ---- */

/* Fails the 1st, 2nd, ... allocation of each technique until one run succeeds: every
 * failure is ENOMEM with *out NULL (and the sanitizer build proves nothing leaks). */
START_TEST(techniques_survive_allocation_failures)
{
    static const char *const names[] = {"tomek_links", "cluster_centroids", "smote_tomek"};
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL};
    for (size_t t = 0; t < 3; t++) {
        const imbal_technique *tech = imbal_technique_find(names[t]);
        imbal_param_values p;
        ck_assert_int_eq(parse(tech, t == 2 ? "k_neighbors=2" : NULL, 2, &p, NULL), IMBAL_OK);
        int done = 0;
        for (long fail_at = 1; fail_at < 1000 && !done; fail_at++) {
            imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, 888);
            imbal_resampled *r = (imbal_resampled *)&r;
            imbal_error err = {0};
            imbal_alloc_fail_after(fail_at);
            imbal_status st = imbal_resample(tech, &v, &p, g, &r, &err);
            imbal_alloc_fail_after(0);
            if (st == IMBAL_OK) {
                ck_assert_ptr_nonnull(r);
                imbal_resampled_free(r);
                done = 1;
            } else {
                ck_assert_msg(st == IMBAL_ENOMEM, "%s at %ld: %s", names[t], fail_at, err.msg);
                ck_assert_ptr_null(r);
            }
            imbal_rng_free(g);
        }
        ck_assert_msg(done, "%s never succeeded", names[t]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cleaning");
    TCase *tc = tcase_create("tomek_links");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tomek_replays_imblearn_on_abalone19);
    tcase_add_test(tc, tomek_removes_the_targeted_member_of_each_link);
    tcase_add_test(tc, tomek_breaks_distance_ties_by_lower_index);
    tcase_add_test(tc, tomek_links_exact_duplicates_of_different_classes);
    tcase_add_test(tc, tomek_cleans_several_classes);
    tcase_add_test(tc, tomek_matches_brute_force_on_random_grid_points);
    tcase_add_test(tc, tomek_rejects_bad_strategies);
    suite_add_tcase(s, tc);
    tc = tcase_create("cluster_centroids");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, cluster_centroids_replay_sklearn_kmeans_on_abalone19);
    tcase_add_test(tc, cluster_centroids_are_the_blob_means);
    tcase_add_test(tc, cluster_centroids_hard_voting_returns_real_rows);
    tcase_add_test(tc, cluster_centroids_counts_equal_targets);
    tcase_add_test(tc, cluster_centroids_reject_bad_parameters);
    suite_add_tcase(s, tc);
    tc = tcase_create("kmeans");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, kmeans_centres_are_member_means);
    tcase_add_test(tc, kmeans_restarts_keep_the_lowest_inertia);
    tcase_add_test(tc, kmeans_edge_cases);
    tcase_add_test(tc, kmeans_rejects_bad_input);
    suite_add_tcase(s, tc);
    tc = tcase_create("smote_tomek");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, smote_tomek_replays_imblearn_on_abalone19);
    tcase_add_test(tc, smote_tomek_rejects_bad_parameters);
    tcase_add_test(tc, techniques_survive_allocation_failures);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
