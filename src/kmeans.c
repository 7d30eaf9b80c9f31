/* k-means for ClusterCentroids, step for step as scikit-learn 1.2's KMeans: the data centred
 * on its means, n_init restarts of k-means++ (kmeans_seed.c) on one generator, Lloyd until
 * the labels stop changing or the squared centre shift reaches tol, the lowest inertia kept.
 * Sums run in numpy's and scikit-learn's order (one thread), so centres agree to the bit
 * whenever the labels agree; the dot products scikit-learn leaves to BLAS are summed in
 * feature order, which can only matter on exact near-ties. Bounds (Hamerly's, and Elkan's
 * centre-to-centre test) skip the scores that provably cannot change a label; they never
 * change a result, only how much is computed. */
#include "imbal/kmeans.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "kmeans_internal.h"

#define KM_NO_LABEL SIZE_MAX
/* Centre-to-centre tables (k * k, sorted each iteration) only up to this many clusters:
 * with more, sorting costs more than the scores it saves; Hamerly's bounds alone then. */
#define KM_MAX_TABLE_K 64

void imbal_kmeans_params_default(imbal_kmeans_params *p)
{
    p->n_init = 10;
    p->max_iter = 300;
    p->tol = 1e-4;
}

imbal_status imbal_kmeans_params_check(const imbal_kmeans_params *p, imbal_error *err)
{
    const char *key = NULL;
    if (p->n_init == 0) {
        key = "n_init";
        imbal_fail(err, IMBAL_EINVAL, "n_init must be at least 1");
    } else if (p->max_iter == 0) {
        key = "max_iter";
        imbal_fail(err, IMBAL_EINVAL, "max_iter must be at least 1");
    } else if (!(p->tol >= 0.0) || !isfinite(p->tol)) {
        key = "tol";
        imbal_fail(err, IMBAL_EINVAL, "tol must be a finite number >= 0");
    }
    if (key == NULL) {
        return IMBAL_OK;
    }
    imbal_error_set_key(err, key);
    return IMBAL_EINVAL;
}

void imbal_kmeans_free(imbal_kmeans *km)
{
    if (km == NULL) {
        return;
    }
    free(km->centers);
    free(km->labels);
    free(km);
}

/* Norms, the transposed copy and (k up to KM_MAX_TABLE_K) the centre-to-centre distances,
 * rounded down, with each centre's list of the centres by distance from it. */
static void km_prepare_centers(imbal_km_work *w, const double *centers)
{
    const size_t d = w->d;
    const size_t k = w->k;
    double max = 0.0;
    for (size_t j = 0; j < k; j++) {
        w->cn[j] = imbal_km_dot(centers + j * d, centers + j * d, d);
        max = w->cn[j] > max ? w->cn[j] : max;
        for (size_t f = 0; f < d; f++) {
            w->ct[f * k + j] = centers[j * d + f];
        }
        w->near[j] = k > KM_MAX_TABLE_K ? 0.0 : INFINITY;
    }
    w->cmax = sqrt(max) * w->rel_up;
    if (k > KM_MAX_TABLE_K) {
        return;
    }
    for (size_t a = 0; a < k; a++) {
        w->dcc[a * k + a] = 0.0;
        for (size_t j = a + 1; j < k; j++) {
            double dist = sqrt(imbal_km_sqdist(centers + a * d, centers + j * d, d)) / w->rel_up;
            w->dcc[a * k + j] = dist;
            w->dcc[j * k + a] = dist;
            w->near[a] = dist < w->near[a] ? dist : w->near[a];
            w->near[j] = dist < w->near[j] ? dist : w->near[j];
        }
    }
    for (size_t a = 0; a < k; a++) {
        const double *dr = w->dcc + a * k;
        size_t *ord = w->by_dist + a * k;
        for (size_t j = 0; j < k; j++) { /* insertion sort: stable, and k is small */
            size_t m = j;
            while (m > 0 && dr[ord[m - 1]] > dr[j]) {
                ord[m] = ord[m - 1];
                m--;
            }
            ord[m] = j;
        }
    }
}

