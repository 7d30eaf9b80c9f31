/* The knn classifier (src/classifiers/knn.c): scikit-learn 1.2.1's KNeighborsClassifier
 * predict_proba and predict on the published abalone19 hold-out and the imbalanced iris one
 * (tests/reference/<name>_knn_proba.csv, scripts/ref_knn_classifier.py), weights uniform and
 * distance, to 1e-12; a hand case for the tie rule (lower training row) and the zero-distance
 * rule (those neighbours alone vote), whose values scikit-learn gives too; the model's own copy
 * of the training rows; refusal of class weights and of n_neighbors beyond the rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/classifier.h"
#include "multi_fixtures.h"
#include "util.h"

static const multi_case abalone_case = {"abalone19", "datasets/abalone19.csv"};

static imbal_param_values knn_params_alg(const char *k, const char *weights, const char *algorithm)
{
    imbal_param given[3] = {{"n_neighbors", k}, {"weights", weights}, {"algorithm", algorithm}};
    imbal_param_values pv;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_classifier_params_parse(imbal_classifier_find("knn"), given, 3, &pv,
                                                &err) == IMBAL_OK,
                  "%s", err.msg);
    return pv;
}

static imbal_param_values knn_params(const char *k, const char *weights)
{
    return knn_params_alg(k, weights, "auto");
}

static imbal_status knn_fit(const double *x, const int *y, size_t n, size_t d, size_t k,
                            const imbal_param_values *pv, imbal_class_weight_kind cw,
                            imbal_model **m, imbal_error *err)
{
    imbal_train_view v;
    imbal_classifier_settings s;
    memset(&v, 0, sizeof(v));
    memset(&s, 0, sizeof(s));
    v.x = x;
    v.y = y;
    v.n = n;
    v.d = d;
    v.n_classes = k;
    s.params = pv;
    s.class_weight.kind = cw;
    imbal_error_clear(err);
    return imbal_classifier_fit(imbal_classifier_find("knn"), &v, &s, m, err);
}

/* A hold-out: training rows, test rows, class names (the reference's column suffixes). */
typedef struct {
    size_t n_train, n_test, d, k;
    double *x_train, *x_test;
    int *y_train;
    char *const *class_names;
} knn_case;

/* What a comparison with a reference found. */
typedef struct {
    double worst;   /* largest |difference| over every probability */
    size_t ties;    /* test rows with a tie at the 5th neighbour */
    size_t differs; /* test rows whose shares are not the reference's (beyond 1e-12) */
} knn_cmp;

/* Fits knn (n_neighbors 5) on a copy of the training rows that is scribbled over and freed
 * before predicting (the model owns its rows), and compares its probabilities on the test
 * rows with ref's rows for weights: columns p_<class> (scikit-learn's) or, with
 * lowest_rule, q_<class> (the five nearest with ties to the lower row). Asserts the
 * predicted class (argmax, lowest class on ties) against scikit-learn's where compared with
 * p_ and the shares agree. */
