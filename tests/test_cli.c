/* The command line as a user meets it: exit codes, error locations on stderr, and
 * `imbal resample` output checked against the published split and class counts. The binary
 * is $BIN (set by make check), else build/release/imbal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util.h"

static const char *bin(void)
{
    const char *b = getenv("BIN");
    return b != NULL && b[0] != '\0' ? b : "build/release/imbal";
}

/* Runs "$BIN args" with stdout and stderr to files; returns the exit status. */
static int run_cli(const char *args, const char *out, const char *errf)
{
    char cmd[2048];
    int rc;
    snprintf(cmd, sizeof(cmd), "%s %s > %s 2> %s", bin(), args, out, errf);
    rc = system(cmd);
    ck_assert_int_ne(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

START_TEST(exit_codes)
{
    ck_assert_int_eq(run_cli("--version", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 0);
    ck_assert_int_eq(run_cli("frobnicate", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 2);
    ck_assert_int_eq(run_cli("run", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 2);
    ck_assert_int_eq(run_cli("run tests/data/spec_good.yaml -j 0", "/tmp/imbal_cli.out",
                             "/tmp/imbal_cli.err"),
                     2);
}
END_TEST

START_TEST(invalid_spec_lists_every_problem_and_writes_nothing)
{
    char *err;
    FILE *f;
    remove("/tmp/imbal_cli_never/runs.csv");
    ck_assert_int_eq(run_cli("run tests/data/spec_many_errors.yaml -o /tmp/imbal_cli_never",
                             "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
                     2);
    err = slurp("/tmp/imbal_cli.err");
    ck_assert_ptr_nonnull(strstr(err, "tests/data/spec_many_errors.yaml:3:1: error: unknown key "
                                      "'datasetz' in the spec (did you mean 'datasets'?)"));
    ck_assert_ptr_nonnull(strstr(err, "spec_many_errors.yaml:6:13: error: unknown protocol"));
    ck_assert_ptr_nonnull(strstr(err, "6 problems in tests/data/spec_many_errors.yaml"));
    f = fopen("/tmp/imbal_cli_never/runs.csv", "r");
    ck_assert_ptr_null(f);
    free(err);
}
END_TEST

START_TEST(duplicate_key_names_both_lines)
{
    char *err;
    ck_assert_int_eq(run_cli("validate tests/data/spec_dup_keys.yaml", "/tmp/imbal_cli.out",
                             "/tmp/imbal_cli.err"),
                     2);
    err = slurp("/tmp/imbal_cli.err");
    ck_assert_ptr_nonnull(strstr(err, "tests/data/spec_dup_keys.yaml:7:3: error: duplicate key "
                                      "'folds' (first at line 6)\n"));
    ck_assert_ptr_nonnull(strstr(err, "tests/data/spec_dup_keys.yaml:8:1: error: duplicate key "
                                      "'seed' (first at line 2)\n"));
    free(err);
}
END_TEST

START_TEST(validate_reports_run_count)
{
    char *out;
    ck_assert_int_eq(run_cli("validate tests/data/spec_good.yaml", "/tmp/imbal_cli.out",
                             "/tmp/imbal_cli.err"),
                     0);
    out = slurp("/tmp/imbal_cli.out");
    ck_assert_ptr_nonnull(strstr(out, "ok: 1 dataset, 3 techniques, 3 runs"));
    free(out);
}
END_TEST

START_TEST(resample_writes_the_training_fold)
{
    /* random_over on the published training fold: 3313 + 26 rows kept, 3287 positives drawn
     * (tests/reference/abalone19_table_888.csv: 3313 / 3313 after); the first output row is
     * the fold's first row, data row 1897 (tests/reference/abalone19_split.csv) */
    ref_table *t;
    size_t pos = 0;
    size_t from_fold = 0;
    ck_assert_int_eq(run_cli("resample datasets/abalone19.csv --target Class --positive positive "
                             "--technique random_over --split datasets/abalone19_split.csv "
                             "--seed 888 -o /tmp/imbal_cli_ros.csv",
                             "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
                     0);
    t = ref_read("/tmp/imbal_cli_ros.csv");
    ck_assert_uint_eq(t->n_rows, 6626);
    ck_assert_uint_eq(t->n_cols, 11);
    ck_assert_str_eq(t->header[7], "Sex_I");
    ck_assert_str_eq(t->header[9], "target");
    ck_assert_str_eq(t->header[10], "source_row");
    ck_assert_str_eq(ref_str(t, 0, "source_row"), "1897");
    for (size_t i = 0; i < t->n_rows; i++) {
        pos += strcmp(ref_str(t, i, "target"), "positive") == 0;
        from_fold += ref_str(t, i, "source_row")[0] != '\0';
    }
    ck_assert_uint_eq(pos, 3313);
    ck_assert_uint_eq(from_fold, 6626); /* random over-sampling only copies rows */
    ref_free(t);
    /* SMOTE rows are new: their source_row is empty */
    ck_assert_int_eq(run_cli("resample datasets/abalone19.csv --target Class --positive positive "
                             "--technique smote --split datasets/abalone19_split.csv "
                             "-o /tmp/imbal_cli_smote.csv",
                             "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
                     0);
    t = ref_read("/tmp/imbal_cli_smote.csv");
    from_fold = 0;
    for (size_t i = 0; i < t->n_rows; i++) {
        from_fold += ref_str(t, i, "source_row")[0] != '\0';
    }
    ck_assert_uint_eq(t->n_rows, 6626);
    ck_assert_uint_eq(from_fold, 3339);
    ref_free(t);
}
END_TEST

START_TEST(resample_errors_name_the_problem)
{
    char *err;
    ck_assert_int_eq(run_cli("resample datasets/abalone19.csv --target Class --positive positive "
                             "--technique smoth -o /tmp/imbal_cli_x.csv",
                             "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
                     2);
    err = slurp("/tmp/imbal_cli.err");
    ck_assert_ptr_nonnull(strstr(err, "unknown technique 'smoth' (did you mean 'smote'?)"));
    free(err);
    ck_assert_int_eq(run_cli("resample datasets/abalone19.csv --target Class --positive positive "
                             "--technique smote --param k_neighbors=40 "
                             "--split datasets/abalone19_split.csv -o /tmp/imbal_cli_x.csv",
                             "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
                     2);
    err = slurp("/tmp/imbal_cli.err");
    ck_assert_ptr_nonnull(strstr(err, "26")); /* the 26 positives of the fold are too few */
    free(err);
    ck_assert_int_eq(run_cli("resample tests/data/no_such.csv --technique none -o /tmp/x.csv",
                             "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
                     2);
    err = slurp("/tmp/imbal_cli.err");
    ck_assert_ptr_nonnull(strstr(err, "tests/data/no_such.csv"));
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("commands");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, exit_codes);
    tcase_add_test(tc, invalid_spec_lists_every_problem_and_writes_nothing);
    tcase_add_test(tc, validate_reports_run_count);
    tcase_add_test(tc, duplicate_key_names_both_lines);
    tcase_add_test(tc, resample_writes_the_training_fold);
    tcase_add_test(tc, resample_errors_name_the_problem);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
