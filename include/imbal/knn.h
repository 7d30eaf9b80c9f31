/* Exact k-nearest-neighbour search (Euclidean) of a query set against a reference set.
 * Every distance is the square root of the sum over features, in index order, of (a - b)^2;
 * equal sums go to the lower reference index, so results never depend on scan order,
 * algorithm or threads. A KD-tree is used when it pays, a blocked brute force otherwise;
 * both return identical results (indices and distance bits). */
#ifndef IMBAL_KNN_H
#define IMBAL_KNN_H

#include <stddef.h>

#include "imbal/error.h"

typedef struct imbal_knn imbal_knn;

/* AUTO: from 256 reference rows on (and d > 0) the KD-tree is built, then kept only if a
 * probe search (the nearest neighbour of 128 rows) scans less than half of its leaves. The
 * tree keeps tight bounding boxes, so it pays on clustered or low-rank data even in many
 * dimensions, while on data it cannot prune (uniform in 20-D or more) brute force is up to
 * 1.6 times faster. The choice never changes the results. */
typedef enum { IMBAL_KNN_AUTO = 0, IMBAL_KNN_BRUTE, IMBAL_KNN_KDTREE } imbal_knn_algorithm;

/* Index over n rows of ref (row-major, d columns; ref may be NULL when n or d is 0). ref is
 * borrowed: it must outlive the index. The index copies the rows once (n * d doubles).
 * EINVAL for an unknown algorithm or a NULL ref with values, ENOMEM; *out is NULL on error.
 * Free with imbal_knn_free (NULL is fine). */
imbal_status imbal_knn_build(const double *ref, size_t n, size_t d, imbal_knn_algorithm alg,
                             imbal_knn **out, imbal_error *err);
void imbal_knn_free(imbal_knn *knn);

/* For each of the m query rows of q, the k nearest reference rows, nearest first:
 * idx[i * k + j] and (if dist is not NULL) the Euclidean distance dist[i * k + j].
 * skip_self: q is the reference set itself (m == n, q == ref) and row i is left out of
 * its own neighbours (only that row, not its duplicates, which come at distance 0 in index
 * order), as scikit-learn's kneighbors() with X=None. EINVAL when k is 0 or exceeds the
 * rows available (n, or n - 1 with skip_self), or skip_self with m != n; ENOMEM. On error
 * idx and dist are untouched. The index is read-only here: several threads may query it at
 * once; the query loop itself runs under OpenMP with results independent of the threads. */
imbal_status imbal_knn_query(const imbal_knn *knn, const double *q, size_t m, size_t k,
                             int skip_self, size_t *idx, double *dist, imbal_error *err);

#endif
