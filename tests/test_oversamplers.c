/* adasyn and borderline_smote: parity with imbalanced-learn 0.10 on the published abalone19
 * training fold under a numpy generator seeded 888 (tests/reference/
 * abalone19_oversamplers_888.csv: class counts, the first 200 synthetic rows, column sums of
 * all synthetic rows, to 1e-12 relative), and, with imbal's own generator, properties checked
 * against a brute-force computation made here: every synthetic row on a segment from a
 * (danger) row to one of its k nearest same-class rows, ADASYN's per-row counts
 * rint(ratio_i / sum ratio * n_samples) of its hardness ratio, and the feasibility checks. */
#include "imbal/runner.h"
#include "imbal/spec.h"
#include "sampler_fixtures.h"
#include "samplers/samplers.h"

static const char *const cols[ABALONE_D] = {"Length",       "Diameter",       "Height",
                                            "Whole_weight", "Shucked_weight", "Viscera_weight",
                                            "Shell_weight", "Sex_I",          "Sex_M"};

/* counts_after, row0..row199 and the column sums of technique in the reference; returns the
 * largest relative difference. */
static double assert_oversampler(const char *technique, const imbal_resampled *r, size_t n_orig)
{
    ref_table *t = ref_read("tests/reference/abalone19_oversamplers_888.csv");
    double worst = 0.0;
    size_t rows = 0;
    int have_sums = 0;
    int have_counts = 0;
    size_t count[2] = {0, 0};
    for (size_t i = 0; i < r->n; i++) {
        count[r->y[i]]++;
    }
    for (size_t row = 0; row < t->n_rows; row++) {
        const char *what = ref_str(t, row, "what");
        const double *got;
        double sum[ABALONE_D];
        if (strcmp(ref_str(t, row, "technique"), technique) != 0) {
            continue;
        }
        if (strcmp(what, "counts_after") == 0) {
            char want[64];
            char have[64];
            snprintf(want, sizeof(want), "%s", ref_str(t, row, "Length"));
            snprintf(have, sizeof(have), "%zu;%zu", count[0], count[1]);
            ck_assert_str_eq(have, want);
            have_counts = 1;
            continue;
        }
        if (strncmp(what, "row", 3) == 0) {
            size_t k = (size_t)strtoul(what + 3, NULL, 10);
            ck_assert_uint_eq(k, rows);
            got = r->x + (n_orig + k) * ABALONE_D;
            ck_assert_uint_eq(r->source[n_orig + k], IMBAL_SYNTHETIC);
            ck_assert_int_eq(r->y[n_orig + k], 1);
            rows++;
        } else {
            char name[64];
            snprintf(name, sizeof(name), "column_sum_all_%zu", r->n - n_orig);
            ck_assert_str_eq(what, name);
            for (size_t j = 0; j < ABALONE_D; j++) {
                sum[j] = 0.0;
                for (size_t i = n_orig; i < r->n; i++) {
                    sum[j] += r->x[i * ABALONE_D + j];
                }
            }
            got = sum;
            have_sums = 1;
        }
        for (size_t j = 0; j < ABALONE_D; j++) {
            double e = rel_diff(got[j], ref_num(t, row, cols[j]));
            ck_assert_msg(e <= 1e-12, "%s %s %s: got %.17g want %.17g", technique, what, cols[j],
                          got[j], ref_num(t, row, cols[j]));
            worst = e > worst ? e : worst;
        }
    }
    ck_assert_uint_eq(rows, 200);
    ck_assert(have_sums);
    ck_assert(have_counts);
    ref_free(t);
    return worst;
}

static void replay(const char *technique, const char *params, const char *ref_name)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_resampled *r = run888(technique, &v, params);
    double worst = assert_oversampler(ref_name, r, f.n);
    assert_copies_are_exact(r, &v);
    ck_assert(worst <= 1e-12);
    imbal_resampled_free(r);
    free_fold(&f);
}

START_TEST(adasyn_replays_imblearn_on_abalone19) { replay("adasyn", NULL, "adasyn"); }
END_TEST

START_TEST(borderline_1_replays_imblearn_on_abalone19)
{
    replay("borderline_smote", NULL, "borderline_smote_1");
}
END_TEST

START_TEST(borderline_2_replays_imblearn_on_abalone19)
{
    replay("borderline_smote", "kind=borderline-2", "borderline_smote_2");
}
END_TEST

