/* Datasets that must not load: every error path of the CSV and KEEL readers and of the
 * encoder, with a tiny bad file in tests/data/ each, asserting the status, the location
 * (file, line, 1-based field, column name) and that *out is NULL. Then OOM walks: fail the
 * N-th allocation for N = 1, 2, ... until the call succeeds (make asan checks for leaks). */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "imbal/dataset.h"
#include "util.h"

typedef struct {
    const char *file; /* under tests/data/ */
    imbal_status st;
    long line, column;
    const char *key; /* NULL: not checked */
} bad_case;

static const bad_case bad_files[] = {
    /* CSV structure */
    {"empty.csv", IMBAL_EPARSE, 1, 0, NULL},
    {"blank_only.csv", IMBAL_EPARSE, 1, 0, NULL},
    {"header_only.csv", IMBAL_EPARSE, 1, 0, NULL},
    {"ragged_short.csv", IMBAL_EPARSE, 3, 3, "y"},
    {"ragged_long.csv", IMBAL_EPARSE, 4, 4, NULL},
    {"unterminated.csv", IMBAL_EPARSE, 3, 2, NULL},
    {"after_quote.csv", IMBAL_EPARSE, 3, 2, NULL},
    {"duplicate_name.csv", IMBAL_EPARSE, 1, 3, "a"},
    {"empty_name.csv", IMBAL_EPARSE, 1, 2, NULL},
    {"nul.csv", IMBAL_EPARSE, 3, 2, NULL},
    /* CSV cells */
    {"missing_na.csv", IMBAL_EPARSE, 3, 2, "b"},
    {"missing_empty.csv", IMBAL_EPARSE, 4, 2, "b"},
    {"missing_question.csv", IMBAL_EPARSE, 3, 2, "c"},
    {"missing_label.csv", IMBAL_EPARSE, 4, 3, "y"},
    {"non_numeric.csv", IMBAL_EPARSE, 4, 2, "b"},
    {"multiline_bad.csv", IMBAL_EPARSE, 4, 2, "b"}, /* line 2's quoted field spans 2 lines */
    {"inf.csv", IMBAL_EPARSE, 3, 2, "b"},
    {"hex.csv", IMBAL_EPARSE, 3, 2, "b"},
    {"overflow.csv", IMBAL_EPARSE, 3, 2, "b"},
    /* CSV content */
    {"one_class.csv", IMBAL_EINVAL, 0, 0, "y"},
    {"target_only.csv", IMBAL_EINVAL, 0, 0, NULL},
    /* KEEL */
    {"no_data.dat", IMBAL_EPARSE, 3, 0, NULL},
    {"data_early.dat", IMBAL_EPARSE, 4, 1, NULL},
    {"no_rows.dat", IMBAL_EPARSE, 4, 0, NULL},
    {"string_type.dat", IMBAL_EPARSE, 3, 0, NULL},
    {"open_brace.dat", IMBAL_EPARSE, 3, 0, NULL},
    {"typo_directive.dat", IMBAL_EPARSE, 3, 1, NULL},
    {"bad_output.dat", IMBAL_EPARSE, 4, 0, "class"},
    {"two_outputs.dat", IMBAL_EUNSUP, 4, 0, NULL},
    {"undeclared.dat", IMBAL_EPARSE, 7, 2, "y"},
    {"null.dat", IMBAL_EPARSE, 7, 2, "b"},
    {"ragged.dat", IMBAL_EPARSE, 7, 3, "y"},
    {"non_numeric.dat", IMBAL_EPARSE, 6, 1, "a"},
};

/* Loads paths with opt and checks the failure; file = the path err must name (or NULL). */
static void expect_fail(const char *const *paths, size_t n_paths, const imbal_load_options *opt,
                        imbal_status st, const char *file, long line, long column, const char *key)
{
    imbal_error err;
    imbal_dataset *ds = (imbal_dataset *)&err; /* the call must overwrite it with NULL */
    imbal_error_clear(&err);
    imbal_status got = n_paths == 1 ? imbal_dataset_load(paths[0], opt, &ds, &err)
                                    : imbal_dataset_load_many(paths, n_paths, opt, &ds, NULL, &err);
    ck_assert_msg(got == st, "%s: status %d, want %d (%s)", paths[0], got, st, err.msg);
    ck_assert_int_eq(err.status, st);
    ck_assert_ptr_null(ds);
    ck_assert_msg(err.msg[0] != '\0', "%s: no message", paths[0]);
    if (file != NULL) {
        ck_assert_str_eq(err.file, file);
    }
    ck_assert_msg(err.line == line, "%s: line %ld, want %ld (%s)", paths[0], err.line, line,
                  err.msg);
    ck_assert_msg(err.column == column, "%s: column %ld, want %ld (%s)", paths[0], err.column,
                  column, err.msg);
    if (key != NULL) {
        ck_assert_str_eq(err.key, key);
    }
}

