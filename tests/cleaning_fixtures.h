/* Fixtures shared by test_cleaning.c and test_cluster_centroids.c (each its own Check
 * program): the published abalone19 training fold, the three-class case of
 * tests/reference/multiclass3_*.csv, small hand-made data, and helpers that run a technique
 * by name and check its copies. Functions are static inline so a program may leave some
 * unused. */
#ifndef IMBAL_TEST_CLEANING_FIXTURES_H
#define IMBAL_TEST_CLEANING_FIXTURES_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/dataset.h"
#include "imbal/resample.h"
#include "util.h"

#define ABALONE_D 9

typedef struct {
    size_t n;
    double *x;
    int *y;
} fold;

/* The published training fold: rows of abalone19_split.csv with set=train, in file order,
 * of datasets/abalone19.csv as the dataset module loads it (Length .. Shell_weight, then
 * Sex_I, Sex_M; Class positive = 1). */
static inline fold abalone_train(void)
{
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_error err = {0};
    ref_table *split = ref_read("tests/reference/abalone19_split.csv");
    fold f = {0, NULL, NULL};
    imbal_load_options_default(&opt);
    opt.target = "Class";
    opt.positive = "positive";
    ck_assert_msg(imbal_dataset_load("datasets/abalone19.csv", &opt, &ds, &err) == IMBAL_OK, "%s",
                  err.msg);
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

static inline void fold_free(fold *f)
{
    free(f->x);
    free(f->y);
}

static char *const names2[] = {"negative", "positive"};
static char *const names3[] = {"a", "b", "c"};

static inline imbal_rng *new_rng(imbal_rng_kind kind, uint64_t seed)
{
    imbal_rng *r = NULL;
    ck_assert_int_eq(imbal_rng_new(kind, seed, &r, NULL), IMBAL_OK);
    return r;
}

/* Parses "name=value;name=value" (or NULL) for technique t into p; returns the status. */
static inline imbal_status parse(const imbal_technique *t, const char *params, size_t n_classes,
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
    return imbal_params_parse(t, given, n_given, n_classes == 3 ? names3 : names2, n_classes, p,
                              err);
}

/* Runs technique name on v; returns the status, *out and err filled. */
static inline imbal_status try_run(const char *name, const imbal_train_view *v, const char *params,
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
static inline imbal_resampled *run(const char *name, const imbal_train_view *v, const char *params,
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
static inline void assert_fails(const char *name, const imbal_train_view *v, const char *params,
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

static inline void assert_copies_are_exact(const imbal_resampled *r, const imbal_train_view *v)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->source[i] == IMBAL_SYNTHETIC) {
            continue;
        }
        ck_assert_uint_lt(r->source[i], v->n);
        ck_assert_int_eq(r->y[i], v->y[r->source[i]]);
        ck_assert(memcmp(r->x + i * v->d, v->x + r->source[i] * v->d, v->d * sizeof(double)) == 0);
    }
}

/* Asserts that r keeps exactly the input rows not listed in removed[], in input order. */
static inline void assert_kept_all_but(const imbal_resampled *r, const imbal_train_view *v,
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

/* ---- three classes (tests/reference/multiclass3_*.csv) ---- */

typedef struct {
    double x[600 * 5];
    int y[600];
} multiclass3;

/* make_classification(n_samples=600, n_features=5, n_informative=3, n_classes=3,
 * weights=[0.6, 0.3, 0.1], random_state=3): 359, 181 and 60 rows. */
static inline multiclass3 *multiclass3_load(void)
{
    static const char *const cols[5] = {"x0", "x1", "x2", "x3", "x4"};
    ref_table *t = ref_read("tests/reference/multiclass3_input.csv");
    multiclass3 *m = malloc(sizeof(*m));
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(t->n_rows, 600);
    for (size_t i = 0; i < 600; i++) {
        for (size_t j = 0; j < 5; j++) {
            m->x[i * 5 + j] = ref_num(t, i, cols[j]);
        }
        m->y[i] = (int)ref_num(t, i, "class");
    }
    ref_free(t);
    return m;
}

/* The positions listed for technique in multiclass3_cleaning.csv, into pos; returns how many. */
static inline size_t multiclass3_positions(const char *technique, size_t *pos, size_t cap)
{
    ref_table *t = ref_read("tests/reference/multiclass3_cleaning.csv");
    size_t n = 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        if (strcmp(ref_str(t, r, "technique"), technique) == 0) {
            ck_assert_uint_lt(n, cap);
            pos[n++] = (size_t)ref_num(t, r, "position");
        }
    }
    ref_free(t);
    ck_assert_uint_gt(n, 0);
    return n;
}

/* Three tight blobs of class 0 (4 rows each) and 3 rows of class 1: auto gives class 0 three
 * clusters, found by any k-means++ start. Means: (0+1+0+1)/4 = 0.5, (0+0+1+1)/4 = 0.5;
 * (10+11+10+11)/4 = 10.5 twice; (20+22+20+22)/4 = 21, (0+0+2+2)/4 = 1. */
static const double blob_x[] = {0,  0,  10, 10, 20, 0,  1,  0,  11, 10, 22, 0, 0, 1, 10,
                                11, 20, 2,  1,  1,  11, 11, 22, 2,  5,  5,  6, 5, 5, 6};
static const int blob_y[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
static const double blob_means[3][2] = {{0.5, 0.5}, {10.5, 10.5}, {21, 1}};

#endif
