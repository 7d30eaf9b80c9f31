/* `imbal init`: a first spec for one's own data. Inspects a CSV or KEEL file (inspect.h), plans
 * the experiment and writes the commented starter spec (starter.h) to <data stem>.yaml in the
 * current directory, -o SPEC, or stdout (-o -); an existing file is kept unless --force. The
 * spec names the data relative to its own directory, as spec paths are read. A short summary
 * of what was found goes to stderr. */
#define _XOPEN_SOURCE 700 /* realpath: XSI in glibc's headers, though POSIX.1-2008 has it */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "imbal/inspect.h"
#include "imbal/starter.h"
#include "strbuf.h"

typedef struct {
    const char *data, *target, *positive, *out;
    int force;
} init_args;

/* 0, or 2 for a usage error (printed). --help never reaches here: main.c prints the table entry. */
static int init_parse(int argc, char **argv, init_args *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--force") == 0) {
            a->force = 1;
            continue;
        }
        if (s[0] != '-' || strcmp(s, "-") == 0) {
            if (a->data != NULL) {
                return imbal_cli_usage_error("init takes one data file; extra argument '%s'", s);
            }
            a->data = s;
            continue;
        }
        if (strcmp(s, "--target") != 0 && strcmp(s, "--positive") != 0 && strcmp(s, "-o") != 0 &&
            strcmp(s, "--output") != 0) {
            return imbal_cli_usage_error("unknown option '%s' for init", s);
        }
        if (v == NULL) {
            return imbal_cli_usage_error("option '%s' needs a value", s);
        }
        i++;
        if (strcmp(s, "--target") == 0) {
            a->target = v;
        } else if (strcmp(s, "--positive") == 0) {
            a->positive = v;
        } else {
            a->out = v;
        }
    }
    if (a->data == NULL) {
        return imbal_cli_usage_error("%s", "init needs a data file, e.g. imbal init mydata.csv");
    }
    return 0;
}

/* The directory part of path ("." when there is none); a new string. */
static char *init_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        return strdup(".");
    }
    if (slash == path) {
        return strdup("/");
    }
    return strndup(path, (size_t)(slash - path));
}

/* to (a file) as seen from the directory from, both absolute and canonical: "../x/y.csv";
 * to itself when they share nothing but the root (a relative path would climb to it anyway).
 * A new string, or NULL when out of memory. */
static char *init_relative(const char *from, const char *to)
{
    size_t common = 0; /* index in to of the '/' that ends the directories both share */
    size_t up = 0;
    size_t i = 0;
    char *rel;
    while (from[i] != '\0' && from[i] == to[i]) {
        if (to[i] == '/') {
            common = i;
        }
        i++;
    }
    if (from[i] == '\0' && to[i] == '/') {
        common = i; /* from itself holds to */
    }
    if (common == 0) {
        return strdup(to);
    }
    for (const char *p = from + common; *p != '\0'; p++) {
        up += *p == '/';
    }
    rel = malloc(3 * up + strlen(to + common + 1) + 1);
    if (rel == NULL) {
        return NULL;
    }
    rel[0] = '\0';
    for (size_t k = 0; k < up; k++) {
        strcat(rel, "../");
    }
    strcat(rel, to + common + 1);
    return rel;
}

/* The data path as the spec at spec_path must name it. Prints the problem and returns NULL
 * when the spec's directory does not exist. */
static char *init_data_path(const char *data, const char *spec_path)
{
    char *dir = spec_path != NULL ? init_dirname(spec_path) : strdup(".");
    char *abs_dir = NULL;
    char *abs_data = NULL;
    char *rel = NULL;
    if (dir == NULL) {
        fprintf(stderr, "imbal: out of memory\n");
        return NULL;
    }
    abs_dir = realpath(dir, NULL);
    abs_data = realpath(data, NULL);
    if (abs_dir == NULL) {
        fprintf(stderr, "imbal: cannot write '%s': directory '%s': %s\n", spec_path, dir,
                strerror(errno));
    } else if (abs_data == NULL) {
        fprintf(stderr, "imbal: %s: %s\n", data, strerror(errno));
    } else {
        rel = init_relative(abs_dir, abs_data);
        if (rel == NULL) {
            fprintf(stderr, "imbal: out of memory\n");
        }
    }
    free(dir);
    free(abs_dir);
    free(abs_data);
    return rel;
}

/* "<stem>.yaml" of the data file, in the current directory. */
static char *init_default_out(const char *data)
{
    const char *base = strrchr(data, '/');
    const char *dot;
    size_t stem;
    char *out;
    base = base != NULL ? base + 1 : data;
    dot = strrchr(base, '.');
    stem = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    out = malloc(stem + 6);
    if (out != NULL) {
        snprintf(out, stem + 6, "%.*s.yaml", (int)stem, base);
    }
    return out;
}

