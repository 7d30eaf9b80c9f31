/* The assignment step of k-means (kmeans.c runs the Lloyd loop, kmeans_sums.c sums the
 * clusters): each row to the centre with the lowest score |c|^2 - 2 x.c, ties to the lower
 * centre. Most rows need no score: Hamerly's bounds, and Elkan's centre-to-centre test (k up
 * to IMBAL_KM_MAX_TABLE_K) or Yinyang's group bounds (above), prove their label unchanged,
 * with margins far above rounding; a row in doubt is scored exactly, against the centres its
 * bounds leave open, or (most of them open) four rows at a time by kmeans_kernel.c.
 * Rows are handled in phases (bounds for all, then the own centre for the doubtful, then the
 * near centres for the rest) so that the loops run without unpredictable branches. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kmeans_internal.h"

/* A bound for "no such centre": finite, so that bound arithmetic never meets inf - inf. */
#define KM_FAR 1e300
/* km_assign_groups' answer for a row to be scored against every centre in a block. */
#define KM_DEFER SIZE_MAX

/* Whether, with a row's true distance to its centre at most ub and to every other centre at
 * least lb, the scores of the others exceed its centre's even after rounding (err per score). */
static int km_certain(const imbal_km_work *w, double ub, double lb, double err)
{
    double gap = lb - ub;
    return (gap > w->slack) & (gap * (lb + ub) > 2.0 * err);
}

/* Bound on |computed - exact| of row i's scores: err_coef (|c| + |x|)^2. */
static double km_err(const imbal_km_work *w, size_t i)
{
    double scale = w->cmax + w->xnorm[i];
    return w->err_coef * scale * scale;
}

void imbal_km_static_block(size_t n, size_t n_threads, size_t t, size_t *lo, size_t *hi)
{
    size_t q = n / n_threads;
    size_t r = n % n_threads;
    if (t < r) {
        *lo = t * (q + 1);
        *hi = *lo + q + 1;
    } else {
        *lo = t * q + r;
        *hi = *lo + q;
    }
}

/* Centre j's norm, transposed copy and remembered bits. */
static void km_center_moved(imbal_km_work *w, const double *centers, size_t j)
{
    const size_t d = w->d;
    w->cn[j] = imbal_km_dot(centers + j * d, centers + j * d, d);
    for (size_t f = 0; f < d; f++) {
        w->ct[f * w->kp + j] = centers[j * d + f];
    }
    memcpy(w->prev + j * d, centers + j * d, d * sizeof(double));
}

/* Norms and transposed copy of the centres, and (k up to IMBAL_KM_MAX_TABLE_K) their
 * distances to each other, rounded down, each centre's nearest other one, and for each centre
 * the others by distance from it. Only what involves a centre that moved since the last call
 * (bitwise) is recomputed; the lists are re-sorted from their last order, nearly sorted. */
static void km_prepare_centers(imbal_km_work *w, const double *centers)
{
    const size_t d = w->d;
    const size_t k = w->k;
    double max = 0.0;
    for (size_t j = 0; j < k; j++) {
        w->moved[j] = !w->prepared || memcmp(centers + j * d, w->prev + j * d,
                                             d * sizeof(double)) != 0;
        if (w->moved[j]) {
            km_center_moved(w, centers, j);
        }
        max = w->cn[j] > max ? w->cn[j] : max;
    }
    w->prepared = 1;
    w->cmax = sqrt(max) * w->rel_up;
    if (k > IMBAL_KM_MAX_TABLE_K) {
        for (size_t j = 0; j < k; j++) {
            w->near[j] = 0.0;
        }
        return;
    }
    for (size_t a = 0; a < k; a++) {
        w->dcc[a * k + a] = 0.0;
        for (size_t j = a + 1; j < k; j++) {
            if (w->moved[a] || w->moved[j]) {
                double dist =
                    sqrt(imbal_km_sqdist(centers + a * d, centers + j * d, d)) * w->rel_down;
                w->dcc[a * k + j] = dist;
                w->dcc[j * k + a] = dist;
            }
        }
    }
    for (size_t a = 0; a < k; a++) {
        const double *dr = w->dcc + a * k;
        size_t *ord = w->by_dist + a * k;
        double near = INFINITY;
        for (size_t j = 0; j < k; j++) {
            near = j != a && dr[j] < near ? dr[j] : near;
        }
        w->near[a] = near;
        for (size_t m = 1; m < k; m++) { /* insertion sort of the last order */
            size_t j = ord[m];
            size_t at = m;
            while (at > 0 && dr[ord[at - 1]] > dr[j]) {
                ord[at] = ord[at - 1];
                at--;
            }
            ord[at] = j;
        }
    }
}

