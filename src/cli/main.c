/* imbal command line: the only code that prints or exits. The sub-commands are the table
 * `commands` at the end of this file, which `imbal --help`, `imbal help NAME`, `NAME --help` and
 * the dispatch read. Exit status: 0 success, 2 invalid usage, spec or data (a spec with a run
 * that cannot run included: imbal_experiment_check finds it before any run), 1 any other
 * failure (out of memory, a run that failed at run time: the others' results are written and
 * the failed runs marked, a report that could not be written). */
#include <errno.h>
#include <gsl/gsl_version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "cli.h"
#include "imbal/outdir.h"
#include "imbal/report.h"
#include "imbal/runner.h"
#include "imbal/simd.h"
#include "imbal/spec.h"
#include "imbal/version.h"

int imbal_cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0) {
        return 0;
    }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int imbal_cli_exit_code(imbal_status st)
{
    switch (st) {
    case IMBAL_OK:
        return 0;
    case IMBAL_EPARSE:
    case IMBAL_EINVAL:
    case IMBAL_EUNSUP:
    case IMBAL_EIO:
        return 2;
    default:
        return 1;
    }
}

void imbal_cli_print_error(const imbal_error *err)
{
    char buf[1024];
    fprintf(stderr, "%s%s\n", err->file[0] == '\0' ? "imbal: " : "",
            imbal_error_format(err, buf, sizeof(buf)));
}

int imbal_cli_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "imbal: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see imbal --help)\n");
    return 2;
}

int imbal_cli_parse_seed(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || s[0] == '-') {
        return 0;
    }
    *out = (uint64_t)v;
    return 1;
}

/* Loads a spec, printing every problem. Returns the exit code (0 when *out is set). */
static int cli_load_spec(const char *path, imbal_spec **out)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_status st = imbal_spec_load(path, out, &errs);
    for (size_t i = 0; i < errs.n; i++) {
        imbal_cli_print_error(&errs.items[i]);
    }
    if (st != IMBAL_OK) {
        fprintf(stderr, "imbal: %zu problem%s in %s; nothing was run\n", errs.n,
                errs.n == 1 ? "" : "s", path);
    }
    imbal_error_list_free(&errs);
    return imbal_cli_exit_code(st);
}

/* Checks every run before the first (imbal_experiment_check), printing each infeasible one.
 * Returns the exit code: 0 when all can run, 2 when some cannot, 1 out of memory. */
static int cli_check(const char *path, const imbal_experiment *ex)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_error err;
    size_t bad = 0;
    imbal_status st;
    imbal_error_clear(&err);
    st = imbal_experiment_check(ex, &errs, &bad, &err);
    for (size_t i = 0; i < errs.n; i++) {
        imbal_cli_print_error(&errs.items[i]);
    }
    if (st == IMBAL_EINVAL) {
        if (bad > errs.n) {
            fprintf(stderr, "imbal: ... and %zu more\n", bad - errs.n);
        }
        fprintf(stderr, "imbal: %zu of %zu runs cannot run in %s; nothing was run\n", bad,
                ex->n_runs, path);
    } else if (st != IMBAL_OK) {
        imbal_cli_print_error(&err);
    }
    imbal_error_list_free(&errs);
    return imbal_cli_exit_code(st);
}

/* The CLI's sink: each result goes to the report stream as it comes (memory flat in the
 * number of runs); the first failed runs are kept to be listed once the reports are written. */
#define CLI_FAILED_SHOWN 10

typedef struct {
    imbal_report_stream *stream;
    const imbal_experiment *ex;
    size_t n_failed;
    char failed[CLI_FAILED_SHOWN][400];
} cli_sink_ctx;

static imbal_status cli_sink(const imbal_run_result *r, size_t index, void *ctx, imbal_error *err)
{
    cli_sink_ctx *c = ctx;
    if (r->status != IMBAL_OK && c->n_failed++ < CLI_FAILED_SHOWN) {
        snprintf(c->failed[c->n_failed - 1], sizeof(c->failed[0]),
                 "dataset '%s', technique '%s', repeat %zu, fold %zu: %s",
                 c->ex->spec->datasets[r->dataset].name, c->ex->spec->techniques[r->technique].name,
                 r->repeat + 1, r->fold + 1, r->message != NULL ? r->message : "");
    }
    return imbal_report_stream_sink(r, index, c->stream, err);
}

