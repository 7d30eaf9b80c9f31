/* Loaders under hostile or foreign input (issue 11): wide headers (duplicate checks must be
 * hashed, not quadratic), column types decided from all cells, decimal commas, the positive
 * class's reason, KEEL partitions. Bad inputs are files under tests/data/; generated inputs
 * go to a mkdtemp directory. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imbal/dataset.h"
#include "imbal/runner.h"
#include "imbal/spec.h"
#include "imbal/split.h"
#include "util.h"

static char tmp_dir[64];

static void tmp_setup(void)
{
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/imbal_robust_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void tmp_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* A KEEL file of n attributes a0 .. a{n-1} (real) plus the target y {p, n}, two rows; with
 * dup, attribute n - 1 repeats a0's name. */
static void write_wide_keel(const char *path, size_t n, int dup)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "@relation wide\n");
    for (size_t j = 0; j < n; j++) {
        fprintf(f, "@attribute a%zu real\n", dup && j == n - 1 ? (size_t)0 : j);
    }
    fprintf(f, "@attribute y {p, n}\n@data\n");
    for (int r = 0; r < 2; r++) {
        for (size_t j = 0; j < n; j++) {
            fprintf(f, "%d,", r + 1);
        }
        fprintf(f, "%s\n", r == 0 ? "p" : "n");
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* The CSV form: header a0,..,y (dup: the last a-column repeats a0), two rows. */
static void write_wide_csv(const char *path, size_t n, int dup)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (size_t j = 0; j < n; j++) {
        fprintf(f, "a%zu,", dup && j == n - 1 ? (size_t)0 : j);
    }
    fprintf(f, "y\n");
    for (int r = 0; r < 2; r++) {
        for (size_t j = 0; j < n; j++) {
            fprintf(f, "%d,", r + 1);
        }
        fprintf(f, "%s\n", r == 0 ? "p" : "n");
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* 100,000 attributes load (d = 100,000, names in order, both rows' values) and a repeated
 * name is a clean error at its line. The tcase's timeout (20 s, under ASan too) is far above
 * the linear check's fraction of a second and far below the quadratic one's 37 s. */
START_TEST(wide_keel_header_loads)
{
    const size_t n = 100000;
    char path[128];
    imbal_error err;
    imbal_dataset *ds = NULL;
    snprintf(path, sizeof(path), "%s/wide.dat", tmp_dir);
    write_wide_keel(path, n, 0);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load(path, NULL, &ds, &err), IMBAL_OK);
    ck_assert_uint_eq(ds->n, 2);
    ck_assert_uint_eq(ds->d, n);
    ck_assert_str_eq(ds->feature_names[0], "a0");
    ck_assert_str_eq(ds->feature_names[n - 1], "a99999");
    ck_assert_double_eq(ds->x[n - 1], 1.0);
    ck_assert_double_eq(ds->x[n], 2.0);
    imbal_dataset_free(ds);
    ds = NULL;
    write_wide_keel(path, n, 1);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load(path, NULL, &ds, &err), IMBAL_EPARSE);
    ck_assert_ptr_null(ds);
    ck_assert_int_eq(err.line, (long)n + 1); /* @relation, then attribute n on line n + 1 */
    ck_assert_str_eq(err.key, "a0");
}
END_TEST

START_TEST(wide_csv_header_loads)
{
    const size_t n = 100000;
    char path[128];
    imbal_error err;
    imbal_dataset *ds = NULL;
    snprintf(path, sizeof(path), "%s/wide.csv", tmp_dir);
    write_wide_csv(path, n, 0);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load(path, NULL, &ds, &err), IMBAL_OK);
    ck_assert_uint_eq(ds->d, n);
    ck_assert_str_eq(ds->feature_names[n - 1], "a99999");
    imbal_dataset_free(ds);
    ds = NULL;
    write_wide_csv(path, n, 1);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load(path, NULL, &ds, &err), IMBAL_EPARSE);
    ck_assert_ptr_null(ds);
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.column, (long)n);
    ck_assert_str_eq(err.key, "a0");
}
END_TEST


