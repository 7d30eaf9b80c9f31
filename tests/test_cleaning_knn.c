/* The neighbour-based cleaning under-samplers: edited_nearest_neighbours,
 * repeated_edited_nearest_neighbours, all_knn, near_miss, neighbourhood_cleaning_rule.
 * Parity with imbalanced-learn 0.10: the rows each keeps on the published abalone19 training
 * fold (tests/reference/abalone19_kept.csv) and on the multi-class training parts of
 * iris_imbalanced and ecoli (iris_imbalanced_kept_888.csv, ecoli_kept_888.csv, rows of
 * *_split.csv; class codes in sorted-name order, as imbal numbers them); small hand-made
 * cases worked out in the comments (ties, stopping rules, output order); parameter and
 * size errors; allocation failures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cleaning_fixtures.h"
#include "imbal/resample.h"
#include "util.h"

/* ---- data with class names ---- */

typedef struct {
    fold f;
    size_t d, n_classes;
    char **names; /* n_classes, owned */
} named_fold;

static void named_fold_free(named_fold *nf)
{
    fold_free(&nf->f);
    for (size_t c = 0; c < nf->n_classes; c++) {
        free(nf->names[c]);
    }
    free(nf->names);
}

/* The training part (rows with set=train of split, in file order) of a multi-class file. */
static named_fold multiclass_train(const char *data, const char *target, const char *split_path)
{
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_error err = {0};
    ref_table *split = ref_read(split_path);
    named_fold nf = {{0, NULL, NULL}, 0, 0, NULL};
    imbal_load_options_default(&opt);
    opt.target = target;
    ck_assert_msg(imbal_dataset_load(data, &opt, &ds, &err) == IMBAL_OK, "%s", err.msg);
    nf.d = ds->d;
    nf.n_classes = ds->n_classes;
    nf.names = malloc(ds->n_classes * sizeof(*nf.names));
    ck_assert_ptr_nonnull(nf.names);
    for (size_t c = 0; c < ds->n_classes; c++) {
        nf.names[c] = strdup(ds->class_names[c]);
    }
    nf.f.x = malloc(split->n_rows * ds->d * sizeof(double));
    nf.f.y = malloc(split->n_rows * sizeof(int));
    ck_assert_ptr_nonnull(nf.f.x);
    ck_assert_ptr_nonnull(nf.f.y);
    for (size_t r = 0; r < split->n_rows; r++) {
        if (strcmp(ref_str(split, r, "set"), "train") != 0) {
            continue;
        }
        size_t row = (size_t)ref_num(split, r, "row");
        ck_assert_uint_lt(row, ds->n);
        memcpy(nf.f.x + nf.f.n * ds->d, ds->x + row * ds->d, ds->d * sizeof(double));
        nf.f.y[nf.f.n++] = ds->y[row];
    }
    imbal_dataset_free(ds);
    ref_free(split);
    return nf;
}

static named_fold iris_train(void)
{
    named_fold nf = multiclass_train("tests/reference/iris_imbalanced.csv", "species",
                                     "tests/reference/iris_imbalanced_split.csv");
    ck_assert_uint_eq(nf.f.n, 58);
    ck_assert_uint_eq(nf.n_classes, 3);
    ck_assert_str_eq(nf.names[0], "setosa");
    ck_assert_str_eq(nf.names[2], "virginica");
    return nf;
}

static named_fold ecoli_train(void)
{
    named_fold nf = multiclass_train("datasets/ecoli.dat", NULL, "tests/reference/ecoli_split.csv");
    ck_assert_uint_eq(nf.f.n, 252);
    ck_assert_uint_eq(nf.n_classes, 8);
    ck_assert_str_eq(nf.names[0], "cp"); /* sorted: cp im imL imS imU om omL pp */
    ck_assert_str_eq(nf.names[2], "imL");
    ck_assert_str_eq(nf.names[7], "pp");
    return nf;
}

