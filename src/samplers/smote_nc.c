/* SMOTE-NC as in imbalanced-learn 0.10 (SMOTENC; Chawla et al. 2002, section 6.1): SMOTE on
 * the numeric columns, with each categorical variable's one-hot (all its levels, the dropped
 * one included) set to half the median of the minority class's numeric standard deviations,
 * so that two rows of different categories are that penalty apart; a new row's category is
 * the most frequent one among the k neighbours of the row it starts from (ties drawn at
 * random as imblearn draws them), written back as one-hot, exactly one dummy per variable.
 * The variables come from the fold's column map (imbal_train_view.columns). Reached only
 * through resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

const imbal_param_spec imbal_smote_nc_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"k_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours of a row among its class: numeric interpolation, categories by vote"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

typedef struct {
    size_t k;
    size_t n_vars;            /* categorical variables, in file order */
    const imbal_column **var; /* borrowed from the view's column map */
    size_t n_num;             /* numeric columns of x, in column order */
    size_t *num;
    size_t n_onehot; /* sum of the variables' levels */
    double half;     /* median_std / 2: the value of a one-hot entry */
    double unit;     /* what a neighbour's vote adds: half, or 1 when median_std is 0 */
} nc_ctx;

/* The variables of the column map and the numeric columns (those no variable covers). */
static imbal_status nc_columns(const imbal_train_view *in, nc_ctx *cx, imbal_error *err)
{
    const imbal_columns *cm = in->columns;
    unsigned char *dummy = imbal_calloc(in->d, 1);
    if (dummy == NULL || cm == NULL) {
        free(dummy);
        return dummy == NULL ? imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote_nc")
                             : IMBAL_OK;
    }
    cx->var = imbal_malloc(cm->n_columns, sizeof(*cx->var));
    if (cx->var == NULL) {
        free(dummy);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote_nc");
    }
    for (size_t j = 0; j < cm->n_columns; j++) {
        const imbal_column *col = &cm->columns[j];
        if (col->role != IMBAL_COLUMN_CATEGORICAL) {
            continue;
        }
        cx->var[cx->n_vars++] = col;
        cx->n_onehot += col->n_levels;
        for (size_t l = 1; l < col->n_levels && col->feature + l - 1 < in->d; l++) {
            dummy[col->feature + l - 1] = 1;
        }
    }
    for (size_t f = 0; f < in->d; f++) {
        if (!dummy[f]) {
            cx->num[cx->n_num++] = f;
        }
    }
    free(dummy);
    return IMBAL_OK;
}

static int nc_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* imblearn's median_std_: np.median(np.sqrt(X_minority.var(axis=0))) over the numeric columns,
 * minority = min(Counter(y)); the middle of an even count is the mean of the two. */
