/* Data inspection (see inspect.h): parses the file into the raw string table the loaders share
 * (table.h), looks at every cell of every column to find the categorical ones (the loader only
 * looks at the first), then encodes the table with those columns listed, exactly as the
 * starter spec will have the loader do, and counts the classes of the encoded labels. So what
 * init reports is what `imbal run` will see, and every loader error surfaces before a spec is
 * written. */
#include "imbal/inspect.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "table.h"

void imbal_inspection_free(imbal_inspection *in)
{
    if (in == NULL) {
        return;
    }
    for (size_t j = 0; in->columns != NULL && j < in->n_columns; j++) {
        free(in->columns[j].name);
        free(in->columns[j].first_text);
    }
    for (size_t c = 0; in->class_names != NULL && c < in->n_classes; c++) {
        free(in->class_names[c]);
    }
    free(in->columns);
    free(in->class_names);
    free(in->class_counts);
    free(in->path);
    free(in->stem);
    free(in);
}

size_t imbal_inspection_count_role(const imbal_inspection *in, imbal_inspect_role r)
{
    size_t k = 0;
    for (size_t j = 0; j < in->n_columns; j++) {
        k += in->columns[j].role == r;
    }
    return k;
}

/* ".dat" (any case) is KEEL, anything else CSV: the loader's rule for format auto. */
static imbal_format inspect_format_of(const char *path)
{
    size_t len = strlen(path);
    if (len >= 4 && path[len - 4] == '.' && (path[len - 3] | 0x20) == 'd' &&
        (path[len - 2] | 0x20) == 'a' && (path[len - 1] | 0x20) == 't') {
        return IMBAL_FORMAT_KEEL;
    }
    return IMBAL_FORMAT_CSV;
}

static char *inspect_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    return imbal_strndup(base, len);
}

/* Appends "a, b, c" (the names) to buf while they fit, then ", ..." and the count. */
static void inspect_list(char *buf, size_t n, char *const *names, size_t m)
{
    size_t len = strlen(buf);
    for (size_t j = 0; j < m; j++) {
        size_t need = strlen(names[j]) + 2;
        if (len + need + 24 >= n && j + 1 < m) {
            snprintf(buf + len, n - len, "%s... (%zu in all)", j > 0 ? ", " : "", m);
            return;
        }
        len += (size_t)snprintf(buf + len, n - len, "%s%s", j > 0 ? ", " : "", names[j]);
        if (len >= n) {
            return;
        }
    }
}

/* The target column: opt->target, the KEEL @outputs attribute, or the last column. */
static imbal_status inspect_target(const imbal_table *t, const char *path, const char *target,
                                   imbal_inspection *in, imbal_error *err)
{
    char msg[256];
    if (target == NULL) {
        in->target = t->target >= 0 ? (size_t)t->target : t->n_cols - 1;
        in->target_why = t->target >= 0 ? IMBAL_TARGET_KEEL_OUTPUTS : IMBAL_TARGET_LAST_COLUMN;
        return IMBAL_OK;
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        if (strcmp(t->names[j], target) == 0) {
            in->target = j;
            in->target_why = IMBAL_TARGET_GIVEN;
            return IMBAL_OK;
        }
    }
    snprintf(msg, sizeof(msg), "target column '%.60s' is not in the file; its columns: ", target);
    inspect_list(msg, sizeof(msg), t->names, t->n_cols);
    imbal_fail_at(err, IMBAL_EINVAL, path, 0, 0, "%s", msg);
    imbal_error_set_key(err, target);
    return IMBAL_EINVAL;
}