/* Loads path and expects an IMBAL_EPARSE at (line, column, key) whose message holds frag. */
static void expect_cell_error(const char *path, const imbal_load_options *opt, long line,
                              long column, const char *key, const char *frag)
{
    imbal_error err;
    imbal_dataset *ds = (imbal_dataset *)&err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load(path, opt, &ds, &err), IMBAL_EPARSE);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(err.line == line && err.column == column, "%s: at %ld:%ld, want %ld:%ld (%s)",
                  path, err.line, err.column, line, column, err.msg);
    ck_assert_str_eq(err.key, key);
    ck_assert_msg(strstr(err.msg, frag) != NULL, "'%s' not in '%s'", frag, err.msg);
}

/* A column's type comes from all its cells: a bad token in the FIRST data row of a numeric
 * column used to make it categorical (one dummy per value); now it is the same error as in
 * a later row, naming file, line and column, with the count of cells that are numbers. */
START_TEST(first_cell_does_not_decide_the_type)
{
    expect_cell_error("tests/data/first_inf.csv", NULL, 2, 2, "b", "'inf' in column 'b'");
    expect_cell_error("tests/data/first_overflow.csv", NULL, 2, 2, "b",
                      "out of the range of a double");
    /* 3 of its 4 cells are numbers: the message says so and how to encode the column */
    expect_cell_error("tests/data/first_na.csv", NULL, 2, 2, "b",
                      "'n/a' in column 'b' is not a number, but 3 of its 4 cells are; list it "
                      "under categorical:");
    /* the first bad cell in file order: row 3's b before row 4's a */
    expect_cell_error("tests/data/dash.csv", NULL, 3, 2, "b", "'-' in column 'b'");
    /* listed as categorical, the same column loads: levels 4, 6, 8, n/a -> 3 dummies */
    const char *cat[] = {"b"};
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_load_options_default(&opt);
    opt.categorical = cat;
    opt.n_categorical = 1;
    ck_assert_int_eq(imbal_dataset_load("tests/data/first_na.csv", &opt, &ds, NULL), IMBAL_OK);
    ck_assert_uint_eq(ds->d, 1 + 3);
    ck_assert_uint_eq(ds->columns->columns[1].role, IMBAL_COLUMN_CATEGORICAL);
    ck_assert_uint_eq(ds->columns->columns[1].n_levels, 4);
    imbal_dataset_free(ds);
}
END_TEST

/* decimal_comma.csv is decimal_dot.csv with ';' between fields and ',' as the decimal mark:
 * with decimal ',' it gives the same matrix bit for bit; without, the first comma number is
 * an error asking for decimal: ",". */
START_TEST(decimal_comma_reads_as_the_dot_file)
{
    imbal_load_options opt;
    imbal_dataset *dot = NULL;
    imbal_dataset *eu = NULL;
    imbal_error err;
    imbal_load_options_default(&opt);
    ck_assert_int_eq(imbal_dataset_load("tests/data/decimal_dot.csv", &opt, &dot, NULL), IMBAL_OK);
    expect_cell_error("tests/data/decimal_comma.csv", &opt, 2, 1, "len",
                      "set decimal: \",\" for this dataset");
    opt.decimal = ',';
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load("tests/data/decimal_comma.csv", &opt, &eu, &err),
                     IMBAL_OK);
    ck_assert_uint_eq(eu->n, 12);
    ck_assert_uint_eq(eu->d, dot->d);
    ck_assert_uint_eq(eu->d, 3 + 2); /* len, weight, rings; sex F/I/M -> 2 dummies */
    ck_assert_int_eq(memcmp(eu->x, dot->x, dot->n * dot->d * sizeof(double)), 0);
    ck_assert_int_eq(memcmp(eu->y, dot->y, dot->n * sizeof(int)), 0);
    /* the first row by hand: -1,762 and 3,95e+02 */
    ck_assert_double_eq(eu->x[0], -1.762);
    ck_assert_double_eq(eu->x[1], 395.0);
    ck_assert_int_eq(eu->columns->decimal, ',');
    /* ',' cannot be both the delimiter (detected in the dot file) and the mark */
    imbal_dataset *bad = (imbal_dataset *)&err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_load("tests/data/decimal_dot.csv", &opt, &bad, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(bad);
    ck_assert_str_eq(err.key, "decimal");
    imbal_dataset_free(dot);
    imbal_dataset_free(eu);
}
END_TEST

