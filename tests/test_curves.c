/* Curves (include/imbal/curves.h): every case of tests/reference/curves_cases.csv against
 * tests/reference/curves_expected.csv (scikit-learn 1.2.1 roc_curve, precision_recall_curve,
 * auc, average_precision_score and numpy 1.24.2 interp / mean / std, made by
 * scripts/ref_curves.py) to 1e-12, hand-computed fold averages, the CSV layout, and the error
 * and out-of-memory paths. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/curves.h"
#include "imbal/metrics.h"
#include "util.h"

#define TOL 1e-12
#define CASES "tests/reference/curves_cases.csv"
#define EXPECTED "tests/reference/curves_expected.csv"

typedef struct {
    size_t n;
    double *v;
} vec;

/* A ';'-separated cell as a malloc'd vector (an empty cell gives n = 0). */
static vec parse_vec(const char *s)
{
    vec r = {0, NULL};
    size_t cap = 1;
    for (const char *p = s; *p != '\0'; p++) {
        cap += *p == ';';
    }
    r.v = malloc(cap * sizeof(double));
    ck_assert_ptr_nonnull(r.v);
    const char *p = s;
    while (*p != '\0') {
        char *end = NULL;
        r.v[r.n++] = strtod(p, &end);
        ck_assert_ptr_ne(end, p);
        p = *end == ';' ? end + 1 : end;
    }
    return r;
}

static vec expected(const ref_table *t, const char *c, const char *what)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        if (strcmp(ref_str(t, r, "case"), c) == 0 && strcmp(ref_str(t, r, "what"), what) == 0) {
            return parse_vec(ref_str(t, r, "value"));
        }
    }
    ck_abort_msg("no expected %s for case %s", what, c);
    return (vec){0, NULL};
}

static void assert_vec(const double *got, size_t n, const ref_table *t, const char *c,
                       const char *what)
{
    vec want = expected(t, c, what);
    ck_assert_msg(n == want.n, "%s %s: %zu points, want %zu", c, what, n, want.n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(fabs(got[i] - want.v[i]) <= TOL, "%s %s[%zu]: got %.17g, want %.17g", c, what,
                      i, got[i], want.v[i]);
    }
    free(want.v);
}

static void assert_num(double got, const ref_table *t, const char *c, const char *what)
{
    assert_vec(&got, 1, t, c, what);
}

/* One input case: labels as ints, scores, fold ids (n_fold = 0 when none). */
typedef struct {
    const char *name;
    size_t k, n, n_fold;
    int *y;
    double *score;
    size_t *fold;
} input;

static input read_input(const ref_table *t, size_t r)
{
    input in;
    vec y = parse_vec(ref_str(t, r, "y"));
    vec s = parse_vec(ref_str(t, r, "score"));
    vec f = parse_vec(ref_str(t, r, "fold"));
    in.name = ref_str(t, r, "case");
    in.k = (size_t)ref_num(t, r, "k");
    in.n = y.n;
    ck_assert_uint_eq(s.n, y.n * (in.k == 2 ? 1 : in.k));
    in.y = malloc(y.n * sizeof(int));
    in.fold = malloc((y.n + 1) * sizeof(size_t));
    ck_assert_ptr_nonnull(in.y);
    ck_assert_ptr_nonnull(in.fold);
    in.n_fold = 0;
    for (size_t i = 0; i < y.n; i++) {
        in.y[i] = (int)y.v[i];
        if (f.n > 0) {
            in.fold[i] = (size_t)f.v[i];
            in.n_fold = in.fold[i] + 1 > in.n_fold ? in.fold[i] + 1 : in.n_fold;
        }
    }
    in.score = s.v;
    free(y.v);
    free(f.v);
    return in;
}

static void free_input(input *in)
{
    free(in->y);
    free(in->score);
    free(in->fold);
}

