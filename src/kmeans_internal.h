/* Private to the k-means module (kmeans.c: restarts and Lloyd; kmeans_assign.c: the
 * assignment step; kmeans_sums.c: its cluster sums; kmeans_seed.c: the k-means++ seeding;
 * kmeans_kernel.c: the dot-product kernels of both;
 * numpy's sums come from pairwise.h): the scratch of one fit and the helpers the files share. */
#ifndef IMBAL_KMEANS_INTERNAL_H
#define IMBAL_KMEANS_INTERNAL_H

#include <stddef.h>

#include "imbal/rng.h"
#include "pairwise.h"

/* Centre-to-centre tables (k * k) only up to this many clusters: with more, keeping them
 * sorted costs more than the scores they save; Hamerly's bounds alone then. */
#define IMBAL_KM_MAX_TABLE_K 64
/* The seeding keeps its centre-to-centre table (k * k doubles) up to this many clusters. */
#define IMBAL_KM_MAX_SEED_TABLE_K 1024
/* Buckets of the k-means++ keys by binary exponent: the 11-bit biased exponent plus one;
 * bucket 0 holds zeros. */
#define IMBAL_KM_EXP_BUCKETS 2048
/* Rows per chunk of scikit-learn's Lloyd step (CHUNK_SIZE in _k_means_common.pxd). */
#define IMBAL_KM_CHUNK 256

/* Everything one fit needs, sized once. Distances between rows are kept exact to the bit
 * where scikit-learn's are; the bounds (ub, lb, keys, ...) only decide which of those exact
 * values need computing, with margins (err_coef, rel_up, slack) far above rounding. */
