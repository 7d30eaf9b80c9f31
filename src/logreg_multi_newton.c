/* The exact solver of logreg_multi.h: Newton's method on the k (d + 1) parameters of the
 * multinomial objective with an Armijo backtracking line search. The Hessian is singular
 * along "every intercept + t" (softmax does not change), so the dense solve adds lambda u u'
 * along it (mnewton_hessian): the gradient never has a component there, so no step changes,
 * and the Cholesky factorisation of logreg_newton.c (imbal_logreg_newton_dir) applies.
 * Problems larger than dense_max parameters are solved by conjugate gradients on
 * Hessian-vector products, each O(n k d), preconditioned by the Cholesky factors of the k
 * per-class diagonal blocks (plain Jacobi when those are too big), the intercept directions
 * projected so that they keep summing to zero. Where the objective can no longer resolve a
 * step's decrease (its rounding error, near the optimum), the line search judges the step
 * by the gradient instead (mnewton_line_search), and 1 - p is formed without cancellation
 * (mnewton_complement) so that the relative rule stays reachable near a separating fit.
 * Once the stopping rule holds, a few polishing Newton steps are kept while they cut the
 * gradient fourfold. Sums over rows run in index order. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "alloc.h"
#include "logreg_impl.h"
#include "logreg_multi_impl.h"

#define MNEWTON_ARMIJO 1e-4
#define MNEWTON_MAX_HALVINGS 60
#define MNEWTON_POLISH 3
/* CG preconditions with the k diagonal blocks of the Hessian (per class: the features'
 * correlations and scales, the main source of ill-conditioning) when they fit in this many
 * doubles; beyond, with its diagonal. */
#define MNEWTON_BLOCKS_MAX ((size_t)1 << 22)

typedef struct {
    const imbal_mlogreg_problem *pb;
    size_t m;        /* parameters: k (d + 1) */
    double *prob;    /* n * k: probabilities at the current theta */
    double *g;       /* m: gradient */
    double *t;       /* m: size of each gradient's terms */
    double *dir;     /* m: Newton step */
    double *trial;   /* m */
    double *save;    /* 2 m: gradient and term sizes (polishing, line search) */
    double *h;       /* m * m (dense) */
    double *l;       /* m * m (dense) scratch */
    double *cg;      /* 4 m (CG): residual, direction, product, preconditioned residual */
    double *diag;    /* m (CG): Jacobi preconditioner */
    double *blocks;  /* k (d + 1)^2 (CG, when small enough): Cholesky factors of the
                      * diagonal blocks H_cc, the block-Jacobi preconditioner; NULL: Jacobi */
} mnewton_work;

/* z_ic for every class of row i into z (k values), summed in feature order. */
static void mnewton_decision(const imbal_mlogreg_problem *pb, const double *theta, size_t i,
                             double *z)
{
    const double *xi = pb->x + i * pb->d;
    size_t d = pb->d;
    for (size_t c = 0; c < pb->k; c++) {
        const double *w = theta + c * (d + 1);
        double r = 0.0;
        for (size_t j = 0; j < d; j++) {
            r += xi[j] * w[j];
        }
        z[c] = r + w[d];
    }
}

/* Softmax of z in place (maximum subtracted); returns log sum exp(z). */
static double mnewton_softmax(double *z, size_t k)
{
    double top = z[0];
    double sum = 0.0;
    for (size_t c = 1; c < k; c++) {
        top = z[c] > top ? z[c] : top;
    }
    for (size_t c = 0; c < k; c++) {
        z[c] = exp(z[c] - top);
        sum += z[c];
    }
    for (size_t c = 0; c < k; c++) {
        z[c] /= sum;
    }
    return top + log(sum);
}

/* 1 - p[c] for probabilities p summing to 1, to full relative precision: for p[c] > 1/2 the
 * sum of the others (1.0 - p[c] would cancel: near a separating fit, p[c] = 1 - 1e-12 leaves
 * 1 - p[c] with 4 correct digits, and the gradient term s (p_y - 1) x with an absolute
 * error of eps s |x| per row, a floor that can lie above the relative rule's 1e-8 of the
 * true terms). */