/* With decimal ",", a column whose cells are all numbers only under '.' ("7.490": a '.'
 * thousands separator) used to become categorical silently (one dummy per value); now it is
 * an error at its first such cell. The same file's comma column, and the file listed with
 * the column as categorical, still load. */
START_TEST(decimal_comma_refuses_a_point_column)
{
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    const char *cat[] = {"rings"};
    imbal_load_options_default(&opt);
    opt.decimal = ',';
    expect_cell_error("tests/data/decimal_thousands.csv", &opt, 2, 2, "rings",
                      "'7.490' in column 'rings' is a number with a decimal point");
    opt.categorical = cat;
    opt.n_categorical = 1;
    ck_assert_int_eq(imbal_dataset_load("tests/data/decimal_thousands.csv", &opt, &ds, NULL),
                     IMBAL_OK);
    ck_assert_uint_eq(ds->n, 4);
    ck_assert_uint_eq(ds->d, 1 + 3); /* len; rings' 4 levels -> 3 dummies */
    ck_assert_double_eq(ds->x[0], 1.5);
    imbal_dataset_free(ds);
}
END_TEST

/* The loader says how it chose the positive class, as data. */
START_TEST(positive_rule_is_returned)
{
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_load_options_default(&opt);
    /* target01.csv: y = 1,1,0,1,1,0,1: 0 has 2 rows of 7, so 0 is positive */
    ck_assert_int_eq(imbal_dataset_load("tests/data/target01.csv", &opt, &ds, NULL), IMBAL_OK);
    ck_assert_str_eq(ds->class_names[1], "0");
    ck_assert_int_eq(ds->columns->positive_rule, IMBAL_POSRULE_RARER);
    imbal_dataset_free(ds);
    /* tie.csv: b, a, b, a: equal counts, the later label in sorted order (b) */
    ck_assert_int_eq(imbal_dataset_load("tests/data/tie.csv", &opt, &ds, NULL), IMBAL_OK);
    ck_assert_str_eq(ds->class_names[1], "b");
    ck_assert_int_eq(ds->columns->positive_rule, IMBAL_POSRULE_TIE);
    imbal_dataset_free(ds);
    opt.positive = "1";
    ck_assert_int_eq(imbal_dataset_load("tests/data/target01.csv", &opt, &ds, NULL), IMBAL_OK);
    ck_assert_str_eq(ds->class_names[1], "1");
    ck_assert_int_eq(ds->columns->positive_rule, IMBAL_POSRULE_GIVEN);
    imbal_dataset_free(ds);
    opt.positive = NULL;
    ck_assert_int_eq(imbal_dataset_load("datasets/ecoli.dat", &opt, &ds, NULL), IMBAL_OK);
    ck_assert_uint_eq(ds->n_classes, 8);
    ck_assert_int_eq(ds->columns->positive_rule, IMBAL_POSRULE_NONE);
    imbal_dataset_free(ds);
}
END_TEST

/* ---- KEEL partitions ---- */

static const char *part_file(int fold, int test)
{
    static char buf[4][96];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof(buf[0]), "datasets/abalone19-5fold/abalone19-5-%d%s.dat", fold,
             test ? "tst" : "tra");
    return b;
}

/* The dataset is counted once (4174 rows: 4142 negative, 32 positive, as abalone19.dat), not
 * as the ten files' 20870; fold sizes are the files' (3339/835 .. 3340/834, counted with
 * grep -c); each fold's training rows are its tra file's rows in order, and the five test
 * folds together are every row once (abalone19 has no duplicate rows). */
