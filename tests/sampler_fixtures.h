/* Fixtures shared by the sampler tests (test_samplers.c, test_sampler_errors.c): the
 * published abalone19 training fold, a small 3-class case, and a one-call runner. Functions
 * are static inline so a test file that does not use one gets no warning. */
#ifndef IMBAL_TEST_SAMPLER_FIXTURES_H
#define IMBAL_TEST_SAMPLER_FIXTURES_H

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
 * of datasets/abalone19.csv as the dataset loader reads it (Length .. Shell_weight, then
 * Sex_I, Sex_M: Sex one-hot with F dropped; Class positive = 1). */
static inline fold abalone_train(void)
{
    static const char *const want_names[ABALONE_D] = {
        "Length",         "Diameter",     "Height", "Whole_weight", "Shucked_weight",
        "Viscera_weight", "Shell_weight", "Sex_I",  "Sex_M"};
    ref_table *split = ref_read("tests/reference/abalone19_split.csv");
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_error err = {0};
    fold f = {0, NULL, NULL};
    imbal_load_options_default(&opt);
    opt.target = "Class";
    opt.positive = "positive";
    ck_assert_msg(imbal_dataset_load("datasets/abalone19.csv", &opt, &ds, &err) == IMBAL_OK,
                  "%s", err.msg);
    ck_assert_uint_eq(ds->d, ABALONE_D);
    for (size_t j = 0; j < ABALONE_D; j++) {
        ck_assert_str_eq(ds->feature_names[j], want_names[j]);
    }
    ck_assert_str_eq(ds->class_names[1], "positive");
    f.x = malloc(split->n_rows * ABALONE_D * sizeof(*f.x));
    f.y = malloc(split->n_rows * sizeof(*f.y));
    ck_assert_ptr_nonnull(f.x);
    ck_assert_ptr_nonnull(f.y);
    for (size_t r = 0; r < split->n_rows; r++) {
        size_t row;
        if (strcmp(ref_str(split, r, "set"), "train") != 0) {
            continue;
        }
        row = (size_t)ref_num(split, r, "row");
        ck_assert_uint_lt(row, ds->n);
        memcpy(f.x + f.n * ABALONE_D, ds->x + row * ABALONE_D, ABALONE_D * sizeof(*f.x));
        f.y[f.n++] = ds->y[row];
    }
    imbal_dataset_free(ds);
    ref_free(split);
    ck_assert_uint_eq(f.n, 3339);
    return f;
}

static inline imbal_train_view view_of(const fold *f, size_t d, size_t n_classes)
{
    imbal_train_view v = {f->x, f->y, f->n, d, n_classes, NULL, NULL};
    return v;
}

static inline imbal_rng *new_rng(imbal_rng_kind kind, uint64_t seed)
{
    imbal_rng *r = NULL;
    ck_assert_int_eq(imbal_rng_new(kind, seed, &r, NULL), IMBAL_OK);
    return r;
}

/* Runs technique name with parameters "name=value;name=value" (or NULL); asserts success. */
static inline imbal_resampled *run(const char *name, const imbal_train_view *v, const char *params,
                            imbal_rng *rng)
{
    const imbal_technique *t = imbal_technique_find(name);
    char buf[256];
    imbal_param given[4];
    size_t n_given = 0;
    imbal_param_values p;
    imbal_resampled *r = NULL;
    imbal_error err = {0};
    ck_assert_ptr_nonnull(t);
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
    ck_assert_msg(imbal_params_parse(t, given, n_given, NULL, 0, &p, &err) == IMBAL_OK, "%s",
                  err.msg);
    ck_assert_msg(imbal_resample(t, v, &p, rng, &r, &err) == IMBAL_OK, "%s: %s", name,
                  err.msg);
    ck_assert_ptr_nonnull(r);
    return r;
}

/* The same with a numpy generator seeded 888, as random_state=888. */
static inline imbal_resampled *run888(const char *name, const imbal_train_view *v, const char *params)
{
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 888);
    imbal_resampled *r = run(name, v, params, rng);
    imbal_rng_free(rng);
    return r;
}

static inline void assert_copies_are_exact(const imbal_resampled *r, const imbal_train_view *v)
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

/* Relative difference, exact zeros required where the reference has one. */
static inline double rel_diff(double got, double want)
{
    if (want == 0.0) {
        return got == 0.0 ? 0.0 : INFINITY;
    }
    return fabs(got - want) / fabs(want);
}

/* ---- a 3-class case, expected output from /usr/bin/python3 ----
 * import numpy as np
 * from imblearn.over_sampling import RandomOverSampler, SMOTE
 * from imblearn.under_sampling import RandomUnderSampler
 * y = np.array([0,2,0,1,0,2,0,0,1,2,0,2,0,1,2,0,0,2,1,0,2]); n = len(y)
 * X = np.array([[(i*i % 17) + 0.1*i, (i*7 % 5)*1.5 + 0.01*i*i] for i in range(n)])
 * ro = RandomOverSampler(random_state=7); ro.fit_resample(X, y); ro.sample_indices_[n:]
 * ru = RandomUnderSampler(random_state=7); ru.fit_resample(X, y); ru.sample_indices_
 * RandomUnderSampler(random_state=7, replacement=True, sampling_strategy='all') (same)
 * SMOTE(k_neighbors=2, random_state=7).fit_resample(X, y)[0][n:]
 * RandomOverSampler(random_state=7, shrinkage=0.5).fit_resample(X, y)[0][n:]
 * (within each class no two squared distances among the 4 nearest are equal) */
static inline fold toy_case(void)
{
    static const int toy_y[21] = {0, 2, 0, 1, 0, 2, 0, 0, 1, 2, 0,
                                  2, 0, 1, 2, 0, 0, 2, 1, 0, 2};
    fold f = {21, NULL, NULL};
    f.x = malloc(21 * 2 * sizeof(*f.x));
    f.y = malloc(21 * sizeof(*f.y));
    ck_assert_ptr_nonnull(f.x);
    ck_assert_ptr_nonnull(f.y);
    for (int i = 0; i < 21; i++) {
        f.x[2 * i] = (double)(i * i % 17) + 0.1 * i;
        f.x[2 * i + 1] = (double)(i * 7 % 5) * 1.5 + 0.01 * i * i;
        f.y[i] = toy_y[i];
    }
    return f;
}

static inline void free_fold(fold *f)
{
    free(f->x);
    free(f->y);
}

#endif