static knn_cmp compare(const knn_case *kc, const char *ref_path, const char *weights,
                       const char *algorithm, const char *want_method, int lowest_rule)
{
    size_t k = kc->k;
    size_t d = kc->d;
    size_t n = kc->n_test;
    ref_table *ref = ref_read(ref_path);
    imbal_param_values pv = knn_params_alg("5", weights, algorithm);
    double *xcopy = malloc(kc->n_train * d * sizeof(double));
    int *ycopy = malloc(kc->n_train * sizeof(int));
    double *proba = malloc(n * k * sizeof(double));
    double *rank = malloc(n * k * sizeof(double));
    imbal_model *m = NULL;
    imbal_error err;
    knn_cmp out = {0.0, 0, 0};
    size_t seen = 0;
    ck_assert(xcopy && ycopy && proba && rank);
    memcpy(xcopy, kc->x_train, kc->n_train * d * sizeof(double));
    memcpy(ycopy, kc->y_train, kc->n_train * sizeof(int));
    ck_assert_msg(knn_fit(xcopy, ycopy, kc->n_train, d, k, &pv, IMBAL_CW_NONE, &m, &err) ==
                      IMBAL_OK,
                  "%s", err.msg);
    for (size_t q = 0; q < kc->n_train * d; q++) {
        xcopy[q] = 1e300;
    }
    for (size_t i = 0; i < kc->n_train; i++) {
        ycopy[i] = -1;
    }
    free(xcopy);
    free(ycopy);
    ck_assert_uint_eq(m->k, k);
    ck_assert_uint_eq(m->n_blocks, 0);
    ck_assert_int_eq(m->fit, IMBAL_FIT_CONVERGED);
    ck_assert_str_eq(m->method, want_method);
    ck_assert_int_eq(imbal_model_predict(m, kc->x_test, n, proba, rank, &err), IMBAL_OK);
    ck_assert(memcmp(proba, rank, n * k * sizeof(double)) == 0); /* rank = the shares */
    for (size_t r = 0; r < ref->n_rows; r++) {
        size_t i;
        size_t best = 0;
        int off = 0;
        if (strcmp(ref_str(ref, r, "weights"), weights) != 0) {
            continue;
        }
        i = (size_t)ref_num(ref, r, "position");
        ck_assert_uint_lt(i, n);
        out.ties += ref_num(ref, r, "boundary_tie") == 1.0;
        for (size_t c = 0; c < k; c++) {
            char col[80];
            double got = proba[i * k + c];
            double diff;
            snprintf(col, sizeof(col), "%s_%s", lowest_rule ? "q" : "p", kc->class_names[c]);
            diff = fabs(got - ref_num(ref, r, col));
            out.worst = diff > out.worst ? diff : out.worst;
            off |= diff > 1e-12;
            best = got > proba[i * k + best] ? c : best; /* argmax, lowest class on ties */
        }
        out.differs += off;
        if (!lowest_rule && !off) {
            ck_assert_str_eq(kc->class_names[best], ref_str(ref, r, "predicted"));
        }
        seen++;
    }
    ck_assert_uint_eq(seen, n);
    ref_free(ref);
    free(proba);
    free(rank);
    imbal_model_free(m);
    return out;
}

static knn_case holdout_case(const multi_holdout *h)
{
    knn_case kc;
    kc.n_train = h->n_train;
    kc.n_test = h->n_test;
    kc.d = h->ds->d;
    kc.k = h->ds->n_classes;
    kc.x_train = h->x_train;
    kc.x_test = h->x_test;
    kc.y_train = h->y_train;
    kc.class_names = h->ds->class_names;
    return kc;
}

/* The published splits: no test row has a tie at the 5th neighbour, so scikit-learn's
 * shares are also those of the lower-row rule, and both algorithms give them. */
static void published(const multi_case *mc, const char *weights)
{
    static const char *const algorithms[3] = {"auto", "kd_tree", "brute"};
    static const char *const methods[3] = {"kd_tree", "kd_tree", "brute"};
    multi_holdout h = multi_load(mc);
    knn_case kc = holdout_case(&h);
    char path[256];
    snprintf(path, sizeof(path), "tests/reference/%s_knn_proba.csv", mc->name);
    for (size_t a = 0; a < 3; a++) {
        knn_cmp c = compare(&kc, path, weights, algorithms[a], methods[a], 0);
        ck_assert_uint_eq(c.ties, 0);
        ck_assert_uint_eq(c.differs, 0);
        /* uniform: c / 5, exactly rounded on both sides; distance: measured 0 as well (the
         * same distances, weights and sums), 1e-12 asserted */
        if (strcmp(weights, "uniform") == 0) {
            ck_assert_msg(c.worst == 0.0, "%s %s: %g", weights, algorithms[a], c.worst);
        }
        ck_assert_msg(c.worst <= 1e-12, "%s %s: %g", weights, algorithms[a], c.worst);
    }
    multi_holdout_free(&h);
}

