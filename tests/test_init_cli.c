/* `imbal init` as a user meets it: the default output name in the current directory, a data
 * path relative to the spec's own directory, -o -, refusing to overwrite, the summary on
 * stderr, errors naming the file, and the written spec run unedited by `imbal run`. The
 * binary is $BIN (set by make check), else build/release/imbal. */
#define _XOPEN_SOURCE 700 /* realpath */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static char bin_path[4096];
static char dir[64];

/* The binary as an absolute path (tests change directory) and a fresh directory. */
static void setup(void)
{
    const char *b = getenv("BIN");
    char *abs = realpath(b != NULL && b[0] != '\0' ? b : "build/release/imbal", NULL);
    ck_assert_ptr_nonnull(abs);
    snprintf(bin_path, sizeof(bin_path), "%s", abs);
    free(abs);
    snprintf(dir, sizeof(dir), "/tmp/imbal_init_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Runs "cd CWD && $BIN args" with stdout and stderr to dir/out and dir/err; returns the
 * exit status. cwd NULL: the repository root. */
static int run_in(const char *cwd, const char *args)
{
    char cmd[8192];
    int rc;
    snprintf(cmd, sizeof(cmd), "%s%s%s'%s' %s > '%s/out' 2> '%s/err'", cwd != NULL ? "cd '" : "",
             cwd != NULL ? cwd : "", cwd != NULL ? "' && " : "", bin_path, args, dir, dir);
    rc = system(cmd);
    ck_assert_int_ne(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *read_in_dir(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return slurp(path);
}

static int exists(const char *name)
{
    char path[256];
    struct stat sb;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return stat(path, &sb) == 0;
}

/* dir/data/colours.csv: 40 rows, a categorical column, y = 1 on every fifth row */
static void write_colours(void)
{
    static const char *const colour[] = {"red", "green", "blue"};
    char path[256];
    FILE *f;
    snprintf(path, sizeof(path), "%s/data", dir);
    ck_assert_int_eq(mkdir(path, 0777), 0);
    snprintf(path, sizeof(path), "%s/data/colours.csv", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "colour,size,y\n");
    for (int i = 0; i < 40; i++) {
        fprintf(f, "%s,%g,%d\n", colour[i % 3], (i * 7) % 13 + (i % 5 == 0 ? 2.5 : 0.0),
                i % 5 == 0);
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* Lines of text that start with prefix. */
static size_t count_lines(const char *text, const char *prefix)
{
    size_t n = 0;
    size_t len = strlen(prefix);
    for (const char *p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p) {
        n += strncmp(p, prefix, len) == 0;
    }
    return n;
}

START_TEST(ecoli_spec_runs_unedited)
{
    char args[512];
    char *err;
    char *runs;
    snprintf(args, sizeof(args), "init datasets/ecoli.dat -o '%s/ecoli.yaml'", dir);
    ck_assert_int_eq(run_in(NULL, args), 0);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "8 classes: cp 143, im 77, pp 52, imU 35, om 20, omL 5, "
                                      "imL 2, imS 2"));
    ck_assert_ptr_nonnull(strstr(err, "positive 'imS' (2 rows"));
    ck_assert_ptr_nonnull(strstr(err, "imbalance ratio 167"));
    ck_assert_ptr_nonnull(strstr(err, "2 folds x 25 repeats; 10 of 23 techniques (left "
                                      "out: smote, smote_tomek, repeated_edited_nearest_"
                                      "neighbours, all_knn, near_miss, smote_enn, adasyn, "
                                      "borderline_smote, svm_smote, kmeans_smote, "
                                      "smote_nc, smoten, instance_hardness_threshold)"));
    ck_assert_ptr_nonnull(strstr(err, "--positive om"));
    free(err);
    snprintf(args, sizeof(args), "run '%s/ecoli.yaml' -q -o '%s/res'", dir, dir);
    ck_assert_int_eq(run_in(NULL, args), 0);
    runs = read_in_dir("res/runs.csv");
    /* 6 techniques x 25 repeats x 2 folds, each run's row starting with the dataset name */
    ck_assert_uint_eq(count_lines(runs, "ecoli,"), 500);
    free(runs);
}
END_TEST

START_TEST(default_output_path_relative_and_no_overwrite)
{
    char *spec;
    char *again;
    char *err;
    char sub[128];
    char args[512];
    write_colours();
    /* default: <stem>.yaml in the current directory, data named relative to it */
    ck_assert_int_eq(run_in(dir, "init data/colours.csv"), 0);
    ck_assert_int_eq(exists("colours.yaml"), 1);
    spec = read_in_dir("colours.yaml");
    ck_assert_ptr_nonnull(strstr(spec, "\n    path: data/colours.csv\n"));
    ck_assert_ptr_nonnull(strstr(spec, "\n    positive: 1\n"));
    ck_assert_ptr_nonnull(strstr(spec, "\n    categorical: [colour]\n"));
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "wrote colours.yaml; next: imbal run colours.yaml"));
    free(err);
    /* a second time: refused, the file kept as it was */
    ck_assert_int_eq(run_in(dir, "init data/colours.csv --target size"), 2);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "'colours.yaml' exists; nothing was written"));
    free(err);
    again = read_in_dir("colours.yaml");
    ck_assert_str_eq(again, spec);
    free(again);
    /* --force overwrites */
    ck_assert_int_eq(run_in(dir, "init data/colours.csv --force --positive 0"), 0);
    again = read_in_dir("colours.yaml");
    ck_assert_ptr_nonnull(strstr(again, "\n    positive: 0\n"));
    free(again);
    free(spec);
    /* a spec in another directory names the data from there, and runs from anywhere */
    snprintf(sub, sizeof(sub), "%s/specs", dir);
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    ck_assert_int_eq(run_in(dir, "init data/colours.csv -o specs/c.yaml"), 0);
    spec = read_in_dir("specs/c.yaml");
    ck_assert_ptr_nonnull(strstr(spec, "\n    path: ../data/colours.csv\n"));
    ck_assert_ptr_nonnull(strstr(spec, "\nname: c\n"));
    free(spec);
    snprintf(args, sizeof(args), "run '%s/specs/c.yaml' -q -o '%s/res'", dir, dir);
    ck_assert_int_eq(run_in("/", args), 0);
    ck_assert_int_eq(exists("res/summary.csv"), 1);
}
END_TEST

