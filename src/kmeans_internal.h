/* Private to the k-means module (kmeans.c: restarts and Lloyd; kmeans_seed.c: numpy's sums
 * and the k-means++ seeding): the scratch of one fit and the helpers both files use. */
#ifndef IMBAL_KMEANS_INTERNAL_H
#define IMBAL_KMEANS_INTERNAL_H

#include <stddef.h>

#include "imbal/rng.h"

/* Everything one fit needs, sized once. Distances between rows are kept exact to the bit
 * where scikit-learn's are; the bounds (ub, lb, rad, ...) only decide which of those exact
 * values need computing, with margins (err_coef, rel_up, slack) far above rounding. */
typedef struct {
    const double *x;  /* centred rows, n * d */
    const double *xt; /* the same transposed, d * n */
    double *xsq;      /* n: |x|^2 summed in feature order */
    size_t n, d, k, max_iter, n_trials;
    double tol;      /* absolute: tol times the mean per-feature variance */
    double rel_up;   /* 1 + far more than the relative rounding of a d-term distance */
    double err_coef; /* |computed - exact| of |c|^2 - 2 x.c is below err_coef (|c| + |x|)^2 */
    double err_max;  /* err_coef (2 max |x|)^2: the same for any pair of rows or centres */
    double slack;    /* absolute margin for the rounding of bound updates */
    double *xnorm;   /* n: |x| rounded up */
    /* assignment (kmeans.c) */
    double *ct;      /* d * k: centres transposed */
    double *cn;      /* k: |c|^2 */
    double *acc;     /* k: scores of one row */
    double *weight;  /* k: rows per cluster */
    double *shift;   /* k: how far each centre moved */
    double *near;    /* k: distance to the nearest other centre, rounded down */
    double *dcc;     /* k * k: centre-to-centre distances, rounded down */
    size_t *by_dist; /* k * k: row a lists the centres by distance from centre a */
    double *ub, *lb; /* n: bounds on the distance to the own / nearest other centre */
    double cmax;     /* largest centre norm, rounded up */
    size_t *labels_old;
    double *far;  /* n: distances for empty-cluster relocation */
    double *diff; /* d */
    /* k-means++ (kmeans_seed.c) */
    double *closest; /* n: squared distance to the nearest chosen centre */
    double *cumsum;  /* n */
    double *trial;   /* n_trials * n */
    double *pot;     /* n_trials */
    size_t *cand;    /* n_trials */
    size_t *owner;   /* n: the chosen centre closest[i] belongs to */
    double *r2;      /* n: closest[] plus its rounding, rounded up */
    size_t *chosen;  /* k: row of each chosen centre */
    double *rad;     /* k: scratch */
} imbal_km_work;

/* numpy's sum() of a contiguous vector (pairwise, 8 accumulators, blocks of 8192). */
double imbal_km_numpy_sum(const double *a, size_t n);
/* numpy's pairwise_sum itself, as a row sum along axis 1 uses it. */
double imbal_km_pairwise(const double *a, size_t n);
/* Squared distance in the order of scikit-learn's _euclidean_dense_dense. */
double imbal_km_sqdist(const double *a, const double *b, size_t d);
/* a.b summed in feature order. */
double imbal_km_dot(const double *a, const double *b, size_t d);
/* Greedy k-means++ into centers (k * d), drawing from rng as scikit-learn does. */
void imbal_km_plusplus(imbal_km_work *w, imbal_rng *rng, double *centers);

#endif
