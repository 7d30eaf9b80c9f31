/* knn: scikit-learn 1.2's KNeighborsClassifier (Euclidean, p = 2). The model keeps its own
 * copy of the training rows and labels, so the caller's training set may be freed after the
 * fit. predict_proba is the neighbours' vote shares, as scikit-learn computes them: per
 * class, the weights of the neighbours of that class added nearest first (uniform: 1;
 * distance: 1 / d, and when some 1 / d is infinite, d = 0, those neighbours alone vote, with
 * weight 1), divided by their sum over the classes (numpy's sum, imbal_pairwise_sum). The
 * ranking score is the probabilities themselves.
 * Which neighbours: the k nearest, distances summed over features in order (scikit-learn's
 * KD-tree sums the same squares in the same order, so distances agree to the bit); only
 * which of several rows at the k-th distance vote is a choice, and scikit-learn's is not the
 * lower row. Its KD-tree keeps the tied row its search reaches first, an order set by how
 * the tree build partitioned the rows (std::nth_element). So algorithm kd_tree rebuilds that
 * tree and search step by step (below) and keeps exactly scikit-learn's rows; brute is
 * imbal's exact engine (knn.h: ties to the lower row); auto is scikit-learn's choice between
 * them (kd_tree for at most 15 features and n_neighbors < n // 2, else brute). scikit-learn's
 * own brute force computes |x|^2 - 2 x.y + |y|^2, whose rounding decides its ties, so there
 * no tie rule reproduces it: imbal keeps the lower rows, and the shares agree whenever the
 * k-th and (k + 1)-th distances differ (tests/test_classifier_knn.c: the published abalone19
 * and iris splits have no such tie; on a grid with ties on 279 of 300 rows, kd_tree gives
 * scikit-learn's shares on all of them, brute differs on 199).
 * KNeighborsClassifier has no class weights: a fit given any is refused (the registry's flags
 * leave IMBAL_CLASSIFIER_CLASS_WEIGHT out, so the spec refuses them first). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classifiers.h"
#include "imbal/knn.h"
#include "pairwise.h"

const imbal_param_spec imbal_knn_classifier_params[] = {
    {"n_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours that vote (scikit-learn's n_neighbors)"},
    {"weights", IMBAL_PARAM_STRING, "uniform", 0, 0, "uniform|distance",
     "uniform: one vote each; distance: 1 / distance (rows at distance 0 alone vote)"},
    {"algorithm", IMBAL_PARAM_STRING, "auto", 0, 0, "auto|kd_tree|brute",
     "which rows win ties at equal distance: kd_tree those scikit-learn's KD-tree keeps, "
     "brute the lower rows; auto: scikit-learn's choice (kd_tree for at most 15 features "
     "and n_neighbors below half the rows)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

typedef struct {
    double *x; /* n * d training rows, owned (the index borrows them) */
    int *y;    /* n labels, owned */
    size_t n;
    size_t k_nn;            /* n_neighbors */
    int distance;           /* weights: distance */
    imbal_knn *index;       /* algorithm brute: imbal's exact engine */
    struct knn_sk_tree *sk; /* algorithm kd_tree: scikit-learn's tree */
} knn_state;

/* IMBAL_EINVAL keyed n_neighbors unless the fold has at least n_neighbors rows
 * (scikit-learn: "Expected n_neighbors <= n_samples_fit"). */
static imbal_status knn_check_rows(size_t k_nn, size_t rows, imbal_error *err)
{
    if (k_nn <= rows) {
        return IMBAL_OK;
    }
    imbal_status st = imbal_fail(err, IMBAL_EINVAL,
                                 "knn: n_neighbors = %zu needs %zu training rows; there are %zu",
                                 k_nn, k_nn, rows);
    imbal_error_set_key(err, "n_neighbors");
    return st;
}

imbal_status imbal_knn_classifier_check(const imbal_param_values *p, const size_t *counts, size_t k,
                                        imbal_error *err)
{
    size_t rows = 0;
    for (size_t c = 0; c < k; c++) {
        rows += counts[c];
    }
    return knn_check_rows((size_t)imbal_param_num(p, "n_neighbors"), rows, err);
}