static double mnewton_complement(const double *p, size_t k, size_t c)
{
    double rest = 0.0;
    if (!(p[c] > 0.5)) {
        return 1.0 - p[c];
    }
    for (size_t e = 0; e < k; e++) {
        rest += e != c ? p[e] : 0.0;
    }
    return rest;
}

/* The objective at theta; prob (n * k) receives the probabilities; g and t (m each, or NULL)
 * the gradient and the size of its terms; size (or NULL) S, the size of the objective's terms,
 * 0.5 ||W||^2 + C sum_i s_i (|lse_i| + |b_y| + sum_j |w_yj x_ij|) with y = y_i: lse_i - z_iy
 * cancels, so f's rounding error scales with this rather than with f. */
static double mnewton_eval(const imbal_mlogreg_problem *pb, const double *theta, double *prob,
                           double *g, double *t, double *size)
{
    size_t d = pb->d;
    size_t k = pb->k;
    size_t m = k * (d + 1);
    double loss = 0.0;
    double ww = 0.0;
    double terms = 0.0;
    if (g != NULL) {
        memset(g, 0, m * sizeof(*g));
        memset(t, 0, m * sizeof(*t));
    }
    for (size_t i = 0; i < pb->n; i++) {
        double *p = prob + i * k;
        const double *xi = pb->x + i * d;
        double z_y;
        double lse;
        mnewton_decision(pb, theta, i, p);
        z_y = p[pb->y[i]];
        lse = mnewton_softmax(p, k);
        loss += pb->s[i] * (lse - z_y);
        if (size != NULL) {
            const double *wy = theta + (size_t)pb->y[i] * (d + 1);
            double a = fabs(lse) + fabs(wy[d]);
            for (size_t j = 0; j < d; j++) {
                a += fabs(wy[j] * xi[j]);
            }
            terms += pb->s[i] * a;
        }
        for (size_t c = 0; g != NULL && c < k; c++) {
            double r = pb->s[i] * (pb->y[i] == (int)c ? -mnewton_complement(p, k, c) : p[c]);
            double ar = fabs(r);
            double *gc = g + c * (d + 1);
            double *tc = t + c * (d + 1);
            for (size_t j = 0; j < d; j++) {
                gc[j] += r * xi[j];
                tc[j] += ar * fabs(xi[j]);
            }
            gc[d] += r;
            tc[d] += ar;
        }
    }
    for (size_t c = 0; c < k; c++) {
        for (size_t j = 0; j < d; j++) {
            double w = theta[c * (d + 1) + j];
            ww += w * w;
        }
    }
    for (size_t q = 0; g != NULL && q < m; q++) {
        int coef = q % (d + 1) != d;
        g[q] = pb->C * g[q] + (coef ? theta[q] : 0.0);
        t[q] = pb->C * t[q] + (coef ? fabs(theta[q]) : 0.0);
    }
    if (size != NULL) {
        *size = pb->C * terms + 0.5 * ww;
    }
    return pb->C * loss + 0.5 * ww;
}

/* The dense Hessian at the probabilities prob, plus lambda u u' on the intercepts
 * (u = 1 / sqrt(k) each, lambda the mean intercept curvature): blocks
 * H[(c,j),(e,l)] = [c = e, j = l < d] + C sum_i s_i p_ic ([c = e] - p_ie) x~_ij x~_il. */
