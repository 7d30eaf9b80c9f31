/* Exact k-nearest-neighbour search (Euclidean) of a query set against a reference set.
 * Ties in distance go to the lower reference index, so results never depend on scan order
 * or threads. A KD-tree is used when it pays (low dimension, many points), a blocked brute
 * force otherwise; both return identical results. */
#ifndef IMBAL_KNN_H
#define IMBAL_KNN_H

#include <stddef.h>

#include "imbal/error.h"

typedef struct imbal_knn imbal_knn;

typedef enum { IMBAL_KNN_AUTO = 0, IMBAL_KNN_BRUTE, IMBAL_KNN_KDTREE } imbal_knn_algorithm;

/* Index over n rows of ref (row-major, d columns). ref is borrowed: it must outlive the
 * index. Free with imbal_knn_free. */
imbal_status imbal_knn_build(const double *ref, size_t n, size_t d, imbal_knn_algorithm alg,
                             imbal_knn **out, imbal_error *err);
void imbal_knn_free(imbal_knn *knn);

/* For each of the m query rows of q, the k nearest reference rows, nearest first:
 * idx[i * k + j] and (if dist is not NULL) the Euclidean distance dist[i * k + j].
 * skip_self: q is the reference set itself (m == n, q == ref) and row i is left out of
 * its own neighbours (only that row, not its duplicates), as scikit-learn's
 * kneighbors() with X=None. EINVAL when k exceeds the rows available. */
imbal_status imbal_knn_query(const imbal_knn *knn, const double *q, size_t m, size_t k,
                             int skip_self, size_t *idx, double *dist, imbal_error *err);

#endif