#ifdef IMBAL_HAVE_LIBSVM
START_TEST(svm_smote_replays_imblearn_on_abalone19) { replay("svm_smote", NULL, "svm_smote"); }
END_TEST
#else
/* built without libsvm: svm_smote is listed, and check and run refuse it, saying how */
START_TEST(svm_smote_without_libsvm_says_how_to_install_it)
{
    const imbal_technique *t = imbal_technique_find("svm_smote");
    imbal_param_values p;
    imbal_error err = {0};
    size_t counts[2] = {3313, 26};
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(imbal_params_parse(t, NULL, 0, NULL, 0, &p, &err), IMBAL_OK);
    ck_assert_int_eq(imbal_resample_check(t, &p, counts, 2, &err), IMBAL_EUNSUP);
    ck_assert_msg(strstr(err.msg, "libsvm-dev") != NULL, "%s", err.msg);
}
END_TEST
#endif

/* imblearn's KMeansSMOTE(random_state=888) raises "No clusters found with sufficient samples
 * of class 1. Try lowering the cluster_balance_threshold or increasing the number of
 * clusters." on this fold (abalone19_compat_all_888.csv); imbal refuses it too. */
START_TEST(kmeans_smote_refuses_abalone19_as_imblearn)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    const imbal_technique *t = imbal_technique_find("kmeans_smote");
    imbal_param_values p;
    imbal_error err = {0};
    imbal_resampled *r = NULL;
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 888);
    ref_table *ref = ref_read("tests/reference/abalone19_compat_all_888.csv");
    int seen = 0;
    for (size_t i = 0; i < ref->n_rows; i++) {
        if (strcmp(ref_str(ref, i, "technique"), "kmeans_smote") == 0) {
            ck_assert_str_eq(ref_str(ref, i, "status"), "error");
            seen = 1;
        }
    }
    ck_assert(seen);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(imbal_params_parse(t, NULL, 0, NULL, 0, &p, &err), IMBAL_OK);
    ck_assert_int_eq(imbal_resample(t, &v, &p, rng, &r, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(err.key, "cluster_balance_threshold");
    ck_assert_msg(strstr(err.msg, "lower cluster_balance_threshold or raise n_clusters") != NULL,
                  "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "class 1") != NULL, "%s", err.msg);
    ref_free(ref);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

/* ---- brute-force references ---- */

static double sqdist(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t j = 0; j < d; j++) {
        s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return s;
}

/* The k nearest of rows cand[0 .. nc) to row q (q itself excluded), by selection, into nn. */
static void nearest(const fold *f, size_t q, const size_t *cand, size_t nc, size_t k, size_t *nn)
{
    unsigned char *used = calloc(nc, 1);
    ck_assert_ptr_nonnull(used);
    for (size_t t = 0; t < k; t++) {
        size_t best = nc;
        for (size_t b = 0; b < nc; b++) {
            if (used[b] || cand[b] == q) {
                continue;
            }
            if (best == nc ||
                sqdist(f->x + q * ABALONE_D, f->x + cand[b] * ABALONE_D, ABALONE_D) <
                    sqdist(f->x + q * ABALONE_D, f->x + cand[best] * ABALONE_D, ABALONE_D)) {
                best = b;
            }
        }
        used[best] = 1;
        nn[t] = cand[best];
    }
    free(used);
}

static int on_segment(const double *p, const double *a, const double *b, size_t d, double tol)
{
    size_t jmax = 0;
    double t;
    for (size_t j = 1; j < d; j++) {
        if (fabs(b[j] - a[j]) > fabs(b[jmax] - a[jmax])) {
            jmax = j;
        }
    }
    t = b[jmax] == a[jmax] ? 0.0 : (p[jmax] - a[jmax]) / (b[jmax] - a[jmax]);
    if (t < -tol || t > 1.0 + tol) {
        return 0;
    }
    for (size_t j = 0; j < d; j++) {
        if (fabs(a[j] + t * (b[j] - a[j]) - p[j]) > tol) {
            return 0;
        }
    }
    return 1;
}

typedef struct {
    size_t pos[26];
    size_t nn[26][5]; /* 5 nearest positives */
    size_t other[26]; /* negatives among the 5 (adasyn) */
    int danger[26];   /* borderline, m = 10 */
} abalone_nbrs;

static abalone_nbrs neighbours_of(const fold *f)
{
    abalone_nbrs a;
    size_t m = 0;
    size_t *all = malloc(f->n * sizeof(*all));
    ck_assert_ptr_nonnull(all);
    for (size_t i = 0; i < f->n; i++) {
        all[i] = i;
        if (f->y[i] == 1) {
            a.pos[m++] = i;
        }
    }
    ck_assert_uint_eq(m, 26);
    for (size_t i = 0; i < 26; i++) {
        size_t nn10[10];
        size_t maj = 0;
        nearest(f, a.pos[i], a.pos, 26, 5, a.nn[i]);
        nearest(f, a.pos[i], all, f->n, 10, nn10);
        a.other[i] = 0;
        for (size_t j = 0; j < 10; j++) {
            maj += f->y[nn10[j]] != 1;
            a.other[i] += j < 5 && f->y[nn10[j]] != 1;
        }
        a.danger[i] = maj >= 5 && maj < 10;
    }
    free(all);
    return a;
}

START_TEST(adasyn_rows_follow_the_hardness_ratio)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 99);
    imbal_resampled *r = run("adasyn", &v, NULL, rng);
    abalone_nbrs a = neighbours_of(&f);
    size_t total = 0;
    size_t at = f.n;
    double sum = 0.0;
    for (size_t i = 0; i < 26; i++) {
        sum += (double)a.other[i] / 5.0;
    }
    /* imblearn emits the rows of each positive together, in class order: the block of
     * positive i is rint(ratio_i / sum ratio * 3287) rows long, each on a segment from it to
     * one of its 5 nearest positives */
    for (size_t i = 0; i < 26; i++) {
        size_t want = (size_t)nearbyint((double)a.other[i] / 5.0 / sum * 3287.0);
        for (size_t g = 0; g < want; g++, at++) {
            int found = 0;
            ck_assert_uint_lt(at, r->n);
            for (size_t q = 0; q < 5 && !found; q++) {
                found = on_segment(r->x + at * ABALONE_D, f.x + a.pos[i] * ABALONE_D,
                                   f.x + a.nn[i][q] * ABALONE_D, ABALONE_D, 1e-12);
            }
            ck_assert_msg(found,
                          "adasyn row %zu (number %zu of positive %zu, ratio %zu/5) is "
                          "on none of its segments",
                          at, g, i, a.other[i]);
        }
        total += want;
    }
    ck_assert_uint_eq(r->n - f.n, total);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

START_TEST(borderline_rows_start_at_danger_rows)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 5);
    imbal_resampled *r = run("borderline_smote", &v, NULL, rng);
    abalone_nbrs a = neighbours_of(&f);
    size_t n_danger = 0;
    size_t hit[26] = {0};
    for (size_t i = 0; i < 26; i++) {
        n_danger += (size_t)a.danger[i];
    }
    ck_assert_uint_gt(n_danger, 0);
    ck_assert_uint_lt(n_danger, 26);
    ck_assert_uint_eq(r->n, 6626);
    for (size_t i = f.n; i < r->n; i++) {
        const double *p = r->x + i * ABALONE_D;
        int found = 0;
        for (size_t b = 0; b < 26 && !found; b++) {
            if (!a.danger[b]) {
                continue;
            }
            for (size_t q = 0; q < 5 && !found; q++) {
                found = on_segment(p, f.x + a.pos[b] * ABALONE_D, f.x + a.nn[b][q] * ABALONE_D,
                                   ABALONE_D, 1e-12);
                hit[b] += (size_t)found;
            }
        }
        ck_assert_msg(found, "borderline row %zu starts at no danger row", i);
    }
    /* 3287 draws over the danger rows: each is drawn */
    for (size_t b = 0; b < 26; b++) {
        ck_assert(a.danger[b] ? hit[b] > 0 : hit[b] == 0);
    }
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

/* With a threshold every cluster holding 3 positives passes: each new row is on a segment
 * between two positives (a row and one of its 2 nearest positives in its cluster), and the
 * clusters' ceil(n_samples * weight) add up to at least the 3287 asked for. */
START_TEST(kmeans_smote_rows_lie_between_positives)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 3);
    imbal_resampled *r =
        run("kmeans_smote", &v, "cluster_balance_threshold=0.0001;n_clusters=3", rng);
    abalone_nbrs a = neighbours_of(&f);
    ck_assert_uint_ge(r->n - f.n, 3287);
    ck_assert_uint_le(r->n - f.n, 3287 + 3);
    for (size_t i = f.n; i < r->n; i++) {
        int found = 0;
        ck_assert_int_eq(r->y[i], 1);
        for (size_t p = 0; p < 26 && !found; p++) {
            for (size_t q = 0; q < 26 && !found; q++) {
                found = on_segment(r->x + i * ABALONE_D, f.x + a.pos[p] * ABALONE_D,
                                   f.x + a.pos[q] * ABALONE_D, ABALONE_D, 1e-12);
            }
        }
        ck_assert_msg(found, "kmeans_smote row %zu is between no two positives", i);
    }
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