/* Sets bounds of row i from its best and second-best scores. */
static void km_set_bounds(imbal_km_work *w, size_t i, double best, double second, double lb_other,
                          double err)
{
    double hi = best + w->xsq[i] + 2.0 * err;
    double lo = second + w->xsq[i] - 2.0 * err;
    double lb = w->k > 1 ? sqrt(lo > 0.0 ? lo : 0.0) * w->rel_down : INFINITY;
    w->ub[i] = sqrt(hi > 0.0 ? hi : 0.0) * w->rel_up;
    w->lb[i] = lb < lb_other ? lb : lb_other;
}

/* Lower bound on the distance of row i to a centre it scores s for: the score plus |x|^2
 * less the rounding of both, rounded down. */
static double km_low(const imbal_km_work *w, size_t i, double s, double err)
{
    double lo = s + w->xsq[i] - 2.0 * err;
    return sqrt(lo > 0.0 ? lo : 0.0) * w->rel_down;
}

/* Scores |c_j|^2 - 2 x.c_j of row xi for the n centres js[] into s[], two or four at a time
 * (the last group padded with repeats of its first centre): independent dot products, each
 * in feature order (the bits of imbal_km_dot). s has room for n rounded up to 4. */
static void km_scores(const imbal_km_work *w, const double *xi, const double *centers,
                      const size_t *js, size_t n, double *s)
{
    const size_t d = w->d;
    size_t m = 0;
    for (; m + 2 < n; m += 4) {
        size_t j0 = js[m];
        size_t j1 = js[m + 1];
        size_t j2 = js[m + 2];
        size_t j3 = m + 3 < n ? js[m + 3] : j0;
        const double *c0 = centers + j0 * d;
        const double *c1 = centers + j1 * d;
        const double *c2 = centers + j2 * d;
        const double *c3 = centers + j3 * d;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (size_t f = 0; f < d; f++) {
            s0 += xi[f] * c0[f];
            s1 += xi[f] * c1[f];
            s2 += xi[f] * c2[f];
            s3 += xi[f] * c3[f];
        }
        s[m] = w->cn[j0] + -2.0 * s0;
        s[m + 1] = w->cn[j1] + -2.0 * s1;
        s[m + 2] = w->cn[j2] + -2.0 * s2;
        s[m + 3] = w->cn[j3] + -2.0 * s3;
    }
    if (m < n) { /* one or two left */
        size_t j0 = js[m];
        size_t j1 = m + 1 < n ? js[m + 1] : j0;
        const double *c0 = centers + j0 * d;
        const double *c1 = centers + j1 * d;
        double s0 = 0.0, s1 = 0.0;
        for (size_t f = 0; f < d; f++) {
            s0 += xi[f] * c0[f];
            s1 += xi[f] * c1[f];
        }
        s[m] = w->cn[j0] + -2.0 * s0;
        s[m + 1] = w->cn[j1] + -2.0 * s1;
    }
}

/* The same result scoring only the centres near centre a (Elkan's test): walking them by
 * distance from a, once |c_j - c_a| - ub exceeds ub by the rounding margin, centre j and all
 * farther ones are farther from row i than centre a and cannot score lowest. Same bits as
 * the full scan: each computed score is the same sum, and the skipped ones are strictly
 * higher. */
static size_t km_assign_near(imbal_km_work *w, size_t i, const double *centers, size_t a, double ub,
                             double err)
{
    const size_t k = w->k;
    const size_t *ord = w->by_dist + a * k;
    const double *dr = w->dcc + a * k;
    double lb_skipped = INFINITY;
    size_t n = 0;
    for (; n < k; n++) {
        double lo = dr[ord[n]] - ub; /* row i is at least this far from centre ord[n] */
        if (lo > 0.0 && km_certain(w, ub, lo, err)) {
            lb_skipped = lo;
            break;
        }
    }
    km_scores(w, w->x + i * w->d, centers, ord, n, w->acc);
    size_t label = ord[0];
    double best = w->acc[0];
    double second = INFINITY;
    for (size_t m = 1; m < n; m++) {
        size_t j = ord[m];
        double s = w->acc[m];
        if (s < best || (s == best && j < label)) {
            second = best;
            best = s;
            label = j;
        } else if (s < second) {
            second = s;
        }
    }
    km_set_bounds(w, i, best, second, lb_skipped, err);
    return label;
}

