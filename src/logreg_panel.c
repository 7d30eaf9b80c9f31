/* The data layout of the exact logistic regression solver and its passes over the rows. Rows
 * are stored in blocks of IMBAL_LOGREG_LANES, column by column inside a block, with a column
 * of ones for the intercept, so every pass works on whole lanes that the compiler turns into
 * vector instructions. Each sum over rows is kept per lane (row i goes to lane i % LANES, in
 * row order) and the lanes are then added 0, 1, ..: a fixed order, whatever the machine. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "imbal/simd.h"
#include "logreg_impl.h"

#define LANES IMBAL_LOGREG_LANES

/* The passes are compiled twice, for AVX2 and for the baseline, and each call picks one
 * (imbal_simd_avx2: AVX2 on CPUs that have it unless simd.h asks for the generic code). Both
 * run the same IEEE operations in the same order (AVX2 brings no FMA, and -ffp-contract=off
 * forbids contraction anyway), so their results are bitwise identical: only the vector width
 * differs. Each pass is panel_<name>_body, always inlined into panel_<name>_avx2 (target
 * avx2) and panel_<name>_generic; the pass itself picks one per call. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(IMBAL_NO_AVX2)
#define PANEL_AVX2 1
#else
#define PANEL_AVX2 0
#endif
#define PANEL_BODY static inline __attribute__((always_inline))

/* e^-|z|, within 2 ulp, as plain arithmetic the compiler can vectorise (a call to exp() cannot
 * be). |z| = k ln 2 - r with |r| <= ln(2) / 2, e^r by its Taylor series to r^13 (the next term
 * is below 5e-18 e^r), times 2^-k built in the exponent bits. |z| is capped at 708 first (an
 * integer comparison on its bits, which unlike a floating-point one needs no branch), so
 * beyond it the result is e^-708 ~ 3e-308 instead of a subnormal: an absolute error < 1e-307. */
static inline double panel_exp_neg_abs(double z)
{
    const int64_t cap = 0x4086200000000000; /* the bits of 708.0 */
    const double shifter = 0x1.8p52;        /* adding it rounds to an integer in the low bits */
    const double log2e = 0x1.71547652b82fep0;
    const double ln2_hi = 0x1.62e42fee00000p-1; /* 32 bits: k * ln2_hi is exact */
    const double ln2_lo = 0x1.a39ef35793c76p-33;
    int64_t abs_bits;
    uint64_t bits;
    double x;
    double kd;
    double r;
    double r2;
    double r4;
    double p;
    double scale;
    memcpy(&abs_bits, &z, sizeof(abs_bits));
    abs_bits &= INT64_MAX;
    abs_bits = abs_bits < cap ? abs_bits : cap;
    memcpy(&x, &abs_bits, sizeof(x));
    x = -x;
    kd = x * log2e + shifter;
    memcpy(&bits, &kd, sizeof(bits));
    kd -= shifter;
    r = x - kd * ln2_hi;
    r = r - kd * ln2_lo;
    /* Estrin's scheme: short dependency chains, so vector lanes and rows overlap */
    r2 = r * r;
    r4 = r2 * r2;
    p = ((1.0 + r) + r2 * (1.0 / 2.0 + r * (1.0 / 6.0))) +
        r4 * ((1.0 / 24.0 + r * (1.0 / 120.0)) + r2 * (1.0 / 720.0 + r * (1.0 / 5040.0)));
    p = p + (r4 * r4) * (((1.0 / 40320.0 + r * (1.0 / 362880.0)) +
                          r2 * (1.0 / 3628800.0 + r * (1.0 / 39916800.0))) +
                         r4 * (1.0 / 479001600.0 + r * (1.0 / 6227020800.0)));
    /* the low bits of bits hold k (two's complement); k + 1023 shifted into the exponent field
     * is 2^k, the shifter's own bits leaving at the top */
    bits = (bits + 1023) << 52;
    memcpy(&scale, &bits, sizeof(scale));
    return p * scale;
}

double imbal_logreg_exp_neg_abs(double z) { return panel_exp_neg_abs(z); }

