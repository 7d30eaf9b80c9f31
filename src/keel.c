/* KEEL .dat reader into the raw string table of table.h: @relation, @attribute lines (real,
 * integer or numeric with an optional [min, max] that is informational only, or a nominal
 * {a, b, ...} list; a space before [ or { is optional), optional @inputs and @outputs, then
 * @data rows of comma-separated values. Keywords are case-insensitive; "%" starts a comment
 * line; CRLF is accepted. Lines are split in place inside the file buffer. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "nameidx.h"
#include "table.h"

typedef struct {
    char *p;   /* start of the next line */
    char *end; /* the buffer's terminating NUL */
    long line; /* 1-based line of the line last returned */
    const char *path;
} keel_reader;

typedef struct {
    size_t n, cap;
    char **names;
    unsigned char *kind;
    char ***levels;         /* NULL-terminated declared levels of nominal attributes */
    char *inputs, *outputs; /* raw lists of @inputs / @outputs, or NULL */
    long inputs_line, outputs_line;
    char *relation;
    long target;
    imbal_nameidx index; /* names -> attribute number: duplicates and lists in O(1) each */
} keel_header;

static int keel_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char *keel_trim(char *s)
{
    while (keel_blank(*s)) {
        s++;
    }
    char *e = s + strlen(s);
    while (e > s && keel_blank(e[-1])) {
        e--;
    }
    *e = '\0';
    return s;
}

/* Next line that is neither blank nor a comment, NUL-terminated and trimmed, in *out
 * (NULL at the end of the input). */
static imbal_status keel_next_line(keel_reader *r, char **out, imbal_error *err)
{
    *out = NULL;
    while (r->p < r->end) {
        char *s = r->p;
        char *q = s;
        while (q < r->end && *q != '\n' && *q != '\r') {
            if (*q == '\0') {
                return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line + 1, 0,
                                     "NUL byte in file");
            }
            q++;
        }
        r->p = q;
        if (r->p < r->end) {
            r->p += (*q == '\r' && q[1] == '\n') ? 2 : 1;
        }
        *q = '\0';
        r->line++;
        s = keel_trim(s);
        if (*s != '\0' && *s != '%') {
            *out = s;
            return IMBAL_OK;
        }
    }
    return IMBAL_OK;
}

/* If line starts with @word (case-insensitive) followed by a blank or its end,
 * returns the rest; else NULL. */
static char *keel_directive(char *line, const char *word)
{
    size_t n = strlen(word);
    if (strncasecmp(line, word, n) != 0) {
        return NULL;
    }
    char c = line[n];
    if (c != '\0' && !keel_blank(c)) {
        return NULL;
    }
    return keel_trim(line + n);
}

static imbal_status keel_grow(keel_header *h, imbal_error *err)
{
    if (h->n < h->cap) {
        return IMBAL_OK;
    }
    size_t cap = h->cap == 0 ? 16 : 2 * h->cap;
    char **names = imbal_realloc(h->names, cap, sizeof(*names));
    if (names == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    h->names = names;
    unsigned char *kind = imbal_realloc(h->kind, cap, 1);
    if (kind == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    h->kind = kind;
    char ***levels = imbal_realloc(h->levels, cap, sizeof(*levels));
    if (levels == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    h->levels = levels;
    h->cap = cap;
    return IMBAL_OK;
}

/* The declared values of a nominal attribute, split in place: a new NULL-terminated array. */
static imbal_status keel_levels(const keel_reader *r, char *s, const char *name, char ***out,
                                imbal_error *err)
{
    size_t n = 1;
    for (const char *c = s; *c != '\0'; c++) {
        n += *c == ',';
    }
    char **lv = imbal_malloc(n + 1, sizeof(*lv));
    if (lv == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        char *comma = strchr(s, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        lv[k] = keel_trim(s);
        if (lv[k][0] == '\0') {
            free(lv);
            imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0, "empty value in the list of '%s'",
                          name);
            imbal_error_set_key(err, name);
            return IMBAL_EPARSE;
        }
        s = comma != NULL ? comma + 1 : s;
    }
    lv[n] = NULL;
    *out = lv;
    return IMBAL_OK;
}

/* The type after an attribute's name: "{...}" (c == '{', s after it) or a type word. */
static imbal_status keel_type(const keel_reader *r, keel_header *h, char c, char *s,
                              imbal_error *err)
{
    const char *name = h->names[h->n];
    h->levels[h->n] = NULL;
    if (c == '{') {
        char *close = strchr(s, '}');
        if (close == NULL) {
            return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0,
                                 "no '}' closing the values of '%s'", name);
        }
        *close = '\0';
        h->kind[h->n] = IMBAL_COL_NOMINAL;
        return keel_levels(r, s, name, &h->levels[h->n], err);
    }
    size_t len = 0;
    while (isalpha((unsigned char)s[len])) {
        len++;
    }
    if (len == 0 || c == '[') {
        return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0, "attribute '%s' has no type",
                             name);
    }
    if ((len == 4 && strncasecmp(s, "real", 4) == 0) ||
        (len == 7 && strncasecmp(s, "integer", 7) == 0) ||
        (len == 7 && strncasecmp(s, "numeric", 7) == 0)) {
        h->kind[h->n] = IMBAL_COL_NUMERIC;
        return IMBAL_OK;
    }
    return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0,
                         "attribute '%s' has type '%.*s'; imbal reads real, integer, numeric "
                         "and {nominal} attributes",
                         name, (int)len, s);
}