typedef struct {
    const double *x;  /* centred rows, n * d */
    const double *xt; /* the same transposed, d * n */
    double *xsq;      /* n: |x|^2 summed in feature order */
    size_t n, d, k, max_iter, n_trials;
    size_t n_threads; /* scikit-learn's OpenMP threads whose summation order is replayed */
    double tol;      /* absolute: tol times the mean per-feature variance */
    double rel_up;   /* 1 + far more than the relative rounding of a d-term distance */
    double rel_down; /* 1 / rel_up: shrinks by as much, give or take an ulp */
    double err_coef; /* |computed - exact| of |c|^2 - 2 x.c is below err_coef (|c| + |x|)^2 */
    double err_max;  /* err_coef (2 max |x|)^2: the same for any pair of rows or centres */
    double slack;    /* absolute margin for the rounding of bound updates */
    double *xnorm;   /* n: |x| rounded up */
    double *thr;     /* n: a gap lb - ub above thr[i] makes km_certain hold for row i whatever
                      * the centres: thr >= slack, and thr^2 >= 2 err for any centre norm up to
                      * 2 max |x| (centres are means of rows), while lb + ub >= lb - ub */
    /* assignment (kmeans_assign.c) */
    double *ct;      /* d * kp: centres transposed, columns k .. kp - 1 zero */
    size_t kp;       /* k rounded up to a multiple of 8 */
    double *blk4;    /* 4 * kp: scores of four rows (kmeans_kernel.c) */
    size_t *newlab;  /* n: labels of the rows in doubt, by todo position */
    size_t *defer;   /* n: todo positions of the rows scored in blocks */
    double *cn;      /* k: |c|^2 */
    double *prev;    /* k * d: the centres ct and cn were computed for */
    unsigned char *moved; /* k: centre j differs from prev */
    int prepared;    /* prev is set */
    double *acc;     /* k + 3: scores of one row */
    double *scratch; /* k + 3 */
    double *weight;  /* k: rows per cluster */
    double *shift;   /* k: how far each centre moved */
    double *near;    /* k: distance to the nearest other centre, rounded down */
    double *dcc;     /* k * k: centre-to-centre distances, rounded down */
    /* Yinyang's group bounds, for k above IMBAL_KM_MAX_TABLE_K (else n_groups is 0): the
     * centres in n_groups contiguous index ranges */
    size_t n_groups;
    size_t *gstart;  /* n_groups + 1: group g is centres gstart[g] .. gstart[g + 1] - 1 */
    size_t *cgroup;  /* k: the group of each centre */
    double *glb;     /* n * n_groups: for row i and group g, a lower bound on the distance to
                      * every centre of g but its own, stored plus gdrift[g] at storing time */
    double *gdrift;  /* n_groups: the rounded-up moves of each group summed over this run */
    double gmarg;    /* relative margin for the rounding of those sums and of glb */
    double *glo;     /* n_groups: one row's current group bounds */
    double *gflag;   /* n_groups: 1 where that row's group is scored */
    size_t *gopen;   /* n_groups: that row's groups that are scored */
    size_t *pick;    /* k: the centres one row scores */
    size_t *by_dist; /* k * k: row a lists the centres by distance from centre a */
    double *ub, *lb; /* n: bounds on the distance to the own / nearest other centre */
    double *mv_ub, *mv_lb; /* k: what the next pass adds to ub, takes from lb, by cluster */
    double cmax;     /* largest centre norm, rounded up */
    size_t n_blocks; /* scikit-learn's threads that get rows: min(threads, chunks) */
    size_t *blk;     /* n_blocks + 1: block b is rows blk[b] .. blk[b + 1] - 1 */
    double *psum;    /* n_blocks * k * d: each block's sum of each cluster's rows */
    double *pweight; /* n_blocks * k: ... and their count */
    unsigned char *dirty; /* n_blocks * k: that sum is stale */
    size_t *mem, *mem2; /* n: each block's rows by cluster, in row order in each, in one of
                         * the two (side[b]); the other is the next pass's output */
    unsigned char *side; /* n_blocks */
    size_t *mst;     /* n_blocks * (k + 1): where each cluster's rows start in mem */
    int lists_fresh; /* mem and mst match the labels of the last summed pass */
    size_t *moved_rows; /* n: rows that changed cluster since, at their block's offset */
    size_t *n_moved; /* n_blocks: how many */
    size_t *join;    /* n: the moved rows bucketed by new cluster */
    size_t *jstart;  /* k + 1: the buckets' ends */
    double *far;  /* n: distances for empty-cluster relocation */
    double *diff; /* d */
    /* the fit (kmeans.c) */
    double *xc;       /* n * d: the centred rows (x points here) */
    double *xtc;      /* d * n: transposed (xt points here) */
    double *cur, *spare, *best; /* k * d each: centres of this run, scratch, best run's */
    double *mean;     /* d */
    size_t *run_labels, *best_labels, *map; /* n, n, k */
    /* k-means++ (kmeans_seed.c) */
    double *closest; /* n: squared distance to the nearest chosen centre */
    double *cumsum;  /* n */
    double *trial;   /* n_trials * n: each candidate's new closest[] values */
    size_t *chg_idx; /* n_trials * n: ... and their rows */
    size_t *chg_cnt; /* n_trials: how many */
    double *delta;   /* n_trials: sum of (new - old) over them */
    double *pot;     /* n_trials */
    size_t *cand;    /* n_trials */
    size_t *owner;   /* n: the chosen centre closest[i] belongs to */
    size_t *grp_rows;  /* n: rows grouped by owner */
    double *grp_key;   /* n: their keys (kmeans_seed.c: seed_key), in the same order */
    double *grp_cap;   /* n: power-of-two caps of the keys, non-increasing in each group */
    size_t *bucket;    /* n: scratch of the counting sort by cap */
    size_t *bcount;    /* max(IMBAL_KM_EXP_BUCKETS, k): its counts; rows each group lost */
    size_t *todo;      /* n: rows whose distance to a candidate is computed */
    double *dist;      /* n: those distances */
    size_t *grp_start; /* k + 1: group c is grp_rows[grp_start[c] .. grp_start[c + 1]) */
    size_t *chosen;  /* k: row of each chosen centre */
    double *ccd;     /* k * k or NULL (k above IMBAL_KM_MAX_SEED_TABLE_K): distances between
                      * the chosen centres, rounded down */
} imbal_km_work;

