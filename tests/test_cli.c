/* The command line as a user meets it: exit codes, error locations on stderr, every
 * sub-command's --help (and its example, run as printed), --version against the libraries'
 * own version calls, every sub-command's success path (run writing its four reports, whose
 * runs.csv must equal the golden file tests/reference/golden_runs.csv for -j 1 and -j 2 and
 * the generic kernels; validate; techniques; resample against the published split and class
 * counts). The binary is $BIN (set by make check), else build/release/imbal. */
#include <gsl/gsl_version.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml.h>

#include "imbal/classifier.h"
#include "imbal/dataset.h"
#include "imbal/version.h"

#include "imbal/resample.h"
#include "util.h"

static const char *bin(void)
{
    const char *b = getenv("BIN");
    return b != NULL && b[0] != '\0' ? b : "build/release/imbal";
}

/* stdout and stderr of run_cli, in this test's own directory (util.h: test_tmp) */
#define CLI_OUT test_tmp("imbal_cli.out")
#define CLI_ERR test_tmp("imbal_cli.err")

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

/* The classifier interface, the plan and the k-class reports left binary results alone:
 * configs/abalone.yaml's runs.csv, summary.csv and summary.md byte for byte those of the
 * release before them (tests/reference/abalone_*.csv, written by commit c1ea6bc). */
START_TEST(abalone_reports_are_unchanged)
{
    static const char *const files[][2] = {{"runs.csv", "tests/reference/abalone_runs.csv"},
                                           {"summary.csv", "tests/reference/abalone_summary.csv"},
                                           {"summary.md", "tests/reference/abalone_summary.md"}};
    char args[512];
    snprintf(args, sizeof(args), "run configs/abalone.yaml -o %s --no-timings -q -j 2",
             tmp_path("abalone"));
    ck_assert_int_eq(run_env("", args), 0);
    for (size_t f = 0; f < 3; f++) {
        char name[64];
        char *got;
        char *want = slurp(files[f][1]);
        snprintf(name, sizeof(name), "abalone/%s", files[f][0]);
        got = slurp(tmp_path(name));
        ck_assert_msg(strcmp(got, want) == 0, "%s differs from %s", files[f][0], files[f][1]);
        free(got);
        free(want);
    }
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
    ck_assert_int_eq(strncmp(models, "dataset,technique,repeat,fold,class,feature,value\n", 50), 0);
    ck_assert_ptr_nonnull(strstr(models, "\nsynthetic,original,0,0,positive,(intercept),"));
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
    /* every classifier of the registry with its parameters */
    ck_assert_int_eq(run_env("", "classifiers"), 0);
    out = slurp(tmp_path("out"));
    for (size_t i = 0; i < imbal_classifier_count(); i++) {
        const imbal_classifier *c = imbal_classifier_at(i);
        char line[128];
        snprintf(line, sizeof(line), "%s%s\n", i == 0 ? "" : "\n", c->name);
        ck_assert_msg(i == 0 ? strncmp(out, line, strlen(line)) == 0 : strstr(out, line) != NULL,
                      "classifier %s not listed", c->name);
        for (const imbal_param_spec *p = c->params; p != NULL && p->name != NULL; p++) {
            ck_assert_msg(strstr(out, p->name) != NULL, "parameter %s not listed", p->name);
        }
    }
    ck_assert_ptr_nonnull(strstr(out, "    C                  float    default 1 "));
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
    ck_assert_int_eq(run_cli("--version", CLI_OUT, CLI_ERR), 0);
    ck_assert_int_eq(run_cli("frobnicate", CLI_OUT, CLI_ERR), 2);
    ck_assert_int_eq(run_cli("run", CLI_OUT, CLI_ERR), 2);
    ck_assert_int_eq(
        run_cli("run tests/data/spec_good.yaml -j 0", CLI_OUT, CLI_ERR),
        2);
}
END_TEST

