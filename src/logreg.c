/* Logistic regression front end (see logreg.h): parameter checks, per-row weights from sample
 * and class weights, optional z-scoring as scikit-learn's StandardScaler on the rows given, the
 * solver call, and the map of the coefficients back to the original features. The exact
 * solver is in logreg_newton.c. */
#include "imbal/logreg.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lbfgsb.h"
#include "logreg_impl.h"

#define LOGREG_EXACT_TOL_REL 1e-10
#define LOGREG_EXACT_MAX_ITER 100
#define LOGREG_LBFGS_TOL 1e-4 /* scikit-learn's LogisticRegression defaults */
#define LOGREG_LBFGS_MAX_ITER 100

const char *imbal_logreg_fit_name(imbal_logreg_fit_status fit)
{
    static const char *const names[IMBAL_FIT_N] = {"converged", "max_iter", "stalled"};
    return (unsigned)fit < IMBAL_FIT_N ? names[fit] : "?";
}

void imbal_logreg_params_default(imbal_logreg_params *p)
{
    memset(p, 0, sizeof(*p));
    p->C = 1.0;
    p->class_weight = IMBAL_CW_NONE;
    p->weight[0] = 1.0;
    p->weight[1] = 1.0;
    p->standardize = 0;
    p->solver = IMBAL_SOLVER_EXACT;
    p->tol = 0.0;
    p->max_iter = 0;
}

/* The first problem in p and the parameter it concerns, or NULL. */
static const char *logreg_params_problem(const imbal_logreg_params *p, const char **key)
{
    *key = "";
    if (!(p->C > 0.0) || !isfinite(p->C)) {
        *key = "C";
        return "C must be a finite number > 0";
    }
    if (p->class_weight != IMBAL_CW_NONE && p->class_weight != IMBAL_CW_BALANCED &&
        p->class_weight != IMBAL_CW_EXPLICIT) {
        *key = "class_weight";
        return "class_weight must be none, balanced or explicit";
    }
    if (p->class_weight == IMBAL_CW_EXPLICIT &&
        (!(p->weight[0] > 0.0) || !(p->weight[1] > 0.0) || !isfinite(p->weight[0]) ||
         !isfinite(p->weight[1]))) {
        *key = "class_weight";
        return "class weights must be finite numbers > 0";
    }
    if (p->solver != IMBAL_SOLVER_EXACT && p->solver != IMBAL_SOLVER_LBFGS) {
        *key = "solver";
        return "solver must be exact or lbfgs";
    }
    if (isnan(p->tol) || isinf(p->tol)) {
        *key = "tol";
        return "tol must be a finite number";
    }
    return NULL;
}

const char *imbal_logreg_params_check(const imbal_logreg_params *p)
{
    const char *key;
    return logreg_params_problem(p, &key);
}

/* 1 when some label is not 0 or 1, some cell not finite or some sample weight not a finite
 * number > 0, without a branch per cell: x - x is 0 unless x is inf or NaN, and four running
 * sums of it keep the additions independent. x holds n * d cells, so that product cannot
 * overflow. */
static int logreg_any_bad(const double *x, const int *y, size_t n, size_t d,
                          const double *sample_weight)
{
    double zero[4] = {0.0, 0.0, 0.0, 0.0};
    size_t cells = n * d;
    size_t k = 0;
    unsigned label = 0;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        label |= (unsigned)y[i] >> 1; /* 0 only for 0 and 1 */
    }
    for (; k + 4 <= cells; k += 4) {
        zero[0] += x[k] - x[k];
        zero[1] += x[k + 1] - x[k + 1];
        zero[2] += x[k + 2] - x[k + 2];
        zero[3] += x[k + 3] - x[k + 3];
    }
    for (; k < cells; k++) {
        zero[0] += x[k] - x[k];
    }
    for (size_t i = 0; sample_weight != NULL && i < n; i++) {
        bad |= !(sample_weight[i] > 0.0) || !isfinite(sample_weight[i]);
    }
    return bad || label != 0 || !((zero[0] + zero[1]) + (zero[2] + zero[3]) == 0.0);
}

