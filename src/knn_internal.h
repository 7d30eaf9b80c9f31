/* Private parts of the k-NN index shared by knn.c (validation, brute force, the bounded
 * heap), knn_kernel.c (the distance kernel) and kdtree.c (tree build and search). Both
 * algorithms store the reference rows in buckets of KNN_BUCKET lanes, feature-major, and
 * one kernel computes every distance: that is what makes their results bit-identical. */
#ifndef IMBAL_KNN_INTERNAL_H
#define IMBAL_KNN_INTERNAL_H

#include <stddef.h>

#include "imbal/knn.h"

/* Lanes the distance kernel handles at once; a bucket (a KD-tree leaf) holds one or more
 * chunks. */
#define KNN_CHUNK 16
/* Rows per bucket (a KD-tree leaf): 32 beat 16 and 64 on uniform and clustered data
 * (bench/knn.c). At most KNN_BUCKET_MAX: a group of queries keeps its gaps on the stack. */
#define KNN_BUCKET (2 * KNN_CHUNK)
#define KNN_BUCKET_MAX 64
/* Queries the KD-tree searches together (consecutive in tree order: two leaves' rows). 64
 * walks a third fewer nodes than 32 for 5-NN of uniform 10-D points, for as many gaps and
 * scans (bench/knn.c); more scans more leaves. At most KNN_BUCKET_MAX. */
#define KNN_TREE_GROUP 64
/* No reference row has this index: padding lanes, and "no self row to skip". */
#define KNN_NONE ((size_t)-1)

/* Squared distances from q (d values) to the KNN_CHUNK rows stored feature-major at x (row
 * j's feature f at x[f * ld + j]) into out; returns the mask of lanes (bit j) at or below
 * bound, 0 (out unset) when every lane is already farther (strictly). Every variant returns
 * the same bits. */
typedef unsigned (*imbal_knn_kernel)(const double *q, const double *x, size_t ld, size_t d,
                                     double bound, double *out);

typedef enum {
    IMBAL_KNN_KERNEL_BEST,   /* the fastest this CPU runs (AVX2 when it has it and
                              * imbal_simd_get() is IMBAL_SIMD_BEST; else WIDE2) */
    IMBAL_KNN_KERNEL_SCALAR, /* plain C (tests) */
    IMBAL_KNN_KERNEL_WIDE2   /* 2-wide vectors, the default without AVX2 (tests) */
} imbal_knn_kernel_kind;

imbal_knn_kernel imbal_knn_pick_kernel(imbal_knn_kernel_kind kind);

typedef struct {
    size_t item;        /* a leaf's bucket; an inner node's slot in knn->cbox */
    size_t left, right; /* children (node 0 is the root, so 0 means none: a leaf) */
} imbal_knn_node;

struct imbal_knn {
    const double *ref; /* borrowed: n rows of d */
    size_t n, d;
    imbal_knn_algorithm alg; /* BRUTE or KDTREE, never AUTO */
    size_t bucket;           /* lanes per bucket, a multiple of KNN_CHUNK */
    size_t n_buckets;        /* ceil(n / bucket) */
    double *xt;              /* bucket b: d x bucket doubles at xt + b * d * bucket */
    size_t *id;              /* row of each lane (KNN_NONE for padding), n_buckets * bucket */
    imbal_knn_kernel kernel;
    imbal_knn_node *nodes; /* KD-tree only: 2 n_buckets - 1 nodes */
    size_t n_nodes;
    /* KD-tree only: an inner node's children's bounding boxes, feature by feature:
     * cbox[(4 d) slot + 4 f + 0..3] = lo left, lo right, hi left, hi right. */
    double *cbox;
};

/* The k best (squared distance, row) pairs seen so far, worst on top (a max-heap under
 * "farther, or as far with a higher row"). */
typedef struct {
    double *d2;
    size_t *row;
    size_t k, size;
} imbal_knn_heap;

/* Offers every row of bucket b to h as a neighbour of query q (d values), except the row
 * numbered self. */
void imbal_knn_scan_bucket(const imbal_knn *knn, const double *q, size_t self, size_t b,
                           imbal_knn_heap *h);

/* Arranges knn->id (all n > 0 rows) into KD-tree order and fills nodes and cbox; xt is
 * filled afterwards by the caller from id. On error IMBAL_ENOMEM, with nothing left
 * allocated in knn by this call. */
imbal_status imbal_knn_tree_build(imbal_knn *knn, imbal_error *err);

/* The leaf (bucket) a query row q falls in: from the root, always the child whose box is
 * nearer (the left one on a tie). */
size_t imbal_knn_tree_leaf_of(const imbal_knn *knn, const double *q);

/* Searches the tree for the count (<= KNN_BUCKET_MAX) query rows rows[j] of q (d columns)
 * together: h[j] receives row rows[j]'s neighbours (itself left out when skip_self), the
 * same k pairs a scan of every bucket would leave. */
void imbal_knn_tree_search_group(const imbal_knn *knn, const double *q, const size_t *rows,
                                 size_t count, int skip_self, imbal_knn_heap *h);

/* The share of leaves the search scans, on average, for the 1 nearest neighbour of the rows
 * of a few evenly spaced leaves (itself left out): near 1 when the boxes prune nothing
 * (uniform data in many dimensions), small on clustered or low-dimensional data. Needs at
 * least 2 buckets. */
double imbal_knn_tree_probe(const imbal_knn *knn);

#endif
