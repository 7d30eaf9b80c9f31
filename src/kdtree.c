/* KD-tree over the buckets of knn.c: each node splits its rows at a bucket boundary near the
 * median of its widest-spread feature, so every leaf is one full bucket (the last may be
 * partial). Nodes keep the tight bounding box of their rows; the search descends nearer box
 * first and skips a box only when its distance exceeds the current k-th distance strictly,
 * so a row at exactly that distance with a lower index is still found. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#elif defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "alloc.h"
#include "imbal/simd.h"
#include "knn_internal.h"

/* Orders rows by feature dim, then by row, so the split never depends on input order. */
static int tree_less(const double *ref, size_t d, size_t dim, size_t a, size_t b)
{
    double va = ref[a * d + dim];
    double vb = ref[b * d + dim];
    return va < vb || (va == vb && a < b);
}

static void tree_swap(size_t *rows, size_t a, size_t b)
{
    size_t t = rows[a];
    rows[a] = rows[b];
    rows[b] = t;
}

/* Quickselect: afterwards rows[0 .. nth) rank before rows[nth .. count) (count > nth).
 * Median-of-three pivots by position; keys are distinct because the row breaks ties. */
static void tree_select(const double *ref, size_t d, size_t dim, size_t *rows, size_t count,
                        size_t nth)
{
    size_t lo = 0;
    size_t hi = count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        size_t last = hi - 1;
        size_t store = lo;
        /* median of rows[lo], rows[mid], rows[last] into rows[last] */
        if (tree_less(ref, d, dim, rows[mid], rows[lo])) {
            tree_swap(rows, mid, lo);
        }
        if (tree_less(ref, d, dim, rows[last], rows[lo])) {
            tree_swap(rows, last, lo);
        }
        if (tree_less(ref, d, dim, rows[mid], rows[last])) {
            tree_swap(rows, mid, last);
        }
        for (size_t i = lo; i < last; i++) {
            if (tree_less(ref, d, dim, rows[i], rows[last])) {
                tree_swap(rows, i, store++);
            }
        }
        tree_swap(rows, store, last);
        if (store == nth) {
            return;
        }
        if (nth < store) {
            hi = store;
        } else {
            lo = store + 1;
        }
    }
}

/* Rows a node's split feature is chosen from: every row up to this many, else an evenly
 * spaced sample of about as many. Reading every row of the upper nodes (in random memory
 * order) cost more than half the build for 100,000 x 50; the tight boxes the search prunes
 * with are exact all the same, merged bottom-up from the leaves. */
#define TREE_SAMPLE 1024

/* Leaves whose rows imbal_knn_tree_probe searches. */
#define TREE_PROBE_LEAVES 4

/* Bounding box of rows[0], rows[step], ... (below count) into lo, hi; returns the feature of
 * widest spread (the first such), or 0 when d == 0. */
static size_t tree_box(const imbal_knn *knn, const size_t *rows, size_t count, size_t step,
                       double *lo, double *hi)
{
    const size_t d = knn->d;
    size_t widest = 0;
    for (size_t f = 0; f < d; f++) {
        lo[f] = knn->ref[rows[0] * d + f];
        hi[f] = lo[f];
    }
    for (size_t i = step; i < count; i += step) {
        const double *x = knn->ref + rows[i] * d;
        for (size_t f = 0; f < d; f++) {
            if (x[f] < lo[f]) {
                lo[f] = x[f];
            }
            if (x[f] > hi[f]) {
                hi[f] = x[f];
            }
        }
    }
    for (size_t f = 1; f < d; f++) {
        if (hi[f] - lo[f] > hi[widest] - lo[widest]) {
            widest = f;
        }
    }
    return widest;
}

typedef struct {
    imbal_knn *knn;
    double *box; /* node v's tight box: lo at box + 2 v d, hi d later */
    size_t next_node, next_slot;
} tree_builder;

/* Grows the subtree over buckets [b0, b1) as the next node (then its descendants); returns
 * its number. */