size_t imbal_logreg_panel_rows(size_t n) { return (n + LANES - 1) / LANES * LANES; }

void imbal_logreg_panel_fill(const imbal_logreg_problem *pb, const size_t *row, size_t n_rows,
                             imbal_logreg_panel *pn)
{
    imbal_logreg_panel_fill_scaled(pb, row, n_rows, NULL, pn);
}

void imbal_logreg_panel_fill_scaled(const imbal_logreg_problem *pb, const size_t *row,
                                    size_t n_rows, const double *col_scale,
                                    imbal_logreg_panel *pn)
{
    size_t d = pb->d;
    size_t m = d + 1;
    size_t n_pad = imbal_logreg_panel_rows(n_rows);
    size_t next = 0;
    pn->n = n_rows;
    pn->m = m;
    pn->n_blocks = n_pad / LANES;
    /* padding rows weigh 0: they add exact zeros to every sum */
    for (size_t i = n_rows; i < n_pad; i++) {
        double *cell = pn->x + (i / LANES) * m * LANES + i % LANES;
        for (size_t j = 0; j < d; j++) {
            cell[j * LANES] = 0.0;
        }
        pn->s[i] = 0.0;
        pn->y[i] = 0.0;
    }
    for (size_t b = 0; b < pn->n_blocks; b++) {
        for (size_t l = 0; l < LANES; l++) {
            pn->x[(b * m + d) * LANES + l] = 1.0;
        }
    }
    for (size_t i = 0; i < pb->n; i++) {
        size_t r = row[i];
        if (r == next) { /* the first time this row appears */
            double *cell = pn->x + (r / LANES) * m * LANES + r % LANES;
            for (size_t j = 0; j < d; j++) {
                /* a power of two: exact, so the solver sees the same digits */
                cell[j * LANES] = pb->x[i * d + j] * (col_scale != NULL ? col_scale[j] : 1.0);
            }
            pn->s[r] = pb->s[i];
            pn->y[r] = (double)pb->y[i];
            next++;
        } else {
            pn->s[r] += pb->s[i];
        }
    }
}

/* theta . x~ for the rows of one block, in column order: the bits of w.x_i + b */
static inline void panel_block_decision(const double *restrict xb, size_t m,
                                        const double *restrict theta, double *restrict zb)
{
    double t[LANES] = {0.0}; /* in registers: no store forwarding between passes over j */
    for (size_t j = 0; j < m; j++) {
        for (size_t l = 0; l < LANES; l++) {
            t[l] += theta[j] * xb[j * LANES + l];
        }
    }
    for (size_t l = 0; l < LANES; l++) {
        zb[l] = t[l];
    }
}

/* out_j = the lanes of acc[j * LANES ..] added in order */
static void panel_add_lanes(const double *acc, size_t m, double *out)
{
    for (size_t j = 0; j < m; j++) {
        double t = 0.0;
        for (size_t l = 0; l < LANES; l++) {
            t += acc[j * LANES + l];
        }
        out[j] = t;
    }
}

PANEL_BODY void panel_decision_body(const imbal_logreg_panel *pn, const double *theta,
                                    double *restrict z)
{
    for (size_t b = 0; b < pn->n_blocks; b++) {
        panel_block_decision(pn->x + b * pn->m * LANES, pn->m, theta, z + b * LANES);
    }
}

#if PANEL_AVX2
__attribute__((target("avx2"))) static void
panel_decision_avx2(const imbal_logreg_panel *pn, const double *theta, double *restrict z)
{
    panel_decision_body(pn, theta, z);
}
#endif

static void panel_decision_generic(const imbal_logreg_panel *pn, const double *theta,
                                   double *restrict z)
{
    panel_decision_body(pn, theta, z);
}

void imbal_logreg_panel_decision(const imbal_logreg_panel *pn, const double *theta,
                                 double *restrict z)
{
#if PANEL_AVX2
    if (imbal_simd_avx2()) {
        panel_decision_avx2(pn, theta, z);
        return;
    }
#endif
    panel_decision_generic(pn, theta, z);
}

