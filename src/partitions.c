/* KEEL's published partitions (protocol keel_partitions): the dataset file and its 2k
 * partition files (tra1, tst1, ..., trak, tstk) are parsed into one table and encoded
 * together, so one-hot columns agree; then every partition row is matched to the dataset row
 * it equals (a hash of the encoded row), the folds are built from those indices and the
 * dataset keeps its own rows only. So the dataset is counted once (abalone19: 4174 rows, not
 * the 20870 of the ten files), each training fold is exactly its partition file's rows in
 * file order (the results are those of fitting the files themselves) and a partition row that
 * is not in the dataset is an error naming its file and line. Paths are allocated to their
 * length (a pattern longer than a fixed buffer was once cut short, so every fold trained and
 * tested on one file), and a fold whose train and test are the same file is refused. */
#include "imbal/split.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "split_internal.h"
#include "table.h"

#define PART_NONE SIZE_MAX

char *imbal_partition_path(const char *pattern, size_t fold, int test)
{
    char num[32];
    const char *part = test ? "tst" : "tra";
    size_t len = 0;
    size_t n_num = (size_t)snprintf(num, sizeof(num), "%zu", fold);
    char *path = NULL;
    char *w = NULL;
    for (const char *p = pattern; *p != '\0';) {
        if (strncmp(p, "{fold}", 6) == 0) {
            len += n_num;
            p += 6;
        } else if (strncmp(p, "{part}", 6) == 0) {
            len += 3;
            p += 6;
        } else {
            len++;
            p++;
        }
    }
    path = imbal_malloc(len + 1, 1);
    if (path == NULL) {
        return NULL;
    }
    w = path;
    for (const char *p = pattern; *p != '\0';) {
        if (strncmp(p, "{fold}", 6) == 0) {
            memcpy(w, num, n_num);
            w += n_num;
            p += 6;
        } else if (strncmp(p, "{part}", 6) == 0) {
            memcpy(w, part, 3);
            w += 3;
            p += 6;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return path;
}

int imbal_partition_same_file(const char *a, const char *b)
{
    struct stat sa;
    struct stat sb;
    if (strcmp(a, b) == 0) {
        return 1;
    }
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0) {
        return 0;
    }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Row matching: dataset rows with equal content (x bits and y) form a chain in row order;
 * a hash table holds each chain's first row. */
typedef struct {
    const imbal_dataset *ds;
    size_t n;        /* the dataset's own rows */
    size_t *slot;    /* cap: first row of a chain, or PART_NONE */
    size_t cap;
    size_t *next;    /* n: the next row of the same content, or PART_NONE */
    size_t *cursor;  /* n, per chain head: the next unused row while a file is matched */
} part_index;

static uint64_t part_hash(const imbal_dataset *ds, size_t i)
{
    const unsigned char *b = (const unsigned char *)(ds->x + i * ds->d);
    uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)(unsigned)ds->y[i];
    for (size_t k = 0; k < ds->d * sizeof(double); k++) {
        h ^= b[k];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static int part_equal(const imbal_dataset *ds, size_t i, size_t j)
{
    return ds->y[i] == ds->y[j] &&
           memcmp(ds->x + i * ds->d, ds->x + j * ds->d, ds->d * sizeof(double)) == 0;
}

/* The chain head whose content row i (any row of the table) has, or PART_NONE; with insert,
 * a row of no chain starts one. */
static size_t part_find(part_index *ix, size_t i, int insert)
{
    size_t s = (size_t)part_hash(ix->ds, i) & (ix->cap - 1);
    while (ix->slot[s] != PART_NONE) {
        if (part_equal(ix->ds, ix->slot[s], i)) {
            return ix->slot[s];
        }
        s = (s + 1) & (ix->cap - 1);
    }
    if (insert) {
        ix->slot[s] = i;
        return i;
    }
    return PART_NONE;
}

static imbal_status part_index_build(part_index *ix, const imbal_dataset *ds, size_t n,
                                     imbal_error *err)
{
    size_t *tail = NULL;
    ix->ds = ds;
    ix->n = n;
    ix->cap = 16;
    while (ix->cap < 2 * n) {
        ix->cap *= 2;
    }
    ix->slot = imbal_malloc(ix->cap, sizeof(size_t));
    ix->next = imbal_malloc(n, sizeof(size_t));
    ix->cursor = imbal_malloc(n, sizeof(size_t));
    tail = imbal_malloc(n, sizeof(size_t));
    if (ix->slot == NULL || ix->next == NULL || ix->cursor == NULL || tail == NULL) {
        free(tail);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory indexing %zu rows", n);
    }
    for (size_t s = 0; s < ix->cap; s++) {
        ix->slot[s] = PART_NONE;
    }
    for (size_t i = 0; i < n; i++) {
        size_t head = part_find(ix, i, 1);
        ix->next[i] = PART_NONE;
        ix->cursor[i] = i;
        if (head != i) {
            ix->next[tail[head]] = i;
        }
        tail[head] = i;
    }
    free(tail);
    return IMBAL_OK;
}

static void part_index_free(part_index *ix)
{
    free(ix->slot);
    free(ix->next);
    free(ix->cursor);
}

/* The dataset rows that file f's rows (table rows lo .. hi - 1) equal: the k-th copy of a
 * content in the file is its k-th row in the dataset. */
static imbal_status part_match(part_index *ix, const imbal_table *t, size_t f, size_t lo,
                               size_t hi, const char *data_path, size_t *rows, imbal_error *err)
{
    imbal_status st = IMBAL_OK;
    size_t i = lo;
    for (; i < hi; i++) {
        size_t head = part_find(ix, i, 0);
        size_t row = head != PART_NONE ? ix->cursor[head] : PART_NONE;
        if (row == PART_NONE) {
            st = imbal_fail_at(err, IMBAL_EINVAL, t->files[f].path, t->lines[i], 0,
                               "this row is not a row of the dataset '%s'%s", data_path,
                               head != PART_NONE ? " as often as the partition holds it" : "");
            break;
        }
        rows[i - lo] = row;
        ix->cursor[head] = ix->next[row];
    }
    for (size_t r = lo; r < i; r++) { /* reset the chains this file used */
        size_t head = part_find(ix, r, 0);
        ix->cursor[head] = head;
    }
    return st;
}

/* Keeps the first n rows of ds (the dataset's own). */
static void part_truncate(imbal_dataset *ds, size_t n)
{
    double *x = n * ds->d > 0 ? imbal_realloc(ds->x, n * ds->d, sizeof(double)) : NULL;
    int *y = n > 0 ? imbal_realloc(ds->y, n, sizeof(int)) : NULL;
    /* a shrinking realloc that fails leaves the larger block valid: keep it */
    ds->x = x != NULL ? x : ds->x;
    ds->y = y != NULL ? y : ds->y;
    ds->n = n;
}

/* The folds: fold p's train and test are the matched rows of files 1 + 2p and 2 + 2p. */
static imbal_status part_folds(part_index *ix, const imbal_table *t, size_t folds,
                               const char *data_path, imbal_split **out, imbal_error *err)
{
    imbal_split *res = NULL;
    imbal_status st = imbal_split_alloc(folds, 1, &res, err);
    for (size_t p = 0; p < folds && st == IMBAL_OK; p++) {
        imbal_fold *fold = &res->folds[p];
        for (int part = 0; part < 2 && st == IMBAL_OK; part++) {
            size_t f = 1 + 2 * p + (size_t)part;
            size_t lo = t->files[f].first_row;
            size_t hi = f + 1 < t->n_files ? t->files[f + 1].first_row : t->n_rows;
            size_t *rows = imbal_malloc(hi - lo, sizeof(size_t));
            if (rows == NULL) {
                st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for fold %zu", p + 1);
                break;
            }
            if (part == 0) {
                fold->train = rows;
                fold->n_train = hi - lo;
            } else {
                fold->test = rows;
                fold->n_test = hi - lo;
            }
            st = part_match(ix, t, f, lo, hi, data_path, rows, err);
        }
        fold->repeat = 0;
        fold->fold = p;
    }
    if (st == IMBAL_OK) {
        *out = res;
        res = NULL;
    }
    imbal_split_free(res);
    return st;
}

/* The paths: [0] the dataset (borrowed), then tra1, tst1, ... (owned); same-file pairs refused. */
static imbal_status part_paths(const char *data_path, const char *pattern, size_t folds,
                               char **paths, imbal_error *err)
{
    paths[0] = (char *)data_path;
    for (size_t k = 0; k < 2 * folds; k++) {
        paths[1 + k] = imbal_partition_path(pattern, k / 2 + 1, (int)(k % 2));
        if (paths[1 + k] == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    }
    for (size_t p = 0; p < folds; p++) {
        if (imbal_partition_same_file(paths[1 + 2 * p], paths[2 + 2 * p])) {
            imbal_fail_at(err, IMBAL_EINVAL, paths[1 + 2 * p], 0, 0,
                          "fold %zu: the train and test partitions are the same file ('%s' and "
                          "'%s')",
                          p + 1, paths[1 + 2 * p], paths[2 + 2 * p]);
            imbal_error_set_key(err, "partitions");
            return IMBAL_EINVAL;
        }
    }
    return IMBAL_OK;
}

imbal_status imbal_keel_partitions_load(const char *data_path, const char *pattern, size_t folds,
                                        const imbal_load_options *opt, imbal_dataset **out,
                                        imbal_split **split, imbal_error *err)
{
    imbal_table t;
    imbal_load_options o;
    imbal_dataset *ds = NULL;
    part_index ix;
    char **paths = NULL;
    size_t n_paths = 1 + 2 * folds;
    imbal_status st = IMBAL_OK;
    memset(&t, 0, sizeof(t));
    memset(&ix, 0, sizeof(ix));
    t.target = -1;
    *out = NULL;
    *split = NULL;
    if (folds == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "keel_partitions needs at least one fold");
    }
    if (opt != NULL) {
        o = *opt;
    } else {
        imbal_load_options_default(&o);
    }
    o.format = IMBAL_FORMAT_KEEL;
    paths = imbal_calloc(n_paths, sizeof(char *));
    if (paths == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    st = part_paths(data_path, pattern, folds, paths, err);
    for (size_t f = 0; f < n_paths && st == IMBAL_OK; f++) {
        st = imbal_keel_parse(&t, paths[f], err);
    }
    if (st == IMBAL_OK) {
        st = imbal_table_encode(&t, &o, &ds, err);
    }
    if (st == IMBAL_OK) {
        ds->columns->format = IMBAL_FORMAT_KEEL;
        st = part_index_build(&ix, ds, t.files[1].first_row, err);
    }
    if (st == IMBAL_OK) {
        st = part_folds(&ix, &t, folds, data_path, split, err);
    }
    if (st == IMBAL_OK) {
        part_truncate(ds, t.files[1].first_row);
        *out = ds;
        ds = NULL;
    }
    part_index_free(&ix);
    imbal_dataset_free(ds);
    imbal_table_clear(&t);
    for (size_t k = 1; paths != NULL && k < n_paths; k++) {
        free(paths[k]);
    }
    free(paths);
    return st;
}