/* "@attribute name type": name quoted or up to a blank, '{' or '['. */
static imbal_status keel_attribute(const keel_reader *r, keel_header *h, char *s, imbal_error *err)
{
    char *name = s;
    char *rest = NULL;
    char c = '\0';
    imbal_status st = keel_grow(h, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (*s == '\'' || *s == '"') {
        char *close = strchr(s + 1, *s);
        if (close == NULL) {
            return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0,
                                 "attribute name without its closing quote");
        }
        name = s + 1;
        *close = '\0';
        rest = close + 1;
        c = ' ';
    } else {
        char *e = s;
        while (*e != '\0' && !keel_blank(*e) && *e != '{' && *e != '[') {
            e++;
        }
        c = *e;
        rest = c != '\0' ? e + 1 : e;
        *e = '\0';
    }
    if (keel_blank(c)) {
        rest = keel_trim(rest);
        c = *rest;
        rest += c == '{' || c == '[';
    }
    if (name[0] == '\0') {
        return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0, "attribute without a name");
    }
    size_t first = SIZE_MAX;
    if (!imbal_nameidx_add(&h->index, name, h->n, &first)) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    if (first != SIZE_MAX) {
        imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0,
                      "attribute '%s' declared twice (first as attribute %zu)", name, first + 1);
        imbal_error_set_key(err, name);
        return IMBAL_EPARSE;
    }
    h->names[h->n] = name;
    st = keel_type(r, h, c, rest, err);
    if (st == IMBAL_OK) {
        h->n++;
    }
    return st;
}

static long keel_find(const keel_header *h, const char *name)
{
    size_t j = imbal_nameidx_find(&h->index, name);
    return j == SIZE_MAX ? -1 : (long)j;
}

/* Marks the attributes of an @inputs/@outputs list in used[] (may be NULL); returns the
 * number of names in *count and the last one's index in *last. */
static imbal_status keel_list(const keel_reader *r, const keel_header *h, char *s, long line,
                              unsigned char *used, size_t *count, long *last, imbal_error *err)
{
    *count = 0;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        char *name = keel_trim(s);
        long j = keel_find(h, name);
        if (j < 0) {
            imbal_fail_at(err, IMBAL_EPARSE, r->path, line, 0, "'%s' is not a declared attribute",
                          name);
            imbal_error_set_key(err, name);
            return IMBAL_EPARSE;
        }
        if (used != NULL) {
            used[j] = 1;
        }
        *last = j;
        (*count)++;
        if (comma == NULL) {
            return IMBAL_OK;
        }
        s = comma + 1;
    }
}

/* After the header: the @outputs attribute is the target; with @inputs, attributes in
 * neither list are skipped. */
static imbal_status keel_resolve(const keel_reader *r, keel_header *h, imbal_error *err)
{
    size_t count = 0;
    long last = -1;
    imbal_status st = IMBAL_OK;
    unsigned char *used = NULL;
    if (h->n == 0) {
        return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0, "no @attribute before @data");
    }
    if (h->outputs != NULL) {
        st = keel_list(r, h, h->outputs, h->outputs_line, NULL, &count, &last, err);
        if (st == IMBAL_OK && count != 1) {
            st = imbal_fail_at(err, IMBAL_EUNSUP, r->path, h->outputs_line, 0,
                               "%zu @outputs attributes; imbal needs exactly one", count);
        }
        if (st != IMBAL_OK) {
            return st;
        }
        h->target = last;
    }
    if (h->inputs != NULL) {
        long target = h->target >= 0 ? h->target : (long)h->n - 1;
        used = imbal_calloc(h->n, 1);
        if (used == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
        st = keel_list(r, h, h->inputs, h->inputs_line, used, &count, &last, err);
        for (size_t j = 0; st == IMBAL_OK && j < h->n; j++) {
            if (!used[j] && (long)j != target) {
                h->kind[j] = IMBAL_COL_SKIP;
            }
        }
        free(used);
    }
    return st;
}

static void keel_header_free(keel_header *h)
{
    if (h->levels != NULL) {
        for (size_t j = 0; j < h->n; j++) {
            free(h->levels[j]);
        }
    }
    free(h->names);
    free(h->kind);
    free(h->levels);
    imbal_nameidx_free(&h->index);
    memset(h, 0, sizeof(*h));
}

