/* The command line as a user meets it: exit codes, error locations on stderr, every
 * sub-command's --help (and its example, run as printed), --version against the libraries'
 * own version calls, and `imbal resample` output checked against the published split and
 * class counts. The binary is $BIN (set by make check), else build/release/imbal. */
#include <gsl/gsl_version.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml.h>

#include "imbal/version.h"
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

START_TEST(version_names_the_libraries_as_they_report_themselves)
{
    char want[256];
    char *out;
    ck_assert_int_eq(run_cli("--version", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 0);
    out = slurp("/tmp/imbal_cli.out");
    snprintf(want, sizeof(want), "imbal %s\nGSL %s\nlibyaml %s\n", IMBAL_VERSION, gsl_version,
             yaml_get_version_string());
    ck_assert_str_eq(out, want);
    free(out);
}
END_TEST

/* The command names `imbal --help` lists: lines of the form "  NAME ..." after "commands:". */
static size_t help_command_names(char names[][32], size_t max)
{
    char *out;
    char *p;
    size_t n = 0;
    ck_assert_int_eq(run_cli("--help", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 0);
    out = slurp("/tmp/imbal_cli.out");
    p = strstr(out, "\ncommands:\n");
    ck_assert_ptr_nonnull(p);
    p += strlen("\ncommands:\n");
    while (*p == ' ' && p[1] == ' ' && p[2] != ' ') {
        size_t len = strcspn(p + 2, " \n");
        ck_assert_uint_lt(n, max);
        ck_assert_uint_lt(len, 32);
        memcpy(names[n], p + 2, len);
        names[n][len] = '\0';
        n++;
        do { /* skip the synopsis' continuation lines and the summary line */
            p = strchr(p, '\n') + 1;
        } while (p[0] == ' ' && p[1] == ' ' && p[2] == ' ');
    }
    free(out);
    return n;
}

/* Runs the example line of a help text ("imbal ..." after "example:") in DIR, which has the
 * repository's configs/ and datasets/ linked in; returns its exit status. */
static int run_example(const char *help, const char *dir, const char *bin_abs)
{
    char cmd[8192];
    const char *ex = strstr(help, "\nexample:\n  imbal ");
    size_t len;
    int rc;
    ck_assert_ptr_nonnull(ex);
    ex += strlen("\nexample:\n  imbal");
    len = strcspn(ex, "\n");
    ck_assert_int_lt(snprintf(cmd, sizeof(cmd), "cd %s && %s%.*s > example.out 2> example.err", dir,
                              bin_abs, (int)len, ex),
                     (int)sizeof(cmd));
    rc = system(cmd);
    ck_assert_int_ne(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

START_TEST(every_command_has_help_with_a_working_example)
{
    char names[16][32];
    char dir[] = "/tmp/imbal_cli_examples.XXXXXX";
    char cwd[PATH_MAX];
    char bin_abs[PATH_MAX * 2];
    char cmd[PATH_MAX * 3];
    size_t n = help_command_names(names, 16);
    int seen = 0;
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    snprintf(bin_abs, sizeof(bin_abs), "%s%s%s", bin()[0] == '/' ? "" : cwd,
             bin()[0] == '/' ? "" : "/", bin());
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd), "ln -s %s/configs %s/datasets %s/", cwd, cwd, dir);
    ck_assert_int_eq(system(cmd), 0);
    for (size_t i = 0; i < n; i++) {
        char args[128];
        char usage[128];
        char example[128];
        char *help;
        char *again;
        snprintf(args, sizeof(args), "%.31s --help", names[i]);
        ck_assert_int_eq(run_cli(args, "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 0);
        help = slurp("/tmp/imbal_cli.out");
        snprintf(usage, sizeof(usage), "usage: imbal %.31s", names[i]);
        snprintf(example, sizeof(example), "\nexample:\n  imbal %.31s", names[i]);
        ck_assert_msg(strncmp(help, usage, strlen(usage)) == 0, "%s: no usage line", names[i]);
        ck_assert_msg(strstr(help, example) != NULL, "%s: no example of itself", names[i]);
        snprintf(args, sizeof(args), "help %.31s", names[i]);
        ck_assert_int_eq(run_cli(args, "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 0);
        again = slurp("/tmp/imbal_cli.out");
        ck_assert_str_eq(again, help);
        ck_assert_msg(run_example(help, dir, bin_abs) == 0, "%s: its example failed", names[i]);
        seen |= (strcmp(names[i], "run") == 0) << 0;
        seen |= (strcmp(names[i], "validate") == 0) << 1;
        seen |= (strcmp(names[i], "techniques") == 0) << 2;
        seen |= (strcmp(names[i], "resample") == 0) << 3;
        free(again);
        free(help);
    }
    ck_assert_int_eq(seen, 15); /* all four listed: the loop above is not vacuous */
    snprintf(cmd, sizeof(cmd), "test -s %s/results/demo/runs.csv && test -s %s/smote-train.csv",
             dir, dir);
    ck_assert_int_eq(system(cmd), 0); /* the run and resample examples wrote their files */
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(unknown_commands_suggest_the_closest)
{
    char *err;
    ck_assert_int_eq(run_cli("rn configs/demo.yaml", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
                     2);
    err = slurp("/tmp/imbal_cli.err");
    ck_assert_ptr_nonnull(strstr(err, "unknown command 'rn' (did you mean 'run'?)"));
    free(err);
    ck_assert_int_eq(run_cli("help validat", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 2);
    err = slurp("/tmp/imbal_cli.err");
    ck_assert_ptr_nonnull(strstr(err, "unknown command 'validat' (did you mean 'validate'?)"));
    free(err);
    ck_assert_int_eq(run_cli("techniques extra", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 2);
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
    tcase_add_test(tc, resample_writes_the_training_fold);
    tcase_add_test(tc, resample_errors_name_the_problem);
    tcase_add_test(tc, version_names_the_libraries_as_they_report_themselves);
    tcase_add_test(tc, every_command_has_help_with_a_working_example);
    tcase_add_test(tc, unknown_commands_suggest_the_closest);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
