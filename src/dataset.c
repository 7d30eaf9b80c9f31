/* Datasets (see dataset.h): allocation, subsets, class counts and the loaders' entry
 * points. A load parses every file into one raw string table (csv.c, keel.c) and encodes
 * it once (encode.c), so files loaded together share their one-hot columns. */
#include "imbal/dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "table.h"

void imbal_load_options_default(imbal_load_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->format = IMBAL_FORMAT_AUTO;
}

imbal_status imbal_dataset_alloc(size_t n, size_t d, size_t n_classes, imbal_dataset **out,
                                 imbal_error *err)
{
    imbal_dataset *ds = imbal_calloc(1, sizeof(*ds));
    *out = NULL;
    if (ds == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    ds->n = n;
    ds->d = d;
    ds->n_classes = n_classes;
    if (d != 0 && n > (size_t)-1 / d) {
        free(ds);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory: %zu x %zu cells", n, d);
    }
    ds->x = imbal_calloc(n * d, sizeof(double));
    ds->y = imbal_calloc(n, sizeof(int));
    ds->feature_names = imbal_calloc(d, sizeof(char *));
    ds->is_dummy = imbal_calloc(d, 1);
    ds->class_names = imbal_calloc(n_classes, sizeof(char *));
    if (ds->x == NULL || ds->y == NULL || ds->feature_names == NULL || ds->is_dummy == NULL ||
        ds->class_names == NULL) {
        imbal_dataset_free(ds);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    *out = ds;
    return IMBAL_OK;
}

/* names[0..m) = "<prefix>0", "<prefix>1", ... */
static imbal_status dataset_numbered(char **names, size_t m, const char *prefix, imbal_error *err)
{
    for (size_t k = 0; k < m; k++) {
        char buf[64];
        snprintf(buf, sizeof(buf), "%s%zu", prefix, k);
        names[k] = imbal_strdup(buf);
        if (names[k] == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    return IMBAL_OK;
}

imbal_status imbal_dataset_new(size_t n, size_t d, size_t n_classes, imbal_dataset **out,
                               imbal_error *err)
{
    imbal_dataset *ds = NULL;
    imbal_status st = imbal_dataset_alloc(n, d, n_classes, &ds, err);
    *out = NULL;
    if (st == IMBAL_OK) {
        st = dataset_numbered(ds->feature_names, d, "x", err);
    }
    if (st == IMBAL_OK) {
        st = dataset_numbered(ds->class_names, n_classes, "class", err);
    }
    if (st != IMBAL_OK) {
        imbal_dataset_free(ds);
        return st;
    }
    *out = ds;
    return IMBAL_OK;
}

/* dst[k] = copy of src[k] for k < m (NULL stays NULL). */
static imbal_status dataset_copy_names(char **dst, char *const *src, size_t m, imbal_error *err)
{
    for (size_t k = 0; k < m; k++) {
        if (src[k] != NULL) {
            dst[k] = imbal_strdup(src[k]);
            if (dst[k] == NULL) {
                return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            }
        }
    }
    return IMBAL_OK;
}

imbal_status imbal_dataset_subset(const imbal_dataset *ds, const size_t *idx, size_t m,
                                  imbal_dataset **out, imbal_error *err)
{
    imbal_dataset *res = NULL;
    *out = NULL;
    for (size_t k = 0; k < m; k++) {
        if (idx[k] >= ds->n) {
            return imbal_fail(err, IMBAL_EINVAL, "subset index %zu is not below n = %zu", idx[k],
                              ds->n);
        }
    }
    imbal_status st = imbal_dataset_alloc(m, ds->d, ds->n_classes, &res, err);
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t k = 0; k < m; k++) {
        memcpy(res->x + k * ds->d, ds->x + idx[k] * ds->d, ds->d * sizeof(double));
        res->y[k] = ds->y[idx[k]];
    }
    memcpy(res->is_dummy, ds->is_dummy, ds->d);
    st = dataset_copy_names(res->feature_names, ds->feature_names, ds->d, err);
    if (st == IMBAL_OK) {
        st = dataset_copy_names(res->class_names, ds->class_names, ds->n_classes, err);
    }
    if (st == IMBAL_OK && ds->name != NULL) {
        res->name = imbal_strdup(ds->name);
        if (res->name == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    if (st != IMBAL_OK) {
        imbal_dataset_free(res);
        return st;
    }
    *out = res;
    return IMBAL_OK;
}

void imbal_dataset_class_counts(const imbal_dataset *ds, size_t *counts)
{
    memset(counts, 0, ds->n_classes * sizeof(*counts));
    for (size_t i = 0; i < ds->n; i++) {
        counts[ds->y[i]]++;
    }
}

void imbal_columns_free(imbal_columns *c)
{
    if (c == NULL) {
        return;
    }
    for (size_t j = 0; c->columns != NULL && j < c->n_columns; j++) {
        for (size_t l = 0; c->columns[j].levels != NULL && l < c->columns[j].n_levels; l++) {
            free(c->columns[j].levels[l]);
        }
        free(c->columns[j].levels);
        free(c->columns[j].name);
    }
    free(c->columns);
    free(c->label);
    free(c);
}

void imbal_dataset_free(imbal_dataset *ds)
{
    if (ds == NULL) {
        return;
    }
    if (ds->feature_names != NULL) {
        for (size_t j = 0; j < ds->d; j++) {
            free(ds->feature_names[j]);
        }
    }
    if (ds->class_names != NULL) {
        for (size_t c = 0; c < ds->n_classes; c++) {
            free(ds->class_names[c]);
        }
    }
    imbal_columns_free(ds->columns);
    free(ds->feature_names);
    free(ds->class_names);
    free(ds->is_dummy);
    free(ds->x);
    free(ds->y);
    free(ds->name);
    free(ds);
}

/* ".dat" (any case) is KEEL, anything else CSV. */
static imbal_format dataset_format_of(const char *path)
{
    size_t len = strlen(path);
    if (len >= 4 && path[len - 4] == '.' && (path[len - 3] | 0x20) == 'd' &&
        (path[len - 2] | 0x20) == 'a' && (path[len - 1] | 0x20) == 't') {
        return IMBAL_FORMAT_KEEL;
    }
    return IMBAL_FORMAT_CSV;
}

static imbal_status dataset_load(const char *const *paths, size_t n_paths,
                                 const imbal_load_options *opt, imbal_format format,
                                 imbal_dataset **out, size_t *row_start, imbal_error *err)
{
    imbal_table t;
    imbal_load_options defaults;
    imbal_status st = IMBAL_OK;
    memset(&t, 0, sizeof(t));
    t.target = -1;
    *out = NULL;
    if (opt == NULL) {
        imbal_load_options_default(&defaults);
        opt = &defaults;
    }
    if (n_paths == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "no files to load");
    }
    if (format == IMBAL_FORMAT_AUTO) {
        format = opt->format != IMBAL_FORMAT_AUTO ? opt->format : dataset_format_of(paths[0]);
    }
    for (size_t f = 0; f < n_paths && st == IMBAL_OK; f++) {
        if (format == IMBAL_FORMAT_KEEL) {
            st = imbal_keel_parse(&t, paths[f], err);
        } else {
            st = imbal_csv_parse(&t, paths[f], opt->delimiter, err);
        }
    }
    if (st == IMBAL_OK) {
        st = imbal_table_encode(&t, opt, out, err);
    }
    if (st == IMBAL_OK) {
        (*out)->columns->format = format;
    }
    if (st == IMBAL_OK && row_start != NULL) {
        for (size_t f = 0; f < n_paths; f++) {
            row_start[f] = t.files[f].first_row;
        }
        row_start[n_paths] = t.n_rows;
    }
    imbal_table_clear(&t);
    return st;
}

imbal_status imbal_dataset_load(const char *path, const imbal_load_options *opt,
                                imbal_dataset **out, imbal_error *err)
{
    return dataset_load(&path, 1, opt, IMBAL_FORMAT_AUTO, out, NULL, err);
}

imbal_status imbal_dataset_load_csv(const char *path, const imbal_load_options *opt,
                                    imbal_dataset **out, imbal_error *err)
{
    return dataset_load(&path, 1, opt, IMBAL_FORMAT_CSV, out, NULL, err);
}

imbal_status imbal_dataset_load_keel(const char *path, const imbal_load_options *opt,
                                     imbal_dataset **out, imbal_error *err)
{
    return dataset_load(&path, 1, opt, IMBAL_FORMAT_KEEL, out, NULL, err);
}

imbal_status imbal_dataset_load_many(const char *const *paths, size_t n_paths,
                                     const imbal_load_options *opt, imbal_dataset **out,
                                     size_t *row_start, imbal_error *err)
{
    return dataset_load(paths, n_paths, opt, IMBAL_FORMAT_AUTO, out, row_start, err);
}
