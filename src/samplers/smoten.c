/* SMOTEN as in imbalanced-learn 0.10 (SMOTEN; Chawla et al. 2002, section 6.2): every column
 * categorical; rows compared by the value difference metric fitted on the fold
 * (ValueDifferenceMetric(k=1, r=2): for each variable the L1 distance between the class
 * distributions P(class | category) of the two categories, squared, summed over the
 * variables); a new row of a class starts from a row drawn at random (choice with replacement)
 * and takes, variable by variable, the most frequent category among that row's k + 1 nearest
 * rows of its class (itself included; ties to the first category in sorted order, as
 * scipy.stats.mode). The neighbours are what scikit-learn's brute search on the precomputed
 * distances returns: numpy's argpartition of each row of the distance matrix, whose choice
 * among equidistant rows at the k-th place is reproduced here by the same selection
 * algorithm (numpy 1.24's introselect), since categorical data tie all the time. Draws under a
 * numpy generator restart from the fold's entry state for every class (check_random_state
 * in _make_samples). The variables come from the fold's column map (imbal_train_view.columns);
 * the class sums of the metric follow numpy's order for up to 8 classes. Reached only through
 * resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

const imbal_param_spec imbal_smoten_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"k_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours of a row among its class whose categories vote"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

typedef struct {
    size_t k;
    size_t n_vars;
    const imbal_column **var; /* borrowed from the view's column map */
    size_t *lev;              /* n * n_vars: every row's level of every variable */
    size_t *off;              /* n_vars + 1: where variable v's levels start in prob */
    double *prob;             /* (sum of levels) * n_classes: P(class | level) */
} sn_ctx;

/* ---- numpy's argpartition (introselect, numpy 1.24, no NaN) ---- */

static void sn_swap(size_t *idx, ptrdiff_t a, ptrdiff_t b)
{
    size_t t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
}

/* Selection sort of the first kth + 1 places (numpy's dumb_select). */
static void sn_dumb_select(const double *v, size_t *idx, ptrdiff_t num, ptrdiff_t kth)
{
    for (ptrdiff_t i = 0; i <= kth; i++) {
        ptrdiff_t at = i;
        double least = v[idx[i]];
        for (ptrdiff_t j = i + 1; j < num; j++) {
            if (v[idx[j]] < least) {
                at = j;
                least = v[idx[j]];
            }
        }
        sn_swap(idx, i, at);
    }
}

/* Median of low, mid, high moved to low, the least of them to low + 1. */
static void sn_median3(const double *v, size_t *idx, ptrdiff_t low, ptrdiff_t mid, ptrdiff_t high)
{
    if (v[idx[high]] < v[idx[mid]]) {
        sn_swap(idx, high, mid);
    }
    if (v[idx[high]] < v[idx[low]]) {
        sn_swap(idx, high, low);
    }
    if (v[idx[low]] < v[idx[mid]]) {
        sn_swap(idx, low, mid);
    }
    sn_swap(idx, mid, low + 1);
}

/* Place (0 .. 4) of the median of idx[0 .. 5), partly ordering them. */
static ptrdiff_t sn_median5(const double *v, size_t *idx)
{
    if (v[idx[1]] < v[idx[0]]) {
        sn_swap(idx, 1, 0);
    }
    if (v[idx[4]] < v[idx[3]]) {
        sn_swap(idx, 4, 3);
    }
    if (v[idx[3]] < v[idx[0]]) {
        sn_swap(idx, 3, 0);
    }
    if (v[idx[4]] < v[idx[1]]) {
        sn_swap(idx, 4, 1);
    }
    if (v[idx[2]] < v[idx[1]]) {
        sn_swap(idx, 2, 1);
    }
    if (v[idx[3]] < v[idx[2]]) {
        return v[idx[3]] < v[idx[1]] ? 1 : 3;
    }
    return 2;
}

static void sn_select(const double *v, size_t *idx, ptrdiff_t num, ptrdiff_t kth);

/* Median of the medians of the blocks of five, moved to the front; its place. */
static ptrdiff_t sn_median_of_medians(const double *v, size_t *idx, ptrdiff_t num)
{
    ptrdiff_t nmed = num / 5;
    for (ptrdiff_t i = 0; i < nmed; i++) {
        ptrdiff_t m = sn_median5(v, idx + 5 * i);
        sn_swap(idx, 5 * i + m, i);
    }
    if (nmed > 2) {
        sn_select(v, idx, nmed, nmed / 2);
    }
    return nmed / 2;
}

/* Reorders idx[0 .. num) so that place kth holds the row numpy's argpartition puts there,
 * the rows before it no farther, the rows after no nearer, each where numpy leaves it. */