/* An output that is an input: `init DATA -o DATA --force` replaced the data with the spec,
 * `resample DATA -o ./DATA` replaced it with the resampled rows, both exit 0. Now refused
 * (exit 2) whichever path names the file (./, a hard link), the data byte for byte intact. */
START_TEST(an_input_is_never_an_output)
{
    char *before;
    char *after;
    char *err;
    char hard[256];
    char data[256];
    write_colours();
    before = read_in_dir("data/colours.csv");
    ck_assert_int_eq(run_in(dir, "init data/colours.csv -o ./data/colours.csv --force"), 2);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "is the data file DATA; nothing was written"));
    free(err);
    snprintf(data, sizeof(data), "%s/data/colours.csv", dir);
    snprintf(hard, sizeof(hard), "%s/hard.csv", dir);
    ck_assert_int_eq(link(data, hard), 0);
    ck_assert_int_eq(run_in(dir, "init data/colours.csv -o hard.csv --force"), 2);
    ck_assert_int_eq(
        run_in(dir,
               "resample data/colours.csv --technique random_over -o data/../data/colours.csv"),
        2);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "is an input or the other output; nothing was written"));
    free(err);
    ck_assert_int_eq(
        run_in(dir, "resample data/colours.csv --technique none -o r.csv --source-rows hard.csv"),
        2);
    ck_assert_int_eq(
        run_in(dir, "resample data/colours.csv --technique none -o r.csv --source-rows r.csv"), 2);
    ck_assert_int_eq(exists("r.csv"), 0);
    after = read_in_dir("data/colours.csv");
    ck_assert_str_eq(after, before);
    free(after);
    /* another name still works */
    ck_assert_int_eq(run_in(dir, "resample data/colours.csv --technique none -o r.csv"), 0);
    ck_assert_int_eq(exists("r.csv"), 1);
    free(before);
}
END_TEST

START_TEST(stdout_output_writes_no_file)
{
    char *out;
    write_colours();
    ck_assert_int_eq(run_in(dir, "init data/colours.csv -o -"), 0);
    out = read_in_dir("out");
    ck_assert_int_eq(strncmp(out, "# Starter spec for data/colours.csv", 35), 0);
    ck_assert_ptr_nonnull(strstr(out, "\n    path: data/colours.csv\n"));
    ck_assert_int_eq(exists("colours.yaml"), 0);
    free(out);
}
END_TEST

START_TEST(errors_exit_2_naming_the_problem)
{
    char *err;
    char path[256];
    FILE *f;
    write_colours();
    ck_assert_int_eq(run_in(dir, "init data/nope.csv"), 2);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "data/nope.csv"));
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
    free(err);
    ck_assert_int_eq(run_in(dir, "init data/colours.csv --target colr"), 2);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "data/colours.csv: error: target column 'colr' is not in "
                                      "the file; its columns: colour, size, y"));
    free(err);
    snprintf(path, sizeof(path), "%s/data/one.csv", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("x,y\n1,a\n2,a\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(run_in(dir, "init data/one.csv"), 2);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "one class only"));
    free(err);
    ck_assert_int_eq(run_in(dir, "init data/colours.csv -o nodir/x.yaml"), 2);
    err = read_in_dir("err");
    ck_assert_ptr_nonnull(strstr(err, "cannot write 'nodir/x.yaml'"));
    free(err);
    ck_assert_int_eq(run_in(dir, "init"), 2);
    ck_assert_int_eq(run_in(dir, "init data/colours.csv --frobnicate"), 2);
    ck_assert_int_eq(run_in(dir, "init data/colours.csv -o"), 2);
    ck_assert_int_eq(exists("colours.yaml"), 0);
}
END_TEST

START_TEST(help_has_usage_and_an_example)
{
    char *out;
    ck_assert_int_eq(run_in(NULL, "init --help"), 0);
    out = read_in_dir("out");
    ck_assert_int_eq(strncmp(out, "usage: imbal init DATA", 22), 0);
    ck_assert_ptr_nonnull(strstr(out, "example:\n  imbal init datasets/ecoli.dat"));
    free(out);
    ck_assert_int_eq(run_in(NULL, "--help"), 0);
    out = read_in_dir("out");
    ck_assert_ptr_nonnull(strstr(out, "  init DATA [--target COL]"));
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("init_cli");
    TCase *tc = tcase_create("init");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ecoli_spec_runs_unedited);
    tcase_add_test(tc, default_output_path_relative_and_no_overwrite);
    tcase_add_test(tc, stdout_output_writes_no_file);
    tcase_add_test(tc, an_input_is_never_an_output);
    tcase_add_test(tc, errors_exit_2_naming_the_problem);
    tcase_add_test(tc, help_has_usage_and_an_example);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