START_TEST(abalone_uniform) { published(&abalone_case, "uniform"); }
END_TEST

START_TEST(abalone_distance) { published(&abalone_case, "distance"); }
END_TEST

START_TEST(iris_uniform) { published(&multi_cases[0], "uniform"); }
END_TEST

START_TEST(iris_distance) { published(&multi_cases[0], "distance"); }
END_TEST

/* Without ties at the 5th neighbour both algorithms find the same rows at the same
 * distances and add the weights nearest first: the same bits (abalone19, distance). */
START_TEST(kd_tree_equals_brute_bits)
{
    multi_holdout h = multi_load(&abalone_case);
    size_t k = h.ds->n_classes;
    double *p[2];
    for (int a = 0; a < 2; a++) {
        imbal_param_values pv = knn_params_alg("5", "distance", a == 0 ? "kd_tree" : "brute");
        imbal_model *m = NULL;
        imbal_error err;
        p[a] = malloc(h.n_test * k * sizeof(double));
        ck_assert_ptr_nonnull(p[a]);
        ck_assert_int_eq(
            knn_fit(h.x_train, h.y_train, h.n_train, h.ds->d, k, &pv, IMBAL_CW_NONE, &m, &err),
            IMBAL_OK);
        ck_assert_int_eq(imbal_model_predict(m, h.x_test, h.n_test, p[a], NULL, &err), IMBAL_OK);
        imbal_model_free(m);
    }
    ck_assert(memcmp(p[0], p[1], h.n_test * k * sizeof(double)) == 0);
    free(p[0]);
    free(p[1]);
    multi_holdout_free(&h);
}
END_TEST

/* grid_ties (tests/reference/grid_ties_knn_data.csv): integer points, ties everywhere. */
static void grid_case(knn_case *kc, ref_table **keep)
{
    static char *const names[3] = {"c0", "c1", "c2"};
    ref_table *t = ref_read("tests/reference/grid_ties_knn_data.csv");
    memset(kc, 0, sizeof(*kc));
    kc->d = 3;
    kc->k = 3;
    kc->class_names = names;
    kc->x_train = malloc(t->n_rows * 3 * sizeof(double));
    kc->x_test = malloc(t->n_rows * 3 * sizeof(double));
    kc->y_train = malloc(t->n_rows * sizeof(int));
    ck_assert(kc->x_train && kc->x_test && kc->y_train);
    for (size_t r = 0; r < t->n_rows; r++) {
        int train = strcmp(ref_str(t, r, "set"), "train") == 0;
        double *row = train ? kc->x_train + kc->n_train * 3 : kc->x_test + kc->n_test * 3;
        row[0] = ref_num(t, r, "x0");
        row[1] = ref_num(t, r, "x1");
        row[2] = ref_num(t, r, "x2");
        if (train) {
            const char *lab = ref_str(t, r, "label");
            ck_assert(lab[0] == 'c' && lab[1] >= '0' && lab[1] <= '2' && lab[2] == '\0');
            kc->y_train[kc->n_train++] = lab[1] - '0';
        } else {
            kc->n_test++;
        }
    }
    ck_assert_uint_eq(kc->n_train, 600);
    ck_assert_uint_eq(kc->n_test, 300);
    *keep = t;
}

/* kd_tree (auto's choice here) keeps the rows scikit-learn's KD-tree keeps: every share
 * equal, though 279 of the 300 test rows have a tie at the 5th neighbour and on 252 its
 * neighbours are not the lower rows; brute keeps the lower rows (the q_ columns), which
 * changes the shares of 199 rows (uniform) and 25 (distance: most test points coincide
 * with training rows, and those alone vote). */
