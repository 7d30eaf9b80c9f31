/* CSV reader: header row, then records of delimited fields, into the raw string table of
 * table.h (the encoder in table.c turns strings into numbers). Fields are unquoted in place
 * inside the file buffer ("" is an escaped quote; a quoted field may span lines), so a file
 * costs a handful of allocations. The delimiter is guessed from the header line unless
 * given; CRLF, LF and lone CR line ends are accepted; blank lines are skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "nameidx.h"
#include "table.h"

typedef enum { CSV_MORE, CSV_EOL, CSV_EOF } csv_end;

typedef struct {
    char *p;   /* read position */
    char *end; /* the buffer's terminating NUL */
    long line; /* 1-based line of p */
    char delim;
    const char *path;
} csv_reader;

static int csv_blank(const csv_reader *r, char c)
{
    return (c == ' ' || c == '\t') && c != r->delim;
}

/* The candidate that occurs most often in the first line outside quotes; ties go to the
 * earlier of , ; tab |. A line with none of them is a one-column file: ','. */
static char csv_detect(const char *text)
{
    static const char cand[] = {',', ';', '\t', '|'};
    size_t count[4] = {0, 0, 0, 0};
    int quoted = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"') {
            quoted = !quoted;
        } else if (!quoted && (*p == '\n' || *p == '\r')) {
            break;
        } else if (!quoted) {
            for (size_t k = 0; k < 4; k++) {
                count[k] += *p == cand[k];
            }
        }
    }
    size_t best = 0;
    for (size_t k = 1; k < 4; k++) {
        if (count[k] > count[best]) {
            best = k;
        }
    }
    return cand[best];
}

/* Consumes a line end at r->p if there is one: CRLF, LF or a lone CR. */
static int csv_eat_eol(csv_reader *r)
{
    if (*r->p == '\r') {
        r->p += r->p[1] == '\n' ? 2 : 1;
    } else if (*r->p == '\n') {
        r->p++;
    } else {
        return 0;
    }
    r->line++;
    return 1;
}

/* After a field's content: consumes the delimiter or line end and says which it was. */
static imbal_status csv_finish(csv_reader *r, long col, csv_end *end, imbal_error *err)
{
    if (r->p == r->end) {
        *end = CSV_EOF;
    } else if (*r->p == r->delim) {
        r->p++;
        *end = CSV_MORE;
    } else if (csv_eat_eol(r)) {
        *end = CSV_EOL;
    } else if (*r->p == '\0') {
        return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, col, "NUL byte in file");
    } else {
        return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, col,
                             "unexpected '%c' after a closing quote", *r->p);
    }
    return IMBAL_OK;
}

/* A quoted field starting at r->p (on the opening quote); the content is copied down over
 * the opening quote, so it starts there. */
static imbal_status csv_quoted(csv_reader *r, long col, char **field, csv_end *end,
                               imbal_error *err)
{
    long open_line = r->line;
    char *w = r->p;
    *field = w;
    r->p++;
    for (;;) {
        if (r->p == r->end) {
            return imbal_fail_at(err, IMBAL_EPARSE, r->path, open_line, col,
                                 "quoted field never closed");
        }
        if (*r->p == '"') {
            if (r->p[1] != '"') {
                r->p++;
                break;
            }
            r->p++; /* "" is one quote character */
        } else if (*r->p == '\n' || (*r->p == '\r' && r->p[1] != '\n')) {
            r->line++;
        }
        *w++ = *r->p++;
    }
    *w = '\0'; /* w < r->p: at least the two quotes were dropped */
    while (csv_blank(r, *r->p)) {
        r->p++;
    }
    return csv_finish(r, col, end, err);
}

/* Reads the field at r->p: stores its NUL-terminated text in *field and what ended it. */
static imbal_status csv_field(csv_reader *r, long col, char **field, csv_end *end, imbal_error *err)
{
    while (csv_blank(r, *r->p)) {
        r->p++;
    }
    if (*r->p == '"') {
        return csv_quoted(r, col, field, end, err);
    }
    char *start = r->p;
    while (r->p < r->end && *r->p != r->delim && *r->p != '\n' && *r->p != '\r') {
        if (*r->p == '\0') {
            return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, col, "NUL byte in file");
        }
        r->p++;
    }
    char *stop = r->p;
    while (stop > start && csv_blank(r, stop[-1])) {
        stop--;
    }
    imbal_status st = csv_finish(r, col, end, err);
    *stop = '\0'; /* after csv_finish read the terminator that may sit there */
    *field = start;
    return st;
}

/* Skips lines holding only blanks; returns 0 at the end of the input. */
static int csv_skip_blank_lines(csv_reader *r)
{
    for (;;) {
        char *q = r->p;
        while (csv_blank(r, *q)) {
            q++;
        }
        if (q == r->end) {
            r->p = q;
            return 0;
        }
        if (*q != '\n' && *q != '\r') {
            return 1;
        }
        r->p = q;
        csv_eat_eol(r);
    }
}

/* Empty names and the first name that repeats an earlier one (hashed: linear in the header). */
static imbal_status csv_check_names(char **names, size_t n, const csv_reader *r, long line,
                                    uint64_t seed, imbal_error *err)
{
    imbal_nameidx idx;
    imbal_status st = IMBAL_OK;
    imbal_nameidx_init(&idx, seed);
    for (size_t j = 0; j < n && st == IMBAL_OK; j++) {
        size_t first = SIZE_MAX;
        if (names[j][0] == '\0') {
            st = imbal_fail_at(err, IMBAL_EPARSE, r->path, line, (long)j + 1, "empty column name");
        } else if (!imbal_nameidx_add(&idx, names[j], j, &first)) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        } else if (first != SIZE_MAX) {
            st = imbal_fail_at(err, IMBAL_EPARSE, r->path, line, (long)j + 1,
                               "duplicate column name '%s' (first in column %zu)", names[j],
                               first + 1);
            imbal_error_set_key(err, names[j]);
        }
    }
    imbal_nameidx_free(&idx);
    return st;
}

