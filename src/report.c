/* Reports (see report.h). Runs come dataset-major, then technique, then fold, so each report
 * row aggregates one contiguous slice of runs, summed in run order: the output never depends
 * on which thread finished first. runs.csv (and models.csv) are streamed, row by row as the
 * runs arrive in run order, into the output directory's new generation; the summaries (one
 * row per dataset x technique) are built in memory from per-row accumulators; outdir.c puts
 * the whole set in place at once.
 * So memory does not grow with the number of runs, and imbal_report_write (from ex->runs) and
 * the stream (from imbal_experiment_run's sink) are one code path with the same bytes. */
#include "imbal/report.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/version.h"
#include "report_spec.h"
#include "strbuf.h"

typedef struct {
    const char *name;  /* CSV/JSON name */
    const char *label; /* Markdown header; NULL = not in the Markdown table */
    size_t offset;     /* into imbal_metrics */
} report_metric;

static const report_metric report_metrics[] = {
    {"auc", "AUC", offsetof(imbal_metrics, roc_auc)},
    {"pr_auc", "PR AUC", offsetof(imbal_metrics, pr_auc)},
    {"precision", "precision", offsetof(imbal_metrics, precision)},
    {"recall", "recall", offsetof(imbal_metrics, recall)},
    {"f1", "F1", offsetof(imbal_metrics, f1)},
    {"specificity", NULL, offsetof(imbal_metrics, specificity)},
    {"balanced_accuracy", "bal. acc.", offsetof(imbal_metrics, balanced_accuracy)},
    {"auc_keel", NULL, offsetof(imbal_metrics, auc_keel)},
    {"gmean", "G-mean", offsetof(imbal_metrics, gmean)},
    {"mcc", "MCC", offsetof(imbal_metrics, mcc)},
    {"accuracy", NULL, offsetof(imbal_metrics, accuracy)},
};
#define REPORT_NM (sizeof(report_metrics) / sizeof(report_metrics[0]))

static double report_metric_value(const imbal_metrics *m, size_t k)
{
    return *(const double *)((const char *)m + report_metrics[k].offset);
}

/* The k-class metrics an experiment with a dataset of more than two classes adds, after the
 * binary ones (report_metrics), for every dataset, binary ones too (their two classes). */
typedef struct {
    const char *name;
    const char *label; /* the k-class Markdown table's header; NULL: not shown there */
    size_t offset;     /* into imbal_metrics_multi (an imbal_metric_value) */
} report_mmetric;

static const report_mmetric report_mmetrics[] = {
    {"auc_ovr_weighted", "AUC OvR w.", offsetof(imbal_metrics_multi, auc_ovr_weighted)},
    {"auc_ovo_macro", "AUC OvO", offsetof(imbal_metrics_multi, auc_ovo_macro)},
    {"precision_macro", "precision macro", offsetof(imbal_metrics_multi, precision_macro)},
    {"recall_macro", "recall macro", offsetof(imbal_metrics_multi, recall_macro)},
    {"f1_macro", "F1 macro", offsetof(imbal_metrics_multi, f1_macro)},
    {"precision_weighted", NULL, offsetof(imbal_metrics_multi, precision_weighted)},
    {"recall_weighted", NULL, offsetof(imbal_metrics_multi, recall_weighted)},
    {"f1_weighted", "F1 weighted", offsetof(imbal_metrics_multi, f1_weighted)},
};
#define REPORT_NX (sizeof(report_mmetrics) / sizeof(report_mmetrics[0]))
#define REPORT_NV (REPORT_NM + REPORT_NX)

/* For k > 2, the k-class metric a binary column stands for (NULL: it does not apply, the cell
 * stays empty): auc is the macro one-vs-rest AUC. */
static const imbal_metric_value *report_multi_base(const imbal_metrics_multi *m, size_t k)
{
    const char *name = report_metrics[k].name;
    if (strcmp(name, "auc") == 0) {
        return &m->auc_ovr_macro;
    }
    if (strcmp(name, "balanced_accuracy") == 0) {
        return &m->balanced_accuracy;
    }
    if (strcmp(name, "gmean") == 0) {
        return &m->gmean;
    }
    if (strcmp(name, "mcc") == 0) {
        return &m->mcc;
    }
    if (strcmp(name, "accuracy") == 0) {
        return &m->accuracy;
    }
    return NULL;
}

/* Value v of a run: the binary metrics for k = 2, the k-class ones they stand for for k > 2,
 * then (multi non-NULL) the k-class additions. *undefined is the reason when the metric applies
 * but is undefined on this fold (then NAN), NULL otherwise; NAN without a reason: it does not
 * apply. */
static double report_run_value(const imbal_run_result *run, size_t v, const char **undefined)
{
    const imbal_metric_value *mv = NULL;
    *undefined = NULL;
    if (v < REPORT_NM && run->k == 2) {
        return report_metric_value(&run->metrics, v);
    }
    if (run->multi == NULL) {
        return NAN;
    }
    if (v < REPORT_NM) {
        mv = report_multi_base(run->multi, v);
    } else {
        mv = (const imbal_metric_value *)((const char *)run->multi +
                                          report_mmetrics[v - REPORT_NM].offset);
    }
    if (mv == NULL) {
        return NAN;
    }
    if (mv->state == IMBAL_METRIC_UNDEFINED) {
        *undefined = mv->reason != NULL ? mv->reason : "undefined";
        return NAN;
    }
    return mv->value;
}

static const char *report_value_name(size_t v)
{
    return v < REPORT_NM ? report_metrics[v].name : report_mmetrics[v - REPORT_NM].name;
}

/* One report row: a dataset x technique slice of runs. */
typedef struct {
    size_t dataset, technique;
    size_t first, n; /* runs[first .. first + n) */
    size_t n_failed; /* of those, runs that failed; the aggregates are over the n - n_failed
                      * others (all zero when none succeeded) */
    size_t fit_count[IMBAL_FIT_N]; /* how the fits of the runs that succeeded ended */
    double mean[REPORT_NV];  /* over the runs where the value is defined; NAN: none is */
    double sd[REPORT_NV];
    size_t n_undefined[REPORT_NV]; /* runs where it applies but is undefined ... */
    const char *why[REPORT_NV];    /* ... and the first such run's reason (static) */
    imbal_confusion cm;      /* summed over runs */
    double res_neg, res_pos; /* mean resampled class counts */
    /* k-class experiments (ex->multiclass) only, else NULL: */
    size_t k;
    size_t *cm_k;            /* k x k confusion summed over runs (rows true) */
    double *res_k;           /* k mean resampled class counts */
} report_row;

/* What a row's aggregates need of one run. */
typedef struct {
    imbal_status status;
    double v[REPORT_NV];
    const char *why[REPORT_NV];
    imbal_confusion cm;
    size_t n_resampled_neg, n_resampled_pos;
    imbal_logreg_fit_status fit;
} report_item;

