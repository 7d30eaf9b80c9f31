/* Test helpers (see util.h). Reference files are small, so everything is read at once. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *util_dup(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    ck_assert_ptr_nonnull(c);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

static char **util_split(char *line, size_t *n_out)
{
    size_t cap = 8;
    size_t n = 0;
    char **f = malloc(cap * sizeof(*f));
    const char *p = line;
    ck_assert_ptr_nonnull(f);
    for (;;) {
        const char *q = strchr(p, ',');
        size_t len = q != NULL ? (size_t)(q - p) : strlen(p);
        if (n == cap) {
            cap *= 2;
            f = realloc(f, cap * sizeof(*f));
            ck_assert_ptr_nonnull(f);
        }
        f[n++] = util_dup(p, len);
        if (q == NULL) {
            break;
        }
        p = q + 1;
    }
    *n_out = n;
    return f;
}

ref_table *ref_read(const char *path)
{
    FILE *fp = fopen(path, "r");
    ref_table *t = calloc(1, sizeof(*t));
    char *line = NULL;
    size_t cap = 0;
    size_t rows_cap = 64;
    ssize_t len;
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    ck_assert_ptr_nonnull(t);
    t->cell = malloc(rows_cap * sizeof(*t->cell));
    while ((len = getline(&line, &cap, fp)) >= 0) {
        size_t nf;
        char **f;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            line[--len] = '\0';
        }
        if (len == 0) {
            continue;
        }
        f = util_split(line, &nf);
        if (t->header == NULL) {
            t->header = f;
            t->n_cols = nf;
            continue;
        }
        ck_assert_msg(nf == t->n_cols, "%s: ragged row %zu", path, t->n_rows + 2);
        if (t->n_rows == rows_cap) {
            rows_cap *= 2;
            t->cell = realloc(t->cell, rows_cap * sizeof(*t->cell));
            ck_assert_ptr_nonnull(t->cell);
        }
        t->cell[t->n_rows++] = f;
    }
    free(line);
    fclose(fp);
    return t;
}

void ref_free(ref_table *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        for (size_t j = 0; j < t->n_cols; j++) {
            free(t->cell[i][j]);
        }
        free(t->cell[i]);
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        free(t->header[j]);
    }
    free(t->header);
    free(t->cell);
    free(t);
}

size_t ref_col(const ref_table *t, const char *name)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        if (strcmp(t->header[j], name) == 0) {
            return j;
        }
    }
    ck_abort_msg("no column %s", name);
    return 0;
}

double ref_num(const ref_table *t, size_t row, const char *col)
{
    return strtod(t->cell[row][ref_col(t, col)], NULL);
}

const char *ref_str(const ref_table *t, size_t row, const char *col)
{
    return t->cell[row][ref_col(t, col)];
}

char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = calloc((size_t)n + 1, 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
