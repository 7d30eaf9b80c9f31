/* k-means as scikit-learn 1.2's KMeans(init="k-means++", algorithm="lloyd") computes it, for
 * ClusterCentroids: the data is centred on its column means, each of n_init restarts draws a
 * greedy k-means++ seeding from one shared generator, Lloyd iterations run until the labels
 * stop changing or the squared centre shift is at most tol times the mean per-feature
 * variance, and the restart with the lowest inertia wins. Given a numpy-kind generator seeded
 * s, the draws are those of KMeans(random_state=s).
 * Accuracy promised: sums follow numpy's and scikit-learn's order (scikit-learn run with
 * sklearn_threads OpenMP threads: 1 or 2 are exact, see below), so the centres equal
 * scikit-learn's bit for bit whenever the labels agree; a label can differ only where a
 * row's scores for two centres tie to within BLAS rounding (scikit-learn's dot products come
 * from BLAS, ours are summed in feature order). */
#ifndef IMBAL_KMEANS_H
#define IMBAL_KMEANS_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/rng.h"

typedef struct {
    size_t n_init;   /* restarts; the lowest inertia wins. Default 10 (scikit-learn 1.2) */
    size_t max_iter; /* Lloyd iterations per restart. Default 300 */
    double tol;      /* relative: times the mean per-feature variance. Default 1e-4 */
    /* Compat emulation, not parallelism (imbal always computes in one thread): scikit-learn
     * splits its Lloyd sums (centre sums, cluster sizes: 256-row chunks; inertia: rows) into
     * OpenMP's static blocks, one per thread, and adds the threads' partial sums, so its
     * centres depend on its thread count in the last bits. imbal sums the same blocks and
     * adds the partials in thread order. 1 (default) and 2 are exact emulations; with 3 or
     * more scikit-learn adds the partials in whatever order its threads finish, so its
     * results vary from run to run and imbal gives one of them. */
    size_t sklearn_threads;
} imbal_kmeans_params;

void imbal_kmeans_params_default(imbal_kmeans_params *p);
/* EINVAL (err->key = the field) when n_init, max_iter or sklearn_threads is 0 or tol is
 * negative or not finite. */
imbal_status imbal_kmeans_params_check(const imbal_kmeans_params *p, imbal_error *err);

/* A fitted clustering. Owned; free with imbal_kmeans_free. */
typedef struct {
    size_t k, d, n;
    double *centers; /* k * d, row-major, in the input's coordinates */
    size_t *labels;  /* n: the centre each row is assigned to */
    double inertia;  /* sum of squared distances of the rows to their centres */
    size_t n_iter;   /* Lloyd iterations of the winning restart */
} imbal_kmeans;

/* Clusters the n rows of x (row-major, d columns) into k clusters, drawing from rng.
 * EINVAL when n == 0, d == 0, k == 0 or k > n. On error *out is NULL. */
imbal_status imbal_kmeans_fit(const double *x, size_t n, size_t d, size_t k,
                              const imbal_kmeans_params *p, imbal_rng *rng, imbal_kmeans **out,
                              imbal_error *err);
void imbal_kmeans_free(imbal_kmeans *km);

#endif