static void grid(const char *weights, size_t n_changed)
{
    static const char *const path = "tests/reference/grid_ties_knn_proba.csv";
    knn_case kc;
    ref_table *t;
    knn_cmp c;
    grid_case(&kc, &t);
    c = compare(&kc, path, weights, "auto", "kd_tree", 0);
    ck_assert_uint_eq(c.ties, 279);
    ck_assert_msg(c.differs == 0 && c.worst <= 1e-12, "kd_tree: %zu rows differ, worst %g",
                  c.differs, c.worst);
    c = compare(&kc, path, weights, "brute", "brute", 1);
    ck_assert_msg(c.differs == 0 && c.worst <= 1e-12, "brute: %zu rows differ, worst %g", c.differs,
                  c.worst);
    /* and the two rules do differ: brute against scikit-learn's shares */
    c = compare(&kc, path, weights, "brute", "brute", 0);
    ck_assert_uint_eq(c.differs, n_changed);
    ref_free(t);
    free(kc.x_train);
    free(kc.x_test);
    free(kc.y_train);
}

START_TEST(grid_ties_uniform) { grid("uniform", 199); }
END_TEST

START_TEST(grid_ties_distance) { grid("distance", 25); }
END_TEST

/* n_neighbors = all 600 rows of grid_ties: every row votes, so uniform gives each test row
 * the training class counts / 600 and distance the sums of 1 / d by class (computed here, by
 * brute force; a test row on a training row: those at distance 0 alone, with weight 1).
 * 300 test rows in blocks of 109 (predict's 2^16 neighbour entries), both algorithms (kd_tree
 * forced: auto is brute, as n_neighbors >= n // 2). */
START_TEST(all_rows_vote)
{
    static const char *const algorithms[2] = {"kd_tree", "brute"};
    knn_case kc;
    ref_table *t;
    double count[3] = {0, 0, 0};
    double *proba;
    grid_case(&kc, &t);
    proba = malloc(kc.n_test * 3 * sizeof(double));
    ck_assert_ptr_nonnull(proba);
    for (size_t i = 0; i < kc.n_train; i++) {
        count[kc.y_train[i]] += 1.0;
    }
    for (size_t a = 0; a < 2; a++) {
        for (int w = 0; w < 2; w++) {
            imbal_param_values pv =
                knn_params_alg("600", w == 0 ? "uniform" : "distance", algorithms[a]);
            imbal_model *m = NULL;
            imbal_error err;
            ck_assert_int_eq(
                knn_fit(kc.x_train, kc.y_train, 600, 3, 3, &pv, IMBAL_CW_NONE, &m, &err), IMBAL_OK);
            ck_assert_str_eq(m->method, algorithms[a]);
            ck_assert_int_eq(imbal_model_predict(m, kc.x_test, kc.n_test, proba, NULL, &err),
                             IMBAL_OK);
            for (size_t i = 0; i < kc.n_test; i++) {
                double want[3] = {0, 0, 0};
                double zero[3] = {0, 0, 0};
                double total = 0.0;
                int any_zero = 0;
                const double *q = kc.x_test + i * 3;
                for (size_t r = 0; r < kc.n_train; r++) {
                    const double *x = kc.x_train + r * 3;
                    double d2 = (q[0] - x[0]) * (q[0] - x[0]) + (q[1] - x[1]) * (q[1] - x[1]) +
                                (q[2] - x[2]) * (q[2] - x[2]);
                    if (d2 == 0.0) { /* integer points: exact */
                        zero[kc.y_train[r]] += 1.0;
                        any_zero = 1;
                    } else {
                        want[kc.y_train[r]] += 1.0 / sqrt(d2);
                    }
                }
                for (size_t c = 0; c < 3; c++) {
                    want[c] = w == 0 ? count[c] : any_zero ? zero[c] : want[c];
                    total += want[c];
                }
                for (size_t c = 0; c < 3; c++) {
                    double got = proba[i * 3 + c];
                    if (w == 0) {
                        ck_assert_msg(got == want[c] / 600.0, "uniform row %zu: %.17g", i, got);
                    } else {
                        ck_assert_msg(fabs(got - want[c] / total) <= 1e-12,
                                      "%s distance row %zu class %zu: %.17g, want %.17g",
                                      algorithms[a], i, c, got, want[c] / total);
                    }
                }
            }
            imbal_model_free(m);
        }
    }
    free(proba);
    ref_free(t);
    free(kc.x_train);
    free(kc.x_test);
    free(kc.y_train);
}
END_TEST

