/* Stratified random splits: hold-out and (repeated) k-fold. Each follows scikit-learn 1.2's
 * StratifiedShuffleSplit and StratifiedKFold draw for draw (same class order, same calls on
 * the generator in the same order), so an IMBAL_RNG_NUMPY generator replays
 * train_test_split(stratify=y) and StratifiedKFold(shuffle=True) row for row; the default
 * kind runs the same algorithm on its own stream. */
#include "imbal/split.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "split_internal.h"

/* The classes present in y and their rows. Class c (numbered in the order the caller
 * asked for) owns rows[start[c] .. start[c + 1]), in increasing row order, which is what
 * scikit-learn's stable argsort of the encoded labels gives. */
typedef struct {
    size_t m;       /* classes present */
    int *label;     /* m: label of each class */
    size_t *count;  /* m */
    size_t *start;  /* m + 1 */
    size_t *rows;   /* n */
} split_classes;

typedef enum {
    SPLIT_ORDER_SORTED,  /* np.unique order: StratifiedShuffleSplit */
    SPLIT_ORDER_FIRST    /* order of first appearance: StratifiedKFold */
} split_order;

void imbal_split_free(imbal_split *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t f = 0; f < s->n_folds; f++) {
        free(s->folds[f].train);
        free(s->folds[f].test);
    }
    free(s->folds);
    free(s);
}

imbal_status imbal_split_alloc(size_t n_folds, size_t n_repeats, imbal_split **out,
                               imbal_error *err)
{
    imbal_split *s = imbal_calloc(1, sizeof(*s));
    *out = NULL;
    if (s == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating a split");
    }
    s->folds = imbal_calloc(n_folds, sizeof(*s->folds));
    if (s->folds == NULL) {
        free(s);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating %zu folds", n_folds);
    }
    s->n_folds = n_folds;
    s->n_repeats = n_repeats;
    *out = s;
    return IMBAL_OK;
}

static void split_classes_free(split_classes *cl)
{
    free(cl->label);
    free(cl->count);
    free(cl->start);
    free(cl->rows);
}

/* Groups the rows of y by class (labels must lie in 0 .. n_classes - 1); classes absent
 * from y are not classes of the split, as for scikit-learn, which only sees y. */
static imbal_status split_classes_build(const int *y, size_t n, size_t n_classes,
                                        split_order order, split_classes *cl, imbal_error *err)
{
    size_t *code = NULL; /* class number of each label, SIZE_MAX while unseen */
    size_t *fill = NULL;
    imbal_status st = IMBAL_OK;
    memset(cl, 0, sizeof(*cl));
    if (n == 0 || n_classes == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "cannot split a dataset with no %s",
                          n == 0 ? "rows" : "classes");
    }
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= n_classes) {
            return imbal_fail(err, IMBAL_EINVAL, "row %zu has label %d, outside 0 .. %zu", i,
                              y[i], n_classes - 1);
        }
    }
    code = imbal_malloc(n_classes, sizeof(*code));
    fill = imbal_malloc(n_classes + 1, sizeof(*fill));
    cl->label = imbal_malloc(n_classes, sizeof(*cl->label));
    cl->count = imbal_calloc(n_classes, sizeof(*cl->count));
    cl->start = imbal_malloc(n_classes + 1, sizeof(*cl->start));
    cl->rows = imbal_malloc(n, sizeof(*cl->rows));
    if (code == NULL || fill == NULL || cl->label == NULL || cl->count == NULL ||
        cl->start == NULL || cl->rows == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory grouping %zu rows by class", n);
        goto cleanup;
    }
    for (size_t c = 0; c < n_classes; c++) {
        code[c] = SIZE_MAX;
        fill[c] = 0; /* here: 1 when label c occurs */
    }
    for (size_t i = 0; i < n; i++) {
        size_t lab = (size_t)y[i];
        if (order == SPLIT_ORDER_FIRST && code[lab] == SIZE_MAX) {
            cl->label[cl->m] = y[i];
            code[lab] = cl->m++;
        }
        fill[lab] = 1;
    }
    if (order == SPLIT_ORDER_SORTED) {
        for (size_t lab = 0; lab < n_classes; lab++) {
            if (fill[lab] != 0) {
                cl->label[cl->m] = (int)lab;
                code[lab] = cl->m++;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        cl->count[code[(size_t)y[i]]]++;
    }
    cl->start[0] = 0;
    for (size_t c = 0; c < cl->m; c++) {
        cl->start[c + 1] = cl->start[c] + cl->count[c];
        fill[c] = cl->start[c];
    }
    for (size_t i = 0; i < n; i++) {
        cl->rows[fill[code[(size_t)y[i]]]++] = i;
    }
cleanup:
    free(code);
    free(fill);
    if (st != IMBAL_OK) {
        split_classes_free(cl);
        memset(cl, 0, sizeof(*cl));
    }
    return st;
}

static int split_cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x < y) - (x > y);
}