/* Renews row i's group bounds and ub from the scores sc (by centre) of its label and of the
 * scored groups og[0 .. n_og): a scored group's bound is its nearest centre but the label;
 * the others keep the proven lo[g], with the old own centre a's distance added to its group's
 * when the row leaves a unscored (own_open 0). */
static void km_groups_renew(imbal_km_work *w, size_t i, const double *sc, size_t label,
                            size_t a, int own_open, size_t n_og, double err)
{
    const size_t G = w->n_groups;
    double *glb = w->glb + i * G;
    double *lo = w->glo;
    const size_t *og = w->gopen;
    for (size_t m = 0; m < n_og; m++) {
        size_t g = og[m];
        double s = INFINITY;
        for (size_t j = w->gstart[g]; j < w->gstart[g + 1]; j++) {
            s = j != label && sc[j] < s ? sc[j] : s;
        }
        lo[g] = s < INFINITY ? km_low(w, i, s, err) : KM_FAR;
    }
    if (!own_open && label != a) {
        size_t ga = w->cgroup[a];
        double la = km_low(w, i, sc[a], err);
        lo[ga] = la < lo[ga] ? la : lo[ga];
    }
    double lbmin = KM_FAR;
    const double *drift = w->gdrift;
#pragma omp simd reduction(min : lbmin)
    for (size_t g = 0; g < G; g++) {
        double l = lo[g] > 0.0 ? lo[g] : 0.0;
        glb[g] = l + drift[g];
        lbmin = l < lbmin ? l : lbmin;
    }
    double hi = sc[label] + w->xsq[i] + 2.0 * err;
    w->ub[i] = sqrt(hi > 0.0 ? hi : 0.0) * w->rel_up;
    w->lb[i] = lbmin;
}

/* Row i's label from its k scores sc (scikit-learn's argmin: the first lowest), every group
 * scored. */
static size_t km_groups_full(imbal_km_work *w, size_t i, const double *sc, double err)
{
    double best = sc[0];
#pragma omp simd reduction(min : best)
    for (size_t j = 1; j < w->k; j++) {
        best = sc[j] < best ? sc[j] : best;
    }
    size_t label = 0;
    while (sc[label] != best) { /* the first lowest: the minimum is one of the values */
        label++;
    }
    size_t *og = w->gopen;
    for (size_t g = 0; g < w->n_groups; g++) {
        og[g] = g;
    }
    km_groups_renew(w, i, sc, label, label, 1, w->n_groups, err);
    return label;
}

/* Row i's label from the scores of the centres it could have, for k above
 * IMBAL_KM_MAX_TABLE_K (Yinyang's group bounds): a group of centres is left out when its
 * bound (the stored one less the group's moves since) proves every centre in it farther than
 * the own centre a, with room for rounding (km_certain); the own centre is always scored.
 * The same label as the full scan, ties to the lower centre: every computed score is the same
 * sum, and a left-out score exceeds the own centre's. Returns KM_DEFER, changing nothing,
 * when more than half the centres would be scored: the caller scores those rows in blocks
 * (km_groups_full). The loops over all groups have no branches (they vectorise); only the
 * few scored groups are visited one by one. */