START_TEST(bad_file)
{
    const bad_case *c = &bad_files[_i];
    char path[256];
    const char *p = path;
    snprintf(path, sizeof(path), "tests/data/%s", c->file);
    expect_fail(&p, 1, NULL, c->st, path, c->line, c->column, c->key);
}
END_TEST

START_TEST(missing_file_is_eio)
{
    const char *p = "tests/data/no_such_file.csv";
    imbal_error err;
    imbal_dataset *ds = (imbal_dataset *)&err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load_csv(p, NULL, &ds, &err), IMBAL_EIO);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(err.file, p);
    ck_assert_ptr_nonnull(strstr(err.msg, p));
}
END_TEST

START_TEST(bad_options)
{
    const char *abalone = "datasets/abalone19.csv";
    const char *cat[] = {"Length", "Colour"};
    imbal_load_options opt;
    imbal_load_options_default(&opt);
    opt.target = "Rings";
    expect_fail(&abalone, 1, &opt, IMBAL_EINVAL, NULL, 0, 0, "Rings");
    imbal_load_options_default(&opt);
    opt.positive = "yes";
    expect_fail(&abalone, 1, &opt, IMBAL_EINVAL, NULL, 0, 0, "Class");
    imbal_load_options_default(&opt);
    opt.categorical = cat;
    opt.n_categorical = 2;
    expect_fail(&abalone, 1, &opt, IMBAL_EINVAL, NULL, 0, 0, "Colour");
    /* the only label given as positive still leaves one class */
    const char *one = "tests/data/one_class.csv";
    imbal_load_options_default(&opt);
    opt.positive = "p";
    expect_fail(&one, 1, &opt, IMBAL_EINVAL, NULL, 0, 0, "y");
    /* a given delimiter is used as given: ',' reads the ';' header as one column, and the
     * first record's quoted field is followed by ';' */
    const char *semi = "tests/data/semicolon_crlf.csv";
    imbal_load_options_default(&opt);
    opt.delimiter = ',';
    expect_fail(&semi, 1, &opt, IMBAL_EPARSE, semi, 2, 1, NULL);
    /* forcing KEEL on a CSV file: its first line is data before @data */
    imbal_load_options_default(&opt);
    opt.format = IMBAL_FORMAT_KEEL;
    expect_fail(&abalone, 1, &opt, IMBAL_EPARSE, abalone, 1, 1, NULL);
}
END_TEST