/* roc_drop_*, roc_full_*, pr_* (with prefix) of one binary problem. */
static void check_curves(const ref_table *t, const char *c, const char *prefix, const double *score,
                         const int *y, size_t n)
{
    char w[64];
    imbal_curve *roc = NULL;
    for (int drop = 1; drop >= 0; drop--) {
        const char *v = drop ? "drop" : "full";
        ck_assert_int_eq(imbal_roc_curve(score, y, n, drop, &roc, NULL), IMBAL_OK);
        ck_assert_int_eq(roc->kind, IMBAL_CURVE_ROC);
        ck_assert_uint_eq(roc->n_thresholds, roc->n);
        snprintf(w, sizeof(w), "%sroc_%s_fpr", prefix, v);
        assert_vec(roc->x, roc->n, t, c, w);
        snprintf(w, sizeof(w), "%sroc_%s_tpr", prefix, v);
        assert_vec(roc->y, roc->n, t, c, w);
        snprintf(w, sizeof(w), "%sroc_%s_thr", prefix, v);
        assert_vec(roc->threshold, roc->n_thresholds, t, c, w);
        imbal_curve_free(roc);
    }
    imbal_curve *pr = NULL;
    ck_assert_int_eq(imbal_pr_curve(score, y, n, &pr, NULL), IMBAL_OK);
    ck_assert_int_eq(pr->kind, IMBAL_CURVE_PR);
    ck_assert_uint_eq(pr->n_thresholds + 1, pr->n);
    snprintf(w, sizeof(w), "%spr_precision", prefix);
    assert_vec(pr->y, pr->n, t, c, w);
    snprintf(w, sizeof(w), "%spr_recall", prefix);
    assert_vec(pr->x, pr->n, t, c, w);
    snprintf(w, sizeof(w), "%spr_thr", prefix);
    assert_vec(pr->threshold, pr->n_thresholds, t, c, w);
    imbal_curve_free(pr);
}

START_TEST(curves_match_sklearn)
{
    ref_table *in = ref_read(CASES);
    ref_table *t = ref_read(EXPECTED);
    size_t binary = 0;
    for (size_t r = 0; r < in->n_rows; r++) {
        input x = read_input(in, r);
        if (x.k == 2) {
            check_curves(t, x.name, "", x.score, x.y, x.n);
            binary++;
        }
        free_input(&x);
    }
    ck_assert_uint_ge(binary, 7);
    ref_free(in);
    ref_free(t);
}
END_TEST

START_TEST(areas_match_sklearn)
{
    ref_table *in = ref_read(CASES);
    ref_table *t = ref_read(EXPECTED);
    for (size_t r = 0; r < in->n_rows; r++) {
        input x = read_input(in, r);
        if (x.k != 2) {
            free_input(&x);
            continue;
        }
        imbal_curve *roc = NULL;
        imbal_curve *pr = NULL;
        double auc = -1.0;
        double pr_auc = -1.0;
        double ap = -1.0;
        double ap_metrics = -1.0;
        double roc_metrics = -1.0;
        ck_assert_int_eq(imbal_roc_curve(x.score, x.y, x.n, 1, &roc, NULL), IMBAL_OK);
        ck_assert_int_eq(imbal_pr_curve(x.score, x.y, x.n, &pr, NULL), IMBAL_OK);
        ck_assert_int_eq(imbal_curve_auc(roc, &auc, NULL), IMBAL_OK);
        ck_assert_int_eq(imbal_curve_auc(pr, &pr_auc, NULL), IMBAL_OK);
        ck_assert_int_eq(imbal_curve_average_precision(pr, &ap, NULL), IMBAL_OK);
        assert_num(auc, t, x.name, "roc_auc");
        assert_num(pr_auc, t, x.name, "pr_auc");
        assert_num(ap, t, x.name, "ap");
        /* the curves agree with metrics.h's rank-based numbers */
        ck_assert_int_eq(imbal_average_precision(x.score, x.y, x.n, &ap_metrics, NULL), IMBAL_OK);
        ck_assert_int_eq(imbal_roc_auc(x.score, x.y, x.n, &roc_metrics, NULL), IMBAL_OK);
        ck_assert_double_eq_tol(ap, ap_metrics, TOL);
        ck_assert_double_eq_tol(auc, roc_metrics, TOL);
        imbal_curve_free(roc);
        imbal_curve_free(pr);
        free_input(&x);
    }
    ref_free(in);
    ref_free(t);
}
END_TEST