static size_t tree_grow(tree_builder *tb, size_t b0, size_t b1)
{
    imbal_knn *knn = tb->knn;
    const size_t bs = knn->bucket;
    const size_t d = knn->d;
    size_t v = tb->next_node++;
    size_t p0 = b0 * bs;
    size_t p1 = b1 * bs < knn->n ? b1 * bs : knn->n;
    size_t count = p1 - p0;
    double *lo = tb->box + 2 * v * d;
    double *hi = lo + d;
    if (b1 - b0 == 1) {
        tree_box(knn, knn->id + p0, count, 1, lo, hi);
        knn->nodes[v] = (imbal_knn_node){b0, 0, 0};
    } else {
        size_t bm = b0 + (b1 - b0 + 1) / 2;
        size_t slot = tb->next_slot++;
        size_t step = count > TREE_SAMPLE ? count / TREE_SAMPLE : 1;
        size_t dim = tree_box(knn, knn->id + p0, count, step, lo, hi);
        size_t left;
        size_t right;
        double *cb = knn->cbox + 4 * d * slot;
        if (d > 0) {
            tree_select(knn->ref, d, dim, knn->id + p0, count, bm * bs - p0);
        }
        left = tree_grow(tb, b0, bm);
        right = tree_grow(tb, bm, b1);
        for (size_t f = 0; f < d; f++) {
            /* the exact box: the union of the children's */
            const double *l = tb->box + 2 * left * d;
            const double *r = tb->box + 2 * right * d;
            lo[f] = l[f] < r[f] ? l[f] : r[f];
            hi[f] = l[d + f] > r[d + f] ? l[d + f] : r[d + f];
            cb[4 * f + 0] = tb->box[2 * left * d + f];
            cb[4 * f + 1] = tb->box[2 * right * d + f];
            cb[4 * f + 2] = tb->box[2 * left * d + d + f];
            cb[4 * f + 3] = tb->box[2 * right * d + d + f];
        }
        knn->nodes[v] = (imbal_knn_node){slot, left, right};
    }
    return v;
}

imbal_status imbal_knn_tree_build(imbal_knn *knn, imbal_error *err)
{
    tree_builder tb = {knn, NULL, 0, 0};
    size_t n_nodes = 2 * knn->n_buckets - 1;
    knn->nodes = imbal_malloc(n_nodes, sizeof(*knn->nodes));
    knn->cbox = imbal_malloc(knn->n_buckets - 1, 4 * knn->d * sizeof(*knn->cbox));
    tb.box = imbal_malloc(n_nodes, 2 * knn->d * sizeof(*tb.box));
    if (knn->nodes == NULL || knn->cbox == NULL || tb.box == NULL) {
        free(knn->nodes);
        free(knn->cbox);
        free(tb.box);
        knn->nodes = NULL;
        knn->cbox = NULL;
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for a KD-tree of %zu nodes",
                          n_nodes);
    }
    tree_grow(&tb, 0, knn->n_buckets);
    knn->n_nodes = n_nodes;
    free(tb.box);
    return IMBAL_OK;
}

/* Lower bounds on the squared distance, as the kernel computes it, from a row q to any row
 * in the left and in the right child box of an inner node (cb: see knn->cbox). Per feature
 * the gap to the box (0 inside) is at most |q_f - x_f| after rounding too, rounding being
 * monotone, and the gaps are summed in the same feature order, so each partial sum stays at
 * or below the row's. At most one of lo - q and q - hi is positive, so the larger of them
 * and 0 is the gap; both children run side by side in two lanes, without branches.
 * tree_child_gaps4 does 4 rows at once, so their sums overlap in the pipeline. */
#if defined(__GNUC__)
typedef double tree_v2 __attribute__((vector_size(16)));
typedef long long tree_v2i __attribute__((vector_size(16)));

/* (t_left, t_right) for one feature: max(lo - q, q - hi, 0) lane by lane. */
#if defined(__SSE2__)
#define TREE_GAP(t, lo, hi, qf, zero)                                                             \
    ((t) = (tree_v2)_mm_max_pd(_mm_max_pd((__m128d)((lo) - (qf)), (__m128d)((qf) - (hi))),      \
                               (__m128d)(zero)))