/* Whether, with row i's true distance to centre a at most ub and to every other centre at
 * least lb, the scores of the others exceed a's even after rounding (err per score). */
static int km_certain(const imbal_km_work *w, double ub, double lb, double err)
{
    double gap = lb - ub;
    return gap > w->slack && gap * (lb + ub) > 2.0 * err;
}

/* Sets bounds of row i from its best and second-best scores. */
static void km_set_bounds(imbal_km_work *w, size_t i, double best, double second, double lb_other,
                          double err)
{
    double hi = best + w->xsq[i] + 2.0 * err;
    double lo = second + w->xsq[i] - 2.0 * err;
    double lb = w->k > 1 ? sqrt(lo > 0.0 ? lo : 0.0) / w->rel_up : INFINITY;
    w->ub[i] = sqrt(hi > 0.0 ? hi : 0.0) * w->rel_up;
    w->lb[i] = lb < lb_other ? lb : lb_other;
}

/* All k scores |c|^2 - 2 x.c of row i (scikit-learn's, without |x|^2), vectorised across
 * centres, each dot product summed in feature order; returns the lowest, first on ties. */
static size_t km_assign_full(imbal_km_work *w, size_t i, double err)
{
    const size_t k = w->k;
    const double *xi = w->x + i * w->d;
    double *acc = w->acc;
    for (size_t j = 0; j < k; j++) {
        acc[j] = 0.0;
    }
    for (size_t f = 0; f < w->d; f++) {
        const double xf = xi[f];
        const double *cf = w->ct + f * k;
#pragma omp simd
        for (size_t j = 0; j < k; j++) {
            acc[j] += xf * cf[j];
        }
    }
    size_t label = 0;
    for (size_t j = 0; j < k; j++) {
        acc[j] = w->cn[j] + -2.0 * acc[j];
        if (acc[j] < acc[label]) {
            label = j;
        }
    }
    double second = INFINITY;
    for (size_t j = 0; j < k; j++) {
        if (j != label && acc[j] < second) {
            second = acc[j];
        }
    }
    km_set_bounds(w, i, acc[label], second, INFINITY, err);
    return label;
}

/* The same result scoring only the centres near centre a (Elkan's test): walking them by
 * distance from a, once |c_j - c_a| - ub exceeds ub by the rounding margin, centre j and all
 * farther ones are farther from row i than centre a and cannot score lowest. Same bits as
 * the full scan: each computed score is the same sum, and the skipped ones are strictly
 * higher. */
static size_t km_assign_near(imbal_km_work *w, size_t i, const double *centers, size_t a, double ub,
                             double err)
{
    const size_t k = w->k;
    const size_t d = w->d;
    const double *xi = w->x + i * d;
    const size_t *ord = w->by_dist + a * k;
    const double *dr = w->dcc + a * k;
    size_t label = KM_NO_LABEL;
    double best = INFINITY;
    double second = INFINITY;
    double lb_skipped = INFINITY;
    for (size_t m = 0; m < k; m++) {
        size_t j = ord[m];
        double lo = dr[j] - ub; /* row i is at least this far from centre j */
        if (lo > 0.0 && km_certain(w, ub, lo, err)) {
            lb_skipped = lo;
            break;
        }
        double s = w->cn[j] + -2.0 * imbal_km_dot(xi, centers + j * d, d);
        if (label == KM_NO_LABEL || s < best || (s == best && j < label)) {
            second = best;
            best = s;
            label = j;
        } else if (s < second) {
            second = s;
        }
    }
    km_set_bounds(w, i, best, second, lb_skipped, err);
    return label;
}