START_TEST(load_many_mismatch_names_later_file)
{
    const char *keel[] = {"datasets/abalone19.dat", "datasets/ecoli.dat"};
    const char *csv[] = {"tests/data/pipe.csv", "tests/data/tie.csv"};
    const char *cells[] = {"tests/data/pipe.csv", "tests/data/pipe_bad.csv"};
    /* 8 ecoli attributes against abalone's 9 */
    expect_fail(keel, 2, NULL, IMBAL_EPARSE, keel[1], 0, 0, NULL);
    /* tie.csv's header x,c differs from x,y,c in column 2 */
    expect_fail(csv, 2, NULL, IMBAL_EPARSE, csv[1], 1, 2, NULL);
    /* a bad cell in the second file is located in that file */
    expect_fail(cells, 2, NULL, IMBAL_EPARSE, cells[1], 3, 2, "y");
    imbal_error err;
    imbal_dataset *ds = (imbal_dataset *)&err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load_many(csv, 0, NULL, &ds, NULL, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(ds);
}
END_TEST

START_TEST(subset_index_out_of_range)
{
    imbal_dataset *ds = NULL;
    imbal_dataset *sub = (imbal_dataset *)&ds;
    const size_t idx[] = {0, 3};
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_new(3, 1, 2, &ds, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_dataset_subset(ds, idx, 2, &sub, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(sub);
    imbal_dataset_free(ds);
}
END_TEST

/* ---- OOM walks ---- */

typedef imbal_status (*load_fn)(const void *arg, imbal_dataset **out, imbal_error *err);

/* Fails allocation N = 1, 2, ... until fn succeeds; each failure must be a clean ENOMEM.
 * Returns the number of allocations the successful call made. */
static long oom_walk(load_fn fn, const void *arg)
{
    for (long n = 1; n < 100000; n++) {
        imbal_error err;
        imbal_dataset *ds = (imbal_dataset *)&err;
        imbal_error_clear(&err);
        imbal_alloc_fail_after(n);
        imbal_status st = fn(arg, &ds, &err);
        long made = imbal_alloc_fail_after(0);
        if (st == IMBAL_OK) {
            ck_assert_ptr_nonnull(ds);
            imbal_dataset_free(ds);
            ck_assert_int_gt(n, 1);
            return made;
        }
        ck_assert_msg(st == IMBAL_ENOMEM, "allocation %ld: status %d (%s)", n, st, err.msg);
        ck_assert_int_eq(err.status, IMBAL_ENOMEM);
        ck_assert_ptr_null(ds);
    }
    ck_abort_msg("the walk did not end");
    return 0;
}

static imbal_status load_csv_fn(const void *arg, imbal_dataset **out, imbal_error *err)
{
    const char *const *cat = arg;
    imbal_load_options opt;
    imbal_load_options_default(&opt);
    opt.categorical = cat;
    opt.n_categorical = 1;
    return imbal_dataset_load_csv("datasets/abalone19.csv", &opt, out, err);
}

static imbal_status load_keel_fn(const void *arg, imbal_dataset **out, imbal_error *err)
{
    (void)arg;
    imbal_load_options opt;
    imbal_load_options_default(&opt);
    opt.positive = "pp";
    return imbal_dataset_load_keel("datasets/ecoli.dat", &opt, out, err);
}

static imbal_status load_many_fn(const void *arg, imbal_dataset **out, imbal_error *err)
{
    const char *p[] = {"datasets/abalone19-5fold/abalone19-5-1tra.dat",
                       "datasets/abalone19-5fold/abalone19-5-1tst.dat", "tests/data/inputs.dat"};
    size_t row_start[3];
    (void)arg;
    /* inputs.dat exercises @inputs/@outputs and comments; loaded alone */
    imbal_status st = imbal_dataset_load_many(p + 2, 1, NULL, out, row_start, err);
    if (st != IMBAL_OK) {
        return st;
    }
    imbal_dataset_free(*out);
    *out = NULL;
    return imbal_dataset_load_many(p, 2, NULL, out, row_start, err);
}

static imbal_status synthetic_fn(const void *arg, imbal_dataset **out, imbal_error *err)
{
    imbal_synthetic_params p;
    (void)arg;
    imbal_synthetic_params_default(&p);
    p.n_samples = 200;
    p.flip_y = 0.1;
    return imbal_dataset_synthetic(&p, out, err);
}

static imbal_status subset_fn(const void *arg, imbal_dataset **out, imbal_error *err)
{
    const imbal_dataset *src = arg;
    const size_t idx[] = {1, 0, 1};
    return imbal_dataset_subset(src, idx, 3, out, err);
}

START_TEST(oom_walks)
{
    /* a forced categorical column with many categories: one dummy name each */
    const char *cat[] = {"Length"};
    oom_walk(load_csv_fn, cat);
    oom_walk(load_keel_fn, NULL);
    oom_walk(load_many_fn, NULL);
    oom_walk(synthetic_fn, NULL);
    imbal_dataset *src = NULL;
    ck_assert_int_eq(imbal_dataset_new(2, 3, 2, &src, NULL), IMBAL_OK);
    oom_walk(subset_fn, src);
    imbal_dataset_free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dataset_errors");
    TCase *tc = tcase_create("bad");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, bad_file, 0, (int)(sizeof(bad_files) / sizeof(bad_files[0])));
    tcase_add_test(tc, missing_file_is_eio);
    tcase_add_test(tc, bad_options);
    tcase_add_test(tc, load_many_mismatch_names_later_file);
    tcase_add_test(tc, subset_index_out_of_range);
    tcase_add_test(tc, oom_walks);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