/* The first bad label, sample weight or cell, row by row, as an error. */
static imbal_status logreg_locate_bad(const double *x, const int *y, size_t n, size_t d,
                                      const double *sample_weight, imbal_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1) {
            return imbal_fail_at(err, IMBAL_EINVAL, NULL, (long)i + 1, 0,
                                 "label %d of row %zu is neither 0 nor 1", y[i], i);
        }
        if (sample_weight != NULL && (!(sample_weight[i] > 0.0) || !isfinite(sample_weight[i]))) {
            return imbal_fail_at(err, IMBAL_EINVAL, NULL, (long)i + 1, 0,
                                 "sample weight %g of row %zu is not a finite number > 0",
                                 sample_weight[i], i);
        }
        for (size_t j = 0; j < d; j++) {
            if (!isfinite(x[i * d + j])) {
                return imbal_fail_at(err, IMBAL_EINVAL, NULL, (long)i + 1, (long)j + 1,
                                     "feature %zu of row %zu is not finite", j, i);
            }
        }
    }
    return IMBAL_OK;
}

/* Labels, sample weights and cells; fills the class counts. */
static imbal_status logreg_check_data(const double *x, const int *y, size_t n, size_t d,
                                      const double *sample_weight, size_t count[2],
                                      imbal_error *err)
{
    if (logreg_any_bad(x, y, n, d, sample_weight)) {
        imbal_status st = logreg_locate_bad(x, y, n, d, sample_weight, err);
        if (st != IMBAL_OK) {
            return st;
        }
    }
    count[1] = 0;
    for (size_t i = 0; i < n; i++) {
        count[1] += (size_t)y[i];
    }
    count[0] = n - count[1];
    if (count[0] == 0 || count[1] == 0) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "logistic regression needs both classes: %zu rows of class 0, "
                          "%zu of class 1",
                          count[0], count[1]);
    }
    return IMBAL_OK;
}

/* s_i = sample weight times class weight; balanced is n / (2 n_class), unweighted counts of
 * the rows given, as scikit-learn's compute_class_weight. */
static void logreg_row_weights(const int *y, size_t n, const double *sample_weight,
                               const imbal_logreg_params *p, const size_t count[2], double *s)
{
    double cw[2] = {1.0, 1.0};
    if (p->class_weight == IMBAL_CW_BALANCED) {
        cw[0] = (double)n / (2.0 * (double)count[0]);
        cw[1] = (double)n / (2.0 * (double)count[1]);
    } else if (p->class_weight == IMBAL_CW_EXPLICIT) {
        cw[0] = p->weight[0];
        cw[1] = p->weight[1];
    }
    for (size_t i = 0; i < n; i++) {
        s[i] = (sample_weight != NULL ? sample_weight[i] : 1.0) * cw[y[i]];
    }
}

/* Column means and population standard deviations as StandardScaler: the corrected two-pass
 * variance, and scale 1 for a column indistinguishable from a constant
 * (var <= n eps var + (n mean eps)^2). Each column is summed multiplied by the power of two
 * 2^-e_j that brings its largest |x| into [0.5, 1): exact, so mean and scale have the bits the
 * unscaled sums would give, but the squares of a column at 1e300 cannot overflow, nor those of
 * one at 1e-300 underflow. Then z = (x - mean) / scale into xs, formed in the scaled units
 * (the same bits, without the overflow of x - mean near DBL_MAX). */
static void logreg_standardize(const double *x, size_t n, size_t d, double *mean, double *scale,
                               double *xs)
{
    for (size_t j = 0; j < d; j++) {
        double top = 0.0;
        double sum = 0.0;
        double corr = 0.0;
        double sq = 0.0;
        double var;
        double k;    /* 2^-e_j */
        double mu;   /* the mean times k */
        double sd;   /* the scale times k */
        int constant;
        int e;
        for (size_t i = 0; i < n; i++) {
            top = fabs(x[i * d + j]) > top ? fabs(x[i * d + j]) : top;
        }
        e = top > 0.0 ? ilogb(top) + 1 : 0;
        e = e > -1021 ? e : -1021; /* 2^1021 is finite; subnormals scale exactly by it */
        k = ldexp(1.0, -e);
        for (size_t i = 0; i < n; i++) {
            sum += x[i * d + j] * k;
        }
        mu = sum / (double)n;
        for (size_t i = 0; i < n; i++) {
            double t = x[i * d + j] * k - mu;
            corr += t;
            sq += t * t;
        }
        var = (sq - corr * corr / (double)n) / (double)n;
        double bound = (double)n * DBL_EPSILON * var +
                       ((double)n * mu * DBL_EPSILON) * ((double)n * mu * DBL_EPSILON);
        constant = var <= bound;
        sd = sqrt(var);
        mean[j] = ldexp(mu, e);
        scale[j] = constant ? 1.0 : ldexp(sd, e);
        for (size_t i = 0; i < n; i++) {
            /* a constant column keeps its units (scale 1): x - mean, as StandardScaler */
            xs[i * d + j] = constant ? x[i * d + j] - mean[j] : (x[i * d + j] * k - mu) / sd;
        }
    }
}

