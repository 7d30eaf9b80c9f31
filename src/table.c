/* Storage of the raw string table (table.h): whole-file reads and row slots that grow by
 * doubling, so parsing stays linear and needs O(log n) allocations. The encoder that turns
 * the table into a dataset is in encode.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "table.h"

/* Reads all of fp into a NUL-terminated buffer. */
static imbal_status table_slurp(FILE *fp, const char *path, char **out, size_t *len_out,
                                imbal_error *err)
{
    size_t cap = 1 << 16;
    size_t len = 0;
    char *buf = imbal_malloc(cap, 1);
    if (buf == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    for (;;) {
        len += fread(buf + len, 1, cap - 1 - len, fp);
        if (len < cap - 1) {
            break;
        }
        char *grown = imbal_realloc(buf, cap, 2);
        if (grown == NULL) {
            free(buf);
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
        buf = grown;
        cap *= 2;
    }
    if (ferror(fp)) {
        free(buf);
        return imbal_fail_at(err, IMBAL_EIO, path, 0, 0, "cannot read '%s'", path);
    }
    buf[len] = '\0';
    *out = buf;
    *len_out = len;
    return IMBAL_OK;
}

imbal_status imbal_table_read_file(imbal_table *t, const char *path, char **text, size_t *len_out,
                                   imbal_error *err)
{
    char *buf = NULL;
    char *copy = NULL;
    size_t len = 0;
    imbal_status st = IMBAL_OK;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return imbal_fail_at(err, IMBAL_EIO, path, 0, 0, "cannot open '%s': %s", path,
                             strerror(errno));
    }
    st = table_slurp(fp, path, &buf, &len, err);
    fclose(fp);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (t->n_files == t->cap_files) {
        size_t cap = t->cap_files == 0 ? 4 : 2 * t->cap_files;
        imbal_table_file *grown = imbal_realloc(t->files, cap, sizeof(*grown));
        if (grown == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            goto cleanup;
        }
        t->files = grown;
        t->cap_files = cap;
    }
    copy = imbal_strdup(path);
    if (copy == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto cleanup;
    }
    t->files[t->n_files].path = copy;
    t->files[t->n_files].buf = buf;
    t->files[t->n_files].first_row = t->n_rows;
    t->n_files++;
    /* a UTF-8 byte order mark is not part of the first column's name */
    {
        size_t bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        *text = buf + bom;
        *len_out = len - bom;
    }
    copy = NULL;
    buf = NULL;
cleanup:
    free(copy);
    free(buf);
    return st;
}

char **imbal_table_row_slot(imbal_table *t, imbal_error *err)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows == 0 ? 256 : 2 * t->cap_rows;
        size_t cells = 0;
        if (t->n_cols != 0 && cap > (size_t)-1 / t->n_cols) {
            imbal_fail(err, IMBAL_ENOMEM, "out of memory: too many cells");
            return NULL;
        }
        cells = cap * t->n_cols;
        char **grown_cells = imbal_realloc(t->cells, cells, sizeof(char *));
        if (grown_cells == NULL) {
            imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            return NULL;
        }
        t->cells = grown_cells;
        long *grown_lines = imbal_realloc(t->lines, cap, sizeof(long));
        if (grown_lines == NULL) {
            imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            return NULL;
        }
        t->lines = grown_lines;
        t->cap_rows = cap;
    }
    return t->cells + t->n_rows * t->n_cols;
}

void imbal_table_clear(imbal_table *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t f = 0; f < t->n_files; f++) {
        free(t->files[f].path);
        free(t->files[f].buf);
    }
    if (t->levels != NULL) {
        for (size_t j = 0; j < t->n_cols; j++) {
            free(t->levels[j]);
        }
    }
    free(t->files);
    free(t->names);
    free(t->kind);
    free(t->levels);
    free(t->cells);
    free(t->lines);
    memset(t, 0, sizeof(*t));
    t->target = -1;
}

const imbal_table_file *imbal_table_row_file(const imbal_table *t, size_t row)
{
    size_t lo = 0;
    size_t hi = t->n_files;
    /* the last file whose first_row <= row */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->files[mid].first_row <= row) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return &t->files[lo];
}