static void mnewton_hessian(const imbal_mlogreg_problem *pb, const double *prob, double *h)
{
    size_t d = pb->d;
    size_t k = pb->k;
    size_t d1 = d + 1;
    size_t m = k * d1;
    double lambda = 0.0;
    memset(h, 0, m * m * sizeof(*h));
    for (size_t i = 0; i < pb->n; i++) {
        const double *p = prob + i * k;
        const double *xi = pb->x + i * d;
        double a = pb->C * pb->s[i];
        for (size_t c = 0; c < k; c++) {
            for (size_t e = c; e < k; e++) {
                double w = a * p[c] * (c == e ? mnewton_complement(p, k, c) : -p[e]);
                for (size_t j = 0; j < d1; j++) {
                    double xj = j < d ? xi[j] : 1.0;
                    double *row = h + (c * d1 + j) * m + e * d1;
                    double wx = w * xj;
                    for (size_t l = 0; l < d; l++) {
                        row[l] += wx * xi[l];
                    }
                    row[d] += wx;
                }
            }
        }
    }
    /* the lower triangle from the upper (the blocks e < c were not formed, and inside a
     * block the two triangles round differently), then the penalty */
    for (size_t r = 0; r < m; r++) {
        for (size_t q = 0; q < r; q++) {
            h[r * m + q] = h[q * m + r];
        }
    }
    for (size_t c = 0; c < k; c++) {
        for (size_t j = 0; j < d; j++) {
            h[(c * d1 + j) * m + c * d1 + j] += 1.0;
        }
        lambda += h[(c * d1 + d) * m + c * d1 + d];
    }
    lambda /= (double)k;
    for (size_t c = 0; c < k; c++) {
        for (size_t e = 0; e < k; e++) {
            h[(c * d1 + d) * m + e * d1 + d] += lambda / (double)k;
        }
    }
}

/* out = H v (without the lambda u u' term) at the probabilities prob. */
static void mnewton_hv(const imbal_mlogreg_problem *pb, const double *prob, const double *v,
                       double *out, double *u)
{
    size_t d = pb->d;
    size_t k = pb->k;
    size_t d1 = d + 1;
    memset(out, 0, k * d1 * sizeof(*out));
    for (size_t i = 0; i < pb->n; i++) {
        const double *p = prob + i * k;
        const double *xi = pb->x + i * d;
        double pu = 0.0;
        mnewton_decision(pb, v, i, u); /* u_c = v_c . x~_i */
        for (size_t c = 0; c < k; c++) {
            pu += p[c] * u[c];
        }
        for (size_t c = 0; c < k; c++) {
            double a = pb->C * pb->s[i] * p[c] * (u[c] - pu);
            double *oc = out + c * d1;
            for (size_t j = 0; j < d; j++) {
                oc[j] += a * xi[j];
            }
            oc[d] += a;
        }
    }
    for (size_t c = 0; c < k; c++) {
        for (size_t j = 0; j < d; j++) {
            out[c * d1 + j] += v[c * d1 + j];
        }
    }
}

/* Removes the mean of the intercept components of v: v stays off the flat direction. */
static void mnewton_project(double *v, size_t d, size_t k)
{
    double mean = 0.0;
    for (size_t c = 0; c < k; c++) {
        mean += v[c * (d + 1) + d];
    }
    mean /= (double)k;
    for (size_t c = 0; c < k; c++) {
        v[c * (d + 1) + d] -= mean;
    }
}

/* The diagonal of H (Jacobi preconditioner). */
static void mnewton_diag(const imbal_mlogreg_problem *pb, const double *prob, double *diag)
{
    size_t d = pb->d;
    size_t k = pb->k;
    size_t d1 = d + 1;
    memset(diag, 0, k * d1 * sizeof(*diag));
    for (size_t i = 0; i < pb->n; i++) {
        const double *p = prob + i * k;
        const double *xi = pb->x + i * d;
        for (size_t c = 0; c < k; c++) {
            double a = pb->C * pb->s[i] * p[c] * mnewton_complement(p, k, c);
            for (size_t j = 0; j < d; j++) {
                diag[c * d1 + j] += a * xi[j] * xi[j];
            }
            diag[c * d1 + d] += a;
        }
    }
    for (size_t q = 0; q < k * d1; q++) {
        diag[q] += q % d1 != d ? 1.0 : 0.0;
        diag[q] = diag[q] > 0.0 ? diag[q] : 1.0;
    }
}

/* Factors the diagonal blocks H_cc = [penalty] + C sum_i s_i p_ic (1 - p_ic) x~_i x~_i' into
 * w->blocks; a block that is not numerically positive definite falls back to its diagonal
 * (the factor's off-diagonal part zeroed). */
