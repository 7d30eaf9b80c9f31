/* Techniques that keep categorical columns categorical (smote_nc, smoten): parity with
 * imbalanced-learn 0.10 under a numpy generator
 * (tests/reference/abalone19_oversamplers_888_smote_nc.csv for SMOTENC(categorical_features=[7],
 * random_state=888) on the published abalone19 fold; tests/reference/smoten_cars_888.csv, made by
 * scripts/smoten_reference.py, for SMOTEN), and properties: exactly one dummy of every variable set
 * in every new row, numeric columns on the segment SMOTE draws, errors for data without the columns
 * a technique needs. */
#include "alloc.h"
#include "sampler_fixtures.h"

#include "imbal/rng.h"
#include "samplers/samplers.h"

/* The published training fold with its dataset (so the view has the column map). */
typedef struct {
    imbal_dataset *ds;
    fold f;
} cat_fold;

static cat_fold abalone_with_columns(void)
{
    imbal_load_options opt;
    imbal_error err = {0};
    cat_fold c;
    c.f = abalone_train();
    c.ds = NULL;
    imbal_load_options_default(&opt);
    opt.target = "Class";
    opt.positive = "positive";
    ck_assert_msg(imbal_dataset_load("datasets/abalone19.csv", &opt, &c.ds, &err) == IMBAL_OK, "%s",
                  err.msg);
    return c;
}

static void cat_fold_free(cat_fold *c)
{
    imbal_dataset_free(c->ds);
    free_fold(&c->f);
}

static imbal_resampled *run_on(const char *name, const imbal_train_view *v, const imbal_param *pp,
                               size_t n_pp, imbal_rng_kind kind, uint64_t seed)
{
    const imbal_technique *t = imbal_technique_find(name);
    imbal_param_values pv;
    imbal_rng *rng = new_rng(kind, seed);
    imbal_resampled *r = NULL;
    imbal_error err = {0};
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(imbal_params_parse(t, pp, n_pp, NULL, 0, &pv, &err), IMBAL_OK);
    ck_assert_msg(imbal_resample(t, v, &pv, rng, &r, &err) == IMBAL_OK, "%s: %s", name, err.msg);
    imbal_rng_free(rng);
    return r;
}

/* The column of ds named name (a loaded column, not a feature). */
static const imbal_column *column_named(const imbal_dataset *ds, const char *name)
{
    for (size_t j = 0; j < ds->columns->n_columns; j++) {
        if (strcmp(ds->columns->columns[j].name, name) == 0) {
            return &ds->columns->columns[j];
        }
    }
    ck_abort_msg("no column %s", name);
    return NULL;
}

/* Every new row has exactly one level of col: its dummies are 0 or 1, at most one of them 1. */
static void assert_one_hot(const imbal_resampled *r, size_t from, const imbal_column *col)
{
    for (size_t i = from; i < r->n; i++) {
        double ones = 0.0;
        for (size_t l = 1; l < col->n_levels; l++) {
            double v = r->x[i * r->d + col->feature + l - 1];
            ck_assert_msg(v == 0.0 || v == 1.0, "row %zu: %s dummy %zu is %g", i, col->name, l, v);
            ones += v;
        }
        ck_assert_msg(ones <= 1.0, "row %zu: two levels of %s", i, col->name);
    }
}

/* ---- smote_nc ---- */

