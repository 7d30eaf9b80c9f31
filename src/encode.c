/* The encoder: raw string table (table.h) -> dataset, shared by the CSV and KEEL readers so
 * both give bit-identical matrices. Categories are found by sorting each categorical
 * column once and looked up by binary search, so encoding is O(n log n) per column.
 * Numbers are read by strtod under a thread-local C locale after a strict syntax check. */
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "nameidx.h"
#include "table.h"

typedef enum { ROLE_SKIP, ROLE_NUMERIC, ROLE_CATEGORICAL, ROLE_TARGET } enc_role;

typedef struct {
    const char *s;
    double v;   /* the value when the column's categories are all numbers */
    size_t row; /* first row holding s (after dedup) */
} enc_entry;

typedef struct {
    enc_entry *cat; /* k distinct values, sorted */
    size_t k;
    int numeric; /* sorted by value (all categories are numbers), else bytewise */
    char dec;    /* the decimal mark the values are read with */
} enc_levels;

typedef struct {
    const imbal_table *t;
    const imbal_load_options *opt;
    unsigned char *role; /* n_cols enc_role */
    enc_levels *lv;      /* n_cols; used for categorical columns and the target */
    enc_entry *scratch;  /* n_rows */
    size_t target;
    imbal_nameidx names; /* column name -> column, for the target and categorical options */
    char dec;            /* decimal mark: opt->decimal, or '.' */
    size_t *n_numbers;   /* n_cols: cells of an inferred numeric column that read as numbers */
    imbal_positive_rule positive_rule;
    imbal_dataset *ds;
} enc_state;

static int enc_missing(const char *s)
{
    switch (s[0]) { /* every token starts with one of these: most cells need no compare */
    case '\0':
        return 1;
    case '?':
        return s[1] == '\0';
    case '<':
        return strcasecmp(s, "<null>") == 0;
    case 'n':
    case 'N':
        return strcasecmp(s, "NA") == 0 || strcasecmp(s, "NaN") == 0 ||
               strcasecmp(s, "null") == 0;
    default:
        return 0;
    }
}

typedef enum { NUM_OK, NUM_SYNTAX, NUM_RANGE } enc_num;

/* A decimal number with decimal mark dec ('.' or ','): [+-] digits [dec digits]
 * [e [+-] digits], at least one digit before the exponent; no hex, inf or nan (strtod would
 * take them). Overflow is NUM_RANGE. */
static enc_num enc_number_mark(const char *s, char dec, double *v)
{
    const char *p = s;
    size_t digits = 0;
    char buf[128];
    const char *text = s;
    p += *p == '+' || *p == '-';
    while (isdigit((unsigned char)*p)) {
        p++;
        digits++;
    }
    if (*p == dec) {
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits++;
        }
    }
    if (digits == 0) {
        return NUM_SYNTAX;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        if (!isdigit((unsigned char)*p)) {
            return NUM_SYNTAX;
        }
        while (isdigit((unsigned char)*p)) {
            p++;
        }
    }
    if (*p != '\0') {
        return NUM_SYNTAX;
    }
    if (dec != '.') {
        /* strtod reads '.' in the C locale: the mark is swapped in a copy */
        size_t len = (size_t)(p - s);
        if (len >= sizeof(buf)) {
            return NUM_SYNTAX; /* 127 characters of digits: not a number anyone wrote */
        }
        memcpy(buf, s, len + 1);
        char *mark = strchr(buf, dec);
        if (mark != NULL) {
            *mark = '.';
        }
        text = buf;
        p = buf + len;
    }
    char *end = NULL;
    double x = strtod(text, &end);
    if (end != p) {
        return NUM_SYNTAX; /* a locale whose decimal point is not '.' would stop early */
    }
    if (!isfinite(x)) {
        return NUM_RANGE;
    }
    *v = x;
    return NUM_OK;
}

static enc_num enc_number(const char *s, double *v)
{
    return enc_number_mark(s, '.', v);
}

int imbal_cell_number_mark(const char *s, char dec, double *v)
{
    return enc_number_mark(s, dec, v) == NUM_OK;
}

int imbal_cell_number(const char *s, double *v)
{
    return enc_number(s, v) == NUM_OK;
}

