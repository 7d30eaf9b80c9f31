/* The k-means++ seeding of scikit-learn 1.2 (_kmeans_plusplus), its potentials summed in
 * numpy's order (pairwise.c). Candidates are scored exactly as scikit-learn does
 * (-2 c.x + |c|^2 + |x|^2, clipped at 0); the rows a candidate provably cannot bring closer
 * (by the triangle inequality through their current centre, with margins far above
 * rounding) keep their value without being recomputed: rows are kept grouped by their
 * nearest centre, each group ordered by a power-of-two cap of the rows' keys, so a scan
 * stops at the first row out of reach; up to IMBAL_KM_MAX_SEED_TABLE_K centres a table of the
 * chosen centres' distances skips, unmeasured, the groups whose centre is out of reach of the
 * candidate's own. Distances come from a kernel that keeps each dot product in feature order
 * (kmeans_kernel.c). Candidates are compared by the sum of their changes,
 * and only the winner's distances are summed in numpy's order (all of them when rounding
 * leaves the winner in doubt). */
#include "kmeans_internal.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* scikit-learn's squared distance of row c to every row i (-2 c.x, plus |c|^2, plus |x|^2,
 * >= 0); the dot products run over the transposed rows so the loop
 * vectorises, each still summed in feature order (the bits of imbal_km_dot). */
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

/* The clipped distance from |x|^2 terms and the dot product, as seed_dist_all finishes it. */
static double seed_finish(const imbal_km_work *w, size_t c, size_t i, double dot)
{
    double dist = -2.0 * dot;
    dist += w->xsq[c];
    dist += w->xsq[i];
    return dist > 0.0 ? dist : 0.0;
}

/* The squared distances of row t to rows[m] for m < cnt into out, finished from the kernel's
 * dot products as seed_finish does (the bits of seed_dist_all's). */
static void seed_dist_rows(const imbal_km_work *w, size_t t, const size_t *rows, size_t cnt,
                           double *out)
{
    imbal_km_dots_rows(w->x + t * w->d, w->x, w->d, rows, cnt, out);
    for (size_t m = 0; m < cnt; m++) {
        out[m] = seed_finish(w, t, rows[m], out[m]);
    }
}

/* For candidate row t, the rows it brings closer, with their new distances (chg_idx, chg_val;
 * returns how many), and delta = the sum of (new - old) over them. Only the rows of a group
 * whose key exceeds the squared distance of t to the group's centre are computed; the group
 * is ordered by the binary exponent of the key, so the scan stops at the first row whose
 * power-of-two cap the distance reaches. */
static size_t seed_trial(imbal_km_work *w, size_t t, size_t n_chosen, size_t *chg_idx,
                         double *chg_val, double *delta)
{
    const size_t d = w->d;
    size_t cnt = 0;
    /* with the table: t is at most rt from its own centre ct, so at least ccd - rt from
     * centre c; squared and shrunk by far more than the rounding of dsq below, a group whose
     * first (largest) cap that reaches is one the loop below would leave at its first row */
    const size_t ct = w->owner[t];
    const double *cc = w->ccd != NULL ? w->ccd + ct * w->k : NULL;
    const double rd4 = (w->rel_down * w->rel_down) * (w->rel_down * w->rel_down);
    const double rt = sqrt((w->closest[t] + w->err_max) * (w->rel_up * w->rel_up)) * w->rel_up;
    for (size_t c = 0; c < n_chosen; c++) {
        if (cc != NULL) {
            double lo = cc[c] - rt;
            if (w->grp_start[c] == w->grp_start[c + 1] ||
                (lo > 0.0 && (lo * lo) * rd4 >= w->grp_cap[w->grp_start[c]])) {
                continue;
            }
        }
        /* squared distance of t to centre c, rounded down */
        double dsq = imbal_km_sqdist(w->x + t * d, w->x + w->chosen[c] * d, d) /
                     (w->rel_up * w->rel_up);
        for (size_t r = w->grp_start[c]; r < w->grp_start[c + 1]; r++) {
            if (dsq >= w->grp_cap[r]) {
                break; /* this row and all after it keep their distances */
            }
            w->todo[cnt] = w->grp_rows[r];
            cnt += dsq < w->grp_key[r];
        }
    }
    seed_dist_rows(w, t, w->todo, cnt, w->dist);
    size_t n_chg = 0;
    double sum = 0.0;
    for (size_t m = 0; m < cnt; m++) { /* branch-free: about half are closer */
        size_t i = w->todo[m];
        double dist = w->dist[m];
        double old = w->closest[i];
        int closer = dist < old;
        chg_idx[n_chg] = i;
        chg_val[n_chg] = dist;
        n_chg += (size_t)closer;
        double dlt = dist - old; /* < 0 exactly when closer */
        sum += dlt < 0.0 ? dlt : 0.0;
    }
    *delta = sum;
    return n_chg;
}

