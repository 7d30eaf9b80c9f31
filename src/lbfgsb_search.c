/* The Moré-Thuente line search (ACM TOMS 20, 1994), in the form of MINPACK-2's dcsrch and
 * dcstep that SciPy's L-BFGS-B runs (ftol 1e-3, gtol 0.9, xtol 0.1). Written as a reverse-
 * communication state machine so the caller keeps control of evaluations, as L-BFGS-B
 * does; every comparison and formula follows the published algorithm step for step, since
 * the accepted step decides the iterates that scikit-learn's results depend on. */
#include <math.h>

#include "lbfgsb.h"

#define LS_XTRAPL 1.1
#define LS_XTRAPU 4.0

/* Interval end (stx, fx, dx), other end (sty, fy, dy), trial (stp, fp, dp). */
typedef struct {
    double stx, fx, dx, sty, fy, dy;
} search_interval;

/* The gamma of the cubic's minimiser for the curvature term theta and the end derivatives
 * da, db, scaled by s = max(|theta|, |da|, |db|) against overflow and negated when flip;
 * clamp: max(0, discriminant), for the case where the cubic need not have a minimum. */
static double search_gamma(double theta, double da, double db, int flip, int clamp)
{
    double s = fmax(fabs(theta), fmax(fabs(da), fabs(db)));
    double disc = (theta / s) * (theta / s) - (da / s) * (db / s);
    double gamma;
    if (clamp) {
        disc = fmax(0.0, disc);
    }
    gamma = s * sqrt(disc);
    return flip ? -gamma : gamma;
}

/* One safeguarded step (dcstep): updates the interval and returns the new trial step. */
static double search_step(search_interval *iv, double stp, double fp, double dp, int *brackt,
                          double stpmin, double stpmax)
{
    double sgnd = dp * (iv->dx / fabs(iv->dx));
    double theta;
    double gamma;
    double p;
    double q;
    double r;
    double stpc;
    double stpq;
    double stpf;

    if (fp > iv->fx) {
        /* higher value: a minimiser is bracketed; cubic if nearer stx, else the average */
        theta = 3.0 * (iv->fx - fp) / (stp - iv->stx) + iv->dx + dp;
        gamma = search_gamma(theta, iv->dx, dp, stp < iv->stx, 0);
        p = (gamma - iv->dx) + theta;
        q = ((gamma - iv->dx) + gamma) + dp;
        r = p / q;
        stpc = iv->stx + r * (stp - iv->stx);
        stpq = iv->stx +
               ((iv->dx / ((iv->fx - fp) / (stp - iv->stx) + iv->dx)) / 2.0) * (stp - iv->stx);
        if (fabs(stpc - iv->stx) < fabs(stpq - iv->stx)) {
            stpf = stpc;
        } else {
            stpf = stpc + (stpq - stpc) / 2.0;
        }
        *brackt = 1;
    } else if (sgnd < 0.0) {
        /* lower value, derivatives of opposite sign: bracketed; cubic if farther, else
         * secant */
        theta = 3.0 * (iv->fx - fp) / (stp - iv->stx) + iv->dx + dp;
        gamma = search_gamma(theta, iv->dx, dp, stp > iv->stx, 0);
        p = (gamma - dp) + theta;
        q = ((gamma - dp) + gamma) + iv->dx;
        r = p / q;
        stpc = stp + r * (iv->stx - stp);
        stpq = stp + (dp / (dp - iv->dx)) * (iv->stx - stp);
        if (fabs(stpc - stp) > fabs(stpq - stp)) {
            stpf = stpc;
        } else {
            stpf = stpq;
        }
        *brackt = 1;
    } else if (fabs(dp) < fabs(iv->dx)) {
        /* lower value, same sign, derivative shrinking */
        theta = 3.0 * (iv->fx - fp) / (stp - iv->stx) + iv->dx + dp;
        gamma = search_gamma(theta, iv->dx, dp, stp > iv->stx, 1);
        p = (gamma - dp) + theta;
        q = (gamma + (iv->dx - dp)) + gamma;
        r = p / q;
        if (r < 0.0 && gamma != 0.0) {
            stpc = stp + r * (iv->stx - stp);
        } else if (stp > iv->stx) {
            stpc = stpmax;
        } else {
            stpc = stpmin;
        }
        stpq = stp + (dp / (dp - iv->dx)) * (iv->stx - stp);
        if (*brackt) {
            if (fabs(stpc - stp) < fabs(stpq - stp)) {
                stpf = stpc;
            } else {
                stpf = stpq;
            }
            if (stp > iv->stx) {
                stpf = fmin(stp + 0.66 * (iv->sty - stp), stpf);
            } else {
                stpf = fmax(stp + 0.66 * (iv->sty - stp), stpf);
            }
        } else {
            if (fabs(stpc - stp) > fabs(stpq - stp)) {
                stpf = stpc;
            } else {
                stpf = stpq;
            }
            stpf = fmin(stpmax, stpf);
            stpf = fmax(stpmin, stpf);
        }
    } else {
        /* lower value, same sign, derivative not shrinking */
        if (*brackt) {
            theta = 3.0 * (fp - iv->fy) / (iv->sty - stp) + iv->dy + dp;
            gamma = search_gamma(theta, iv->dy, dp, stp > iv->sty, 0);
            p = (gamma - dp) + theta;
            q = ((gamma - dp) + gamma) + iv->dy;
            r = p / q;
            stpf = stp + r * (iv->sty - stp);
        } else if (stp > iv->stx) {
            stpf = stpmax;
        } else {
            stpf = stpmin;
        }
    }

    if (fp > iv->fx) {
        iv->sty = stp;
        iv->fy = fp;
        iv->dy = dp;
    } else {
        if (sgnd < 0.0) {
            iv->sty = iv->stx;
            iv->fy = iv->fx;
            iv->dy = iv->dx;
        }
        iv->stx = stp;
        iv->fx = fp;
        iv->dx = dp;
    }
    return stpf;
}

