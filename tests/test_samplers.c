/* Techniques none, random_over, random_under, smote: parity with imbalanced-learn 0.10 on the
 * published abalone19 training fold (tests/reference/abalone19_sampler_indices_888.csv and
 * abalone19_synthetic_888.csv) and on a small 3-class case whose expected output was printed
 * by /usr/bin/python3 (script in sampler_fixtures.h's toy_case comment); properties (class
 * counts for every sampling_strategy form, each SMOTE row on a segment to one of its k
 * neighbours, the scale of the shrinkage noise, determinism). Errors: test_sampler_errors.c. */
#include "sampler_fixtures.h"

/* ---- parity on abalone19 ---- */

/* source[] against the positions listed for technique in abalone19_sampler_indices_888.csv */
static void assert_indices(const char *technique, const imbal_resampled *r)
{
    ref_table *t = ref_read("tests/reference/abalone19_sampler_indices_888.csv");
    size_t k = 0;
    for (size_t row = 0; row < t->n_rows; row++) {
        if (strcmp(ref_str(t, row, "technique"), technique) != 0) {
            continue;
        }
        ck_assert_uint_eq((size_t)ref_num(t, row, "order"), k);
        ck_assert_uint_lt(k, r->n);
        ck_assert_msg(r->source[k] == (size_t)ref_num(t, row, "position"),
                      "%s output %zu: got position %zu, want %.0f", technique, k, r->source[k],
                      ref_num(t, row, "position"));
        k++;
    }
    ck_assert_uint_eq(k, r->n);
    ref_free(t);
}

START_TEST(random_over_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_resampled *r = run888("random_over", &v, NULL);
    /* 3313 negatives, 26 positives: 3339 originals + 3313 - 26 = 3287 drawn positives */
    ck_assert_uint_eq(r->n, 6626);
    assert_indices("random_over", r);
    assert_copies_are_exact(r, &v);
    imbal_resampled_free(r);
    free(f.x);
    free(f.y);
}
END_TEST

START_TEST(random_under_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_resampled *r = run888("random_under", &v, NULL);
    ck_assert_uint_eq(r->n, 52);  /* 26 kept negatives, then the 26 positives */
    assert_indices("random_under", r);
    assert_copies_are_exact(r, &v);
    imbal_resampled_free(r);
    free(f.x);
    free(f.y);
}
END_TEST

/* The first 200 synthetic rows and the column sums over all 3287 against the technique's
 * rows in abalone19_synthetic_888.csv; returns the largest relative difference seen. */
static double assert_synthetic(const char *technique, const imbal_resampled *r, size_t n_orig)
{
    static const char *const cols[ABALONE_D] = {
        "Length",         "Diameter",     "Height", "Whole_weight", "Shucked_weight",
        "Viscera_weight", "Shell_weight", "Sex_I",  "Sex_M"};
    ref_table *t = ref_read("tests/reference/abalone19_synthetic_888.csv");
    double worst = 0.0;
    size_t rows = 0;
    int have_sums = 0;
    ck_assert_uint_eq(r->n, n_orig + 3287);
    for (size_t row = 0; row < t->n_rows; row++) {
        const char *what = ref_str(t, row, "what");
        const double *got;
        double sum[ABALONE_D];
        if (strcmp(ref_str(t, row, "technique"), technique) != 0) {
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
            ck_assert_str_eq(what, "column_sum_all_3287");
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
            ck_assert_msg(e <= 1e-12, "%s %s %s: got %.17g want %.17g", technique, what,
                          cols[j], got[j], ref_num(t, row, cols[j]));
            worst = e > worst ? e : worst;
        }
    }
    ck_assert_uint_eq(rows, 200);
    ck_assert(have_sums);
    ref_free(t);
    return worst;
}

START_TEST(smote_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_resampled *r = run888("smote", &v, NULL);
    double worst = assert_synthetic("smote", r, f.n);
    assert_copies_are_exact(r, &v);
    ck_assert(worst <= 1e-12);
    imbal_resampled_free(r);
    free(f.x);
    free(f.y);
}
END_TEST

START_TEST(random_over_shrinkage_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_resampled *r = run888("random_over", &v, "shrinkage=0.1");
    double worst = assert_synthetic("random_over_shrinkage_0.1", r, f.n);
    assert_copies_are_exact(r, &v);
    ck_assert(worst <= 1e-12);
    imbal_resampled_free(r);
    free(f.x);
    free(f.y);
}
END_TEST

