/* `imbal resample`: the command-line face of a sampler, what fit_resample gives Python users.
 * Writes the resampled training set as a CSV file that reads back as a dataset: the input's
 * columns in their order, categorical ones as categories, the target under its own name with
 * the input's labels (imbal_dataset_write_csv). --encoded writes the model matrix instead (the
 * one-hot columns as the classifier sees them); --source-rows FILE writes, per output row, the
 * 0-based data row it copies (empty for a new row). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "imbal/dataset.h"
#include "imbal/resample.h"
#include "imbal/rng.h"
#include "imbal/split.h"
#include "strbuf.h"

#define CLI_MAX_PARAMS 16

typedef struct {
    const char *data, *target, *positive, *technique, *split, *out, *source_rows;
    const char *categorical[CLI_MAX_PARAMS];
    size_t n_categorical;
    uint64_t seed;
    char decimal;
    int numpy;
    int encoded;
    imbal_param params[CLI_MAX_PARAMS];
    size_t n_params;
} resample_args;

static int resample_parse(int argc, char **argv, resample_args *a)
{
    memset(a, 0, sizeof(*a));
    a->seed = 42;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (s[0] != '-') {
            if (a->data != NULL) {
                return imbal_cli_usage_error("resample takes one data file; extra '%s'", s);
            }
            a->data = s;
            continue;
        }
        if (strcmp(s, "--encoded") == 0) {
            a->encoded = 1;
            continue;
        }
        if (v == NULL) {
            return imbal_cli_usage_error("option '%s' needs a value", s);
        }
        i++;
        if (strcmp(s, "--target") == 0) {
            a->target = v;
        } else if (strcmp(s, "--positive") == 0) {
            a->positive = v;
        } else if (strcmp(s, "--technique") == 0) {
            a->technique = v;
        } else if (strcmp(s, "--split") == 0) {
            a->split = v;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) {
            a->out = v;
        } else if (strcmp(s, "--source-rows") == 0) {
            a->source_rows = v;
        } else if (strcmp(s, "--categorical") == 0) {
            if (a->n_categorical == CLI_MAX_PARAMS) {
                return imbal_cli_usage_error("%s", "too many --categorical options");
            }
            a->categorical[a->n_categorical++] = v;
        } else if (strcmp(s, "--decimal") == 0) {
            if ((v[0] != '.' && v[0] != ',') || v[1] != '\0') {
                return imbal_cli_usage_error("--decimal is . or , (the decimal mark), not '%s'",
                                             v);
            }
            a->decimal = v[0];
        } else if (strcmp(s, "--seed") == 0) {
            if (!imbal_cli_parse_seed(v, &a->seed)) {
                return imbal_cli_usage_error("--seed needs a non-negative integer, not '%s'", v);
            }
        } else if (strcmp(s, "--compat") == 0) {
            if (strcmp(v, "sklearn") != 0 && strcmp(v, "none") != 0) {
                return imbal_cli_usage_error("--compat is sklearn or none, not '%s'", v);
            }
            a->numpy = strcmp(v, "sklearn") == 0;
        } else if (strcmp(s, "--param") == 0) {
            char *eq = strchr(v, '=');
            if (eq == NULL || eq == v) {
                return imbal_cli_usage_error("--param needs key=value, not '%s'", v);
            }
            if (a->n_params == CLI_MAX_PARAMS) {
                return imbal_cli_usage_error("%s", "too many --param options");
            }
            *eq = '\0';
            a->params[a->n_params].name = v;
            a->params[a->n_params].value = eq + 1;
            a->n_params++;
        } else {
            return imbal_cli_usage_error("unknown option '%s' for resample", s);
        }
    }
    if (a->data == NULL || a->technique == NULL || a->out == NULL) {
        return imbal_cli_usage_error("%s", "resample needs DATA, --technique NAME and -o OUT.csv");
    }
    return 0;
}

/* --encoded: the model matrix, the target under its own name as class names. */
static void resample_encoded(const imbal_dataset *ds, const imbal_resampled *res, imbal_buf *b)
{
    const imbal_columns *cm = ds->columns;
    for (size_t j = 0; j < ds->d; j++) {
        imbal_buf_csv_field(b, ds->feature_names[j]);
        imbal_buf_printf(b, ",");
    }
    imbal_buf_csv_field(b, cm->columns[cm->target].name);
    imbal_buf_printf(b, "\n");
    for (size_t i = 0; i < res->n; i++) {
        for (size_t j = 0; j < ds->d; j++) {
            char num[32];
            imbal_double_text(res->x[i * ds->d + j], num, sizeof(num));
            imbal_buf_printf(b, "%s,", num);
        }
        imbal_buf_csv_field(b, ds->class_names[res->y[i]]);
        imbal_buf_printf(b, "\n");
    }
}