/* sum += row, feature by feature (independent sums: vectorising reorders nothing). */
static void km_add_row(double *restrict sum, const double *restrict row, size_t d)
{
#pragma omp simd
    for (size_t f = 0; f < d; f++) {
        sum[f] += row[f];
    }
}

/* Assigns every row to the centre with the lowest score, ties to the lower centre. With
 * bounded set the bounds from the last pass decide which rows need any score; otherwise
 * every score is computed and the bounds set. With sums != NULL also accumulates each
 * cluster's row sum and size, in row order (scikit-learn's M-step in one thread). */
static void km_assign(imbal_km_work *w, const double *centers, size_t *labels, double *sums,
                      int bounded)
{
    const size_t d = w->d;
    const size_t k = w->k;
    km_prepare_centers(w, centers);
    if (sums != NULL) {
        memset(sums, 0, k * d * sizeof(double));
        memset(w->weight, 0, k * sizeof(double));
    }
    for (size_t i = 0; i < w->n; i++) {
        const double *xi = w->x + i * d;
        double scale = w->cmax + w->xnorm[i];
        double err = w->err_coef * scale * scale; /* bound on |score - exact| */
        if (!bounded) {
            labels[i] = km_assign_full(w, i, err);
        } else {
            size_t a = labels[i];
            double lb = w->near[a] - w->ub[i];
            lb = w->lb[i] > lb ? w->lb[i] : lb;
            if (!km_certain(w, w->ub[i], lb, err)) {
                w->ub[i] = sqrt(imbal_km_sqdist(xi, centers + a * d, d)) * w->rel_up;
                lb = w->near[a] - w->ub[i];
                lb = w->lb[i] > lb ? w->lb[i] : lb;
                if (!km_certain(w, w->ub[i], lb, err)) {
                    labels[i] = k > KM_MAX_TABLE_K
                                    ? km_assign_full(w, i, err)
                                    : km_assign_near(w, i, centers, a, w->ub[i], err);
                }
            }
        }
        if (sums != NULL) {
            w->weight[labels[i]] += 1.0;
            km_add_row(sums + labels[i] * d, xi, d);
        }
    }
}

/* After the centres moved by shift[] (rounded up), each upper bound grows by its centre's
 * move and each lower bound shrinks by the largest move of another centre. */
static void km_move_bounds(imbal_km_work *w, const size_t *labels)
{
    size_t top = 0;
    double max1 = 0.0;
    double max2 = 0.0;
    for (size_t j = 0; j < w->k; j++) {
        double s = w->shift[j] * w->rel_up;
        if (s > max1) {
            max2 = max1;
            max1 = s;
            top = j;
        } else if (s > max2) {
            max2 = s;
        }
    }
    for (size_t i = 0; i < w->n; i++) {
        w->ub[i] += w->shift[labels[i]] * w->rel_up;
        w->lb[i] -= labels[i] == top ? max2 : max1;
    }
}

/* Gives each empty cluster the row farthest from its centre, taking that row out of its own
 * cluster's sum (scikit-learn's _relocate_empty_clusters_dense; labels are left as they are).
 * Several empty clusters take the farthest rows in decreasing distance, ties to the lower row
 * (numpy's argpartition leaves that order unspecified). */