/* After the reports are written: the runs that failed (the first few), on stderr. */
static void cli_failed(const imbal_experiment *ex, const cli_sink_ctx *c, const char *out_dir)
{
    size_t shown = c->n_failed < CLI_FAILED_SHOWN ? c->n_failed : CLI_FAILED_SHOWN;
    for (size_t i = 0; i < shown; i++) {
        fprintf(stderr, "imbal: run failed: %s\n", c->failed[i]);
    }
    if (ex->n_failed > shown) {
        fprintf(stderr, "imbal: ... and %zu more\n", ex->n_failed - shown);
    }
    fprintf(stderr,
            "imbal: %zu of %zu runs failed; the others' results are in %s/ (runs.csv: status "
            "error and the message for each failed run)\n",
            ex->n_failed, ex->n_runs, out_dir);
}

static void cli_progress(size_t done, size_t total, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "\rimbal: %zu/%zu runs", done, total);
    if (done == total) {
        fprintf(stderr, "\n");
    }
}

/* -o DIR is a path, but its last component names the directory imbal replaces as a whole,
 * so it obeys the rules of a spec's name (imbal_outdir_name_problem): checked before any
 * work. Returns 1 (and *rc 2) after printing the problem. */
static int cli_out_problem(const char *dir, int *rc)
{
    size_t n = strlen(dir);
    size_t start;
    char base[4096];
    const char *problem;
    while (n > 1 && dir[n - 1] == '/') {
        n--;
    }
    start = n;
    while (start > 0 && dir[start - 1] != '/') {
        start--;
    }
    snprintf(base, sizeof(base), "%.*s", (int)(n - start), dir + start);
    problem = imbal_outdir_name_problem(base);
    if (problem == NULL) {
        return 0;
    }
    fprintf(stderr, "imbal: -o %s: the output directory's name '%s' %s\n(see imbal --help)\n",
            dir, base, problem);
    *rc = 2;
    return 1;
}