START_TEST(invalid_spec_lists_every_problem_and_writes_nothing)
{
    char *err;
    FILE *f;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "run tests/data/spec_many_errors.yaml -o %s",
             test_tmp("imbal_cli_never"));
    remove(test_tmp("imbal_cli_never/runs.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 2);
    err = slurp(CLI_ERR);
    ck_assert_ptr_nonnull(strstr(err, "tests/data/spec_many_errors.yaml:3:1: error: unknown key "
                                      "'datasetz' in the spec (did you mean 'datasets'?)"));
    ck_assert_ptr_nonnull(strstr(err, "spec_many_errors.yaml:6:13: error: unknown protocol"));
    ck_assert_ptr_nonnull(strstr(err, "6 problems in tests/data/spec_many_errors.yaml"));
    f = fopen(test_tmp("imbal_cli_never/runs.csv"), "r");
    ck_assert_ptr_null(f);
    free(err);
}
END_TEST

START_TEST(duplicate_key_names_both_lines)
{
    char *err;
    ck_assert_int_eq(run_cli("validate tests/data/spec_dup_keys.yaml", CLI_OUT,
                             CLI_ERR),
                     2);
    err = slurp(CLI_ERR);
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
    ck_assert_int_eq(
        run_cli("validate tests/data/spec_good.yaml", CLI_OUT, CLI_ERR),
        0);
    out = slurp(CLI_OUT);
    ck_assert_ptr_nonnull(strstr(out, "ok: 1 dataset, 3 techniques, 3 runs"));
    free(out);
}
END_TEST

START_TEST(resample_writes_the_training_fold)
{
    /* random_over on the published training fold: 3313 + 26 rows kept, 3287 positives drawn
     * (tests/reference/abalone19_table_888.csv: 3313 / 3313 after); the first output row is
     * the fold's first row, data row 1897 (tests/reference/abalone19_split.csv). The file has
     * the input's columns and every row is a copy, cell for cell, of the data row it names. */
    ref_table *t;
    ref_table *src;
    ref_table *data;
    size_t pos = 0;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "resample datasets/abalone19.csv --target Class --positive positive "
             "--technique random_over --split datasets/abalone19_split.csv "
             "--seed 888 -o %s --source-rows %s",
             test_tmp("imbal_cli_ros.csv"), test_tmp("imbal_cli_ros_rows.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 0);
    t = ref_read(test_tmp("imbal_cli_ros.csv"));
    src = ref_read(test_tmp("imbal_cli_ros_rows.csv"));
    data = ref_read("datasets/abalone19.csv");
    ck_assert_uint_eq(t->n_rows, 6626);
    ck_assert_uint_eq(t->n_cols, data->n_cols);
    for (size_t j = 0; j < data->n_cols; j++) {
        ck_assert_str_eq(t->header[j], data->header[j]);
    }
    ck_assert_uint_eq(src->n_rows, 6626);
    ck_assert_str_eq(ref_str(src, 0, "source_row"), "1897");
    for (size_t i = 0; i < t->n_rows; i++) {
        const char *row = ref_str(src, i, "source_row");
        size_t r = (size_t)strtoul(row, NULL, 10);
        ck_assert_uint_eq((size_t)strtoul(ref_str(src, i, "row"), NULL, 10), i);
        ck_assert_msg(row[0] != '\0', "row %zu is not a copy", i); /* random_over only copies */
        for (size_t j = 0; j < data->n_cols; j++) {
            ck_assert_str_eq(t->cell[i][j], data->cell[r][j]);
        }
        pos += strcmp(ref_str(t, i, "Class"), "positive") == 0;
    }
    ck_assert_uint_eq(pos, 3313);
    ref_free(t);
    ref_free(src);
    ref_free(data);
}
END_TEST

/* The category the writer must choose for one row of the encoded Sex dummies (independent of
 * the library: F is the dropped level, 1 - Sex_I - Sex_M; ties to the earlier of F, I, M). */
static const char *sex_of(double sex_i, double sex_m)
{
    double f = 1.0 - sex_i - sex_m;
    if (sex_m > f && sex_m > sex_i) {
        return "M";
    }
    return sex_i > f ? "I" : "F";
}

START_TEST(resample_output_reads_back)
{
    /* SMOTE rows read back by imbal's loader as the same dataset: same features, 3313 / 3313
     * classes, copied rows bit for bit as in the data, each new row's Sex the category whose
     * dummy was largest in the encoded output of the same run; writing what was read gives
     * the same file again */
    imbal_load_options opt;
    imbal_dataset *orig = NULL;
    imbal_dataset *back = NULL;
    imbal_error err;
    ref_table *src;
    ref_table *enc;
    ref_table *dec;
    size_t counts[2] = {0, 0};
    size_t n_new = 0;
    char *a;
    char *b;
    const char *args = "datasets/abalone19.csv --target Class --positive positive "
                       "--technique smote --split datasets/abalone19_split.csv";
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "resample %s -o %s --source-rows %s", args,
             test_tmp("imbal_cli_sm.csv"), test_tmp("imbal_cli_sm_rows.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 0);
    snprintf(cmd, sizeof(cmd), "resample %s --encoded -o %s", args,
             test_tmp("imbal_cli_sm_enc.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 0);
    imbal_load_options_default(&opt);
    opt.target = "Class";
    opt.positive = "positive";
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load("datasets/abalone19.csv", &opt, &orig, &err), IMBAL_OK);
    ck_assert_msg(imbal_dataset_load(test_tmp("imbal_cli_sm.csv"), &opt, &back, &err) == IMBAL_OK,
                  "%s", err.msg);
    ck_assert_uint_eq(back->n, 6626);
    ck_assert_uint_eq(back->d, orig->d);
    for (size_t j = 0; j < orig->d; j++) {
        ck_assert_str_eq(back->feature_names[j], orig->feature_names[j]);
    }
    imbal_dataset_class_counts(back, counts);
    ck_assert_uint_eq(counts[0], 3313);
    ck_assert_uint_eq(counts[1], 3313);
    src = ref_read(test_tmp("imbal_cli_sm_rows.csv"));
    enc = ref_read(test_tmp("imbal_cli_sm_enc.csv"));
    dec = ref_read(test_tmp("imbal_cli_sm.csv"));
    ck_assert_str_eq(enc->header[9], "Class"); /* --encoded: the target under its own name */
    for (size_t i = 0; i < back->n; i++) {
        const char *row = ref_str(src, i, "source_row");
        if (row[0] != '\0') {
            size_t r = (size_t)strtoul(row, NULL, 10);
            ck_assert_int_eq(memcmp(back->x + i * back->d, orig->x + r * orig->d,
                                    orig->d * sizeof(double)),
                             0);
            ck_assert_int_eq(back->y[i], orig->y[r]);
        } else {
            n_new++;
            ck_assert_str_eq(ref_str(dec, i, "Class"), "positive");
        }
        ck_assert_str_eq(ref_str(dec, i, "Sex"),
                         sex_of(ref_num(enc, i, "Sex_I"), ref_num(enc, i, "Sex_M")));
        ck_assert_double_eq(ref_num(dec, i, "Shell_weight"), ref_num(enc, i, "Shell_weight"));
    }
    ck_assert_uint_eq(n_new, 3313 - 26);
    /* a fixed point: resampling the output with none writes it again */
    snprintf(cmd, sizeof(cmd),
             "resample %s --target Class --positive positive --technique none -o %s",
             test_tmp("imbal_cli_sm.csv"), test_tmp("imbal_cli_sm2.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 0);
    a = slurp(test_tmp("imbal_cli_sm.csv"));
    b = slurp(test_tmp("imbal_cli_sm2.csv"));
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    ref_free(src);
    ref_free(enc);
    ref_free(dec);
    imbal_dataset_free(orig);
    imbal_dataset_free(back);
}
END_TEST

START_TEST(resample_keeps_labels_and_categories)
{
    /* ecoli with pp as the positive class: the seven other labels are class 0, and copies
     * keep their own label (143 cp ... in the data); numeric-coded categories stay whole */
    ref_table *t;
    size_t pp = 0;
    size_t cp = 0;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "resample datasets/ecoli.dat --positive pp --technique random_over -o %s",
             test_tmp("imbal_cli_ecoli.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 0);
    t = ref_read(test_tmp("imbal_cli_ecoli.csv"));
    ck_assert_str_eq(t->header[0], "a1");
    ck_assert_str_eq(t->header[7], "class");
    for (size_t i = 0; i < t->n_rows; i++) {
        pp += strcmp(ref_str(t, i, "class"), "pp") == 0;
        cp += strcmp(ref_str(t, i, "class"), "cp") == 0;
        ck_assert_str_ne(ref_str(t, i, "class"), "negative");
    }
    ck_assert_uint_eq(t->n_rows, 2 * (336 - 52)); /* pp drawn up to the 284 others */
    ck_assert_uint_eq(pp, 284);
    ck_assert_uint_eq(cp, 143);
    ref_free(t);
    /* grade (1, 2, 3) listed as categorical: SMOTE's new rows get a grade, not a fraction;
     * ';' in, ',' out; the target keeps its place */
    snprintf(cmd, sizeof(cmd),
             "resample tests/data/yesno.csv --target label --categorical grade "
             "--technique smote --param k_neighbors=3 -o %s",
             test_tmp("imbal_cli_yn.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 0);
    t = ref_read(test_tmp("imbal_cli_yn.csv"));
    ck_assert_str_eq(t->header[0], "grade");
    ck_assert_str_eq(t->header[2], "label");
    ck_assert_uint_eq(t->n_rows, 100);
    for (size_t i = 0; i < t->n_rows; i++) {
        const char *g = ref_str(t, i, "grade");
        ck_assert_msg(strcmp(g, "1") == 0 || strcmp(g, "2") == 0 || strcmp(g, "3") == 0,
                      "row %zu: grade '%s'", i, g);
    }
    ref_free(t);
}
END_TEST

START_TEST(resample_errors_name_the_problem)
{
    char *err;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "resample datasets/abalone19.csv --target Class --positive positive "
             "--technique smoth -o %s",
             test_tmp("imbal_cli_x.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 2);
    err = slurp(CLI_ERR);
    ck_assert_ptr_nonnull(strstr(err, "unknown technique 'smoth' (did you mean 'smote'?)"));
    free(err);
    snprintf(cmd, sizeof(cmd),
             "resample datasets/abalone19.csv --target Class --positive positive "
             "--technique smote --param k_neighbors=40 "
             "--split datasets/abalone19_split.csv -o %s",
             test_tmp("imbal_cli_x.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 2);
    err = slurp(CLI_ERR);
    ck_assert_ptr_nonnull(strstr(err, "26")); /* the 26 positives of the fold are too few */
    free(err);
    snprintf(cmd, sizeof(cmd), "resample tests/data/no_such.csv --technique none -o %s",
             test_tmp("x.csv"));
    ck_assert_int_eq(run_cli(cmd, CLI_OUT, CLI_ERR), 2);
    err = slurp(CLI_ERR);
    ck_assert_ptr_nonnull(strstr(err, "tests/data/no_such.csv"));
    free(err);
}
END_TEST

START_TEST(version_names_the_libraries_as_they_report_themselves)
{
    char want[256];
    char *out;
    ck_assert_int_eq(run_cli("--version", CLI_OUT, CLI_ERR), 0);
    out = slurp(CLI_OUT);
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
    ck_assert_int_eq(run_cli("--help", CLI_OUT, CLI_ERR), 0);
    out = slurp(CLI_OUT);
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
        ck_assert_int_eq(run_cli(args, CLI_OUT, CLI_ERR), 0);
        help = slurp(CLI_OUT);
        snprintf(usage, sizeof(usage), "usage: imbal %.31s", names[i]);
        snprintf(example, sizeof(example), "\nexample:\n  imbal %.31s", names[i]);
        ck_assert_msg(strncmp(help, usage, strlen(usage)) == 0, "%s: no usage line", names[i]);
        ck_assert_msg(strstr(help, example) != NULL, "%s: no example of itself", names[i]);
        snprintf(args, sizeof(args), "help %.31s", names[i]);
        ck_assert_int_eq(run_cli(args, CLI_OUT, CLI_ERR), 0);
        again = slurp(CLI_OUT);
        ck_assert_str_eq(again, help);
        ck_assert_msg(run_example(help, dir, bin_abs) == 0, "%s: its example failed", names[i]);
        seen |= (strcmp(names[i], "run") == 0) << 0;
        seen |= (strcmp(names[i], "validate") == 0) << 1;
        seen |= (strcmp(names[i], "techniques") == 0) << 2;
        seen |= (strcmp(names[i], "resample") == 0) << 3;
        seen |= (strcmp(names[i], "init") == 0) << 4;
        free(again);
        free(help);
    }
    ck_assert_int_eq(seen, 31); /* all five listed: the loop above is not vacuous */
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
    ck_assert_int_eq(run_cli("rn configs/demo.yaml", CLI_OUT, CLI_ERR),
                     2);
    err = slurp(CLI_ERR);
    ck_assert_ptr_nonnull(strstr(err, "unknown command 'rn' (did you mean 'run'?)"));
    free(err);
    ck_assert_int_eq(run_cli("help validat", CLI_OUT, CLI_ERR), 2);
    err = slurp(CLI_ERR);
    ck_assert_ptr_nonnull(strstr(err, "unknown command 'validat' (did you mean 'validate'?)"));
    free(err);
    ck_assert_int_eq(run_cli("techniques extra", CLI_OUT, CLI_ERR), 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("commands");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, make_tmp, remove_tmp);
    tcase_add_test(tc, run_writes_the_golden_results);
    tcase_add_test(tc, abalone_reports_are_unchanged);
    tcase_add_test(tc, run_prints_the_summary_and_saves_models);
    tcase_add_test(tc, validate_techniques_help_and_version_succeed);
    tcase_add_test(tc, exit_codes);
    tcase_add_test(tc, invalid_spec_lists_every_problem_and_writes_nothing);
    tcase_add_test(tc, validate_reports_run_count);
    tcase_add_test(tc, duplicate_key_names_both_lines);
    tcase_add_test(tc, resample_writes_the_training_fold);
    tcase_add_test(tc, resample_output_reads_back);
    tcase_add_test(tc, resample_keeps_labels_and_categories);
    tcase_add_test(tc, resample_errors_name_the_problem);
    tcase_add_test(tc, version_names_the_libraries_as_they_report_themselves);
    tcase_add_test(tc, every_command_has_help_with_a_working_example);
    tcase_add_test(tc, unknown_commands_suggest_the_closest);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