/* A row's key: 4 r^2, r^2 = (closest[i] + err_max) (rel_up)^2 the squared distance of row i to
 * its centre plus the rounding of a computed distance, rounded up. A candidate t with
 * |t - c|^2 >= key, i.e. |t - c| >= 2r, is (triangle inequality) at least r from row i, so
 * its computed distance is at least closest[i]: row i keeps its value uncomputed. */
static double seed_key(const imbal_km_work *w, size_t i)
{
    return 4.0 * ((w->closest[i] + w->err_max) * (w->rel_up * w->rel_up));
}

/* Bucket of a key for the coarse order: its biased binary exponent plus one (0 for a zero
 * key), so that every key in bucket b and below is under cap(b) = the double whose bits are
 * b << 52 (2^(e - 1022) for exponent e; 0 for bucket 0). */
static size_t seed_bucket(double key)
{
    uint64_t bits;
    if (!(key > 0.0)) {
        return 0;
    }
    memcpy(&bits, &key, sizeof(bits));
    uint64_t e = (bits >> 52) + 1;
    return (size_t)(e < IMBAL_KM_EXP_BUCKETS - 1 ? e : IMBAL_KM_EXP_BUCKETS - 1);
}

static double seed_cap(size_t bucket)
{
    uint64_t bits = (uint64_t)bucket << 52;
    double cap;
    memcpy(&cap, &bits, sizeof(cap));
    return cap;
}

/* Writes rows[0 .. m) (their closest[] set) as a group at grp position at, in decreasing
 * bucket (a counting sort; the order inside a bucket does not matter). */
static void seed_place(imbal_km_work *w, const size_t *rows, size_t m, size_t at)
{
    size_t *count = w->bcount;
    double *key = w->dist; /* free here */
    size_t lo = IMBAL_KM_EXP_BUCKETS;
    size_t hi = 0;
    if (m == 0) {
        return;
    }
    for (size_t r = 0; r < m; r++) {
        key[r] = seed_key(w, rows[r]);
        size_t bkt = seed_bucket(key[r]);
        w->bucket[r] = bkt;
        lo = bkt < lo ? bkt : lo;
        hi = bkt > hi ? bkt : hi;
    }
    memset(count + lo, 0, (hi - lo + 1) * sizeof(size_t));
    for (size_t r = 0; r < m; r++) {
        count[w->bucket[r]]++;
    }
    size_t pos = at;
    for (size_t bkt = hi + 1; bkt-- > lo;) { /* start of each bucket, highest first */
        size_t c = count[bkt];
        count[bkt] = pos;
        pos += c;
    }
    for (size_t r = 0; r < m; r++) {
        size_t q = count[w->bucket[r]]++;
        w->grp_rows[q] = rows[r];
        w->grp_key[q] = key[r];
        w->grp_cap[q] = seed_cap(w->bucket[r]);
    }
}

/* Makes candidate t's changes (chg_idx, chg_val: n_chg rows) the state: those rows move to
 * the new group c, appended after groups 0 .. c - 1, which keep their other rows in order. */
static void seed_apply(imbal_km_work *w, size_t c, const size_t *chg_idx, const double *chg_val,
                       size_t n_chg)
{
    size_t *lost = w->bcount; /* c counts; seed_place below reuses it */
    memset(lost, 0, c * sizeof(size_t));
    for (size_t m = 0; m < n_chg; m++) {
        size_t i = chg_idx[m];
        lost[w->owner[i]]++;
        w->closest[i] = chg_val[m];
        w->owner[i] = c;
    }
    size_t at = 0;
    for (size_t g = 0; g < c; g++) {
        size_t start = w->grp_start[g];
        size_t end = w->grp_start[g + 1];
        w->grp_start[g] = at;
        if (lost[g] == 0) { /* the whole group moves down */
            memmove(w->grp_rows + at, w->grp_rows + start, (end - start) * sizeof(size_t));
            memmove(w->grp_key + at, w->grp_key + start, (end - start) * sizeof(double));
            memmove(w->grp_cap + at, w->grp_cap + start, (end - start) * sizeof(double));
            at += end - start;
            continue;
        }
        for (size_t r = start; r < end; r++) { /* branch-free: rows leave at random */
            size_t i = w->grp_rows[r];
            w->grp_rows[at] = i;
            w->grp_key[at] = w->grp_key[r];
            w->grp_cap[at] = w->grp_cap[r];
            at += w->owner[i] == g;
        }
    }
    w->grp_start[c] = at;
    w->grp_start[c + 1] = at + n_chg;
    seed_place(w, chg_idx, n_chg, at);
}

/* The index of the candidate whose potential (numpy's sum of min(closest, its distances)) is
 * lowest, the first on ties, as scikit-learn picks it; *pot is the current potential on entry
 * and the winner's on return. A candidate's potential differs from the current one by the
 * sum of its changes: estimated so, it is exact when there are none, and otherwise within
 * margin of the true value (every term is >= 0, so each of the sums involved, in any order,
 * is off by less than n ulp of the current potential). Only when the margins leave the
 * winner in doubt are the candidates' rows built and summed exactly. */