static int inspect_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int inspect_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Role, reason and distinct values of feature column j; str and num are n_rows scratch. */
static imbal_status inspect_column(const imbal_table *t, size_t j, char dec,
                                   imbal_column_info *col, const char **str, double *num,
                                   imbal_error *err)
{
    size_t n = t->n_rows;
    size_t first_text = n;
    col->whole_numbers = 1;
    for (size_t i = 0; i < n; i++) {
        double v = 0.0;
        str[i] = t->cells[i * t->n_cols + j];
        col->n_numbers += imbal_cell_number_mark(str[i], dec, &v);
        if (first_text == n && !imbal_cell_number_mark(str[i], dec, &num[i])) {
            first_text = i;
        }
        if (first_text == n && num[i] != floor(num[i])) {
            col->whole_numbers = 0;
        }
    }
    if (t->kind[j] == IMBAL_COL_NOMINAL) {
        col->role = IMBAL_ROLE_CATEGORICAL;
        col->why = IMBAL_CATEGORICAL_NOMINAL;
    } else if (t->kind[j] == IMBAL_COL_INFER && first_text < n) {
        col->role = IMBAL_ROLE_CATEGORICAL;
        col->why = first_text == 0 ? IMBAL_CATEGORICAL_FIRST_CELL : IMBAL_CATEGORICAL_LATER_CELL;
        col->first_text = imbal_strdup(str[first_text]);
        col->first_text_line = t->lines[first_text];
        if (col->first_text == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    } else {
        col->role = IMBAL_ROLE_NUMERIC;
    }
    /* a KEEL numeric column with a non-number is the encoder's error, reported later */
    if (col->role == IMBAL_ROLE_NUMERIC && first_text == n) {
        qsort(num, n, sizeof(*num), inspect_cmp_double);
        for (size_t i = 0; i < n; i++) {
            /* exact equality is the contract: distinct values, as the file gives them */
            col->n_distinct += i == 0 || num[i] != num[i - 1];
        }
    } else {
        col->whole_numbers = 0;
        qsort(str, n, sizeof(*str), inspect_cmp_str);
        for (size_t i = 0; i < n; i++) {
            col->n_distinct += i == 0 || strcmp(str[i], str[i - 1]) != 0;
        }
    }
    return IMBAL_OK;
}

/* European CSVs: fields separated by ';' (or tab, |) and numbers with a decimal comma. The
 * loader refuses them without decimal: ","; here they are detected, so the starter spec reads
 * them as numbers and says why: some feature column has every cell a number with ',' as the
 * mark but not with '.' (a column of whole numbers alone proves nothing). */
static void inspect_decimal(const imbal_table *t, imbal_inspection *in)
{
    in->decimal = '.';
    if (in->format != IMBAL_FORMAT_CSV || t->delimiter == ',') {
        return;
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        size_t comma = t->n_rows;
        int all_comma = j != in->target;
        int all_dot = 1;
        for (size_t i = 0; i < t->n_rows && all_comma; i++) {
            const char *s = t->cells[i * t->n_cols + j];
            double v = 0.0;
            all_comma = imbal_cell_number_mark(s, ',', &v);
            all_dot = all_dot && imbal_cell_number_mark(s, '.', &v);
            if (comma == t->n_rows && strchr(s, ',') != NULL) {
                comma = i;
            }
        }
        if (all_comma && !all_dot && comma < t->n_rows) {
            in->decimal = ',';
            in->decimal_column = j;
            in->decimal_line = t->lines[comma];
            return;
        }
    }
}

static imbal_status inspect_columns(const imbal_table *t, imbal_inspection *in, imbal_error *err)
{
    const char **str = imbal_malloc(t->n_rows, sizeof(*str));
    double *num = imbal_malloc(t->n_rows, sizeof(*num));
    imbal_status st = IMBAL_OK;
    in->columns = imbal_calloc(t->n_cols, sizeof(*in->columns));
    if (str == NULL || num == NULL || in->columns == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto cleanup;
    }
    in->n_columns = t->n_cols;
    for (size_t j = 0; j < t->n_cols && st == IMBAL_OK; j++) {
        imbal_column_info *col = &in->columns[j];
        col->name = imbal_strdup(t->names[j]);
        if (col->name == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        } else if (j == in->target) {
            col->role = IMBAL_ROLE_TARGET;
        } else if (t->kind[j] == IMBAL_COL_SKIP) {
            col->role = IMBAL_ROLE_SKIPPED;
        } else {
            st = inspect_column(t, j, in->decimal, col, str, num, err);
        }
    }
cleanup:
    free(str);
    free(num);
    return st;
}

/* The classes as the loader numbers them (no positive given), with their counts. */
static imbal_status inspect_classes(const imbal_dataset *ds, imbal_inspection *in,
                                    imbal_error *err)
{
    in->class_names = imbal_calloc(ds->n_classes, sizeof(*in->class_names));
    in->class_counts = imbal_calloc(ds->n_classes, sizeof(*in->class_counts));
    if (in->class_names == NULL || in->class_counts == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    in->n_classes = ds->n_classes;
    imbal_dataset_class_counts(ds, in->class_counts);
    for (size_t c = 0; c < ds->n_classes; c++) {
        in->class_names[c] = imbal_strdup(ds->class_names[c]);
        if (in->class_names[c] == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
        in->n_singletons += in->class_counts[c] == 1;
    }
    return IMBAL_OK;
}

/* "cp (143), im (77), ..." into msg after its current text. */
static void inspect_label_list(char *msg, size_t n, const imbal_inspection *in)
{
    size_t len = strlen(msg);
    for (size_t c = 0; c < in->n_classes && len < n; c++) {
        if (len + strlen(in->class_names[c]) + 40 >= n && c + 1 < in->n_classes) {
            snprintf(msg + len, n - len, "%s... (%zu in all)", c > 0 ? ", " : "", in->n_classes);
            return;
        }
        len += (size_t)snprintf(msg + len, n - len, "%s%s (%zu)", c > 0 ? ", " : "",
                                in->class_names[c], in->class_counts[c]);
    }
}

/* The positive label: the given one, or the least frequent candidate (see inspect.h). */
static imbal_status inspect_positive(const char *given, imbal_inspection *in, imbal_error *err)
{
    const char *tname = in->columns[in->target].name;
    char msg[256];
    if (given != NULL) {
        for (size_t c = 0; c < in->n_classes; c++) {
            if (strcmp(in->class_names[c], given) == 0) {
                in->positive = c;
                in->positive_why = IMBAL_POSITIVE_GIVEN;
                in->n_tied = 1;
                return IMBAL_OK;
            }
        }
        snprintf(msg, sizeof(msg), "positive label '%.40s' does not occur in column '%.40s'; its "
                 "labels: ", given, tname);
        inspect_label_list(msg, sizeof(msg), in);
    } else {
        size_t min_rows = in->n_classes > 2 ? 2 : 1;
        size_t best = in->n_classes;
        for (size_t c = 0; c < in->n_classes; c++) {
            /* <= : the later label wins a tie, the loader's rule for two labels */
            if (in->class_counts[c] >= min_rows &&
                (best == in->n_classes || in->class_counts[c] <= in->class_counts[best])) {
                best = c;
            }
        }
        if (best < in->n_classes) {
            in->positive = best;
            in->positive_why = IMBAL_POSITIVE_MINORITY;
            for (size_t c = 0; c < in->n_classes; c++) {
                in->n_tied += in->class_counts[c] == in->class_counts[best];
            }
            return IMBAL_OK;
        }
        snprintf(msg, sizeof(msg), "each of the %zu labels of column '%.40s' occurs once: is it "
                 "a class column? (choose the target column with --target)", in->n_classes,
                 tname);
    }
    imbal_fail_at(err, IMBAL_EINVAL, in->path, 0, 0, "%s", msg);
    imbal_error_set_key(err, tname);
    return IMBAL_EINVAL;
}

/* Encodes t with the categorical columns found listed, as the starter spec will. */
static imbal_status inspect_encode(const imbal_table *t, imbal_inspection *in, imbal_error *err)
{
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    const char **cat = imbal_malloc(in->n_columns, sizeof(*cat));
    imbal_status st = IMBAL_OK;
    if (cat == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    imbal_load_options_default(&opt);
    opt.format = in->format;
    opt.target = t->names[in->target];
    opt.decimal = in->decimal;
    for (size_t j = 0; j < in->n_columns; j++) {
        if (in->columns[j].role == IMBAL_ROLE_CATEGORICAL) {
            cat[opt.n_categorical++] = in->columns[j].name;
        }
    }
    opt.categorical = cat;
    st = imbal_table_encode(t, &opt, &ds, err);
    if (st == IMBAL_OK) {
        in->n_rows = ds->n;
        in->n_features = ds->d;
        st = inspect_classes(ds, in, err);
    }
    imbal_dataset_free(ds);
    free(cat);
    return st;
}

/* Parses the file, then the columns (under the C locale, as the encoder reads numbers). */
static imbal_status inspect_table(imbal_table *t, const imbal_inspect_options *opt,
                                  imbal_inspection *in, imbal_error *err)
{
    imbal_status st;
    locale_t c_locale = (locale_t)0;
    locale_t old = (locale_t)0;
    if (in->format == IMBAL_FORMAT_KEEL) {
        st = imbal_keel_parse(t, in->path, err);
    } else {
        st = imbal_csv_parse(t, in->path, 0, err);
    }
    if (st == IMBAL_OK) {
        st = inspect_target(t, in->path, opt->target, in, err);
    }
    if (st != IMBAL_OK) {
        return st;
    }
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (c_locale == (locale_t)0) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory: no C locale");
    }
    old = uselocale(c_locale);
    inspect_decimal(t, in);
    st = inspect_columns(t, in, err);
    uselocale(old);
    freelocale(c_locale);
    return st;
}

imbal_status imbal_inspect(const char *path, const imbal_inspect_options *opt,
                           imbal_inspection **out, imbal_error *err)
{
    static const imbal_inspect_options defaults = {NULL, NULL};
    imbal_table t;
    imbal_inspection *in = NULL;
    imbal_status st = IMBAL_OK;
    memset(&t, 0, sizeof(t));
    t.target = -1;
    *out = NULL;
    if (opt == NULL) {
        opt = &defaults;
    }
    in = imbal_calloc(1, sizeof(*in));
    if (in == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    in->format = inspect_format_of(path);
    in->path = imbal_strdup(path);
    in->stem = inspect_stem(path);
    if (in->path == NULL || in->stem == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto cleanup;
    }
    st = inspect_table(&t, opt, in, err);
    if (st == IMBAL_OK) {
        st = inspect_encode(&t, in, err);
    }
    if (st == IMBAL_OK) {
        st = inspect_positive(opt->positive, in, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    in->n_positive = in->class_counts[in->positive];
    in->n_negative = in->n_rows - in->n_positive;
    in->imbalance_ratio = (double)in->n_negative / (double)in->n_positive;
    *out = in;
    in = NULL;
cleanup:
    imbal_table_clear(&t);
    imbal_inspection_free(in);
    return st;
}