static void assert_sources(const imbal_resampled *r, size_t from, const size_t *want, size_t n)
{
    ck_assert_uint_eq(r->n, from + n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(r->source[from + i] == want[i], "output %zu: got %zu want %zu", from + i,
                      r->source[from + i], want[i]);
    }
}

START_TEST(toy_random_over_and_under_replay_imblearn)
{
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 7);
    const size_t over[] = {18, 3, 8, 13, 18, 18, 14, 5, 20};
    const size_t under[] = {16, 10, 0, 4, 3, 8, 13, 18, 5, 11, 14, 1};
    const size_t under_all[] = {7, 19, 12, 6, 18, 18, 18, 3, 5, 20, 1, 5};
    imbal_resampled *r = run("random_over", &v, NULL, rng);
    assert_sources(r, 21, over, 9);  /* counts 10, 4, 7: 6 rows of class 1, 3 of class 2 */
    for (size_t i = 0; i < 21; i++) {
        ck_assert_uint_eq(r->source[i], i);
    }
    imbal_resampled_free(r);
    imbal_rng_free(rng);

    rng = new_rng(IMBAL_RNG_NUMPY, 7);
    r = run("random_under", &v, NULL, rng);
    assert_sources(r, 0, under, 12);
    imbal_resampled_free(r);
    imbal_rng_free(rng);

    rng = new_rng(IMBAL_RNG_NUMPY, 7);
    r = run("random_under", &v, "replacement=true;sampling_strategy=all", rng);
    assert_sources(r, 0, under_all, 12);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

static void assert_rows_close(const imbal_resampled *r, size_t from, const double (*want)[3],
                              size_t n)
{
    ck_assert_uint_eq(r->n, from + n);
    for (size_t i = 0; i < n; i++) {
        const double *x = r->x + (from + i) * 2;
        ck_assert_int_eq(r->y[from + i], (int)want[i][0]);
        ck_assert_uint_eq(r->source[from + i], IMBAL_SYNTHETIC);
        for (size_t j = 0; j < 2; j++) {
            ck_assert_msg(rel_diff(x[j], want[i][j + 1]) <= 1e-14, "row %zu col %zu: %.17g %.17g",
                          i, j, x[j], want[i][j + 1]);
        }
    }
}

START_TEST(toy_smote_restarts_the_stream_per_class_like_imblearn)
{
    /* class, Length-like, second column; imblearn re-seeds for each class */
    static const double want[9][3] = {
        {1, 10.758116956140352, 2.858990537639553},   {1, 13.877036708011891, 2.1631110124035673},
        {1, 5.799776842332181, 3.286261991792866},    {1, 6.057283013789597, 3.1614705394711957},
        {1, 13.475769899881074, 2.1003718766521313},  {1, 12.59202458954158, 1.992358560943971},
        {2, 12.62861322882141, 4.7356839068124295},   {2, 12.932128122408294, 5.628015045494418},
        {2, 1.1440209760067948, 3.0364125856040767},
    };
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 7);
    imbal_resampled *r = run("smote", &v, "k_neighbors=2", rng);
    assert_rows_close(r, 21, want, 9);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

START_TEST(toy_random_over_shrinkage_replays_imblearn)
{
    static const double want[9][3] = {
        {1, 2.95200112196673, 5.896510812890137},    {1, 9.043871833382784, 1.4851736887707219},
        {1, 17.105061320387954, 2.1395201669287327}, {1, 16.521882382167746, 3.629613124883114},
        {1, 2.5338488057380895, 4.619237836053047},  {1, 2.775579258784458, 4.747728586697148},
        {2, 2.9534353551392627, 8.256293862155756},  {2, 2.0150760471066844, 2.6690598746238514},
        {2, 1.7943480281514388, 2.594354428133949},
    };
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 7);
    imbal_resampled *r = run("random_over", &v, "shrinkage=0.5", rng);
    assert_rows_close(r, 21, want, 9);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

/* ---- properties ---- */

static void class_counts(const imbal_resampled *r, size_t n_classes, size_t *counts)
{
    for (size_t c = 0; c < n_classes; c++) {
        counts[c] = 0;
    }
    for (size_t i = 0; i < r->n; i++) {
        ck_assert_int_ge(r->y[i], 0);
        ck_assert_int_lt(r->y[i], (int)n_classes);
        counts[r->y[i]]++;
    }
}

