/* Test helpers (see util.h). Reference files are small, so everything is read at once. */
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *util_dup(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    ck_assert_ptr_nonnull(c);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

static char **util_split(char *line, size_t *n_out)
{
    size_t cap = 8;
    size_t n = 0;
    char **f = malloc(cap * sizeof(*f));
    const char *p = line;
    ck_assert_ptr_nonnull(f);
    for (;;) {
        const char *q = strchr(p, ',');
        size_t len = q != NULL ? (size_t)(q - p) : strlen(p);
        if (n == cap) {
            cap *= 2;
            f = realloc(f, cap * sizeof(*f));
            ck_assert_ptr_nonnull(f);
        }
        f[n++] = util_dup(p, len);
        if (q == NULL) {
            break;
        }
        p = q + 1;
    }
    *n_out = n;
    return f;
}

ref_table *ref_read(const char *path)
{
    FILE *fp = fopen(path, "r");
    ref_table *t = calloc(1, sizeof(*t));
    char *line = NULL;
    size_t cap = 0;
    size_t rows_cap = 64;
    ssize_t len;
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    ck_assert_ptr_nonnull(t);
    t->cell = malloc(rows_cap * sizeof(*t->cell));
    while ((len = getline(&line, &cap, fp)) >= 0) {
        size_t nf;
        char **f;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            line[--len] = '\0';
        }
        if (len == 0) {
            continue;
        }
        f = util_split(line, &nf);
        if (t->header == NULL) {
            t->header = f;
            t->n_cols = nf;
            continue;
        }
        ck_assert_msg(nf == t->n_cols, "%s: ragged row %zu", path, t->n_rows + 2);
        if (t->n_rows == rows_cap) {
            rows_cap *= 2;
            t->cell = realloc(t->cell, rows_cap * sizeof(*t->cell));
            ck_assert_ptr_nonnull(t->cell);
        }
        t->cell[t->n_rows++] = f;
    }
    free(line);
    fclose(fp);
    return t;
}

void ref_free(ref_table *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        for (size_t j = 0; j < t->n_cols; j++) {
            free(t->cell[i][j]);
        }
        free(t->cell[i]);
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        free(t->header[j]);
    }
    free(t->header);
    free(t->cell);
    free(t);
}

size_t ref_col(const ref_table *t, const char *name)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        if (strcmp(t->header[j], name) == 0) {
            return j;
        }
    }
    ck_abort_msg("no column %s", name);
    return 0;
}

double ref_num(const ref_table *t, size_t row, const char *col)
{
    return strtod(t->cell[row][ref_col(t, col)], NULL);
}

const char *ref_str(const ref_table *t, size_t row, const char *col)
{
    return t->cell[row][ref_col(t, col)];
}