/* Reads the header into a new array of names; *line_end says how it ended. */
static imbal_status csv_header(csv_reader *r, char ***names_out, size_t *n_out, csv_end *last,
                               imbal_error *err)
{
    size_t cap = 16;
    size_t n = 0;
    char **names = imbal_malloc(cap, sizeof(*names));
    imbal_status st = IMBAL_OK;
    csv_end end = CSV_MORE;
    if (names == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    while (end == CSV_MORE) {
        if (n == cap) {
            char **grown = imbal_realloc(names, cap * 2, sizeof(*names));
            if (grown == NULL) {
                st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
                goto cleanup;
            }
            names = grown;
            cap *= 2;
        }
        st = csv_field(r, (long)n + 1, &names[n], &end, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        n++;
    }
    *names_out = names;
    names = NULL;
    *n_out = n;
    *last = end;
cleanup:
    free(names);
    return st;
}

/* Header of a later file: must repeat the first file's names. */
static imbal_status csv_same_header(const imbal_table *t, char **names, size_t n, long line,
                                    const char *path, imbal_error *err)
{
    for (size_t j = 0; j < n && j < t->n_cols; j++) {
        if (strcmp(names[j], t->names[j]) != 0) {
            return imbal_fail_at(err, IMBAL_EPARSE, path, line, (long)j + 1,
                                 "column '%s' where '%s' has '%s'", names[j], t->files[0].path,
                                 t->names[j]);
        }
    }
    if (n != t->n_cols) {
        return imbal_fail_at(err, IMBAL_EPARSE, path, line, 0, "%zu columns where '%s' has %zu", n,
                             t->files[0].path, t->n_cols);
    }
    return IMBAL_OK;
}

/* Sets up the table's columns from the first file's header. */
static imbal_status csv_adopt_header(imbal_table *t, char **names, size_t n, imbal_error *err)
{
    t->kind = imbal_calloc(n, 1);
    t->levels = imbal_calloc(n, sizeof(*t->levels));
    if (t->kind == NULL || t->levels == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    t->names = names;
    t->n_cols = n;
    return IMBAL_OK;
}

/* One record into the next row slot; line is where it starts. */
static imbal_status csv_record(csv_reader *r, imbal_table *t, csv_end *end, imbal_error *err)
{
    long line = r->line;
    char **slot = imbal_table_row_slot(t, err);
    if (slot == NULL) {
        return IMBAL_ENOMEM;
    }
    size_t k = 0;
    *end = CSV_MORE;
    while (*end == CSV_MORE) {
        if (k == t->n_cols) {
            return imbal_fail_at(err, IMBAL_EPARSE, r->path, line, (long)k + 1,
                                 "row has more than the header's %zu fields", t->n_cols);
        }
        imbal_status st = csv_field(r, (long)k + 1, &slot[k], end, err);
        if (st != IMBAL_OK) {
            return st;
        }
        k++;
    }
    if (k < t->n_cols) {
        imbal_fail_at(err, IMBAL_EPARSE, r->path, line, (long)k + 1,
                      "row has %zu fields, the header %zu: no '%s'", k, t->n_cols, t->names[k]);
        imbal_error_set_key(err, t->names[k]);
        return IMBAL_EPARSE;
    }
    t->lines[t->n_rows] = line;
    t->n_rows++;
    return IMBAL_OK;
}

imbal_status imbal_csv_parse(imbal_table *t, const char *path, char delimiter, imbal_error *err)
{
    char *text = NULL;
    size_t len = 0;
    char **names = NULL;
    size_t n_names = 0;
    csv_end end = CSV_EOF;
    imbal_status st = imbal_table_read_file(t, path, &text, &len, err);
    if (st != IMBAL_OK) {
        return st;
    }
    const char *fpath = t->files[t->n_files - 1].path;
    csv_reader r = {text, text + len, 1, 0, fpath};
    if (!csv_skip_blank_lines(&r)) {
        return imbal_fail_at(err, IMBAL_EPARSE, fpath, 1, 0, "empty file: no header");
    }
    r.delim = delimiter != 0 ? delimiter : csv_detect(r.p);
    long header_line = r.line;
    st = csv_header(&r, &names, &n_names, &end, err);
    if (st == IMBAL_OK) {
        st = csv_check_names(names, n_names, &r, header_line, imbal_nameidx_seed(text, len), err);
    }
    if (st == IMBAL_OK && t->n_cols == 0) {
        t->delimiter = r.delim;
        st = csv_adopt_header(t, names, n_names, err);
        if (st == IMBAL_OK) {
            names = NULL; /* owned by t now */
        }
    } else if (st == IMBAL_OK) {
        st = csv_same_header(t, names, n_names, header_line, fpath, err);
    }
    size_t first = t->n_rows;
    while (st == IMBAL_OK && end != CSV_EOF && csv_skip_blank_lines(&r)) {
        st = csv_record(&r, t, &end, err);
    }
    if (st == IMBAL_OK && t->n_rows == first) {
        st = imbal_fail_at(err, IMBAL_EPARSE, fpath, header_line, 0,
                           "no data rows after the header");
    }
    free(names);
    return st;
}