PANEL_BODY void panel_eval_body(const imbal_logreg_panel *pn, const double *theta,
                                double *restrict z, double *restrict r, double *restrict c,
                                double *out, double *restrict acc)
{
    size_t m = pn->m;
    memset(acc, 0, m * LANES * sizeof(*acc));
    for (size_t b = 0; b < pn->n_blocks; b++) {
        panel_block_decision(pn->x + b * m * LANES, m, theta, z + b * LANES);
    }
    for (size_t b = 0; b < pn->n_blocks; b++) {
        const double *restrict zb = z + b * LANES;
        const double *restrict sb = pn->s + b * LANES;
        const double *restrict yb = pn->y + b * LANES;
        double *restrict cb = c + b * LANES;
        double *restrict rb = r + b * LANES;
        for (size_t l = 0; l < LANES; l++) {
            /* both sigmoids from e = exp(-|z|), without cancellation; h = 1 for z >= +0
             * and 0 for z <= -0 selects between them exactly, without a branch */
            double e = panel_exp_neg_abs(zb[l]);
            double q = 1.0 / (1.0 + e); /* sigmoid(|z|) */
            double eq = e * q;          /* sigmoid(-|z|) */
            double h = 0.5 + copysign(0.5, zb[l]);
            double p = h * q + (1.0 - h) * eq;     /* sigmoid(z) */
            double p_neg = h * eq + (1.0 - h) * q; /* sigmoid(-z) = 1 - sigmoid(z) */
            rb[l] = sb[l] * (p * (1.0 - yb[l]) - p_neg * yb[l]);
            cb[l] = sb[l] * (q * eq);
        }
    }
    for (size_t b = 0; b < pn->n_blocks; b++) {
        const double *restrict xb = pn->x + b * m * LANES;
        const double *restrict rb = r + b * LANES;
        for (size_t j = 0; j < m; j++) {
            for (size_t l = 0; l < LANES; l++) {
                acc[j * LANES + l] += rb[l] * xb[j * LANES + l];
            }
        }
    }
    panel_add_lanes(acc, m, out);
}

#if PANEL_AVX2
__attribute__((target("avx2"))) static void panel_eval_avx2(const imbal_logreg_panel *pn,
                                                            const double *theta, double *restrict z,
                                                            double *restrict r, double *restrict c,
                                                            double *out, double *restrict acc)
{
    panel_eval_body(pn, theta, z, r, c, out, acc);
}
#endif

static void panel_eval_generic(const imbal_logreg_panel *pn, const double *theta,
                               double *restrict z, double *restrict r, double *restrict c,
                               double *out, double *restrict acc)
{
    panel_eval_body(pn, theta, z, r, c, out, acc);
}

void imbal_logreg_panel_eval(const imbal_logreg_panel *pn, const double *theta, double *restrict z,
                             double *restrict r, double *restrict c, double *out,
                             double *restrict acc)
{
#if PANEL_AVX2
    if (imbal_simd_avx2()) {
        panel_eval_avx2(pn, theta, z, r, c, out, acc);
        return;
    }
#endif
    panel_eval_generic(pn, theta, z, r, c, out, acc);
}

PANEL_BODY void panel_xt_body(const imbal_logreg_panel *pn, const double *a, double *out,
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
    panel_add_lanes(acc, m, out);
}

#if PANEL_AVX2
__attribute__((target("avx2"))) static void
panel_xt_avx2(const imbal_logreg_panel *pn, const double *a, double *out, double *restrict acc)
{
    panel_xt_body(pn, a, out, acc);
}
#endif

static void panel_xt_generic(const imbal_logreg_panel *pn, const double *a, double *out,
                             double *restrict acc)
{
    panel_xt_body(pn, a, out, acc);
}

void imbal_logreg_panel_xt(const imbal_logreg_panel *pn, const double *a, double *out,
                           double *restrict acc)
{
#if PANEL_AVX2
    if (imbal_simd_avx2()) {
        panel_xt_avx2(pn, a, out, acc);
        return;
    }
#endif
    panel_xt_generic(pn, a, out, acc);
}