/* Sums in run order over the runs that succeeded. */
static void report_aggregate(const report_item *runs, report_row *row)
{
    size_t n_ok;
    memset(&row->cm, 0, sizeof(row->cm));
    row->res_neg = 0.0;
    row->res_pos = 0.0;
    row->n_failed = 0;
    memset(row->fit_count, 0, sizeof(row->fit_count));
    for (size_t r = 0; r < row->n; r++) {
        row->n_failed += runs[r].status != IMBAL_OK;
        if (runs[r].status == IMBAL_OK) {
            row->fit_count[(unsigned)runs[r].fit < IMBAL_FIT_N ? runs[r].fit
                                                               : IMBAL_FIT_STALLED]++;
        }
    }
    n_ok = row->n - row->n_failed;
    memset(row->n_undefined, 0, sizeof(row->n_undefined));
    memset(row->why, 0, sizeof(row->why));
    if (n_ok == 0) {
        memset(row->mean, 0, sizeof(row->mean));
        memset(row->sd, 0, sizeof(row->sd));
        return;
    }
    for (size_t k = 0; k < REPORT_NV; k++) {
        double sum = 0.0;
        double ss = 0.0;
        size_t n_def = 0;
        for (size_t r = 0; r < row->n; r++) {
            if (runs[r].status == IMBAL_OK && !isnan(runs[r].v[k])) {
                sum += runs[r].v[k];
                n_def++;
            } else if (runs[r].status == IMBAL_OK && runs[r].why[k] != NULL) {
                if (row->n_undefined[k]++ == 0) {
                    row->why[k] = runs[r].why[k];
                }
            }
        }
        if (n_def == 0) {
            row->mean[k] = NAN;
            row->sd[k] = NAN;
            continue;
        }
        row->mean[k] = sum / (double)n_def;
        for (size_t r = 0; r < row->n; r++) {
            if (runs[r].status == IMBAL_OK && !isnan(runs[r].v[k])) {
                double dv = runs[r].v[k] - row->mean[k];
                ss += dv * dv;
            }
        }
        row->sd[k] = n_def > 1 ? sqrt(ss / (double)(n_def - 1)) : 0.0;
    }
    for (size_t r = 0; r < row->n; r++) {
        if (runs[r].status != IMBAL_OK) {
            continue;
        }
        row->cm.tn += runs[r].cm.tn;
        row->cm.fp += runs[r].cm.fp;
        row->cm.fn += runs[r].cm.fn;
        row->cm.tp += runs[r].cm.tp;
        row->res_neg += (double)runs[r].n_resampled_neg;
        row->res_pos += (double)runs[r].n_resampled_pos;
    }
    row->res_neg /= (double)n_ok;
    row->res_pos /= (double)n_ok;
    for (size_t c = 0; row->res_k != NULL && c < row->k; c++) {
        row->res_k[c] /= (double)n_ok; /* summed by report_acc_add: integers, exact */
    }
}

/* Whether any run of the row succeeded (else it has no aggregates to show). */
static int report_row_ok(const report_row *row) { return row->n > row->n_failed; }

/* The report rows, built from the runs as they come in run order (imbal_experiment_run's
 * sink, or ex->runs): a row's runs are contiguous, so only the current row's runs are kept
 * (what the aggregates read of them), and each row is aggregated by report_aggregate
 * over exactly the runs, in exactly the order, it always was. Memory: the rows and one row's
 * runs, whatever the number of runs. */
typedef struct {
    const imbal_experiment *ex;
    report_row *rows; /* datasets x techniques, in report order */
    size_t n_rows;
    report_item *slice; /* the current row's runs */
    size_t slice_n, slice_cap, cur;
    size_t n_added;
    size_t stopped;   /* runs that succeeded with a fit that did not converge */
    double run_total; /* summed run seconds */
} report_acc;

static imbal_status report_acc_init(report_acc *a, const imbal_experiment *ex, imbal_error *err)
{
    size_t nt = ex->spec->n_techniques;
    memset(a, 0, sizeof(*a));
    a->ex = ex;
    a->n_rows = ex->n_datasets * nt;
    a->rows = imbal_calloc(a->n_rows, sizeof(*a->rows));
    if (a->rows == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < a->n_rows; i++) {
        report_row *row = &a->rows[i];
        row->dataset = i / nt;
        row->technique = i % nt;
        if (ex->multiclass) {
            row->k = ex->data[row->dataset]->n_classes;
            row->cm_k = imbal_calloc(row->k * row->k, sizeof(*row->cm_k));
            row->res_k = imbal_calloc(row->k, sizeof(*row->res_k));
            if (row->cm_k == NULL || row->res_k == NULL) {
                return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
            }
        }
    }
    return IMBAL_OK;
}

static void report_acc_flush(report_acc *a)
{
    if (a->slice_n > 0) {
        a->rows[a->cur].n = a->slice_n;
        report_aggregate(a->slice, &a->rows[a->cur]);
        a->slice_n = 0;
    }
}