static size_t km_assign_groups(imbal_km_work *w, size_t i, const double *centers, size_t a,
                               double ub, double err)
{
    const size_t k = w->k;
    const size_t G = w->n_groups;
    const double *glb = w->glb + i * G;
    const double *drift = w->gdrift;
    double *lo = w->glo;
    const double gm = w->gmarg;
    const double slack = w->slack;
    const double err2 = 2.0 * err;
    size_t *og = w->gopen; /* the scored groups */
    size_t n_og = 0;
    double *open = w->gflag;
    int any = 0;
#pragma omp simd reduction(| : any)
    for (size_t g = 0; g < G; g++) { /* !km_certain(ub, lo[g]) || lo[g] <= 0 */
        double l = (glb[g] - drift[g]) - gm * (glb[g] + drift[g]);
        double gap = l - ub;
        int o = !((l > 0.0) & (gap > slack) & (gap * (l + ub) > err2));
        lo[g] = l;
        open[g] = o;
        any |= o;
    }
    const size_t ga = w->cgroup[a];
    size_t np = 0;
    int own_open = 0;
    if (any) {
        for (size_t g = 0; g < G; g++) {
            og[n_og] = g;
            n_og += open[g] != 0.0;
        }
        for (size_t m = 0; m < n_og; m++) {
            np += w->gstart[og[m] + 1] - w->gstart[og[m]];
        }
        if (2 * np > k) {
            return KM_DEFER;
        }
        own_open = open[ga] != 0.0;
    }
    size_t *pick = w->pick;
    np = 0;
    for (size_t m = 0; m < n_og; m++) {
        for (size_t j = w->gstart[og[m]]; j < w->gstart[og[m] + 1]; j++) {
            pick[np++] = j;
        }
    }
    if (!own_open) {
        pick[np++] = a;
    }
    double *sc = w->acc;      /* k + 3: the scores, by centre */
    double *tmp = w->scratch; /* k + 3: gathered scores */
    km_scores(w, w->x + i * w->d, centers, pick, np, tmp);
    double best = tmp[0];
    size_t label = pick[0];
    for (size_t m = 0; m < np; m++) {
        sc[pick[m]] = tmp[m];
        if (tmp[m] < best || (tmp[m] == best && pick[m] < label)) {
            best = tmp[m];
            label = pick[m];
        }
    }
    km_groups_renew(w, i, sc, label, a, own_open, n_og, err);
    return label;
}

/* The rows deferred by km_assign_groups (todo positions pos[0 .. cnt)), four at a time
 * through the blocked kernel; their labels into lab[] at the same positions. */
static void km_groups_blocks(imbal_km_work *w, const size_t *pos, size_t cnt, size_t *lab)
{
    const size_t k = w->k;
    const size_t kp = w->kp;
    double *buf = w->blk4; /* 4 * kp */
    for (size_t m = 0; m < cnt; m += 4) {
        size_t nr = cnt - m < 4 ? cnt - m : 4;
        const double *xr[4];
        for (size_t r = 0; r < 4; r++) {
            xr[r] = w->x + w->todo[pos[m + (r < nr ? r : 0)]] * w->d;
        }
        imbal_km_dots4(xr, w->ct, kp, w->d, buf);
        for (size_t r = 0; r < nr; r++) {
            size_t i = w->todo[pos[m + r]];
            double *sc = buf + r * kp;
            for (size_t j = 0; j < k; j++) {
                sc[j] = w->cn[j] + -2.0 * sc[j];
            }
            lab[pos[m + r]] = km_groups_full(w, i, sc, km_err(w, i));
        }
    }
}

void imbal_km_start_run(imbal_km_work *w, size_t *labels)
{
    for (size_t i = 0; i < w->n; i++) {
        /* the seed a row was nearest to is only a first guess, no bound yet: lb = 0 is
         * always true, ub = infinity makes the first pass measure it */
        labels[i] = w->owner[i];
        w->ub[i] = INFINITY;
        w->lb[i] = 0.0;
    }
    memset(w->mv_ub, 0, w->k * sizeof(double));
    memset(w->mv_lb, 0, w->k * sizeof(double));
    memset(w->glb, 0, w->n * w->n_groups * sizeof(double));
    memset(w->gdrift, 0, w->n_groups * sizeof(double));
    imbal_km_sums_reset(w);
}

void imbal_km_move_bounds(imbal_km_work *w)
{
    size_t top = 0;
    double max1 = 0.0;
    double max2 = 0.0;
    for (size_t j = 0; j < w->k; j++) {
        double s = w->shift[j] * w->rel_up;
        w->mv_ub[j] = s;
        if (s > max1) {
            max2 = max1;
            max1 = s;
            top = j;
        } else if (s > max2) {
            max2 = s;
        }
    }
    for (size_t j = 0; j < w->k; j++) {
        w->mv_lb[j] = j == top ? max2 : max1;
    }
    for (size_t g = 0; g < w->n_groups; g++) {
        double m = 0.0;
        for (size_t j = w->gstart[g]; j < w->gstart[g + 1]; j++) {
            m = w->mv_ub[j] > m ? w->mv_ub[j] : m;
        }
        w->gdrift[g] += m;
    }
}

/* Rows lo .. hi - 1: brings each bound up to date (the moves of the last update), and lists
 * in w->todo the rows whose label it does not settle; returns how many. */
