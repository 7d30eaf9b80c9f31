/* Loaders under hostile or foreign input (issue 11): wide headers (duplicate checks must be
 * hashed, not quadratic), column types decided from all cells, decimal commas, the positive
 * class's reason, KEEL partitions. Bad inputs are files under tests/data/; generated inputs
 * go to a mkdtemp directory. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imbal/dataset.h"
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

int main(void)
{
    Suite *s = suite_create("dataset_robust");
    TCase *wide = tcase_create("wide");
    tcase_add_checked_fixture(wide, tmp_setup, tmp_teardown);
    tcase_set_timeout(wide, 20);
    tcase_add_test(wide, wide_keel_header_loads);
    tcase_add_test(wide, wide_csv_header_loads);
    suite_add_tcase(s, wide);
    return run_suite(s);
}
