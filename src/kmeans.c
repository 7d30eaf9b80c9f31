/* k-means for ClusterCentroids, step for step as scikit-learn 1.2's KMeans (k-means++ seeding,
 * Lloyd iterations, n_init restarts on one generator). Where scikit-learn calls numpy, the
 * summation order is numpy's: sum() is pairwise, means and cumsum are sequential; where it
 * calls BLAS (x.c in distances) we sum in feature order, which can differ from OpenBLAS in the
 * last bit and so matters only for exact near-ties. Centres are kept transposed (d x k) in the
 * assignment step so the loop over clusters vectorises without reordering any sum. */
#include "imbal/kmeans.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define KM_NO_LABEL SIZE_MAX

void imbal_kmeans_params_default(imbal_kmeans_params *p)
{
    p->n_init = 10;
    p->max_iter = 300;
    p->tol = 1e-4;
}

imbal_status imbal_kmeans_params_check(const imbal_kmeans_params *p, imbal_error *err)
{
    if (p->n_init == 0) {
        imbal_fail(err, IMBAL_EINVAL, "n_init must be at least 1");
        imbal_error_set_key(err, "n_init");
        return IMBAL_EINVAL;
    }
    if (p->max_iter == 0) {
        imbal_fail(err, IMBAL_EINVAL, "max_iter must be at least 1");
        imbal_error_set_key(err, "max_iter");
        return IMBAL_EINVAL;
    }
    if (!(p->tol >= 0.0) || !isfinite(p->tol)) {
        imbal_fail(err, IMBAL_EINVAL, "tol must be a finite number >= 0");
        imbal_error_set_key(err, "tol");
        return IMBAL_EINVAL;
    }
    return IMBAL_OK;
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

/* numpy's pairwise_sum for contiguous doubles: sequential below 8 items, 8 accumulators up to
 * 128, halves (a multiple of 8 on the left) above. */
static double km_pairwise(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
        for (size_t j = 0; j < 8; j++) {
            r[j] = a[j];
        }
        for (i = 8; i < n - n % 8; i += 8) {
            for (size_t j = 0; j < 8; j++) {
                r[j] += a[i + j];
            }
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return km_pairwise(a, n2) + km_pairwise(a + n2, n - n2);
}

/* np.sum of a contiguous vector: the reduction hands pairwise_sum blocks of 8192 items. */
static double km_numpy_sum(const double *a, size_t n)
{
    double acc = 0.0;
    for (size_t s = 0; s < n; s += 8192) {
        size_t len = n - s < 8192 ? n - s : 8192;
        acc += km_pairwise(a + s, len);
    }
    return acc;
}

/* Squared distance as scikit-learn's _euclidean_dense_dense adds it: groups of four
 * features summed left to right, then the remainder one by one. */
static double km_sqdist(const double *a, const double *b, size_t d)
{
    double result = 0.0;
    size_t f = 0;
    for (; f + 4 <= d; f += 4) {
        double t0 = (a[f] - b[f]) * (a[f] - b[f]);
        double t1 = (a[f + 1] - b[f + 1]) * (a[f + 1] - b[f + 1]);
        double t2 = (a[f + 2] - b[f + 2]) * (a[f + 2] - b[f + 2]);
        double t3 = (a[f + 3] - b[f + 3]) * (a[f + 3] - b[f + 3]);
        result += ((t0 + t1) + t2) + t3;
    }
    for (; f < d; f++) {
        result += (a[f] - b[f]) * (a[f] - b[f]);
    }
    return result;
}

static double km_dot(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t f = 0; f < d; f++) {
        s += a[f] * b[f];
    }
    return s;
}

/* Scratch for one fit; everything sized once. */
typedef struct {
    const double *x; /* centred rows, n * d */
    const double *xsq;
    size_t n, d, k, max_iter, n_trials;
    double tol;
    double *ct;        /* d * k: centres transposed for the assignment step */
    double *cn;        /* k: squared norms of the centres */
    double *acc;       /* k: dot products of one row with every centre */
    double *weight;    /* k */
    double *shift;     /* k */
    size_t *labels_old; /* n */
    double *closest;   /* n: k-means++ distance to the nearest chosen centre */
    double *cumsum;    /* n */
    double *trial;     /* n_trials * n */
    double *pot;       /* n_trials */
    size_t *cand;      /* n_trials */
    double *far;       /* n: distances for empty-cluster relocation */
    double *diff;      /* d */
    double *xt;        /* d * n: the rows transposed, for k-means++ */
    double *xnorm;     /* n: |x| rounded up */
    double *ub, *lb;   /* n: Hamerly's bounds on the distance to the own / nearest other centre */
    double *near;      /* k: distance to the nearest other centre, rounded down */
    double cmax;       /* largest centre norm, rounded up */
    double rel_up;     /* 1 + far more than the relative rounding of a d-term distance */
    double err_coef;   /* rounding of a score is at most err_coef * (|c| + |x|)^2 */
    double slack;      /* absolute margin for the rounding of bound updates */
} km_work;

/* scikit-learn's _euclidean_distances(X[c], X, squared=True) for one row c against every row:
 * -2 c.x, plus |c|^2, plus |x|^2, clipped at 0. The dot products run over the transposed
 * data so the loop over rows vectorises; each is still summed in feature order. */
static void km_pp_dists(const km_work *w, size_t c, double *out)
{
    const size_t n = w->n;
    const double *xc = w->x + c * w->d;
    for (size_t i = 0; i < n; i++) {
        out[i] = 0.0;
    }
    for (size_t f = 0; f < w->d; f++) {
        const double cf = xc[f];
        const double *col = w->xt + f * n;
#pragma omp simd
        for (size_t i = 0; i < n; i++) {
            out[i] += cf * col[i];
        }
    }
    const double cn = w->xsq[c];
    for (size_t i = 0; i < n; i++) {
        double dist = -2.0 * out[i];
        dist += cn;
        dist += w->xsq[i];
        out[i] = dist > 0.0 ? dist : 0.0;
    }
}

/* First index whose cumulative sum reaches v (np.searchsorted, side left), clipped to n - 1. */
static size_t km_searchsorted(const double *cumsum, size_t n, double v)
{
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cumsum[mid] < v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < n ? lo : n - 1;
}

/* Greedy k-means++ (scikit-learn's _kmeans_plusplus): a uniform first centre, then for each
 * further centre 2 + floor(log k) candidates drawn in proportion to the squared distance to
 * the nearest centre so far, keeping the one that lowers the potential most. */
static void km_plusplus(km_work *w, imbal_rng *rng, double *centers)
{
    const size_t n = w->n;
    const size_t d = w->d;
    size_t first = (size_t)imbal_rng_below(rng, n);
    memcpy(centers, w->x + first * d, d * sizeof(double));
    km_pp_dists(w, first, w->closest);
    double pot = km_numpy_sum(w->closest, n);
    for (size_t c = 1; c < w->k; c++) {
        double run = 0.0;
        for (size_t i = 0; i < n; i++) {
            run += w->closest[i];
            w->cumsum[i] = run;
        }
        for (size_t t = 0; t < w->n_trials; t++) {
            double v = imbal_rng_uniform(rng) * pot;
            w->cand[t] = km_searchsorted(w->cumsum, n, v);
        }
        size_t best = 0;
        for (size_t t = 0; t < w->n_trials; t++) {
            double *row = w->trial + t * n;
            km_pp_dists(w, w->cand[t], row);
            for (size_t i = 0; i < n; i++) {
                row[i] = row[i] < w->closest[i] ? row[i] : w->closest[i];
            }
            w->pot[t] = km_numpy_sum(row, n);
            if (w->pot[t] < w->pot[best]) {
                best = t;
            }
        }
        pot = w->pot[best];
        memcpy(w->closest, w->trial + best * n, n * sizeof(double));
        memcpy(centers + c * d, w->x + w->cand[best] * d, d * sizeof(double));
    }
}

/* Squared norms and the transposed copy of the centres; the largest norm (rounded up). */
static void km_prepare_centers(km_work *w, const double *centers)
{
    const size_t d = w->d;
    const size_t k = w->k;
    double max = 0.0;
    for (size_t j = 0; j < k; j++) {
        w->cn[j] = km_dot(centers + j * d, centers + j * d, d);
        max = w->cn[j] > max ? w->cn[j] : max;
        for (size_t f = 0; f < d; f++) {
            w->ct[f * k + j] = centers[j * d + f];
        }
    }
    w->cmax = sqrt(max) * w->rel_up;
    for (size_t j = 0; j < k; j++) {
        w->near[j] = INFINITY;
    }
    for (size_t j = 0; j < k; j++) {
        for (size_t l = j + 1; l < k; l++) {
            double dist = sqrt(km_sqdist(centers + j * d, centers + l * d, d)) / w->rel_up;
            w->near[j] = dist < w->near[j] ? dist : w->near[j];
            w->near[l] = dist < w->near[l] ? dist : w->near[l];
        }
    }
}

/* acc[j] = |c_j|^2 - 2 x.c_j for every centre: scikit-learn's assignment score (it drops
 * |x|^2), the dot products summed in feature order. */
static void km_scores(const km_work *w, const double *xi, double *acc)
{
    const size_t k = w->k;
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
    for (size_t j = 0; j < k; j++) {
        acc[j] = w->cn[j] + -2.0 * acc[j];
    }
}

/* Whether the bounds prove that row i's label is the strict minimum of the computed scores:
 * the true distances differ by more than twice the scores' worst rounding error err. */
static int km_certain(const km_work *w, size_t i, size_t label, double err)
{
    double ub = w->ub[i];
    /* every other centre is at least min_j |c_a - c_j| - ub away (triangle inequality) */
    double lb = w->near[label] - ub;
    lb = w->lb[i] > lb ? w->lb[i] : lb;
    double gap = lb - ub;
    return gap > w->slack && gap * (lb + ub) > 2.0 * err;
}

/* Assigns every row to the centre with the lowest score, ties to the lower centre. With
 * bounded set, Hamerly's bounds skip rows whose label provably stays (the result is the
 * brute-force one, bit for bit); otherwise all scores are computed and the bounds set. With
 * sums != NULL also accumulates each cluster's row sum and size, in row order. */
static void km_assign(km_work *w, const double *centers, size_t *labels, double *sums,
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
        int keep = 0;
        if (bounded) {
            keep = km_certain(w, i, labels[i], err);
            if (!keep) {
                w->ub[i] = sqrt(km_sqdist(xi, centers + labels[i] * d, d)) * w->rel_up;
                keep = km_certain(w, i, labels[i], err);
            }
        }
        if (!keep) {
            double *acc = w->acc;
            km_scores(w, xi, acc);
            size_t label = 0;
            for (size_t j = 1; j < k; j++) {
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
            double hi = acc[label] + w->xsq[i] + 2.0 * err;
            double lo = second + w->xsq[i] - 2.0 * err;
            w->ub[i] = sqrt(hi > 0.0 ? hi : 0.0) * w->rel_up;
            w->lb[i] = k > 1 ? sqrt(lo > 0.0 ? lo : 0.0) / w->rel_up : INFINITY;
            labels[i] = label;
        }
        if (sums != NULL) {
            size_t label = labels[i];
            w->weight[label] += 1.0;
            for (size_t f = 0; f < d; f++) {
                sums[label * d + f] += xi[f];
            }
        }
    }
}

/* After the centres moved by shift[] (rounded up), each upper bound grows by its centre's
 * move and each lower bound shrinks by the largest move of another centre. */
static void km_move_bounds(km_work *w, const size_t *labels)
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
static void km_relocate_empty(km_work *w, const double *old, const size_t *labels, double *sums)
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
        double s = km_pairwise(w->diff, d); /* ((X - C[labels]) ** 2).sum(axis=1) */
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
static void km_average(km_work *w, double *centers)
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
static double km_lloyd(km_work *w, double **centers, double **spare, size_t *labels,
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
            w->shift[j] = sqrt(km_sqdist(sums + j * d, old + j * d, d));
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
        if (km_numpy_sum(w->shift, w->k) <= w->tol) {
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
        inertia += km_sqdist(w->x + i * d, *centers + labels[i] * d, d);
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

/* tol * mean over features of np.var(x, axis=0): column means and squared deviations
 * summed row by row, the mean of the d variances pairwise. */
static double km_abs_tol(const double *x, const double *mean, size_t n, size_t d, double tol,
                         double *var)
{
    if (tol == 0.0) {
        return 0.0;
    }
    for (size_t f = 0; f < d; f++) {
        var[f] = 0.0;
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
    return km_numpy_sum(var, d) / (double)d * tol;
}

imbal_status imbal_kmeans_fit(const double *x, size_t n, size_t d, size_t k,
                              const imbal_kmeans_params *p, imbal_rng *rng, imbal_kmeans **out,
                              imbal_error *err)
{
    imbal_status st = IMBAL_OK;
    imbal_kmeans *res = NULL;
    km_work w;
    double *xc = NULL, *xsq = NULL, *mean = NULL, *buf = NULL, *best = NULL;
    size_t *labels = NULL, *map = NULL;
    memset(&w, 0, sizeof(w));
    *out = NULL;
    st = imbal_kmeans_params_check(p, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (n == 0 || d == 0 || k == 0 || k > n) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "k-means needs 1 <= n_clusters <= n_samples (n_clusters=%zu, "
                        "n_samples=%zu, features=%zu)", k, n, d);
        goto cleanup;
    }
    w.n = n;
    w.d = d;
    w.k = k;
    w.max_iter = p->max_iter;
    w.n_trials = 2 + (size_t)floor(log((double)k));
    xc = imbal_malloc(n, d * sizeof(double));
    xsq = imbal_malloc(n, 4 * sizeof(double));
    w.xt = imbal_malloc(n, d * sizeof(double));
    mean = imbal_calloc(3 * d, sizeof(double));
    buf = imbal_malloc(3 * k, d * sizeof(double));
    w.ct = imbal_malloc(k, d * sizeof(double));
    w.cn = imbal_malloc(6 * k, sizeof(double));
    w.labels_old = imbal_malloc(n, sizeof(size_t));
    w.closest = imbal_malloc(n, 3 * sizeof(double));
    w.trial = imbal_malloc(n, w.n_trials * sizeof(double));
    w.pot = imbal_malloc(w.n_trials, sizeof(double));
    w.cand = imbal_malloc(w.n_trials, sizeof(size_t));
    labels = imbal_malloc(n, 2 * sizeof(size_t));
    map = imbal_malloc(k, sizeof(size_t));
    res = imbal_calloc(1, sizeof(*res));
    if (xc == NULL || xsq == NULL || mean == NULL || buf == NULL || w.ct == NULL ||
        w.cn == NULL || w.labels_old == NULL || w.closest == NULL || w.trial == NULL ||
        w.pot == NULL || w.cand == NULL || w.xt == NULL || labels == NULL || map == NULL || res == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in k-means (%zu x %zu, k=%zu)", n, d,
                        k);
        goto cleanup;
    }
    w.acc = w.cn + k;
    w.weight = w.cn + 2 * k;
    w.shift = w.cn + 3 * k;
    w.near = w.cn + 4 * k;
    w.cumsum = w.closest + n;
    w.far = w.closest + 2 * n;
    w.diff = mean + 2 * d;
    w.xnorm = xsq + n;
    w.ub = xsq + 2 * n;
    w.lb = xsq + 3 * n;
    w.rel_up = 1.0 + 1e-12 + 8.0 * (double)(d + 4) * DBL_EPSILON;
    w.err_coef = 4.0 * (double)(d + 3) * DBL_EPSILON;
    /* centre the data on its column means (sequential sums, as numpy's axis-0 mean) */
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < d; f++) {
            mean[f] += x[i * d + f];
        }
    }
    for (size_t f = 0; f < d; f++) {
        mean[f] /= (double)n;
    }
    w.tol = km_abs_tol(x, mean, n, d, p->tol, mean + d);
    for (size_t i = 0; i < n; i++) {
        for (size_t f = 0; f < d; f++) {
            xc[i * d + f] = x[i * d + f] - mean[f];
        }
        xsq[i] = km_dot(xc + i * d, xc + i * d, d);
        w.xnorm[i] = sqrt(xsq[i]) * w.rel_up;
        w.slack = w.xnorm[i] > w.slack ? w.xnorm[i] : w.slack;
        for (size_t f = 0; f < d; f++) {
            w.xt[f * n + i] = xc[i * d + f];
        }
    }
    /* bound updates round by far less than this over max_iter steps; centres stay in the
     * data's hull, so twice the largest row norm bounds every distance */
    w.slack *= 2e-9;
    w.x = xc;
    w.xsq = xsq;
    double *cur = buf;
    double *spare = buf + k * d;
    best = buf + 2 * k * d;
    size_t *run_labels = labels;
    size_t *best_labels = labels + n;
    double best_inertia = 0.0;
    size_t best_iter = 0;
    for (size_t r = 0; r < p->n_init; r++) {
        size_t n_iter = 0;
        km_plusplus(&w, rng, cur);
        double inertia = km_lloyd(&w, &cur, &spare, run_labels, &n_iter);
        /* a lower inertia with the same partition is only rounding: keep the first */
        if (r == 0 || (inertia < best_inertia &&
                       !km_same_clustering(run_labels, best_labels, n, map, k))) {
            memcpy(best, cur, k * d * sizeof(double));
            memcpy(best_labels, run_labels, n * sizeof(size_t));
            best_inertia = inertia;
            best_iter = n_iter;
        }
    }
    res->k = k;
    res->d = d;
    res->n = n;
    res->inertia = best_inertia;
    res->n_iter = best_iter;
    res->centers = imbal_malloc(k, d * sizeof(double));
    res->labels = imbal_malloc(n, sizeof(size_t));
    if (res->centers == NULL || res->labels == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in k-means (%zu x %zu, k=%zu)", n, d,
                        k);
        goto cleanup;
    }
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
    free(xc);
    free(xsq);
    free(mean);
    free(buf);
    free(w.ct);
    free(w.cn);
    free(w.labels_old);
    free(w.closest);
    free(w.trial);
    free(w.pot);
    free(w.cand);
    free(w.xt);
    free(labels);
    free(map);
    return st;
}
