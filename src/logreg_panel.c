/* The data layout of the exact logistic regression solver and its passes over the rows. Rows
 * are stored in blocks of IMBAL_LOGREG_LANES, column by column inside a block, with a column
 * of ones for the intercept, so every pass works on whole lanes that the compiler turns into
 * vector instructions. Each sum over rows is kept per lane (row i goes to lane i % LANES, in
 * row order) and the lanes are then added 0, 1, ..: a fixed order, whatever the machine. */
#include <math.h>
#include <string.h>

#include "logreg_impl.h"

#define LANES IMBAL_LOGREG_LANES

size_t imbal_logreg_panel_rows(size_t n)
{
    return (n + LANES - 1) / LANES * LANES;
}

void imbal_logreg_panel_fill(const imbal_logreg_problem *pb, imbal_logreg_panel *pn)
{
    size_t d = pb->d;
    size_t m = d + 1;
    size_t n_pad = imbal_logreg_panel_rows(pb->n);
    pn->n = pb->n;
    pn->m = m;
    pn->n_blocks = n_pad / LANES;
    for (size_t i = 0; i < n_pad; i++) {
        double *col = pn->x + (i / LANES) * m * LANES + i % LANES;
        for (size_t j = 0; j < d; j++) {
            col[j * LANES] = i < pb->n ? pb->x[i * d + j] : 0.0;
        }
        col[d * LANES] = 1.0;
        /* padding rows weigh 0: they add exact zeros to every sum */
        pn->s[i] = i < pb->n ? pb->s[i] : 0.0;
        pn->y[i] = i < pb->n ? (double)pb->y[i] : 0.0;
    }
}

/* z_i = sum_j theta_j x~_ij in column order, the intercept last: the bits of w.x_i + b */
void imbal_logreg_panel_decision(const imbal_logreg_panel *pn, const double *theta,
                                 double *restrict z)
{
    size_t m = pn->m;
    for (size_t b = 0; b < pn->n_blocks; b++) {
        const double *restrict xb = pn->x + b * m * LANES;
        double *restrict zb = z + b * LANES;
        for (size_t l = 0; l < LANES; l++) {
            zb[l] = 0.0;
        }
        for (size_t j = 0; j < m; j++) {
            double t = theta[j];
            for (size_t l = 0; l < LANES; l++) {
                zb[l] += t * xb[j * LANES + l];
            }
        }
    }
}

/* out_j = sum_i a_i x~_ij for the m columns; acc is m * LANES scratch */
void imbal_logreg_panel_xt(const imbal_logreg_panel *pn, const double *a, double *out,
                           double *restrict acc)
{
    size_t m = pn->m;
    memset(acc, 0, m * LANES * sizeof(*acc));
    for (size_t b = 0; b < pn->n_blocks; b++) {
        const double *restrict xb = pn->x + b * m * LANES;
        const double *restrict ab = a + b * LANES;
        for (size_t j = 0; j < m; j++) {
            for (size_t l = 0; l < LANES; l++) {
                acc[j * LANES + l] += ab[l] * xb[j * LANES + l];
            }
        }
    }
    for (size_t j = 0; j < m; j++) {
        double t = 0.0;
        for (size_t l = 0; l < LANES; l++) {
            t += acc[j * LANES + l];
        }
        out[j] = t;
    }
}

/* h = X~' diag(c) X~ (m x m, row-major, symmetric); acc is m * m * LANES scratch and v
 * m * LANES. Only the lower triangle is summed, then mirrored. */