char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = calloc((size_t)n + 1, 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

static void csv_push(char ***v, size_t *n, size_t *cap, char *item)
{
    if (*n == *cap) {
        *cap = *cap == 0 ? 8 : 2 * *cap;
        *v = realloc(*v, *cap * sizeof(**v));
        ck_assert_ptr_nonnull(*v);
    }
    (*v)[(*n)++] = item;
}

csv_doc *csv_parse(const char *text)
{
    csv_doc *d = calloc(1, sizeof(*d));
    size_t rows_cap = 0;
    const char *p = text;
    ck_assert_ptr_nonnull(d);
    while (*p != '\0') {
        char **fields = NULL;
        size_t nf = 0;
        size_t fcap = 0;
        for (;;) {
            size_t len = 0;
            char *f = malloc(strlen(p) + 1);
            ck_assert_ptr_nonnull(f);
            if (*p == '"') {
                p++;
                for (;;) {
                    ck_assert_msg(*p != '\0', "unterminated quoted field");
                    if (*p == '"' && p[1] == '"') {
                        f[len++] = '"';
                        p += 2;
                    } else if (*p == '"') {
                        p++;
                        break;
                    } else {
                        f[len++] = *p++;
                    }
                }
                ck_assert_msg(*p == ',' || *p == '\n' || *p == '\0' || (*p == '\r' && p[1] == '\n'),
                              "text after a closing quote");
            } else {
                while (*p != ',' && *p != '\n' && *p != '\0' && !(*p == '\r' && p[1] == '\n')) {
                    ck_assert_msg(*p != '"', "quote inside an unquoted field");
                    f[len++] = *p++;
                }
            }
            f[len] = '\0';
            csv_push(&fields, &nf, &fcap, f);
            if (*p == ',') {
                p++;
                continue;
            }
            p += *p == '\r' ? 2 : (*p == '\n' ? 1 : 0);
            break;
        }
        if (d->n_rows == rows_cap) {
            rows_cap = rows_cap == 0 ? 16 : 2 * rows_cap;
            d->field = realloc(d->field, rows_cap * sizeof(*d->field));
            d->n_fields = realloc(d->n_fields, rows_cap * sizeof(*d->n_fields));
            ck_assert(d->field != NULL && d->n_fields != NULL);
        }
        d->field[d->n_rows] = fields;
        d->n_fields[d->n_rows] = nf;
        d->n_rows++;
    }
    return d;
}

void csv_doc_free(csv_doc *d)
{
    if (d == NULL) {
        return;
    }
    for (size_t r = 0; r < d->n_rows; r++) {
        for (size_t f = 0; f < d->n_fields[r]; f++) {
            free(d->field[r][f]);
        }
        free(d->field[r]);
    }
    free(d->field);
    free(d->n_fields);
    free(d);
}

size_t csv_col(const csv_doc *d, const char *name)
{
    ck_assert_uint_gt(d->n_rows, 0);
    for (size_t f = 0; f < d->n_fields[0]; f++) {
        if (strcmp(d->field[0][f], name) == 0) {
            return f;
        }
    }
    ck_abort_msg("no column %s", name);
    return 0;
}

/* ---- temporary directories ---- */

/* Every string handed out (directories and paths), freed at exit; a directory is removed then
 * only by the process that made it (a forked child inherits the list and the atexit handler,
 * and must not remove its parent's directory). */
typedef struct {
    char *s;
    pid_t dir_of; /* the process that made this directory; 0 for a path */
} tmp_item;

static tmp_item *tmp_items;
static size_t tmp_n;
static size_t tmp_cap;
static char *tmp_default; /* test_tmpdir()'s, made by tmp_default_pid */
static pid_t tmp_default_pid;

static void tmp_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL) {
            size_t len;
            char *child;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            len = strlen(path) + strlen(e->d_name) + 2;
            child = malloc(len);
            if (child == NULL) {
                break;
            }
            snprintf(child, len, "%s/%s", path, e->d_name);
            tmp_remove_tree(child);
            free(child);
        }
        if (d != NULL) {
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void tmp_cleanup(void)
{
    for (size_t i = tmp_n; i-- > 0;) {
        if (tmp_items[i].dir_of == getpid()) {
            tmp_remove_tree(tmp_items[i].s);
        }
        free(tmp_items[i].s);
    }
    free(tmp_items);
    tmp_items = NULL;
    tmp_n = tmp_cap = 0;
}

static const char *tmp_keep(char *s, int is_dir)
{
    ck_assert_ptr_nonnull(s);
    if (tmp_cap == 0) {
        ck_assert_int_eq(atexit(tmp_cleanup), 0);
    }
    if (tmp_n == tmp_cap) {
        tmp_cap = tmp_cap == 0 ? 16 : 2 * tmp_cap;
        tmp_items = realloc(tmp_items, tmp_cap * sizeof(*tmp_items));
        ck_assert_ptr_nonnull(tmp_items);
    }
    tmp_items[tmp_n++] = (tmp_item){s, is_dir ? getpid() : 0};
    return s;
}

const char *test_mkdtemp(const char *parent)
{
    size_t len = strlen(parent) + sizeof("/imbal-test.XXXXXX");
    char *dir = malloc(len);
    ck_assert_ptr_nonnull(dir);
    snprintf(dir, len, "%s/imbal-test.XXXXXX", parent);
    ck_assert_msg(mkdtemp(dir) != NULL, "cannot make a directory in %s", parent);
    return tmp_keep(dir, 1);
}

const char *test_tmpdir(void)
{
    if (tmp_default == NULL || tmp_default_pid != getpid()) {
        const char *t = getenv("TMPDIR");
        tmp_default = (char *)test_mkdtemp(t != NULL && t[0] != '\0' ? t : "/tmp");
        tmp_default_pid = getpid();
    }
    return tmp_default;
}

const char *test_tmp(const char *name)
{
    const char *dir = test_tmpdir();
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    snprintf(p, len, "%s/%s", dir, name);
    return tmp_keep(p, 0);
}

int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

void remove_outdir(const char *dir)
{
    char target[512];
    char path[1024];
    const char *slash = strrchr(dir, '/');
    int plen = slash != NULL ? (int)(slash - dir) : 1;
    const char *parent = slash != NULL ? dir : ".";
    const char *base = slash != NULL ? slash + 1 : dir;
    ssize_t n = readlink(dir, target, sizeof(target) - 1);
    if (n <= 0) {
        rmdir(dir);
        return;
    }
    target[n] = '\0';
    snprintf(path, sizeof(path), "%.*s/%s", plen, parent, target);
    {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL) {
            char f[1400];
            snprintf(f, sizeof(f), "%s/%s", path, e->d_name);
            if (e->d_name[0] != '.') {
                unlink(f);
            }
        }
        if (d != NULL) {
            closedir(d);
        }
    }
    rmdir(path);
    unlink(dir);
    snprintf(path, sizeof(path), "%.*s/.%s.lock", plen, parent, base);
    unlink(path);
}

/* LeakSanitizer (make asan) reads this at start-up. fontconfig, which cairo's text calls (the
 * PNG figures of plot.h), keeps process-lifetime caches whose pointers LSan does not see, and
 * reports them as leaks at exit; imbal's own allocations stay checked. Unused without LSan. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