/* ---- scikit-learn's KD-tree, for its tie rule ----
 * scikit-learn 1.2's KDTree (leaf_size 30, as KNeighborsClassifier builds it) rebuilt step by
 * step, because which of several equidistant rows it keeps depends on its tree: the rows'
 * order after each node's std::nth_element (libstdc++ 12's introselect, comparing the split
 * feature and then the row), the depth-first search that enters the nearer child first (the
 * left one when both bounds are equal) and skips a node whose bound exceeds the current k-th
 * distance, and its max-heap of k candidates, which refuses a distance not below its largest
 * and evicts its root. Distances are imbal's (and scikit-learn's): the sum over features, in
 * order, of squared differences; the square root of it at the end. */

#define KNN_SK_LEAF_SIZE 30

typedef struct knn_sk_tree {
    const double *x; /* n * d, the model's copy */
    size_t n, d;
    size_t n_nodes;
    size_t *idx;   /* n: the rows in tree order */
    size_t *start; /* n_nodes: a node's rows are idx[start .. end) */
    size_t *end;
    unsigned char *leaf;
    double *lo, *hi; /* n_nodes * d: a node's bounding box */
} knn_sk_tree;

/* nth_element's comparator: the split feature, then the row (all keys distinct). */
static int knn_sk_less(const knn_sk_tree *t, size_t dim, size_t a, size_t b)
{
    double va = t->x[a * t->d + dim];
    double vb = t->x[b * t->d + dim];
    return va == vb ? a < b : va < vb; /* == : exact equality is the comparator's rule */
}

static void knn_sk_swap(size_t *a, size_t *b)
{
    size_t tmp = *a;
    *a = *b;
    *b = tmp;
}

static void knn_sk_swap_d(double *a, double *b)
{
    double tmp = *a;
    *a = *b;
    *b = tmp;
}

/* libstdc++'s __push_heap / __adjust_heap / __make_heap / __heap_select, on v[0 .. len) */
static void knn_sk_push_heap(const knn_sk_tree *t, size_t dim, size_t *v, size_t hole, size_t top,
                             size_t value)
{
    size_t parent = hole > 0 ? (hole - 1) / 2 : 0;
    while (hole > top && knn_sk_less(t, dim, v[parent], value)) {
        v[hole] = v[parent];
        hole = parent;
        parent = hole > 0 ? (hole - 1) / 2 : 0;
    }
    v[hole] = value;
}

static void knn_sk_adjust_heap(const knn_sk_tree *t, size_t dim, size_t *v, size_t hole, size_t len,
                               size_t value)
{
    size_t top = hole;
    size_t second = hole;
    while (len >= 1 && second < (len - 1) / 2) {
        second = 2 * (second + 1);
        if (knn_sk_less(t, dim, v[second], v[second - 1])) {
            second--;
        }
        v[hole] = v[second];
        hole = second;
    }
    if ((len & 1) == 0 && second == (len - 2) / 2) {
        second = 2 * (second + 1);
        v[hole] = v[second - 1];
        hole = second - 1;
    }
    knn_sk_push_heap(t, dim, v, hole, top, value);
}

static void knn_sk_heap_select(const knn_sk_tree *t, size_t dim, size_t *v, size_t middle,
                               size_t last)
{
    if (middle >= 2) {
        size_t parent = (middle - 2) / 2;
        for (;;) {
            knn_sk_adjust_heap(t, dim, v, parent, middle, v[parent]);
            if (parent == 0) {
                break;
            }
            parent--;
        }
    }
    for (size_t i = middle; i < last; i++) {
        if (knn_sk_less(t, dim, v[i], v[0])) { /* __pop_heap(first, middle, i) */
            size_t value = v[i];
            v[i] = v[0];
            knn_sk_adjust_heap(t, dim, v, 0, middle, value);
        }
    }
}

static void knn_sk_insertion_sort(const knn_sk_tree *t, size_t dim, size_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t val = v[i];
        if (knn_sk_less(t, dim, val, v[0])) {
            memmove(v + 1, v, i * sizeof(*v));
            v[0] = val;
        } else {
            size_t j = i;
            while (knn_sk_less(t, dim, val, v[j - 1])) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = val;
        }
    }
}