static imbal_status nc_median_std(const imbal_train_view *in, nc_ctx *cx, imbal_error *err)
{
    size_t *all = imbal_malloc(in->n, sizeof(*all));
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    double *sd = imbal_malloc(cx->n_num, sizeof(*sd));
    int minority = 0;
    size_t m;
    imbal_status st = IMBAL_OK;
    if (all == NULL || rows == NULL || sd == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote_nc");
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        all[i] = i;
    }
    st = imbal_counter_minority(in->y, all, in->n, in->n_classes, &minority, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    m = imbal_class_rows(in, minority, rows);
    for (size_t j = 0; j < cx->n_num; j++) {
        sd[j] = imbal_class_std(in, rows, m, cx->num[j]);
    }
    qsort(sd, cx->n_num, sizeof(*sd), nc_cmp_double);
    if (cx->n_num % 2 == 1) {
        cx->half = sd[cx->n_num / 2] / 2.0;
    } else {
        cx->half = (sd[cx->n_num / 2 - 1] + sd[cx->n_num / 2]) / 2.0 / 2.0;
    }
    /* math.isclose(median_std_, 0) holds for 0 only: the votes then count 1 each */
    cx->unit = cx->half == 0.0 ? 1.0 : cx->half;
cleanup:
    free(all);
    free(rows);
    free(sd);
    return st;
}

/* The m rows of the class as imblearn's encoded matrix: numeric columns, then every
 * variable's one-hot of all its levels at value half; lev gets each row's levels. */
static void nc_encode(const imbal_train_view *in, const nc_ctx *cx, const size_t *rows, size_t m,
                      double *xe, size_t *lev)
{
    size_t de = cx->n_num + cx->n_onehot;
    for (size_t i = 0; i < m; i++) {
        const double *x = in->x + rows[i] * in->d;
        double *o = xe + i * de;
        size_t at = cx->n_num;
        for (size_t j = 0; j < cx->n_num; j++) {
            o[j] = x[cx->num[j]];
        }
        for (size_t v = 0; v < cx->n_vars; v++) {
            size_t l = imbal_dataset_category(cx->var[v], x);
            memset(o + at, 0, cx->var[v]->n_levels * sizeof(*o));
            o[at + l] = cx->half;
            lev[i * cx->n_vars + v] = l;
            at += cx->var[v]->n_levels;
        }
    }
}

/* One variable for the add new rows: the levels with the most votes among the k neighbours of
 * each row's base (np.isclose of the summed one-hot to its maximum), every (row, level) pair of
 * a maximum in row-major order, permuted (rng.permutation(np.argwhere(is_max))), and each row's
 * first pair in that order wins. chosen gets add levels. */
static imbal_status nc_vote(const nc_ctx *cx, size_t v, const size_t *lev, const size_t *nns,
                            const size_t *slot, size_t add, imbal_rng *prng, size_t *chosen,
                            imbal_error *err)
{
    size_t nl = cx->var[v]->n_levels;
    size_t k = cx->k;
    size_t *count = imbal_malloc(nl, sizeof(*count));
    double *score = imbal_malloc(nl, sizeof(*score));
    size_t *pair = imbal_malloc(add, nl * sizeof(*pair));
    size_t *perm = imbal_malloc(add, nl * sizeof(*perm));
    size_t n_pair = 0;
    if (count == NULL || score == NULL || pair == NULL || perm == NULL) {
        free(count);
        free(score);
        free(pair);
        free(perm);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote_nc");
    }
    for (size_t s = 0; s < add; s++) {
        size_t base = slot[s] / k;
        double best;
        memset(count, 0, nl * sizeof(*count));
        for (size_t j = 0; j < k; j++) {
            count[lev[nns[base * k + j] * cx->n_vars + v]]++;
        }
        for (size_t l = 0; l < nl; l++) {
            score[l] = 0.0; /* numpy's sum over the neighbours: the votes one by one */
            for (size_t c = 0; c < count[l]; c++) {
                score[l] += cx->unit;
            }
        }
        best = score[0];
        for (size_t l = 1; l < nl; l++) {
            best = score[l] > best ? score[l] : best;
        }
        for (size_t l = 0; l < nl; l++) {
            /* np.isclose(a, best): |a - best| <= 1e-8 + 1e-5 |best| */
            if (fabs(score[l] - best) <= 1e-8 + 1e-5 * fabs(best)) {
                pair[n_pair++] = s * nl + l;
            }
        }
        chosen[s] = SIZE_MAX;
    }
    for (size_t t = 0; t < n_pair; t++) {
        perm[t] = t;
    }
    imbal_rng_shuffle(prng, perm, n_pair);
    for (size_t t = 0; t < n_pair; t++) {
        size_t s = pair[perm[t]] / nl;
        if (chosen[s] == SIZE_MAX) {
            chosen[s] = pair[perm[t]] % nl;
        }
    }
    free(count);
    free(score);
    free(pair);
    free(perm);
    return IMBAL_OK;
}

/* The add new rows of one class: numeric columns as SMOTE, then the categories by vote, drawn
 * from a fresh generator in the fold's entry state under numpy (imblearn's _generate_samples
 * calls check_random_state again), from the same stream otherwise. */
static imbal_status nc_class(const imbal_train_view *in, int c, size_t add, imbal_rng *rng,
                             const imbal_rng *entry, imbal_resampled *r, size_t pos, void *ctx,
                             imbal_error *err)
{
    const nc_ctx *cx = ctx;
    size_t k = cx->k;
    size_t de = cx->n_num + cx->n_onehot;
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    double *xe = NULL;
    size_t *lev = NULL;
    size_t *nns = NULL;
    size_t *slot = imbal_malloc(add, sizeof(*slot));
    double *step = imbal_malloc(add, sizeof(*step));
    size_t *chosen = imbal_malloc(add, sizeof(*chosen));
    imbal_rng *fresh = NULL;
    imbal_rng *prng = rng;
    size_t m = 0;
    imbal_status st = IMBAL_OK;
    if (rows == NULL || slot == NULL || step == NULL || chosen == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote_nc");
        goto cleanup;
    }
    m = imbal_class_rows(in, c, rows);
    st = imbal_smote_k_fits(k, (size_t)c, m, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    xe = imbal_malloc(m, de * sizeof(*xe));
    lev = imbal_malloc(m, (cx->n_vars + 1) * sizeof(*lev));
    nns = imbal_malloc(m, k * sizeof(*nns));
    if (xe == NULL || lev == NULL || nns == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote_nc");
        goto cleanup;
    }
    nc_encode(in, cx, rows, m, xe, lev);
    st = imbal_smote_neighbours(xe, m, de, k, nns, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_smote_draws(rng, m, k, add, slot, step);
    for (size_t s = 0; s < add; s++) {
        const double *x = in->x + rows[slot[s] / k] * in->d;
        const double *nb = in->x + rows[nns[slot[s]]] * in->d;
        double *o = r->x + (pos + s) * in->d;
        for (size_t j = 0; j < cx->n_num; j++) {
            size_t f = cx->num[j];
            double diff = nb[f] - x[f]; /* numpy: X[rows] + steps * (nn - X[rows]) */
            o[f] = x[f] + step[s] * diff;
        }
        r->y[pos + s] = c;
        r->source[pos + s] = IMBAL_SYNTHETIC;
    }
    if (entry != NULL) {
        st = imbal_rng_clone(entry, &fresh, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        prng = fresh;
    }
    for (size_t v = 0; v < cx->n_vars && st == IMBAL_OK; v++) {
        const imbal_column *col = cx->var[v];
        st = nc_vote(cx, v, lev, nns, slot, add, prng, chosen, err);
        for (size_t s = 0; s < add && st == IMBAL_OK; s++) {
            double *o = r->x + (pos + s) * in->d;
            for (size_t l = 1; l < col->n_levels; l++) {
                o[col->feature + l - 1] = chosen[s] == l ? 1.0 : 0.0;
            }
        }
    }
cleanup:
    imbal_rng_free(fresh);
    free(rows);
    free(xe);
    free(lev);
    free(nns);
    free(slot);
    free(step);
    free(chosen);
    return st;
}

imbal_status imbal_smote_nc_run(const imbal_train_view *in, const imbal_param_values *p,
                                imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    nc_ctx cx;
    imbal_status st;
    *out = NULL;
    memset(&cx, 0, sizeof(cx));
    cx.k = (size_t)imbal_param_num(p, "k_neighbors");
    cx.num = imbal_malloc(in->d, sizeof(*cx.num));
    if (cx.num == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote_nc");
    }
    st = nc_columns(in, &cx, err);
    if (st == IMBAL_OK && cx.n_vars == 0) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "smote_nc needs categorical columns and the data has none (smote is "
                        "SMOTE-NC without them)");
    }
    if (st == IMBAL_OK && cx.n_num == 0) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "smote_nc needs numeric columns as well and every column is "
                        "categorical: use smoten");
    }
    if (st == IMBAL_OK) {
        st = nc_median_std(in, &cx, err);
    }
    if (st == IMBAL_OK) {
        st = imbal_over_by_class(in, p, rng, nc_class, &cx, out, err);
    }
    free(cx.var);
    free(cx.num);
    return st;
}

/* What the counts decide is SMOTE's: sampling_strategy's targets, then k_neighbors against
 * each class that gains rows. The columns are checked at run time. */
imbal_status imbal_smote_nc_check(const imbal_param_values *p, const size_t *counts,
                                  size_t n_classes, imbal_error *err)
{
    return imbal_smote_check(p, counts, n_classes, err);
}