START_TEST(one_vs_rest_matches_sklearn)
{
    ref_table *in = ref_read(CASES);
    ref_table *t = ref_read(EXPECTED);
    size_t seen = 0;
    for (size_t r = 0; r < in->n_rows; r++) {
        input x = read_input(in, r);
        if (x.k > 2) {
            double *s = malloc(x.n * sizeof(double));
            int *l = malloc(x.n * sizeof(int));
            ck_assert_ptr_nonnull(s);
            ck_assert_ptr_nonnull(l);
            for (size_t c = 0; c < x.k; c++) {
                char prefix[32];
                snprintf(prefix, sizeof(prefix), "ovr%zu_", c);
                ck_assert_int_eq(imbal_curve_ovr(x.score, x.y, x.n, x.k, (int)c, s, l, NULL),
                                 IMBAL_OK);
                check_curves(t, x.name, prefix, s, l, x.n);
                seen++;
            }
            ck_assert_int_eq(imbal_curve_ovr(x.score, x.y, x.n, x.k, (int)x.k, s, l, NULL),
                             IMBAL_EINVAL);
            ck_assert_int_eq(imbal_curve_ovr(x.score, x.y, x.n, x.k, -1, s, l, NULL), IMBAL_EINVAL);
            free(s);
            free(l);
        }
        free_input(&x);
    }
    ck_assert_uint_eq(seen, 3);
    ref_free(in);
    ref_free(t);
}
END_TEST

START_TEST(fold_average_matches_numpy)
{
    ref_table *in = ref_read(CASES);
    ref_table *t = ref_read(EXPECTED);
    size_t seen = 0;
    for (size_t r = 0; r < in->n_rows; r++) {
        input x = read_input(in, r);
        if (x.n_fold == 0) {
            free_input(&x);
            continue;
        }
        vec grid = expected(t, x.name, "grid");
        double mine[64];
        ck_assert_uint_le(grid.n, 64);
        ck_assert_int_eq(imbal_curve_grid(mine, grid.n, NULL), IMBAL_OK);
        assert_vec(mine, grid.n, t, x.name, "grid");
        /* the dropped points lie on the path, so both ROC variants average alike */
        for (int drop = 0; drop <= 1; drop++) {
            imbal_curve_set *s = NULL;
            ck_assert_int_eq(imbal_curve_set_build(IMBAL_CURVE_ROC, x.score, x.y, x.fold, x.n,
                                                   x.n_fold, drop, grid.v, grid.n, &s, NULL),
                             IMBAL_OK);
            ck_assert_uint_eq(s->n_folds, x.n_fold);
            ck_assert_uint_eq(s->avg->n_folds, x.n_fold);
            assert_vec(s->avg->x, s->avg->n_grid, t, x.name, "grid");
            assert_vec(s->avg->mean, s->avg->n_grid, t, x.name, "roc_mean");
            assert_vec(s->avg->sd, s->avg->n_grid, t, x.name, "roc_sd");
            assert_vec(s->pooled->x, s->pooled->n, t, x.name,
                       drop ? "pooled_roc_drop_fpr" : "pooled_roc_full_fpr");
            assert_vec(s->pooled->y, s->pooled->n, t, x.name,
                       drop ? "pooled_roc_drop_tpr" : "pooled_roc_full_tpr");
            imbal_curve_set_free(s);
        }
        imbal_curve_set *s = NULL;
        ck_assert_int_eq(imbal_curve_set_build(IMBAL_CURVE_PR, x.score, x.y, x.fold, x.n, x.n_fold,
                                               1, grid.v, grid.n, &s, NULL),
                         IMBAL_OK);
        assert_vec(s->avg->mean, s->avg->n_grid, t, x.name, "pr_mean");
        assert_vec(s->avg->sd, s->avg->n_grid, t, x.name, "pr_sd");
        assert_vec(s->pooled->y, s->pooled->n, t, x.name, "pooled_pr_precision");
        assert_vec(s->pooled->x, s->pooled->n, t, x.name, "pooled_pr_recall");
        imbal_curve_set_free(s);
        free(grid.v);
        free_input(&x);
        seen++;
    }
    ck_assert_uint_eq(seen, 1);
    ref_free(in);
    ref_free(t);
}
END_TEST