/* Six rows on a line, n_neighbors 3. Distances from each query (training x 0 2 2 4 5 7,
 * labels 0 1 0 1 1 0):
 *   1.0: 1 1 1 3 4 6     rows 0 1 2            uniform 2/3 1/3, distance (all 1) the same
 *   3.0: 3 1 1 1 2 4     rows 1 2 3            uniform 1/3 2/3, distance the same
 *   2.0: 2 0 0 2 3 5     rows 1 2, then row 0 or 3 at 2 (tie: the lower, row 0)
 *                        uniform 2/3 1/3; distance: rows 1 and 2 at 0 alone vote: 1/2 1/2
 *   6.0: 6 4 4 2 1 1     rows 4 5 3            uniform 1/3 2/3; distance 1 + 0 / 1 + 1 + 0.5:
 *                        class 0: 1 / 2.5 = 0.4, class 1: 1.5 / 2.5 = 0.6
 *   4.5: 4.5 2.5 2.5 0.5 0.5 2.5  rows 3 4, then 1, 2 or 5 at 2.5 (tie: row 1, class 1)
 *                        uniform 0 1; distance 0 1
 * scikit-learn 1.2.1 (brute and kd_tree) returns these very shares. Predicted: 0 1 0 1 1
 * (query 2.0 under distance: 1/2 1/2, the lower class). */
START_TEST(hand_ties_and_zero_distance)
{
    static const double x[6] = {0, 2, 2, 4, 5, 7};
    static const int y[6] = {0, 1, 0, 1, 1, 0};
    static const double q[5] = {1.0, 3.0, 2.0, 6.0, 4.5};
    static const double want_u[10] = {2.0 / 3, 1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3,
                                      1.0 / 3, 1.0 / 3, 2.0 / 3, 0.0,     1.0};
    static const double want_d[10] = {2.0 / 3, 1.0 / 3, 1.0 / 3, 2.0 / 3, 0.5,
                                      0.5,     0.4,     0.6,     0.0,     1.0};
    for (int w = 0; w < 2; w++) {
        imbal_param_values pv = knn_params("3", w == 0 ? "uniform" : "distance");
        const double *want = w == 0 ? want_u : want_d;
        imbal_model *m = NULL;
        imbal_error err;
        double proba[10];
        ck_assert_int_eq(knn_fit(x, y, 6, 1, 2, &pv, IMBAL_CW_NONE, &m, &err), IMBAL_OK);
        ck_assert_int_eq(imbal_model_predict(m, q, 5, proba, NULL, &err), IMBAL_OK);
        for (size_t i = 0; i < 10; i++) {
            ck_assert_msg(fabs(proba[i] - want[i]) <= 1e-15, "%s entry %zu: %.17g, want %.17g",
                          w == 0 ? "uniform" : "distance", i, proba[i], want[i]);
        }
        /* n = 0: nothing to do */
        ck_assert_int_eq(imbal_model_predict(m, q, 0, proba, proba, &err), IMBAL_OK);
        imbal_model_free(m);
    }
}
END_TEST

/* Three classes, one a class without rows in between: columns stay in class order and an
 * absent class gets 0. x 0 1 10 11 12, labels 0 0 2 2 2 (class 1 empty), n_neighbors 2:
 * query 0.4 -> rows 0 1 (1 0 0); query 10.6 -> rows 3 2 (0 0 1). */