/* The model in the original features from the solver's theta: w_j x_j = w'_j (x_j - mean_j) /
 * scale_j with standardize (mean NULL: theta as it is). EINVAL, naming the feature, when a
 * coefficient does not fit in a double (a standard deviation below ~1e-308 times |w'_j|). */
static imbal_status logreg_map_back(const double *theta, size_t d, const double *mean,
                                    const double *scale, imbal_logreg_model *model,
                                    imbal_error *err)
{
    model->intercept = theta[d];
    for (size_t j = 0; j < d; j++) {
        if (mean != NULL) {
            double shift = theta[j] * mean[j];
            model->coef[j] = theta[j] / scale[j];
            /* (w' mean) / scale, unless w' mean overflows: then w' (mean / scale), which is
             * bounded, the mean of a non-constant column being < scale / (n eps) */
            model->intercept -=
                isfinite(shift) ? shift / scale[j] : theta[j] * (mean[j] / scale[j]);
        } else {
            model->coef[j] = theta[j];
        }
        if (!isfinite(model->coef[j])) {
            return imbal_fail_at(err, IMBAL_EINVAL, NULL, 0, (long)j + 1,
                                 "feature %zu: its coefficient %g / %g (standard deviation) "
                                 "overflows in the original units",
                                 j, theta[j], scale != NULL ? scale[j] : 1.0);
        }
    }
    if (!isfinite(model->intercept)) {
        return imbal_fail(err, IMBAL_EINVAL, "the intercept overflows in the original units");
    }
    return IMBAL_OK;
}

static imbal_status logreg_model_new(size_t d, imbal_logreg_model **out, imbal_error *err)
{
    imbal_logreg_model *m = imbal_calloc(1, sizeof(*m));
    *out = NULL;
    if (m == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for a logistic regression model");
    }
    m->d = d;
    m->coef = imbal_calloc(d > 0 ? d : 1, sizeof(*m->coef));
    if (m->coef == NULL) {
        free(m);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu coefficients", d);
    }
    *out = m;
    return IMBAL_OK;
}