/* --source-rows: output row, data row copied (empty for a new row). */
static void resample_sources(const size_t *source, size_t n, imbal_buf *b)
{
    imbal_buf_printf(b, "row,source_row\n");
    for (size_t i = 0; i < n; i++) {
        if (source[i] == SIZE_MAX) {
            imbal_buf_printf(b, "%zu,\n", i);
        } else {
            imbal_buf_printf(b, "%zu,%zu\n", i, source[i]);
        }
    }
}

/* Writes the output file(s). */
static imbal_status resample_write(const resample_args *a, const imbal_dataset *ds,
                                   const imbal_resampled *res, const size_t *rows, imbal_error *err)
{
    size_t *source = malloc(res->n > 0 ? res->n * sizeof(size_t) : 1);
    imbal_buf b = {NULL, 0, 0, 0};
    char *text = NULL;
    size_t len = 0;
    imbal_status st = IMBAL_OK;
    if (source == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < res->n; i++) {
        size_t s = res->source[i];
        source[i] = s == IMBAL_SYNTHETIC ? SIZE_MAX : rows != NULL ? rows[s] : s;
    }
    if (a->encoded) {
        resample_encoded(ds, res, &b);
        st = b.failed ? imbal_fail(err, IMBAL_ENOMEM, "out of memory")
                      : imbal_write_atomic(a->out, b.s, b.len, err);
    } else {
        st = imbal_dataset_write_csv(ds, res->x, res->y, source, res->n, &text, &len, err);
        if (st == IMBAL_OK) {
            st = imbal_write_atomic(a->out, text, len, err);
        }
    }
    imbal_buf_free(&b);
    if (st == IMBAL_OK && a->source_rows != NULL) {
        resample_sources(source, res->n, &b);
        st = b.failed ? imbal_fail(err, IMBAL_ENOMEM, "out of memory")
                      : imbal_write_atomic(a->source_rows, b.s, b.len, err);
    }
    imbal_buf_free(&b);
    free(text);
    free(source);
    return st;
}