START_TEST(keel_partitions_count_the_dataset_once)
{
    static const size_t n_train[5] = {3339, 3339, 3339, 3339, 3340};
    imbal_dataset *ds = NULL;
    imbal_split *sp = NULL;
    imbal_error err;
    size_t counts[2] = {0, 0};
    unsigned char *seen = NULL;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_keel_partitions_load("datasets/abalone19.dat",
                                                "datasets/abalone19-5fold/abalone19-5-{fold}{part}.dat",
                                                5, NULL, &ds, &sp, &err),
                     IMBAL_OK);
    ck_assert_uint_eq(ds->n, 4174);
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[0], 4142);
    ck_assert_uint_eq(counts[1], 32);
    ck_assert_uint_eq(sp->n_folds, 5);
    seen = calloc(ds->n, 1);
    for (size_t f = 0; f < 5; f++) {
        imbal_dataset *tra = NULL;
        ck_assert_uint_eq(sp->folds[f].n_train, n_train[f]);
        ck_assert_uint_eq(sp->folds[f].n_test, 4174 - n_train[f]);
        ck_assert_int_eq(imbal_dataset_load(part_file((int)f + 1, 0), NULL, &tra, NULL), IMBAL_OK);
        ck_assert_uint_eq(tra->n, n_train[f]);
        for (size_t i = 0; i < tra->n; i++) {
            size_t r = sp->folds[f].train[i];
            ck_assert_int_eq(memcmp(ds->x + r * 9, tra->x + i * 9, 9 * sizeof(double)), 0);
            ck_assert_int_eq(ds->y[r], tra->y[i]);
        }
        imbal_dataset_free(tra);
        for (size_t i = 0; i < sp->folds[f].n_test; i++) {
            ck_assert_int_eq(seen[sp->folds[f].test[i]], 0);
            seen[sp->folds[f].test[i]] = 1;
        }
    }
    free(seen);
    imbal_split_free(sp);
    imbal_dataset_free(ds);
}
END_TEST

/* Copies src to dst byte for byte. */
static void copy_file(const char *src, const char *dst)
{
    char *text = slurp(src);
    FILE *f = fopen(dst, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
    free(text);
}

/* A directory under tmp_dir whose path is long (four 200-byte components) in dir. */
static void long_dir(char *dir, size_t n)
{
    char comp[201];
    memset(comp, 'd', 200);
    comp[200] = '\0';
    snprintf(dir, n, "%s", tmp_dir);
    for (int k = 0; k < 4; k++) {
        size_t len = strlen(dir);
        snprintf(dir + len, n - len, "/%s", comp);
        ck_assert_int_eq(mkdir(dir, 0700), 0);
    }
}

/* Writes a keel_partitions spec for pattern to path (data: abalone19.dat, absolute). */
static void write_partition_spec(const char *path, const char *pattern)
{
    char cwd[512];
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "datasets:\n  - {name: abalone19, path: %s/datasets/abalone19.dat, positive: "
            "positive}\n"
            "evaluation:\n  protocol: keel_partitions\n  folds: 5\n  partitions: %s\n"
            "techniques:\n  - {name: original, sampler: none}\n",
            cwd, pattern);
    ck_assert_int_eq(fclose(f), 0);
}

/* A partitions pattern of more than 1023 bytes was cut at 1023, just after {fold}: both parts
 * of fold f named the file ".../p..pf", which exists here (a copy of the test partition), so
 * validate said fine and every fold trained on its test rows. Now the whole path is used. */
START_TEST(long_partition_pattern_is_not_cut)
{
    char dir[1100];
    char pattern[2048];
    char path[2048];
    char spec_path[128];
    char prefix[256];
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error_list errs = {NULL, 0, 0};
    imbal_error err;
    long_dir(dir, sizeof(dir));
    /* dir + "/" + prefix + one digit = 1023 bytes */
    size_t m = 1023 - strlen(dir) - 2;
    ck_assert(m > 0 && m < 240);
    memset(prefix, 'p', m);
    prefix[m] = '\0';
    for (int f = 1; f <= 5; f++) {
        for (int t = 0; t < 2; t++) {
            snprintf(path, sizeof(path), "%s/%s%d%s.dat", dir, prefix, f, t ? "tst" : "tra");
            copy_file(part_file(f, t), path);
        }
        snprintf(path, sizeof(path), "%s/%s%d", dir, prefix, f); /* the cut-short name */
        copy_file(part_file(f, 1), path);
    }
    snprintf(pattern, sizeof(pattern), "%s/%s{fold}{part}.dat", dir, prefix);
    ck_assert_uint_gt(strlen(pattern), 1023);
    snprintf(spec_path, sizeof(spec_path), "%s/long.yaml", tmp_dir);
    write_partition_spec(spec_path, pattern);
    ck_assert_int_eq(imbal_spec_load(spec_path, &spec, &errs), IMBAL_OK);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_experiment_prepare(spec, &ex, &err), IMBAL_OK);
    ck_assert_uint_eq(ex->data[0]->n, 4174);
    ck_assert_uint_eq(ex->splits[0]->folds[0].n_train, 3339);
    ck_assert_uint_eq(ex->splits[0]->folds[0].n_test, 835);
    ck_assert_uint_eq(ex->splits[0]->folds[4].n_train, 3340);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
}
END_TEST