/* std::nth_element(v, v + nth, v + n) as libstdc++ 12 runs it (__introselect with depth limit
 * 2 floor(log2 n), median-of-three pivot moved to the front, unguarded partition). */
static void knn_sk_nth_element(const knn_sk_tree *t, size_t dim, size_t *v, size_t nth, size_t n)
{
    size_t first = 0;
    size_t last = n;
    size_t depth = 0;
    if (n == 0 || nth == n) {
        return;
    }
    for (size_t m = n; m > 1; m >>= 1) {
        depth++;
    }
    depth *= 2;
    while (last - first > 3) {
        size_t mid;
        size_t a, b, c, lo, hi;
        if (depth == 0) {
            knn_sk_heap_select(t, dim, v + first, nth + 1 - first, last - first);
            knn_sk_swap(&v[first], &v[nth]);
            return;
        }
        depth--;
        mid = first + (last - first) / 2;
        a = first + 1;
        b = mid;
        c = last - 1;
        /* __move_median_to_first(first, a, b, c) */
        if (knn_sk_less(t, dim, v[a], v[b])) {
            if (knn_sk_less(t, dim, v[b], v[c])) {
                knn_sk_swap(&v[first], &v[b]);
            } else if (knn_sk_less(t, dim, v[a], v[c])) {
                knn_sk_swap(&v[first], &v[c]);
            } else {
                knn_sk_swap(&v[first], &v[a]);
            }
        } else if (knn_sk_less(t, dim, v[a], v[c])) {
            knn_sk_swap(&v[first], &v[a]);
        } else if (knn_sk_less(t, dim, v[b], v[c])) {
            knn_sk_swap(&v[first], &v[c]);
        } else {
            knn_sk_swap(&v[first], &v[b]);
        }
        /* __unguarded_partition(first + 1, last, pivot = first) */
        lo = first + 1;
        hi = last;
        for (;;) {
            while (knn_sk_less(t, dim, v[lo], v[first])) {
                lo++;
            }
            hi--;
            while (knn_sk_less(t, dim, v[first], v[hi])) {
                hi--;
            }
            if (!(lo < hi)) {
                break;
            }
            knn_sk_swap(&v[lo], &v[hi]);
            lo++;
        }
        if (lo <= nth) {
            first = lo;
        } else {
            last = lo;
        }
    }
    knn_sk_insertion_sort(t, dim, v + first, last - first);
}

/* _recursive_build: the node's box; a leaf at the last level, else split at the middle on
 * the feature of largest spread (the first on ties). */
static void knn_sk_build(knn_sk_tree *t, size_t node, size_t start, size_t end)
{
    size_t d = t->d;
    double *lo = t->lo + node * d;
    double *hi = t->hi + node * d;
    t->start[node] = start;
    t->end[node] = end;
    for (size_t j = 0; j < d; j++) {
        lo[j] = INFINITY;
        hi[j] = -INFINITY;
    }
    for (size_t i = start; i < end; i++) {
        const double *row = t->x + t->idx[i] * d;
        for (size_t j = 0; j < d; j++) {
            lo[j] = row[j] < lo[j] ? row[j] : lo[j];
            hi[j] = row[j] > hi[j] ? row[j] : hi[j];
        }
    }
    if (2 * node + 1 >= t->n_nodes || end - start < 2) {
        t->leaf[node] = 1;
        return;
    }
    t->leaf[node] = 0;
    {
        size_t n_points = end - start;
        size_t dim = 0;
        double spread_max = 0.0;
        for (size_t j = 0; j < d; j++) {
            if (hi[j] - lo[j] > spread_max) {
                spread_max = hi[j] - lo[j];
                dim = j;
            }
        }
        knn_sk_nth_element(t, dim, t->idx + start, n_points / 2, n_points);
        knn_sk_build(t, 2 * node + 1, start, start + n_points / 2);
        knn_sk_build(t, 2 * node + 2, start + n_points / 2, end);
    }
}

