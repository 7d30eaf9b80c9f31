/* k-means for ClusterCentroids, step for step as scikit-learn 1.2's KMeans: the data centred
 * on its means, n_init restarts of k-means++ (kmeans_seed.c) on one generator, Lloyd
 * (assignment: kmeans_assign.c, cluster sums: kmeans_sums.c) until the labels stop changing
 * or the squared centre shift reaches tol, the lowest inertia kept. Sums run in numpy's and
 * scikit-learn's order (its OpenMP sums split into the blocks that sklearn_threads threads
 * would take, as OpenMP's static schedule deals them, the partial sums added in thread
 * order), so centres agree to the bit whenever the labels agree; the dot products
 * scikit-learn leaves to BLAS are summed in feature order, which can only matter on exact
 * near-ties. Bounds (Hamerly's; up to 64 centres Elkan's centre-to-centre test, above that
 * Yinyang's bounds on groups of about ten centres) skip the scores that provably cannot
 * change a label; they never change a result, only how much is computed. Dot products run
 * through blocked kernels (kmeans_kernel.c) that keep every sum in feature order. */
#include "imbal/kmeans.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "kmeans_internal.h"

#define KM_NO_LABEL SIZE_MAX

void imbal_kmeans_params_default(imbal_kmeans_params *p)
{
    p->n_init = 10;
    p->max_iter = 300;
    p->tol = 1e-4;
    p->sklearn_threads = 1;
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
    } else if (p->sklearn_threads == 0) {
        key = "sklearn_threads";
        imbal_fail(err, IMBAL_EINVAL, "sklearn_threads must be at least 1");
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
        double s = imbal_pairwise_sum(w->diff, d); /* ((X - C[labels]) ** 2).sum(axis=1) */
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
    int strict = 0;
    size_t it;
    imbal_km_start_run(w, labels);
    for (it = 0; it < w->max_iter; it++) {
        double *old = *centers;
        double *sums = *spare;
        size_t changed = imbal_km_assign(w, old, labels, sums);
        km_relocate_empty(w, old, labels, sums);
        km_average(w, sums);
        for (size_t j = 0; j < w->k; j++) {
            w->shift[j] = sqrt(imbal_km_sqdist(sums + j * d, old + j * d, d));
        }
        imbal_km_move_bounds(w);
        *centers = sums;
        *spare = old;
        if (it > 0 && changed == 0) { /* the labels of the last iteration again */
            strict = 1;
            break;
        }
        for (size_t j = 0; j < w->k; j++) {
            w->shift[j] = w->shift[j] * w->shift[j];
        }
        if (imbal_numpy_sum(w->shift, w->k) <= w->tol) {
            break;
        }
    }
    *n_iter = it < w->max_iter ? it + 1 : w->max_iter;
    if (!strict) {
        imbal_km_assign(w, *centers, labels, NULL); /* labels that match the final centres */
    }
    return imbal_km_inertia(w, *centers, labels);
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
 * tol * the mean over features of np.var(x, axis=0) (the d variances summed pairwise). With
 * one column numpy reduces the contiguous column itself, pairwise (numpy's sum), for the mean
 * and for the squared deviations; scratch (n) holds those. */
static double km_center_and_tol(const double *x, size_t n, size_t d, double tol, double *mean,
                                double *var, double *scratch)
{
    for (size_t f = 0; f < d; f++) {
        mean[f] = 0.0;
        var[f] = 0.0;
    }
    if (d == 1) {
        mean[0] = imbal_numpy_sum(x, n);
    } else {
        for (size_t i = 0; i < n; i++) {
            for (size_t f = 0; f < d; f++) {
                mean[f] += x[i * d + f];
            }
        }
    }
    for (size_t f = 0; f < d; f++) {
        mean[f] /= (double)n;
    }
    if (tol == 0.0) {
        return 0.0;
    }
    if (d == 1) {
        for (size_t i = 0; i < n; i++) {
            double dev = x[i] - mean[0];
            scratch[i] = dev * dev;
        }
        var[0] = imbal_numpy_sum(scratch, n);
    } else {
        for (size_t i = 0; i < n; i++) {
            for (size_t f = 0; f < d; f++) {
                double dev = x[i * d + f] - mean[f];
                var[f] += dev * dev;
            }
        }
    }
    for (size_t f = 0; f < d; f++) {
        var[f] /= (double)n;
    }
    return imbal_numpy_sum(var, d) / (double)d * tol;
}

/* How many groups of centres keep bounds (kmeans_assign.c): none up to IMBAL_KM_MAX_TABLE_K
 * centres (the centre-to-centre tables serve), else about ten centres per group (Yinyang's),
 * and never more than 2^24 bounds in all (128 MiB), so that large n keeps few groups. */
static size_t km_n_groups(size_t n, size_t k)
{
    if (k <= IMBAL_KM_MAX_TABLE_K) {
        return 0;
    }
    size_t g = (k + 9) / 10;
    size_t cap = ((size_t)1 << 24) / n;
    g = g < cap ? g : cap;
    return g > 0 ? g : 1;
}

/* Carves m items of size sz at offset *off of block (NULL: only counts the bytes). */
static void *km_carve(char *block, size_t *off, size_t m, size_t sz)
{
    void *at = block != NULL ? block + *off : NULL;
    *off += m * sz;
    return at;
}

/* Lays the scratch of one fit out on block (or, with block NULL, only measures it); returns
 * its size in bytes. Doubles come first, then indices: both 8-byte aligned. */
static size_t km_work_layout(imbal_km_work *w, char *block)
{
    const size_t n = w->n, d = w->d, k = w->k, t = w->n_trials;
    size_t kk = k > IMBAL_KM_MAX_TABLE_K ? 1 : k * k;
    size_t off = 0;
    const size_t D = sizeof(double), Z = sizeof(size_t);
    w->xc = km_carve(block, &off, n * d, D);
    w->xtc = km_carve(block, &off, n * d, D);
    w->xsq = km_carve(block, &off, n, D);
    w->xnorm = km_carve(block, &off, n, D);
    w->thr = km_carve(block, &off, n, D);
    w->ub = km_carve(block, &off, n, D);
    w->lb = km_carve(block, &off, n, D);
    w->far = km_carve(block, &off, n, D);
    w->grp_key = km_carve(block, &off, n, D);
    w->grp_cap = km_carve(block, &off, n, D);
    w->dist = km_carve(block, &off, n, D);
    w->closest = km_carve(block, &off, n, D);
    w->cumsum = km_carve(block, &off, n, D);
    w->trial = km_carve(block, &off, t * n, D);
    w->ct = km_carve(block, &off, w->kp * d, D);
    w->blk4 = km_carve(block, &off, 4 * w->kp, D);
    w->prev = km_carve(block, &off, k * d, D);
    w->psum = km_carve(block, &off, w->n_blocks * k * d, D);
    w->pweight = km_carve(block, &off, w->n_blocks * k, D);
    w->mv_ub = km_carve(block, &off, k, D);
    w->mv_lb = km_carve(block, &off, k, D);
    w->cur = km_carve(block, &off, k * d, D);
    w->spare = km_carve(block, &off, k * d, D);
    w->best = km_carve(block, &off, k * d, D);
    w->cn = km_carve(block, &off, k, D);
    w->acc = km_carve(block, &off, k + 3, D);
    w->scratch = km_carve(block, &off, k + 3, D);
    w->weight = km_carve(block, &off, k, D);
    w->shift = km_carve(block, &off, k, D);
    w->near = km_carve(block, &off, k, D);
    w->dcc = km_carve(block, &off, kk, D);
    w->diff = km_carve(block, &off, d, D);
    w->ccd = k > IMBAL_KM_MAX_SEED_TABLE_K ? NULL : km_carve(block, &off, k * k, D);
    w->glb = km_carve(block, &off, n * w->n_groups, D);
    w->gdrift = km_carve(block, &off, w->n_groups, D);
    w->glo = km_carve(block, &off, w->n_groups, D);
    w->gflag = km_carve(block, &off, w->n_groups, D);
    w->mean = km_carve(block, &off, d, D);
    w->pot = km_carve(block, &off, t, D);
    w->delta = km_carve(block, &off, t, D);
    w->blk = km_carve(block, &off, w->n_blocks + 1, Z);
    w->mst = km_carve(block, &off, w->n_blocks * (k + 1), Z);
    w->jstart = km_carve(block, &off, k + 1, Z);
    w->n_moved = km_carve(block, &off, w->n_blocks, Z);
    w->mem = km_carve(block, &off, n, Z);
    w->mem2 = km_carve(block, &off, n, Z);
    w->moved_rows = km_carve(block, &off, n, Z);
    w->join = km_carve(block, &off, n, Z);
    w->owner = km_carve(block, &off, n, Z);
    w->grp_rows = km_carve(block, &off, n, Z);
    w->todo = km_carve(block, &off, n, Z);
    w->bucket = km_carve(block, &off, n, Z);
    w->bcount = km_carve(block, &off, k > IMBAL_KM_EXP_BUCKETS ? k : IMBAL_KM_EXP_BUCKETS, Z);
    w->run_labels = km_carve(block, &off, n, Z);
    w->best_labels = km_carve(block, &off, n, Z);
    w->chg_idx = km_carve(block, &off, t * n, Z);
    w->by_dist = km_carve(block, &off, kk, Z);
    w->gstart = km_carve(block, &off, w->n_groups + 1, Z);
    w->cgroup = km_carve(block, &off, k, Z);
    w->pick = km_carve(block, &off, k, Z);
    w->newlab = km_carve(block, &off, n, Z);
    w->defer = km_carve(block, &off, n, Z);
    w->gopen = km_carve(block, &off, w->n_groups, Z);
    w->grp_start = km_carve(block, &off, k + 1, Z);
    w->chosen = km_carve(block, &off, k, Z);
    w->map = km_carve(block, &off, k, Z);
    w->cand = km_carve(block, &off, t, Z);
    w->chg_cnt = km_carve(block, &off, t, Z);
    w->moved = km_carve(block, &off, k, 1);
    w->dirty = km_carve(block, &off, w->n_blocks * k, 1);
    w->side = km_carve(block, &off, w->n_blocks, 1);
    return off;
}

/* Allocates the scratch of one fit as one block, owned by *block. Returns 0 when the sizes
 * overflow or the allocation fails. */
static int km_work_alloc(imbal_km_work *w, char **block)
{
    const size_t n = w->n, d = w->d, k = w->k, t = w->n_trials;
    /* about (2 d + 2 t + G + 25) n + (6 d + k + 16) k words: keep every term far below SIZE_MAX */
    if (n > SIZE_MAX / 64 / (d + t + w->n_groups + 25) || k > SIZE_MAX / 64 / (d + 16) ||
        w->n_blocks > SIZE_MAX / 64 / (k * (d + 2))) {
        return 0;
    }
    imbal_km_work dry = *w;
    size_t size = km_work_layout(&dry, NULL);
    *block = imbal_malloc(size, 1);
    if (*block == NULL) {
        return 0;
    }
    km_work_layout(w, *block);
    return 1;
}

imbal_status imbal_kmeans_fit(const double *x, size_t n, size_t d, size_t k,
                              const imbal_kmeans_params *p, imbal_rng *rng, imbal_kmeans **out,
                              imbal_error *err)
{
    imbal_status st = IMBAL_OK;
    imbal_kmeans *res = NULL;
    imbal_km_work w;
    char *block = NULL;
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
    w.n_threads = p->sklearn_threads;
    /* scikit-learn's Lloyd chunks: 256 rows (all when fewer), dealt to min(threads, chunks) */
    size_t chunk = n > IMBAL_KM_CHUNK ? IMBAL_KM_CHUNK : n;
    size_t n_chunks = n / chunk + (n % chunk != 0);
    w.n_blocks = w.n_threads < n_chunks ? w.n_threads : n_chunks;
    w.n_trials = 2 + (size_t)floor(log((double)k));
    w.n_groups = km_n_groups(n, k);
    w.kp = (k + 7) / 8 * 8;
    res = imbal_calloc(1, sizeof(*res));
    if (res == NULL || !km_work_alloc(&w, &block)) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in k-means (%zu x %zu, k=%zu)", n, d, k);
        goto cleanup;
    }
    for (size_t b = 0; b < w.n_blocks; b++) {
        size_t c0, c1;
        imbal_km_static_block(n_chunks, w.n_blocks, b, &c0, &c1);
        w.blk[b] = c0 * chunk;
        w.blk[b + 1] = c1 * chunk < n ? c1 * chunk : n;
    }
    if (k <= IMBAL_KM_MAX_TABLE_K) {
        for (size_t m = 0; m < k * k; m++) {
            w.by_dist[m] = m % k; /* any order to start from */
        }
    }
    memset(w.ct, 0, w.kp * d * sizeof(double)); /* the padding columns stay 0 */
    for (size_t g = 0; g <= w.n_groups; g++) { /* k <= SIZE_MAX / 64 (km_work_alloc) */
        w.gstart[g] = g * k / (w.n_groups > 0 ? w.n_groups : 1);
    }
    for (size_t g = 0; g < w.n_groups; g++) {
        for (size_t j = w.gstart[g]; j < w.gstart[g + 1]; j++) {
            w.cgroup[j] = g;
        }
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
    double *xc = w.xc;
    double *xt = w.xtc;
    double *cur = w.cur;
    double *spare = w.spare;
    double *best = w.best;
    double *mean = w.mean;
    size_t *run_labels = w.run_labels;
    size_t *best_labels = w.best_labels;
    size_t *map = w.map;
    w.tol = km_center_and_tol(x, n, d, p->tol, mean, w.diff, w.far);
    w.rel_up = 1.0 + 1e-12 + 8.0 * (double)(d + 4) * DBL_EPSILON;
    w.rel_down = 1.0 / w.rel_up;
    w.err_coef = 4.0 * (double)(d + 3) * DBL_EPSILON;
    /* gdrift sums at most max_iter + 1 moves: each addition rounds by half an ulp of the total */
    w.gmarg = 4.0 * ((double)w.max_iter + 8.0) * DBL_EPSILON;
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
    for (size_t i = 0; i < n; i++) {
        double t = sqrt(2.0 * w.err_coef) * (2.0 * max_norm + w.xnorm[i]) * w.rel_up;
        w.thr[i] = t > w.slack ? t : w.slack;
    }
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
    free(block);
    return st;
}