/* The spec's name: its file's stem (the data's for stdout). */
static char *init_spec_name(const char *spec_path, const imbal_inspection *in)
{
    const char *base;
    const char *dot;
    if (spec_path == NULL) {
        return strdup(in->stem);
    }
    base = strrchr(spec_path, '/');
    base = base != NULL ? base + 1 : spec_path;
    dot = strrchr(base, '.');
    return strndup(base, dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base));
}

/* "imbal init" and the arguments as given, for the spec's header comment. */
static char *init_command(int argc, char **argv)
{
    size_t len = strlen("imbal init") + 1;
    char *cmd;
    for (int i = 0; i < argc; i++) {
        len += strlen(argv[i]) + 1;
    }
    cmd = malloc(len);
    if (cmd == NULL) {
        return NULL;
    }
    strcpy(cmd, "imbal init");
    for (int i = 0; i < argc; i++) {
        strcat(cmd, " ");
        strcat(cmd, argv[i]);
    }
    return cmd;
}

/* What was found, in a few lines on stderr. */
static void init_summary(const imbal_inspection *in, const imbal_starter_plan *plan,
                         const char *written)
{
    static const char *const target_why[] = {"--target", "@outputs", "last column"};
    size_t listed = 0;
    fprintf(stderr, "imbal init: %s: %s, %zu rows; %zu numeric and %zu categorical columns; "
                    "target '%s' (%s)\n",
            in->path, in->format == IMBAL_FORMAT_KEEL ? "KEEL" : "CSV", in->n_rows,
            imbal_inspection_count_role(in, IMBAL_ROLE_NUMERIC),
            imbal_inspection_count_role(in, IMBAL_ROLE_CATEGORICAL), in->columns[in->target].name,
            target_why[in->target_why]);
    fprintf(stderr, "imbal init: %zu classes:", in->n_classes);
    /* by count, largest first, ties in class order: at most 20 named */
    for (size_t have = (size_t)-1; listed < in->n_classes && listed < 20;) {
        size_t best = in->n_classes;
        for (size_t c = 0; c < in->n_classes; c++) {
            size_t n = in->class_counts[c];
            if (n < have && (best == in->n_classes || n > in->class_counts[best])) {
                best = c;
            }
        }
        for (size_t c = 0; c < in->n_classes && listed < 20; c++) {
            if (in->class_counts[c] == in->class_counts[best]) {
                fprintf(stderr, "%s %s %zu", listed > 0 ? "," : "", in->class_names[c],
                        in->class_counts[c]);
                listed++;
            }
        }
        have = in->class_counts[best];
    }
    fprintf(stderr, "%s\n", in->n_classes > listed ? ", ..." : "");
    /* as the spec's comment: whole ratios without decimals (exact test intended) */
    fprintf(stderr, "imbal init: positive '%s' (%zu rows, %s) against %zu: imbalance ratio %.*f\n",
            in->class_names[in->positive], in->n_positive,
            in->positive_why == IMBAL_POSITIVE_GIVEN ? "--positive"
            : in->n_tied > 1 ? "the least frequent; a tie, to the later label"
                             : "the least frequent",
            in->n_negative, in->imbalance_ratio == (double)(long long)in->imbalance_ratio ? 0 : 2,
            in->imbalance_ratio);
    fprintf(stderr, "imbal init: %zu folds x %zu repeats; %zu of %zu techniques", plan->folds,
            plan->repeats, plan->n_included, plan->n_rows);
    for (size_t r = 0, k = 0; r < plan->n_rows; r++) {
        if (!plan->rows[r].included) {
            fprintf(stderr, "%s%s", k++ == 0 ? " (left out: " : ", ", plan->rows[r].name);
        }
    }
    fprintf(stderr, "%s\n", plan->n_included < plan->n_rows ? ")" : "");
    if (plan->suggest < in->n_classes) {
        fprintf(stderr, "imbal init: a larger positive class allows more: see the comments, e.g. "
                        "--positive %s\n",
                in->class_names[plan->suggest]);
    }
    if (written != NULL) {
        fprintf(stderr, "imbal init: wrote %s; next: imbal run %s\n", written, written);
    }
}

/* Refuses an existing file without --force, and a directory or the data file itself always.
 * 0 when writing may go on. */