static void mnewton_blocks(const imbal_mlogreg_problem *pb, mnewton_work *w)
{
    size_t d = pb->d;
    size_t d1 = d + 1;
    size_t k = pb->k;
    memset(w->blocks, 0, k * d1 * d1 * sizeof(*w->blocks));
    for (size_t i = 0; i < pb->n; i++) {
        const double *p = w->prob + i * k;
        const double *xi = pb->x + i * d;
        for (size_t c = 0; c < k; c++) {
            double a = pb->C * pb->s[i] * p[c] * mnewton_complement(p, k, c);
            double *b = w->blocks + c * d1 * d1;
            for (size_t j = 0; j < d1; j++) {
                double axj = a * (j < d ? xi[j] : 1.0);
                for (size_t l = 0; l <= j; l++) {
                    b[j * d1 + l] += axj * (l < d ? xi[l] : 1.0);
                }
            }
        }
    }
    for (size_t c = 0; c < k; c++) {
        double *b = w->blocks + c * d1 * d1;
        gsl_matrix_view bv = gsl_matrix_view_array(b, d1, d1);
        for (size_t j = 0; j < d; j++) {
            b[j * d1 + j] += 1.0;
        }
        for (size_t j = 0; j < d1; j++) {
            b[j * d1 + j] = b[j * d1 + j] > 0.0 ? b[j * d1 + j] : 1.0;
            for (size_t l = j + 1; l < d1; l++) {
                b[j * d1 + l] = b[l * d1 + j];
            }
        }
        if (gsl_linalg_cholesky_decomp1(&bv.matrix) != GSL_SUCCESS) {
            for (size_t j = 0; j < d1; j++) {
                for (size_t l = 0; l < d1; l++) {
                    b[j * d1 + l] = j == l ? sqrt(w->diag[c * d1 + j]) : 0.0;
                }
            }
        }
    }
}

/* z = M^-1 r (block or plain Jacobi), then off the flat direction. */
static void mnewton_precond(const imbal_mlogreg_problem *pb, const mnewton_work *w,
                            const double *r, double *z)
{
    size_t d1 = pb->d + 1;
    if (w->blocks != NULL) {
        memcpy(z, r, w->m * sizeof(*z));
        for (size_t c = 0; c < pb->k; c++) {
            gsl_matrix_const_view bv = gsl_matrix_const_view_array(w->blocks + c * d1 * d1, d1, d1);
            gsl_vector_view zv = gsl_vector_view_array(z + c * d1, d1);
            gsl_linalg_cholesky_svx(&bv.matrix, &zv.vector);
        }
    } else {
        for (size_t q = 0; q < w->m; q++) {
            z[q] = r[q] / w->diag[q];
        }
    }
    mnewton_project(z, pb->d, pb->k);
}

/* dir ~ -H^-1 g by preconditioned CG, to a residual below eta ||g|| (at most 2 m steps). */
static void mnewton_cg(const imbal_mlogreg_problem *pb, mnewton_work *w, double eta, double *u)
{
    size_t m = w->m;
    double *r = w->cg;
    double *p = w->cg + m;
    double *hp = w->cg + 2 * m;
    double *zr = w->cg + 3 * m;
    double rz = 0.0;
    double gg = 0.0;
    int moved = 0;
    mnewton_diag(pb, w->prob, w->diag);
    if (w->blocks != NULL) {
        mnewton_blocks(pb, w);
    }
    for (size_t q = 0; q < m; q++) {
        w->dir[q] = 0.0;
        r[q] = -w->g[q];
        gg += r[q] * r[q];
    }
    mnewton_project(r, pb->d, pb->k);
    mnewton_precond(pb, w, r, zr);
    for (size_t q = 0; q < m; q++) {
        p[q] = zr[q];
        rz += r[q] * zr[q];
    }
    for (size_t it = 0; it < 2 * m && rz > 0.0; it++) {
        double php = 0.0;
        double rr = 0.0;
        double rz_new = 0.0;
        double alpha;
        mnewton_hv(pb, w->prob, p, hp, u);
        for (size_t q = 0; q < m; q++) {
            php += p[q] * hp[q];
        }
        if (!(php > 0.0)) {
            break;
        }
        alpha = rz / php;
        moved = 1;
        for (size_t q = 0; q < m; q++) {
            w->dir[q] += alpha * p[q];
            r[q] -= alpha * hp[q];
            rr += r[q] * r[q];
        }
        mnewton_project(r, pb->d, pb->k);
        if (rr <= eta * eta * gg) {
            break;
        }
        mnewton_precond(pb, w, r, zr);
        for (size_t q = 0; q < m; q++) {
            rz_new += r[q] * zr[q];
        }
        for (size_t q = 0; q < m; q++) {
            p[q] = zr[q] + (rz_new / rz) * p[q];
        }
        rz = rz_new;
    }
    if (!moved) {
        /* not even one CG step (a Hessian that is not positive along the gradient): a
         * preconditioned steepest-descent step instead */
        for (size_t q = 0; q < m; q++) {
            w->dir[q] = -w->g[q] / w->diag[q];
        }
    }
}