imbal_ls_task imbal_linesearch_start(imbal_linesearch *ls, double f, double g, double *stp,
                                     double ftol, double gtol, double xtol, double stpmin,
                                     double stpmax)
{
    if (!(*stp >= stpmin) || !(*stp <= stpmax) || !(g < 0.0)) {
        return IMBAL_LS_ERROR;
    }
    ls->ftol = ftol;
    ls->gtol = gtol;
    ls->xtol = xtol;
    ls->stpmin = stpmin;
    ls->stpmax = stpmax;
    ls->brackt = 0;
    ls->stage = 1;
    ls->finit = f;
    ls->ginit = g;
    ls->gtest = ftol * g;
    ls->width = stpmax - stpmin;
    ls->width1 = ls->width / 0.5;
    ls->stx = 0.0;
    ls->fx = f;
    ls->gx = g;
    ls->sty = 0.0;
    ls->fy = f;
    ls->gy = g;
    ls->stmin = 0.0;
    ls->stmax = *stp + LS_XTRAPU * *stp;
    return IMBAL_LS_FG;
}

imbal_ls_task imbal_linesearch_next(imbal_linesearch *ls, double f, double g, double *stp)
{
    double s = *stp;
    double ftest = ls->finit + s * ls->gtest;
    imbal_ls_task task = IMBAL_LS_FG;
    search_interval iv;

    /* once psi(stp) <= 0 and f'(stp) >= 0, the unmodified function is used */
    if (ls->stage == 1 && f <= ftest && g >= 0.0) {
        ls->stage = 2;
    }
    if (ls->brackt && (s <= ls->stmin || s >= ls->stmax)) {
        task = IMBAL_LS_WARN; /* rounding errors prevent progress */
    }
    if (ls->brackt && ls->stmax - ls->stmin <= ls->xtol * ls->stmax) {
        task = IMBAL_LS_WARN; /* interval below xtol */
    }
    if (s == ls->stpmax && f <= ftest && g <= ls->gtest) {
        task = IMBAL_LS_WARN; /* exactness: stp was set to stpmax itself */
    }
    if (s == ls->stpmin && (f > ftest || g >= ls->gtest)) {
        task = IMBAL_LS_WARN;
    }
    if (f <= ftest && fabs(g) <= ls->gtol * (-ls->ginit)) {
        task = IMBAL_LS_CONV;
    }
    if (task != IMBAL_LS_FG) {
        return task;
    }

    iv.stx = ls->stx;
    iv.fx = ls->fx;
    iv.dx = ls->gx;
    iv.sty = ls->sty;
    iv.fy = ls->fy;
    iv.dy = ls->gy;
    if (ls->stage == 1 && f <= ls->fx && f > ftest) {
        /* lower but not sufficiently lower: step on psi(t) = f(t) - t * gtest instead */
        iv.fx = ls->fx - ls->stx * ls->gtest;
        iv.fy = ls->fy - ls->sty * ls->gtest;
        iv.dx = ls->gx - ls->gtest;
        iv.dy = ls->gy - ls->gtest;
        s = search_step(&iv, s, f - s * ls->gtest, g - ls->gtest, &ls->brackt, ls->stmin,
                        ls->stmax);
        iv.fx = iv.fx + iv.stx * ls->gtest;
        iv.fy = iv.fy + iv.sty * ls->gtest;
        iv.dx = iv.dx + ls->gtest;
        iv.dy = iv.dy + ls->gtest;
    } else {
        s = search_step(&iv, s, f, g, &ls->brackt, ls->stmin, ls->stmax);
    }
    ls->stx = iv.stx;
    ls->fx = iv.fx;
    ls->gx = iv.dx;
    ls->sty = iv.sty;
    ls->fy = iv.fy;
    ls->gy = iv.dy;

    if (ls->brackt) {
        /* bisect when the interval did not shrink enough over two steps */
        if (fabs(ls->sty - ls->stx) >= 0.66 * ls->width1) {
            s = ls->stx + 0.5 * (ls->sty - ls->stx);
        }
        ls->width1 = ls->width;
        ls->width = fabs(ls->sty - ls->stx);
        ls->stmin = fmin(ls->stx, ls->sty);
        ls->stmax = fmax(ls->stx, ls->sty);
    } else {
        ls->stmin = s + LS_XTRAPL * (s - ls->stx);
        ls->stmax = s + LS_XTRAPU * (s - ls->stx);
    }
    s = fmax(s, ls->stpmin);
    s = fmin(s, ls->stpmax);
    if ((ls->brackt && (s <= ls->stmin || s >= ls->stmax)) ||
        (ls->brackt && ls->stmax - ls->stmin <= ls->xtol * ls->stmax)) {
        s = ls->stx; /* no progress possible: fall back to the best step */
    }
    *stp = s;
    return IMBAL_LS_FG;
}