/* Feasibility: a neighbour count larger than the class allows is refused by check and run with
 * the parameter as key, the class and its size in the message. */
static void assert_refused(const char *name, const char *pname, const char *pvalue,
                           const char *want)
{
    const imbal_technique *t = imbal_technique_find(name);
    imbal_param given[1] = {{pname, pvalue}};
    imbal_param_values p;
    imbal_error err = {0};
    size_t counts[2] = {3313, 26};
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_resampled *r = NULL;
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 1);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(imbal_params_parse(t, given, 1, NULL, 0, &p, &err), IMBAL_OK);
    ck_assert_int_eq(imbal_resample_check(t, &p, counts, 2, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, pname);
    ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_resample(t, &v, &p, rng, &r, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(err.key, pname);
    ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
    /* one less fits */
    {
        char ok[32];
        snprintf(ok, sizeof(ok), "%ld", strtol(pvalue, NULL, 10) - 1);
        given[0].value = ok;
        ck_assert_int_eq(imbal_params_parse(t, given, 1, NULL, 0, &p, &err), IMBAL_OK);
        ck_assert_int_eq(imbal_resample_check(t, &p, counts, 2, &err), IMBAL_OK);
    }
    imbal_rng_free(rng);
    free_fold(&f);
}

START_TEST(neighbour_counts_beyond_a_class_are_refused)
{
    assert_refused("adasyn", "n_neighbors", "26",
                   "needs at least 27 rows of class 1, which has 26");
    assert_refused("borderline_smote", "k_neighbors", "26",
                   "needs at least 27 rows of class 1, which has 26");
    assert_refused("kmeans_smote", "k_neighbors", "26",
                   "needs at least 27 rows of class 1, which has 26");
    assert_refused("borderline_smote", "m_neighbors", "3339", "needs at least 3340 rows");
#ifdef IMBAL_HAVE_LIBSVM
    assert_refused("svm_smote", "k_neighbors", "26",
                   "needs at least 27 rows of class 1, which has 26");
    assert_refused("svm_smote", "m_neighbors", "3339", "needs at least 3340 rows");
#endif
}
END_TEST

START_TEST(numpy_beta_matches_randomstate)
{
    /* python3 -c "import numpy as np; r=np.random.RandomState(888); print(repr(r.beta(10,10)),
     * repr(r.beta(10,10)))" */
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 888);
    double a = imbal_rng_beta_gt1(rng, 10, 10);
    double b = imbal_rng_beta_gt1(rng, 10, 10);
    ck_assert_double_eq(a, 0.4706945274070953);
    ck_assert_double_eq(b, 0.45425469386207934);
    imbal_rng_free(rng);
}
END_TEST