static int cli_run(int argc, char **argv)
{
    const char *spec_path = NULL;
    const char *out_dir = NULL;
    char dir_buf[4096];
    int quiet = 0;
    int have_seed = 0;
    uint64_t seed = 0;
    imbal_run_options ro = {0, 0, NULL, NULL, NULL, NULL};
    imbal_report_options rep = {0, 1};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_outdir *od = NULL;
    imbal_error err;
    char *md = NULL;
    static cli_sink_ctx sink; /* static: its failure lines are 4 KB */
    int rc;
    imbal_status st;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc) {
            out_dir = argv[++i];
        } else if ((strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) && i + 1 < argc) {
            char *end = NULL;
            long j = strtol(argv[++i], &end, 10);
            if (end == argv[i] || *end != '\0' || j < 1 || j > 4096) {
                return imbal_cli_usage_error("-j needs a thread count >= 1, not '%s'", argv[i]);
            }
            ro.threads = (int)j;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (!imbal_cli_parse_seed(argv[++i], &seed)) {
                return imbal_cli_usage_error("--seed needs a non-negative integer, not '%s'",
                                             argv[i]);
            }
            have_seed = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--save-models") == 0) {
            ro.save_models = 1;
            rep.save_models = 1;
        } else if (strcmp(a, "--no-timings") == 0) {
            rep.include_timings = 0;
        } else if (a[0] == '-') {
            return imbal_cli_usage_error("unknown or incomplete option '%s' for run", a);
        } else if (spec_path == NULL) {
            spec_path = a;
        } else {
            return imbal_cli_usage_error("run takes one spec file; extra argument '%s'", a);
        }
    }
    if (spec_path == NULL) {
        return imbal_cli_usage_error("%s",
                                     "run needs a spec file, e.g. imbal run configs/demo.yaml");
    }
    rc = cli_load_spec(spec_path, &spec);
    if (rc != 0) {
        return rc;
    }
    if (have_seed) {
        spec->seed = seed;
    }
    if (out_dir == NULL) {
        snprintf(dir_buf, sizeof(dir_buf), "results/%s", spec->name);
        out_dir = dir_buf;
    } else if (cli_out_problem(out_dir, &rc)) {
        imbal_spec_free(spec);
        return rc;
    }
    imbal_error_clear(&err);
    st = imbal_experiment_prepare(spec, &ex, &err);
    for (size_t i = 0; st == IMBAL_OK && !quiet && i < spec->n_datasets; i++) {
        imbal_cli_note_positive(stderr, spec->datasets[i].name, ex->data[i]);
    }
    if (st == IMBAL_OK) {
        rc = cli_check(spec_path, ex);
        if (rc != 0) {
            goto cleanup;
        }
        /* locked before the runs, so a second run into it is refused at once, not after the
         * grid; nothing in it changes until the commit */
        st = imbal_outdir_open(out_dir, &od, &err);
        if (st != IMBAL_OK) {
            imbal_cli_print_error(&err);
            rc = st == IMBAL_EINVAL ? 2 : 1;
            goto cleanup;
        }
        /* the results go to the report as the runs finish: nothing grows with the grid */
        st = imbal_report_stream_open(ex, od, &rep, &sink.stream, &err);
        if (st != IMBAL_OK) {
            imbal_cli_print_error(&err);
            rc = 1;
            goto cleanup;
        }
        sink.ex = ex;
        ro.sink = cli_sink;
        ro.sink_ctx = &sink;
        if (!quiet && isatty(STDERR_FILENO)) {
            ro.progress = cli_progress;
        }
        st = imbal_experiment_run(ex, &ro, &err);
        if (st != IMBAL_OK && st != IMBAL_EINVAL) {
            imbal_cli_print_error(&err); /* out of memory, or a report that cannot be written */
            rc = 1;
            goto cleanup;
        }
    }
    if (st == IMBAL_OK) {
        st = imbal_report_stream_finish(sink.stream, &md, &err);
        if (st == IMBAL_OK) {
            st = imbal_outdir_commit(od, &err);
        }
        if (st != IMBAL_OK) {
            imbal_cli_print_error(&err);
            rc = 1;
            goto cleanup;
        }
        if (!quiet) {
            fputs(md, stdout);
            printf("\n%zu runs on %d thread%s in %.3f s; report in %s/\n", ex->n_runs, ex->threads,
                   ex->threads == 1 ? "" : "s", ex->seconds_runs, out_dir);
        }
        rc = 0;
        if (ex->n_failed > 0) {
            cli_failed(ex, &sink, out_dir);
            rc = 1;
        }
    } else {
        imbal_cli_print_error(&err);
        rc = imbal_cli_exit_code(st);
    }
cleanup:
    imbal_outdir_close(od);
    free(md);
    imbal_report_stream_free(sink.stream);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    return rc;
}

static int cli_validate(int argc, char **argv)
{
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_status st;
    int rc;
    if (argc != 1) {
        return imbal_cli_usage_error("%s", "validate takes exactly one spec file");
    }
    rc = cli_load_spec(argv[0], &spec);
    if (rc != 0) {
        return rc;
    }
    imbal_error_clear(&err);
    st = imbal_experiment_prepare(spec, &ex, &err);
    if (st != IMBAL_OK) {
        imbal_cli_print_error(&err);
        rc = imbal_cli_exit_code(st);
    } else if ((rc = cli_check(argv[0], ex)) != 0) {
        /* the infeasible runs are printed */
    } else {
        printf("%s: ok: %zu dataset%s, %zu technique%s, %zu runs\n", argv[0], spec->n_datasets,
               spec->n_datasets == 1 ? "" : "s", spec->n_techniques,
               spec->n_techniques == 1 ? "" : "s", ex->n_runs);
        for (size_t i = 0; i < spec->n_datasets; i++) {
            imbal_cli_describe_dataset(stdout, spec->datasets[i].name, ex->data[i]);
        }
    }
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    return rc;
}

/* One entry of `imbal techniques` / `imbal classifiers`: the name, its help, and each
 * parameter's type, default, meaning and valid range or choices. */