static void knn_sk_tree_free(knn_sk_tree *t)
{
    if (t != NULL) {
        free(t->idx);
        free(t->start);
        free(t->end);
        free(t->leaf);
        free(t->lo);
        free(t->hi);
        free(t);
    }
}

/* The tree over n > 0 rows of x (borrowed, d > 0); NULL when out of memory. */
static knn_sk_tree *knn_sk_tree_new(const double *x, size_t n, size_t d)
{
    knn_sk_tree *t = imbal_calloc(1, sizeof(*t));
    size_t levels = 1;
    if (t == NULL) {
        return NULL;
    }
    /* n_levels = 1 + floor(log2(max(1, (n - 1) / leaf_size))) (the floor of the quotient
     * changes nothing: 2^m is an integer) */
    for (size_t q = (n - 1) / KNN_SK_LEAF_SIZE; q > 1; q >>= 1) {
        levels++;
    }
    t->x = x;
    t->n = n;
    t->d = d;
    t->n_nodes = ((size_t)1 << levels) - 1;
    t->idx = imbal_malloc(n, sizeof(size_t));
    t->start = imbal_malloc(t->n_nodes, sizeof(size_t));
    t->end = imbal_malloc(t->n_nodes, sizeof(size_t));
    t->leaf = imbal_malloc(t->n_nodes, 1);
    t->lo = imbal_malloc(t->n_nodes, d * sizeof(double));
    t->hi = imbal_malloc(t->n_nodes, d * sizeof(double));
    if (t->idx == NULL || t->start == NULL || t->end == NULL || t->leaf == NULL || t->lo == NULL ||
        t->hi == NULL) {
        knn_sk_tree_free(t);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        t->idx[i] = i;
    }
    knn_sk_build(t, 0, 0, n);
    return t;
}

/* min_rdist: squared distance from q to the node's box, feature by feature in order. */
static double knn_sk_min_rdist(const knn_sk_tree *t, size_t node, const double *q)
{
    const double *lo = t->lo + node * t->d;
    const double *hi = t->hi + node * t->d;
    double r = 0.0;
    for (size_t j = 0; j < t->d; j++) {
        double d_lo = lo[j] - q[j];
        double d_hi = q[j] - hi[j];
        double g = 0.5 * ((d_lo + fabs(d_lo)) + (d_hi + fabs(d_hi)));
        r += g * g;
    }
    return r;
}

/* NeighborsHeap._push (a max-heap of k squared distances, the largest at 0). */
static void knn_sk_heap_push(double *hd, size_t *hi, size_t k, double val, size_t row)
{
    size_t i = 0;
    if (val >= hd[0]) {
        return;
    }
    for (;;) {
        size_t c1 = 2 * i + 1;
        size_t c2 = c1 + 1;
        size_t sw;
        if (c1 >= k) {
            break;
        } else if (c2 >= k) {
            if (hd[c1] > val) {
                sw = c1;
            } else {
                break;
            }
        } else if (hd[c1] >= hd[c2]) {
            if (val < hd[c1]) {
                sw = c1;
            } else {
                break;
            }
        } else {
            if (val < hd[c2]) {
                sw = c2;
            } else {
                break;
            }
        }
        hd[i] = hd[sw];
        hi[i] = hi[sw];
        i = sw;
    }
    hd[i] = val;
    hi[i] = row;
}

/* _query_single_depthfirst */
static void knn_sk_search(const knn_sk_tree *t, size_t node, const double *q, double lb, double *hd,
                          size_t *hi, size_t k)
{
    if (lb > hd[0]) {
        return;
    }
    if (t->leaf[node]) {
        for (size_t i = t->start[node]; i < t->end[node]; i++) {
            const double *row = t->x + t->idx[i] * t->d;
            double r = 0.0;
            for (size_t j = 0; j < t->d; j++) {
                double diff = q[j] - row[j];
                r += diff * diff;
            }
            if (r < hd[0]) {
                knn_sk_heap_push(hd, hi, k, r, t->idx[i]);
            }
        }
        return;
    }
    {
        double lb1 = knn_sk_min_rdist(t, 2 * node + 1, q);
        double lb2 = knn_sk_min_rdist(t, 2 * node + 2, q);
        if (lb1 <= lb2) {
            knn_sk_search(t, 2 * node + 1, q, lb1, hd, hi, k);
            knn_sk_search(t, 2 * node + 2, q, lb2, hd, hi, k);
        } else {
            knn_sk_search(t, 2 * node + 2, q, lb2, hd, hi, k);
            knn_sk_search(t, 2 * node + 1, q, lb1, hd, hi, k);
        }
    }
}

