/* Multinomial logistic regression front end (see logreg_multi.h): parameter checks, per-row
 * weights from sample and class weights, optional z-scoring as scikit-learn's StandardScaler,
 * the solver call (logreg_multi_newton.c, logreg_multi_lbfgs.c), the map back to the original
 * features with the intercepts centred, and prediction. Kept apart from the binary logreg.c,
 * whose results are pinned bit for bit by the shipped configs. */
#include "imbal/logreg_multi.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "logreg_multi_impl.h"

#define MLOGREG_EXACT_TOL_REL 1e-10
#define MLOGREG_REL_TOL 1e-8
#define MLOGREG_MAX_ITER 100
#define MLOGREG_LBFGS_TOL 1e-4 /* scikit-learn's LogisticRegression defaults */

void imbal_logreg_multi_params_default(imbal_logreg_multi_params *p)
{
    memset(p, 0, sizeof(*p));
    p->C = 1.0;
    p->class_weight = IMBAL_CW_NONE;
    p->weight = NULL;
    p->standardize = 0;
    p->solver = IMBAL_SOLVER_EXACT;
    p->tol = 0.0;
    p->max_iter = 0;
}

static const char *mlogreg_params_problem(const imbal_logreg_multi_params *p, size_t k,
                                          const char **key)
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
    if (p->class_weight == IMBAL_CW_EXPLICIT) {
        if (p->weight == NULL) {
            *key = "class_weight";
            return "explicit class weights need one weight per class";
        }
        for (size_t c = 0; c < k; c++) {
            if (!(p->weight[c] > 0.0) || !isfinite(p->weight[c])) {
                *key = "class_weight";
                return "class weights must be finite numbers > 0";
            }
        }
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

const char *imbal_logreg_multi_params_check(const imbal_logreg_multi_params *p, size_t k)
{
    const char *key;
    return mlogreg_params_problem(p, k, &key);
}

/* Labels, sample weights and cells row by row; fills the class counts. */
static imbal_status mlogreg_check_data(const double *x, const int *y, size_t n, size_t d,
                                       size_t k, const double *sample_weight, size_t *count,
                                       imbal_error *err)
{
    if (k < 2 || n == 0 || d == 0) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "multinomial logistic regression needs rows, features and at least "
                          "2 classes (got %zu rows, %zu features, %zu classes)",
                          n, d, k);
    }
    memset(count, 0, k * sizeof(*count));
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= k) {
            return imbal_fail_at(err, IMBAL_EINVAL, NULL, (long)i + 1, 0,
                                 "label %d of row %zu is not a class 0 .. %zu", y[i], i, k - 1);
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
        count[y[i]]++;
    }
    for (size_t c = 0; c < k; c++) {
        if (count[c] == 0) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "class %zu has no row: its intercept would go to -infinity", c);
        }
    }
    return IMBAL_OK;
}

/* s_i = sample weight times class weight; balanced is n / (k n_c) on unweighted counts, as
 * scikit-learn's compute_class_weight. */
static void mlogreg_row_weights(const int *y, size_t n, size_t k, const double *sample_weight,
                                const imbal_logreg_multi_params *p, const size_t *count,
                                double *s)
{
    for (size_t i = 0; i < n; i++) {
        size_t c = (size_t)y[i];
        double cw = 1.0;
        if (p->class_weight == IMBAL_CW_BALANCED) {
            cw = (double)n / ((double)k * (double)count[c]);
        } else if (p->class_weight == IMBAL_CW_EXPLICIT) {
            cw = p->weight[c];
        }
        s[i] = (sample_weight != NULL ? sample_weight[i] : 1.0) * cw;
    }
}

/* StandardScaler's mean and population deviation (the corrected two-pass variance; scale 1
 * for a column indistinguishable from a constant, var <= n eps var + (n mean eps)^2), and
 * z = (x - mean) / scale into xs. */
static void mlogreg_standardize(const double *x, size_t n, size_t d, double *mean,
                                double *scale, double *xs)
{
    for (size_t j = 0; j < d; j++) {
        double sum = 0.0;
        double corr = 0.0;
        double sq = 0.0;
        double var;
        double bound;
        double mu;
        for (size_t i = 0; i < n; i++) {
            sum += x[i * d + j];
        }
        mu = sum / (double)n;
        for (size_t i = 0; i < n; i++) {
            double t = x[i * d + j] - mu;
            corr += t;
            sq += t * t;
        }
        var = (sq - corr * corr / (double)n) / (double)n;
        bound = (double)n * DBL_EPSILON * var +
                ((double)n * mu * DBL_EPSILON) * ((double)n * mu * DBL_EPSILON);
        mean[j] = mu;
        scale[j] = var <= bound ? 1.0 : sqrt(var);
        for (size_t i = 0; i < n; i++) {
            xs[i * d + j] = (x[i * d + j] - mu) / scale[j];
        }
    }
}

