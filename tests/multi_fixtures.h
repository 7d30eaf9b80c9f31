/* Fixtures shared by the multi-class tests (test_metrics_multi.c, test_logreg_multi.c): the
 * imbalanced iris and ecoli hold-outs of tests/reference/<name>_split.csv as the loader reads them,
 * and the reference multinomial models of <name>_logreg.csv. Functions are static inline so a test
 * file that does not use one gets no warning. */
#ifndef IMBAL_TEST_MULTI_FIXTURES_H
#define IMBAL_TEST_MULTI_FIXTURES_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/dataset.h"
#include "util.h"

typedef struct {
    imbal_dataset *ds;   /* the whole file */
    size_t n_train, n_test;
    double *x_train, *x_test; /* rows in the split file's order */
    int *y_train, *y_test;
} multi_holdout;

typedef struct {
    const char *name;    /* "iris_imbalanced" or "ecoli" */
    const char *data;    /* path of the data file */
} multi_case;

static const multi_case multi_cases[] = {
    {"iris_imbalanced", "datasets/iris_imbalanced.csv"},
    {"ecoli", "datasets/ecoli.dat"},
};

/* Rows of one set of the split, copied in file order. */
static inline size_t multi_take(const imbal_dataset *ds, const ref_table *split, const char *set,
                                double **x, int **y)
{
    size_t m = 0;
    *x = malloc(split->n_rows * ds->d * sizeof(**x));
    *y = malloc(split->n_rows * sizeof(**y));
    ck_assert_ptr_nonnull(*x);
    ck_assert_ptr_nonnull(*y);
    for (size_t r = 0; r < split->n_rows; r++) {
        size_t row;
        if (strcmp(ref_str(split, r, "set"), set) != 0) {
            continue;
        }
        row = (size_t)ref_num(split, r, "row");
        ck_assert_uint_lt(row, ds->n);
        memcpy(*x + m * ds->d, ds->x + row * ds->d, ds->d * sizeof(**x));
        (*y)[m] = ds->y[row];
        m++;
    }
    return m;
}

static inline multi_holdout multi_load(const multi_case *c)
{
    char path[256];
    imbal_load_options opt;
    imbal_error err;
    multi_holdout h;
    ref_table *split;
    memset(&h, 0, sizeof(h));
    imbal_error_clear(&err);
    imbal_load_options_default(&opt);
    ck_assert_int_eq(imbal_dataset_load(c->data, &opt, &h.ds, &err), IMBAL_OK);
    snprintf(path, sizeof(path), "tests/reference/%s_split.csv", c->name);
    split = ref_read(path);
    h.n_train = multi_take(h.ds, split, "train", &h.x_train, &h.y_train);
    h.n_test = multi_take(h.ds, split, "test", &h.x_test, &h.y_test);
    ck_assert_uint_eq(h.n_train + h.n_test, h.ds->n);
    ref_free(split);
    return h;
}

static inline void multi_holdout_free(multi_holdout *h)
{
    imbal_dataset_free(h->ds);
    free(h->x_train);
    free(h->x_test);
    free(h->y_train);
    free(h->y_test);
}

/* Class index of a class name of ds; aborts if unknown. */
static inline size_t multi_class_index(const imbal_dataset *ds, const char *name)
{
    for (size_t c = 0; c < ds->n_classes; c++) {
        if (strcmp(ds->class_names[c], name) == 0) {
            return c;
        }
    }
    ck_abort_msg("unknown class %s", name);
    return 0;
}

/* The reference model (class_weight, solver) of ref: coef k x d row-major in class order,
 * intercept k, its n_iter. Features are matched by name to ds's columns. */
static inline void multi_ref_model(const ref_table *ref, const imbal_dataset *ds, const char *cw,
                                   const char *solver, double *coef, double *intercept,
                                   size_t *n_iter)
{
    size_t found = 0;
    for (size_t r = 0; r < ref->n_rows; r++) {
        size_t c;
        if (strcmp(ref_str(ref, r, "class_weight"), cw) != 0 ||
            strcmp(ref_str(ref, r, "solver"), solver) != 0) {
            continue;
        }
        c = multi_class_index(ds, ref_str(ref, r, "class"));
        intercept[c] = ref_num(ref, r, "intercept");
        for (size_t j = 0; j < ds->d; j++) {
            coef[c * ds->d + j] = ref_num(ref, r, ds->feature_names[j]);
        }
        *n_iter = (size_t)ref_num(ref, r, "n_iter");
        found++;
    }
    ck_assert_uint_eq(found, ds->n_classes);
}

/* Softmax probabilities of a linear model (as scikit-learn's predict_proba: the maximum
 * subtracted), independently of imbal's model code. */
static inline void multi_softmax(const double *coef, const double *intercept, size_t k,
                                 size_t d, const double *x, size_t n, double *proba)
{
    for (size_t i = 0; i < n; i++) {
        double *p = proba + i * k;
        double top = -INFINITY;
        double sum = 0.0;
        for (size_t c = 0; c < k; c++) {
            double z = intercept[c];
            for (size_t j = 0; j < d; j++) {
                z += x[i * d + j] * coef[c * d + j];
            }
            p[c] = z;
            top = z > top ? z : top;
        }
        for (size_t c = 0; c < k; c++) {
            p[c] = exp(p[c] - top);
            sum += p[c];
        }
        for (size_t c = 0; c < k; c++) {
            p[c] /= sum;
        }
    }
}

#endif