typedef struct {
    const char *technique;
    const char *strategy;
    size_t want[3];
} counts_case;

/* Toy counts 10, 4, 7 (class 1 is the minority, class 0 the majority). Over-samplers raise
 * targeted classes to 10, under-samplers lower them to 4; pairs give the counts. Checked
 * against imblearn with /usr/bin/python3 (Counter(fit_resample(X, y)[1])). */
static const counts_case multi_cases[] = {
    {"random_over", "auto", {10, 10, 10}},          {"random_over", "minority", {10, 10, 7}},
    {"random_over", "not minority", {10, 4, 10}},   {"random_over", "not majority", {10, 10, 10}},
    {"random_over", "all", {10, 10, 10}},           {"random_over", "1:8,2:7", {10, 8, 7}},
    {"smote", "auto", {10, 10, 10}},                {"smote", "minority", {10, 10, 7}},
    {"smote", "not minority", {10, 4, 10}},         {"smote", "not majority", {10, 10, 10}},
    {"smote", "all", {10, 10, 10}},                 {"smote", "1:8, 2:9", {10, 8, 9}},
    {"random_under", "auto", {4, 4, 4}},            {"random_under", "majority", {4, 4, 7}},
    {"random_under", "not minority", {4, 4, 4}},    {"random_under", "not majority", {10, 4, 4}},
    {"random_under", "all", {4, 4, 4}},             {"random_under", "0:5", {5, 4, 7}},
    {"none", NULL, {10, 4, 7}},
};

/* Binary toy (its classes 0 and 1: 10 and 4 rows). Over: int(10 * r - 4) rows added, so
 * 0.8 -> 4 (8 in all), 0.75 -> int(3.5) = 3 (7); under: int(4 / r) kept, 0.5 -> 8,
 * 0.41 -> int(9.76) = 9. */
static const counts_case binary_cases[] = {
    {"random_over", "0.8", {10, 8, 0}},  {"random_over", "0.75", {10, 7, 0}},
    {"smote", "0.8", {10, 8, 0}},        {"random_over", "1", {10, 10, 0}},
    {"random_under", "0.5", {8, 4, 0}},  {"random_under", "0.41", {9, 4, 0}},
    {"random_under", "1.0", {4, 4, 0}},
};

static fold toy_binary(void)
{
    fold t = toy_case();
    fold f = {0, t.x, t.y};
    for (size_t i = 0; i < t.n; i++) {
        if (t.y[i] != 2) {
            memmove(f.x + 2 * f.n, t.x + 2 * i, 2 * sizeof(double));
            f.y[f.n++] = t.y[i];
        }
    }
    return f;
}

static void check_counts(const counts_case *cases, size_t n_cases, const fold *f,
                         size_t n_classes)
{
    imbal_train_view v = view_of(f, 2, n_classes);
    for (size_t k = 0; k < n_cases; k++) {
        imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 42 + k);
        const char *tech = cases[k].technique;
        char params[128] = "";
        imbal_resampled *r;
        size_t got[3];
        size_t n_want = 0;
        if (cases[k].strategy != NULL) {
            /* class 1 has 4 rows: SMOTE's default k = 5 needs 6 */
            snprintf(params, sizeof(params), "sampling_strategy=%s%s", cases[k].strategy,
                     strcmp(tech, "smote") == 0 ? ";k_neighbors=2" : "");
        }
        r = run(tech, &v, params[0] != '\0' ? params : NULL, rng);
        class_counts(r, n_classes, got);
        for (size_t c = 0; c < n_classes; c++) {
            ck_assert_msg(got[c] == cases[k].want[c], "%s %s: class %zu has %zu, want %zu",
                          tech, cases[k].strategy, c, got[c], cases[k].want[c]);
            n_want += cases[k].want[c];
        }
        ck_assert_uint_eq(r->n, n_want);
        assert_copies_are_exact(r, &v);
        imbal_resampled_free(r);
        imbal_rng_free(rng);
    }
}