imbal_status imbal_logreg_fit(const double *x, const int *y, size_t n, size_t d,
                              const double *sample_weight, const imbal_logreg_params *p,
                              imbal_logreg_model **out, imbal_error *err)
{
    const char *key = "";
    const char *why = logreg_params_problem(p, &key);
    size_t count[2];
    double *s = NULL;
    double *theta = NULL;
    double *xs = NULL;
    double *mean = NULL;
    double *scale = NULL;
    imbal_logreg_model *model = NULL;
    imbal_logreg_problem pb;
    imbal_status st = IMBAL_OK;
    *out = NULL;
    if (why != NULL) {
        st = imbal_fail(err, IMBAL_EINVAL, "%s", why);
        imbal_error_set_key(err, key);
        return st;
    }
    st = logreg_check_data(x, y, n, d, sample_weight, count, err);
    if (st != IMBAL_OK) {
        return st;
    }
    s = imbal_malloc(n, sizeof(*s));
    theta = imbal_calloc(d + 1, sizeof(*theta));
    if (s == NULL || theta == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for logistic regression weights");
        goto cleanup;
    }
    logreg_row_weights(y, n, sample_weight, p, count, s);
    pb.x = x;
    pb.y = y;
    pb.s = s;
    pb.n = n;
    pb.d = d;
    pb.C = p->C;
    if (p->standardize && d > 0) {
        if (n > SIZE_MAX / d) {
            st = imbal_fail(err, IMBAL_ENOMEM, "%zu x %zu features are too many", n, d);
            goto cleanup;
        }
        xs = imbal_malloc(n * d, sizeof(*xs));
        mean = imbal_malloc(d, sizeof(*mean));
        scale = imbal_malloc(d, sizeof(*scale));
        if (xs == NULL || mean == NULL || scale == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory standardising %zu x %zu", n, d);
            goto cleanup;
        }
        logreg_standardize(x, n, d, mean, scale, xs);
        pb.x = xs;
    }
    st = logreg_model_new(d, &model, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (p->solver == IMBAL_SOLVER_LBFGS) {
        /* scikit-learn's lbfgs: a model stopped by max_iter is what LogisticRegression()
         * returns with a ConvergenceWarning, so it is returned, marked converged = 0 */
        double tol = p->tol > 0.0 ? p->tol : LOGREG_LBFGS_TOL;
        size_t max_iter = p->max_iter > 0 ? p->max_iter : LOGREG_LBFGS_MAX_ITER;
        imbal_error lerr;
        imbal_error_clear(&lerr);
        st = imbal_logreg_fit_lbfgs(pb.x, y, n, d, s, p->C, tol, max_iter, theta, &theta[d],
                                    &model->n_iter, &model->fit, &lerr);
        model->grad_max = NAN;
        model->grad_rel = NAN;
        model->method = IMBAL_LOGREG_LBFGS;
        if (st == IMBAL_ENOCONV) {
            st = IMBAL_OK;
        } else if (st != IMBAL_OK) {
            imbal_fail(err, lerr.status, "%s", lerr.msg);
            goto cleanup;
        }
    } else {
        double sum_s = 0.0;
        double sum_pos = 0.0;
        for (size_t i = 0; i < n; i++) {
            sum_s += s[i];
            sum_pos += y[i] ? s[i] : 0.0;
        }
        /* start at w = 0 and the intercept-only optimum, sigmoid(b) = weighted share of
         * class 1: on abalone19 that saves Newton iterations crossing to b ~ -5 */
        theta[d] = log(sum_pos / (sum_s - sum_pos));
        double scale_tol = p->C * sum_s > 1.0 ? p->C * sum_s : 1.0;
        double tol = p->tol > 0.0 ? p->tol : LOGREG_EXACT_TOL_REL * scale_tol;
        size_t max_iter = p->max_iter > 0 ? p->max_iter : LOGREG_EXACT_MAX_ITER;
        model->method = d <= IMBAL_LOGREG_DENSE_MAX_D ? IMBAL_LOGREG_CHOLESKY : IMBAL_LOGREG_CG;
        imbal_error nerr;
        imbal_error_clear(&nerr);
        st = imbal_logreg_newton(&pb, model->method == IMBAL_LOGREG_CHOLESKY, tol,
                                 IMBAL_LOGREG_REL_TOL, max_iter, theta, &model->n_iter,
                                 &model->grad_max, &model->grad_rel, &model->fit, &nerr);
        if (st == IMBAL_ENOCONV) {
            st = IMBAL_OK; /* returned marked by model->fit, its last point in theta */
        } else if (st != IMBAL_OK) {
            imbal_fail(err, nerr.status, "%s", nerr.msg);
            goto cleanup;
        }
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = logreg_map_back(theta, d, mean, scale, model, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    model->converged = model->fit == IMBAL_FIT_CONVERGED;
    *out = model;
    model = NULL; /* ownership moved to the caller */
cleanup:
    imbal_logreg_model_free(model);
    free(s);
    free(theta);
    free(xs);
    free(mean);
    free(scale);
    return st;
}

void imbal_logreg_decision(const imbal_logreg_model *m, const double *x, size_t n,
                           double *decision)
{
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * m->d;
        double z = 0.0;
        for (size_t j = 0; j < m->d; j++) {
            z += m->coef[j] * xi[j];
        }
        decision[i] = z + m->intercept;
    }
}

void imbal_logreg_predict_proba(const imbal_logreg_model *m, const double *x, size_t n,
                                double *proba)
{
    imbal_logreg_decision(m, x, n, proba);
    for (size_t i = 0; i < n; i++) {
        double z = proba[i];
        if (z >= 0) {
            proba[i] = 1.0 / (1.0 + exp(-z));
        } else {
            double e = exp(z);
            proba[i] = e / (1.0 + e);
        }
    }
}

void imbal_logreg_model_free(imbal_logreg_model *m)
{
    if (m != NULL) {
        free(m->coef);
        free(m);
    }
}