static void km_relocate_empty(imbal_km_work *w, const double *old, const size_t *labels,
                              double *sums)
{
    const size_t d = w->d;
    size_t n_empty = 0;
    for (size_t j = 0; j < w->k; j++) {
        n_empty += w->weight[j] == 0.0;
    }
    if (n_empty == 0) {
        return;
    }
    double max = 0.0;
    for (size_t i = 0; i < w->n; i++) {
        const double *xi = w->x + i * d;
        const double *c = old + labels[i] * d;
        for (size_t f = 0; f < d; f++) {
            w->diff[f] = (xi[f] - c[f]) * (xi[f] - c[f]);
        }
        double s = imbal_km_pairwise(w->diff, d); /* ((X - C[labels]) ** 2).sum(axis=1) */
        w->far[i] = s;
        max = s > max ? s : max;
    }
    if (max == 0.0) {
        return; /* more clusters than distinct rows: nothing to move */
    }
    /* the n_empty farthest rows by selection: n_empty is small */
    size_t taken = 0;
    for (size_t j = 0; j < w->k && taken < n_empty; j++) {
        if (w->weight[j] != 0.0) {
            continue;
        }
        size_t far = SIZE_MAX;
        for (size_t i = 0; i < w->n; i++) {
            if (w->far[i] >= 0.0 && (far == SIZE_MAX || w->far[i] > w->far[far])) {
                far = i;
            }
        }
        w->far[far] = -1.0; /* used */
        size_t from = labels[far];
        for (size_t f = 0; f < d; f++) {
            sums[from * d + f] -= w->x[far * d + f];
            sums[j * d + f] = w->x[far * d + f];
        }
        w->weight[j] = 1.0;
        w->weight[from] -= 1.0;
        taken++;
    }
}

/* Divides each cluster sum by its size (times the reciprocal, as _average_centers does); an
 * empty cluster copies the current row of the largest one. */
static void km_average(imbal_km_work *w, double *centers)
{
    const size_t d = w->d;
    size_t argmax = 0;
    for (size_t j = 1; j < w->k; j++) {
        if (w->weight[j] > w->weight[argmax]) {
            argmax = j;
        }
    }
    for (size_t j = 0; j < w->k; j++) {
        if (w->weight[j] > 0.0) {
            double alpha = 1.0 / w->weight[j];
            for (size_t f = 0; f < d; f++) {
                centers[j * d + f] *= alpha;
            }
        } else {
            for (size_t f = 0; f < d; f++) {
                centers[j * d + f] = centers[argmax * d + f];
            }
        }
    }
}

/* One run of Lloyd from the centres in *centers (scikit-learn's _kmeans_single_lloyd). On
 * return *centers holds the final centres (the buffers may have been swapped), labels their
 * assignment; returns the inertia. */
static double km_lloyd(imbal_km_work *w, double **centers, double **spare, size_t *labels,
                       size_t *n_iter)
{
    const size_t d = w->d;
    const size_t n = w->n;
    int strict = 0;
    size_t it;
    for (size_t i = 0; i < n; i++) {
        w->labels_old[i] = KM_NO_LABEL;
    }
    for (it = 0; it < w->max_iter; it++) {
        double *old = *centers;
        double *sums = *spare;
        km_assign(w, old, labels, sums, it > 0);
        km_relocate_empty(w, old, labels, sums);
        km_average(w, sums);
        for (size_t j = 0; j < w->k; j++) {
            w->shift[j] = sqrt(imbal_km_sqdist(sums + j * d, old + j * d, d));
        }
        km_move_bounds(w, labels);
        *centers = sums;
        *spare = old;
        if (memcmp(labels, w->labels_old, n * sizeof(size_t)) == 0) {
            strict = 1;
            break;
        }
        for (size_t j = 0; j < w->k; j++) {
            w->shift[j] = w->shift[j] * w->shift[j];
        }
        if (imbal_km_numpy_sum(w->shift, w->k) <= w->tol) {
            break;
        }
        memcpy(w->labels_old, labels, n * sizeof(size_t));
    }
    *n_iter = it < w->max_iter ? it + 1 : w->max_iter;
    if (!strict) {
        km_assign(w, *centers, labels, NULL, 1); /* labels that match the final centres */
    }
    double inertia = 0.0;
    for (size_t i = 0; i < n; i++) {
        inertia += imbal_km_sqdist(w->x + i * d, *centers + labels[i] * d, d);
    }
    return inertia;
}