/* The k (<= n) neighbours of q, nearest first (equal distances by row: they vote alike):
 * idx[0 .. k) and their distances. */
static void knn_sk_query(const knn_sk_tree *t, const double *q, size_t k, size_t *idx, double *dist)
{
    for (size_t j = 0; j < k; j++) {
        dist[j] = INFINITY;
        idx[j] = 0;
    }
    knn_sk_search(t, 0, q, knn_sk_min_rdist(t, 0, q), dist, idx, k);
    /* the max-heap to nearest first, heapsort in place (equidistant rows in any order: they
     * have the same weight, so every class's sum is the same) */
    for (size_t end = k; end > 1; end--) {
        size_t i = 0;
        knn_sk_swap(&idx[0], &idx[end - 1]);
        knn_sk_swap_d(&dist[0], &dist[end - 1]);
        for (;;) {
            size_t c = 2 * i + 1;
            if (c >= end - 1) {
                break;
            }
            if (c + 1 < end - 1 && dist[c + 1] > dist[c]) {
                c++;
            }
            if (!(dist[c] > dist[i])) {
                break;
            }
            knn_sk_swap(&idx[c], &idx[i]);
            knn_sk_swap_d(&dist[c], &dist[i]);
            i = c;
        }
    }
    for (size_t j = 0; j < k; j++) {
        dist[j] = sqrt(dist[j]);
    }
}

/* Whether to search scikit-learn's KD-tree: kd_tree, or auto where scikit-learn's
 * NearestNeighbors picks it (_fit: brute for more than 15 features or n_neighbors >= n // 2,
 * else kd_tree for the Euclidean metric). Zero features (nothing to split on): the engine. */
static int knn_use_tree(const char *algorithm, size_t k_nn, size_t n, size_t d)
{
    if (d == 0 || strcmp(algorithm, "brute") == 0) {
        return 0;
    }
    if (strcmp(algorithm, "kd_tree") == 0) {
        return 1;
    }
    return d <= 15 && k_nn < n / 2;
}

imbal_status imbal_knn_classifier_fit(const imbal_train_view *in,
                                      const imbal_classifier_settings *s, imbal_model *m,
                                      imbal_error *err)
{
    knn_state *st;
    imbal_status rc;
    size_t k_nn = (size_t)imbal_param_num(s->params, "n_neighbors");
    if (s->class_weight.kind != IMBAL_CW_NONE) {
        imbal_fail(err, IMBAL_EINVAL,
                   "knn takes no class_weight (scikit-learn's KNeighborsClassifier has none); "
                   "remove it, or balance the training rows with a sampler");
        imbal_error_set_key(err, "class_weight");
        return IMBAL_EINVAL;
    }
    rc = knn_check_rows(k_nn, in->n, err);
    if (rc != IMBAL_OK) {
        return rc;
    }
    st = imbal_calloc(1, sizeof(*st));
    if (st == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    m->impl = st; /* freed by imbal_knn_classifier_free whatever happens next */
    st->n = in->n;
    st->k_nn = k_nn;
    st->distance = strcmp(imbal_param_text(s->params, "weights"), "distance") == 0;
    st->x = imbal_malloc(in->n, (in->d > 0 ? in->d : 1) * sizeof(double));
    st->y = imbal_malloc(in->n, sizeof(int));
    if (st->x == NULL || st->y == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory copying %zu training rows", in->n);
    }
    memcpy(st->x, in->x, in->n * in->d * sizeof(double));
    memcpy(st->y, in->y, in->n * sizeof(int));
    if (knn_use_tree(imbal_param_text(s->params, "algorithm"), k_nn, in->n, in->d)) {
        st->sk = knn_sk_tree_new(st->x, in->n, in->d);
        if (st->sk == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory building a KD-tree of %zu rows",
                              in->n);
        }
        m->method = "kd_tree";
        return IMBAL_OK;
    }
    rc = imbal_knn_build(st->x, in->n, in->d, IMBAL_KNN_AUTO, &st->index, err);
    if (rc != IMBAL_OK) {
        return rc;
    }
    m->method = "brute";
    return IMBAL_OK;
}

