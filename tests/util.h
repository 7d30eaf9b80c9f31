/* Test helpers: read the small reference CSV files of tests/reference/ (origin: shared
 * parity files from scikit-learn 1.2 / imbalanced-learn 0.10, see tests/reference/README.md). */
#ifndef IMBAL_TEST_UTIL_H
#define IMBAL_TEST_UTIL_H

#include <stddef.h>

typedef struct {
    size_t n_rows, n_cols;
    char **header; /* n_cols */
    char ***cell;  /* n_rows x n_cols */
} ref_table;

/* Reads a plain comma-separated file with a header (no quoting). Aborts the test on error. */
ref_table *ref_read(const char *path);
void ref_free(ref_table *t);
/* Column index by name; aborts if absent. */
size_t ref_col(const ref_table *t, const char *name);
double ref_num(const ref_table *t, size_t row, const char *col);
const char *ref_str(const ref_table *t, size_t row, const char *col);

/* The whole file as a string (free with free()); aborts the test if it cannot be read. */
char *slurp(const char *path);

/* A CSV text split by RFC 4180, independently of imbal's reader: fields separated by ',',
 * rows by LF or CRLF, a field in double quotes may hold ',', '"' (doubled) and line breaks.
 * Aborts the test on malformed quoting. Free with csv_doc_free. */
typedef struct {
    size_t n_rows;
    size_t *n_fields; /* n_rows */
    char ***field;    /* n_rows x n_fields[r], each a NUL-terminated copy */
} csv_doc;

csv_doc *csv_parse(const char *text);
void csv_doc_free(csv_doc *d);
/* Index of the header (row 0) field named name; aborts if absent. */
size_t csv_col(const csv_doc *d, const char *name);

/* Temporary files of a test, never at a fixed path (two checkouts, or make check and make
 * asan, may run the same test at the same time). test_tmpdir(): a directory of this process's
 * own, made with mkdtemp under $TMPDIR (else /tmp) on the first call; later calls return it.
 * Check runs each test in a process of its own, so each test gets its own directory.
 * test_tmp(name): test_tmpdir()/name. test_mkdtemp(parent): a new directory under parent
 * (for a test whose output must sit at a given place, e.g. inside the project).
 * Every directory made here is removed with its contents when the process that made it
 * exits normally (not by a failed assertion, so a failing test's files stay for a look).
 * The strings live until then; do not free them. All abort the test on error. */
const char *test_tmpdir(void);
const char *test_tmp(const char *name);
const char *test_mkdtemp(const char *parent);

/* Removes an output directory imbal_report_write made (outdir.h): the files of the generation
 * it links to, the generation, the link and the lock file beside it. For a plain directory,
 * rmdir. Errors are ignored (cleanup). */
void remove_outdir(const char *dir);

/* Runs one Check suite with the given name; returns the process exit status. */
#include <check.h>
int run_suite(Suite *s);

#endif
