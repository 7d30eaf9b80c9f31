/* Private: the raw string table between the file parsers (csv.c, keel.c) and the encoder
 * (table.c). Parsing and encoding are separate stages so CSV and KEEL share one encoder and
 * therefore give bit-identical matrices, and so several files can be encoded together.
 * Cells point into the file buffers, which the table owns: a file costs a few allocations,
 * not one per cell, and is unquoted in place. */
#ifndef IMBAL_TABLE_H
#define IMBAL_TABLE_H

#include <stddef.h>

#include "imbal/dataset.h"
#include "imbal/error.h"

typedef enum {
    IMBAL_COL_INFER = 0, /* CSV: numeric unless the first data cell is not a number */
    IMBAL_COL_NUMERIC,   /* KEEL real/integer */
    IMBAL_COL_NOMINAL,   /* KEEL {a, b, ...} */
    IMBAL_COL_SKIP       /* KEEL attribute in neither @inputs nor @outputs */
} imbal_col_kind;

typedef struct {
    char *path;       /* owned copy */
    char *buf;        /* owned file contents; cells and names point into it */
    size_t first_row; /* first table row read from this file */
} imbal_table_file;

typedef struct {
    size_t n_cols;
    char **names;        /* n_cols, borrowed from files[0].buf */
    unsigned char *kind; /* n_cols imbal_col_kind */
    char ***levels;      /* n_cols; declared KEEL levels (NULL-terminated) or NULL */
    long target;         /* column named by KEEL @outputs, or -1 */
    char *relation;      /* KEEL @relation, borrowed from files[0].buf; may be NULL */
    char delimiter;      /* the first file's field separator (KEEL: ',') */
    size_t n_rows, cap_rows;
    char **cells; /* n_rows * n_cols, row-major, borrowed from the file buffers */
    long *lines;  /* n_rows: 1-based line of each row in its file */
    size_t n_files, cap_files;
    imbal_table_file *files;
} imbal_table;

/* Reads path whole into a new NUL-terminated buffer registered as the table's next file;
 * *text is its start after any UTF-8 byte order mark, *len its length (it may hold NUL
 * bytes). On error nothing is registered: IMBAL_EIO naming the file, or IMBAL_ENOMEM. */
imbal_status imbal_table_read_file(imbal_table *t, const char *path, char **text, size_t *len,
                                   imbal_error *err);

/* Makes room for one more row; returns its n_cols cell slots (row n_rows, not yet counted). */
char **imbal_table_row_slot(imbal_table *t, imbal_error *err);

/* Frees what t owns (t itself is not freed); t may be NULL. */
void imbal_table_clear(imbal_table *t);

/* The file a row came from. */
const imbal_table_file *imbal_table_row_file(const imbal_table *t, size_t row);

/* A dataset with n x d zeroed cells, zeroed labels, n_classes and NULL names (the pointer
 * arrays are allocated); imbal_dataset_free accepts it at any stage of filling. */
imbal_status imbal_dataset_alloc(size_t n, size_t d, size_t n_classes, imbal_dataset **out,
                                 imbal_error *err);

/* Frees a column map (NULL is accepted). */
void imbal_columns_free(imbal_columns *c);

/* Encodes the table into a dataset under the rules of dataset.h, with its column map
 * (format left to the caller). */
imbal_status imbal_table_encode(const imbal_table *t, const imbal_load_options *opt,
                                imbal_dataset **out, imbal_error *err);

/* 1 when the encoder reads cell text s as a number (the decimal syntax of dataset.h, finite),
 * storing it in *v; 0 otherwise. Under a locale whose decimal point is not '.' it refuses
 * "0.5": callers set the C locale for LC_NUMERIC first, as imbal_table_encode does. */
int imbal_cell_number(const char *s, double *v);
/* The same with decimal mark dec ('.' or ','). */
int imbal_cell_number_mark(const char *s, char dec, double *v);

/* The parsers: append path's rows to t. The first file sets the columns; later files must
 * have the same header. */
imbal_status imbal_csv_parse(imbal_table *t, const char *path, char delimiter, imbal_error *err);
imbal_status imbal_keel_parse(imbal_table *t, const char *path, imbal_error *err);

#endif