/* The first file's header becomes the table's columns; a later one must match it. */
static imbal_status keel_adopt(imbal_table *t, keel_header *h, const char *path, imbal_error *err)
{
    if (t->n_cols == 0) {
        t->names = h->names;
        t->kind = h->kind;
        t->levels = h->levels;
        t->n_cols = h->n;
        t->target = h->target;
        t->relation = h->relation;
        t->delimiter = ',';
        h->names = NULL;
        h->kind = NULL;
        h->levels = NULL;
        h->n = 0;
        return IMBAL_OK;
    }
    if (h->n != t->n_cols) {
        return imbal_fail_at(err, IMBAL_EPARSE, path, 0, 0, "%zu attributes where '%s' has %zu",
                             h->n, t->files[0].path, t->n_cols);
    }
    for (size_t j = 0; j < h->n; j++) {
        if (strcmp(h->names[j], t->names[j]) != 0 || h->kind[j] != t->kind[j]) {
            imbal_fail_at(err, IMBAL_EPARSE, path, 0, (long)j + 1,
                          "attribute %zu is '%s' of another kind or name than in '%s'", j + 1,
                          h->names[j], t->files[0].path);
            imbal_error_set_key(err, h->names[j]);
            return IMBAL_EPARSE;
        }
    }
    if (h->target != t->target) {
        return imbal_fail_at(err, IMBAL_EPARSE, path, 0, 0, "@outputs differs from '%s'",
                             t->files[0].path);
    }
    return IMBAL_OK;
}

/* One @data line into the next row slot: comma-separated, each value trimmed. */
static imbal_status keel_row(const keel_reader *r, imbal_table *t, char *s, imbal_error *err)
{
    char **slot = imbal_table_row_slot(t, err);
    size_t k = 0;
    if (slot == NULL) {
        return IMBAL_ENOMEM;
    }
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        if (k == t->n_cols) {
            return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, (long)k + 1,
                                 "row has more than the %zu declared attributes", t->n_cols);
        }
        slot[k++] = keel_trim(s);
        if (comma == NULL) {
            break;
        }
        s = comma + 1;
    }
    if (k < t->n_cols) {
        imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, (long)k + 1,
                      "row has %zu values for %zu attributes: no '%s'", k, t->n_cols, t->names[k]);
        imbal_error_set_key(err, t->names[k]);
        return IMBAL_EPARSE;
    }
    t->lines[t->n_rows] = r->line;
    t->n_rows++;
    return IMBAL_OK;
}

/* The directives up to and including @data. */
static imbal_status keel_header_parse(keel_reader *r, keel_header *h, imbal_error *err)
{
    for (;;) {
        char *line = NULL;
        char *rest = NULL;
        imbal_status st = keel_next_line(r, &line, err);
        if (st != IMBAL_OK) {
            return st;
        }
        if (line == NULL) {
            return imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 0, "no @data line");
        }
        if ((rest = keel_directive(line, "@relation")) != NULL) {
            size_t len = strlen(rest);
            if (len >= 2 && (rest[0] == '\'' || rest[0] == '"') && rest[len - 1] == rest[0]) {
                rest[len - 1] = '\0';
                rest++;
            }
            h->relation = rest;
        } else if ((rest = keel_directive(line, "@attribute")) != NULL) {
            st = keel_attribute(r, h, rest, err);
        } else if ((rest = keel_directive(line, "@inputs")) != NULL ||
                   (rest = keel_directive(line, "@input")) != NULL) {
            h->inputs = rest;
            h->inputs_line = r->line;
        } else if ((rest = keel_directive(line, "@outputs")) != NULL ||
                   (rest = keel_directive(line, "@output")) != NULL) {
            h->outputs = rest;
            h->outputs_line = r->line;
        } else if (keel_directive(line, "@data") != NULL) {
            return keel_resolve(r, h, err);
        } else if (line[0] == '@') {
            st = imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 1, "unknown directive '%.40s'",
                               line);
        } else {
            st = imbal_fail_at(err, IMBAL_EPARSE, r->path, r->line, 1, "data before @data");
        }
        if (st != IMBAL_OK) {
            return st;
        }
    }
}

imbal_status imbal_keel_parse(imbal_table *t, const char *path, imbal_error *err)
{
    keel_header h;
    char *text = NULL;
    size_t len = 0;
    memset(&h, 0, sizeof(h));
    h.target = -1;
    imbal_status st = imbal_table_read_file(t, path, &text, &len, err);
    if (st != IMBAL_OK) {
        return st;
    }
    const char *fpath = t->files[t->n_files - 1].path;
    keel_reader r = {text, text + len, 0, fpath};
    imbal_nameidx_init(&h.index, imbal_nameidx_seed(text, len));
    size_t first = t->n_rows;
    st = keel_header_parse(&r, &h, err);
    if (st == IMBAL_OK) {
        st = keel_adopt(t, &h, fpath, err);
    }
    while (st == IMBAL_OK) {
        char *line = NULL;
        st = keel_next_line(&r, &line, err);
        if (st != IMBAL_OK || line == NULL) {
            break;
        }
        st = keel_row(&r, t, line, err);
    }
    if (st == IMBAL_OK && t->n_rows == first) {
        st = imbal_fail_at(err, IMBAL_EPARSE, fpath, r.line, 0, "no data rows after @data");
    }
    keel_header_free(&h);
    return st;
}
