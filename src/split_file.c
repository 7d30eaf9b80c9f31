/* Splits that are given rather than drawn: a hold-out read from a "row,set" CSV file (the
 * published abalone19 split, or one exported from Python), and the folds of KEEL's
 * partition files loaded back to back. The whole file is read into one buffer first, so
 * every allocation goes through alloc.h and the OOM tests reach each error path. */
#include "imbal/split.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "split_internal.h"

#define SPLIT_READ_CHUNK 65536

/* Reads all of path into a NUL-terminated buffer (*out, length *len). */
static imbal_status split_slurp(const char *path, char **out, size_t *len, imbal_error *err)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t used = 0;
    size_t cap = 0;
    imbal_status st = IMBAL_OK;
    *out = NULL;
    if (fp == NULL) {
        return imbal_fail_at(err, IMBAL_EIO, path, 0, 0, "cannot open split file: %s",
                             strerror(errno));
    }
    for (;;) {
        size_t got;
        if (cap - used < SPLIT_READ_CHUNK + 1) {
            char *grown = imbal_realloc(buf, cap + SPLIT_READ_CHUNK + 1, 1);
            if (grown == NULL) {
                st = imbal_fail_at(err, IMBAL_ENOMEM, path, 0, 0, "out of memory reading");
                goto cleanup;
            }
            buf = grown;
            cap += SPLIT_READ_CHUNK + 1;
        }
        got = fread(buf + used, 1, SPLIT_READ_CHUNK, fp);
        used += got;
        if (got < SPLIT_READ_CHUNK) {
            break;
        }
    }
    if (ferror(fp)) {
        st = imbal_fail_at(err, IMBAL_EIO, path, 0, 0, "read error");
        goto cleanup;
    }
    buf[used] = '\0';
    *out = buf;
    *len = used;
    buf = NULL;
cleanup:
    free(buf);
    fclose(fp);
    return st;
}

/* Parses a 0-based row number: decimal digits only, no sign, no blanks. */
static int split_parse_row(const char *s, size_t len, size_t *row)
{
    size_t v = 0;
    if (len == 0) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        if (v > (SIZE_MAX - (size_t)(s[i] - '0')) / 10) {
            return 0;
        }
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *row = v;
    return 1;
}

/* One data line "row,set" (line end and '\r' already cut off): checks it and appends the
 * row to its set. first_line[row] is the line that first listed row (0: not yet),
 * in_test[row] the set it went to. */
static imbal_status split_parse_line(const char *path, long ln, const char *s, size_t len,
                                     size_t n, long *first_line, unsigned char *in_test,
                                     imbal_fold *fold, imbal_error *err)
{
    const char *comma = memchr(s, ',', len);
    size_t row = 0;
    size_t row_len;
    const char *set;
    size_t set_len;
    int is_test;
    if (comma == NULL) {
        return imbal_fail_at(err, IMBAL_EPARSE, path, ln, 1,
                             "expected 'row,set', found '%.*s'", (int)(len > 40 ? 40 : len), s);
    }
    row_len = (size_t)(comma - s);
    set = comma + 1;
    set_len = len - row_len - 1;
    if (!split_parse_row(s, row_len, &row)) {
        return imbal_fail_at(err, IMBAL_EPARSE, path, ln, 1,
                             "row '%.*s' is not a non-negative integer",
                             (int)(row_len > 40 ? 40 : row_len), s);
    }
    if (set_len == 5 && memcmp(set, "train", 5) == 0) {
        is_test = 0;
    } else if (set_len == 4 && memcmp(set, "test", 4) == 0) {
        is_test = 1;
    } else {
        return imbal_fail_at(err, IMBAL_EPARSE, path, ln, (long)row_len + 2,
                             "unknown set '%.*s' (expected train or test)",
                             (int)(set_len > 40 ? 40 : set_len), set);
    }
    if (row >= n) {
        return imbal_fail_at(err, IMBAL_EINVAL, path, ln, 1,
                             "row %zu is out of range: the dataset has %zu rows", row, n);
    }
    if (first_line[row] != 0) {
        if (in_test[row] != is_test) {
            return imbal_fail_at(err, IMBAL_EINVAL, path, ln, 1,
                                 "row %zu is in both sets (%s on line %ld, %s here)", row,
                                 in_test[row] ? "test" : "train", first_line[row],
                                 is_test ? "test" : "train");
        }
        return imbal_fail_at(err, IMBAL_EINVAL, path, ln, 1,
                             "row %zu is listed twice (first on line %ld)", row,
                             first_line[row]);
    }
    first_line[row] = ln;
    in_test[row] = (unsigned char)is_test;
    if (is_test) {
        fold->test[fold->n_test++] = row;
    } else {
        fold->train[fold->n_train++] = row;
    }
    return IMBAL_OK;
}

