/* scikit-learn 1.2's KDTree (leaf_size 30, as KNeighborsClassifier builds it) rebuilt step by
 * step, because which of several equidistant rows it keeps depends on its tree: the rows'
 * order after each node's std::nth_element (libstdc++ 12's introselect, comparing the split
 * feature and then the row), the depth-first search that enters the nearer child first (the
 * left one when both bounds are equal) and skips a node whose bound exceeds the current k-th
 * distance, and its max-heap of k candidates, which refuses a distance not below its largest
 * and evicts its root. Distances are imbal's (and scikit-learn's): the sum over features, in
 * order, of squared differences; the square root of it at the end.
 * Used by the knn classifier (knn.c) for its algorithm kd_tree. */
#include "knn_sktree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define SKTREE_LEAF_SIZE 30

struct imbal_sktree {
    const double *x; /* n * d, the model's copy */
    size_t n, d;
    size_t n_nodes;
    size_t *idx;   /* n: the rows in tree order */
    size_t *start; /* n_nodes: a node's rows are idx[start .. end) */
    size_t *end;
    unsigned char *leaf;
    double *lo, *hi; /* n_nodes * d: a node's bounding box */
};

/* nth_element's comparator: the split feature, then the row (all keys distinct). */
static int sktree_less(const imbal_sktree *t, size_t dim, size_t a, size_t b)
{
    double va = t->x[a * t->d + dim];
    double vb = t->x[b * t->d + dim];
    return va == vb ? a < b : va < vb; /* == : exact equality is the comparator's rule */
}

static void sktree_swap(size_t *a, size_t *b)
{
    size_t tmp = *a;
    *a = *b;
    *b = tmp;
}

static void sktree_swap_d(double *a, double *b)
{
    double tmp = *a;
    *a = *b;
    *b = tmp;
}

/* libstdc++'s __push_heap / __adjust_heap / __make_heap / __heap_select, on v[0 .. len) */
static void sktree_push_heap(const imbal_sktree *t, size_t dim, size_t *v, size_t hole, size_t top,
                             size_t value)
{
    size_t parent = hole > 0 ? (hole - 1) / 2 : 0;
    while (hole > top && sktree_less(t, dim, v[parent], value)) {
        v[hole] = v[parent];
        hole = parent;
        parent = hole > 0 ? (hole - 1) / 2 : 0;
    }
    v[hole] = value;
}

static void sktree_adjust_heap(const imbal_sktree *t, size_t dim, size_t *v, size_t hole,
                               size_t len, size_t value)
{
    size_t top = hole;
    size_t second = hole;
    while (len >= 1 && second < (len - 1) / 2) {
        second = 2 * (second + 1);
        if (sktree_less(t, dim, v[second], v[second - 1])) {
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
    sktree_push_heap(t, dim, v, hole, top, value);
}

static void sktree_heap_select(const imbal_sktree *t, size_t dim, size_t *v, size_t middle,
                               size_t last)
{
    if (middle >= 2) {
        size_t parent = (middle - 2) / 2;
        for (;;) {
            sktree_adjust_heap(t, dim, v, parent, middle, v[parent]);
            if (parent == 0) {
                break;
            }
            parent--;
        }
    }
    for (size_t i = middle; i < last; i++) {
        if (sktree_less(t, dim, v[i], v[0])) { /* __pop_heap(first, middle, i) */
            size_t value = v[i];
            v[i] = v[0];
            sktree_adjust_heap(t, dim, v, 0, middle, value);
        }
    }
}

static void sktree_insertion_sort(const imbal_sktree *t, size_t dim, size_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t val = v[i];
        if (sktree_less(t, dim, val, v[0])) {
            memmove(v + 1, v, i * sizeof(*v));
            v[0] = val;
        } else {
            size_t j = i;
            while (sktree_less(t, dim, val, v[j - 1])) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = val;
        }
    }
}

/* std::nth_element(v, v + nth, v + n) as libstdc++ 12 runs it (__introselect with depth limit
 * 2 floor(log2 n), median-of-three pivot moved to the front, unguarded partition). */
static void sktree_nth_element(const imbal_sktree *t, size_t dim, size_t *v, size_t nth, size_t n)
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
            sktree_heap_select(t, dim, v + first, nth + 1 - first, last - first);
            sktree_swap(&v[first], &v[nth]);
            return;
        }
        depth--;
        mid = first + (last - first) / 2;
        a = first + 1;
        b = mid;
        c = last - 1;
        /* __move_median_to_first(first, a, b, c) */
        if (sktree_less(t, dim, v[a], v[b])) {
            if (sktree_less(t, dim, v[b], v[c])) {
                sktree_swap(&v[first], &v[b]);
            } else if (sktree_less(t, dim, v[a], v[c])) {
                sktree_swap(&v[first], &v[c]);
            } else {
                sktree_swap(&v[first], &v[a]);
            }
        } else if (sktree_less(t, dim, v[a], v[c])) {
            sktree_swap(&v[first], &v[a]);
        } else if (sktree_less(t, dim, v[b], v[c])) {
            sktree_swap(&v[first], &v[c]);
        } else {
            sktree_swap(&v[first], &v[b]);
        }
        /* __unguarded_partition(first + 1, last, pivot = first) */
        lo = first + 1;
        hi = last;
        for (;;) {
            while (sktree_less(t, dim, v[lo], v[first])) {
                lo++;
            }
            hi--;
            while (sktree_less(t, dim, v[first], v[hi])) {
                hi--;
            }
            if (!(lo < hi)) {
                break;
            }
            sktree_swap(&v[lo], &v[hi]);
            lo++;
        }
        if (lo <= nth) {
            first = lo;
        } else {
            last = lo;
        }
    }
    sktree_insertion_sort(t, dim, v + first, last - first);
}