/* Squared distance in the order of scikit-learn's _euclidean_dense_dense: features in
 * groups of four, each group's squares added ((t0 + t1) + t2) + t3 to the total, then the
 * rest one by one. Inline: the assignment step calls it once per doubtful row. */
static inline double imbal_km_sqdist(const double *a, const double *b, size_t d)
{
    double result = 0.0;
    size_t f = 0;
    for (; f + 4 <= d; f += 4) {
        double t0 = (a[f] - b[f]) * (a[f] - b[f]);
        double t1 = (a[f + 1] - b[f + 1]) * (a[f + 1] - b[f + 1]);
        double t2 = (a[f + 2] - b[f + 2]) * (a[f + 2] - b[f + 2]);
        double t3 = (a[f + 3] - b[f + 3]) * (a[f + 3] - b[f + 3]);
        result += ((t0 + t1) + t2) + t3;
    }
    for (; f < d; f++) {
        result += (a[f] - b[f]) * (a[f] - b[f]);
    }
    return result;
}

/* a.b summed in feature order. */
static inline double imbal_km_dot(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t f = 0; f < d; f++) {
        s += a[f] * b[f];
    }
    return s;
}
/* out[r * kp + j] = the dot product of row xr[r] with column j of ct (d * kp, feature-major)
 * for r < 4 and j < kp (a multiple of 8), each summed in feature order from 0 (the bits of
 * imbal_km_dot); AVX2 when simd.h allows (kmeans_kernel.c). */
void imbal_km_dots4(const double *const xr[4], const double *ct, size_t kp, size_t d,
                    double *out);
/* out[m] = q . row rows[m] of x (n * d) for m < cnt, each summed in feature order from 0 (the
 * bits of imbal_km_dot); AVX2 when simd.h allows (kmeans_kernel.c). */
void imbal_km_dots_rows(const double *q, const double *x, size_t d, const size_t *rows,
                        size_t cnt, double *out);
/* Greedy k-means++ into centers (k * d), drawing from rng as scikit-learn does; owner[]
 * tells each row's nearest seed. */
void imbal_km_plusplus(imbal_km_work *w, imbal_rng *rng, double *centers);
/* Rows lo .. hi - 1 of thread t when OpenMP's static schedule (no chunk size) deals n items
 * to n_threads threads: contiguous blocks, the first n % n_threads one item more (GCC's
 * expansion of schedule(static) and libgomp's gomp_iter_static_next agree). */
void imbal_km_static_block(size_t n, size_t n_threads, size_t t, size_t *lo, size_t *hi);
/* Starts a Lloyd run: labels = the seeding's owner[], no bounds, every block sum stale. */
void imbal_km_start_run(imbal_km_work *w, size_t *labels);
/* Assigns every row to its lowest-scoring centre, ties to the lower one (scikit-learn's
 * E-step); with sums != NULL also sets sums (k * d) and weight to each cluster's row sum and
 * count in scikit-learn's order (lloyd_iter_chunked_dense with n_threads threads). Returns
 * how many labels changed. */
size_t imbal_km_assign(imbal_km_work *w, const double *centers, size_t *labels, double *sums);
/* Marks every block sum stale and the cluster lists to be rebuilt (a new run). */
void imbal_km_sums_reset(imbal_km_work *w);
/* sums (k * d) and weight (k) to each cluster's row sum and count in scikit-learn's order,
 * given labels and what changed since the last call (dirty, moved_rows). */
void imbal_km_sums(imbal_km_work *w, const size_t *labels, double *sums);
/* After the centres moved by shift[] (distances), the next pass grows each upper bound by its
 * centre's move and shrinks each lower bound by the largest move of another centre. */
void imbal_km_move_bounds(imbal_km_work *w);
/* The inertia as _inertia_dense sums it: rows dealt to the threads by the static schedule,
 * each thread's squared distances summed in row order from 0, the partials added to 0 in
 * thread order (an OpenMP + reduction). */
double imbal_km_inertia(const imbal_km_work *w, const double *centers, const size_t *labels);

#endif
