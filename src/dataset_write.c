/* Rows written back in the terms of the file they came from (see dataset.h): the encoder's
 * column map turns a row of the model matrix back into the file's columns, so what
 * `imbal resample` writes reads back as a dataset, by imbal or by pandas. Numbers are written
 * with the fewest digits that read back as the same double, in the C locale. */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/dataset.h"
#include "strbuf.h"

/* A CSV field, quoted when it holds a quote, a line break, a character the reader could take
 * for the delimiter, or blanks at either end (which the reader would trim). */
static void write_field(imbal_buf *b, const char *s)
{
    size_t len = strlen(s);
    int quote =
        strpbrk(s, "\",;|\t\r\n") != NULL || (len > 0 && (s[0] == ' ' || s[len - 1] == ' '));
    if (!quote) {
        imbal_buf_printf(b, "%s", s);
        return;
    }
    imbal_buf_printf(b, "\"");
    for (const char *p = s; *p != '\0'; p++) {
        imbal_buf_printf(b, *p == '"' ? "\"\"" : "%c", *p);
    }
    imbal_buf_printf(b, "\"");
}

size_t imbal_dataset_category(const imbal_column *col, const double *x)
{
    const double *dummy = x + col->feature;
    double dropped = 1.0;
    double best;
    size_t arg = 0;
    for (size_t l = 1; l < col->n_levels; l++) {
        dropped -= dummy[l - 1]; /* in level order */
    }
    best = dropped;
    for (size_t l = 1; l < col->n_levels; l++) {
        if (dummy[l - 1] > best) { /* strict: a tie goes to the earlier category */
            best = dummy[l - 1];
            arg = l;
        }
    }
    return arg;
}

/* One row: the file's columns in order. */
static void write_row(const imbal_dataset *ds, const double *x, int y, size_t row, imbal_buf *b)
{
    const imbal_columns *cm = ds->columns;
    for (size_t j = 0; j < cm->n_columns; j++) {
        const imbal_column *col = &cm->columns[j];
        char num[32];
        if (j > 0) {
            imbal_buf_printf(b, ",");
        }
        switch (col->role) {
        case IMBAL_COLUMN_NUMERIC:
            imbal_double_text(x[col->feature], num, sizeof(num));
            imbal_buf_printf(b, "%s", num);
            break;
        case IMBAL_COLUMN_CATEGORICAL:
            write_field(b, col->levels[imbal_dataset_category(col, x)]);
            break;
        default:
            /* a copy keeps its own label (which may be one of several merged into class 0) */
            write_field(b, row != SIZE_MAX ? col->levels[cm->label[row]] : ds->class_names[y]);
            break;
        }
    }
    imbal_buf_printf(b, "\n");
}

imbal_status imbal_dataset_write_csv(const imbal_dataset *ds, const double *x, const int *y,
                                     const size_t *row, size_t n, char **out, size_t *len,
                                     imbal_error *err)
{
    const imbal_columns *cm = ds->columns;
    imbal_buf b = {NULL, 0, 0, 0};
    locale_t c_locale;
    locale_t old;
    *out = NULL;
    *len = 0;
    if (cm == NULL) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "dataset '%s' was not read from a file: it has no columns to write",
                          ds->name != NULL ? ds->name : "?");
    }
    for (size_t i = 0; row != NULL && i < n; i++) {
        if (row[i] != SIZE_MAX && row[i] >= ds->n) {
            return imbal_fail(err, IMBAL_EINVAL, "row %zu copies row %zu of a %zu-row dataset", i,
                              row[i], ds->n);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= ds->n_classes) {
            return imbal_fail(err, IMBAL_EINVAL, "label %d of row %zu is outside 0 .. %zu", y[i], i,
                              ds->n_classes - 1);
        }
    }
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (c_locale == (locale_t)0) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory: no C locale");
    }
    old = uselocale(c_locale);
    for (size_t j = 0; j < cm->n_columns; j++) {
        if (j > 0) {
            imbal_buf_printf(&b, ",");
        }
        write_field(&b, cm->columns[j].name);
    }
    imbal_buf_printf(&b, "\n");
    for (size_t i = 0; i < n; i++) {
        write_row(ds, x + i * ds->d, y[i], row != NULL ? row[i] : SIZE_MAX, &b);
    }
    uselocale(old);
    freelocale(c_locale);
    if (b.failed || b.s == NULL) {
        imbal_buf_free(&b);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory writing %zu rows", n);
    }
    *out = b.s;
    *len = b.len;
    return IMBAL_OK;
}