START_TEST(class_counts_follow_every_strategy_form)
{
    fold f = toy_case();
    check_counts(multi_cases, sizeof(multi_cases) / sizeof(multi_cases[0]), &f, 3);
    free_fold(&f);
    f = toy_binary();
    ck_assert_uint_eq(f.n, 14);
    check_counts(binary_cases, sizeof(binary_cases) / sizeof(binary_cases[0]), &f, 2);
    free_fold(&f);
}
END_TEST

START_TEST(none_copies_the_fold)
{
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 1);
    imbal_resampled *r = run("none", &v, NULL, rng);
    ck_assert_uint_eq(r->n, 21);
    ck_assert_uint_eq(r->d, 2);
    for (size_t i = 0; i < r->n; i++) {
        ck_assert_uint_eq(r->source[i], i);
    }
    assert_copies_are_exact(r, &v);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

/* Squared distance, written out here rather than taken from the library. */
static double sqdist(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t j = 0; j < d; j++) {
        s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return s;
}

/* Is p on the segment from a to b (within tol per column)? */
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

START_TEST(every_smote_row_lies_between_a_row_and_one_of_its_k_neighbours)
{
    fold f = abalone_train();
    imbal_train_view v = view_of(&f, ABALONE_D, 2);
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 2024);
    imbal_resampled *r = run("smote", &v, "k_neighbors=3", rng);
    size_t pos[26];
    size_t m = 0;
    size_t nn[26][3];
    for (size_t i = 0; i < f.n; i++) {
        if (f.y[i] == 1) {
            pos[m++] = i;
        }
    }
    ck_assert_uint_eq(m, 26);
    /* the 3 nearest other positives of each positive, by selection (no ties on abalone) */
    for (size_t a = 0; a < m; a++) {
        int used[26] = {0};
        used[a] = 1;
        for (size_t q = 0; q < 3; q++) {
            size_t best = m;
            for (size_t b = 0; b < m; b++) {
                if (!used[b] && (best == m || sqdist(f.x + pos[a] * 9, f.x + pos[b] * 9, 9) <
                                                  sqdist(f.x + pos[a] * 9, f.x + pos[best] * 9,
                                                         9))) {
                    best = b;
                }
            }
            used[best] = 1;
            nn[a][q] = best;
        }
    }
    ck_assert_uint_eq(r->n, 6626);
    for (size_t i = f.n; i < r->n; i++) {
        int found = 0;
        const double *p = r->x + i * ABALONE_D;
        ck_assert_int_eq(r->y[i], 1);
        for (size_t a = 0; a < m && !found; a++) {
            for (size_t q = 0; q < 3 && !found; q++) {
                found = on_segment(p, f.x + pos[a] * 9, f.x + pos[nn[a][q]] * 9, 9, 1e-12);
            }
        }
        ck_assert_msg(found, "synthetic row %zu is on no row-to-neighbour segment", i);
    }
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free(f.x);
    free(f.y);
}
END_TEST

/* Smoothed bootstrap = plain bootstrap + N(0, 1) * shrinkage * h * std per column, with
 * h = (4 / ((d + 2) n)) ^ (1 / (d + 4)) and std the class's population deviation. The same
 * seed gives the same bootstrap rows with and without shrinkage (indices are drawn first),
 * so the difference divided by the scale must look standard normal. Data: 2 columns,
 * 1000 negatives and 300 positives from N((1, -2), diag(1, 9)): h = (4 / (4 * 1300))^(1/6). */
