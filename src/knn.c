/* Exact Euclidean k-NN: argument checks, the blocked brute force, and the pieces both
 * algorithms share. Every distance is the sum over features, in index order, of (a - b)^2,
 * computed by one kernel (knn_kernel.c) that runs 16 reference rows side by side (each lane
 * keeps its own sum in feature order, so the vector code gives the scalar loop's bits); ties
 * in that sum go to the lower row. The KD-tree (kdtree.c) only decides which buckets to scan, so both
 * algorithms return the same neighbours and distances, for any thread count. */
#include "imbal/knn.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "alloc.h"
#include "knn_internal.h"

/* Queries per block of the brute force: each bucket is read once per block, from L1. */
#define KNN_QUERY_BLOCK 64

/* Index of the lowest set bit of mask (mask != 0). */
static unsigned knn_lowest_bit(unsigned mask)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(mask);
#else
    unsigned j = 0;
    while ((mask & 1u) == 0) {
        mask >>= 1;
        j++;
    }
    return j;
#endif
}

/* ---- bounded heap ---- */

/* 1 when (da, ra) ranks after (db, rb). Exact == on distances is the contract: equal sums
 * go to the lower row. */
static int knn_worse(double da, size_t ra, double db, size_t rb)
{
    return da > db || (da == db && ra > rb);
}

static void knn_sift_down(imbal_knn_heap *h, size_t i, size_t size)
{
    double d2 = h->d2[i];
    size_t row = h->row[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= size) {
            break;
        }
        if (c + 1 < size && knn_worse(h->d2[c + 1], h->row[c + 1], h->d2[c], h->row[c])) {
            c++;
        }
        if (!knn_worse(h->d2[c], h->row[c], d2, row)) {
            break;
        }
        h->d2[i] = h->d2[c];
        h->row[i] = h->row[c];
        i = c;
    }
    h->d2[i] = d2;
    h->row[i] = row;
}

static void knn_offer(imbal_knn_heap *h, double d2, size_t row)
{
    if (h->size < h->k) {
        size_t i = h->size++;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!knn_worse(d2, row, h->d2[p], h->row[p])) {
                break;
            }
            h->d2[i] = h->d2[p];
            h->row[i] = h->row[p];
            i = p;
        }
        h->d2[i] = d2;
        h->row[i] = row;
    } else if (knn_worse(h->d2[0], h->row[0], d2, row)) {
        h->d2[0] = d2;
        h->row[0] = row;
        knn_sift_down(h, 0, h->size);
    }
}

/* Heapsort in place: nearest first. */
static void knn_heap_sort(imbal_knn_heap *h)
{
    for (size_t end = h->size; end > 1; end--) {
        double d2 = h->d2[0];
        size_t row = h->row[0];
        h->d2[0] = h->d2[end - 1];
        h->row[0] = h->row[end - 1];
        h->d2[end - 1] = d2;
        h->row[end - 1] = row;
        knn_sift_down(h, 0, end - 1);
    }
}

void imbal_knn_scan_bucket(const imbal_knn *knn, const double *q, size_t self, size_t b,
                           imbal_knn_heap *h)
{
    const size_t bs = knn->bucket;
    const double *x = knn->xt + b * knn->d * bs;
    const size_t *id = knn->id + b * bs;
    double d2[KNN_CHUNK];
    for (size_t c = 0; c < bs && id[c] != KNN_NONE; c += KNN_CHUNK) {
        double bound = h->size == h->k ? h->d2[0] : INFINITY;
        unsigned mask = knn->kernel(q, x + c, bs, knn->d, bound, d2);
        /* lowest lane first: offers run in row order within the chunk */
        while (mask != 0) {
            unsigned j = knn_lowest_bit(mask);
            mask &= mask - 1;
            if (id[c + j] != KNN_NONE && id[c + j] != self) {
                knn_offer(h, d2[j], id[c + j]);
            }
        }
    }
}

/* ---- build ---- */

/* Stands in for the rows when there are no values to point at (d == 0 or no rows), so no
 * arithmetic is ever done on a NULL pointer. */