/* Whether two labelings are equal up to renaming the clusters (_is_same_clustering). */
static int km_same_clustering(const size_t *a, const size_t *b, size_t n, size_t *map, size_t k)
{
    for (size_t j = 0; j < k; j++) {
        map[j] = KM_NO_LABEL;
    }
    for (size_t i = 0; i < n; i++) {
        if (map[a[i]] == KM_NO_LABEL) {
            map[a[i]] = b[i];
        } else if (map[a[i]] != b[i]) {
            return 0;
        }
    }
    return 1;
}

/* Column means (rows added in order, then divided: numpy's axis-0 mean) into mean, and
 * tol * the mean over features of np.var(x, axis=0) (the d variances summed pairwise). */
static double km_center_and_tol(const double *x, size_t n, size_t d, double tol, double *mean,
                                double *var)
{
    for (size_t f = 0; f < d; f++) {
        mean[f] = 0.0;
        var[f] = 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < d; f++) {
            mean[f] += x[i * d + f];
        }
    }
    for (size_t f = 0; f < d; f++) {
        mean[f] /= (double)n;
    }
    if (tol == 0.0) {
        return 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < d; f++) {
            double dev = x[i * d + f] - mean[f];
            var[f] += dev * dev;
        }
    }
    for (size_t f = 0; f < d; f++) {
        var[f] /= (double)n;
    }
    return imbal_km_numpy_sum(var, d) / (double)d * tol;
}

/* Carves the scratch of one fit out of two blocks (doubles, indices); *dbl and *idx own them.
 * Returns 0 when an allocation fails. */
static int km_work_alloc(imbal_km_work *w, double **dbl, size_t **idx)
{
    const size_t n = w->n, d = w->d, k = w->k, t = w->n_trials;
    size_t kk = k > KM_MAX_TABLE_K ? 1 : k * k;
    size_t n_dbl, n_idx;
    /* x, xt: 2 n d; xsq, xnorm, ub, lb, far, r2, closest, cumsum: 8 n; trial: t n;
     * centres: 4 k d (ct, three buffers); cn, acc, weight, shift, near, rad: 6 k; dcc: kk;
     * mean, var, diff, pot: 3 d + t. The check keeps every term far below SIZE_MAX. */
    if (n > SIZE_MAX / 64 / (d + t + 8) || k > SIZE_MAX / 64 / (d + 6)) {
        return 0;
    }
    n_dbl = 2 * n * d + 8 * n + t * n + 4 * k * d + 6 * k + kk + 3 * d + t;
    n_idx = 4 * n + kk + 2 * k + t; /* old, owner, 2 label sets; by_dist; chosen, map */
    *dbl = imbal_malloc(n_dbl, sizeof(double));
    *idx = imbal_malloc(n_idx, sizeof(size_t));
    if (*dbl == NULL || *idx == NULL) {
        return 0;
    }
    double *p = *dbl;
    w->xsq = p, p += n;
    w->xnorm = p, p += n;
    w->ub = p, p += n;
    w->lb = p, p += n;
    w->far = p, p += n;
    w->r2 = p, p += n;
    w->closest = p, p += n;
    w->cumsum = p, p += n;
    w->trial = p, p += t * n;
    w->ct = p, p += k * d;
    w->cn = p, p += k;
    w->acc = p, p += k;
    w->weight = p, p += k;
    w->shift = p, p += k;
    w->near = p, p += k;
    w->rad = p, p += k;
    w->dcc = p, p += kk;
    w->diff = p, p += d;
    w->pot = p, p += t;
    /* the rest: x, xt, 3 centre buffers, mean and var, taken by the caller in that order */
    size_t *q = *idx;
    w->labels_old = q, q += n;
    w->owner = q, q += n;
    w->by_dist = q, q += kk;
    w->chosen = q, q += k;
    w->cand = q;
    return 1;
}

