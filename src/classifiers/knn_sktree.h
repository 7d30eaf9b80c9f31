/* scikit-learn 1.2's KD-tree (KDTree with leaf_size 30, Euclidean), rebuilt so that a k-NN
 * query keeps the very rows scikit-learn keeps when several are at the k-th distance
 * (knn_sktree.c says how). Private to the knn classifier (knn.c). */
#ifndef IMBAL_KNN_SKTREE_H
#define IMBAL_KNN_SKTREE_H

#include <stddef.h>

typedef struct imbal_sktree imbal_sktree;

/* The tree over n > 0 rows of x (n x d, d > 0, row-major; borrowed: x must outlive the
 * tree). NULL when out of memory. Free with imbal_sktree_free (NULL is fine). */
imbal_sktree *imbal_sktree_new(const double *x, size_t n, size_t d);
void imbal_sktree_free(imbal_sktree *t);

/* The k (1 <= k <= n) neighbours of the query row q (d values), nearest first (equidistant
 * rows in no particular order), as KDTree.query(q, k): idx[0 .. k) and their Euclidean
 * distances dist[0 .. k). Read-only on t: threads may query at once. */
void imbal_sktree_query(const imbal_sktree *t, const double *q, size_t k, size_t *idx,
                        double *dist);

#endif