#else
#define TREE_GAP(t, lo, hi, qf, zero)                                                             \
    do {                                                                                          \
        tree_v2 b_ = (lo) - (qf);                                                                 \
        tree_v2 a_ = (qf) - (hi);                                                                 \
        (t) = (tree_v2)(((tree_v2i)b_ & (b_ > (zero))) | ((tree_v2i)a_ & (a_ > (zero))));         \
    } while (0)
#endif

static void tree_child_gaps(const double *cb, const double *q, size_t d, double *g_left,
                            double *g_right)
{
    const tree_v2 zero = {0.0, 0.0};
    tree_v2 s = zero;
    for (size_t f = 0; f < d; f++) {
        const tree_v2 qf = {q[f], q[f]};
        tree_v2 lo;
        tree_v2 hi;
        tree_v2 t;
        memcpy(&lo, cb + 4 * f, sizeof(lo));
        memcpy(&hi, cb + 4 * f + 2, sizeof(hi));
        TREE_GAP(t, lo, hi, qf, zero);
        s += t * t;
    }
    *g_left = s[0];
    *g_right = s[1];
}

static void tree_child_gaps4(const double *cb, const double *const *q, size_t d,
                             double *g_left, double *g_right)
{
    const tree_v2 zero = {0.0, 0.0};
    tree_v2 s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    for (size_t f = 0; f < d; f++) {
        const tree_v2 q0 = {q[0][f], q[0][f]};
        const tree_v2 q1 = {q[1][f], q[1][f]};
        const tree_v2 q2 = {q[2][f], q[2][f]};
        const tree_v2 q3 = {q[3][f], q[3][f]};
        tree_v2 lo;
        tree_v2 hi;
        tree_v2 t0, t1, t2, t3;
        memcpy(&lo, cb + 4 * f, sizeof(lo));
        memcpy(&hi, cb + 4 * f + 2, sizeof(hi));
        TREE_GAP(t0, lo, hi, q0, zero);
        TREE_GAP(t1, lo, hi, q1, zero);
        TREE_GAP(t2, lo, hi, q2, zero);
        TREE_GAP(t3, lo, hi, q3, zero);
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
    }
    g_left[0] = s0[0];
    g_right[0] = s0[1];
    g_left[1] = s1[0];
    g_right[1] = s1[1];
    g_left[2] = s2[0];
    g_right[2] = s2[1];
    g_left[3] = s3[0];
    g_right[3] = s3[1];
}
#else
static void tree_child_gaps(const double *cb, const double *q, size_t d, double *g_left,
                            double *g_right)
{
    double s[2] = {0.0, 0.0};
    for (size_t f = 0; f < d; f++) {
        for (int c = 0; c < 2; c++) {
            double below = cb[4 * f + c] - q[f];
            double above = q[f] - cb[4 * f + 2 + c];
            double t = below > 0.0 ? below : (above > 0.0 ? above : 0.0);
            s[c] += t * t;
        }
    }
    *g_left = s[0];
    *g_right = s[1];
}

static void tree_child_gaps4(const double *cb, const double *const *q, size_t d,
                             double *g_left, double *g_right)
{
    for (int r = 0; r < 4; r++) {
        tree_child_gaps(cb, q[r], d, g_left + r, g_right + r);
    }
}
#endif

/* tree_child_gaps4 with 4-wide vectors, two rows a vector (lanes: row r left, row r right,
 * row r + 1 left, row r + 1 right): each lane does the 2-wide code's operations in the same
 * order, so the gaps are the same bits, at half the instructions. */
#if defined(__GNUC__) && defined(__x86_64__)
typedef double tree_v4 __attribute__((vector_size(32)));