/* The model in the original features from class-major theta, intercepts centred. EINVAL when
 * a coefficient overflows in the original units. */
static imbal_status mlogreg_map_back(const double *theta, size_t d, size_t k, const double *mean,
                                     const double *scale, imbal_logreg_multi_model *m,
                                     imbal_error *err)
{
    double centre = 0.0;
    for (size_t c = 0; c < k; c++) {
        const double *t = theta + c * (d + 1);
        double b = t[d];
        for (size_t j = 0; j < d; j++) {
            double w = mean != NULL ? t[j] / scale[j] : t[j];
            if (mean != NULL) {
                b -= w * mean[j];
            }
            if (!isfinite(w)) {
                return imbal_fail_at(err, IMBAL_EINVAL, NULL, 0, (long)j + 1,
                                     "feature %zu: its coefficient for class %zu overflows in "
                                     "the original units",
                                     j, c);
            }
            m->coef[c * d + j] = w;
        }
        m->intercept[c] = b;
        centre += b;
    }
    centre /= (double)k;
    for (size_t c = 0; c < k; c++) {
        m->intercept[c] -= centre;
        if (!isfinite(m->intercept[c])) {
            return imbal_fail(err, IMBAL_EINVAL, "the intercept of class %zu overflows", c);
        }
    }
    return IMBAL_OK;
}

static imbal_logreg_multi_model *mlogreg_model_new(size_t k, size_t d)
{
    imbal_logreg_multi_model *m = imbal_calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->k = k;
    m->d = d;
    m->coef = imbal_calloc(k * d, sizeof(*m->coef));
    m->intercept = imbal_calloc(k, sizeof(*m->intercept));
    if (m->coef == NULL || m->intercept == NULL) {
        imbal_logreg_multi_model_free(m);
        return NULL;
    }
    return m;
}

/* The solver's start: W = 0, b_c = log S_c centred (the intercept-only optimum). */
static void mlogreg_start(const imbal_mlogreg_problem *pb, double *theta)
{
    size_t d1 = pb->d + 1;
    double mean = 0.0;
    memset(theta, 0, pb->k * d1 * sizeof(*theta));
    for (size_t i = 0; i < pb->n; i++) {
        theta[(size_t)pb->y[i] * d1 + pb->d] += pb->s[i];
    }
    for (size_t c = 0; c < pb->k; c++) {
        theta[c * d1 + pb->d] = log(theta[c * d1 + pb->d]);
        mean += theta[c * d1 + pb->d];
    }
    mean /= (double)pb->k;
    for (size_t c = 0; c < pb->k; c++) {
        theta[c * d1 + pb->d] -= mean;
    }
}

/* Runs the solver into theta and fills the model's fit record. A fit that misses its
 * tolerance is kept, marked by m->fit (as logreg.h): ENOCONV becomes IMBAL_OK. */
static imbal_status mlogreg_solve(const imbal_mlogreg_problem *pb,
                                  const imbal_logreg_multi_params *p, double *theta,
                                  imbal_logreg_multi_model *m, imbal_error *err)
{
    size_t max_iter = p->max_iter > 0 ? p->max_iter : MLOGREG_MAX_ITER;
    imbal_error serr;
    imbal_status st;
    imbal_error_clear(&serr);
    if (p->solver == IMBAL_SOLVER_LBFGS) {
        m->method = IMBAL_LOGREG_LBFGS;
        st = imbal_mlogreg_lbfgs(pb, p->tol > 0.0 ? p->tol : MLOGREG_LBFGS_TOL, max_iter, theta,
                                 &m->n_iter, &m->fit, &serr);
        m->grad_max = NAN;
        m->grad_rel = NAN;
    } else {
        double sum_s = 0.0;
        double scale_tol;
        for (size_t i = 0; i < pb->n; i++) {
            sum_s += pb->s[i];
        }
        scale_tol = pb->C * sum_s > 1.0 ? pb->C * sum_s : 1.0;
        m->method = pb->k * (pb->d + 1) <= IMBAL_LOGREG_MULTI_DENSE_MAX ? IMBAL_LOGREG_CHOLESKY
                                                                        : IMBAL_LOGREG_CG;
        mlogreg_start(pb, theta);
        st = imbal_mlogreg_newton(pb, IMBAL_LOGREG_MULTI_DENSE_MAX,
                                  p->tol > 0.0 ? p->tol : MLOGREG_EXACT_TOL_REL * scale_tol,
                                  MLOGREG_REL_TOL, max_iter, theta, &m->n_iter, &m->grad_max,
                                  &m->grad_rel, &m->fit, &serr);
    }
    if (st == IMBAL_ENOCONV) {
        st = IMBAL_OK; /* returned, marked by m->fit, the solver's last point in theta */
    } else if (st != IMBAL_OK) {
        imbal_fail(err, serr.status, "%s", serr.msg);
    }
    m->converged = st == IMBAL_OK && m->fit == IMBAL_FIT_CONVERGED;
    return st;
}