static void cli_print_schema(const char *name, const char *help, const imbal_param_spec *params,
                             const char *unavailable)
{
    static const char *const types[] = {"int", "float", "bool", "choice", "strategy"};
    printf("%s\n    %s\n", name, help != NULL ? help : "");
    if (unavailable != NULL) {
        printf("    (not in this build: %s)\n", unavailable);
    }
    for (const imbal_param_spec *p = params; p != NULL && p->name != NULL; p++) {
        printf("    %-18s %-8s default %-8s %s", p->name, types[p->type],
               p->def != NULL ? p->def : "-", p->help != NULL ? p->help : "");
        if (p->type == IMBAL_PARAM_STRING && p->choices != NULL) {
            printf(" (%s)", p->choices);
        } else if (p->type == IMBAL_PARAM_INT || p->type == IMBAL_PARAM_DOUBLE) {
            printf(" [%g, %g]", p->min, p->max);
        }
        printf("\n");
    }
}

static int cli_techniques(int argc, char **argv)
{
    if (argc != 0) {
        return imbal_cli_usage_error("techniques takes no arguments; extra '%s'", argv[0]);
    }
    for (size_t i = 0; i < imbal_technique_count(); i++) {
        const imbal_technique *t = imbal_technique_at(i);
        cli_print_schema(t->name, t->help, t->params, NULL);
    }
    return 0;
}

static int cli_classifiers(int argc, char **argv)
{
    if (argc != 0) {
        return imbal_cli_usage_error("classifiers takes no arguments; extra '%s'", argv[0]);
    }
    for (size_t i = 0; i < imbal_classifier_count(); i++) {
        const imbal_classifier *c = imbal_classifier_at(i);
        cli_print_schema(c->name, c->help, c->params, c->unavailable);
        if (c->flags & IMBAL_CLASSIFIER_CLASS_WEIGHT) {
            printf("    %-18s %-8s default %-8s %s\n", "class_weight", "weights", "none",
                   "none, balanced (n / (k n_c)) or {class: weight}");
        }
    }
    return 0;
}

static const imbal_cli_command run_command = {
    "run",
    cli_run,
    "SPEC [-o DIR] [-j N] [--seed S] [-q] [--save-models] [--no-timings]",
    "run the experiment in SPEC (YAML) and write its report",
    "Runs every dataset x technique x repeat x fold of SPEC, prints the summary table and\n"
    "writes runs.csv, summary.csv, summary.md, summary.json and resolved.yaml to DIR. The\n"
    "files replace the previous run's as a whole (DIR is a link to the newest complete set),\n"
    "and a second run into DIR is refused while one runs; -j 1 and -j N give byte-identical\n"
    "files.\n",
    "  -o, --output DIR    where to write (default results/<spec name>/)\n"
    "  -j, --jobs N        threads (default: all cores)\n"
    "  --seed S            master seed, instead of the spec's seed\n"
    "  -q, --quiet         no table and no progress; errors only\n"
    "  --save-models       also write models.csv: intercept and coefficients of every run\n"
    "  --no-timings        leave the timings out of summary.json\n",
    "imbal run configs/demo.yaml -j 2",
};

static const imbal_cli_command validate_command = {
    "validate",
    cli_validate,
    "SPEC",
    "check SPEC and its data without running anything",
    "Loads SPEC and every dataset it names, checks every key, technique and parameter (all\n"
    "problems are listed at once, with file, line and column) and prints the number of runs.\n",
    "",
    "imbal validate configs/abalone.yaml",
};

static const imbal_cli_command techniques_command = {
    "techniques",
    cli_techniques,
    "",
    "list the resampling techniques and their parameters",
    "Prints each sampler with its parameters: type, default, meaning and valid range; these\n"
    "are the names a spec's techniques and `imbal resample --param` accept.\n",
    "",
    "imbal techniques",
};

static const imbal_cli_command classifiers_command = {
    "classifiers",
    cli_classifiers,
    "",
    "list the classifiers and their parameters",
    "Prints each classifier with its parameters: type, default, meaning and valid range; these\n"
    "are what a spec's classifier (type: NAME and its parameters) and a technique's\n"
    "classifier override accept.\n",
    "",
    "imbal classifiers",
};

/* The one list of sub-commands, in the order `imbal --help` shows them; one line each. */
/* clang-format off */
static const imbal_cli_command *const commands[] = {
    &run_command,
    &validate_command,
    &techniques_command,
    &classifiers_command,
    &imbal_cli_resample_command,
    &imbal_cli_init_command,
};
/* clang-format on */
#define CLI_N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char status_text[] =
    "exit status: 0 success, 2 invalid usage, spec or data (or a spec with a run that cannot\n"
    "run, found before any run), 1 other failure (a run that failed: the others' results are\n"
    "written, the failed runs marked)\n"
    "environment: IMBAL_SIMD=generic runs the non-AVX2 kernels (identical results)\n";

