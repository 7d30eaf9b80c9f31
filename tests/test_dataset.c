/* Datasets that load: abalone19 (CSV and KEEL, checked against the raw file, pandas'
 * get_dummies column layout and the published split), ecoli, KEEL partitions, CSV dialects,
 * label options, new/subset; synthetic data in test_synthetic.c. Bad inputs and OOM walks: test_dataset_errors.c.
 * Doubles read from files are compared with == against C literals of the same decimal text:
 * strtod and the compiler both round correctly, so the bits must agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/dataset.h"
#include "util.h"

static imbal_dataset *load_ok(const char *path, const imbal_load_options *opt)
{
    imbal_dataset *ds = NULL;
    imbal_error err;
    char buf[600];
    imbal_error_clear(&err);
    imbal_status st = imbal_dataset_load(path, opt, &ds, &err);
    ck_assert_msg(st == IMBAL_OK, "%s", imbal_error_format(&err, buf, sizeof(buf)));
    ck_assert_ptr_nonnull(ds);
    return ds;
}

static void assert_row(const imbal_dataset *ds, size_t i, const double *want, int y)
{
    for (size_t j = 0; j < ds->d; j++) {
        ck_assert_msg(ds->x[i * ds->d + j] == want[j], "row %zu col %zu: %.17g != %.17g", i, j,
                      ds->x[i * ds->d + j], want[j]);
    }
    ck_assert_int_eq(ds->y[i], y);
}

START_TEST(abalone_csv_layout_and_values)
{
    /* pandas.get_dummies(drop_first=True) on Sex {F, I, M}: Sex_I, Sex_M after the 7
     * numeric columns (tests/reference/README.md lists this order) */
    static const char *names[] = {"Length",       "Diameter",       "Height",
                                  "Whole_weight", "Shucked_weight", "Viscera_weight",
                                  "Shell_weight", "Sex_I",          "Sex_M"};
    /* datasets/abalone19.csv lines 2, 6, 11 and 4175 */
    static const double r0[] = {0.455, 0.365, 0.095, 0.514, 0.2245, 0.101, 0.15, 0, 1};
    static const double r4[] = {0.33, 0.255, 0.08, 0.205, 0.0895, 0.0395, 0.055, 1, 0};
    static const double r9[] = {0.55, 0.44, 0.15, 0.8945, 0.3145, 0.151, 0.32, 0, 0};
    static const double r4173[] = {0.625, 0.485, 0.15, 1.0945, 0.531, 0.261, 0.296, 0, 0};
    size_t counts[2];
    imbal_dataset *ds = load_ok("datasets/abalone19.csv", NULL);
    ck_assert_uint_eq(ds->n, 4174);
    ck_assert_uint_eq(ds->d, 9);
    ck_assert_uint_eq(ds->n_classes, 2);
    for (size_t j = 0; j < 9; j++) {
        ck_assert_str_eq(ds->feature_names[j], names[j]);
        ck_assert_int_eq(ds->is_dummy[j], j >= 7);
    }
    ck_assert_str_eq(ds->class_names[0], "negative");
    ck_assert_str_eq(ds->class_names[1], "positive");
    ck_assert_str_eq(ds->name, "abalone19");
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[0], 4142);
    ck_assert_uint_eq(counts[1], 32);
    assert_row(ds, 0, r0, 0);
    assert_row(ds, 4, r4, 0);
    assert_row(ds, 9, r9, 1);
    assert_row(ds, 4173, r4173, 0);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(abalone_labels_match_published_split)
{
    /* the published hold-out has 26 positives among 3339 train rows, 6 among 835 test rows */
    ref_table *split = ref_read("tests/reference/abalone19_split.csv");
    imbal_dataset *ds = load_ok("datasets/abalone19.csv", NULL);
    size_t pos[2] = {0, 0};
    size_t total[2] = {0, 0};
    for (size_t r = 0; r < split->n_rows; r++) {
        size_t row = (size_t)ref_num(split, r, "row");
        int test = strcmp(ref_str(split, r, "set"), "test") == 0;
        ck_assert_uint_lt(row, ds->n);
        pos[test] += (size_t)ds->y[row];
        total[test]++;
    }
    ck_assert_uint_eq(total[0], 3339);
    ck_assert_uint_eq(total[1], 835);
    ck_assert_uint_eq(pos[0], 26);
    ck_assert_uint_eq(pos[1], 6);
    imbal_dataset_free(ds);
    ref_free(split);
}
END_TEST