void imbal_logreg_panel_gram(const imbal_logreg_panel *pn, const double *c, double *h,
                             double *restrict acc, double *restrict v)
{
    size_t m = pn->m;
    memset(acc, 0, m * m * LANES * sizeof(*acc));
    for (size_t b = 0; b < pn->n_blocks; b++) {
        const double *restrict xb = pn->x + b * m * LANES;
        const double *restrict cb = c + b * LANES;
        for (size_t j = 0; j < m; j++) {
            for (size_t l = 0; l < LANES; l++) {
                v[j * LANES + l] = cb[l] * xb[j * LANES + l];
            }
        }
        for (size_t j = 0; j < m; j++) {
            double *restrict row = acc + j * m * LANES;
            for (size_t k = 0; k <= j; k++) {
                for (size_t l = 0; l < LANES; l++) {
                    row[k * LANES + l] += v[j * LANES + l] * xb[k * LANES + l];
                }
            }
        }
    }
    for (size_t j = 0; j < m; j++) {
        for (size_t k = 0; k <= j; k++) {
            double t = 0.0;
            for (size_t l = 0; l < LANES; l++) {
                t += acc[(j * m + k) * LANES + l];
            }
            h[j * m + k] = t;
            h[k * m + j] = t;
        }
    }
}

/* out_j = sum_i c_i x~_ij^2, the diagonal of the Gram matrix; acc is m * LANES scratch */
void imbal_logreg_panel_gram_diag(const imbal_logreg_panel *pn, const double *c, double *out,
                                  double *restrict acc)
{
    size_t m = pn->m;
    memset(acc, 0, m * LANES * sizeof(*acc));
    for (size_t b = 0; b < pn->n_blocks; b++) {
        const double *restrict xb = pn->x + b * m * LANES;
        const double *restrict cb = c + b * LANES;
        for (size_t j = 0; j < m; j++) {
            for (size_t l = 0; l < LANES; l++) {
                acc[j * LANES + l] += cb[l] * xb[j * LANES + l] * xb[j * LANES + l];
            }
        }
    }
    for (size_t j = 0; j < m; j++) {
        double t = 0.0;
        for (size_t l = 0; l < LANES; l++) {
            t += acc[j * LANES + l];
        }
        out[j] = t;
    }
}

/* sum_i a_i in lane order */
double imbal_logreg_panel_sum(const imbal_logreg_panel *pn, const double *a)
{
    double acc[LANES] = {0.0};
    double t = 0.0;
    for (size_t b = 0; b < pn->n_blocks; b++) {
        for (size_t l = 0; l < LANES; l++) {
            acc[l] += a[b * LANES + l];
        }
    }
    for (size_t l = 0; l < LANES; l++) {
        t += acc[l];
    }
    return t;
}

/* Per row, from z: r_i = s_i (sigmoid(z_i) - y_i), the derivative of the weighted loss in z,
 * and c_i = s_i sigmoid(z_i) sigmoid(-z_i), its second derivative; one exp per row and no
 * cancellation: both sigmoids come from e = exp(-|z|). */
void imbal_logreg_panel_residual(const imbal_logreg_panel *pn, const double *z, double *r,
                                 double *c)
{
    size_t n_pad = pn->n_blocks * LANES;
    for (size_t i = 0; i < n_pad; i++) {
        double e = exp(-fabs(z[i]));
        double q = 1.0 / (1.0 + e); /* sigmoid(|z|) */
        double eq = e * q;          /* sigmoid(-|z|) */
        double p = z[i] >= 0.0 ? q : eq;
        double p_neg = z[i] >= 0.0 ? eq : q;
        r[i] = pn->s[i] * (pn->y[i] != 0.0 ? -p_neg : p);
        c[i] = pn->s[i] * (q * eq);
    }
}

/* sum_i s_i log(1 + exp(-t_i z_i)), t_i = 2 y_i - 1, in lane order; l is n_pad scratch */
double imbal_logreg_panel_loss(const imbal_logreg_panel *pn, const double *z, double *l)
{
    size_t n_pad = pn->n_blocks * LANES;
    for (size_t i = 0; i < n_pad; i++) {
        double tz = pn->y[i] != 0.0 ? -z[i] : z[i];
        /* log(1 + e^tz) */
        l[i] = pn->s[i] * (tz > 0.0 ? tz + log1p(exp(-tz)) : log1p(exp(tz)));
    }
    return imbal_logreg_panel_sum(pn, l);
}
