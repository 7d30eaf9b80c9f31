/* The k-means++ seeding of scikit-learn 1.2 (_kmeans_plusplus) and the numpy summation
 * orders the k-means module replays. Candidates are scored exactly as scikit-learn does
 * (-2 c.x + |c|^2 + |x|^2, clipped at 0); the rows a candidate provably cannot bring closer
 * (by the triangle inequality through their current centre, with margins far above
 * rounding) keep their value without being recomputed. */
#include "kmeans_internal.h"

#include <math.h>
#include <string.h>

double imbal_km_pairwise(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
        for (size_t j = 0; j < 8; j++) {
            r[j] = a[j];
        }
        for (i = 8; i < n - n % 8; i += 8) {
            for (size_t j = 0; j < 8; j++) {
                r[j] += a[i + j];
            }
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8; /* the left half a multiple of the unroll */
    return imbal_km_pairwise(a, n2) + imbal_km_pairwise(a + n2, n - n2);
}

double imbal_km_numpy_sum(const double *a, size_t n)
{
    double acc = 0.0;
    for (size_t s = 0; s < n; s += 8192) {
        size_t len = n - s < 8192 ? n - s : 8192;
        acc += imbal_km_pairwise(a + s, len);
    }
    return acc;
}

double imbal_km_sqdist(const double *a, const double *b, size_t d)
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

double imbal_km_dot(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t f = 0; f < d; f++) {
        s += a[f] * b[f];
    }
    return s;
}

/* scikit-learn's squared distance of rows c and i: -2 c.x, plus |c|^2, plus |x|^2, >= 0. */
static double seed_dist(const imbal_km_work *w, size_t c, size_t i)
{
    double dist = -2.0 * imbal_km_dot(w->x + c * w->d, w->x + i * w->d, w->d);
    dist += w->xsq[c];
    dist += w->xsq[i];
    return dist > 0.0 ? dist : 0.0;
}

/* seed_dist(c, i) for every row i; the dot products run over the transposed rows so the loop
 * vectorises, each still summed in feature order (the same bits as seed_dist). */
static void seed_dist_all(const imbal_km_work *w, size_t c, double *out)
{
    const size_t n = w->n;
    const double *xc = w->x + c * w->d;
    for (size_t i = 0; i < n; i++) {
        out[i] = 0.0;
    }
    for (size_t f = 0; f < w->d; f++) {
        const double cf = xc[f];
        const double *col = w->xt + f * n;
#pragma omp simd
        for (size_t i = 0; i < n; i++) {
            out[i] += cf * col[i];
        }
    }
    for (size_t i = 0; i < n; i++) {
        double dist = -2.0 * out[i];
        dist += w->xsq[c];
        dist += w->xsq[i];
        out[i] = dist > 0.0 ? dist : 0.0;
    }
}

/* row = min(closest, distances to candidate row t), as np.minimum in _kmeans_plusplus. Row
 * i keeps closest[i] uncomputed when t is provably not closer: with r the true distance of
 * row i to its centre c plus the rounding of a computed distance (r2 = r^2), |t - c| >= 2r
 * gives a computed distance to t of at least closest[i] (triangle inequality). */
static void seed_trial(imbal_km_work *w, size_t t, size_t n_chosen, double *row)
{
    const size_t d = w->d;
    double *dsq = w->rad; /* squared distance of t to each chosen centre, rounded down */
    for (size_t c = 0; c < n_chosen; c++) {
        double s = imbal_km_sqdist(w->x + t * d, w->x + w->chosen[c] * d, d);
        dsq[c] = s / (w->rel_up * w->rel_up);
    }
    for (size_t i = 0; i < w->n; i++) {
        if (dsq[w->owner[i]] >= 4.0 * w->r2[i]) {
            row[i] = w->closest[i];
        } else {
            double dist = seed_dist(w, t, i);
            row[i] = dist < w->closest[i] ? dist : w->closest[i];
        }
    }
}

/* First index whose cumulative sum reaches v (np.searchsorted, side left), clipped to n - 1. */
static size_t seed_searchsorted(const double *cumsum, size_t n, double v)
{
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cumsum[mid] < v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < n ? lo : n - 1;
}

/* A uniform first centre, then for each further centre 2 + floor(log k) candidates drawn in
 * proportion to the squared distance to the nearest centre so far (uniform * potential,
 * searched in the running sum), keeping the one that lowers the potential most. */
void imbal_km_plusplus(imbal_km_work *w, imbal_rng *rng, double *centers)
{
    const size_t n = w->n;
    const size_t d = w->d;
    size_t first = (size_t)imbal_rng_below(rng, n);
    memcpy(centers, w->x + first * d, d * sizeof(double));
    w->chosen[0] = first;
    seed_dist_all(w, first, w->closest);
    for (size_t i = 0; i < n; i++) {
        w->owner[i] = 0;
    }
    double pot = imbal_km_numpy_sum(w->closest, n);
    for (size_t c = 1; c < w->k; c++) {
        double run = 0.0;
        for (size_t i = 0; i < n; i++) {
            run += w->closest[i];
            w->cumsum[i] = run;
        }
        for (size_t t = 0; t < w->n_trials; t++) {
            w->cand[t] = seed_searchsorted(w->cumsum, n, imbal_rng_uniform(rng) * pot);
        }
        for (size_t i = 0; i < n; i++) {
            w->r2[i] = (w->closest[i] + w->err_max) * (w->rel_up * w->rel_up);
        }
        size_t best = 0;
        for (size_t t = 0; t < w->n_trials; t++) {
            double *row = w->trial + t * n;
            seed_trial(w, w->cand[t], c, row);
            w->pot[t] = imbal_km_numpy_sum(row, n);
            if (w->pot[t] < w->pot[best]) {
                best = t;
            }
        }
        const double *row = w->trial + best * n;
        for (size_t i = 0; i < n; i++) {
            if (row[i] < w->closest[i]) {
                w->owner[i] = c;
            }
        }
        memcpy(w->closest, row, n * sizeof(double));
        pot = w->pot[best];
        w->chosen[c] = w->cand[best];
        memcpy(centers + c * d, w->x + w->cand[best] * d, d * sizeof(double));
    }
}