/* The vote shares of one row from its neighbours' labels and distances (nearest first):
 * _get_weights and predict_proba of scikit-learn. */
static void knn_shares(const knn_state *st, const size_t *idx, const double *dist, size_t k,
                       double *proba)
{
    int at_zero = 0;
    double norm;
    for (size_t c = 0; c < k; c++) {
        proba[c] = 0.0;
    }
    if (st->distance) {
        /* scikit-learn tests 1 / d for inf, not d for 0: the same rows, and also a
         * subnormal d whose reciprocal overflows */
        for (size_t j = 0; j < st->k_nn; j++) {
            at_zero |= isinf(1.0 / dist[j]);
        }
    }
    for (size_t j = 0; j < st->k_nn; j++) {
        double w = 1.0;
        if (st->distance) {
            w = 1.0 / dist[j];
            if (at_zero) {
                w = isinf(w) ? 1.0 : 0.0;
            }
        }
        proba[st->y[idx[j]]] += w;
    }
    norm = imbal_pairwise_sum(proba, k); /* proba_k.sum(axis=1): numpy's pairwise sum */
    if (norm == 0.0) {
        norm = 1.0; /* as scikit-learn (cannot happen: some weight is positive) */
    }
    for (size_t c = 0; c < k; c++) {
        proba[c] /= norm;
    }
}

/* Rows per block of predict: their neighbour lists (16 bytes per neighbour) stay near 1 MB
 * whatever n (n_neighbors up to the schema's 1e6: 16 MB for one row). */
#define KNN_BLOCK_ENTRIES ((size_t)1 << 16)

imbal_status imbal_knn_classifier_predict(const imbal_model *m, const double *x, size_t n,
                                          double *proba, double *rank, imbal_error *err)
{
    const knn_state *st = m->impl;
    size_t k_nn = st->k_nn;
    size_t block = KNN_BLOCK_ENTRIES / k_nn > 0 ? KNN_BLOCK_ENTRIES / k_nn : 1;
    size_t *idx = NULL;
    double *dist = NULL;
    imbal_status rc = IMBAL_OK;
    if (n == 0) {
        return IMBAL_OK;
    }
    block = block < n ? block : n;
    idx = imbal_malloc(block, k_nn * sizeof(*idx));
    dist = imbal_malloc(block, k_nn * sizeof(*dist));
    if (idx == NULL || dist == NULL) {
        rc = imbal_fail(err, IMBAL_ENOMEM, "out of memory finding %zu neighbours", k_nn);
        goto cleanup;
    }
    for (size_t b0 = 0; b0 < n; b0 += block) {
        size_t nb = n - b0 < block ? n - b0 : block;
        const double *xb = x + b0 * m->d;
        if (st->sk != NULL) {
            for (size_t i = 0; i < nb; i++) {
                knn_sk_query(st->sk, xb + i * m->d, k_nn, idx + i * k_nn, dist + i * k_nn);
            }
        } else {
            rc = imbal_knn_query(st->index, xb, nb, k_nn, 0, idx, dist, err);
            if (rc != IMBAL_OK) {
                goto cleanup;
            }
        }
        for (size_t i = 0; i < nb; i++) {
            knn_shares(st, idx + i * k_nn, dist + i * k_nn, m->k, proba + (b0 + i) * m->k);
        }
    }
    if (rank != NULL) {
        memcpy(rank, proba, n * m->k * sizeof(double));
    }
cleanup:
    free(idx);
    free(dist);
    return rc;
}

void imbal_knn_classifier_free(imbal_model *m)
{
    knn_state *st = m->impl;
    if (st != NULL) {
        imbal_knn_free(st->index);
        knn_sk_tree_free(st->sk);
        free(st->x);
        free(st->y);
        free(st);
    }
    m->impl = NULL;
}