static void sn_select(const double *v, size_t *idx, ptrdiff_t num, ptrdiff_t kth)
{
    ptrdiff_t low = 0;
    ptrdiff_t high = num - 1;
    int depth = 0;
    if (kth - low < 3) {
        sn_dumb_select(v, idx, num, kth);
        return;
    }
    if (kth == num - 1) {
        ptrdiff_t at = low;
        double most = v[idx[low]];
        for (ptrdiff_t j = low + 1; j < num; j++) {
            if (!(v[idx[j]] < most)) {
                at = j;
                most = v[idx[j]];
            }
        }
        sn_swap(idx, kth, at);
        return;
    }
    for (size_t u = (size_t)num; u >>= 1;) {
        depth++;
    }
    depth *= 2;
    while (low + 1 < high) {
        ptrdiff_t ll = low + 1;
        ptrdiff_t hh = high;
        double pivot;
        if (depth > 0 || hh - ll < 5) {
            sn_median3(v, idx, low, low + (high - low) / 2, high);
        } else {
            ptrdiff_t mid = ll + sn_median_of_medians(v, idx + ll, hh - ll);
            sn_swap(idx, mid, low);
            ll--;
            hh++;
        }
        depth--;
        pivot = v[idx[low]];
        for (;;) { /* unguarded: the median-of-three left a guard at each end */
            do {
                ll++;
            } while (v[idx[ll]] < pivot);
            do {
                hh--;
            } while (pivot < v[idx[hh]]);
            if (hh < ll) {
                break;
            }
            sn_swap(idx, ll, hh);
        }
        sn_swap(idx, low, hh);
        if (hh >= kth) {
            high = hh - 1;
        }
        if (hh <= kth) {
            low = ll;
        }
    }
    if (high == low + 1 && v[idx[high]] < v[idx[low]]) {
        sn_swap(idx, high, low);
    }
}

/* np.argpartition(v[0 .. n), kth) into idx (n). Exposed for the tests through samplers.h. */
void imbal_numpy_argpartition(const double *v, size_t n, size_t kth, size_t *idx)
{
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
    }
    if (n > 1) {
        sn_select(v, idx, (ptrdiff_t)n, (ptrdiff_t)kth);
    }
}

/* ---- the metric ---- */

/* The variables (every column must belong to one), every row's levels, and the metric's
 * P(class | level) on the whole fold: bincount per class, divided by the level's total
 * (0 for a level absent from the fold, as np.nan_to_num). */
static imbal_status sn_fit(const imbal_train_view *in, sn_ctx *cx, imbal_error *err)
{
    const imbal_columns *cm = in->columns;
    size_t covered = 0;
    size_t nk = in->n_classes;
    cx->var = cm != NULL ? imbal_malloc(cm->n_columns, sizeof(*cx->var)) : NULL;
    if (cm != NULL && cx->var == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smoten");
    }
    for (size_t j = 0; cm != NULL && j < cm->n_columns; j++) {
        if (cm->columns[j].role == IMBAL_COLUMN_CATEGORICAL) {
            cx->var[cx->n_vars++] = &cm->columns[j];
            covered += cm->columns[j].n_levels - 1;
        }
    }
    if (cx->n_vars == 0 || covered != in->d) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "smoten needs every column categorical and %zu of the %zu feature "
                          "columns are numeric: use smote_nc (or declare the columns "
                          "categorical)",
                          in->d - (covered < in->d ? covered : in->d), in->d);
    }
    cx->off = imbal_malloc(cx->n_vars + 1, sizeof(*cx->off));
    cx->lev = imbal_malloc(in->n, cx->n_vars * sizeof(*cx->lev));
    if (cx->off == NULL || cx->lev == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smoten");
    }
    cx->off[0] = 0;
    for (size_t v = 0; v < cx->n_vars; v++) {
        cx->off[v + 1] = cx->off[v] + cx->var[v]->n_levels;
    }
    cx->prob = imbal_calloc(cx->off[cx->n_vars], nk * sizeof(*cx->prob));
    if (cx->prob == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smoten");
    }
    for (size_t i = 0; i < in->n; i++) {
        for (size_t v = 0; v < cx->n_vars; v++) {
            size_t l = imbal_dataset_category(cx->var[v], in->x + i * in->d);
            cx->lev[i * cx->n_vars + v] = l;
            cx->prob[(cx->off[v] + l) * nk + (size_t)in->y[i]] += 1.0;
        }
    }
    for (size_t l = 0; l < cx->off[cx->n_vars]; l++) {
        double *row = cx->prob + l * nk;
        double total = 0.0;
        for (size_t c = 0; c < nk; c++) {
            total += row[c];
        }
        for (size_t c = 0; c < nk; c++) {
            row[c] = total > 0.0 ? row[c] / total : 0.0;
        }
    }
    return IMBAL_OK;
}