/* Runs name with "k=v;k=v" (or NULL) on v, class names names; returns the status. */
static imbal_status run_named(const char *name, const imbal_train_view *v, char *const *names,
                              const char *params, imbal_resampled **out, imbal_error *err)
{
    const imbal_technique *t = imbal_technique_find(name);
    imbal_param given[4];
    size_t n_given = 0;
    imbal_param_values p;
    char buf[256];
    ck_assert_ptr_nonnull(t);
    *out = NULL;
    if (params != NULL) {
        char *save = NULL;
        snprintf(buf, sizeof(buf), "%s", params);
        for (char *tok = strtok_r(buf, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(tok, '=');
            ck_assert_ptr_nonnull(eq);
            *eq = '\0';
            given[n_given].name = tok;
            given[n_given++].value = eq + 1;
        }
    }
    imbal_status st = imbal_params_parse(t, given, n_given, names, v->n_classes, &p, err);
    if (st != IMBAL_OK) {
        return st;
    }
    return imbal_resample(t, v, &p, NULL, out, err);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a;
    size_t y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Asserts that technique name with params keeps exactly the positions listed under label
 * in the reference file (as a sorted set; imblearn's outputs are compared there sorted). */
static void assert_keeps_reference(const char *name, const char *params, const named_fold *nf,
                                   const char *ref_path, const char *label)
{
    imbal_train_view v = {nf->f.x, nf->f.y, nf->f.n, nf->d, nf->n_classes, NULL};
    imbal_resampled *r = NULL;
    imbal_error err = {0};
    ref_table *t = ref_read(ref_path);
    size_t *want = malloc(t->n_rows * sizeof(*want));
    size_t n_want = 0;
    ck_assert_ptr_nonnull(want);
    ck_assert_msg(run_named(name, &v, nf->names, params, &r, &err) == IMBAL_OK, "%s: %s", label,
                  err.msg);
    for (size_t row = 0; row < t->n_rows; row++) {
        if (strcmp(ref_str(t, row, "technique"), label) == 0) {
            want[n_want++] = (size_t)ref_num(t, row, "kept_position");
        }
    }
    ck_assert_msg(n_want > 0, "%s absent from %s", label, ref_path);
    size_t *got = malloc((r->n > 0 ? r->n : 1) * sizeof(*got));
    ck_assert_ptr_nonnull(got);
    memcpy(got, r->source, r->n * sizeof(*got));
    qsort(got, r->n, sizeof(*got), cmp_size);
    size_t i = 0;
    size_t j = 0;
    size_t only_got = 0;
    size_t only_want = 0;
    while (i < r->n || j < n_want) {
        if (j == n_want || (i < r->n && got[i] < want[j])) {
            only_got++;
            i++;
        } else if (i == r->n || want[j] < got[i]) {
            only_want++;
            j++;
        } else {
            i++;
            j++;
        }
    }
    ck_assert_msg(only_got == 0 && only_want == 0,
                  "%s: imbal keeps %zu rows, imblearn %zu; %zu only in imbal, %zu only in "
                  "imblearn",
                  label, r->n, n_want, only_got, only_want);
    assert_copies_are_exact(r, &v);
    free(got);
    free(want);
    ref_free(t);
    imbal_resampled_free(r);
}

static named_fold abalone_named(void)
{
    named_fold nf = {abalone_train(), ABALONE_D, 2, NULL};
    nf.names = malloc(2 * sizeof(*nf.names));
    ck_assert_ptr_nonnull(nf.names);
    nf.names[0] = strdup("negative");
    nf.names[1] = strdup("positive");
    return nf;
}

#define ABALONE_KEPT "tests/reference/abalone19_kept.csv"
#define IRIS_KEPT "tests/reference/iris_imbalanced_kept_888.csv"
#define ECOLI_KEPT "tests/reference/ecoli_kept_888.csv"

/* ---- parity ---- */

START_TEST(enn_replays_imblearn)
{
    named_fold a = abalone_named();
    named_fold i = iris_train();
    named_fold e = ecoli_train();
    assert_keeps_reference("edited_nearest_neighbours", NULL, &a, ABALONE_KEPT,
                           "edited_nearest_neighbours");
    assert_keeps_reference("edited_nearest_neighbours", "kind_sel=mode", &a, ABALONE_KEPT,
                           "edited_nearest_neighbours_mode");
    assert_keeps_reference("edited_nearest_neighbours", NULL, &i, IRIS_KEPT,
                           "edited_nearest_neighbours");
    assert_keeps_reference("edited_nearest_neighbours", NULL, &e, ECOLI_KEPT,
                           "edited_nearest_neighbours");
    named_fold_free(&a);
    named_fold_free(&i);
    named_fold_free(&e);
}
END_TEST

START_TEST(renn_replays_imblearn)
{
    named_fold a = abalone_named();
    named_fold i = iris_train();
    named_fold e = ecoli_train();
    assert_keeps_reference("repeated_edited_nearest_neighbours", NULL, &a, ABALONE_KEPT,
                           "repeated_edited_nearest_neighbours");
    assert_keeps_reference("repeated_edited_nearest_neighbours", NULL, &i, IRIS_KEPT,
                           "repeated_edited_nearest_neighbours");
    assert_keeps_reference("repeated_edited_nearest_neighbours", NULL, &e, ECOLI_KEPT,
                           "repeated_edited_nearest_neighbours");
    named_fold_free(&a);
    named_fold_free(&i);
    named_fold_free(&e);
}
END_TEST

START_TEST(all_knn_replays_imblearn)
{
    named_fold a = abalone_named();
    named_fold i = iris_train();
    named_fold e = ecoli_train();
    assert_keeps_reference("all_knn", NULL, &a, ABALONE_KEPT, "all_knn");
    assert_keeps_reference("all_knn", NULL, &i, IRIS_KEPT, "all_knn");
    assert_keeps_reference("all_knn", NULL, &e, ECOLI_KEPT, "all_knn");
    named_fold_free(&a);
    named_fold_free(&i);
    named_fold_free(&e);
}
END_TEST

START_TEST(near_miss_replays_imblearn)
{
    named_fold a = abalone_named();
    named_fold i = iris_train();
    named_fold e = ecoli_train();
    assert_keeps_reference("near_miss", NULL, &a, ABALONE_KEPT, "near_miss_1");
    assert_keeps_reference("near_miss", "version=2", &a, ABALONE_KEPT, "near_miss_2");
    assert_keeps_reference("near_miss", "version=3", &a, ABALONE_KEPT, "near_miss_3");
    assert_keeps_reference("near_miss", NULL, &i, IRIS_KEPT, "near_miss_1");
    assert_keeps_reference("near_miss", "version=2", &i, IRIS_KEPT, "near_miss_2");
    assert_keeps_reference("near_miss", "version=3", &i, IRIS_KEPT, "near_miss_3");
    assert_keeps_reference("near_miss", "version=2", &e, ECOLI_KEPT, "near_miss_2");
    named_fold_free(&a);
    named_fold_free(&i);
    named_fold_free(&e);
}
END_TEST

START_TEST(ncr_replays_imblearn)
{
    named_fold a = abalone_named();
    named_fold i = iris_train();
    named_fold e = ecoli_train();
    assert_keeps_reference("neighbourhood_cleaning_rule", NULL, &a, ABALONE_KEPT,
                           "neighbourhood_cleaning_rule");
    assert_keeps_reference("neighbourhood_cleaning_rule", NULL, &i, IRIS_KEPT,
                           "neighbourhood_cleaning_rule");
    assert_keeps_reference("neighbourhood_cleaning_rule", NULL, &e, ECOLI_KEPT,
                           "neighbourhood_cleaning_rule");
    named_fold_free(&a);
    named_fold_free(&i);
    named_fold_free(&e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cleaning_knn");
    TCase *tc = tcase_create("parity");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, enn_replays_imblearn);
    tcase_add_test(tc, renn_replays_imblearn);
    tcase_add_test(tc, all_knn_replays_imblearn);
    tcase_add_test(tc, near_miss_replays_imblearn);
    tcase_add_test(tc, ncr_replays_imblearn);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