/* Adds the next run in run order. */
static imbal_status report_acc_add(report_acc *a, const imbal_run_result *run, imbal_error *err)
{
    size_t k = run->dataset * a->ex->spec->n_techniques + run->technique;
    if (a->slice_n > 0 && k != a->cur) {
        report_acc_flush(a);
    }
    if (a->slice_n == a->slice_cap) {
        size_t cap = a->slice_cap == 0 ? 16 : 2 * a->slice_cap;
        report_item *p = imbal_realloc(a->slice, cap, sizeof(*p));
        if (p == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
        a->slice = p;
        a->slice_cap = cap;
    }
    if (a->slice_n == 0) {
        a->cur = k;
        a->rows[k].first = a->n_added;
    }
    a->slice[a->slice_n].status = run->status;
    for (size_t v = 0; v < REPORT_NV; v++) {
        a->slice[a->slice_n].v[v] = report_run_value(run, v, &a->slice[a->slice_n].why[v]);
    }
    a->slice[a->slice_n].cm = run->metrics.cm;
    if (run->status == IMBAL_OK && a->rows[k].cm_k != NULL && run->multi != NULL &&
        run->k == a->rows[k].k) {
        report_row *row = &a->rows[k];
        for (size_t c = 0; c < row->k * row->k; c++) {
            row->cm_k[c] += run->multi->confusion[c];
        }
        for (size_t c = 0; c < row->k; c++) {
            row->res_k[c] += (double)run->counts[row->k + c];
        }
    }
    a->slice[a->slice_n].n_resampled_neg = run->n_resampled_neg;
    a->slice[a->slice_n].n_resampled_pos = run->n_resampled_pos;
    a->slice[a->slice_n].fit = run->fit;
    a->slice_n++;
    a->n_added++;
    a->stopped += run->status == IMBAL_OK && run->fit != IMBAL_FIT_CONVERGED;
    a->run_total += run->seconds;
    return IMBAL_OK;
}

static void report_acc_free(report_acc *a)
{
    for (size_t i = 0; a->rows != NULL && i < a->n_rows; i++) {
        free(a->rows[i].cm_k);
        free(a->rows[i].res_k);
    }
    free(a->rows);
    free(a->slice);
    memset(a, 0, sizeof(*a));
}

/* The rows from ex->runs (an experiment run without a sink). */
static imbal_status report_acc_all(report_acc *a, const imbal_experiment *ex, imbal_error *err)
{
    imbal_status st = report_acc_init(a, ex, err);
    if (st == IMBAL_OK && ex->n_runs > 0 && ex->runs == NULL) {
        st = imbal_fail(err, IMBAL_EINVAL, "the experiment's results were not kept (a sink ran)");
    }
    for (size_t r = 0; st == IMBAL_OK && r < ex->n_runs; r++) {
        st = report_acc_add(a, &ex->runs[r], err);
    }
    report_acc_flush(a);
    if (st != IMBAL_OK) {
        report_acc_free(a);
    }
    return st;
}

static const char *report_tech_name(const imbal_experiment *ex, size_t t)
{
    return ex->spec->techniques[t].name;
}

/* Per-class precision, recall, F1 and support from a pooled k x k confusion matrix (rows
 * true), as scikit-learn's classification_report (0 where undefined). */
typedef struct {
    size_t k;
    double *precision, *recall, *f1; /* k each */
    size_t *support;                 /* k */
    size_t total;
    double accuracy;
    double macro[3];    /* precision, recall, F1: unweighted mean over the classes */
    double weighted[3]; /* the same weighted by support */
} report_classes;

static double report_ratio(size_t a, size_t b) { return b == 0 ? 0.0 : (double)a / (double)b; }

static void report_classes_free(report_classes *pc)
{
    free(pc->precision);
    free(pc->support);
    memset(pc, 0, sizeof(*pc));
}

/* Fills pc from cm (k x k); 0 when out of memory (pc is then empty). */
static int report_per_class(const size_t *cm, size_t k, report_classes *pc)
{
    size_t diag = 0;
    memset(pc, 0, sizeof(*pc));
    pc->precision = imbal_calloc(3 * k, sizeof(double));
    pc->support = imbal_calloc(k, sizeof(size_t));
    if (pc->precision == NULL || pc->support == NULL) {
        report_classes_free(pc);
        return 0;
    }
    pc->k = k;
    pc->recall = pc->precision + k;
    pc->f1 = pc->precision + 2 * k;
    for (size_t c = 0; c < k; c++) {
        size_t pred = 0;
        size_t actual = 0;
        double p, r;
        for (size_t j = 0; j < k; j++) {
            pred += cm[j * k + c];
            actual += cm[c * k + j];
        }
        p = report_ratio(cm[c * k + c], pred);
        r = report_ratio(cm[c * k + c], actual);
        pc->precision[c] = p;
        pc->recall[c] = r;
        pc->f1[c] = p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0;
        pc->support[c] = actual;
        pc->total += actual;
        diag += cm[c * k + c];
    }
    pc->accuracy = report_ratio(diag, pc->total);
    for (size_t c = 0; c < k; c++) {
        double w = report_ratio(pc->support[c], pc->total);
        double v[3] = {pc->precision[c], pc->recall[c], pc->f1[c]};
        for (int m = 0; m < 3; m++) {
            pc->macro[m] = (c == 0 ? 0.0 : pc->macro[m]) + v[m] / (double)k;
            pc->weighted[m] = (c == 0 ? 0.0 : pc->weighted[m]) + v[m] * w;
        }
    }
    return 1;
}

/* The row's pooled matrix: k x k for a k-class experiment, else the binary counts. */
static int report_row_classes(const report_row *row, report_classes *pc)
{
    size_t cm2[4] = {row->cm.tn, row->cm.fp, row->cm.fn, row->cm.tp};
    if (row->cm_k != NULL && row->k > 2) {
        return report_per_class(row->cm_k, row->k, pc);
    }
    return report_per_class(cm2, 2, pc);
}

/* The published-value check: equal to 1e-12, the precision the parity tests promise. */
static int report_matches(const report_row *row, const imbal_spec_technique *t)
{
    return fabs(row->mean[0] - t->expected) <= 1e-12;
}

static int report_any_expected(const imbal_spec *spec)
{
    for (size_t t = 0; t < spec->n_techniques; t++) {
        if (spec->techniques[t].has_expected) {
            return 1;
        }
    }
    return 0;
}

/* ---- runs.csv ---- */

/* runs.csv's columns. A k-class experiment (ex->multiclass) adds, before n_iter, the k-class
 * metrics (report_mmetrics) and four cells in class order: the rows per class of the training
 * fold, of the resampled fold and of the test fold ("50 20 8"), and the test fold's k x k
 * confusion matrix, rows true, columns predicted ("10 0 0;0 3 1;0 0 2"). */
static void report_runs_header(const imbal_experiment *ex, imbal_buf *b)
{
    imbal_buf_printf(b, "dataset,technique,leaky,repeat,fold,n_train_neg,n_train_pos,"
                        "n_resampled_neg,n_resampled_pos,n_test");
    for (size_t k = 0; k < REPORT_NM; k++) {
        imbal_buf_printf(b, ",%s", report_metrics[k].name);
    }
    imbal_buf_printf(b, ",tn,fp,fn,tp");
    if (ex->multiclass) {
        for (size_t k = 0; k < REPORT_NX; k++) {
            imbal_buf_printf(b, ",%s", report_mmetrics[k].name);
        }
        imbal_buf_printf(b, ",n_train_per_class,n_resampled_per_class,n_test_per_class,"
                            "confusion");
    }
    imbal_buf_printf(b, ",n_iter,converged,fit,status,message\n");
}

/* ",v" or "," for a value that is undefined or does not apply. */
static void report_csv_value(imbal_buf *b, double v)
{
    if (isnan(v)) {
        imbal_buf_printf(b, ",");
    } else {
        imbal_buf_printf(b, ",%.17g", v);
    }
}

/* ",a b c": n counts separated by sep. */
static void report_csv_counts(imbal_buf *b, const size_t *c, size_t n)
{
    imbal_buf_printf(b, ",");
    for (size_t i = 0; i < n; i++) {
        imbal_buf_printf(b, "%s%zu", i ? " " : "", c[i]);
    }
}

static void report_runs_row(const imbal_experiment *ex, const imbal_run_result *run, imbal_buf *b)
{
    size_t extra = ex->multiclass ? REPORT_NX + 4 : 0;
    const char *why;
    imbal_buf_csv_field(b, ex->spec->datasets[run->dataset].name);
    imbal_buf_printf(b, ",");
    imbal_buf_csv_field(b, report_tech_name(ex, run->technique));
    imbal_buf_printf(b, ",%d,%zu,%zu", ex->spec->techniques[run->technique].leaky, run->repeat,
                     run->fold);
    if (run->status != IMBAL_OK) {
        /* a failed run: its coordinates, every number empty, then why */
        for (size_t k = 0; k < 5 + REPORT_NM + 7 + extra; k++) {
            imbal_buf_printf(b, ",");
        }
        imbal_buf_printf(b, ",error,");
        imbal_buf_csv_field(b, run->message != NULL ? run->message : imbal_strerror(run->status));
        imbal_buf_printf(b, "\n");
        return;
    }
    if (run->k == 2) {
        imbal_buf_printf(b, ",%zu,%zu,%zu,%zu,%zu", run->n_train_neg, run->n_train_pos,
                         run->n_resampled_neg, run->n_resampled_pos, run->n_test);
        for (size_t k = 0; k < REPORT_NM; k++) {
            imbal_buf_printf(b, ",%.17g", report_metric_value(&run->metrics, k));
        }
        imbal_buf_printf(b, ",%zu,%zu,%zu,%zu", run->metrics.cm.tn, run->metrics.cm.fp,
                         run->metrics.cm.fn, run->metrics.cm.tp);
    } else {
        imbal_buf_printf(b, ",,,,,%zu", run->n_test);
        for (size_t k = 0; k < REPORT_NM; k++) {
            report_csv_value(b, report_run_value(run, k, &why));
        }
        imbal_buf_printf(b, ",,,,");
    }
    if (ex->multiclass) {
        for (size_t k = REPORT_NM; k < REPORT_NV; k++) {
            report_csv_value(b, report_run_value(run, k, &why));
        }
        for (int part = 0; part < 3; part++) {
            report_csv_counts(b, run->counts + (size_t)part * run->k, run->k);
        }
        imbal_buf_printf(b, ",");
        for (size_t t = 0; run->multi != NULL && t < run->k; t++) {
            for (size_t c = 0; c < run->k; c++) {
                imbal_buf_printf(b, "%s%zu", c ? " " : t ? ";" : "",
                                 run->multi->confusion[t * run->k + c]);
            }
        }
    }
    imbal_buf_printf(b, ",%zu,%d,%s,ok,\n", run->n_iter, run->converged,
                     imbal_logreg_fit_name(run->fit));
}

/* ---- summary.csv ---- */

/* "m: n (reason); ...": the metrics undefined on some runs of row, for summary.csv. */
static void report_undefined_text(const report_row *row, imbal_buf *b)
{
    int first = 1;
    for (size_t v = 0; v < REPORT_NV; v++) {
        if (row->n_undefined[v] > 0) {
            imbal_buf_printf(b, "%s%s: %zu (%s)", first ? "" : "; ", report_value_name(v),
                             row->n_undefined[v], row->why[v]);
            first = 0;
        }
    }
}

/* summary.csv's columns; a k-class experiment adds, after tp, the k-class metrics' means and
 * sds, the mean resampled rows per class and the summed confusion matrix (runs.csv's forms),
 * and "undefined": which metrics were undefined on how many runs, and why. */
static void report_summary_csv(const imbal_experiment *ex, const report_row *rows, size_t n_rows,
                               imbal_buf *b)
{
    imbal_buf_printf(b, "dataset,technique,sampler,leaky,n_runs,n_failed,n_resampled_neg,"
                        "n_resampled_pos");
    for (size_t k = 0; k < REPORT_NM; k++) {
        imbal_buf_printf(b, ",%s_mean,%s_std", report_metrics[k].name, report_metrics[k].name);
    }
    imbal_buf_printf(b, ",tn,fp,fn,tp");
    if (ex->multiclass) {
        for (size_t k = 0; k < REPORT_NX; k++) {
            imbal_buf_printf(b, ",%s_mean,%s_std", report_mmetrics[k].name,
                             report_mmetrics[k].name);
        }
        imbal_buf_printf(b, ",n_resampled_per_class,confusion,undefined");
    }
    imbal_buf_printf(b, ",expected_auc,matches_expected\n");
    for (size_t i = 0; i < n_rows; i++) {
        const report_row *row = &rows[i];
        const imbal_spec_technique *t = &ex->spec->techniques[row->technique];
        int binary = ex->data[row->dataset]->n_classes == 2;
        imbal_buf_csv_field(b, ex->spec->datasets[row->dataset].name);
        imbal_buf_printf(b, ",");
        imbal_buf_csv_field(b, t->name);
        imbal_buf_printf(b, ",");
        imbal_buf_csv_field(b, t->sampler);
        imbal_buf_printf(b, ",%d,%zu,%zu", t->leaky, row->n, row->n_failed);
        if (!report_row_ok(row)) {
            /* every run failed: no aggregate, every number empty */
            size_t extra = ex->multiclass ? 2 * REPORT_NX + 3 : 0;
            for (size_t k = 0; k < 2 + 2 * REPORT_NM + 4 + extra; k++) {
                imbal_buf_printf(b, ",");
            }
            if (t->has_expected) {
                imbal_buf_printf(b, ",%.17g,0\n", t->expected);
            } else {
                imbal_buf_printf(b, ",,\n");
            }
            continue;
        }
        if (binary) {
            imbal_buf_printf(b, ",%.17g,%.17g", row->res_neg, row->res_pos);
        } else {
            imbal_buf_printf(b, ",,");
        }
        for (size_t k = 0; k < REPORT_NM; k++) {
            report_csv_value(b, row->mean[k]);
            report_csv_value(b, row->sd[k]);
        }
        if (binary) {
            imbal_buf_printf(b, ",%zu,%zu,%zu,%zu", row->cm.tn, row->cm.fp, row->cm.fn,
                             row->cm.tp);
        } else {
            imbal_buf_printf(b, ",,,,");
        }
        if (ex->multiclass) {
            for (size_t k = REPORT_NM; k < REPORT_NV; k++) {
                report_csv_value(b, row->mean[k]);
                report_csv_value(b, row->sd[k]);
            }
            imbal_buf_printf(b, ",");
            for (size_t c = 0; c < row->k; c++) {
                imbal_buf_printf(b, "%s%.17g", c ? " " : "", row->res_k[c]);
            }
            imbal_buf_printf(b, ",");
            for (size_t r = 0; r < row->k; r++) {
                for (size_t c = 0; c < row->k; c++) {
                    imbal_buf_printf(b, "%s%zu", c ? " " : r ? ";" : "", row->cm_k[r * row->k + c]);
                }
            }
            imbal_buf_printf(b, ",");
            {
                imbal_buf u = {NULL, 0, 0, 0};
                report_undefined_text(row, &u);
                imbal_buf_csv_field(b, u.s != NULL ? u.s : "");
                b->failed |= u.failed;
                imbal_buf_free(&u);
            }
        }
        if (t->has_expected) {
            imbal_buf_printf(b, ",%.17g,%d\n", t->expected, report_matches(row, t));
        } else {
            imbal_buf_printf(b, ",,\n");
        }
    }
}

/* ---- summary.md ---- */

static void report_md_cell(imbal_buf *b, const report_row *row, size_t k, int best)
{
    const char *em = best ? "**" : "";
    if (row->n - row->n_failed > 1) {
        imbal_buf_printf(b, " %s%.4f ± %.4f%s |", em, row->mean[k], row->sd[k], em);
    } else {
        imbal_buf_printf(b, " %s%.4f%s |", em, row->mean[k], em);
    }
}

static void report_md_table(const imbal_experiment *ex, const report_row *rows, size_t n_rows,
                            size_t dataset, imbal_buf *b)
{
    const imbal_spec *spec = ex->spec;
    int expected = report_any_expected(spec);
    double best[REPORT_NM];
    int any_leaky = 0;
    int any_failed = 0;
    for (size_t k = 0; k < REPORT_NM; k++) {
        best[k] = -INFINITY;
    }
    /* the best value per column among honest, complete rows; leaky rows are optimistic by
     * design */
    for (size_t i = 0; i < n_rows; i++) {
        if (rows[i].dataset != dataset || rows[i].n == 0) {
            continue;
        }
        if (spec->techniques[rows[i].technique].leaky) {
            any_leaky = 1;
            continue;
        }
        if (rows[i].n_failed > 0) {
            continue; /* over fewer runs than the others: not comparable */
        }
        for (size_t k = 0; k < REPORT_NM; k++) {
            if (rows[i].mean[k] > best[k]) {
                best[k] = rows[i].mean[k];
            }
        }
    }
    imbal_buf_printf(b, "| technique | train neg/pos |");
    for (size_t k = 0; k < REPORT_NM; k++) {
        if (report_metrics[k].label != NULL) {
            imbal_buf_printf(b, " %s |", report_metrics[k].label);
        }
    }
    imbal_buf_printf(b, " TN | FP | FN | TP |%s\n",
                     expected ? " AUC (17 digits) | expected AUC | match |" : "");
    imbal_buf_printf(b, "|---|---:|");
    for (size_t k = 0; k < REPORT_NM; k++) {
        if (report_metrics[k].label != NULL) {
            imbal_buf_printf(b, "---:|");
        }
    }
    imbal_buf_printf(b, "---:|---:|---:|---:|%s\n", expected ? "---:|---:|:---:|" : "");
    for (size_t i = 0; i < n_rows; i++) {
        const report_row *row = &rows[i];
        const imbal_spec_technique *t = &spec->techniques[row->technique];
        if (row->dataset != dataset || row->n == 0) {
            continue;
        }
        if (row->n_failed > 0) {
            any_failed = 1;
        }
        if (!report_row_ok(row)) {
            imbal_buf_printf(b, "| %s%s ⚠ FAILED (all %zu runs) | — |", t->name,
                             t->leaky ? " ⚠ LEAKY" : "", row->n);
            for (size_t k = 0; k < REPORT_NM; k++) {
                if (report_metrics[k].label != NULL) {
                    imbal_buf_printf(b, " — |");
                }
            }
            imbal_buf_printf(b, " — | — | — | — |%s\n", expected ? " — | | |" : "");
            continue;
        }
        imbal_buf_printf(b, "| %s%s", t->name, t->leaky ? " ⚠ LEAKY" : "");
        if (row->n_failed > 0) {
            imbal_buf_printf(b, " ⚠ FAILED (%zu of %zu runs)", row->n_failed, row->n);
        }
        imbal_buf_printf(b, " | %.0f/%.0f |", row->res_neg, row->res_pos);
        for (size_t k = 0; k < REPORT_NM; k++) {
            if (report_metrics[k].label != NULL) {
                report_md_cell(b, row, k,
                               !t->leaky && row->n_failed == 0 && row->mean[k] == best[k]);
            }
        }
        imbal_buf_printf(b, " %zu | %zu | %zu | %zu |", row->cm.tn, row->cm.fp, row->cm.fn,
                         row->cm.tp);
        if (expected) {
            imbal_buf_printf(b, " %.17g |", row->mean[0]);
            if (t->has_expected) {
                imbal_buf_printf(b, " %.17g | %s |", t->expected,
                                 report_matches(row, t) ? "yes" : "NO");
            } else {
                imbal_buf_printf(b, " | |");
            }
        }
        imbal_buf_printf(b, "\n");
    }
    if (any_leaky) {
        imbal_buf_printf(b, "\n⚠ LEAKY rows resampled the whole dataset before splitting, so "
                            "copies or interpolations of test rows were trained on: their "
                            "scores are optimistic and must not be compared as results. The "
                            "other rows resample only the training fold.\n");
    }
    if (any_failed) {
        imbal_buf_printf(b, "\n⚠ FAILED rows had runs that failed (runs.csv: status error, "
                            "and the message): their values are over the runs that succeeded "
                            "only, and are not comparable with complete rows.\n");
    }
}

/* A metric's cell in the k-class table: mean ± sd, "—" when undefined on every run, a
 * footnote mark when undefined on some. */
static void report_md_mcell(imbal_buf *b, const report_row *row, size_t v, int best)
{
    const char *em = best ? "**" : "";
    if (isnan(row->mean[v])) {
        imbal_buf_printf(b, " — |");
        return;
    }
    if (row->n - row->n_failed - row->n_undefined[v] > 1) {
        imbal_buf_printf(b, " %s%.4f ± %.4f%s%s |", em, row->mean[v], row->sd[v], em,
                         row->n_undefined[v] > 0 ? " †" : "");
    } else {
        imbal_buf_printf(b, " %s%.4f%s%s |", em, row->mean[v], em,
                         row->n_undefined[v] > 0 ? " †" : "");
    }
}

/* The k-class table of a dataset: macro metrics, the mean resampled rows per class. */
static void report_md_table_multi(const imbal_experiment *ex, const report_row *rows,
                                  size_t n_rows, size_t dataset, imbal_buf *b)
{
    /* columns: the k-class meaning of auc, balanced accuracy, G-mean, MCC, accuracy, then the
     * additions with a label */
    size_t cols[REPORT_NV];
    size_t nc = 0;
    double best[REPORT_NV];
    int any_undefined = 0;
    const imbal_spec *spec = ex->spec;
    static const char *const base_labels[] = {"AUC OvR", "bal. acc.", "G-mean", "MCC",
                                              "accuracy"};
    static const char *const base_names[] = {"auc", "balanced_accuracy", "gmean", "mcc",
                                             "accuracy"};
    for (size_t j = 0; j < 5; j++) {
        for (size_t v = 0; v < REPORT_NM; v++) {
            if (strcmp(report_metrics[v].name, base_names[j]) == 0) {
                cols[nc++] = v;
            }
        }
    }
    for (size_t v = REPORT_NM; v < REPORT_NV; v++) {
        if (report_mmetrics[v - REPORT_NM].label != NULL) {
            cols[nc++] = v;
        }
    }
    for (size_t j = 0; j < nc; j++) {
        best[j] = -INFINITY;
        for (size_t i = 0; i < n_rows; i++) {
            const report_row *row = &rows[i];
            if (row->dataset == dataset && row->n > 0 && row->n_failed == 0 &&
                !spec->techniques[row->technique].leaky && row->mean[cols[j]] > best[j]) {
                best[j] = row->mean[cols[j]];
            }
        }
    }
    imbal_buf_printf(b, "| technique | train per class |");
    for (size_t j = 0; j < nc; j++) {
        imbal_buf_printf(b, " %s |", cols[j] < REPORT_NM ? base_labels[j]
                                                         : report_mmetrics[cols[j] - REPORT_NM].label);
    }
    imbal_buf_printf(b, "\n|---|---:|");
    for (size_t j = 0; j < nc; j++) {
        imbal_buf_printf(b, "---:|");
    }
    imbal_buf_printf(b, "\n");
    for (size_t i = 0; i < n_rows; i++) {
        const report_row *row = &rows[i];
        const imbal_spec_technique *t = &spec->techniques[row->technique];
        if (row->dataset != dataset || row->n == 0) {
            continue;
        }
        imbal_buf_printf(b, "| %s%s", t->name, t->leaky ? " ⚠ LEAKY" : "");
        if (!report_row_ok(row)) {
            imbal_buf_printf(b, " ⚠ FAILED (all %zu runs) | — |", row->n);
            for (size_t j = 0; j < nc; j++) {
                imbal_buf_printf(b, " — |");
            }
            imbal_buf_printf(b, "\n");
            continue;
        }
        if (row->n_failed > 0) {
            imbal_buf_printf(b, " ⚠ FAILED (%zu of %zu runs)", row->n_failed, row->n);
        }
        imbal_buf_printf(b, " | ");
        for (size_t c = 0; c < row->k; c++) {
            imbal_buf_printf(b, "%s%.0f", c ? "/" : "", row->res_k[c]);
        }
        imbal_buf_printf(b, " |");
        for (size_t j = 0; j < nc; j++) {
            any_undefined |= row->n_undefined[cols[j]] > 0;
            report_md_mcell(b, row, cols[j],
                            !t->leaky && row->n_failed == 0 && row->mean[cols[j]] == best[j]);
        }
        imbal_buf_printf(b, "\n");
    }
    imbal_buf_printf(b, "\nAUC OvR: macro one-vs-rest ROC AUC (OvR w.: weighted by support); "
                        "AUC OvO: Hand & Till's one-vs-one; precision, recall and F1 macro: "
                        "unweighted means over the classes; train per class: mean rows per "
                        "class after resampling.\n");
    if (any_undefined) {
        imbal_buf_printf(b, "\n† undefined on some runs, left out of the mean (e.g. a class "
                            "absent from a test fold has no one-vs-rest AUC):\n\n");
        for (size_t i = 0; i < n_rows; i++) {
            const report_row *row = &rows[i];
            imbal_buf u = {NULL, 0, 0, 0};
            if (row->dataset != dataset || row->n == 0 || !report_row_ok(row)) {
                continue;
            }
            report_undefined_text(row, &u);
            if (u.s != NULL && u.s[0] != '\0') {
                imbal_buf_printf(b, "- %s: %s\n", spec->techniques[row->technique].name, u.s);
            }
            b->failed |= u.failed;
            imbal_buf_free(&u);
        }
    }
}

static void report_md_classes(const imbal_experiment *ex, const report_row *row, imbal_buf *b)
{
    const imbal_dataset *ds = ex->data[row->dataset];
    report_classes pc;
    size_t n_ok = row->n - row->n_failed;
    if (!report_row_classes(row, &pc)) {
        b->failed = 1;
        return;
    }
    imbal_buf_printf(b, "\n%s (pooled over %zu run%s):\n\n```\n%14s %9s %9s %9s %9s\n\n",
                     ex->spec->techniques[row->technique].name, n_ok, n_ok == 1 ? "" : "s", "",
                     "precision", "recall", "f1-score", "support");
    for (size_t c = 0; c < pc.k; c++) {
        imbal_buf_printf(b, "%14.14s %9.4f %9.4f %9.4f %9zu\n", ds->class_names[c], pc.precision[c],
                         pc.recall[c], pc.f1[c], pc.support[c]);
    }
    imbal_buf_printf(b, "\n%14s %9s %9s %9.4f %9zu\n", "accuracy", "", "", pc.accuracy, pc.total);
    imbal_buf_printf(b, "%14s %9.4f %9.4f %9.4f %9zu\n", "macro avg", pc.macro[0], pc.macro[1],
                     pc.macro[2], pc.total);
    imbal_buf_printf(b, "%14s %9.4f %9.4f %9.4f %9zu\n```\n", "weighted avg", pc.weighted[0],
                     pc.weighted[1], pc.weighted[2], pc.total);
    if (pc.k > 2) {
        /* the summed confusion matrix, rows true, columns predicted */
        imbal_buf_printf(b, "\nConfusion matrix (rows true, columns predicted):\n\n```\n%14s", "");
        for (size_t c = 0; c < pc.k; c++) {
            imbal_buf_printf(b, " %9.9s", ds->class_names[c]);
        }
        imbal_buf_printf(b, "\n");
        for (size_t r = 0; r < pc.k; r++) {
            imbal_buf_printf(b, "%14.14s", ds->class_names[r]);
            for (size_t c = 0; c < pc.k; c++) {
                imbal_buf_printf(b, " %9zu", row->cm_k[r * pc.k + c]);
            }
            imbal_buf_printf(b, "\n");
        }
        imbal_buf_printf(b, "```\n");
    }
    report_classes_free(&pc);
}

/* How row's fits ended: count[f] runs that succeeded with fit f; returns those that did not
 * converge. */
static size_t report_fit_counts(const report_row *row, size_t count[IMBAL_FIT_N])
{
    memcpy(count, row->fit_count, IMBAL_FIT_N * sizeof(*count));
    return row->n - row->n_failed - count[IMBAL_FIT_CONVERGED];
}

/* "- dataset / technique: k of n (max_iter a, stalled b)" when some fit of row did not
 * converge */
static void report_md_fits(const imbal_experiment *ex, const report_row *row, imbal_buf *b)
{
    size_t count[IMBAL_FIT_N];
    size_t bad = report_fit_counts(row, count);
    if (bad == 0) {
        return;
    }
    imbal_buf_printf(b, "- %s / %s: %zu of %zu (", ex->spec->datasets[row->dataset].name,
                     report_tech_name(ex, row->technique), bad, row->n - row->n_failed);
    for (int f = IMBAL_FIT_CONVERGED + 1; f < IMBAL_FIT_N; f++) {
        imbal_buf_printf(b, "%s%s %zu", f > IMBAL_FIT_CONVERGED + 1 ? ", " : "",
                         imbal_logreg_fit_name((imbal_logreg_fit_status)f), count[f]);
    }
    imbal_buf_printf(b, ")\n");
}

/* The spec's classifier in summary.md's header line: "logistic regression C=1" as ever for
 * the default, else its type. */
static void report_md_classifier(const imbal_spec *spec, imbal_buf *b)
{
    const char *type = imbal_spec_classifier_type(spec, SIZE_MAX);
    const imbal_classifier *clf = imbal_classifier_find(type);
    imbal_param given[IMBAL_PARAM_MAX];
    imbal_param_values pv;
    size_t n = 0;
    imbal_spec_classifier_given(spec, SIZE_MAX, given, NULL, NULL, &n);
    if (clf == imbal_classifier_default() &&
        imbal_classifier_params_parse(clf, given, n, &pv, NULL) == IMBAL_OK) {
        imbal_buf_printf(b, "; logistic regression C=%g", imbal_param_num(&pv, "C"));
    } else {
        imbal_buf_printf(b, "; classifier %s", type);
    }
}

static void report_md(const imbal_experiment *ex, const report_acc *acc, imbal_buf *b)
{
    const report_row *rows = acc->rows;
    size_t n_rows = acc->n_rows;
    const imbal_spec *spec = ex->spec;
    const imbal_spec_evaluation *ev = &spec->eval;
    imbal_buf_printf(b, "# %s\n\n", spec->name);
    imbal_buf_printf(b, "imbal %s; seed %llu%s; protocol %s", IMBAL_VERSION,
                     (unsigned long long)spec->seed,
                     spec->compat == IMBAL_COMPAT_SKLEARN ? " (compat: sklearn)" : "",
                     imbal_protocol_name(ev->protocol));
    if (ev->protocol == IMBAL_PROTOCOL_HOLDOUT) {
        imbal_buf_printf(b, " (test_size %g)", ev->test_size);
    } else if (ev->protocol == IMBAL_PROTOCOL_KFOLD) {
        imbal_buf_printf(b, " (%zu folds)", ev->folds);
    } else if (ev->protocol == IMBAL_PROTOCOL_REPEATED_KFOLD) {
        imbal_buf_printf(b, " (%zu x %zu folds)", ev->repeats, ev->folds);
    }
    report_md_classifier(spec, b);
    imbal_buf_printf(b, "; threshold %g.\n", ev->threshold);
    imbal_buf_printf(b, "Metrics on the untouched test folds, mean ± sample sd over runs; "
                        "TN/FP/FN/TP summed; best value per column in bold.\n");
    {
        size_t stopped = acc->stopped;
        if (stopped > 0) {
            imbal_buf_printf(b,
                             "\n⚠ %zu of %zu fits did not converge: their models are the "
                             "solver's last point, not the optimum (see runs.csv, column fit; "
                             "an lbfgs fit stopped by max_iter is what scikit-learn returns, "
                             "with a ConvergenceWarning):\n\n",
                             stopped, ex->n_runs - ex->n_failed);
            for (size_t i = 0; i < n_rows; i++) {
                report_md_fits(ex, &rows[i], b);
            }
        }
        if (ex->n_failed > 0) {
            imbal_buf_printf(b,
                             "\n⚠ %zu of %zu runs FAILED and are left out of the values below "
                             "(runs.csv: status error, and the message of each).\n",
                             ex->n_failed, ex->n_runs);
        }
    }
    for (size_t i = 0; i < ex->n_datasets; i++) {
        const imbal_dataset *ds = ex->data[i];
        size_t *counts = imbal_calloc(ds->n_classes, sizeof(size_t));
        if (counts == NULL) {
            b->failed = 1;
            return;
        }
        imbal_dataset_class_counts(ds, counts);
        imbal_buf_printf(b, "\n## %s (%zu rows: ", spec->datasets[i].name, ds->n);
        for (size_t c = 0; c < ds->n_classes; c++) {
            imbal_buf_printf(b, "%s%zu %s", c ? ", " : "", counts[c], ds->class_names[c]);
        }
        imbal_buf_printf(b, "; %zu features)\n\n", ds->d);
        free(counts);
        if (ds->n_classes == 2) {
            report_md_table(ex, rows, n_rows, i, b);
        } else {
            report_md_table_multi(ex, rows, n_rows, i, b);
        }
        imbal_buf_printf(b, "\n### Per-class report\n");
        for (size_t r = 0; r < n_rows; r++) {
            if (rows[r].dataset == i && report_row_ok(&rows[r])) {
                report_md_classes(ex, &rows[r], b);
            }
        }
    }
}

imbal_status imbal_report_markdown(const imbal_experiment *ex, char **out, imbal_error *err)
{
    report_acc acc;
    imbal_buf b = {NULL, 0, 0, 0};
    imbal_status st = report_acc_all(&acc, ex, err);
    *out = NULL;
    if (st != IMBAL_OK) {
        return st;
    }
    report_md(ex, &acc, &b);
    report_acc_free(&acc);
    if (b.failed || b.s == NULL) {
        imbal_buf_free(&b);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    *out = b.s;
    return IMBAL_OK;
}

/* ---- summary.json ---- */

static void report_json(const imbal_experiment *ex, const report_acc *acc, int timings,
                        const imbal_buf *spec, imbal_buf *b)
{
    const report_row *rows = acc->rows;
    size_t n_rows = acc->n_rows;
    imbal_buf_printf(b, "{\n  \"imbal_version\": \"%s\",\n  \"spec\": %s", IMBAL_VERSION,
                     spec->s != NULL ? spec->s : "{}");
    imbal_buf_printf(b, ",\n  \"summary\": [");
    for (size_t i = 0; i < n_rows; i++) {
        const report_row *row = &rows[i];
        const imbal_spec_technique *t = &ex->spec->techniques[row->technique];
        const imbal_dataset *ds = ex->data[row->dataset];
        size_t nv = ex->multiclass ? REPORT_NV : REPORT_NM;
        int binary = ds->n_classes == 2;
        report_classes pc;
        imbal_buf_printf(b, "%s\n    {\"dataset\": ", i ? "," : "");
        imbal_buf_json_string(b, ex->spec->datasets[row->dataset].name);
        imbal_buf_printf(b, ", \"technique\": ");
        imbal_buf_json_string(b, t->name);
        imbal_buf_printf(b, ", \"leaky\": %s, \"n_runs\": %zu, \"n_failed\": %zu",
                         t->leaky ? "true" : "false", row->n, row->n_failed);
        if (!report_row_ok(row)) {
            /* every run failed: no aggregate */
            imbal_buf_printf(b, ", \"n_resampled_neg\": null, \"n_resampled_pos\": null,\n"
                                "     \"metrics\": {");
            for (size_t k = 0; k < nv; k++) {
                imbal_buf_printf(b, "%s\"%s\": {\"mean\": null, \"std\": null}", k ? ", " : "",
                                 report_value_name(k));
            }
            imbal_buf_printf(b, "},\n     \"confusion\": null, \"classification_report\": null");
            imbal_buf_printf(b, ",\n     \"fit\": {");
            for (int f = 0; f < IMBAL_FIT_N; f++) {
                imbal_buf_printf(b, "%s\"%s\": 0", f ? ", " : "",
                                 imbal_logreg_fit_name((imbal_logreg_fit_status)f));
            }
            imbal_buf_printf(b, "}");
            if (t->has_expected) {
                imbal_buf_printf(b, ",\n     \"expected_auc\": %.17g, \"matches_expected\": false",
                                 t->expected);
            }
            imbal_buf_printf(b, "}");
            continue;
        }
        if (!report_row_classes(row, &pc)) {
            b->failed = 1;
            return;
        }
        if (binary) {
            imbal_buf_printf(b, ", \"n_resampled_neg\": %.17g, \"n_resampled_pos\": %.17g",
                             row->res_neg, row->res_pos);
        } else {
            imbal_buf_printf(b, ", \"n_resampled_neg\": null, \"n_resampled_pos\": null");
        }
        if (ex->multiclass) {
            imbal_buf_printf(b, ", \"n_resampled_per_class\": [");
            for (size_t c = 0; c < row->k; c++) {
                imbal_buf_printf(b, "%s%.17g", c ? ", " : "", row->res_k[c]);
            }
            imbal_buf_printf(b, "]");
        }
        imbal_buf_printf(b, ",\n     \"metrics\": {");
        for (size_t k = 0; k < nv; k++) {
            imbal_buf_printf(b, "%s\"%s\": {\"mean\": ", k ? ", " : "", report_value_name(k));
            imbal_buf_json_double(b, row->mean[k]);
            imbal_buf_printf(b, ", \"std\": ");
            imbal_buf_json_double(b, row->sd[k]);
            if (row->n_undefined[k] > 0) {
                /* undefined on some runs (a class absent from a test fold): counted, and why */
                imbal_buf_printf(b, ", \"n_undefined\": %zu, \"reason\": ", row->n_undefined[k]);
                imbal_buf_json_string(b, row->why[k]);
            }
            imbal_buf_printf(b, "}");
        }
        if (binary) {
            imbal_buf_printf(b,
                             "},\n     \"confusion\": {\"tn\": %zu, \"fp\": %zu, \"fn\": %zu, "
                             "\"tp\": %zu},\n     \"classification_report\": {",
                             row->cm.tn, row->cm.fp, row->cm.fn, row->cm.tp);
        } else {
            /* k x k, rows true, columns predicted, classes in the order of "labels" */
            imbal_buf_printf(b, "},\n     \"confusion\": {\"labels\": [");
            for (size_t c = 0; c < row->k; c++) {
                imbal_buf_printf(b, "%s", c ? ", " : "");
                imbal_buf_json_string(b, ds->class_names[c]);
            }
            imbal_buf_printf(b, "], \"matrix\": [");
            for (size_t r = 0; r < row->k; r++) {
                imbal_buf_printf(b, "%s[", r ? ", " : "");
                for (size_t c = 0; c < row->k; c++) {
                    imbal_buf_printf(b, "%s%zu", c ? ", " : "", row->cm_k[r * row->k + c]);
                }
                imbal_buf_printf(b, "]");
            }
            imbal_buf_printf(b, "]},\n     \"classification_report\": {");
        }
        for (size_t c = 0; c < pc.k; c++) {
            imbal_buf_json_string(b, ds->class_names[c]);
            imbal_buf_printf(b,
                             ": {\"precision\": %.17g, \"recall\": %.17g, \"f1-score\": %.17g, "
                             "\"support\": %zu}, ",
                             pc.precision[c], pc.recall[c], pc.f1[c], pc.support[c]);
        }
        imbal_buf_printf(b,
                         "\"accuracy\": %.17g, \"macro avg\": {\"precision\": %.17g, "
                         "\"recall\": %.17g, \"f1-score\": %.17g, \"support\": %zu}, "
                         "\"weighted avg\": {\"precision\": %.17g, \"recall\": %.17g, "
                         "\"f1-score\": %.17g, \"support\": %zu}}",
                         pc.accuracy, pc.macro[0], pc.macro[1], pc.macro[2], pc.total,
                         pc.weighted[0], pc.weighted[1], pc.weighted[2], pc.total);
        report_classes_free(&pc);
        {
            /* how the fits ended, every state counted (0 included) */
            size_t count[IMBAL_FIT_N];
            report_fit_counts(row, count);
            imbal_buf_printf(b, ",\n     \"fit\": {");
            for (int f = 0; f < IMBAL_FIT_N; f++) {
                imbal_buf_printf(b, "%s\"%s\": %zu", f ? ", " : "",
                                 imbal_logreg_fit_name((imbal_logreg_fit_status)f), count[f]);
            }
            imbal_buf_printf(b, "}");
        }
        if (t->has_expected) {
            imbal_buf_printf(b, ",\n     \"expected_auc\": %.17g, \"matches_expected\": %s",
                             t->expected,
                             report_matches(row, t) ? "true" : "false");
        }
        imbal_buf_printf(b, "}");
    }
    imbal_buf_printf(b, "\n  ]");
    {
        /* one warning per dataset x technique with fits that did not converge */
        int first = 1;
        imbal_buf_printf(b, ",\n  \"warnings\": [");
        for (size_t i = 0; i < n_rows; i++) {
            size_t count[IMBAL_FIT_N];
            size_t bad = rows[i].n > 0 ? report_fit_counts(&rows[i], count) : 0;
            if (bad > 0) {
                imbal_buf msg = {NULL, 0, 0, 0};
                imbal_buf_printf(&msg, "%s / %s: %zu of %zu fits did not converge (see runs.csv, "
                                       "column fit)",
                                 ex->spec->datasets[rows[i].dataset].name,
                                 report_tech_name(ex, rows[i].technique), bad,
                                 rows[i].n - rows[i].n_failed);
                imbal_buf_printf(b, "%s\n    ", first ? "" : ",");
                imbal_buf_json_string(b, msg.s != NULL ? msg.s : "");
                b->failed |= msg.failed;
                imbal_buf_free(&msg);
                first = 0;
            }
        }
        imbal_buf_printf(b, "%s]", first ? "" : "\n  ");
    }
    if (timings) {
        double run_total = acc->run_total;
        imbal_buf_printf(b,
                         ",\n  \"timings\": {\"threads\": %d, \"n_runs\": %zu, "
                         "\"prepare_seconds\": %.6f, \"runs_wall_seconds\": %.6f, "
                         "\"runs_cpu_seconds\": %.6f}",
                         ex->threads, ex->n_runs, ex->seconds_prepare, ex->seconds_runs, run_total);
    }
    imbal_buf_printf(b, "\n}\n");
}

/* ---- models.csv ---- */

static void report_model_row(const imbal_experiment *ex, const imbal_run_result *run,
                             const char *cls, const char *feature, double value, imbal_buf *b)
{
    imbal_buf_csv_field(b, ex->spec->datasets[run->dataset].name);
    imbal_buf_printf(b, ",");
    imbal_buf_csv_field(b, report_tech_name(ex, run->technique));
    imbal_buf_printf(b, ",%zu,%zu,", run->repeat, run->fold);
    imbal_buf_csv_field(b, cls);
    imbal_buf_printf(b, ",");
    imbal_buf_csv_field(b, feature);
    imbal_buf_printf(b, ",%.17g\n", value);
}

/* Long format, because datasets of one spec may have different features: one block of rows
 * per coefficient block of the model (binary logistic regression: one, its positive class;
 * multinomial: one per class), the intercept first. A model without coefficients (kNN,
 * trees) has no rows. */
static void report_models_rows(const imbal_experiment *ex, const imbal_run_result *run,
                               imbal_buf *b)
{
    const imbal_dataset *ds = ex->data[run->dataset];
    if (run->status != IMBAL_OK || run->coef == NULL) {
        return; /* no model, or not a linear one */
    }
    for (size_t k = 0; k < run->n_blocks; k++) {
        const char *cls = ds->class_names[run->block_class[k]];
        report_model_row(ex, run, cls, "(intercept)", run->intercepts[k], b);
        for (size_t j = 0; j < ds->d; j++) {
            report_model_row(ex, run, cls, ds->feature_names[j], run->coef[k * ds->d + j], b);
        }
    }
}

/* ---- the streaming writer ---- */

/* runs.csv (and models.csv) are written row by row into the output directory's new
 * generation (outdir.h) as the runs arrive; the summaries are added at the end, and the
 * caller's imbal_outdir_commit makes the whole set visible at once. */
struct imbal_report_stream {
    const imbal_experiment *ex;
    imbal_outdir *od;
    int timings;
    report_acc acc;
    imbal_outfile *runs, *models;
    imbal_buf line;
};

/* Appends b to f and empties b. */
static imbal_status report_file_put(imbal_outfile *f, const char *name, imbal_buf *b,
                                    imbal_error *err)
{
    imbal_status st = IMBAL_OK;
    if (b->failed) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory building %s", name);
    }
    if (b->len > 0) {
        st = imbal_outfile_write(f, b->s, b->len, err);
    }
    b->len = 0;
    if (b->s != NULL) {
        b->s[0] = '\0';
    }
    return st;
}

void imbal_report_stream_free(imbal_report_stream *s)
{
    if (s == NULL) {
        return;
    }
    report_acc_free(&s->acc);
    imbal_buf_free(&s->line);
    free(s);
}

imbal_status imbal_report_stream_open(const imbal_experiment *ex, imbal_outdir *od,
                                      const imbal_report_options *opt, imbal_report_stream **out,
                                      imbal_error *err)
{
    imbal_report_stream *s = imbal_calloc(1, sizeof(*s));
    imbal_status st;
    *out = NULL;
    if (s == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    s->ex = ex;
    s->od = od;
    s->timings = opt == NULL || opt->include_timings;
    st = report_acc_init(&s->acc, ex, err);
    if (st == IMBAL_OK) {
        st = imbal_outdir_create(od, "runs.csv", &s->runs, err);
    }
    if (st == IMBAL_OK && opt != NULL && opt->save_models) {
        st = imbal_outdir_create(od, "models.csv", &s->models, err);
    }
    if (st == IMBAL_OK) {
        report_runs_header(s->ex, &s->line);
        st = report_file_put(s->runs, "runs.csv", &s->line, err);
    }
    if (st == IMBAL_OK && s->models != NULL) {
        imbal_buf_printf(&s->line, "dataset,technique,repeat,fold,class,feature,value\n");
        st = report_file_put(s->models, "models.csv", &s->line, err);
    }
    if (st != IMBAL_OK) {
        imbal_report_stream_free(s);
        return st;
    }
    *out = s;
    return IMBAL_OK;
}

imbal_status imbal_report_stream_add(imbal_report_stream *s, const imbal_run_result *run,
                                     imbal_error *err)
{
    imbal_status st = report_acc_add(&s->acc, run, err);
    if (st == IMBAL_OK) {
        report_runs_row(s->ex, run, &s->line);
        st = report_file_put(s->runs, "runs.csv", &s->line, err);
    }
    if (st == IMBAL_OK && s->models != NULL) {
        report_models_rows(s->ex, run, &s->line);
        st = report_file_put(s->models, "models.csv", &s->line, err);
    }
    return st;
}

imbal_status imbal_report_stream_sink(const imbal_run_result *r, size_t index, void *ctx,
                                      imbal_error *err)
{
    (void)index;
    return imbal_report_stream_add(ctx, r, err);
}

imbal_status imbal_report_stream_finish(imbal_report_stream *s, char **markdown, imbal_error *err)
{
    const imbal_experiment *ex = s->ex;
    imbal_buf bufs[5]; /* summary.csv, summary.md, summary.json, resolved.yaml, spec json */
    static const char *const names[4] = {"summary.csv", "summary.md", "summary.json",
                                         "resolved.yaml"};
    imbal_status st;
    if (markdown != NULL) {
        *markdown = NULL;
    }
    memset(bufs, 0, sizeof(bufs));
    if (s->acc.n_added != ex->n_runs) {
        return imbal_fail(err, IMBAL_EINVAL, "%zu of %zu runs were added to the report",
                          s->acc.n_added, ex->n_runs);
    }
    report_acc_flush(&s->acc);
    /* data paths are relative to the path readers use (the generation sits beside it) */
    st = imbal_report_spec(ex, imbal_outdir_path(s->od), &bufs[4], &bufs[3], err);
    report_summary_csv(ex, s->acc.rows, s->acc.n_rows, &bufs[0]);
    report_md(ex, &s->acc, &bufs[1]);
    report_json(ex, &s->acc, s->timings, &bufs[4], &bufs[2]);
    for (size_t i = 0; i < 4; i++) {
        if (bufs[i].failed) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory building %s", names[i]);
        }
    }
    for (size_t i = 0; i < 4 && st == IMBAL_OK; i++) {
        st = imbal_outdir_put(s->od, names[i], bufs[i].s != NULL ? bufs[i].s : "", bufs[i].len,
                              err);
    }
    if (st == IMBAL_OK && markdown != NULL) {
        *markdown = bufs[1].s;
        bufs[1].s = NULL;
    }
    for (size_t i = 0; i < 5; i++) {
        imbal_buf_free(&bufs[i]);
    }
    return st;
}

imbal_status imbal_report_write_into(const imbal_experiment *ex, imbal_outdir *od,
                                     const imbal_report_options *opt, imbal_error *err)
{
    imbal_report_stream *s = NULL;
    imbal_status st;
    if (ex->n_runs > 0 && ex->runs == NULL) {
        return imbal_fail(err, IMBAL_EINVAL, "the experiment's results were not kept (a sink ran)");
    }
    st = imbal_report_stream_open(ex, od, opt, &s, err);
    for (size_t r = 0; st == IMBAL_OK && r < ex->n_runs; r++) {
        st = imbal_report_stream_add(s, &ex->runs[r], err);
    }
    if (st == IMBAL_OK) {
        st = imbal_report_stream_finish(s, NULL, err);
    }
    imbal_report_stream_free(s);
    return st;
}

imbal_status imbal_report_write(const imbal_experiment *ex, const char *dir,
                                const imbal_report_options *opt, imbal_error *err)
{
    imbal_outdir *od = NULL;
    imbal_status st = imbal_outdir_open(dir, &od, err);
    if (st == IMBAL_OK) {
        st = imbal_report_write_into(ex, od, opt, err);
    }
    if (st == IMBAL_OK) {
        st = imbal_outdir_commit(od, err);
    }
    imbal_outdir_close(od);
    return st;
}