/* Runs the compat spec and checks each technique against its row of
 * tests/reference/abalone19_compat_all_888.csv: status ok, the class counts after resampling,
 * the test AUC and balanced accuracy to 1e-12; n_expected rows must match. */
static void assert_compat_rows(const char *spec_path, size_t n_expected)
{
    ref_table *ref = ref_read("tests/reference/abalone19_compat_all_888.csv");
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_run_options opt = {2, 0, NULL, NULL, NULL, NULL};
    size_t matched = 0;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_spec_load(spec_path, &spec, &errs) == IMBAL_OK, "%s",
                  errs.n ? errs.items[0].msg : "");
    imbal_error_list_free(&errs);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_uint_eq(ex->n_runs, n_expected);
    for (size_t r = 0; r < ex->n_runs; r++) {
        const imbal_run_result *rr = &ex->runs[r];
        const char *name = spec->techniques[rr->technique].name;
        for (size_t i = 0; i < ref->n_rows; i++) {
            char counts[64];
            if (strcmp(ref_str(ref, i, "technique"), name) != 0) {
                continue;
            }
            matched++;
            ck_assert_str_eq(ref_str(ref, i, "status"), "ok");
            snprintf(counts, sizeof(counts), "0:%zu;1:%zu", rr->n_resampled_neg,
                     rr->n_resampled_pos);
            ck_assert_str_eq(counts, ref_str(ref, i, "train_counts_after"));
            ck_assert_msg(fabs(rr->metrics.roc_auc - ref_num(ref, i, "python_auc")) <= 1e-12,
                          "%s: AUC %.17g, scikit-learn %.17g", name, rr->metrics.roc_auc,
                          ref_num(ref, i, "python_auc"));
            ck_assert_msg(fabs(rr->metrics.balanced_accuracy -
                               ref_num(ref, i, "python_balanced_accuracy")) <= 1e-12,
                          "%s: balanced accuracy %.17g, scikit-learn %.17g", name,
                          rr->metrics.balanced_accuracy,
                          ref_num(ref, i, "python_balanced_accuracy"));
        }
    }
    ck_assert_uint_eq(matched, n_expected);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    ref_free(ref);
}