imbal_status imbal_split_read_file(const char *path, size_t n, imbal_split **out,
                                   imbal_error *err)
{
    char *text = NULL;
    size_t len = 0;
    long *first_line = NULL;
    unsigned char *in_test = NULL;
    imbal_split *res = NULL;
    imbal_fold *fold;
    const char *p;
    const char *end;
    long ln = 0;
    imbal_status st;
    *out = NULL;
    st = split_slurp(path, &text, &len, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    first_line = imbal_calloc(n, sizeof(*first_line));
    in_test = imbal_calloc(n, sizeof(*in_test));
    if (first_line == NULL || in_test == NULL) {
        st = imbal_fail_at(err, IMBAL_ENOMEM, path, 0, 0, "out of memory reading a split");
        goto cleanup;
    }
    st = imbal_split_alloc(1, 1, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    fold = &res->folds[0];
    /* a row is listed at most once, so n entries per set always suffice */
    fold->train = imbal_malloc(n, sizeof(*fold->train));
    fold->test = imbal_malloc(n, sizeof(*fold->test));
    if (fold->train == NULL || fold->test == NULL) {
        st = imbal_fail_at(err, IMBAL_ENOMEM, path, 0, 0, "out of memory reading a split");
        goto cleanup;
    }
    p = text;
    end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl != NULL ? nl : end;
        size_t line_len = (size_t)(eol - p);
        ln++;
        if (line_len > 0 && p[line_len - 1] == '\r') {
            line_len--;
        }
        if (ln == 1) {
            if (line_len != 7 || memcmp(p, "row,set", 7) != 0) {
                st = imbal_fail_at(err, IMBAL_EPARSE, path, 1, 1,
                                   "expected the header 'row,set', found '%.*s'",
                                   (int)(line_len > 40 ? 40 : line_len), p);
                goto cleanup;
            }
        } else if (line_len > 0) { /* blank lines, such as a trailing one, are skipped */
            st = split_parse_line(path, ln, p, line_len, n, first_line, in_test, fold, err);
            if (st != IMBAL_OK) {
                goto cleanup;
            }
        }
        p = nl != NULL ? nl + 1 : end;
    }
    if (ln == 0) {
        st = imbal_fail_at(err, IMBAL_EPARSE, path, 1, 1, "empty file: expected 'row,set'");
        goto cleanup;
    }
    if (fold->n_train == 0 || fold->n_test == 0) {
        st = imbal_fail_at(err, IMBAL_EINVAL, path, 0, 0, "the split has no %s rows",
                           fold->n_train == 0 ? "train" : "test");
        goto cleanup;
    }
    *out = res;
    res = NULL;
cleanup:
    imbal_split_free(res);
    free(text);
    free(first_line);
    free(in_test);
    return st;
}

imbal_status imbal_split_from_blocks(const size_t *row_start, size_t n_pairs, imbal_split **out,
                                     imbal_error *err)
{
    imbal_split *res = NULL;
    imbal_status st;
    *out = NULL;
    if (n_pairs == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "no (train, test) block pairs to make folds from");
    }
    for (size_t p = 0; p < n_pairs; p++) {
        const size_t *b = row_start + 2 * p;
        if (b[0] >= b[1] || b[1] >= b[2]) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "block pair %zu: rows %zu .. %zu (train) and %zu .. %zu (test) "
                              "must both be non-empty and consecutive",
                              p + 1, b[0], b[1], b[1], b[2]);
        }
    }
    st = imbal_split_alloc(n_pairs, 1, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t p = 0; p < n_pairs; p++) {
        const size_t *b = row_start + 2 * p;
        imbal_fold *fold = &res->folds[p];
        fold->repeat = 0;
        fold->fold = p;
        fold->n_train = b[1] - b[0];
        fold->n_test = b[2] - b[1];
        fold->train = imbal_malloc(fold->n_train, sizeof(*fold->train));
        fold->test = imbal_malloc(fold->n_test, sizeof(*fold->test));
        if (fold->train == NULL || fold->test == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating fold %zu", p);
            goto cleanup;
        }
        for (size_t i = 0; i < fold->n_train; i++) {
            fold->train[i] = b[0] + i;
        }
        for (size_t i = 0; i < fold->n_test; i++) {
            fold->test[i] = b[1] + i;
        }
    }
    *out = res;
    res = NULL;
cleanup:
    imbal_split_free(res);
    return st;
}