static int init_check_out(const char *out, const char *data, int force)
{
    struct stat sb;
    if (stat(out, &sb) != 0) {
        return 0;
    }
    if (S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "imbal: '%s' is a directory; -o takes the spec file's name\n", out);
        return 2;
    }
    if (imbal_cli_same_file(out, data)) {
        fprintf(stderr,
                "imbal: '%s' is the data file DATA; nothing was written (-o chooses the "
                "spec's name)\n",
                out);
        return 2;
    }
    if (!force) {
        fprintf(stderr, "imbal: '%s' exists; nothing was written (--force overwrites it, -o "
                        "chooses another name)\n",
                out);
        return 2;
    }
    return 0;
}

int imbal_cli_init(int argc, char **argv)
{
    init_args a;
    imbal_inspect_options opt;
    imbal_inspection *in = NULL;
    imbal_starter_plan *plan = NULL;
    imbal_error err;
    char *out_default = NULL;
    char *data_path = NULL;
    char *name = NULL;
    char *command = NULL;
    char *yaml = NULL;
    const char *out;
    int to_stdout;
    imbal_status st;
    int rc = init_parse(argc, argv, &a);
    if (rc != 0) {
        return rc;
    }
    imbal_error_clear(&err);
    opt.target = a.target;
    opt.positive = a.positive;
    plan = malloc(sizeof(*plan));
    if (plan == NULL) {
        fprintf(stderr, "imbal: out of memory\n");
        return 1;
    }
    to_stdout = a.out != NULL && strcmp(a.out, "-") == 0;
    out = a.out;
    if (out == NULL) {
        out_default = init_default_out(a.data);
        out = out_default;
    }
    rc = 1;
    if (out == NULL) {
        fprintf(stderr, "imbal: out of memory\n");
        goto cleanup;
    }
    if (!to_stdout) { /* before the data is read: an answer in a moment, whatever its size */
        rc = init_check_out(out, a.data, a.force);
        if (rc != 0) {
            goto cleanup;
        }
    }
    st = imbal_inspect(a.data, &opt, &in, &err);
    if (st == IMBAL_OK) {
        st = imbal_starter_plan_make(in, plan, &err);
    }
    if (st != IMBAL_OK) {
        imbal_cli_print_error(&err);
        rc = imbal_cli_exit_code(st);
        goto cleanup;
    }
    rc = 1;
    data_path = init_data_path(a.data, to_stdout ? NULL : out);
    if (data_path == NULL) {
        rc = 2;
        goto cleanup;
    }
    name = init_spec_name(to_stdout ? NULL : out, in);
    command = init_command(argc, argv);
    if (name == NULL || command == NULL) {
        fprintf(stderr, "imbal: out of memory\n");
        goto cleanup;
    }
    st = imbal_starter_yaml(in, plan, name, data_path, command, &yaml, &err);
    if (st == IMBAL_OK && to_stdout) {
        st = fputs(yaml, stdout) == EOF || fflush(stdout) != 0
                 ? imbal_fail(&err, IMBAL_EIO, "cannot write the spec to stdout")
                 : IMBAL_OK;
    } else if (st == IMBAL_OK) {
        st = imbal_write_atomic(out, yaml, strlen(yaml), &err);
    }
    if (st != IMBAL_OK) {
        imbal_cli_print_error(&err);
        rc = st == IMBAL_EINVAL ? 2 : 1;
        goto cleanup;
    }
    init_summary(in, plan, to_stdout ? NULL : out);
    rc = 0;
cleanup:
    free(yaml);
    free(command);
    free(name);
    free(data_path);
    free(out_default);
    free(plan);
    imbal_inspection_free(in);
    return rc;
}

const imbal_cli_command imbal_cli_init_command = {
    "init",
    imbal_cli_init,
    "DATA [--target COL] [--positive LABEL] [-o SPEC | -o -] [--force]",
    "write a commented starter spec for DATA; then imbal run SPEC",
    "Looks at DATA (CSV with a header, or KEEL .dat): columns, which are categorical, the\n"
    "class counts and the imbalance ratio; then writes a commented starter spec that runs\n"
    "every resampling technique that applies to this data under stratified repeated\n"
    "cross-validation. Every choice is explained in a comment; `imbal run SPEC` runs it as is.\n",
    "  --target COL        the class column (default: KEEL's @outputs, else the last column)\n"
    "  --positive LABEL    the class of interest (default: the least frequent label; with more\n"
    "                      than two labels the others together become the negative class)\n"
    "  -o SPEC             where to write the spec (default: <DATA stem>.yaml in the current\n"
    "                      directory); -o - writes it to stdout\n"
    "  --force             overwrite SPEC if it exists\n",
    "imbal init datasets/ecoli.dat -o ecoli.yaml",
};