PANEL_BODY void panel_abs_xt_body(const imbal_logreg_panel *pn, const double *z, double *out,
                                  double *restrict acc)
{
    size_t m = pn->m;
    memset(acc, 0, m * LANES * sizeof(*acc));
    for (size_t b = 0; b < pn->n_blocks; b++) {
        const double *restrict xb = pn->x + b * m * LANES;
        const double *restrict zb = z + b * LANES;
        const double *restrict sb = pn->s + b * LANES;
        const double *restrict yb = pn->y + b * LANES;
        double ab[LANES];
        for (size_t l = 0; l < LANES; l++) {
            /* |sigmoid(z) - y| is sigmoid(-z) for y = 1 and sigmoid(z) for y = 0, that is
             * sigmoid(-|z|) when the sign of z agrees with the label, else sigmoid(|z|) */
            double e = panel_exp_neg_abs(zb[l]);
            double q = 1.0 / (1.0 + e);
            double agree = 0.5 + copysign(0.5, zb[l]) * (2.0 * yb[l] - 1.0); /* 1 or 0 */
            ab[l] = sb[l] * (agree * (e * q) + (1.0 - agree) * q);
        }
        for (size_t j = 0; j < m; j++) {
            for (size_t l = 0; l < LANES; l++) {
                acc[j * LANES + l] += ab[l] * fabs(xb[j * LANES + l]);
            }
        }
    }
    panel_add_lanes(acc, m, out);
}

#if PANEL_AVX2
__attribute__((target("avx2"))) static void
panel_abs_xt_avx2(const imbal_logreg_panel *pn, const double *z, double *out, double *restrict acc)
{
    panel_abs_xt_body(pn, z, out, acc);
}
#endif

static void panel_abs_xt_generic(const imbal_logreg_panel *pn, const double *z, double *out,
                                 double *restrict acc)
{
    panel_abs_xt_body(pn, z, out, acc);
}

void imbal_logreg_panel_abs_xt(const imbal_logreg_panel *pn, const double *z, double *out,
                               double *restrict acc)
{
#if PANEL_AVX2
    if (imbal_simd_avx2()) {
        panel_abs_xt_avx2(pn, z, out, acc);
        return;
    }
#endif
    panel_abs_xt_generic(pn, z, out, acc);
}