__attribute__((target("avx2"))) static void tree_child_gaps4_avx2(const double *cb,
                                                                 const double *const *q,
                                                                 size_t d, double *g_left,
                                                                 double *g_right)
{
    const tree_v4 zero = {0.0, 0.0, 0.0, 0.0};
    tree_v4 s01 = zero;
    tree_v4 s23 = zero;
    for (size_t f = 0; f < d; f++) {
        const tree_v4 lo = {cb[4 * f], cb[4 * f + 1], cb[4 * f], cb[4 * f + 1]};
        const tree_v4 hi = {cb[4 * f + 2], cb[4 * f + 3], cb[4 * f + 2], cb[4 * f + 3]};
        const tree_v4 q01 = {q[0][f], q[0][f], q[1][f], q[1][f]};
        const tree_v4 q23 = {q[2][f], q[2][f], q[3][f], q[3][f]};
        tree_v4 t01 = (tree_v4)_mm256_max_pd(
            _mm256_max_pd((__m256d)(lo - q01), (__m256d)(q01 - hi)), (__m256d)zero);
        tree_v4 t23 = (tree_v4)_mm256_max_pd(
            _mm256_max_pd((__m256d)(lo - q23), (__m256d)(q23 - hi)), (__m256d)zero);
        s01 += t01 * t01;
        s23 += t23 * t23;
    }
    g_left[0] = s01[0];
    g_right[0] = s01[1];
    g_left[1] = s01[2];
    g_right[1] = s01[3];
    g_left[2] = s23[0];
    g_right[2] = s23[1];
    g_left[3] = s23[2];
    g_right[3] = s23[3];
}
#endif

typedef void (*tree_gaps4_fn)(const double *cb, const double *const *q, size_t d,
                              double *g_left, double *g_right);

/* The fastest tree_child_gaps4 this CPU runs (the generic one when simd.h says so); all give
 * the same bits. */
static tree_gaps4_fn tree_pick_gaps4(void)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (imbal_simd_avx2()) {
        return tree_child_gaps4_avx2;
    }
#endif
    return tree_child_gaps4;
}

size_t imbal_knn_tree_leaf_of(const imbal_knn *knn, const double *q)
{
    size_t v = 0;
    while (knn->nodes[v].left != 0) {
        const imbal_knn_node *nd = knn->nodes + v;
        double g_left;
        double g_right;
        tree_child_gaps(knn->cbox + 4 * knn->d * nd->item, q, knn->d, &g_left, &g_right);
        v = g_right < g_left ? nd->right : nd->left;
    }
    return knn->nodes[v].item;
}

/* ---- a group of queries searched together ---- */

/* A depth-first walk, nearer child first, for several queries at once: each keeps its own
 * gaps and its own k-th distance, so it scans the leaves it would scan alone and skips a box
 * only when strictly farther than its k-th neighbour (an equal distance may still win on its
 * index), but the queries share the walk, their gap sums overlap in the pipeline and a leaf,
 * once loaded, serves all of them. */
typedef struct {
    const imbal_knn *knn;
    const double *q;    /* the query matrix */
    const size_t *rows; /* the group's query rows */
    int skip_self;
    imbal_knn_heap *h; /* one per query */
    size_t scans;      /* (query, leaf) scans so far */
    tree_gaps4_fn gaps4;
} tree_group;

/* Rows a[0 .. n) with gap[j] to a node; keeps (in place) those that may still find a
 * neighbour in it and returns how many. */
static size_t group_filter(const tree_group *g, unsigned char *a, double *gap, size_t n)
{
    size_t kept = 0;
    for (size_t j = 0; j < n; j++) {
        const imbal_knn_heap *h = g->h + a[j];
        double bound = h->size < h->k ? INFINITY : h->d2[0];
        /* branch-free: the row is written anyway and kept only when it may still win */
        a[kept] = a[j];
        gap[kept] = gap[j];
        kept += !(gap[j] > bound);
    }
    return kept;
}