imbal_status imbal_logreg_multi_fit(const double *x, const int *y, size_t n, size_t d, size_t k,
                                    const double *sample_weight,
                                    const imbal_logreg_multi_params *p,
                                    imbal_logreg_multi_model **out, imbal_error *err)
{
    const char *key = "";
    const char *why = mlogreg_params_problem(p, k, &key);
    size_t *count = NULL;
    double *s = NULL;
    double *theta = NULL;
    double *xs = NULL;
    double *mean = NULL;
    double *scale = NULL;
    imbal_logreg_multi_model *model = NULL;
    imbal_mlogreg_problem pb;
    imbal_status st = IMBAL_OK;
    *out = NULL;
    if (why != NULL) {
        st = imbal_fail(err, IMBAL_EINVAL, "%s", why);
        imbal_error_set_key(err, key);
        return st;
    }
    count = imbal_malloc(k > 0 ? k : 1, sizeof(*count));
    if (count == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu class counts", k);
    }
    st = mlogreg_check_data(x, y, n, d, k, sample_weight, count, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    s = imbal_malloc(n, sizeof(*s));
    theta = imbal_calloc(k, (d + 1) * sizeof(*theta)); /* d < n * d cells: d + 1 cannot wrap */
    model = mlogreg_model_new(k, d);
    if (s == NULL || theta == NULL || model == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for a %zu-class model", k);
        goto cleanup;
    }
    mlogreg_row_weights(y, n, k, sample_weight, p, count, s);
    pb.x = x;
    pb.y = y;
    pb.s = s;
    pb.n = n;
    pb.d = d;
    pb.k = k;
    pb.C = p->C;
    if (p->standardize) {
        xs = imbal_malloc(n, d * sizeof(*xs)); /* x holds n * d cells: the product fits */
        mean = imbal_malloc(d, sizeof(*mean));
        scale = imbal_malloc(d, sizeof(*scale));
        if (xs == NULL || mean == NULL || scale == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory standardising %zu x %zu", n, d);
            goto cleanup;
        }
        mlogreg_standardize(x, n, d, mean, scale, xs);
        pb.x = xs;
    }
    st = mlogreg_solve(&pb, p, theta, model, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = mlogreg_map_back(theta, d, k, mean, scale, model, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    *out = model;
    model = NULL; /* ownership moved to the caller */
cleanup:
    imbal_logreg_multi_model_free(model);
    free(count);
    free(s);
    free(theta);
    free(xs);
    free(mean);
    free(scale);
    return st;
}

void imbal_logreg_multi_decision(const imbal_logreg_multi_model *m, const double *x, size_t n,
                                 double *decision)
{
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * m->d;
        for (size_t c = 0; c < m->k; c++) {
            const double *w = m->coef + c * m->d;
            double z = 0.0;
            for (size_t j = 0; j < m->d; j++) {
                z += xi[j] * w[j];
            }
            decision[i * m->k + c] = z + m->intercept[c];
        }
    }
}

void imbal_logreg_multi_predict_proba(const imbal_logreg_multi_model *m, const double *x,
                                      size_t n, double *proba)
{
    imbal_logreg_multi_decision(m, x, n, proba);
    for (size_t i = 0; i < n; i++) {
        double *p = proba + i * m->k;
        double top = p[0];
        double sum = 0.0;
        for (size_t c = 1; c < m->k; c++) {
            top = p[c] > top ? p[c] : top;
        }
        for (size_t c = 0; c < m->k; c++) {
            p[c] = exp(p[c] - top);
            sum += p[c];
        }
        for (size_t c = 0; c < m->k; c++) {
            p[c] /= sum;
        }
    }
}

void imbal_logreg_multi_model_free(imbal_logreg_multi_model *m)
{
    if (m != NULL) {
        free(m->coef);
        free(m->intercept);
        free(m);
    }
}