/* scikit-learn's _approximate_mode: class i gets floor(count_i / total * n_draws) (that
 * expression, in that order, in doubles), and the draws still missing go one each to the
 * classes with the largest remainders. Each group of equal remainders visited, from the
 * largest down, is thinned to what is still missing by the first entries of a permutation
 * of the group (numpy's choice without replacement); that permutation is drawn even when the
 * whole group is taken, because numpy draws it too. Remainders are compared with == on
 * purpose: scikit-learn groups exact ties. Scratch: rem, vals (m doubles), inds, perm (m). */
static void split_approximate_mode(const size_t *count, size_t m, size_t n_draws,
                                   imbal_rng *rng, double *rem, double *vals, size_t *inds,
                                   size_t *perm, size_t *out)
{
    size_t total = 0;
    size_t floored = 0;
    size_t need;
    size_t n_vals = 0;
    for (size_t i = 0; i < m; i++) {
        total += count[i];
    }
    for (size_t i = 0; i < m; i++) {
        double cont = (double)count[i] / (double)total * (double)n_draws;
        double fl = floor(cont);
        out[i] = (size_t)fl;
        rem[i] = cont - fl;
        floored += out[i];
    }
    if (floored >= n_draws) {
        return;
    }
    need = n_draws - floored;
    memcpy(vals, rem, m * sizeof(*vals));
    qsort(vals, m, sizeof(*vals), split_cmp_desc);
    for (size_t i = 0; i < m; i++) {
        if (n_vals == 0 || vals[i] != vals[n_vals - 1]) {
            vals[n_vals++] = vals[i];
        }
    }
    for (size_t v = 0; v < n_vals && need > 0; v++) {
        size_t len = 0;
        size_t add_now;
        for (size_t i = 0; i < m; i++) {
            if (rem[i] == vals[v]) { /* exact tie, as np.where(remainder == value) */
                inds[len++] = i;
            }
        }
        add_now = len < need ? len : need;
        imbal_rng_permutation(rng, perm, len);
        for (size_t j = 0; j < add_now; j++) {
            out[inds[perm[j]]]++;
        }
        need -= add_now;
    }
}

/* Test rows for test_size, as scikit-learn's _validate_shuffle_split: ceil(t * n) for a
 * fraction, the count itself for a whole number >= 1. */
static imbal_status split_test_rows(double test_size, size_t n, size_t *n_test,
                                    imbal_error *err)
{
    if (n == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "cannot split a dataset with no rows");
    }
    if (!(test_size > 0.0)) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "test_size %g must be a fraction in (0, 1) or a row count >= 1",
                          test_size);
    }
    if (test_size < 1.0) {
        *n_test = (size_t)ceil(test_size * (double)n);
    } else if (test_size != floor(test_size)) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "test_size %g is neither a fraction in (0, 1) nor a whole row count",
                          test_size);
    } else if (test_size >= (double)n) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "test_size %g must be smaller than the number of rows (%zu)",
                          test_size, n);
    } else {
        *n_test = (size_t)test_size;
    }
    if (*n_test >= n) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "test_size %g takes all %zu rows and leaves the training fold empty",
                          test_size, n);
    }
    return IMBAL_OK;
}

/* StratifiedShuffleSplit(n_splits=1): allocate train then test counts per class, permute
 * each class's rows (in class order), deal the first n_i to train and the next t_i to
 * test, then permute train and test. */