static void group_visit(tree_group *g, size_t v, unsigned char *a, double *gap, size_t n)
{
    const imbal_knn *knn = g->knn;
    const imbal_knn_node *nd = knn->nodes + v;
    const size_t d = knn->d;
    unsigned char a_left[KNN_BUCKET_MAX];
    unsigned char a_right[KNN_BUCKET_MAX];
    double gap_left[KNN_BUCKET_MAX];
    double gap_right[KNN_BUCKET_MAX];
    double min_left = INFINITY;
    double min_right = INFINITY;
    n = group_filter(g, a, gap, n);
    if (n == 0) {
        return;
    }
    if (nd->left == 0) {
        g->scans += n;
        for (size_t j = 0; j < n; j++) {
            size_t row = g->rows[a[j]];
            imbal_knn_scan_bucket(knn, g->q + row * d, g->skip_self ? row : KNN_NONE, nd->item,
                                  g->h + a[j]);
        }
        return;
    }
    for (size_t j = 0; j < n; j += 4) {
        /* 4 rows at a time; past n, repeat the last row into scratch slots */
        const double *q4[4];
        double gl[4];
        double gr[4];
        for (size_t r = 0; r < 4; r++) {
            q4[r] = g->q + g->rows[a[j + r < n ? j + r : n - 1]] * d;
        }
        g->gaps4(knn->cbox + 4 * d * nd->item, q4, d, gl, gr);
        for (size_t r = 0; r < 4 && j + r < n; r++) {
            gap_left[j + r] = gl[r];
            gap_right[j + r] = gr[r];
        }
    }
    for (size_t j = 0; j < n; j++) {
        a_left[j] = a[j];
        a_right[j] = a[j];
        min_left = gap_left[j] < min_left ? gap_left[j] : min_left;
        min_right = gap_right[j] < min_right ? gap_right[j] : min_right;
    }
    /* nearer child first, as seen by the nearest row */
    if (min_right < min_left) {
        group_visit(g, nd->right, a_right, gap_right, n);
        group_visit(g, nd->left, a_left, gap_left, n);
    } else {
        group_visit(g, nd->left, a_left, gap_left, n);
        group_visit(g, nd->right, a_right, gap_right, n);
    }
}

/* Searches rows[0 .. count) together; returns the number of (query, leaf) scans. */
static size_t tree_search(const imbal_knn *knn, const double *q, const size_t *rows,
                          size_t count, int skip_self, imbal_knn_heap *h)
{
    tree_group g = {knn, q, rows, skip_self, h, 0, tree_pick_gaps4()};
    unsigned char a[KNN_BUCKET_MAX];
    double gap[KNN_BUCKET_MAX];
    for (size_t j = 0; j < count; j++) {
        a[j] = (unsigned char)j;
        gap[j] = 0.0;
    }
    if (knn->n_nodes > 0) {
        group_visit(&g, 0, a, gap, count);
    }
    return g.scans;
}

void imbal_knn_tree_search_group(const imbal_knn *knn, const double *q, const size_t *rows,
                                 size_t count, int skip_self, imbal_knn_heap *h)
{
    tree_search(knn, q, rows, count, skip_self, h);
}

double imbal_knn_tree_probe(const imbal_knn *knn)
{
    const size_t bs = knn->bucket;
    const size_t n_probe = knn->n_buckets < TREE_PROBE_LEAVES ? knn->n_buckets
                                                              : TREE_PROBE_LEAVES;
    size_t scans = 0;
    size_t rows = 0;
    for (size_t p = 0; p < n_probe; p++) {
        /* evenly spaced full leaves (the last bucket may be partial) */
        size_t b = p * (knn->n_buckets - 1) / n_probe;
        double d2[KNN_BUCKET_MAX];
        size_t row[KNN_BUCKET_MAX];
        imbal_knn_heap h[KNN_BUCKET_MAX];
        for (size_t j = 0; j < bs; j++) {
            h[j] = (imbal_knn_heap){d2 + j, row + j, 1, 0};
        }
        scans += tree_search(knn, knn->ref, knn->id + b * bs, bs, 1, h);
        rows += bs;
    }
    return rows == 0 ? 0.0 : (double)scans / ((double)rows * (double)knn->n_buckets);
}