START_TEST(interpolation_by_hand)
{
    /* Fold A: scores 4 3 2 1, labels 1 0 1 0: ROC (0,0) (0,.5) (.5,.5) (.5,1) (1,1).
     * At FPR 0 the path is vertical from 0 to .5: the top, .5. At FPR .25: .5 (flat).
     * At FPR .5: vertical .5 -> 1: 1. At .75: 1.
     * Fold B: scores 2 2 1 1, labels 1 0 0 1: one tie group each, ROC (0,0) (.5,.5) (1,1).
     * FPR 0: 0, .25: .25, .5: .5, .75: .75. Mean: .25 .375 .75 .875; sd of two values
     * a, b is |a - b| / sqrt 2. */
    const double sa[] = {4, 3, 2, 1};
    const int la[] = {1, 0, 1, 0};
    const double sb[] = {2, 2, 1, 1};
    const int lb[] = {1, 0, 0, 1};
    const double grid[] = {0.0, 0.25, 0.5, 0.75};
    const double want_a[] = {0.5, 0.5, 1.0, 1.0};
    const double want_b[] = {0.0, 0.25, 0.5, 0.75};
    imbal_curve *c[2] = {NULL, NULL};
    imbal_curve_avg *avg = NULL;
    double v[4];
    ck_assert_int_eq(imbal_roc_curve(sa, la, 4, 0, &c[0], NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_roc_curve(sb, lb, 4, 0, &c[1], NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_curve_at(c[0], grid, 4, v, NULL), IMBAL_OK);
    for (int g = 0; g < 4; g++) {
        ck_assert_double_eq(v[g], want_a[g]);
    }
    ck_assert_int_eq(imbal_curve_at(c[1], grid, 4, v, NULL), IMBAL_OK);
    for (int g = 0; g < 4; g++) {
        ck_assert_double_eq(v[g], want_b[g]);
    }
    ck_assert_int_eq(imbal_curve_average((const imbal_curve *const *)c, 2, grid, 4, &avg, NULL),
                     IMBAL_OK);
    for (int g = 0; g < 4; g++) {
        ck_assert_double_eq_tol(avg->mean[g], (want_a[g] + want_b[g]) / 2.0, 1e-15);
        ck_assert_double_eq_tol(avg->sd[g], fabs(want_a[g] - want_b[g]) / sqrt(2.0), 1e-15);
    }
    imbal_curve_avg_free(avg);
    imbal_curve_free(c[0]);
    imbal_curve_free(c[1]);

    /* PR of fold A: thresholds 1 2 3 4 give (recall, precision) (1, .5) (1, 2/3) (.5, .5)
     * (.5, 1), then the end point (0, 1). Interpolated precision: r <= .5 -> max over all four
     * = 1; .5 < r <= 1 -> max(.5, 2/3) = 2/3. The end point (0, 1) does not count: with
     * scores 1 2 (labels 1 0) the operating points are (1, .5) at threshold 1 and (0, 0) at
     * threshold 2, so p_interp(0) = max(.5, 0) = .5, not the end point's 1. */
    const double gp[] = {0.0, 0.5, 0.51, 1.0};
    const double want_p[] = {1.0, 1.0, 2.0 / 3.0, 2.0 / 3.0};
    imbal_curve *pr = NULL;
    ck_assert_int_eq(imbal_pr_curve(sa, la, 4, &pr, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_curve_at(pr, gp, 4, v, NULL), IMBAL_OK);
    for (int g = 0; g < 4; g++) {
        ck_assert_double_eq_tol(v[g], want_p[g], 1e-15);
    }
    imbal_curve_free(pr);
    const double s2[] = {1, 2};
    const int l2[] = {1, 0};
    ck_assert_int_eq(imbal_pr_curve(s2, l2, 2, &pr, NULL), IMBAL_OK);
    ck_assert_uint_eq(pr->n, 3);
    ck_assert_double_eq(pr->x[1], 0.0);
    ck_assert_double_eq(pr->y[1], 0.0);
    ck_assert_int_eq(imbal_curve_at(pr, gp, 1, v, NULL), IMBAL_OK);
    ck_assert_double_eq(v[0], 0.5);
    imbal_curve_free(pr);
}
END_TEST

START_TEST(csv_layout)
{
    /* two folds of 4 rows, labelled so both have both classes */
    const double s[] = {0.9, 0.1, 0.8, 0.3, 0.7, 0.7, 0.2, 0.4};
    const int l[] = {1, 0, 0, 1, 1, 0, 0, 1};
    const size_t f[] = {0, 0, 0, 0, 1, 1, 1, 1};
    double grid[5];
    ck_assert_int_eq(imbal_curve_grid(grid, 5, NULL), IMBAL_OK);
    for (int kind = 0; kind < 2; kind++) {
        imbal_curve_set *set = NULL;
        char *text = NULL;
        size_t len = 0;
        ck_assert_int_eq(
            imbal_curve_set_build((imbal_curve_kind)kind, s, l, f, 8, 2, 0, grid, 5, &set, NULL),
            IMBAL_OK);
        ck_assert_int_eq(imbal_curve_set_csv(set, &text, &len, NULL), IMBAL_OK);
        ck_assert_uint_eq(strlen(text), len);
        csv_doc *d = csv_parse(text);
        size_t rows = set->fold[0]->n + set->fold[1]->n + set->pooled->n + 5;
        ck_assert_uint_eq(d->n_rows, rows + 1);
        const char *x = kind == 0 ? "fpr" : "recall";
        const char *y = kind == 0 ? "tpr" : "precision";
        const char *sd = kind == 0 ? "tpr_sd" : "precision_sd";
        size_t ck = csv_col(d, "kind");
        size_t cf = csv_col(d, "fold");
        size_t cx = csv_col(d, x);
        size_t cy = csv_col(d, y);
        size_t cs = csv_col(d, sd);
        size_t ct = csv_col(d, "threshold");
        ck_assert_uint_eq(d->n_fields[0], 6);
        size_t r = 1;
        for (size_t fo = 0; fo < 2; fo++) {
            const imbal_curve *c = set->fold[fo];
            for (size_t k = 0; k < c->n; k++, r++) {
                ck_assert_uint_eq(d->n_fields[r], 6);
                ck_assert_str_eq(d->field[r][ck], "fold");
                ck_assert_uint_eq(strtoul(d->field[r][cf], NULL, 10), fo);
                ck_assert_double_eq(strtod(d->field[r][cx], NULL), c->x[k]);
                ck_assert_double_eq(strtod(d->field[r][cy], NULL), c->y[k]);
                ck_assert_str_eq(d->field[r][cs], "");
                if (k < c->n_thresholds) {
                    ck_assert_double_eq(strtod(d->field[r][ct], NULL), c->threshold[k]);
                } else {
                    ck_assert_str_eq(d->field[r][ct], "");
                }
            }
        }
        for (size_t k = 0; k < set->pooled->n; k++, r++) {
            ck_assert_str_eq(d->field[r][ck], "pooled");
            ck_assert_str_eq(d->field[r][cf], "");
            ck_assert_double_eq(strtod(d->field[r][cy], NULL), set->pooled->y[k]);
        }
        for (size_t g = 0; g < 5; g++, r++) {
            ck_assert_str_eq(d->field[r][ck], "mean");
            ck_assert_str_eq(d->field[r][cf], "");
            ck_assert_str_eq(d->field[r][ct], "");
            ck_assert_double_eq(strtod(d->field[r][cx], NULL), grid[g]);
            ck_assert_double_eq(strtod(d->field[r][cy], NULL), set->avg->mean[g]);
            ck_assert_double_eq(strtod(d->field[r][cs], NULL), set->avg->sd[g]);
        }
        csv_doc_free(d);

        /* the FILE* writer writes the same text */
        const char *path = test_tmp(kind == 0 ? "roc_x.csv" : "pr_x.csv");
        FILE *fp = fopen(path, "w");
        ck_assert_ptr_nonnull(fp);
        ck_assert_int_eq(imbal_curve_set_write_csv(set, fp, NULL), IMBAL_OK);
        ck_assert_int_eq(fclose(fp), 0);
        char *back = slurp(path);
        ck_assert_str_eq(back, text);
        free(back);
        free(text);
        imbal_curve_set_free(set);
    }
}
END_TEST

START_TEST(errors)
{
    const double s[] = {0.9, 0.1, 0.8, 0.3};
    const int l[] = {1, 0, 0, 1};
    const int ones[] = {1, 1, 1, 1};
    const int zeros[] = {0, 0, 0, 0};
    const int bad[] = {1, 2, 0, 1};
    const double nan_s[] = {0.9, NAN, 0.8, 0.3};
    const double inf_s[] = {0.9, INFINITY, 0.8, 0.3};
    imbal_curve *c = (imbal_curve *)&c;
    imbal_error err;

    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_roc_curve(s, ones, 4, 1, &c, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(err.msg, "both classes"));
    ck_assert_int_eq(imbal_roc_curve(s, zeros, 4, 1, &c, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_pr_curve(s, zeros, 4, &c, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_roc_curve(s, bad, 4, 1, &c, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_roc_curve(nan_s, l, 4, 1, &c, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_roc_curve(inf_s, l, 4, 1, &c, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_roc_curve(s, l, 0, 1, &c, NULL), IMBAL_EINVAL);

    /* PR without negatives is defined: precision 1 at every threshold */
    ck_assert_int_eq(imbal_pr_curve(s, ones, 4, &c, NULL), IMBAL_OK);
    for (size_t k = 0; k < c->n; k++) {
        ck_assert_double_eq(c->y[k], 1.0);
    }
    double a = 0.0;
    ck_assert_int_eq(imbal_curve_average_precision(c, &a, NULL), IMBAL_OK);
    ck_assert_double_eq(a, 1.0);
    imbal_curve_free(c);
    ck_assert_int_eq(imbal_roc_curve(s, l, 4, 1, &c, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_curve_average_precision(c, &a, NULL), IMBAL_EINVAL);
    const double bad_grid[] = {0.0, 0.5, 0.5};
    const double out_grid[] = {0.0, 1.5};
    double v[3];
    ck_assert_int_eq(imbal_curve_at(c, bad_grid, 3, v, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_curve_at(c, out_grid, 2, v, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_curve_grid(v, 1, NULL), IMBAL_EINVAL);
    /* a non-monotonic x has no trapezoidal area */
    c->x[1] = 0.9;
    ck_assert_int_eq(imbal_curve_auc(c, &a, NULL), IMBAL_EINVAL);
    imbal_curve_free(c);

    /* fold errors name the fold */
    const size_t f_bad[] = {0, 0, 3, 1};
    const size_t f_one[] = {0, 0, 1, 1}; /* fold 1 holds labels 0, 1: fine; fold 0: 1, 0 */
    const size_t f_cls[] = {0, 1, 0, 1}; /* fold 0 holds labels 1, 0; fold 1: 0, 1 */
    const int l_cls[] = {1, 0, 1, 1};    /* fold 0: 1, 1 -> one class */
    const double grid[] = {0.0, 1.0};
    imbal_curve_set *set = (imbal_curve_set *)&set;
    ck_assert_int_eq(
        imbal_curve_set_build(IMBAL_CURVE_ROC, s, l, f_bad, 4, 2, 1, grid, 2, &set, NULL),
        IMBAL_EINVAL);
    ck_assert_ptr_null(set);
    ck_assert_int_eq(
        imbal_curve_set_build(IMBAL_CURVE_ROC, s, l, f_one, 4, 3, 1, grid, 2, &set, &err),
        IMBAL_EINVAL);
    imbal_error_clear(&err);
    ck_assert_int_eq(
        imbal_curve_set_build(IMBAL_CURVE_ROC, s, l_cls, f_cls, 4, 2, 1, grid, 2, &set, &err),
        IMBAL_EINVAL);
    ck_assert_msg(strncmp(err.msg, "fold 0: ", 8) == 0, "message: %s", err.msg);
    ck_assert_int_eq(
        imbal_curve_set_build(IMBAL_CURVE_ROC, s, l, f_one, 4, 2, 1, grid, 2, &set, NULL),
        IMBAL_OK);
    imbal_curve_set_free(set);
    ck_assert_int_eq(imbal_curve_average(NULL, 0, grid, 2, (imbal_curve_avg **)&c, NULL),
                     IMBAL_EINVAL);
    imbal_curve_free(NULL);
    imbal_curve_avg_free(NULL);
    imbal_curve_set_free(NULL);
}
END_TEST

START_TEST(allocation_failures_return_enomem)
{
    const double s[] = {0.9, 0.1, 0.8, 0.3, 0.7, 0.7, 0.2, 0.4};
    const int l[] = {1, 0, 0, 1, 1, 0, 0, 1};
    const size_t f[] = {0, 0, 0, 0, 1, 1, 1, 1};
    const double grid[] = {0.0, 0.5, 1.0};
    for (int kind = 0; kind < 2; kind++) {
        int ok = 0;
        for (long at = 1; at < 200 && !ok; at++) {
            imbal_curve_set *set = (imbal_curve_set *)&set;
            char *text = NULL;
            imbal_error err;
            imbal_error_clear(&err);
            imbal_alloc_fail_after(at);
            imbal_status st = imbal_curve_set_build((imbal_curve_kind)kind, s, l, f, 8, 2, 1, grid,
                                                    3, &set, &err);
            if (st == IMBAL_OK) {
                st = imbal_curve_set_csv(set, &text, NULL, &err);
            }
            imbal_alloc_fail_after(0);
            if (st == IMBAL_OK) {
                ok = 1;
                ck_assert_msg(at > 5, "allocates almost nothing");
                free(text);
            } else {
                ck_assert_int_eq(st, IMBAL_ENOMEM);
                ck_assert_int_eq(err.status, IMBAL_ENOMEM);
                ck_assert_ptr_null(text);
            }
            imbal_curve_set_free(set);
        }
        ck_assert(ok);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("curves");
    TCase *tc = tcase_create("curves");
    tcase_add_test(tc, curves_match_sklearn);
    tcase_add_test(tc, areas_match_sklearn);
    tcase_add_test(tc, one_vs_rest_matches_sklearn);
    tcase_add_test(tc, fold_average_matches_numpy);
    tcase_add_test(tc, interpolation_by_hand);
    tcase_add_test(tc, csv_layout);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, allocation_failures_return_enomem);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