imbal_status imbal_split_holdout(const int *y, size_t n, size_t n_classes, double test_size,
                                 imbal_rng *rng, imbal_split **out, imbal_error *err)
{
    split_classes cl;
    imbal_split *res = NULL;
    size_t *sizes = NULL;
    double *work = NULL;
    size_t *perm = NULL;
    size_t n_test = 0;
    size_t n_train;
    size_t max_count = 0;
    size_t tr = 0;
    size_t te = 0;
    imbal_fold *fold;
    imbal_status st;
    *out = NULL;
    memset(&cl, 0, sizeof(cl));
    st = split_test_rows(test_size, n, &n_test, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    n_train = n - n_test;
    st = split_classes_build(y, n, n_classes, SPLIT_ORDER_SORTED, &cl, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t c = 0; c < cl.m; c++) {
        if (cl.count[c] < 2) {
            st = imbal_fail(err, IMBAL_EINVAL,
                            "class %d has %zu row; a stratified hold-out needs at least 2 "
                            "rows in every class",
                            cl.label[c], cl.count[c]);
            goto cleanup;
        }
        max_count = cl.count[c] > max_count ? cl.count[c] : max_count;
    }
    if (n_train < cl.m || n_test < cl.m) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "a %s fold of %zu rows cannot hold all %zu classes",
                        n_train < cl.m ? "training" : "test", n_train < cl.m ? n_train : n_test,
                        cl.m);
        goto cleanup;
    }
    sizes = imbal_malloc(cl.m, 5 * sizeof(*sizes));
    work = imbal_malloc(cl.m, 2 * sizeof(*work));
    perm = imbal_malloc(max_count, sizeof(*perm));
    if (sizes == NULL || work == NULL || perm == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory drawing a hold-out");
        goto cleanup;
    }
    st = imbal_split_alloc(1, 1, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    fold = &res->folds[0];
    fold->train = imbal_malloc(n_train, sizeof(*fold->train));
    fold->test = imbal_malloc(n_test, sizeof(*fold->test));
    if (fold->train == NULL || fold->test == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating a hold-out of %zu rows",
                        n);
        goto cleanup;
    }
    {
        size_t m = cl.m;
        size_t *n_i = sizes;
        size_t *t_i = sizes + m;
        size_t *left = sizes + 2 * m;
        split_approximate_mode(cl.count, m, n_train, rng, work, work + m, sizes + 3 * m,
                               sizes + 4 * m, n_i);
        for (size_t c = 0; c < m; c++) {
            /* n_i <= count always; min() keeps Python's slice clamping all the same */
            n_i[c] = n_i[c] < cl.count[c] ? n_i[c] : cl.count[c];
            left[c] = cl.count[c] - n_i[c];
        }
        split_approximate_mode(left, m, n_test, rng, work, work + m, sizes + 3 * m,
                               sizes + 4 * m, t_i);
        for (size_t c = 0; c < m; c++) {
            const size_t *rows = cl.rows + cl.start[c];
            size_t end = n_i[c] + (t_i[c] < left[c] ? t_i[c] : left[c]);
            imbal_rng_permutation(rng, perm, cl.count[c]);
            for (size_t j = 0; j < n_i[c]; j++) {
                fold->train[tr++] = rows[perm[j]];
            }
            for (size_t j = n_i[c]; j < end; j++) {
                fold->test[te++] = rows[perm[j]];
            }
        }
    }
    imbal_rng_shuffle(rng, fold->train, tr);
    imbal_rng_shuffle(rng, fold->test, te);
    fold->n_train = tr;
    fold->n_test = te;
    *out = res;
    res = NULL;
cleanup:
    imbal_split_free(res);
    split_classes_free(&cl);
    free(sizes);
    free(work);
    free(perm);
    return st;
}

/* StratifiedKFold._make_test_folds: the test fold of every row. Position p of the labels
 * sorted by class goes to fold p mod k (scikit-learn's round robin over np.sort(y_encoded)),
 * which fixes how many rows of each class each fold gets; then each class in turn shuffles
 * its list of fold numbers and hands them to its rows in increasing row order.
 * Scratch: alloc (k * m), deal (largest class). */
static void split_kfold_assign(const split_classes *cl, size_t k, imbal_rng *rng,
                               size_t *alloc, size_t *deal, size_t *fold_of)
{
    size_t m = cl->m;
    memset(alloc, 0, k * m * sizeof(*alloc));
    for (size_t c = 0; c < m; c++) {
        for (size_t p = cl->start[c]; p < cl->start[c + 1]; p++) {
            alloc[(p % k) * m + c]++;
        }
    }
    for (size_t c = 0; c < m; c++) {
        size_t len = 0;
        for (size_t f = 0; f < k; f++) {
            for (size_t j = 0; j < alloc[f * m + c]; j++) {
                deal[len++] = f;
            }
        }
        imbal_rng_shuffle(rng, deal, len);
        for (size_t j = 0; j < len; j++) {
            fold_of[cl->rows[cl->start[c] + j]] = deal[j];
        }
    }
}