PANEL_BODY void panel_gram_body(const imbal_logreg_panel *pn, const double *c, double *h,
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
        /* the lower triangle only; mirrored below */
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

#if PANEL_AVX2
__attribute__((target("avx2"))) static void panel_gram_avx2(const imbal_logreg_panel *pn,
                                                            const double *c, double *h,
                                                            double *restrict acc,
                                                            double *restrict v)
{
    panel_gram_body(pn, c, h, acc, v);
}
#endif

static void panel_gram_generic(const imbal_logreg_panel *pn, const double *c, double *h,
                               double *restrict acc, double *restrict v)
{
    panel_gram_body(pn, c, h, acc, v);
}

void imbal_logreg_panel_gram(const imbal_logreg_panel *pn, const double *c, double *h,
                             double *restrict acc, double *restrict v)
{
#if PANEL_AVX2
    if (imbal_simd_avx2()) {
        panel_gram_avx2(pn, c, h, acc, v);
        return;
    }
#endif
    panel_gram_generic(pn, c, h, acc, v);
}

PANEL_BODY void panel_gram_diag_body(const imbal_logreg_panel *pn, const double *c, double *out,
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
    panel_add_lanes(acc, m, out);
}

#if PANEL_AVX2
__attribute__((target("avx2"))) static void panel_gram_diag_avx2(const imbal_logreg_panel *pn,
                                                                 const double *c, double *out,
                                                                 double *restrict acc)
{
    panel_gram_diag_body(pn, c, out, acc);
}
#endif

static void panel_gram_diag_generic(const imbal_logreg_panel *pn, const double *c, double *out,
                                    double *restrict acc)
{
    panel_gram_diag_body(pn, c, out, acc);
}

void imbal_logreg_panel_gram_diag(const imbal_logreg_panel *pn, const double *c, double *out,
                                  double *restrict acc)
{
#if PANEL_AVX2
    if (imbal_simd_avx2()) {
        panel_gram_diag_avx2(pn, c, out, acc);
        return;
    }
#endif
    panel_gram_diag_generic(pn, c, out, acc);
}

PANEL_BODY double panel_remainder_body(const imbal_logreg_panel *pn, const double *z,
                                       const double *z_new, const double *c, const double *c_new,
                                       double *shift)
{
    double acc[LANES] = {0.0};
    int64_t top_shift[LANES] = {0};
    double t = 0.0;
    for (size_t b = 0; b < pn->n_blocks; b++) {
        for (size_t l = 0; l < LANES; l++) {
            size_t i = b * LANES + l;
            double u = z_new[i] - z[i];
            double abs_u = fabs(u);
            double cap = 0.25 * pn->s[i];
            double top;
            int64_t u_bits;
            int64_t c_bits;
            int64_t c_new_bits;
            int64_t cap_bits;
            uint64_t z_bits;
            uint64_t z_new_bits;
            uint64_t crosses;
            memcpy(&c_bits, &c[i], sizeof(c_bits));
            memcpy(&c_new_bits, &c_new[i], sizeof(c_new_bits));
            memcpy(&cap_bits, &cap, sizeof(cap_bits));
            memcpy(&z_bits, &z[i], sizeof(z_bits));
            memcpy(&z_new_bits, &z_new[i], sizeof(z_new_bits));
            /* curvatures are >= 0, so their bits order as their values: integer selects,
             * which need no branch (floating-point ones would) */
            c_bits = c_bits > c_new_bits ? c_bits : c_new_bits;
            crosses = -((z_bits ^ z_new_bits) >> 63); /* all ones when the sign changes */
            c_bits = (int64_t)(((uint64_t)cap_bits & crosses) | ((uint64_t)c_bits & ~crosses));
            memcpy(&top, &c_bits, sizeof(top));
            acc[l] += u * u * top;
            memcpy(&u_bits, &abs_u, sizeof(u_bits));
            top_shift[l] = u_bits > top_shift[l] ? u_bits : top_shift[l];
        }
    }
    for (size_t l = 0; l < LANES; l++) {
        t += acc[l];
        top_shift[0] = top_shift[l] > top_shift[0] ? top_shift[l] : top_shift[0];
    }
    memcpy(shift, &top_shift[0], sizeof(*shift));
    return t;
}

#if PANEL_AVX2
__attribute__((target("avx2"))) static double
panel_remainder_avx2(const imbal_logreg_panel *pn, const double *z, const double *z_new,
                     const double *c, const double *c_new, double *shift)
{
    return panel_remainder_body(pn, z, z_new, c, c_new, shift);
}
#endif

static double panel_remainder_generic(const imbal_logreg_panel *pn, const double *z,
                                      const double *z_new, const double *c, const double *c_new,
                                      double *shift)
{
    return panel_remainder_body(pn, z, z_new, c, c_new, shift);
}

double imbal_logreg_panel_remainder(const imbal_logreg_panel *pn, const double *z,
                                    const double *z_new, const double *c, const double *c_new,
                                    double *shift)
{
#if PANEL_AVX2
    if (imbal_simd_avx2()) {
        return panel_remainder_avx2(pn, z, z_new, c, c_new, shift);
    }
#endif
    return panel_remainder_generic(pn, z, z_new, c, c_new, shift);
}

double imbal_logreg_panel_loss(const imbal_logreg_panel *pn, const double *z, double *l)
{
    double acc[LANES] = {0.0};
    double t = 0.0;
    for (size_t i = 0; i < pn->n_blocks * LANES; i++) {
        double tz = pn->y[i] != 0.0 ? -z[i] : z[i];
        /* log(1 + e^tz) */
        l[i] = pn->s[i] * (tz > 0.0 ? tz + log1p(exp(-tz)) : log1p(exp(tz)));
    }
    for (size_t b = 0; b < pn->n_blocks; b++) {
        for (size_t k = 0; k < LANES; k++) {
            acc[k] += l[b * LANES + k];
        }
    }
    for (size_t k = 0; k < LANES; k++) {
        t += acc[k];
    }
    return t;
}