imbal_status imbal_mlogreg_hessian(const imbal_mlogreg_problem *pb, const double *theta,
                                   double *h, double *g, imbal_error *err)
{
    size_t m = pb->k * (pb->d + 1);
    double *prob = imbal_malloc(pb->n, pb->k * sizeof(*prob));
    double *t = imbal_malloc(m, sizeof(*t));
    imbal_status st = IMBAL_OK;
    if (prob == NULL || t == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for a Hessian");
    } else {
        mnewton_eval(pb, theta, prob, g, t, NULL);
        mnewton_hessian(pb, prob, h);
    }
    free(prob);
    free(t);
    return st;
}

/* max |g_j| and max |g_j| / (t_j + DBL_MIN) */
static void mnewton_measure(const mnewton_work *w, double *abs_max, double *rel_max)
{
    *abs_max = 0.0;
    *rel_max = 0.0;
    for (size_t q = 0; q < w->m; q++) {
        double a = fabs(w->g[q]);
        double rel = a / (w->t[q] + DBL_MIN);
        *abs_max = a > *abs_max ? a : *abs_max;
        *rel_max = rel > *rel_max ? rel : *rel_max;
    }
}

static void mnewton_work_free(mnewton_work *w)
{
    free(w->prob);
    free(w->g);
    free(w->t);
    free(w->dir);
    free(w->trial);
    free(w->save);
    free(w->h);
    free(w->l);
    free(w->cg);
    free(w->diag);
    free(w->blocks);
}

static imbal_status mnewton_work_alloc(const imbal_mlogreg_problem *pb, int dense,
                                       mnewton_work *w, imbal_error *err)
{
    int blocks = 0;
    memset(w, 0, sizeof(*w));
    w->pb = pb;
    w->m = pb->k * (pb->d + 1); /* k columns of d + 1 parameters: x holds n * d cells */
    w->prob = imbal_malloc(pb->n * pb->k + pb->k, sizeof(*w->prob));
    w->g = imbal_malloc(w->m, sizeof(*w->g));
    w->t = imbal_malloc(w->m, sizeof(*w->t));
    w->dir = imbal_malloc(w->m, sizeof(*w->dir));
    w->trial = imbal_malloc(w->m, sizeof(*w->trial));
    w->save = imbal_malloc(2 * w->m, sizeof(*w->save));
    if (dense) {
        w->h = imbal_malloc(w->m * w->m, sizeof(*w->h));
        w->l = imbal_malloc(w->m * w->m, sizeof(*w->l));
    } else {
        w->cg = imbal_malloc(4 * w->m, sizeof(*w->cg));
        w->diag = imbal_malloc(w->m, sizeof(*w->diag));
        blocks = pb->d < 4096 && (pb->d + 1) * (pb->d + 1) <= MNEWTON_BLOCKS_MAX / pb->k;
        if (blocks) {
            w->blocks = imbal_malloc(pb->k * (pb->d + 1), (pb->d + 1) * sizeof(*w->blocks));
        }
    }
    if (w->prob == NULL || w->g == NULL || w->t == NULL || w->dir == NULL ||
        w->trial == NULL || w->save == NULL || (dense && (w->h == NULL || w->l == NULL)) ||
        (!dense && (w->cg == NULL || w->diag == NULL || (blocks && w->blocks == NULL)))) {
        mnewton_work_free(w);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for a %zu-class Newton solve",
                          pb->k);
    }
    return IMBAL_OK;
}