START_TEST(shrinkage_noise_has_the_documented_scale)
{
    const size_t n_pos = 300;
    const size_t n = 1300;
    fold f = {n, malloc(n * 2 * sizeof(double)), malloc(n * sizeof(int))};
    imbal_rng *gen = new_rng(IMBAL_RNG_DEFAULT, 99);
    double mean[2] = {0.0, 0.0};
    double sd[2] = {0.0, 0.0};
    double h = pow(4.0 / (4.0 * 1300.0), 1.0 / 6.0);
    imbal_rng *rng;
    imbal_resampled *plain;
    imbal_resampled *smooth;
    imbal_train_view v = view_of(&f, 2, 2);
    for (size_t i = 0; i < n; i++) {
        f.y[i] = i % 13 < 3;  /* 3 in 13: 300 positives */
        f.x[2 * i] = 1.0 + imbal_rng_normal(gen);
        f.x[2 * i + 1] = -2.0 + 3.0 * imbal_rng_normal(gen);
    }
    for (size_t j = 0; j < 2; j++) {
        for (size_t i = 0; i < n; i++) {
            mean[j] += f.y[i] ? f.x[2 * i + j] / (double)n_pos : 0.0;
        }
        for (size_t i = 0; i < n; i++) {
            double dev = f.x[2 * i + j] - mean[j];
            sd[j] += f.y[i] ? dev * dev / (double)n_pos : 0.0;
        }
        sd[j] = sqrt(sd[j]);
    }
    rng = new_rng(IMBAL_RNG_DEFAULT, 5);
    plain = run("random_over", &v, NULL, rng);
    imbal_rng_free(rng);
    rng = new_rng(IMBAL_RNG_DEFAULT, 5);
    smooth = run("random_over", &v, "shrinkage=2", rng);
    imbal_rng_free(rng);
    ck_assert_uint_eq(plain->n, 2000);
    ck_assert_uint_eq(smooth->n, 2000);
    for (size_t j = 0; j < 2; j++) {
        double s1 = 0.0;
        double s2 = 0.0;
        double z_mean;
        double z_var;
        for (size_t i = n; i < 2000; i++) {
            double z = (smooth->x[2 * i + j] - plain->x[2 * i + j]) / (2.0 * h * sd[j]);
            ck_assert_uint_eq(smooth->source[i], IMBAL_SYNTHETIC);
            ck_assert_uint_ne(plain->source[i], IMBAL_SYNTHETIC);
            s1 += z;
            s2 += z * z;
        }
        z_mean = s1 / 700.0;
        z_var = s2 / 700.0 - z_mean * z_mean;
        /* 700 draws: 4 standard errors are 4 / sqrt(700) = 0.15 for the mean and
         * 4 * sqrt(2 / 700) = 0.21 for the variance */
        ck_assert_msg(fabs(z_mean) < 0.15, "column %zu: noise mean %g", j, z_mean);
        ck_assert_msg(fabs(z_var - 1.0) < 0.21, "column %zu: noise variance %g", j, z_var);
    }
    imbal_resampled_free(plain);
    imbal_resampled_free(smooth);
    imbal_rng_free(gen);
    free_fold(&f);
}
END_TEST

START_TEST(same_seed_same_output)
{
    static const char *const names[] = {"random_over", "random_under", "smote"};
    static const char *const params[] = {"sampling_strategy=all;shrinkage=1",
                                         "sampling_strategy=all",
                                         "sampling_strategy=all;k_neighbors=2"};
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    for (size_t t = 0; t < 3; t++) {
        imbal_rng *a = new_rng(IMBAL_RNG_DEFAULT, 77);
        imbal_rng *b = new_rng(IMBAL_RNG_DEFAULT, 77);
        imbal_resampled *ra = run(names[t], &v, params[t], a);
        imbal_resampled *rb = run(names[t], &v, params[t], b);
        ck_assert_uint_eq(ra->n, rb->n);
        ck_assert(memcmp(ra->x, rb->x, ra->n * 2 * sizeof(double)) == 0);
        ck_assert(memcmp(ra->source, rb->source, ra->n * sizeof(size_t)) == 0);
        imbal_resampled_free(ra);
        imbal_resampled_free(rb);
        imbal_rng_free(a);
        imbal_rng_free(b);
    }
    free_fold(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("samplers");
    TCase *tc = tcase_create("samplers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, random_over_replays_imblearn_on_abalone19);
    tcase_add_test(tc, random_under_replays_imblearn_on_abalone19);
    tcase_add_test(tc, smote_replays_imblearn_on_abalone19);
    tcase_add_test(tc, random_over_shrinkage_replays_imblearn_on_abalone19);
    tcase_add_test(tc, toy_random_over_and_under_replay_imblearn);
    tcase_add_test(tc, toy_smote_restarts_the_stream_per_class_like_imblearn);
    tcase_add_test(tc, toy_random_over_shrinkage_replays_imblearn);
    tcase_add_test(tc, class_counts_follow_every_strategy_form);
    tcase_add_test(tc, none_copies_the_fold);
    tcase_add_test(tc, every_smote_row_lies_between_a_row_and_one_of_its_k_neighbours);
    tcase_add_test(tc, shrinkage_noise_has_the_documented_scale);
    tcase_add_test(tc, same_seed_same_output);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