/* The metric between rows a and b of the fold: scipy's distance_matrix(p=1) per variable
 * (the class terms summed in order), squared, added over the variables in order. */
static double sn_distance(const imbal_train_view *in, const sn_ctx *cx, size_t a, size_t b)
{
    size_t nk = in->n_classes;
    double dist = 0.0;
    for (size_t v = 0; v < cx->n_vars; v++) {
        const double *pa = cx->prob + (cx->off[v] + cx->lev[a * cx->n_vars + v]) * nk;
        const double *pb = cx->prob + (cx->off[v] + cx->lev[b * cx->n_vars + v]) * nk;
        double l1 = 0.0;
        for (size_t c = 0; c < nk; c++) {
            double diff = pb[c] - pa[c];
            l1 += diff < 0.0 ? -diff : diff;
        }
        dist += l1 * l1;
    }
    return dist;
}

/* The add new rows of class c: neighbours, draws, votes. */
static imbal_status sn_class(const imbal_train_view *in, int c, size_t add, imbal_rng *rng,
                             const imbal_rng *entry, imbal_resampled *r, size_t pos, void *ctx,
                             imbal_error *err)
{
    const sn_ctx *cx = ctx;
    size_t k1 = cx->k + 1;
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    double *dist = NULL;
    size_t *order = NULL;
    size_t *nns = NULL;
    size_t *count = NULL;
    size_t max_levels = 0;
    size_t m = 0;
    imbal_status st = IMBAL_OK;
    (void)entry; /* the rng already restarts from it for every class */
    if (rows == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smoten");
    }
    m = imbal_class_rows(in, c, rows);
    st = imbal_smote_k_fits(cx->k, (size_t)c, m, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t v = 0; v < cx->n_vars; v++) {
        max_levels = cx->var[v]->n_levels > max_levels ? cx->var[v]->n_levels : max_levels;
    }
    dist = imbal_malloc(m, sizeof(*dist));
    order = imbal_malloc(m, sizeof(*order));
    nns = imbal_malloc(m, k1 * sizeof(*nns));
    count = imbal_malloc(max_levels, sizeof(*count));
    if (dist == NULL || order == NULL || nns == NULL || count == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in smoten");
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < m; j++) {
            dist[j] = sn_distance(in, cx, rows[i], rows[j]);
        }
        imbal_numpy_argpartition(dist, m, k1 - 1, order);
        memcpy(nns + i * k1, order, k1 * sizeof(*nns));
    }
    /* random_state.choice(m, size=add, replace=True) is randint(0, m, size=add) */
    for (size_t s = 0; s < add; s++) {
        size_t base = (size_t)imbal_rng_below(rng, m);
        double *o = r->x + (pos + s) * in->d;
        for (size_t v = 0; v < cx->n_vars; v++) {
            const imbal_column *col = cx->var[v];
            size_t best = 0;
            memset(count, 0, col->n_levels * sizeof(*count));
            for (size_t j = 0; j < k1; j++) {
                count[cx->lev[rows[nns[base * k1 + j]] * cx->n_vars + v]]++;
            }
            for (size_t l = 1; l < col->n_levels; l++) {
                best = count[l] > count[best] ? l : best; /* ties: the smaller level */
            }
            for (size_t l = 1; l < col->n_levels; l++) {
                o[col->feature + l - 1] = l == best ? 1.0 : 0.0;
            }
        }
        r->y[pos + s] = c;
        r->source[pos + s] = IMBAL_SYNTHETIC;
    }
cleanup:
    free(rows);
    free(dist);
    free(order);
    free(nns);
    free(count);
    return st;
}

imbal_status imbal_smoten_run(const imbal_train_view *in, const imbal_param_values *p,
                              imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    sn_ctx cx;
    imbal_status st;
    *out = NULL;
    memset(&cx, 0, sizeof(cx));
    cx.k = (size_t)imbal_param_num(p, "k_neighbors");
    st = sn_fit(in, &cx, err);
    if (st == IMBAL_OK) {
        st = imbal_over_by_class(in, p, rng, sn_class, &cx, out, err);
    }
    free(cx.var);
    free(cx.lev);
    free(cx.off);
    free(cx.prob);
    return st;
}

/* SMOTE's: sampling_strategy's targets, then k_neighbors against each class that gains rows.
 * The columns are checked at run time. */
imbal_status imbal_smoten_check(const imbal_param_values *p, const size_t *counts, size_t n_classes,
                                imbal_error *err)
{
    return imbal_smote_check(p, counts, n_classes, err);
}