/* Armijo backtracking along dir from theta (objective f, slope g'dir < 0, max |g| abs_max):
 * theta moves to the first step 2^-h that decreases f enough. Near the optimum the decrease
 * a Newton step promises (about g'H^-1 g / 2) falls below the rounding error of f itself:
 * each term lse_i - z_iy cancels, so the error scales with the size of the terms (S, see
 * mnewton_eval), not with f; 16 eps S covers the terms, sqrt(n) eps S the sum over rows. A
 * trial whose f is within (16 + sqrt(n)) eps S of the current one is therefore judged by its
 * gradient, accepted when it shrinks max |g| (scikit-learn's NewtonSolver does the same with
 * 16 eps |f| and the sum of |g|). Without that, Armijo rejects on rounding noise the step
 * that would finish the solve and backtracks to steps that do not change theta, and the
 * solver spun on one point until max_iter (small iris subsets at C = 1: max |g| 2e-9 against
 * a rule of 1.8e-9, one full step from 5e-15). Returns 0 when no step is accepted, or when
 * the step would not change a single parameter (no progress is possible: STALLED). */
static int mnewton_line_search(const imbal_mlogreg_problem *pb, mnewton_work *w, double *theta,
                               double f, double abs_max, double *f_new)
{
    double slope = 0.0;
    double step = 1.0;
    double *scratch = w->prob; /* probabilities are recomputed at the accepted point */
    for (size_t q = 0; q < w->m; q++) {
        slope += w->g[q] * w->dir[q];
    }
    if (!(slope < 0.0)) {
        return 0;
    }
    for (int h = 0; h <= MNEWTON_MAX_HALVINGS; h++) {
        double ft;
        double size;
        int moves = 0;
        for (size_t q = 0; q < w->m; q++) {
            w->trial[q] = theta[q] + step * w->dir[q];
            moves = moves || w->trial[q] != theta[q];
        }
        if (!moves) {
            return 0;
        }
        ft = mnewton_eval(pb, w->trial, scratch, NULL, NULL, &size);
        if (ft <= f + MNEWTON_ARMIJO * step * slope) {
            memcpy(theta, w->trial, w->m * sizeof(*theta));
            *f_new = ft;
            return 1;
        }
        if (fabs(ft - f) <= (16.0 + sqrt((double)pb->n)) * DBL_EPSILON * size) {
            /* f cannot tell: the gradient at the trial (into the polishing scratch) */
            double a_new = 0.0;
            mnewton_eval(pb, w->trial, scratch, w->save, w->save + w->m, NULL);
            for (size_t q = 0; q < w->m; q++) {
                double a = fabs(w->save[q]);
                a_new = a > a_new ? a : a_new;
            }
            if (a_new < abs_max) {
                memcpy(theta, w->trial, w->m * sizeof(*theta));
                *f_new = ft;
                return 1;
            }
        }
        step *= 0.5;
    }
    return 0;
}

/* The Newton direction at the current point into w->dir, off the flat direction: dense
 * Cholesky, or CG to a residual below min(0.1, progress) ||g|| (progress = max |g| relative
 * to the start: a forcing term that shrinks with the gradient, so steps become exact near the
 * optimum). */
static void mnewton_direction(const imbal_mlogreg_problem *pb, mnewton_work *w, int dense,
                              double progress)
{
    if (dense) {
        mnewton_hessian(pb, w->prob, w->h);
        imbal_logreg_newton_dir(w->h, w->m, w->g, w->dir, w->l);
    } else {
        double eta = progress < 0.1 ? progress : 0.1;
        mnewton_cg(pb, w, eta > 1e-14 ? eta : 1e-14, w->prob + pb->n * pb->k);
    }
    mnewton_project(w->dir, pb->d, pb->k);
}