/* A fold whose tst file is (a link to) its tra file is refused by the spec and the loader. */
START_TEST(same_train_and_test_file_is_refused)
{
    char path[256];
    char target[256];
    char pattern[256];
    char spec_path[128];
    imbal_spec *spec = NULL;
    imbal_error_list errs = {NULL, 0, 0};
    imbal_dataset *ds = (imbal_dataset *)&errs;
    imbal_split *sp = (imbal_split *)&errs;
    imbal_error err;
    for (int f = 1; f <= 5; f++) {
        for (int t = 0; t < 2; t++) {
            snprintf(path, sizeof(path), "%s/a%d%s.dat", tmp_dir, f, t ? "tst" : "tra");
            if (f == 3 && t == 1) {
                snprintf(target, sizeof(target), "%s/a3tra.dat", tmp_dir);
                ck_assert_int_eq(symlink(target, path), 0);
            } else {
                copy_file(part_file(f, t), path);
            }
        }
    }
    snprintf(pattern, sizeof(pattern), "%s/a{fold}{part}.dat", tmp_dir);
    snprintf(spec_path, sizeof(spec_path), "%s/same.yaml", tmp_dir);
    write_partition_spec(spec_path, pattern);
    ck_assert_int_ne(imbal_spec_load(spec_path, &spec, &errs), IMBAL_OK);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_str_eq(errs.items[0].key, "partitions");
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "fold 3: the train and test partitions are "
                                                    "the same file"));
    imbal_error_list_free(&errs);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_keel_partitions_load("datasets/abalone19.dat", pattern, 5, NULL, &ds,
                                                &sp, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(ds);
    ck_assert_ptr_null(sp);
    ck_assert_str_eq(err.key, "partitions");
}
END_TEST

/* A partition row that is not a row of the dataset names its file and line. */
START_TEST(partition_row_not_in_the_dataset)
{
    char path[256];
    char pattern[256];
    imbal_dataset *ds = NULL;
    imbal_split *sp = NULL;
    imbal_error err;
    for (int f = 1; f <= 2; f++) {
        for (int t = 0; t < 2; t++) {
            snprintf(path, sizeof(path), "%s/b%d%s.dat", tmp_dir, f, t ? "tst" : "tra");
            copy_file(part_file(f, t), path);
        }
    }
    /* fold 2's test file gains a row that abalone19 does not have, after its 835 rows */
    snprintf(path, sizeof(path), "%s/b2tst.dat", tmp_dir);
    FILE *fp = fopen(path, "a");
    ck_assert_ptr_nonnull(fp);
    fprintf(fp, "M, 9.0, 0.3, 0.1, 0.5, 0.2, 0.1, 0.1, negative\n");
    ck_assert_int_eq(fclose(fp), 0);
    char *text = slurp(path);
    long lines = 0;
    for (const char *c = text; *c != '\0'; c++) {
        lines += *c == '\n';
    }
    free(text);
    snprintf(pattern, sizeof(pattern), "%s/b{fold}{part}.dat", tmp_dir);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_keel_partitions_load("datasets/abalone19.dat", pattern, 2, NULL, &ds,
                                                &sp, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(ds);
    ck_assert_ptr_null(sp);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, lines);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a row of the dataset"));
}
END_TEST

/* ---- the command line ---- */

static const char *bin(void)
{
    const char *b = getenv("BIN");
    return b != NULL ? b : "build/release/imbal";
}