START_TEST(smote_nc_replays_imblearn_on_abalone19)
{
    static const char *const cols[7] = {"Length",       "Diameter",       "Height",
                                        "Whole_weight", "Shucked_weight", "Viscera_weight",
                                        "Shell_weight"};
    cat_fold c = abalone_with_columns();
    imbal_train_view v = {c.f.x, c.f.y, c.f.n, ABALONE_D, 2, c.ds->is_dummy, c.ds->columns};
    imbal_resampled *r = run_on("smote_nc", &v, NULL, 0, IMBAL_RNG_NUMPY, 888);
    const imbal_column *sex = column_named(c.ds, "Sex");
    /* its smote_nc rows are shorter than the header: 7 numbers, then the Sex category */
    char *text = slurp("tests/reference/abalone19_oversamplers_888_smote_nc.csv");
    csv_doc *t = csv_parse(text);
    size_t n_orig = c.f.n;
    size_t rows = 0;
    size_t level_count[3] = {0, 0, 0};
    double worst = 0.0;
    int have_sums = 0;
    ck_assert_uint_eq(sex->n_levels, 3);
    ck_assert_uint_eq(r->n, n_orig + 3287); /* counts_after 3313;3313 */
    assert_one_hot(r, n_orig, sex);
    for (size_t i = n_orig; i < r->n; i++) {
        ck_assert_int_eq(r->y[i], 1);
        ck_assert_uint_eq(r->source[i], IMBAL_SYNTHETIC);
        level_count[imbal_dataset_category(sex, r->x + i * ABALONE_D)]++;
    }
    for (size_t row = 1; row < t->n_rows; row++) {
        char **f = t->field[row];
        const char *what = f[1];
        if (strcmp(f[0], "smote_nc") != 0) {
            continue;
        }
        ck_assert_uint_eq(t->n_fields[row], 10);
        if (strncmp(what, "row", 3) == 0) {
            size_t k = (size_t)strtoul(what + 3, NULL, 10);
            const double *got = r->x + (n_orig + k) * ABALONE_D;
            size_t l = imbal_dataset_category(sex, got);
            ck_assert_uint_eq(k, rows);
            for (size_t j = 0; j < 7; j++) {
                double e = rel_diff(got[j], strtod(f[2 + j], NULL));
                ck_assert_msg(e <= 1e-12, "%s %s: got %.17g want %s", what, cols[j], got[j],
                              f[2 + j]);
                worst = e > worst ? e : worst;
            }
            ck_assert_msg(strcmp(sex->levels[l], f[9]) == 0, "%s: Sex %s, want %s", what,
                          sex->levels[l], f[9]);
            rows++;
        } else if (strcmp(what, "column_sum_all_3287") == 0) {
            char got_counts[64];
            for (size_t j = 0; j < 7; j++) {
                double sum = 0.0;
                double e;
                for (size_t i = n_orig; i < r->n; i++) {
                    sum += r->x[i * ABALONE_D + j];
                }
                e = rel_diff(sum, strtod(f[2 + j], NULL));
                ck_assert_msg(e <= 1e-12, "sum %s: got %.17g want %s", cols[j], sum, f[2 + j]);
            }
            snprintf(got_counts, sizeof(got_counts), "F:%zu;I:%zu;M:%zu", level_count[0],
                     level_count[1], level_count[2]);
            ck_assert_str_eq(got_counts, f[9]);
            have_sums = 1;
        } else {
            ck_assert_str_eq(what, "counts_after");
            ck_assert_str_eq(f[2], "3313;3313");
        }
    }
    ck_assert_uint_eq(rows, 200);
    ck_assert(have_sums);
    ck_assert_double_le(worst, 1e-12);
    csv_doc_free(t);
    free(text);
    imbal_resampled_free(r);
    cat_fold_free(&c);
}
END_TEST

static imbal_dataset *load_categorical(const char *path, const char *positive)
{
    imbal_load_options opt;
    imbal_error err = {0};
    imbal_dataset *ds = NULL;
    imbal_load_options_default(&opt);
    opt.target = "Class";
    opt.positive = positive;
    ck_assert_msg(imbal_dataset_load(path, &opt, &ds, &err) == IMBAL_OK, "%s", err.msg);
    return ds;
}

/* SMOTE-NC's tie-break (scripts/ref_smote_nc_ties.py): on a hand-made fold where rows have
 * neighbours of two categories with one vote each, imblearn picks by rng.permutation of the
 * tied (row, category) pairs, drawn from a fresh generator after the numeric draws; seeds 888
 * and 7, every synthetic row's x to 1e-12 and its category exactly. */
START_TEST(smote_nc_breaks_category_ties_as_imblearn)
{
    static const uint64_t seeds[2] = {888, 7};
    imbal_dataset *ds = load_categorical("tests/reference/smote_nc_ties.csv", "pos");
    imbal_train_view v = {ds->x, ds->y, ds->n, ds->d, ds->n_classes, ds->is_dummy, ds->columns};
    const imbal_column *cat = column_named(ds, "cat");
    ref_table *t = ref_read("tests/reference/smote_nc_ties_888.csv");
    imbal_param k2 = {"k_neighbors", "2"};
    size_t seen = 0;
    for (size_t s = 0; s < 2; s++) {
        imbal_resampled *r = run_on("smote_nc", &v, &k2, 1, IMBAL_RNG_NUMPY, seeds[s]);
        size_t k = 0;
        ck_assert_uint_eq(r->n, 60);
        for (size_t row = 0; row < t->n_rows; row++) {
            const double *x;
            if ((uint64_t)ref_num(t, row, "seed") != seeds[s]) {
                continue;
            }
            ck_assert_uint_eq((size_t)ref_num(t, row, "order"), k);
            x = r->x + (ds->n + k) * r->d;
            ck_assert_msg(rel_diff(x[0], ref_num(t, row, "x")) <= 1e-12, "seed %u row %zu: x %.17g",
                          (unsigned)seeds[s], k, x[0]);
            ck_assert_msg(
                strcmp(cat->levels[imbal_dataset_category(cat, x)], ref_str(t, row, "cat")) == 0,
                "seed %u row %zu: %s, imblearn %s", (unsigned)seeds[s], k,
                cat->levels[imbal_dataset_category(cat, x)], ref_str(t, row, "cat"));
            k++;
        }
        ck_assert_uint_eq(k, 24);
        assert_one_hot(r, ds->n, cat);
        seen += k;
        imbal_resampled_free(r);
    }
    ck_assert_uint_eq(seen, t->n_rows);
    ref_free(t);
    imbal_dataset_free(ds);
}
END_TEST