int imbal_cli_resample(int argc, char **argv)
{
    resample_args a;
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_dataset *train = NULL;
    imbal_split *split = NULL;
    imbal_rng *rng = NULL;
    imbal_resampled *res = NULL;
    imbal_param_values pv;
    imbal_error err;
    const imbal_technique *t;
    const size_t *rows = NULL;
    imbal_status st;
    int rc = resample_parse(argc, argv, &a);
    if (rc != 0) {
        return rc;
    }
    t = imbal_technique_find(a.technique);
    if (t == NULL) {
        const char *close = imbal_technique_suggest(a.technique);
        fprintf(stderr, "imbal: unknown technique '%s'", a.technique);
        if (close != NULL) {
            fprintf(stderr, " (did you mean '%s'?)", close);
        }
        fprintf(stderr, "; see imbal techniques\n");
        return 2;
    }
    /* an output that is an input would be replaced by what was computed from it */
    if (imbal_cli_same_file(a.out, a.data) || imbal_cli_same_file(a.out, a.split) ||
        imbal_cli_same_file(a.source_rows, a.data) || imbal_cli_same_file(a.source_rows, a.split) ||
        imbal_cli_same_file(a.source_rows, a.out) ||
        (a.source_rows != NULL && strcmp(a.source_rows, a.out) == 0)) {
        fprintf(stderr,
                "imbal: an output (-o %s%s%s) is an input or the other output; nothing "
                "was written\n",
                a.out, a.source_rows != NULL ? ", --source-rows " : "",
                a.source_rows != NULL ? a.source_rows : "");
        return 2;
    }
    imbal_error_clear(&err);
    imbal_load_options_default(&opt);
    opt.target = a.target;
    opt.positive = a.positive;
    opt.categorical = a.categorical;
    opt.n_categorical = a.n_categorical;
    opt.decimal = a.decimal;
    st = imbal_dataset_load(a.data, &opt, &ds, &err);
    if (st == IMBAL_OK && a.split != NULL) {
        st = imbal_split_read_file(a.split, ds->n, &split, &err);
        if (st == IMBAL_OK) {
            rows = split->folds[0].train;
            st = imbal_dataset_subset(ds, rows, split->folds[0].n_train, &train, &err);
        }
    }
    if (st == IMBAL_OK) {
        st = imbal_params_parse(t, a.params, a.n_params, ds->class_names, ds->n_classes, &pv, &err);
    }
    if (st == IMBAL_OK) {
        st = imbal_rng_new(a.numpy ? IMBAL_RNG_NUMPY : IMBAL_RNG_DEFAULT, a.seed, &rng, &err);
    }
    if (st == IMBAL_OK) {
        const imbal_dataset *src = train != NULL ? train : ds;
        imbal_train_view view = {src->x, src->y, src->n, src->d, src->n_classes,
                                 src->is_dummy, ds->columns};
        st = imbal_resample(t, &view, &pv, rng, &res, &err);
    }
    if (st == IMBAL_OK) {
        st = resample_write(&a, ds, res, rows, &err);
        rc = st == IMBAL_OK ? 0 : 1;
    } else {
        rc = imbal_cli_exit_code(st);
    }
    if (st != IMBAL_OK) {
        imbal_cli_print_error(&err);
    } else {
        fprintf(stderr, "imbal: wrote %zu rows to %s\n", res->n, a.out);
    }
    imbal_resampled_free(res);
    imbal_rng_free(rng);
    imbal_split_free(split);
    imbal_dataset_free(train);
    imbal_dataset_free(ds);
    return rc;
}

const imbal_cli_command imbal_cli_resample_command = {
    "resample",
    imbal_cli_resample,
    "DATA --technique NAME -o OUT.csv [--target COL] [--positive LABEL]\n"
    "[--categorical COL] [--decimal ,] [--param key=value ...] [--split FILE] [--seed S]\n"
    "[--compat sklearn] [--source-rows FILE] [--encoded]",
    "write the resampled training set (the rows the classifier would see) as CSV",
    "Loads DATA (CSV or KEEL .dat), takes the training rows of --split (all rows without it),\n"
    "resamples them with one technique and writes the result to OUT.csv in DATA's own columns,\n"
    "names and order (the target under its own name, categorical columns as their categories),\n"
    "so imbal and pandas read it back as a dataset.\n",
    "  --technique NAME    a sampler from `imbal techniques` (required)\n"
    "  -o, --output FILE   the CSV to write (required; written to a temporary name, then renamed)\n"
    "  --target COL        the target column (default: the last; KEEL: @outputs)\n"
    "  --positive LABEL    the class of interest (label 1); the others are negative\n"
    "  --categorical COL   treat COL as categorical; repeatable\n"
    "  --decimal ,         DATA's numbers have a decimal comma (3,14); the output uses '.'\n"
    "  --param key=value   a technique parameter, e.g. k_neighbors=5; repeatable\n"
    "  --split FILE        a row,set file (set = train | test): resample the train rows only\n"
    "  --seed S            the generator's seed (default 42)\n"
    "  --compat sklearn    the numpy-compatible generator, seeded as random_state=S\n"
    "  --source-rows FILE  also write row,source_row: the 0-based data row each output row\n"
    "                      copies (empty for synthetic rows)\n"
    "  --encoded           write the one-hot matrix the classifier sees instead\n",
    "imbal resample datasets/abalone19.csv --target Class --positive positive "
    "--technique smote --param k_neighbors=5 --split datasets/abalone19_split.csv "
    "-o smote-train.csv",
};