static const double knn_no_values[1] = {0.0};

void imbal_knn_free(imbal_knn *knn)
{
    if (knn == NULL) {
        return;
    }
    free(knn->xt);
    free(knn->id);
    free(knn->nodes);
    free(knn->cbox);
    free(knn);
}

/* AUTO first builds the KD-tree from 256 rows on (below, both take microseconds), then
 * keeps it only if a probe (imbal_knn_tree_probe) finds the search scanning less than this
 * share of the leaves. Where the tight boxes prune nothing (uniform data in 50-D) the tree
 * costs about 1.6 times the brute force; on clustered or low-rank data it is 5 to 80 times
 * faster (bench/knn.sh). The choice never changes the results. */
#define KNN_AUTO_MAX_SCANNED 0.5

static imbal_knn_algorithm knn_resolve(imbal_knn_algorithm alg, size_t n, size_t d)
{
    if (alg != IMBAL_KNN_AUTO) {
        return alg;
    }
    return (n >= 256 && d > 0) ? IMBAL_KNN_KDTREE : IMBAL_KNN_BRUTE;
}

/* Turns a KD-tree index into a brute force one: the buckets stay in tree order, which the
 * brute force does not mind (ties are settled by row, not by scan order). */
static void knn_drop_tree(imbal_knn *knn)
{
    free(knn->nodes);
    free(knn->cbox);
    knn->nodes = NULL;
    knn->cbox = NULL;
    knn->n_nodes = 0;
    knn->alg = IMBAL_KNN_BRUTE;
}

/* Copies the rows listed in id into the feature-major buckets, padding lanes with 0. */
static void knn_fill_buckets(imbal_knn *knn)
{
    const size_t bs = knn->bucket;
    const size_t d = knn->d;
    for (size_t b = 0; b < knn->n_buckets; b++) {
        double *x = knn->xt + b * d * bs;
        for (size_t j = 0; j < bs; j++) {
            size_t row = knn->id[b * bs + j];
            for (size_t f = 0; f < d; f++) {
                x[f * bs + j] = row == KNN_NONE ? 0.0 : knn->ref[row * d + f];
            }
        }
    }
}