/* _recursive_build: the node's box; a leaf at the last level, else split at the middle on
 * the feature of largest spread (the first on ties). */
static void sktree_build(imbal_sktree *t, size_t node, size_t start, size_t end)
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
        sktree_nth_element(t, dim, t->idx + start, n_points / 2, n_points);
        sktree_build(t, 2 * node + 1, start, start + n_points / 2);
        sktree_build(t, 2 * node + 2, start + n_points / 2, end);
    }
}

void imbal_sktree_free(imbal_sktree *t)
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
imbal_sktree *imbal_sktree_new(const double *x, size_t n, size_t d)
{
    imbal_sktree *t = imbal_calloc(1, sizeof(*t));
    size_t levels = 1;
    if (t == NULL) {
        return NULL;
    }
    /* n_levels = 1 + floor(log2(max(1, (n - 1) / leaf_size))) (the floor of the quotient
     * changes nothing: 2^m is an integer) */
    for (size_t q = (n - 1) / SKTREE_LEAF_SIZE; q > 1; q >>= 1) {
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
        imbal_sktree_free(t);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        t->idx[i] = i;
    }
    sktree_build(t, 0, 0, n);
    return t;
}

/* min_rdist: squared distance from q to the node's box, feature by feature in order. */
static double sktree_min_rdist(const imbal_sktree *t, size_t node, const double *q)
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
static void sktree_heap_push(double *hd, size_t *hi, size_t k, double val, size_t row)
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
static void sktree_search(const imbal_sktree *t, size_t node, const double *q, double lb,
                          double *hd, size_t *hi, size_t k)
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
                sktree_heap_push(hd, hi, k, r, t->idx[i]);
            }
        }
        return;
    }
    {
        double lb1 = sktree_min_rdist(t, 2 * node + 1, q);
        double lb2 = sktree_min_rdist(t, 2 * node + 2, q);
        if (lb1 <= lb2) {
            sktree_search(t, 2 * node + 1, q, lb1, hd, hi, k);
            sktree_search(t, 2 * node + 2, q, lb2, hd, hi, k);
        } else {
            sktree_search(t, 2 * node + 2, q, lb2, hd, hi, k);
            sktree_search(t, 2 * node + 1, q, lb1, hd, hi, k);
        }
    }
}

/* The k (<= n) neighbours of q, nearest first (equal distances by row: they vote alike):
 * idx[0 .. k) and their distances. */
void imbal_sktree_query(const imbal_sktree *t, const double *q, size_t k, size_t *idx, double *dist)
{
    for (size_t j = 0; j < k; j++) {
        dist[j] = INFINITY;
        idx[j] = 0;
    }
    sktree_search(t, 0, q, sktree_min_rdist(t, 0, q), dist, idx, k);
    /* the max-heap to nearest first, heapsort in place (equidistant rows in any order: they
     * have the same weight, so every class's sum is the same) */
    for (size_t end = k; end > 1; end--) {
        size_t i = 0;
        sktree_swap(&idx[0], &idx[end - 1]);
        sktree_swap_d(&dist[0], &dist[end - 1]);
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
            sktree_swap(&idx[c], &idx[i]);
            sktree_swap_d(&dist[c], &dist[i]);
            i = c;
        }
    }
    for (size_t j = 0; j < k; j++) {
        dist[j] = sqrt(dist[j]);
    }
}