imbal_status imbal_kmeans_fit(const double *x, size_t n, size_t d, size_t k,
                              const imbal_kmeans_params *p, imbal_rng *rng, imbal_kmeans **out,
                              imbal_error *err)
{
    imbal_status st = IMBAL_OK;
    imbal_kmeans *res = NULL;
    imbal_km_work w;
    double *dbl = NULL;
    size_t *idx = NULL;
    memset(&w, 0, sizeof(w));
    *out = NULL;
    st = imbal_kmeans_params_check(p, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (n == 0 || d == 0 || k == 0 || k > n) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "k-means needs 1 <= n_clusters <= n_samples (n_clusters=%zu, "
                        "n_samples=%zu, features=%zu)",
                        k, n, d);
        goto cleanup;
    }
    w.n = n;
    w.d = d;
    w.k = k;
    w.max_iter = p->max_iter;
    w.n_trials = 2 + (size_t)floor(log((double)k));
    res = imbal_calloc(1, sizeof(*res));
    if (res == NULL || !km_work_alloc(&w, &dbl, &idx)) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in k-means (%zu x %zu, k=%zu)", n, d, k);
        goto cleanup;
    }
    res->k = k;
    res->d = d;
    res->n = n;
    res->centers = imbal_malloc(k, d * sizeof(double));
    res->labels = imbal_malloc(n, sizeof(size_t));
    if (res->centers == NULL || res->labels == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in k-means (%zu x %zu, k=%zu)", n, d, k);
        goto cleanup;
    }
    double *xc = w.pot + w.n_trials;
    double *xt = xc + n * d;
    double *cur = xt + n * d;
    double *spare = cur + k * d;
    double *best = spare + k * d;
    double *mean = best + k * d;
    size_t *run_labels = w.cand + w.n_trials;
    size_t *best_labels = run_labels + n;
    size_t *map = best_labels + n;
    w.tol = km_center_and_tol(x, n, d, p->tol, mean, w.diff);
    w.rel_up = 1.0 + 1e-12 + 8.0 * (double)(d + 4) * DBL_EPSILON;
    w.err_coef = 4.0 * (double)(d + 3) * DBL_EPSILON;
    double max_norm = 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < d; f++) {
            xc[i * d + f] = x[i * d + f] - mean[f];
            xt[f * n + i] = xc[i * d + f];
        }
        w.xsq[i] = imbal_km_dot(xc + i * d, xc + i * d, d);
        w.xnorm[i] = sqrt(w.xsq[i]) * w.rel_up;
        max_norm = w.xnorm[i] > max_norm ? w.xnorm[i] : max_norm;
    }
    w.x = xc;
    w.xt = xt;
    /* centres are means of rows, inside the rows' hull: 2 max |x| bounds every distance, and
     * bound updates over max_iter steps round by far less than 2e-9 of it */
    w.err_max = w.err_coef * 4.0 * max_norm * max_norm;
    w.slack = 2e-9 * max_norm;
    double best_inertia = 0.0;
    for (size_t r = 0; r < p->n_init; r++) {
        size_t n_iter = 0;
        imbal_km_plusplus(&w, rng, cur);
        double inertia = km_lloyd(&w, &cur, &spare, run_labels, &n_iter);
        /* a lower inertia with the same partition is only rounding: keep the first */
        if (r == 0 ||
            (inertia < best_inertia && !km_same_clustering(run_labels, best_labels, n, map, k))) {
            memcpy(best, cur, k * d * sizeof(double));
            memcpy(best_labels, run_labels, n * sizeof(size_t));
            best_inertia = inertia;
            res->n_iter = n_iter;
        }
    }
    res->inertia = best_inertia;
    for (size_t j = 0; j < k; j++) {
        for (size_t f = 0; f < d; f++) {
            res->centers[j * d + f] = best[j * d + f] + mean[f];
        }
    }
    memcpy(res->labels, best_labels, n * sizeof(size_t));
    *out = res;
    res = NULL;
cleanup:
    imbal_kmeans_free(res);
    free(dbl);
    free(idx);
    return st;
}