/* The k folds of one repeat from fold_of: test = rows of fold f, train = the others, both
 * in increasing row order as StratifiedKFold.split yields them. */
static imbal_status split_kfold_folds(const size_t *fold_of, size_t n, size_t k,
                                      size_t repeat, imbal_fold *folds, imbal_error *err)
{
    for (size_t f = 0; f < k; f++) {
        imbal_fold *fold = &folds[f];
        size_t n_test = 0;
        for (size_t i = 0; i < n; i++) {
            n_test += fold_of[i] == f;
        }
        fold->repeat = repeat;
        fold->fold = f;
        fold->test = imbal_malloc(n_test, sizeof(*fold->test));
        fold->train = imbal_malloc(n - n_test, sizeof(*fold->train));
        if (fold->test == NULL || fold->train == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating fold %zu", f);
        }
        for (size_t i = 0; i < n; i++) {
            if (fold_of[i] == f) {
                fold->test[fold->n_test++] = i;
            } else {
                fold->train[fold->n_train++] = i;
            }
        }
    }
    return IMBAL_OK;
}

/* The checks of StratifiedKFold (and _BaseKFold.split) before any draw. */
static imbal_status split_kfold_check(const split_classes *cl, size_t n, size_t k,
                                      imbal_error *err)
{
    size_t largest = 0;
    if (k > n) {
        return imbal_fail(err, IMBAL_EINVAL, "k = %zu folds is more than the %zu rows", k, n);
    }
    for (size_t c = 0; c < cl->m; c++) {
        largest = cl->count[c] > largest ? cl->count[c] : largest;
    }
    if (largest < k) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "k = %zu folds is more than the rows of every class (the largest "
                          "has %zu)",
                          k, largest);
    }
    return IMBAL_OK;
}

imbal_status imbal_split_repeated_kfold(const int *y, size_t n, size_t n_classes, size_t k,
                                        size_t repeats, imbal_rng *rng, imbal_split **out,
                                        imbal_error *err)
{
    split_classes cl;
    imbal_split *res = NULL;
    size_t *alloc = NULL;
    size_t *deal = NULL;
    size_t *fold_of = NULL;
    imbal_status st;
    *out = NULL;
    memset(&cl, 0, sizeof(cl));
    if (k < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "k = %zu folds; k-fold needs at least 2", k);
    }
    if (repeats < 1) {
        return imbal_fail(err, IMBAL_EINVAL, "repeats = 0; at least 1 repeat is needed");
    }
    if (repeats > SIZE_MAX / k) {
        return imbal_fail(err, IMBAL_EINVAL, "%zu repeats of %zu folds is too many", repeats,
                          k);
    }
    st = split_classes_build(y, n, n_classes, SPLIT_ORDER_FIRST, &cl, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = split_kfold_check(&cl, n, k, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    alloc = imbal_malloc(k, cl.m * sizeof(*alloc));
    deal = imbal_malloc(n, sizeof(*deal));
    fold_of = imbal_malloc(n, sizeof(*fold_of));
    if (alloc == NULL || deal == NULL || fold_of == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory drawing %zu folds", k);
        goto cleanup;
    }
    st = imbal_split_alloc(repeats * k, repeats, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    /* one generator for all repeats, as RepeatedStratifiedKFold passes its RandomState on */
    for (size_t r = 0; r < repeats; r++) {
        split_kfold_assign(&cl, k, rng, alloc, deal, fold_of);
        st = split_kfold_folds(fold_of, n, k, r, res->folds + r * k, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    *out = res;
    res = NULL;
cleanup:
    imbal_split_free(res);
    split_classes_free(&cl);
    free(alloc);
    free(deal);
    free(fold_of);
    return st;
}

imbal_status imbal_split_kfold(const int *y, size_t n, size_t n_classes, size_t k,
                               imbal_rng *rng, imbal_split **out, imbal_error *err)
{
    return imbal_split_repeated_kfold(y, n, n_classes, k, 1, rng, out, err);
}