/* The test AUC of every over-sampler row of tests/reference/abalone19_compat_all_888.csv
 * (scikit-learn 1.2 / imbalanced-learn 0.10, random_state=888, default LogisticRegression(),
 * dummies kept as floats) to 1e-12, with the class counts after resampling. */
START_TEST(compat_auc_matches_python)
{
    assert_compat_rows("tests/data/spec_oversamplers_compat.yaml", 5);
}
END_TEST

/* imblearn's _in_danger_noise: a row is in danger when n_maj, the rows of other classes among
 * its m nearest, satisfies m / 2 <= n_maj < m (m / 2 as a real number); n_maj == m is noise.
 * By hand on a line: group g is a positive row at 1000 g with neighbours at + 1 .. + 5, the
 * nearest g of them negative, the rest positive; groups are far apart, so the m nearest of
 * group g's centre are its own neighbours in that order. m = 4: n_maj = 0, 1, 2, 3, 4, 4 for
 * g = 0 .. 5, danger for n_maj 2 and 3 only; m = 5: n_maj = g, danger for 3 and 4 (2 < 2.5).
 * Fails with > for >=, <= for <, or an integer m / 2. */
START_TEST(borderline_danger_boundary_by_hand)
{
    double x[36];
    int y[36];
    double centre[6];
    unsigned char danger[6];
    static const unsigned char want4[6] = {0, 0, 1, 1, 0, 0};
    static const unsigned char want5[6] = {0, 0, 0, 1, 1, 0};
    imbal_error err = {0};
    for (size_t g = 0; g < 6; g++) {
        centre[g] = 1000.0 * (double)g;
        x[6 * g] = centre[g];
        y[6 * g] = 1;
        for (size_t j = 1; j <= 5; j++) {
            x[6 * g + j] = centre[g] + (double)j;
            y[6 * g + j] = j <= g ? 0 : 1;
        }
    }
    imbal_train_view v = {x, y, 36, 1, 2, NULL, NULL};
    ck_assert_int_eq(imbal_borderline_danger(&v, centre, 6, 1, 4, danger, &err), IMBAL_OK);
    for (size_t g = 0; g < 6; g++) {
        ck_assert_msg(danger[g] == want4[g], "m = 4, group %zu: danger %d", g, danger[g]);
    }
    ck_assert_int_eq(imbal_borderline_danger(&v, centre, 6, 1, 5, danger, &err), IMBAL_OK);
    for (size_t g = 0; g < 6; g++) {
        ck_assert_msg(danger[g] == want5[g], "m = 5, group %zu: danger %d", g, danger[g]);
    }
}
END_TEST

/* The same for the techniques of tests/data/spec_catalog_compat.yaml: smote_nc (on the raw
 * columns in Python, one-hot encoded after resampling) and instance_hardness_threshold
 * (estimator LogisticRegression()), each against its row of abalone19_compat_all_888.csv. */
START_TEST(compat_auc_of_smote_nc_and_iht_matches_python)
{
    assert_compat_rows("tests/data/spec_catalog_compat.yaml", 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("oversamplers");
    TCase *tc = tcase_create("oversamplers");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, adasyn_replays_imblearn_on_abalone19);
    tcase_add_test(tc, borderline_1_replays_imblearn_on_abalone19);
    tcase_add_test(tc, borderline_2_replays_imblearn_on_abalone19);
#ifdef IMBAL_HAVE_LIBSVM
    tcase_add_test(tc, svm_smote_replays_imblearn_on_abalone19);
#else
    tcase_add_test(tc, svm_smote_without_libsvm_says_how_to_install_it);
#endif
    tcase_add_test(tc, adasyn_rows_follow_the_hardness_ratio);
    tcase_add_test(tc, borderline_rows_start_at_danger_rows);
    tcase_add_test(tc, neighbour_counts_beyond_a_class_are_refused);
    tcase_add_test(tc, numpy_beta_matches_randomstate);
    tcase_add_test(tc, kmeans_smote_refuses_abalone19_as_imblearn);
    tcase_add_test(tc, kmeans_smote_rows_lie_between_positives);
    tcase_add_test(tc, compat_auc_matches_python);
    tcase_add_test(tc, compat_auc_of_smote_nc_and_iht_matches_python);
    tcase_add_test(tc, borderline_danger_boundary_by_hand);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