static const imbal_cli_command *cli_find(const char *name)
{
    for (size_t i = 0; i < CLI_N_COMMANDS; i++) {
        if (strcmp(commands[i]->name, name) == 0) {
            return commands[i];
        }
    }
    return NULL;
}

/* "unknown command 'x'" with the closest name, if one is close; returns 2. */
static int cli_unknown(const char *name)
{
    const char *names[CLI_N_COMMANDS];
    const char *close;
    for (size_t i = 0; i < CLI_N_COMMANDS; i++) {
        names[i] = commands[i]->name;
    }
    close = imbal_suggest(name, names, CLI_N_COMMANDS);
    fprintf(stderr, "imbal: unknown command '%s'", name);
    if (close != NULL) {
        fprintf(stderr, " (did you mean '%s'?)", close);
    }
    fprintf(stderr, "\n(see imbal --help)\n");
    return 2;
}

/* "imbal NAME ARGS" with ARGS' continuation lines indented under its first word. */
static void cli_print_synopsis(FILE *f, const char *prefix, const imbal_cli_command *c)
{
    int indent = (int)(strlen(prefix) + strlen(c->name) + 1);
    fprintf(f, "%s%s", prefix, c->name);
    if (c->args[0] != '\0') {
        fputc(' ', f);
    }
    for (const char *p = c->args; *p != '\0'; p++) {
        if (*p == '\n') {
            fprintf(f, "\n%*s", indent, "");
        } else {
            fputc(*p, f);
        }
    }
    fputc('\n', f);
}

static void cli_usage(FILE *f)
{
    fprintf(f, "usage: imbal COMMAND [options]\n"
               "       imbal COMMAND --help   (or imbal help COMMAND): its options and an example\n"
               "       imbal --version\n"
               "\n"
               "commands:\n");
    for (size_t i = 0; i < CLI_N_COMMANDS; i++) {
        cli_print_synopsis(f, "  ", commands[i]);
        fprintf(f, "        %s\n", commands[i]->summary);
    }
    fprintf(f, "\n%s", status_text);
}

static int cli_command_help(const imbal_cli_command *c)
{
    cli_print_synopsis(stdout, "usage: imbal ", c);
    printf("\n%s", c->about);
    if (c->options[0] != '\0') {
        printf("\noptions:\n%s", c->options);
    }
    printf("\nexample:\n  %s\n\n%s", c->example, status_text);
    return 0;
}

/* imbal's own version, then the libraries' as they report themselves at run time (the
 * shared objects loaded, which may be newer than the headers imbal was compiled against). */
static int cli_version(void)
{
    printf("imbal %s\nGSL %s\nlibyaml %s\n", IMBAL_VERSION, gsl_version, yaml_get_version_string());
    return 0;
}

/* IMBAL_SIMD=generic runs the generic kernels instead of AVX2 (same results, see simd.h): for
 * tests and for timing the code other machines run. Returns 0, or 2 for an unknown value. */
static int cli_simd_from_env(void)
{
    const char *v = getenv("IMBAL_SIMD");
    if (v == NULL || v[0] == '\0' || strcmp(v, "best") == 0) {
        return 0;
    }
    if (strcmp(v, "generic") == 0) {
        imbal_simd_set(IMBAL_SIMD_GENERIC);
        return 0;
    }
    return imbal_cli_usage_error("IMBAL_SIMD must be 'generic' or 'best', not '%s'", v);
}

int main(int argc, char **argv)
{
    const imbal_cli_command *c;
    if (cli_simd_from_env() != 0) {
        return 2;
    }
    if (argc < 2) {
        cli_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cli_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        return cli_version();
    }
    if (strcmp(argv[1], "help") == 0) {
        if (argc == 2) {
            cli_usage(stdout);
            return 0;
        }
        c = cli_find(argv[2]);
        return c != NULL ? cli_command_help(c) : cli_unknown(argv[2]);
    }
    c = cli_find(argv[1]);
    if (c == NULL) {
        return cli_unknown(argv[1]);
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return cli_command_help(c);
        }
    }
    return c->run(argc - 2, argv + 2);
}
