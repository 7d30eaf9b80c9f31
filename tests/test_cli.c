/* The command line as a user meets it: exit codes, error locations on stderr, every
 * sub-command's success path (run writing its four reports, whose runs.csv must equal the
 * golden file tests/reference/golden_runs.csv for -j 1 and -j 2 and the generic kernels;
 * validate; techniques; resample against the published split and class counts). The binary
 * is $BIN (set by make check), else build/release/imbal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imbal/resample.h"
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

/* A fresh directory of this process (other checkouts may run their tests at the same time). */
static char tmp_dir[64];

static void make_tmp(void)
{
    strcpy(tmp_dir, "/tmp/imbal_cli_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void remove_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *tmp_path(const char *name)
{
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 256, "%s/%s", tmp_dir, name);
    return p;
}

/* "env $BIN args" with stdout and stderr to out and err in tmp_dir; the exit status. */
static int run_env(const char *env, const char *args)
{
    char cmd[4096];
    int rc;
    snprintf(cmd, sizeof(cmd), "%s %s %s > %s/out 2> %s/err", env, bin(), args, tmp_dir, tmp_dir);
    rc = system(cmd);
    ck_assert_int_ne(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* imbal run's own success path: the four reports, nothing left as .tmp, runs.csv byte for
 * byte the golden file (the reproducibility contract across versions, see
 * tests/reference/README.md), whatever the thread count or kernels. */
START_TEST(run_writes_the_golden_results)
{
    static const char *const files[] = {"runs.csv", "summary.csv", "summary.md", "summary.json"};
    static const char *const ways[][2] = {
        {"", "-j 1"}, {"", "-j 2"}, {"IMBAL_SIMD=generic", "-j 2"}, {"IMBAL_SIMD=best", "-j 1"}};
    char *golden = slurp("tests/reference/golden_runs.csv");
    for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
        char args[512];
        char sub[32];
        char *runs;
        snprintf(sub, sizeof(sub), "out%zu", w);
        snprintf(args, sizeof(args), "run tests/data/golden.yaml -o %s --no-timings -q %s",
                 tmp_path(sub), ways[w][1]);
        ck_assert_int_eq(run_env(ways[w][0], args), 0);
        for (size_t f = 0; f < 4; f++) {
            char name[64];
            snprintf(name, sizeof(name), "%s/%s", sub, files[f]);
            ck_assert_msg(file_exists(tmp_path(name)), "%s missing", name);
            snprintf(name, sizeof(name), "%s/%s.tmp", sub, files[f]);
            ck_assert_msg(!file_exists(tmp_path(name)), "%s left behind", name);
        }
        snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), "/runs.csv");
        runs = slurp(tmp_path(sub));
        ck_assert_msg(strcmp(runs, golden) == 0, "%s %s: runs.csv differs from the golden file",
                      ways[w][0], ways[w][1]);
        free(runs);
    }
    free(golden);
}
END_TEST

/* Without -q the summary table goes to stdout (summary.md as written) and --save-models adds
 * models.csv: intercept plus 10 coefficients per run. */
START_TEST(run_prints_the_summary_and_saves_models)
{
    char args[512];
    char *out;
    char *md;
    char *models;
    size_t lines = 0;
    snprintf(args, sizeof(args), "run tests/data/golden.yaml -o %s --no-timings --save-models",
             tmp_path("full"));
    ck_assert_int_eq(run_env("", args), 0);
    out = slurp(tmp_path("out"));
    md = slurp(tmp_path("full/summary.md"));
    ck_assert_int_eq(strncmp(out, md, strlen(md)), 0);
    ck_assert_ptr_nonnull(strstr(out + strlen(md), "55 runs on"));
    models = slurp(tmp_path("full/models.csv"));
    ck_assert_int_eq(strncmp(models, "dataset,technique,repeat,fold,feature,value\n", 44), 0);
    for (const char *p = models; *p != '\0'; p++) {
        lines += *p == '\n';
    }
    ck_assert_uint_eq(lines, 1 + 55 * 11);
    free(out);
    free(md);
    free(models);
}
END_TEST

START_TEST(validate_techniques_help_and_version_succeed)
{
    char *out;
    ck_assert_int_eq(run_env("", "validate tests/data/golden.yaml"), 0);
    out = slurp(tmp_path("out"));
    ck_assert_str_eq(out, "tests/data/golden.yaml: ok: 1 dataset, 11 techniques, 55 runs\n");
    free(out);
    /* every technique of the registry, each followed by its parameters */
    ck_assert_int_eq(run_env("", "techniques"), 0);
    out = slurp(tmp_path("out"));
    for (size_t i = 0; i < imbal_technique_count(); i++) {
        const imbal_technique *t = imbal_technique_at(i);
        char line[128];
        snprintf(line, sizeof(line), "%s%s\n", i == 0 ? "" : "\n", t->name);
        ck_assert_msg(i == 0 ? strncmp(out, line, strlen(line)) == 0 : strstr(out, line) != NULL,
                      "technique %s not listed", t->name);
        for (const imbal_param_spec *p = t->params; p != NULL && p->name != NULL; p++) {
            ck_assert_msg(strstr(out, p->name) != NULL, "parameter %s not listed", p->name);
        }
    }
    ck_assert_ptr_nonnull(strstr(out, "    k_neighbors "));
    free(out);
    ck_assert_int_eq(run_env("", "--help"), 0);
    out = slurp(tmp_path("out"));
    ck_assert_ptr_nonnull(strstr(out, "usage: imbal"));
    free(out);
    ck_assert_int_eq(run_env("", "--version"), 0);
    out = slurp(tmp_path("out"));
    ck_assert_int_eq(strncmp(out, "imbal ", 6), 0);
    free(out);
    /* an IMBAL_SIMD the program does not know is a usage error, not silently ignored */
    ck_assert_int_eq(run_env("IMBAL_SIMD=avx9", "--version"), 2);
}
END_TEST

START_TEST(exit_codes)
{
    ck_assert_int_eq(run_cli("--version", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 0);
    ck_assert_int_eq(run_cli("frobnicate", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 2);
    ck_assert_int_eq(run_cli("run", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"), 2);
    ck_assert_int_eq(
        run_cli("run tests/data/spec_good.yaml -j 0", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
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
    ck_assert_int_eq(
        run_cli("validate tests/data/spec_good.yaml", "/tmp/imbal_cli.out", "/tmp/imbal_cli.err"),
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
    tcase_add_checked_fixture(tc, make_tmp, remove_tmp);
    tcase_add_test(tc, run_writes_the_golden_results);
    tcase_add_test(tc, run_prints_the_summary_and_saves_models);
    tcase_add_test(tc, validate_techniques_help_and_version_succeed);
    tcase_add_test(tc, exit_codes);
    tcase_add_test(tc, invalid_spec_lists_every_problem_and_writes_nothing);
    tcase_add_test(tc, validate_reports_run_count);
    tcase_add_test(tc, resample_writes_the_training_fold);
    tcase_add_test(tc, resample_errors_name_the_problem);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