imbal_status imbal_knn_build(const double *ref, size_t n, size_t d, imbal_knn_algorithm alg,
                             imbal_knn **out, imbal_error *err)
{
    imbal_knn *knn = NULL;
    imbal_status st = IMBAL_OK;
    size_t lanes;
    if (out == NULL) {
        return imbal_fail(err, IMBAL_EINVAL, "knn build: no output pointer");
    }
    *out = NULL;
    if ((int)alg < IMBAL_KNN_AUTO || alg > IMBAL_KNN_KDTREE) {
        return imbal_fail(err, IMBAL_EINVAL, "knn build: unknown algorithm %d", (int)alg);
    }
    if (ref == NULL && n > 0 && d > 0) {
        return imbal_fail(err, IMBAL_EINVAL, "knn build: no reference rows (NULL)");
    }
    /* the buckets hold up to n + KNN_BUCKET lanes of d values; the tree 4 d per node */
    if (n > SIZE_MAX / 4 - KNN_BUCKET || d > SIZE_MAX / (4 * sizeof(double)) ||
        (d > 0 && n + KNN_BUCKET > SIZE_MAX / d)) {
        return imbal_fail(err, IMBAL_ENOMEM, "knn build: %zu x %zu reference values overflow",
                          n, d);
    }
    knn = imbal_calloc(1, sizeof(*knn));
    if (knn == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory building a k-NN index");
    }
    knn->ref = ref != NULL ? ref : knn_no_values;
    knn->n = n;
    knn->d = d;
    knn->alg = knn_resolve(alg, n, d);
    knn->kernel = imbal_knn_pick_kernel(IMBAL_KNN_KERNEL_BEST);
    knn->bucket = KNN_BUCKET;
    knn->n_buckets = (n + knn->bucket - 1) / knn->bucket;
    lanes = knn->n_buckets * knn->bucket;
    knn->id = imbal_malloc(lanes, sizeof(*knn->id));
    knn->xt = imbal_malloc(lanes * d, sizeof(*knn->xt));
    if (knn->id == NULL || knn->xt == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory copying %zu x %zu reference rows", n,
                        d);
        goto cleanup;
    }
    for (size_t i = 0; i < lanes; i++) {
        knn->id[i] = i < n ? i : KNN_NONE;
    }
    if (knn->alg == IMBAL_KNN_KDTREE && n > 0) {
        st = imbal_knn_tree_build(knn, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    knn_fill_buckets(knn);
    if (alg == IMBAL_KNN_AUTO && knn->alg == IMBAL_KNN_KDTREE &&
        imbal_knn_tree_probe(knn) > KNN_AUTO_MAX_SCANNED) {
        knn_drop_tree(knn);
    }
    *out = knn;
    knn = NULL; /* ownership moved to the caller */
cleanup:
    imbal_knn_free(knn);
    return st;
}

/* ---- query ---- */

static int knn_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

static int knn_thread(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* Writes h (sorted) as query row i's output. */
static void knn_emit(imbal_knn_heap *h, size_t i, size_t *idx, double *dist)
{
    knn_heap_sort(h);
    for (size_t j = 0; j < h->k; j++) {
        idx[i * h->k + j] = h->row[j];
        if (dist != NULL) {
            dist[i * h->k + j] = sqrt(h->d2[j]);
        }
    }
}

/* Brute force: each block of queries meets every bucket in row order while it sits in L1. */
static void knn_query_brute(const imbal_knn *knn, const double *q, size_t m, size_t k,
                            int skip_self, size_t qb, double *sd2, size_t *srow, size_t *idx,
                            double *dist)
{
    const size_t n_blocks = (m + qb - 1) / qb;
    const size_t d = knn->d;
#pragma omp parallel for schedule(static)
    for (size_t blk = 0; blk < n_blocks; blk++) {
        size_t t = (size_t)knn_thread();
        size_t i0 = blk * qb;
        size_t i1 = m - i0 < qb ? m : i0 + qb;
        imbal_knn_heap h[KNN_QUERY_BLOCK];
        for (size_t i = i0; i < i1; i++) {
            size_t s = (t * qb + (i - i0)) * k;
            h[i - i0] = (imbal_knn_heap){sd2 + s, srow + s, k, 0};
        }
        for (size_t b = 0; b < knn->n_buckets; b++) {
            for (size_t i = i0; i < i1; i++) {
                imbal_knn_scan_bucket(knn, q + i * d, skip_self ? i : KNN_NONE, b, &h[i - i0]);
            }
        }
        for (size_t i = i0; i < i1; i++) {
            knn_emit(&h[i - i0], i, idx, dist);
        }
    }
}

/* Query rows in KD-tree order: grouped by the leaf each falls in (the reference rows: their
 * own leaves, in tree order), so consecutive queries are near each other and share the
 * leaves they scan. A counting sort by leaf, stable, so the order is a function of the data. */
static imbal_status knn_tree_order(const imbal_knn *knn, const double *q, size_t m,
                                   size_t *order, imbal_error *err)
{
    size_t *leaf = NULL;
    size_t *start = NULL;
    if (q == knn->ref && m == knn->n) {
        memcpy(order, knn->id, m * sizeof(*order));
        return IMBAL_OK;
    }
    leaf = imbal_malloc(m, sizeof(*leaf));
    start = imbal_calloc(knn->n_buckets + 1, sizeof(*start));
    if (leaf == NULL || start == NULL) {
        free(leaf);
        free(start);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory ordering %zu queries", m);
    }
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < m; i++) {
        leaf[i] = imbal_knn_tree_leaf_of(knn, q + i * knn->d);
    }
    for (size_t i = 0; i < m; i++) {
        start[leaf[i] + 1]++;
    }
    for (size_t b = 0; b < knn->n_buckets; b++) {
        start[b + 1] += start[b];
    }
    for (size_t i = 0; i < m; i++) {
        order[start[leaf[i]]++] = i;
    }
    free(leaf);
    free(start);
    return IMBAL_OK;
}

/* KD-tree: groups of gs consecutive queries in tree order search together (see
 * imbal_knn_tree_search_group); each group writes only its own rows' output. */
static void knn_query_tree(const imbal_knn *knn, const double *q, size_t m, size_t k,
                           int skip_self, size_t gs, const size_t *order, double *sd2,
                           size_t *srow, size_t *idx, double *dist)
{
    const size_t n_groups = (m + gs - 1) / gs;
#pragma omp parallel for schedule(static)
    for (size_t g = 0; g < n_groups; g++) {
        size_t t = (size_t)knn_thread();
        const size_t *rows = order + g * gs;
        size_t count = m - g * gs < gs ? m - g * gs : gs;
        imbal_knn_heap h[KNN_BUCKET_MAX];
        for (size_t j = 0; j < count; j++) {
            size_t s = (t * gs + j) * k;
            h[j] = (imbal_knn_heap){sd2 + s, srow + s, k, 0};
        }
        imbal_knn_tree_search_group(knn, q, rows, count, skip_self, h);
        for (size_t j = 0; j < count; j++) {
            knn_emit(&h[j], rows[j], idx, dist);
        }
    }
}

imbal_status imbal_knn_query(const imbal_knn *knn, const double *q, size_t m, size_t k,
                             int skip_self, size_t *idx, double *dist, imbal_error *err)
{
    size_t avail;
    size_t qb = 1;
    size_t slots;
    double *sd2 = NULL;
    size_t *srow = NULL;
    size_t *order = NULL;
    imbal_status st = IMBAL_OK;
    if (knn == NULL || (idx == NULL && m > 0) || (q == NULL && m > 0 && knn->d > 0)) {
        return imbal_fail(err, IMBAL_EINVAL, "knn query: NULL index, queries or output");
    }
    if (k == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "knn query: k must be at least 1");
    }
    if (skip_self && m != knn->n) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "knn query: skip_self needs the reference rows as queries "
                          "(%zu queries, %zu reference rows)",
                          m, knn->n);
    }
    avail = knn->n - (skip_self && knn->n > 0 ? 1 : 0);
    if (k > avail) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "knn query: k = %zu neighbours requested but only %zu reference "
                          "rows are available%s",
                          k, avail, skip_self ? " (each row is left out of its own list)" : "");
    }
    if (m > 0 && k > SIZE_MAX / m) {
        return imbal_fail(err, IMBAL_ENOMEM, "knn query: %zu x %zu results overflow", m, k);
    }
    if (m == 0) {
        return IMBAL_OK;
    }
    if (q == NULL) {
        q = knn_no_values; /* d == 0 */
    }
    /* a block (group) of qb queries keeps qb heaps: cap their size for huge k */
    qb = knn->alg == IMBAL_KNN_BRUTE ? KNN_QUERY_BLOCK : KNN_TREE_GROUP;
    if (k > 64) {
        qb = k < 64 * qb ? 64 * qb / k : 1;
    }
    slots = (size_t)knn_threads() * qb;
    if (slots > SIZE_MAX / k) {
        return imbal_fail(err, IMBAL_ENOMEM, "knn query: scratch for k = %zu overflows", k);
    }
    sd2 = imbal_malloc(slots * k, sizeof(*sd2));
    srow = imbal_malloc(slots * k, sizeof(*srow));
    if (sd2 == NULL || srow == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for k-NN scratch (k = %zu)", k);
        goto cleanup;
    }
    if (knn->alg == IMBAL_KNN_BRUTE) {
        knn_query_brute(knn, q, m, k, skip_self, qb, sd2, srow, idx, dist);
    } else {
        order = imbal_malloc(m, sizeof(*order));
        if (order == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory ordering %zu queries", m);
            goto cleanup;
        }
        st = knn_tree_order(knn, q, m, order, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        knn_query_tree(knn, q, m, k, skip_self, qb, order, sd2, srow, idx, dist);
    }
cleanup:
    free(sd2);
    free(srow);
    free(order);
    return st;
}