/* "$BIN args" with stdout and stderr in tmp_dir/out and tmp_dir/err; the exit status. */
static int run_cli(const char *args)
{
    char cmd[1024];
    int rc;
    snprintf(cmd, sizeof(cmd), "%s %s > %s/out 2> %s/err", bin(), args, tmp_dir, tmp_dir);
    rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *tmp_slurp(const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
    return slurp(path);
}

/* validate and run say which class the rule took as positive and why; validate also says
 * what it decided for each column. */
START_TEST(cli_says_the_positive_class_and_column_types)
{
    char args[256];
    char *out = NULL;
    char *err = NULL;
    ck_assert_int_eq(run_cli("validate tests/data/positive_rule.yaml"), 0);
    out = tmp_slurp("out");
    ck_assert_str_eq(out, "tests/data/positive_rule.yaml: ok: 1 dataset, 1 technique, 2 runs\n"
                          "  zero_one: 7 rows, 1 features; positive class '0' (the less "
                          "frequent of 2 labels; set positive: to choose)\n"
                          "    x: numeric\n"
                          "    y: target (2 labels)\n");
    free(out);
    snprintf(args, sizeof(args), "run tests/data/positive_rule.yaml -o %s/res --no-timings",
             tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    err = tmp_slurp("err");
    ck_assert_ptr_nonnull(strstr(err, "imbal: note: dataset 'zero_one': positive class '0' (the "
                                      "less frequent of 2 labels; set positive: to choose)\n"));
    free(err);
    ck_assert_int_eq(run_cli("validate configs/abalone.yaml"), 0);
    out = tmp_slurp("out");
    ck_assert_ptr_nonnull(strstr(out, "  abalone19: 4174 rows, 9 features; positive class "
                                      "'positive' (set by positive:)\n"
                                      "    Sex: categorical, 3 levels (2 one-hot columns)\n"
                                      "    Length: numeric\n"));
    free(out);
    /* keel_partitions: the dataset's 4174 rows, not the ten partition files' 20870 */
    ck_assert_int_eq(run_cli("validate configs/abalone-keel.yaml"), 0);
    out = tmp_slurp("out");
    ck_assert_ptr_nonnull(strstr(out, "\n  abalone19: 4174 rows, 9 features;"));
    free(out);
    ck_assert_int_eq(run_cli("validate tests/data/decimal_comma.yaml"), 0);
    out = tmp_slurp("out");
    ck_assert_ptr_nonnull(strstr(out, "numbers read with a decimal comma"));
    ck_assert_ptr_nonnull(strstr(out, "    sex: categorical, 3 levels (2 one-hot columns)\n"));
    free(out);
    /* imbal init detects the decimal comma and writes decimal: ",", so its spec validates
     * with every number column numeric (not 12 one-hot categories each) */
    snprintf(args, sizeof(args), "init tests/data/decimal_comma.csv -o %s/eu.yaml", tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    out = tmp_slurp("eu.yaml");
    ck_assert_ptr_nonnull(strstr(out, "\n    decimal: \",\"\n"));
    ck_assert_ptr_nonnull(strstr(out, "decimal comma (column len, line 2)"));
    free(out);
    snprintf(args, sizeof(args), "validate %s/eu.yaml", tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    out = tmp_slurp("out");
    ck_assert_ptr_nonnull(strstr(out, "12 rows, 5 features;"));
    ck_assert_ptr_nonnull(strstr(out, "    len: numeric\n    sex: categorical, 3 levels (2 "
                                      "one-hot columns)\n    weight: numeric\n"));
    free(out);
    /* imbal resample --decimal , gives what the dot file gives */
    snprintf(args, sizeof(args),
             "resample tests/data/decimal_comma.csv --decimal , --technique random_over -o "
             "%s/eu.csv",
             tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    snprintf(args, sizeof(args),
             "resample tests/data/decimal_dot.csv --technique random_over -o %s/dot.csv", tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    out = tmp_slurp("eu.csv");
    err = tmp_slurp("dot.csv");
    ck_assert_str_eq(out, err);
    ck_assert_ptr_nonnull(strstr(out, "\n-1.762,M,395,3,pos\n")); /* row 1, written with '.' */
    free(out);
    free(err);
    /* the resolved spec keeps decimal: "," and repeats the run byte for byte */
    snprintf(args, sizeof(args), "run tests/data/decimal_comma.yaml -q --no-timings -o %s/eu",
             tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    snprintf(args, sizeof(args), "run %s/eu/resolved.yaml -q --no-timings -o %s/eu2", tmp_dir,
             tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    out = tmp_slurp("eu/resolved.yaml");
    ck_assert_ptr_nonnull(strstr(out, "\n  decimal: ','\n"));
    free(out);
    out = tmp_slurp("eu/runs.csv");
    err = tmp_slurp("eu2/runs.csv");
    ck_assert_str_eq(out, err);
    free(out);
    free(err);
}
END_TEST

/* standardize on features at 1e300 and 1e-300, from the file to runs.csv: scale_extreme.csv
 * is scale_unit.csv times 1e300 (column a) and 1e-300 (column b), so the z-scores are the
 * same up to rounding and every run's ROC AUC and PR AUC must equal the unit-scale run's
 * (and not be the 0.5 of an all-zero model). */
START_TEST(standardize_at_extreme_scales)
{
    char args[256];
    ck_assert_int_eq(run_cli("--version"), 0); /* the binary is there */
    snprintf(args, sizeof(args), "run tests/data/scale_extreme.yaml -q --no-timings -o %s/se",
             tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    snprintf(args, sizeof(args), "run tests/data/scale_unit.yaml -q --no-timings -o %s/su",
             tmp_dir);
    ck_assert_int_eq(run_cli(args), 0);
    char *se_text = tmp_slurp("se/runs.csv");
    char *su_text = tmp_slurp("su/runs.csv");
    csv_doc *se = csv_parse(se_text);
    csv_doc *su = csv_parse(su_text);
    size_t auc = csv_col(se, "auc");
    size_t pr = csv_col(se, "pr_auc");
    ck_assert_uint_eq(se->n_rows, 1 + 9);
    ck_assert_uint_eq(su->n_rows, se->n_rows);
    for (size_t r = 1; r < se->n_rows; r++) {
        ck_assert_str_eq(se->field[r][auc], su->field[r][auc]);
        ck_assert_str_eq(se->field[r][pr], su->field[r][pr]);
        ck_assert_double_gt(strtod(se->field[r][auc], NULL), 0.6);
    }
    csv_doc_free(se);
    csv_doc_free(su);
    free(se_text);
    free(su_text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dataset_robust");
    TCase *wide = tcase_create("wide");
    tcase_add_checked_fixture(wide, tmp_setup, tmp_teardown);
    tcase_set_timeout(wide, 20);
    tcase_add_test(wide, wide_keel_header_loads);
    tcase_add_test(wide, wide_csv_header_loads);
    suite_add_tcase(s, wide);
    TCase *types = tcase_create("types");
    tcase_add_test(types, first_cell_does_not_decide_the_type);
    tcase_add_test(types, decimal_comma_reads_as_the_dot_file);
    tcase_add_test(types, decimal_comma_refuses_a_point_column);
    tcase_add_test(types, positive_rule_is_returned);
    suite_add_tcase(s, types);
    TCase *part = tcase_create("partitions");
    tcase_add_checked_fixture(part, tmp_setup, tmp_teardown);
    tcase_set_timeout(part, 60);
    tcase_add_test(part, keel_partitions_count_the_dataset_once);
    tcase_add_test(part, long_partition_pattern_is_not_cut);
    tcase_add_test(part, same_train_and_test_file_is_refused);
    tcase_add_test(part, partition_row_not_in_the_dataset);
    suite_add_tcase(s, part);
    TCase *cli = tcase_create("cli");
    tcase_add_checked_fixture(cli, tmp_setup, tmp_teardown);
    tcase_set_timeout(cli, 60);
    tcase_add_test(cli, cli_says_the_positive_class_and_column_types);
    tcase_add_test(cli, standardize_at_extreme_scales);
    suite_add_tcase(s, cli);
    return run_suite(s);
}