/* ---- smoten ---- */

/* np.argpartition on rows with many ties: the same permutation, element for element. */
START_TEST(numpy_argpartition_replays_numpy)
{
    ref_table *t = ref_read("tests/reference/smoten_argpartition.csv");
    ck_assert_uint_eq(t->n_rows, 300);
    for (size_t row = 0; row < t->n_rows; row++) {
        double v[256];
        size_t want[256];
        size_t got[256];
        size_t n = 0;
        size_t nw = 0;
        char buf[4096];
        char *save = NULL;
        snprintf(buf, sizeof(buf), "%s", ref_str(t, row, "values"));
        for (char *tok = strtok_r(buf, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
            v[n++] = strtod(tok, NULL);
        }
        snprintf(buf, sizeof(buf), "%s", ref_str(t, row, "argpartition"));
        for (char *tok = strtok_r(buf, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
            want[nw++] = (size_t)strtoul(tok, NULL, 10);
        }
        ck_assert_uint_eq(n, nw);
        imbal_numpy_argpartition(v, n, (size_t)ref_num(t, row, "kth"), got);
        for (size_t i = 0; i < n; i++) {
            ck_assert_msg(got[i] == want[i],
                          "case %zu (n %zu, kth %g): place %zu is %zu, numpy %zu", row, n,
                          ref_num(t, row, "kth"), i, got[i], want[i]);
        }
    }
    ref_free(t);
}
END_TEST

/* SMOTEN(random_state=888) on case: every synthetic row's class and categories, in order. */
static void smoten_replay(const char *case_name, const char *path, const char *positive)
{
    static const char *const vars[3] = {"f1", "f2", "f3"};
    imbal_dataset *ds = load_categorical(path, positive);
    imbal_train_view v = {ds->x, ds->y, ds->n, ds->d, ds->n_classes, ds->is_dummy, ds->columns};
    imbal_resampled *r = run_on("smoten", &v, NULL, 0, IMBAL_RNG_NUMPY, 888);
    ref_table *t = ref_read("tests/reference/smoten_888.csv");
    size_t k = 0;
    for (size_t row = 0; row < t->n_rows; row++) {
        const double *x;
        if (strcmp(ref_str(t, row, "case"), case_name) != 0) {
            continue;
        }
        ck_assert_uint_eq((size_t)ref_num(t, row, "order"), k);
        ck_assert_uint_lt(ds->n + k, r->n);
        x = r->x + (ds->n + k) * r->d;
        ck_assert_uint_eq(r->source[ds->n + k], IMBAL_SYNTHETIC);
        ck_assert_str_eq(ds->class_names[r->y[ds->n + k]], ref_str(t, row, "class"));
        for (size_t j = 0; j < 3; j++) {
            const imbal_column *col = column_named(ds, vars[j]);
            ck_assert_msg(
                strcmp(col->levels[imbal_dataset_category(col, x)], ref_str(t, row, vars[j])) == 0,
                "%s row %zu %s: %s, imblearn %s", case_name, k, vars[j],
                col->levels[imbal_dataset_category(col, x)], ref_str(t, row, vars[j]));
        }
        k++;
    }
    ck_assert_uint_gt(k, 0);
    ck_assert_uint_eq(ds->n + k, r->n);
    for (size_t j = 0; j < 3; j++) {
        assert_one_hot(r, ds->n, column_named(ds, vars[j]));
    }
    assert_copies_are_exact(r, &v);
    ref_free(t);
    imbal_resampled_free(r);
    imbal_dataset_free(ds);
}

START_TEST(smoten_replays_imblearn_binary)
{
    smoten_replay("binary", "tests/reference/smoten_binary.csv", "pos");
}
END_TEST

START_TEST(smoten_replays_imblearn_three_classes)
{
    smoten_replay("three", "tests/reference/smoten_three.csv", NULL);
}
END_TEST

/* scripts/ref_smoten.py's ties(): from a positive `a` row all six b and c rows are equidistant
 * and four of them join its k + 1 = 6 nearest; numpy's argpartition picks which, and the vote
 * (a tie of two a, two b, two c goes to a) follows. Fails with neighbours by a stable sort. */
START_TEST(smoten_replays_imblearn_equidistant_neighbours)
{
    smoten_replay("ties", "tests/reference/smoten_ties.csv", "pos");
}
END_TEST

/* Refusals: k_neighbors against the class (check and run, key k_neighbors, the class and its
 * size), numeric columns, no column map; every allocation failure is ENOMEM and leaks
 * nothing (make asan). */
START_TEST(smoten_refuses_what_it_cannot_do)
{
    imbal_dataset *ds = load_categorical("tests/reference/smoten_ties.csv", "pos");
    imbal_train_view v = {ds->x, ds->y, ds->n, ds->d, ds->n_classes, ds->is_dummy, ds->columns};
    const imbal_technique *t = imbal_technique_find("smoten");
    imbal_param k8 = {"k_neighbors", "8"};
    imbal_param k7 = {"k_neighbors", "7"};
    imbal_param_values p;
    imbal_error err = {0};
    imbal_resampled *r = NULL;
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 888);
    size_t counts[2] = {22, 8};
    ck_assert_int_eq(imbal_params_parse(t, &k8, 1, NULL, 0, &p, &err), IMBAL_OK);
    ck_assert_int_eq(imbal_resample_check(t, &p, counts, 2, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "k_neighbors");
    ck_assert_msg(strstr(err.msg, "k_neighbors = 8 needs at least 9 rows of class 1, which has 8"),
                  "%s", err.msg);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_resample(t, &v, &p, rng, &r, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(err.key, "k_neighbors");
    ck_assert_msg(strstr(err.msg, "class 1, which has 8"), "%s", err.msg);
    ck_assert_int_eq(imbal_params_parse(t, &k7, 1, NULL, 0, &p, &err), IMBAL_OK);
    ck_assert_int_eq(imbal_resample_check(t, &p, counts, 2, &err), IMBAL_OK);
    /* numeric columns (abalone19), and no column map at all */
    {
        cat_fold c = abalone_with_columns();
        imbal_train_view a = {c.f.x, c.f.y, c.f.n, ABALONE_D, 2, c.ds->is_dummy, c.ds->columns};
        imbal_train_view none = {c.f.x, c.f.y, c.f.n, ABALONE_D, 2, NULL, NULL};
        ck_assert_int_eq(imbal_params_parse(t, NULL, 0, NULL, 0, &p, &err), IMBAL_OK);
        imbal_error_clear(&err);
        ck_assert_int_eq(imbal_resample(t, &a, &p, rng, &r, &err), IMBAL_EINVAL);
        ck_assert_msg(strstr(err.msg, "7 of the 9 feature columns are numeric: use smote_nc"), "%s",
                      err.msg);
        imbal_error_clear(&err);
        ck_assert_int_eq(imbal_resample(t, &none, &p, rng, &r, &err), IMBAL_EINVAL);
        ck_assert_ptr_null(r);
        cat_fold_free(&c);
    }
    /* allocation failures */
    ck_assert_int_eq(imbal_params_parse(t, NULL, 0, NULL, 0, &p, &err), IMBAL_OK);
    for (long fail_at = 1;; fail_at++) {
        imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, 888);
        imbal_status st;
        imbal_error_clear(&err);
        r = (imbal_resampled *)&r;
        imbal_alloc_fail_after(fail_at);
        st = imbal_resample(t, &v, &p, g, &r, &err);
        imbal_alloc_fail_after(0);
        imbal_rng_free(g);
        if (st == IMBAL_OK) {
            imbal_resampled_free(r);
            break;
        }
        ck_assert_msg(st == IMBAL_ENOMEM, "at %ld: %s", fail_at, err.msg);
        ck_assert_ptr_null(r);
        ck_assert_int_lt(fail_at, 1000);
    }
    imbal_rng_free(rng);
    imbal_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("categorical");
    TCase *tc = tcase_create("parity");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, smote_nc_replays_imblearn_on_abalone19);
    tcase_add_test(tc, smote_nc_breaks_category_ties_as_imblearn);
    tcase_add_test(tc, numpy_argpartition_replays_numpy);
    tcase_add_test(tc, smoten_replays_imblearn_binary);
    tcase_add_test(tc, smoten_replays_imblearn_three_classes);
    tcase_add_test(tc, smoten_replays_imblearn_equidistant_neighbours);
    tcase_add_test(tc, smoten_refuses_what_it_cannot_do);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