/* Fails with the file, line and 1-based column of cell (row, col); key = the column name. */
static imbal_status enc_fail_cell(const enc_state *e, imbal_status st, size_t row, size_t col,
                                  imbal_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static imbal_status enc_fail_cell(const enc_state *e, imbal_status st, size_t row, size_t col,
                                  imbal_error *err, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (err != NULL && err->status == IMBAL_OK) {
        imbal_fail_at(err, st, imbal_table_row_file(e->t, row)->path, e->t->lines[row],
                      (long)col + 1, "%s", msg);
        imbal_error_set_key(err, e->t->names[col]);
    }
    return st;
}

static long enc_find_column(const enc_state *e, const char *name)
{
    size_t j = imbal_nameidx_find(&e->names, name);
    return j == SIZE_MAX ? -1 : (long)j;
}

/* The index of the column names (the readers have refused duplicates). */
static imbal_status enc_index_names(enc_state *e, imbal_error *err)
{
    const imbal_table *t = e->t;
    uint64_t seed = t->n_cols > 0 ? imbal_nameidx_seed(t->names[0], strlen(t->names[0])) : 0;
    imbal_nameidx_init(&e->names, seed);
    for (size_t j = 0; j < t->n_cols; j++) {
        size_t first = SIZE_MAX;
        if (!imbal_nameidx_add(&e->names, t->names[j], j, &first)) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    return IMBAL_OK;
}

static imbal_status enc_no_column(const imbal_table *t, const char *name, const char *what,
                                  imbal_error *err)
{
    imbal_fail_at(err, IMBAL_EINVAL, t->files[0].path, 0, 0, "%s column '%s' is not in the file",
                  what, name);
    imbal_error_set_key(err, name);
    return IMBAL_EINVAL;
}

/* The type of each CSV column that is neither the target nor listed: decided from all its
 * cells, not from the first. A column is numeric when any cell reads as a number (so a stray
 * "n/a", "-" or "inf" is an error at that cell, wherever it is, instead of turning the column
 * into a dummy per value), categorical when none does. A column with no number under its
 * decimal mark but all numbers under the other one ("3,14" without decimal: ",", or "7.490"
 * with it: a '.' thousands separator is not read) is refused, naming the mark to use. */
static imbal_status enc_infer(enc_state *e, imbal_error *err)
{
    const imbal_table *t = e->t;
    const char other = e->dec == '.' ? ',' : '.';
    for (size_t j = 0; j < t->n_cols; j++) {
        size_t numbers = 0;
        size_t marked = SIZE_MAX; /* first row with a number under the other mark */
        int all_other = 1;
        if (t->kind[j] != IMBAL_COL_INFER || e->role[j] != ROLE_NUMERIC) {
            continue;
        }
        for (size_t i = 0; i < t->n_rows; i++) {
            const char *cell = t->cells[i * t->n_cols + j];
            double v = 0.0;
            numbers += enc_number_mark(cell, e->dec, &v) != NUM_SYNTAX;
            if (all_other && enc_number_mark(cell, other, &v) == NUM_SYNTAX) {
                all_other = 0;
            } else if (all_other && marked == SIZE_MAX && strchr(cell, other) != NULL) {
                marked = i;
            }
        }
        e->n_numbers[j] = numbers;
        if (numbers > 0) {
            continue;
        }
        if (all_other && marked != SIZE_MAX && other == ',') {
            return enc_fail_cell(e, IMBAL_EPARSE, marked, j, err,
                                 "'%.40s' in column '%s' is a number with a decimal comma: set "
                                 "decimal: \",\" for this dataset (or list the column under "
                                 "categorical:)",
                                 t->cells[marked * t->n_cols + j], t->names[j]);
        }
        if (all_other && marked != SIZE_MAX) {
            return enc_fail_cell(e, IMBAL_EPARSE, marked, j, err,
                                 "'%.40s' in column '%s' is a number with a decimal point, but "
                                 "decimal: \",\" is set (a '.' thousands separator is not read): "
                                 "remove the '.' from its numbers, or list the "
                                 "column under categorical:",
                                 t->cells[marked * t->n_cols + j], t->names[j]);
        }
        e->role[j] = ROLE_CATEGORICAL;
    }
    return IMBAL_OK;
}

/* Roles of the columns: the target, skipped KEEL attributes, categorical columns (KEEL
 * nominal, listed in opt->categorical, or a CSV column with no number, enc_infer) and numeric
 * ones. */
static imbal_status enc_roles(enc_state *e, imbal_error *err)
{
    const imbal_table *t = e->t;
    long target = t->target >= 0 ? t->target : (long)t->n_cols - 1;
    imbal_status st = enc_index_names(e, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (e->opt->target != NULL) {
        target = enc_find_column(e, e->opt->target);
        if (target < 0) {
            return enc_no_column(t, e->opt->target, "target", err);
        }
    }
    e->target = (size_t)target;
    for (size_t j = 0; j < t->n_cols; j++) {
        static const unsigned char by_kind[] = {ROLE_NUMERIC, ROLE_NUMERIC, ROLE_CATEGORICAL,
                                                ROLE_SKIP};
        e->role[j] = j == e->target ? ROLE_TARGET : by_kind[t->kind[j]];
    }
    for (size_t c = 0; c < e->opt->n_categorical; c++) {
        long j = enc_find_column(e, e->opt->categorical[c]);
        if (j < 0) {
            return enc_no_column(t, e->opt->categorical[c], "categorical", err);
        }
        if (e->role[j] == ROLE_NUMERIC) {
            e->role[j] = ROLE_CATEGORICAL;
        }
    }
    /* missing values first, in file order, so the first one is the one reported */
    for (size_t i = 0; i < t->n_rows; i++) {
        for (size_t j = 0; j < t->n_cols; j++) {
            const char *s = t->cells[i * t->n_cols + j];
            if (e->role[j] != ROLE_SKIP && enc_missing(s)) {
                return enc_fail_cell(e, IMBAL_EPARSE, i, j, err,
                                     "missing value%s%s%s in column '%s'; imbal does not impute",
                                     s[0] != '\0' ? " '" : " (empty cell)", s,
                                     s[0] != '\0' ? "'" : "", t->names[j]);
            }
        }
    }
    return enc_infer(e, err);
}

static int enc_cmp_str(const void *a, const void *b)
{
    const enc_entry *x = a;
    const enc_entry *y = b;
    int c = strcmp(x->s, y->s);
    return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

static int enc_cmp_num(const void *a, const void *b)
{
    const enc_entry *x = a;
    const enc_entry *y = b;
    if (x->v != y->v) {
        return x->v < y->v ? -1 : 1;
    }
    return enc_cmp_str(a, b);
}

/* Index of s among the sorted categories of lv (s must be one of them). */
static size_t enc_lookup(const enc_levels *lv, const char *s)
{
    size_t lo = 0;
    size_t hi = lv->k;
    double v = 0.0;
    if (lv->numeric) {
        enc_number_mark(s, lv->dec, &v);
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const enc_entry *m = &lv->cat[mid];
        int c = 0;
        if (lv->numeric && m->v != v) {
            c = m->v < v ? -1 : 1;
        } else {
            c = strcmp(m->s, s);
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Each category of KEEL nominal column j must be one of its declared values (hashed, so a
 * list of 100,000 values costs no more than reading it). */
static imbal_status enc_check_declared(enc_state *e, size_t j, imbal_error *err)
{
    const imbal_table *t = e->t;
    const enc_levels *lv = &e->lv[j];
    imbal_nameidx declared;
    imbal_status st = IMBAL_OK;
    imbal_nameidx_init(&declared, e->names.seed);
    for (size_t m = 0; t->levels[j][m] != NULL; m++) {
        size_t first = SIZE_MAX;
        if (!imbal_nameidx_add(&declared, t->levels[j][m], m, &first)) {
            imbal_nameidx_free(&declared);
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    for (size_t c = 0; c < lv->k && st == IMBAL_OK; c++) {
        if (imbal_nameidx_find(&declared, lv->cat[c].s) == SIZE_MAX) {
            st = enc_fail_cell(e, IMBAL_EPARSE, lv->cat[c].row, j, err,
                               "'%.40s' is not a declared value of '%s'", lv->cat[c].s,
                               t->names[j]);
        }
    }
    imbal_nameidx_free(&declared);
    return st;
}

/* The sorted distinct values of column j, each with the first row holding it. */
static imbal_status enc_levels_of(enc_state *e, size_t j, imbal_error *err)
{
    const imbal_table *t = e->t;
    enc_levels *lv = &e->lv[j];
    enc_entry *s = e->scratch;
    size_t k = 0;
    lv->numeric = 1;
    lv->dec = e->dec;
    for (size_t i = 0; i < t->n_rows; i++) {
        s[i].s = t->cells[i * t->n_cols + j];
        s[i].row = i;
        s[i].v = 0.0;
        if (lv->numeric && enc_number_mark(s[i].s, e->dec, &s[i].v) != NUM_OK) {
            lv->numeric = 0;
        }
    }
    qsort(s, t->n_rows, sizeof(*s), lv->numeric ? enc_cmp_num : enc_cmp_str);
    for (size_t i = 0; i < t->n_rows; i++) {
        if (k == 0 || strcmp(s[k - 1].s, s[i].s) != 0) {
            s[k++] = s[i]; /* equal strings are adjacent, the first row first */
        }
    }
    lv->cat = imbal_malloc(k, sizeof(*lv->cat));
    if (lv->cat == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    memcpy(lv->cat, s, k * sizeof(*s));
    lv->k = k;
    if (t->levels[j] == NULL) {
        return IMBAL_OK;
    }
    return enc_check_declared(e, j, err);
}

/* class_of[c] for each target level c; sets n_classes and the class names. */
static imbal_status enc_classes(enc_state *e, size_t *class_of, imbal_error *err)
{
    const enc_levels *lv = &e->lv[e->target];
    const char *tname = e->t->names[e->target];
    const char *name[2] = {NULL, NULL};
    size_t pos = 0;
    if (e->opt->positive != NULL) {
        pos = enc_lookup(lv, e->opt->positive);
        if (pos == lv->k || strcmp(lv->cat[pos].s, e->opt->positive) != 0) {
            imbal_fail_at(err, IMBAL_EINVAL, e->t->files[0].path, 0, 0,
                          "positive label '%s' does not occur in column '%s'", e->opt->positive,
                          tname);
            imbal_error_set_key(err, tname);
            return IMBAL_EINVAL;
        }
    }
    if (lv->k < 2) {
        imbal_fail_at(err, IMBAL_EINVAL, e->t->files[0].path, 0, 0,
                      "one class only: every row of '%s' is '%s'", tname, lv->cat[0].s);
        imbal_error_set_key(err, tname);
        return IMBAL_EINVAL;
    }
    if (e->opt->positive == NULL && lv->k > 2) {
        e->positive_rule = IMBAL_POSRULE_NONE;
        e->ds->n_classes = lv->k;
        for (size_t c = 0; c < lv->k; c++) {
            class_of[c] = c;
            e->ds->class_names[c] = imbal_strdup(lv->cat[c].s);
            if (e->ds->class_names[c] == NULL) {
                return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            }
        }
        return IMBAL_OK;
    }
    if (e->opt->positive == NULL) {
        /* the rarer label is positive; on a tie the later one */
        size_t count[2] = {0, 0};
        for (size_t i = 0; i < e->t->n_rows; i++) {
            count[enc_lookup(lv, e->t->cells[i * e->t->n_cols + e->target])]++;
        }
        pos = count[0] < count[1] ? 0 : 1;
        e->positive_rule = count[0] == count[1] ? IMBAL_POSRULE_TIE : IMBAL_POSRULE_RARER;
    }
    for (size_t c = 0; c < lv->k; c++) {
        class_of[c] = c == pos;
    }
    name[1] = lv->cat[pos].s;
    name[0] = lv->k == 2 ? lv->cat[1 - pos].s : "negative";
    e->ds->n_classes = 2;
    for (size_t c = 0; c < 2; c++) {
        e->ds->class_names[c] = imbal_strdup(name[c]);
        if (e->ds->class_names[c] == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    return IMBAL_OK;
}

/* Feature names and dummy flags: numeric columns, then "<column>_<category>" dummies. */
static imbal_status enc_names(enc_state *e, imbal_error *err)
{
    const imbal_table *t = e->t;
    size_t o = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        if (e->role[j] == ROLE_NUMERIC) {
            e->ds->feature_names[o] = imbal_strdup(t->names[j]);
            if (e->ds->feature_names[o++] == NULL) {
                return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            }
        }
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        if (e->role[j] != ROLE_CATEGORICAL) {
            continue;
        }
        for (size_t c = 1; c < e->lv[j].k; c++) {
            size_t len = strlen(t->names[j]) + 1 + strlen(e->lv[j].cat[c].s) + 1;
            char *name = imbal_malloc(len, 1);
            if (name == NULL) {
                return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            }
            snprintf(name, len, "%s_%s", t->names[j], e->lv[j].cat[c].s);
            e->ds->feature_names[o] = name;
            e->ds->is_dummy[o++] = 1;
        }
    }
    return IMBAL_OK;
}

/* Cell (i, j) of a numeric column is not a number: says why the column is numeric. */
static imbal_status enc_not_number(const enc_state *e, size_t i, size_t j, imbal_error *err)
{
    const imbal_table *t = e->t;
    const char *cell = t->cells[i * t->n_cols + j];
    double v = 0.0;
    if (e->dec == '.' && enc_number_mark(cell, ',', &v) == NUM_OK) {
        return enc_fail_cell(e, IMBAL_EPARSE, i, j, err,
                             "'%.40s' in numeric column '%s' has a decimal comma: set decimal: "
                             "\",\" for this dataset",
                             cell, t->names[j]);
    }
    if (t->kind[j] == IMBAL_COL_INFER) {
        return enc_fail_cell(e, IMBAL_EPARSE, i, j, err,
                             "'%.40s' in column '%s' is not a number, but %zu of its %zu cells "
                             "are; list it under categorical: to one-hot encode it",
                             cell, t->names[j], e->n_numbers[j], t->n_rows);
    }
    return enc_fail_cell(e, IMBAL_EPARSE, i, j, err, "'%.40s' in numeric column '%s' is not a number",
                         cell, t->names[j]);
}

/* Row i of x and y. */
static imbal_status enc_row(enc_state *e, size_t i, const size_t *class_of, imbal_error *err)
{
    const imbal_table *t = e->t;
    char *const *cell = t->cells + i * t->n_cols;
    double *x = e->ds->x + i * e->ds->d;
    size_t o = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        if (e->role[j] != ROLE_NUMERIC) {
            continue;
        }
        enc_num r = enc_number_mark(cell[j], e->dec, &x[o++]);
        if (r == NUM_RANGE) {
            return enc_fail_cell(e, IMBAL_EPARSE, i, j, err,
                                 "'%.40s' in column '%s' is out of the range of a double", cell[j],
                                 t->names[j]);
        }
        if (r != NUM_OK) {
            return enc_not_number(e, i, j, err);
        }
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        if (e->role[j] != ROLE_CATEGORICAL) {
            continue;
        }
        size_t c = enc_lookup(&e->lv[j], cell[j]);
        for (size_t m = 1; m < e->lv[j].k; m++) {
            x[o++] = c == m ? 1.0 : 0.0;
        }
    }
    e->ds->y[i] = (int)class_of[enc_lookup(&e->lv[e->target], cell[e->target])];
    return IMBAL_OK;
}

/* The file stem: "data/abalone19.csv" -> "abalone19". */
static char *enc_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    return imbal_strndup(base, len);
}

/* The levels of column j as owned strings. */
static imbal_status enc_column_levels(const enc_levels *lv, imbal_column *col, imbal_error *err)
{
    col->levels = imbal_calloc(lv->k, sizeof(char *));
    if (col->levels == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    col->n_levels = lv->k;
    for (size_t c = 0; c < lv->k; c++) {
        col->levels[c] = imbal_strdup(lv->cat[c].s);
        if (col->levels[c] == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    return IMBAL_OK;
}

/* The column map (dataset.h): the loaded columns in file order, where each went in x. */
static imbal_status enc_columns(enc_state *e, imbal_error *err)
{
    const imbal_table *t = e->t;
    imbal_columns *cm = imbal_calloc(1, sizeof(*cm));
    size_t n_numeric = 0;
    size_t next_dummy;
    size_t o = 0;
    if (cm == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    e->ds->columns = cm;
    cm->positive_rule = e->positive_rule;
    cm->decimal = e->dec;
    for (size_t j = 0; j < t->n_cols; j++) {
        cm->n_columns += e->role[j] != ROLE_SKIP;
        n_numeric += e->role[j] == ROLE_NUMERIC;
    }
    cm->columns = imbal_calloc(cm->n_columns, sizeof(*cm->columns));
    cm->label = imbal_malloc(t->n_rows, sizeof(*cm->label));
    if (cm->columns == NULL || cm->label == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    next_dummy = n_numeric;
    n_numeric = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        imbal_column *col = &cm->columns[o];
        imbal_status st = IMBAL_OK;
        if (e->role[j] == ROLE_SKIP) {
            continue;
        }
        o++;
        col->name = imbal_strdup(t->names[j]);
        if (col->name == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
        if (e->role[j] == ROLE_NUMERIC) {
            col->role = IMBAL_COLUMN_NUMERIC;
            col->feature = n_numeric++;
            continue;
        }
        col->role = e->role[j] == ROLE_TARGET ? IMBAL_COLUMN_TARGET : IMBAL_COLUMN_CATEGORICAL;
        st = enc_column_levels(&e->lv[j], col, err);
        if (st != IMBAL_OK) {
            return st;
        }
        if (col->role == IMBAL_COLUMN_TARGET) {
            cm->target = o - 1;
        } else {
            col->feature = next_dummy;
            next_dummy += e->lv[j].k - 1;
        }
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        cm->label[i] = enc_lookup(&e->lv[e->target], t->cells[i * t->n_cols + e->target]);
    }
    return IMBAL_OK;
}

/* Everything after the roles: levels, sizes, the dataset and its rows. */
static imbal_status enc_build(enc_state *e, imbal_error *err)
{
    const imbal_table *t = e->t;
    size_t d = 0;
    size_t *class_of = NULL;
    imbal_status st = IMBAL_OK;
    for (size_t j = 0; j < t->n_cols && st == IMBAL_OK; j++) {
        if (e->role[j] == ROLE_CATEGORICAL || e->role[j] == ROLE_TARGET) {
            st = enc_levels_of(e, j, err);
        }
        if (e->role[j] == ROLE_NUMERIC) {
            d++;
        } else if (e->role[j] == ROLE_CATEGORICAL && st == IMBAL_OK) {
            d += e->lv[j].k - 1; /* drop_first */
        }
    }
    if (st != IMBAL_OK) {
        return st;
    }
    if (d == 0) {
        return imbal_fail_at(err, IMBAL_EINVAL, t->files[0].path, 0, 0,
                             "no feature columns besides the target '%s'", t->names[e->target]);
    }
    st = imbal_dataset_alloc(t->n_rows, d, e->lv[e->target].k, &e->ds, err);
    class_of = imbal_malloc(e->lv[e->target].k, sizeof(*class_of));
    if (st == IMBAL_OK && class_of == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    if (st == IMBAL_OK) {
        st = enc_classes(e, class_of, err);
    }
    if (st == IMBAL_OK) {
        st = enc_names(e, err);
    }
    for (size_t i = 0; i < t->n_rows && st == IMBAL_OK; i++) {
        st = enc_row(e, i, class_of, err);
    }
    if (st == IMBAL_OK) {
        st = enc_columns(e, err);
    }
    if (st == IMBAL_OK) {
        const char *src = t->relation != NULL && t->relation[0] != '\0' ? t->relation : NULL;
        e->ds->name = src != NULL ? imbal_strdup(src) : enc_stem(t->files[0].path);
        if (e->ds->name == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    free(class_of);
    return st;
}

imbal_status imbal_table_encode(const imbal_table *t, const imbal_load_options *opt,
                                imbal_dataset **out, imbal_error *err)
{
    enc_state e;
    imbal_status st = IMBAL_OK;
    locale_t c_locale = (locale_t)0;
    locale_t old = (locale_t)0;
    memset(&e, 0, sizeof(e));
    e.t = t;
    e.opt = opt;
    *out = NULL;
    e.role = imbal_calloc(t->n_cols, 1);
    e.lv = imbal_calloc(t->n_cols, sizeof(*e.lv));
    e.scratch = imbal_malloc(t->n_rows, sizeof(*e.scratch));
    e.n_numbers = imbal_calloc(t->n_cols, sizeof(*e.n_numbers));
    e.dec = opt->decimal == ',' ? ',' : '.';
    if (e.role == NULL || e.lv == NULL || e.scratch == NULL || e.n_numbers == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* strtod follows LC_NUMERIC; files always use '.', whatever the caller's locale */
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (c_locale == (locale_t)0) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory: no C locale");
        goto cleanup;
    }
    old = uselocale(c_locale);
    if (e.dec == ',' && t->delimiter == ',') {
        st = imbal_fail_at(err, IMBAL_EINVAL, t->files[0].path, 0, 0,
                           "decimal ',' needs a field delimiter other than ',' (%s)",
                           t->kind[0] == IMBAL_COL_INFER ? "this CSV file's is ','"
                                                         : "a KEEL file's is ','");
        imbal_error_set_key(err, "decimal");
    } else {
        st = enc_roles(&e, err);
    }
    if (st == IMBAL_OK) {
        st = enc_build(&e, err);
    }
    uselocale(old);
    if (st == IMBAL_OK) {
        *out = e.ds;
        e.ds = NULL;
    }
cleanup:
    if (c_locale != (locale_t)0) {
        freelocale(c_locale);
    }
    if (e.lv != NULL) {
        for (size_t j = 0; j < t->n_cols; j++) {
            free(e.lv[j].cat);
        }
    }
    imbal_dataset_free(e.ds);
    imbal_nameidx_free(&e.names);
    free(e.role);
    free(e.lv);
    free(e.scratch);
    free(e.n_numbers);
    return st;
}