/* Once the rule holds, up to MNEWTON_POLISH full Newton steps, each kept only when it
 * shrinks max |g| at least fourfold (and the rule still holds): the stopping rule can hold
 * a step before Newton's quadratic convergence reaches the rounding floor, where
 * coefficients near zero are still off by more than 1e-8 of themselves. Returns the steps
 * kept; theta, the gradient and the measures are those of the last point kept. */
static size_t mnewton_polish(const imbal_mlogreg_problem *pb, mnewton_work *w, int dense,
                             double *theta, double progress, double rel_tol, double *abs_max,
                             double *rel_max)
{
    size_t kept = 0;
    for (int step = 0; step < MNEWTON_POLISH && *abs_max > 0.0; step++) {
        double a_new;
        double r_new;
        mnewton_direction(pb, w, dense, progress);
        memcpy(w->trial, theta, w->m * sizeof(*theta));
        memcpy(w->save, w->g, w->m * sizeof(*w->g));
        memcpy(w->save + w->m, w->t, w->m * sizeof(*w->t));
        for (size_t q = 0; q < w->m; q++) {
            theta[q] += w->dir[q];
        }
        mnewton_eval(pb, theta, w->prob, w->g, w->t, NULL);
        mnewton_measure(w, &a_new, &r_new);
        if (!(a_new <= 0.25 * *abs_max) || !(r_new <= rel_tol)) {
            memcpy(theta, w->trial, w->m * sizeof(*theta));
            memcpy(w->g, w->save, w->m * sizeof(*w->g));
            memcpy(w->t, w->save + w->m, w->m * sizeof(*w->t));
            break;
        }
        *abs_max = a_new;
        *rel_max = r_new;
        progress *= 0.25;
        kept++;
    }
    return kept;
}

imbal_status imbal_mlogreg_newton(const imbal_mlogreg_problem *pb, size_t dense_max, double tol,
                                  double rel_tol, size_t max_iter, double *theta,
                                  size_t *n_iter, double *grad_max, double *grad_rel,
                                  imbal_logreg_fit_status *fit, imbal_error *err)
{
    mnewton_work w;
    int dense = pb->k * (pb->d + 1) <= dense_max;
    imbal_status st = mnewton_work_alloc(pb, dense, &w, err);
    double f;
    double abs_max = INFINITY;
    double rel_max = INFINITY;
    double g0;
    size_t it = 0;
    *n_iter = 0;
    *grad_max = INFINITY;
    *grad_rel = INFINITY;
    *fit = IMBAL_FIT_CONVERGED;
    if (st != IMBAL_OK) {
        return st;
    }
    imbal_logreg_gsl_init();
    f = mnewton_eval(pb, theta, w.prob, w.g, w.t, NULL);
    mnewton_measure(&w, &abs_max, &rel_max);
    g0 = abs_max > 0.0 ? abs_max : 1.0;
    while (!(abs_max <= tol && rel_max <= rel_tol)) {
        if (it == max_iter) {
            *fit = IMBAL_FIT_MAX_ITER;
            st = imbal_fail(err, IMBAL_ENOCONV,
                            "multinomial Newton: %zu iterations without convergence "
                            "(max |grad| %g, tol %g; largest relative %g, rule %g)",
                            it, abs_max, tol, rel_max, rel_tol);
            goto cleanup;
        }
        mnewton_direction(pb, &w, dense, abs_max / g0);
        if (!mnewton_line_search(pb, &w, theta, f, abs_max, &f)) {
            *fit = IMBAL_FIT_STALLED;
            st = imbal_fail(err, IMBAL_ENOCONV,
                            "multinomial Newton: the line search cannot decrease the objective "
                            "after %zu iterations (max |grad| %g, tol %g; largest relative %g, "
                            "rule %g)",
                            it, abs_max, tol, rel_max, rel_tol);
            goto cleanup;
        }
        it++;
        f = mnewton_eval(pb, theta, w.prob, w.g, w.t, NULL);
        mnewton_measure(&w, &abs_max, &rel_max);
    }
    it += mnewton_polish(pb, &w, dense, theta, abs_max / g0, rel_tol, &abs_max, &rel_max);
cleanup:
    *n_iter = it;
    *grad_max = abs_max;
    *grad_rel = rel_max;
    mnewton_work_free(&w);
    return st;
}