static size_t km_phase_bounds(imbal_km_work *w, const size_t *labels, size_t lo, size_t hi)
{
    size_t cnt = 0;
    for (size_t i = lo; i < hi; i++) {
        size_t a = labels[i];
        double ub = w->ub[i] + w->mv_ub[a];
        double lb = w->lb[i] - w->mv_lb[a];
        w->ub[i] = ub;
        w->lb[i] = lb;
        double lbe = w->near[a] - ub;
        lbe = lb > lbe ? lb : lbe;
        w->todo[cnt] = i;
        cnt += !(lbe - ub > w->thr[i]); /* implies km_certain: see thr */
    }
    return cnt;
}

/* The listed rows: measures the distance to the own centre (a tight upper bound) and keeps
 * listed only those still in doubt; returns how many. */
static size_t km_phase_own(imbal_km_work *w, const double *centers, const size_t *labels,
                           size_t cnt)
{
    const size_t d = w->d;
    size_t kept = 0;
    for (size_t m = 0; m < cnt; m++) {
        size_t i = w->todo[m];
        size_t a = labels[i];
        double ub = sqrt(imbal_km_sqdist(w->x + i * d, centers + a * d, d)) * w->rel_up;
        w->ub[i] = ub;
        double lbe = w->near[a] - ub;
        lbe = w->lb[i] > lbe ? w->lb[i] : lbe;
        w->todo[kept] = i;
        kept += !km_certain(w, ub, lbe, km_err(w, i));
    }
    return kept;
}

/* The listed rows (of block b) get their label from their scores; a row that changes
 * cluster marks both clusters' sums of its block stale and is noted as moved. Returns how
 * many labels changed. */
static size_t km_phase_scores(imbal_km_work *w, const double *centers, size_t *labels, size_t cnt,
                              size_t b)
{
    unsigned char *dirty = w->dirty + b * w->k;
    size_t *moved = w->moved_rows + w->blk[b];
    size_t changed = 0;
    size_t *lab = w->newlab;
    if (w->k > IMBAL_KM_MAX_TABLE_K) {
        size_t n_def = 0;
        for (size_t m = 0; m < cnt; m++) {
            size_t i = w->todo[m];
            lab[m] = km_assign_groups(w, i, centers, labels[i], w->ub[i], km_err(w, i));
            if (lab[m] == KM_DEFER) {
                w->defer[n_def++] = m;
            }
        }
        km_groups_blocks(w, w->defer, n_def, lab);
    } else {
        for (size_t m = 0; m < cnt; m++) {
            size_t i = w->todo[m];
            lab[m] = km_assign_near(w, i, centers, labels[i], w->ub[i], km_err(w, i));
        }
    }
    for (size_t m = 0; m < cnt; m++) { /* in row order, as kmeans_sums.c needs */
        size_t i = w->todo[m];
        size_t a = labels[i];
        size_t label = lab[m];
        if (label != a) {
            dirty[a] = 1;
            dirty[label] = 1;
            labels[i] = label;
            moved[w->n_moved[b]++] = i;
            changed++;
        }
    }
    return changed;
}

size_t imbal_km_assign(imbal_km_work *w, const double *centers, size_t *labels, double *sums)
{
    size_t changed = 0;
    km_prepare_centers(w, centers);
    for (size_t b = 0; b < w->n_blocks; b++) {
        size_t cnt = km_phase_bounds(w, labels, w->blk[b], w->blk[b + 1]);
        cnt = km_phase_own(w, centers, labels, cnt);
        changed += km_phase_scores(w, centers, labels, cnt, b);
    }
    memset(w->mv_ub, 0, w->k * sizeof(double));
    memset(w->mv_lb, 0, w->k * sizeof(double));
    if (sums != NULL) {
        imbal_km_sums(w, labels, sums);
    }
    return changed;
}

double imbal_km_inertia(const imbal_km_work *w, const double *centers, const size_t *labels)
{
    const size_t d = w->d;
    size_t n_threads = w->n_threads < w->n ? w->n_threads : w->n;
    double inertia = 0.0;
    for (size_t t = 0; t < n_threads; t++) {
        size_t lo, hi;
        imbal_km_static_block(w->n, n_threads, t, &lo, &hi);
        double part = 0.0;
        for (size_t i = lo; i < hi; i++) {
            part += imbal_km_sqdist(w->x + i * d, centers + labels[i] * d, d);
        }
        inertia += part;
    }
    return inertia;
}