START_TEST(abalone_csv_equals_keel_bitwise)
{
    imbal_dataset *c = load_ok("datasets/abalone19.csv", NULL);
    imbal_dataset *k = load_ok("datasets/abalone19.dat", NULL);
    ck_assert_uint_eq(c->n, k->n);
    ck_assert_uint_eq(c->d, k->d);
    ck_assert_int_eq(memcmp(c->x, k->x, c->n * c->d * sizeof(double)), 0);
    ck_assert_int_eq(memcmp(c->y, k->y, c->n * sizeof(int)), 0);
    ck_assert_int_eq(memcmp(c->is_dummy, k->is_dummy, c->d), 0);
    for (size_t j = 0; j < c->d; j++) {
        ck_assert_str_eq(c->feature_names[j], k->feature_names[j]);
    }
    for (size_t m = 0; m < 2; m++) {
        ck_assert_str_eq(c->class_names[m], k->class_names[m]);
    }
    ck_assert_str_eq(k->name, "abalone19"); /* from @relation */
    imbal_dataset_free(c);
    imbal_dataset_free(k);
}
END_TEST

START_TEST(ecoli_multiclass)
{
    /* SOURCES.md: cp 143, im 77, pp 52, imU 35, om 20, omL 5, imL 2, imS 2; numbered in
     * bytewise order of the labels */
    static const char *cls[] = {"cp", "im", "imL", "imS", "imU", "om", "omL", "pp"};
    static const size_t want[] = {143, 77, 2, 2, 35, 20, 5, 52};
    static const double r0[] = {49, 29, 48, 5, 56, 24, 35}; /* line 11 */
    size_t counts[8];
    imbal_dataset *ds = load_ok("datasets/ecoli.dat", NULL);
    ck_assert_uint_eq(ds->n, 336);
    ck_assert_uint_eq(ds->d, 7);
    ck_assert_uint_eq(ds->n_classes, 8);
    ck_assert_str_eq(ds->feature_names[0], "a1");
    ck_assert_str_eq(ds->feature_names[6], "a7");
    imbal_dataset_class_counts(ds, counts);
    for (size_t c = 0; c < 8; c++) {
        ck_assert_str_eq(ds->class_names[c], cls[c]);
        ck_assert_uint_eq(counts[c], want[c]);
    }
    assert_row(ds, 0, r0, 0);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(positive_option)
{
    imbal_load_options opt;
    size_t counts[2];
    imbal_load_options_default(&opt);
    /* several other labels: all become class 0, named "negative"; 336 - 52 = 284 */
    opt.positive = "pp";
    imbal_dataset *ds = load_ok("datasets/ecoli.dat", &opt);
    ck_assert_uint_eq(ds->n_classes, 2);
    ck_assert_str_eq(ds->class_names[0], "negative");
    ck_assert_str_eq(ds->class_names[1], "pp");
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[0], 284);
    ck_assert_uint_eq(counts[1], 52);
    imbal_dataset_free(ds);
    /* one other label: class 0 keeps its name; the frequent label may be positive */
    opt.positive = "negative";
    ds = load_ok("datasets/abalone19.csv", &opt);
    ck_assert_str_eq(ds->class_names[0], "positive");
    ck_assert_str_eq(ds->class_names[1], "negative");
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[0], 32);
    ck_assert_uint_eq(counts[1], 4142);
    ck_assert_int_eq(ds->y[0], 1);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(tie_makes_later_label_positive)
{
    /* tie.csv: labels b, a, b, a: 2 each, so the later in sorted order (b) is positive */
    static const int want[] = {1, 0, 1, 0};
    imbal_dataset *ds = load_ok("tests/data/tie.csv", NULL);
    ck_assert_str_eq(ds->class_names[0], "a");
    ck_assert_str_eq(ds->class_names[1], "b");
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(ds->y[i], want[i]);
    }
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(target_option_makes_class_a_feature)
{
    /* target Sex (F 1307, I 1341, M 1526 by pandas value_counts): three classes; Class is
     * now a categorical feature {negative, positive} -> one dummy, Class_positive */
    imbal_load_options opt;
    size_t counts[3];
    imbal_load_options_default(&opt);
    opt.target = "Sex";
    imbal_dataset *ds = load_ok("datasets/abalone19.csv", &opt);
    ck_assert_uint_eq(ds->d, 8);
    ck_assert_uint_eq(ds->n_classes, 3);
    ck_assert_str_eq(ds->feature_names[7], "Class_positive");
    ck_assert_int_eq(ds->is_dummy[7], 1);
    ck_assert_str_eq(ds->class_names[0], "F");
    ck_assert_str_eq(ds->class_names[2], "M");
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[0], 1307);
    ck_assert_uint_eq(counts[1], 1341);
    ck_assert_uint_eq(counts[2], 1526);
    ck_assert_int_eq(ds->y[0], 2);
    ck_assert(ds->x[9 * 8 + 7] == 1.0); /* row 9 is positive */
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(csv_semicolon_quotes_crlf)
{
    /* semicolon_crlf.csv: ';' detected from the header; "" escapes; a quoted CRLF inside a
     * field; name {a "quoted" one, two<CRLF>lines, plain} sorted bytewise -> dummies plain,
     * two..; colour {red, blue, red} -> colour_red; label yes once -> positive */
    static const double r0[] = {1.5, 0, 0, 1};
    static const double r1[] = {-20, 0, 1, 0};
    static const double r2[] = {0.25, 1, 0, 1};
    imbal_dataset *ds = load_ok("tests/data/semicolon_crlf.csv", NULL);
    ck_assert_uint_eq(ds->n, 3);
    ck_assert_uint_eq(ds->d, 4);
    ck_assert_str_eq(ds->feature_names[0], "size; cm");
    ck_assert_str_eq(ds->feature_names[1], "name_plain");
    ck_assert_str_eq(ds->feature_names[2], "name_two\r\nlines");
    ck_assert_str_eq(ds->feature_names[3], "colour_red");
    ck_assert_str_eq(ds->class_names[1], "yes");
    assert_row(ds, 0, r0, 1);
    assert_row(ds, 1, r1, 0);
    assert_row(ds, 2, r2, 0);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(csv_pipe_tab_bom_cr)
{
    static const char *files[] = {"tests/data/pipe.csv", "tests/data/tab.csv"};
    static const double r2[] = {5, 6};
    for (size_t f = 0; f < 2; f++) {
        imbal_dataset *ds = load_ok(files[f], NULL);
        ck_assert_uint_eq(ds->d, 2);
        ck_assert_str_eq(ds->feature_names[1], "y");
        ck_assert_str_eq(ds->class_names[1], "a"); /* a once, b twice */
        assert_row(ds, 2, r2, 0);
        imbal_dataset_free(ds);
    }
    imbal_dataset *ds = load_ok("tests/data/bom.csv", NULL);
    ck_assert_str_eq(ds->feature_names[0], "x");
    imbal_dataset_free(ds);
    /* old Mac line ends (lone CR), one blank line among them */
    ds = load_ok("tests/data/cr_only.csv", NULL);
    ck_assert_uint_eq(ds->n, 3);
    ck_assert(ds->x[2] == 3.0);
    ck_assert_int_eq(ds->y[0], 1);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(csv_blanks_and_forced_categorical)
{
    /* spaces_code.csv: trimmed names and cells, blank lines skipped; code {10, 9, 2, 10} */
    static const double plain[][2] = {{1, 10}, {2, 9}, {3, 2}, {4, 10}};
    /* forced categorical: numbers sort by value 2 < 9 < 10 (bytewise would put 10 first) */
    static const double coded[][3] = {{1, 0, 1}, {2, 1, 0}, {3, 0, 0}, {4, 0, 1}};
    static const int y[] = {1, 0, 0, 0};
    const char *cat[] = {"code"};
    imbal_load_options opt;
    imbal_dataset *ds = load_ok("tests/data/spaces_code.csv", NULL);
    ck_assert_uint_eq(ds->n, 4);
    ck_assert_str_eq(ds->feature_names[1], "code");
    for (size_t i = 0; i < 4; i++) {
        assert_row(ds, i, plain[i], y[i]);
    }
    imbal_dataset_free(ds);
    imbal_load_options_default(&opt);
    opt.categorical = cat;
    opt.n_categorical = 1;
    ds = load_ok("tests/data/spaces_code.csv", &opt);
    ck_assert_uint_eq(ds->d, 3);
    ck_assert_str_eq(ds->feature_names[1], "code_9");
    ck_assert_str_eq(ds->feature_names[2], "code_10");
    for (size_t i = 0; i < 4; i++) {
        assert_row(ds, i, coded[i], y[i]);
    }
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(keel_inputs_outputs_comments)
{
    /* inputs.dat: id is in neither list -> not loaded; colour {green, red} -> colour_red */
    static const double rows[][2] = {{0.5, 0}, {1.5, 1}, {2.5, 0}};
    static const int y[] = {0, 1, 0};
    imbal_load_options opt;
    imbal_dataset *ds = load_ok("tests/data/inputs.dat", NULL);
    ck_assert_uint_eq(ds->d, 2);
    ck_assert_str_eq(ds->feature_names[0], "w");
    ck_assert_str_eq(ds->feature_names[1], "colour_red");
    ck_assert_str_eq(ds->name, "tiny");
    for (size_t i = 0; i < 3; i++) {
        assert_row(ds, i, rows[i], y[i]);
    }
    imbal_dataset_free(ds);
    /* another target: the @outputs attribute y becomes a feature */
    imbal_load_options_default(&opt);
    opt.target = "colour";
    ds = load_ok("tests/data/inputs.dat", &opt);
    ck_assert_uint_eq(ds->d, 2);
    ck_assert_str_eq(ds->feature_names[1], "y_p");
    ck_assert_str_eq(ds->class_names[1], "red");
    imbal_dataset_free(ds);
}
END_TEST

static int cmp_rows_d;
static const double *cmp_rows_x;

static int cmp_rows(const void *a, const void *b)
{
    const double *p = cmp_rows_x + *(const size_t *)a * (size_t)cmp_rows_d;
    const double *q = cmp_rows_x + *(const size_t *)b * (size_t)cmp_rows_d;
    return memcmp(p, q, (size_t)cmp_rows_d * sizeof(double));
}

/* Row indices [lo, hi) of ds sorted by their bytes, for a multiset comparison. */
static size_t *sorted_rows(const imbal_dataset *ds, size_t lo, size_t hi)
{
    size_t *idx = malloc((hi - lo) * sizeof(*idx));
    for (size_t i = lo; i < hi; i++) {
        idx[i - lo] = i;
    }
    cmp_rows_d = (int)ds->d;
    cmp_rows_x = ds->x;
    qsort(idx, hi - lo, sizeof(*idx), cmp_rows);
    return idx;
}

START_TEST(keel_partitions_load_many)
{
    char paths[10][80];
    const char *p[10];
    size_t row_start[11];
    imbal_dataset *ds = NULL;
    imbal_error err;
    /* positives per test partition, counted in the raw files: 6, 6, 7, 7, 6 */
    static const size_t tst_pos[] = {6, 6, 7, 7, 6};
    for (int f = 0; f < 5; f++) {
        for (int t = 0; t < 2; t++) {
            snprintf(paths[2 * f + t], sizeof(paths[0]),
                     "datasets/abalone19-5fold/abalone19-5-%d%s.dat", f + 1, t ? "tst" : "tra");
            p[2 * f + t] = paths[2 * f + t];
        }
    }
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load_many(p, 10, NULL, &ds, row_start, &err), IMBAL_OK);
    ck_assert_uint_eq(ds->n, 5 * 4174);
    ck_assert_uint_eq(ds->d, 9);
    ck_assert_uint_eq(row_start[0], 0);
    ck_assert_uint_eq(row_start[10], ds->n);
    for (size_t f = 0; f < 5; f++) {
        size_t pos[2] = {0, 0};
        ck_assert_uint_eq(row_start[2 * f + 2] - row_start[2 * f], 4174);
        for (size_t t = 0; t < 2; t++) {
            for (size_t i = row_start[2 * f + t]; i < row_start[2 * f + t + 1]; i++) {
                pos[t] += (size_t)ds->y[i];
            }
        }
        ck_assert_uint_eq(pos[0] + pos[1], 32);
        ck_assert_uint_eq(pos[1], tst_pos[f]);
    }
    /* the five test partitions hold every abalone row once: same multiset of rows */
    imbal_dataset *full = load_ok("datasets/abalone19.csv", NULL);
    const char *tst[5] = {p[1], p[3], p[5], p[7], p[9]};
    imbal_dataset *t5 = NULL;
    ck_assert_int_eq(imbal_dataset_load_many(tst, 5, NULL, &t5, NULL, &err), IMBAL_OK);
    ck_assert_uint_eq(t5->n, full->n);
    size_t *a = sorted_rows(full, 0, full->n);
    size_t *b = sorted_rows(t5, 0, t5->n);
    for (size_t i = 0; i < full->n; i++) {
        ck_assert_int_eq(memcmp(full->x + a[i] * 9, t5->x + b[i] * 9, 9 * sizeof(double)), 0);
    }
    free(a);
    free(b);
    imbal_dataset_free(t5);
    imbal_dataset_free(full);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(load_many_csv_detects_each_delimiter)
{
    const char *p[] = {"tests/data/pipe.csv", "tests/data/tab.csv"};
    size_t row_start[3];
    imbal_dataset *ds = NULL;
    ck_assert_int_eq(imbal_dataset_load_many(p, 2, NULL, &ds, row_start, NULL), IMBAL_OK);
    ck_assert_uint_eq(ds->n, 6);
    ck_assert_uint_eq(row_start[1], 3);
    ck_assert(ds->x[3 * 2 + 1] == 2.0); /* tab.csv row 0: 1, 2 */
    ck_assert_str_eq(ds->name, "pipe");
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(new_subset_counts_free)
{
    imbal_dataset *ds = NULL;
    imbal_dataset *sub = NULL;
    size_t counts[3];
    const size_t idx[] = {2, 0, 2};
    ck_assert_int_eq(imbal_dataset_new(3, 2, 3, &ds, NULL), IMBAL_OK);
    ck_assert_str_eq(ds->feature_names[1], "x1");
    ck_assert_str_eq(ds->class_names[2], "class2");
    ck_assert(ds->x[5] == 0.0);
    for (size_t i = 0; i < 6; i++) {
        ds->x[i] = (double)i;
    }
    ds->y[0] = 2;
    ds->y[2] = 1;
    ck_assert_int_eq(imbal_dataset_subset(ds, idx, 3, &sub, NULL), IMBAL_OK);
    ck_assert_uint_eq(sub->n, 3);
    ck_assert(sub->x[0] == 4.0 && sub->x[1] == 5.0 && sub->x[2] == 0.0 && sub->x[5] == 5.0);
    ck_assert_int_eq(sub->y[0], 1);
    ck_assert_int_eq(sub->y[1], 2);
    ck_assert_str_eq(sub->feature_names[0], "x0");
    imbal_dataset_class_counts(sub, counts);
    ck_assert_uint_eq(counts[0], 0);
    ck_assert_uint_eq(counts[1], 2);
    ck_assert_uint_eq(counts[2], 1);
    imbal_dataset_free(sub);
    imbal_dataset_free(ds);
    imbal_dataset_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("load");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, abalone_csv_layout_and_values);
    tcase_add_test(tc, abalone_labels_match_published_split);
    tcase_add_test(tc, abalone_csv_equals_keel_bitwise);
    tcase_add_test(tc, ecoli_multiclass);
    tcase_add_test(tc, positive_option);
    tcase_add_test(tc, tie_makes_later_label_positive);
    tcase_add_test(tc, target_option_makes_class_a_feature);
    tcase_add_test(tc, csv_semicolon_quotes_crlf);
    tcase_add_test(tc, csv_pipe_tab_bom_cr);
    tcase_add_test(tc, csv_blanks_and_forced_categorical);
    tcase_add_test(tc, keel_inputs_outputs_comments);
    tcase_add_test(tc, keel_partitions_load_many);
    tcase_add_test(tc, load_many_csv_detects_each_delimiter);
    tcase_add_test(tc, new_subset_counts_free);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