START_TEST(absent_class_column)
{
    static const double x[5] = {0, 1, 10, 11, 12};
    static const int y[5] = {0, 0, 2, 2, 2};
    static const double q[2] = {0.4, 10.6};
    static const double want[6] = {1, 0, 0, 0, 0, 1};
    imbal_param_values pv = knn_params("2", "distance");
    imbal_model *m = NULL;
    imbal_error err;
    double proba[6];
    ck_assert_int_eq(knn_fit(x, y, 5, 1, 3, &pv, IMBAL_CW_NONE, &m, &err), IMBAL_OK);
    ck_assert_int_eq(imbal_model_predict(m, q, 2, proba, NULL, &err), IMBAL_OK);
    ck_assert(memcmp(proba, want, sizeof(want)) == 0);
    imbal_model_free(m);
}
END_TEST

START_TEST(refuses_class_weight)
{
    static const double x[4] = {0, 1, 2, 3};
    static const int y[4] = {0, 0, 1, 1};
    imbal_param_values pv = knn_params("3", "uniform");
    imbal_model *m = (imbal_model *)&pv;
    imbal_error err;
    ck_assert_int_eq(knn_fit(x, y, 4, 1, 2, &pv, IMBAL_CW_BALANCED, &m, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.key, "class_weight");
    ck_assert_ptr_nonnull(strstr(err.msg, "knn takes no class_weight"));
    m = (imbal_model *)&pv;
    ck_assert_int_eq(knn_fit(x, y, 4, 1, 2, &pv, IMBAL_CW_EXPLICIT, &m, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.key, "class_weight");
}
END_TEST

START_TEST(n_neighbors_beyond_rows)
{
    static const double x[4] = {0, 1, 2, 3};
    static const int y[4] = {0, 0, 1, 1};
    const imbal_classifier *c = imbal_classifier_find("knn");
    imbal_param_values pv = knn_params("5", "uniform");
    imbal_model *m = (imbal_model *)&pv;
    imbal_error err;
    size_t counts[2] = {2, 2};
    ck_assert_int_eq(knn_fit(x, y, 4, 1, 2, &pv, IMBAL_CW_NONE, &m, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.key, "n_neighbors");
    ck_assert_str_eq(err.msg, "knn: n_neighbors = 5 needs 5 training rows; there are 4");
    /* the feasibility check says the same from the counts alone */
    ck_assert(c->check != NULL);
    imbal_error_clear(&err);
    ck_assert_int_eq(c->check(&pv, counts, 2, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "n_neighbors");
    ck_assert_str_eq(err.msg, "knn: n_neighbors = 5 needs 5 training rows; there are 4");
    counts[1] = 3;
    ck_assert_int_eq(c->check(&pv, counts, 2, NULL), IMBAL_OK);
    /* n_neighbors = n: every row votes */
    pv = knn_params("4", "uniform");
    ck_assert_int_eq(knn_fit(x, y, 4, 1, 2, &pv, IMBAL_CW_NONE, &m, &err), IMBAL_OK);
    {
        double proba[2];
        ck_assert_int_eq(imbal_model_predict(m, x, 1, proba, NULL, &err), IMBAL_OK);
        ck_assert(proba[0] == 0.5 && proba[1] == 0.5);
    }
    imbal_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("classifier_knn");
    TCase *par = tcase_create("parity");
    TCase *hand = tcase_create("hand");
    tcase_set_timeout(par, 60);
    tcase_add_test(par, abalone_uniform);
    tcase_add_test(par, abalone_distance);
    tcase_add_test(par, iris_uniform);
    tcase_add_test(par, iris_distance);
    tcase_add_test(par, grid_ties_uniform);
    tcase_add_test(par, grid_ties_distance);
    tcase_add_test(par, all_rows_vote);
    tcase_add_test(par, kd_tree_equals_brute_bits);
    tcase_add_test(hand, hand_ties_and_zero_distance);
    tcase_add_test(hand, absent_class_column);
    tcase_add_test(hand, refuses_class_weight);
    tcase_add_test(hand, n_neighbors_beyond_rows);
    suite_add_tcase(s, par);
    suite_add_tcase(s, hand);
    return run_suite(s);
}