static size_t seed_pick(imbal_km_work *w, double *pot)
{
    const size_t n = w->n;
    const size_t nt = w->n_trials;
    const double margin = 4.0 * (double)(n + 2) * DBL_EPSILON * *pot;
    size_t best = 0;
    for (size_t t = 0; t < nt; t++) {
        w->pot[t] = *pot + w->delta[t];
        if (w->pot[t] < w->pot[best]) {
            best = t;
        }
    }
    int sure = 1;
    double hi = w->pot[best] + (w->chg_cnt[best] > 0 ? margin : 0.0);
    for (size_t t = 0; t < nt && sure; t++) {
        double lo = w->pot[t] - (w->chg_cnt[t] > 0 ? margin : 0.0);
        if (t != best && (t < best ? !(lo > hi) : !(lo >= hi))) {
            sure = 0;
        }
    }
    if (!sure) {
        best = 0;
        for (size_t t = 0; t < nt; t++) {
            double *row = w->cumsum; /* free once the candidates are drawn */
            const size_t *idx = w->chg_idx + t * n;
            const double *val = w->trial + t * n;
            memcpy(row, w->closest, n * sizeof(double));
            for (size_t m = 0; m < w->chg_cnt[t]; m++) {
                row[idx[m]] = val[m];
            }
            w->pot[t] = imbal_numpy_sum(row, n);
            if (w->pot[t] < w->pot[best]) {
                best = t;
            }
        }
        *pot = w->pot[best];
        return best;
    }
    if (w->chg_cnt[best] > 0) {
        *pot = NAN; /* the caller sums the winner's row */
    }
    return best;
}

/* Row c of the table of distances between chosen centres (rounded down), if kept. */
static void seed_table_add(imbal_km_work *w, size_t c)
{
    if (w->ccd == NULL) {
        return;
    }
    const size_t d = w->d;
    const double *xc = w->x + w->chosen[c] * d;
    w->ccd[c * w->k + c] = 0.0;
    for (size_t b = 0; b < c; b++) {
        double dist = sqrt(imbal_km_sqdist(xc, w->x + w->chosen[b] * d, d)) * w->rel_down;
        w->ccd[c * w->k + b] = dist;
        w->ccd[b * w->k + c] = dist;
    }
}

/* A uniform first centre, then for each further centre 2 + floor(log k) candidates drawn in
 * proportion to the squared distance to the nearest centre so far (uniform * potential,
 * searched in the running sum), keeping the one that lowers the potential most. */
void imbal_km_plusplus(imbal_km_work *w, imbal_rng *rng, double *centers)
{
    const size_t n = w->n;
    const size_t d = w->d;
    const size_t nt = w->n_trials;
    size_t first = (size_t)imbal_rng_below(rng, n);
    memcpy(centers, w->x + first * d, d * sizeof(double));
    w->chosen[0] = first;
    seed_dist_all(w, first, w->closest);
    for (size_t i = 0; i < n; i++) {
        w->owner[i] = 0;
        w->todo[i] = i;
    }
    w->grp_start[0] = 0;
    w->grp_start[1] = n;
    seed_place(w, w->todo, n, 0);
    seed_table_add(w, 0);
    double pot = imbal_numpy_sum(w->closest, n);
    for (size_t c = 1; c < w->k; c++) {
        /* the draws first, then the running sum only as far as the largest needs */
        double vmax = 0.0;
        for (size_t t = 0; t < nt; t++) {
            w->pot[t] = imbal_rng_uniform(rng) * pot;
            vmax = w->pot[t] > vmax ? w->pot[t] : vmax;
        }
        double run = 0.0;
        size_t len = 0;
        do { /* checked every 8 terms (a few extra are harmless); at least one block */
            size_t end = n - len > 8 ? len + 8 : n;
            for (; len < end; len++) {
                run += w->closest[len];
                w->cumsum[len] = run;
            }
        } while (len < n && !(run >= vmax));
        for (size_t t = 0; t < nt; t++) {
            /* len < n only when cumsum[len - 1] >= every draw: the same index as in full
             * (the running sum is nondecreasing) */
            w->cand[t] = seed_searchsorted(w->cumsum, len, w->pot[t]);
        }
        for (size_t t = 0; t < nt; t++) {
            w->chg_cnt[t] = seed_trial(w, w->cand[t], c, w->chg_idx + t * n, w->trial + t * n,
                                       &w->delta[t]);
        }
        size_t best = seed_pick(w, &pot);
        size_t *idx = w->chg_idx + best * n;
        double *val = w->trial + best * n;
        seed_apply(w, c, idx, val, w->chg_cnt[best]);
        if (isnan(pot)) {
            pot = imbal_numpy_sum(w->closest, n);
        }
        w->chosen[c] = w->cand[best];
        memcpy(centers + c * d, w->x + w->cand[best] * d, d * sizeof(double));
        seed_table_add(w, c);
    }
}
