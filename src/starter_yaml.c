/* The starter spec's YAML text (see starter.h): one section per spec key, each preceded by the
 * comments that explain its values. Values from the data (column names, labels, the path) are
 * written plain when that is unambiguous and double-quoted otherwise; comments show data text
 * with control characters and invalid UTF-8 escaped, so no name can end a comment early or
 * make the file unreadable to libyaml. Comment paragraphs are wrapped at 100 columns. */
#include "imbal/starter.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "strbuf.h"
#include "yaml_text.h"

#define YAML_WIDTH 96
#define YAML_MAX_LISTED 20 /* labels or columns named one by one in a comment */

/* The imbalance ratio as a reader wants it: 167, 129.44, 9.67. */
static void yaml_ratio(imbal_buf *b, double r)
{
    /* exact comparison: whole ratios print without decimals */
    if (r == (double)(long long)r) {
        imbal_buf_printf(b, "%.0f", r);
    } else {
        imbal_buf_printf(b, "%.2f", r);
    }
}

/* Flushes the paragraph in para as comment lines and empties it. */
static void yaml_flush(imbal_buf *b, imbal_buf *para, const char *indent)
{
    if (para->failed) {
        b->failed = 1;
    } else if (para->len > 0) {
        imbal_yaml_comment(b, indent, para->s, YAML_WIDTH);
    }
    para->len = 0;
    if (para->s != NULL) {
        para->s[0] = '\0';
    }
}

/* Class indices by count, largest first (ties in class order): for listing labels. */
static size_t *yaml_by_count(const imbal_inspection *in)
{
    size_t *order = imbal_malloc(in->n_classes, sizeof(*order));
    if (order == NULL) {
        return NULL;
    }
    for (size_t c = 0; c < in->n_classes; c++) {
        size_t k = c;
        while (k > 0 && in->class_counts[order[k - 1]] < in->class_counts[c]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = c;
    }
    return order;
}

typedef struct {
    const imbal_inspection *in;
    const imbal_starter_plan *plan;
    const char *command;
    imbal_buf *b;    /* the spec */
    imbal_buf *para; /* the comment paragraph being built */
} yaml_ctx;

static void yaml_header(yaml_ctx *y, const char *name)
{
    imbal_buf *p = y->para;
    imbal_buf_printf(p, "Starter spec for ");
    imbal_yaml_safe(p, y->in->path);
    if (y->command != NULL) {
        imbal_buf_printf(p, ", written by `");
        imbal_yaml_safe(p, y->command);
        imbal_buf_printf(p, "`");
    }
    imbal_buf_printf(p, ". It compares every resampling technique that applies to this data "
                        "under stratified repeated cross-validation, and each choice is "
                        "explained in a comment next to it; edit freely, `imbal validate` checks "
                        "the result. Paths are relative to this file's directory.");
    yaml_flush(y->b, p, "");
    imbal_buf_printf(y->b, "\nname: ");
    imbal_yaml_scalar(y->b, name);
    imbal_buf_printf(y->b, "\n# the report is written to results/<name>/ (imbal run -o DIR "
                           "chooses another directory)\n");
    imbal_buf_printf(y->b, "seed: 42\n# the master seed: folds and resampling are drawn from it, "
                           "so a rerun gives the same numbers\n\n");
}

static const char *yaml_target_why(imbal_target_reason r, imbal_format f)
{
    if (r == IMBAL_TARGET_GIVEN) {
        return "as given with --target";
    }
    if (r == IMBAL_TARGET_KEEL_OUTPUTS) {
        return "the @outputs attribute of the KEEL header (imbal init --target COL picks "
               "another)";
    }
    return f == IMBAL_FORMAT_KEEL ? "the last attribute, as the header has no @outputs (imbal "
                                    "init --target COL picks another)"
                                  : "the last column, the CSV default (imbal init --target COL "
                                    "picks another)";
}

/* "Classes of 'class' (8 labels): cp 143, im 77, ..." and the one-vs-rest note. */
static void yaml_classes(yaml_ctx *y, const size_t *order)
{
    const imbal_inspection *in = y->in;
    imbal_buf *p = y->para;
    imbal_buf_printf(p, "Classes (%zu labels): ", in->n_classes);
    for (size_t k = 0; k < in->n_classes && k < YAML_MAX_LISTED; k++) {
        imbal_buf_printf(p, "%s", k > 0 ? ", " : "");
        imbal_yaml_name(p, in->class_names[order[k]]);
        imbal_buf_printf(p, " %zu", in->class_counts[order[k]]);
    }
    if (in->n_classes > YAML_MAX_LISTED) {
        imbal_buf_printf(p, " and %zu more labels. So many labels: is this really the class "
                            "column?", in->n_classes - YAML_MAX_LISTED);
    } else {
        imbal_buf_printf(p, ".");
    }
    if (in->n_classes > 2) {
        imbal_buf_printf(p, " The classifier is binary, so one label is the positive class and "
                            "the other %zu together the negative one (one-vs-rest).",
                         in->n_classes - 1);
    }
    yaml_flush(y->b, p, "  ");
}

/* Why this positive: given, or the minority, with its ties and the singletons passed over. */
static void yaml_positive(yaml_ctx *y, const size_t *order)
{
    const imbal_inspection *in = y->in;
    imbal_buf *p = y->para;
    size_t pos = in->positive;
    imbal_buf_printf(p, "Positive: ");
    imbal_yaml_name(p, in->class_names[pos]);
    if (in->positive_why == IMBAL_POSITIVE_GIVEN) {
        imbal_buf_printf(p, ", as given with --positive (%zu rows).", in->n_positive);
    } else {
        imbal_buf_printf(p, ", the least frequent label (%zu rows)", in->n_positive);
        if (in->n_classes > 2 && in->n_singletons > 0) {
            imbal_buf_printf(p, " of those with 2 rows or more (a label with one row cannot be "
                                "in both a training and a test fold; it stays negative)");
        }
        if (in->n_tied > 1) {
            size_t listed = 0;
            imbal_buf_printf(p, "; ");
            for (size_t k = 0; k < in->n_classes; k++) {
                size_t c = order[k];
                if (c != pos && in->class_counts[c] == in->n_positive && listed < YAML_MAX_LISTED) {
                    imbal_buf_printf(p, "%s", listed > 0 ? ", " : "");
                    imbal_yaml_name(p, in->class_names[c]);
                    listed++;
                }
            }
            imbal_buf_printf(p, " %s as many, and the tie goes to the later label in sorted "
                                "order, the loader's own rule for two labels",
                             in->n_tied > 2 ? "have" : "has");
        }
        imbal_buf_printf(p, ". The scores of the report (precision, recall, F1, the AUCs) are "
                            "about this class; imbal init --positive LABEL picks another.");
    }
    yaml_flush(y->b, p, "  ");
    imbal_buf_printf(p, "Imbalance ratio ");
    yaml_ratio(p, in->imbalance_ratio);
    imbal_buf_printf(p, ": %zu negative rows per %zu positive ones.", in->n_negative,
                     in->n_positive);
    yaml_flush(y->b, p, "  ");
}

/* With more than two labels and a positive too small for the full plan: a larger label. */
static void yaml_suggest(yaml_ctx *y)
{
    const imbal_inspection *in = y->in;
    const imbal_starter_plan *plan = y->plan;
    imbal_buf *p = y->para;
    if (plan->suggest >= in->n_classes) {
        return;
    }
    imbal_buf_printf(p, "So few positive rows limit the experiment (%zu folds", plan->folds);
    for (size_t r = 0; r < plan->n_rows; r++) {
        if (!plan->rows[r].included) {
            imbal_buf_printf(p, ", %s left out", plan->rows[r].name);
        } else if (plan->rows[r].k_neighbors >= 0 && plan->rows[r].k_neighbors < 5) {
            imbal_buf_printf(p, ", %s with k_neighbors %ld", plan->rows[r].name,
                             plan->rows[r].k_neighbors);
        }
    }
    imbal_buf_printf(p, "). To study a larger class, e.g. ");
    imbal_yaml_name(p, in->class_names[plan->suggest]);
    imbal_buf_printf(p, " (%zu rows, the smallest label with enough for 5 folds and SMOTE's "
                        "default k_neighbors), write the spec again with: imbal init ",
                     in->class_counts[plan->suggest]);
    imbal_yaml_safe(p, in->path);
    imbal_buf_printf(p, " --positive ");
    imbal_yaml_name(p, in->class_names[plan->suggest]);
    yaml_flush(y->b, p, "  ");
}

typedef enum { NAMES_ALL, NAMES_CODES, NAMES_IDS } yaml_names_kind;

/* Whether a numeric column looks like category codes (whole numbers, few distinct values) or
 * a row identifier (a different whole number in every row). */
static int yaml_pick(const imbal_inspection *in, const imbal_column_info *col, yaml_names_kind k)
{
    if (k == NAMES_CODES) {
        return col->whole_numbers && col->n_distinct <= 10;
    }
    if (k == NAMES_IDS) {
        return col->whole_numbers && col->n_distinct == in->n_rows && in->n_rows > 20;
    }
    return 1;
}

/* Names of the columns with role (and kind) into the paragraph: "a, b" or the first ones and a
 * count. Returns how many there are. */
static size_t yaml_names(imbal_buf *p, const imbal_inspection *in, imbal_inspect_role role,
                         yaml_names_kind kind)
{
    size_t listed = 0;
    size_t total = 0;
    for (size_t j = 0; j < in->n_columns; j++) {
        const imbal_column_info *col = &in->columns[j];
        if (col->role != role || !yaml_pick(in, col, kind)) {
            continue;
        }
        total++;
        if (p != NULL && listed < YAML_MAX_LISTED) {
            imbal_buf_printf(p, "%s", listed > 0 ? ", " : "");
            imbal_yaml_name(p, col->name);
            listed++;
        }
    }
    if (p != NULL && total > listed) {
        imbal_buf_printf(p, " and %zu more", total - listed);
    }
    return total;
}

static void yaml_categorical(yaml_ctx *y)
{
    const imbal_inspection *in = y->in;
    imbal_buf *p = y->para;
    size_t n_cat = imbal_inspection_count_role(in, IMBAL_ROLE_CATEGORICAL);
    if (n_cat == 0) {
        imbal_buf_printf(p, "Categorical columns: none, every feature column is numeric.");
        yaml_flush(y->b, p, "  ");
        return;
    }
    imbal_buf_printf(p, "Categorical columns, one-hot encoded with the first of the sorted "
                        "categories dropped (a column of k categories becomes k - 1 columns):");
    yaml_flush(y->b, p, "  ");
    for (size_t j = 0; j < in->n_columns; j++) {
        const imbal_column_info *col = &in->columns[j];
        if (col->role != IMBAL_ROLE_CATEGORICAL) {
            continue;
        }
        imbal_buf_printf(p, "  ");
        imbal_yaml_name(p, col->name);
        imbal_buf_printf(p, ": %zu categories; ", col->n_distinct);
        if (col->why == IMBAL_CATEGORICAL_NOMINAL) {
            imbal_buf_printf(p, "a nominal {...} attribute of the KEEL header.");
        } else {
            imbal_buf_printf(p, "%s is not a number ('", col->why == IMBAL_CATEGORICAL_FIRST_CELL
                                                            ? "its first value"
                                                            : "a later value");
            imbal_yaml_safe(p, col->first_text);
            imbal_buf_printf(p, "' on line %ld)", col->first_text_line);
            if (col->n_numbers > 0) {
                /* the loader refuses such a column unlisted: say what listing it means */
                imbal_buf_printf(p, ", though %zu of its %zu values are numbers: listed, every "
                                    "value becomes a category; if '",
                                 col->n_numbers, in->n_rows);
                imbal_yaml_safe(p, col->first_text);
                imbal_buf_printf(p, "' marks a missing value, fix the data instead (imbal does "
                                    "not impute)");
            }
            if (col->n_distinct * 2 > in->n_rows && in->n_rows > 20) {
                imbal_buf_printf(p, "; most of its values differ, so it adds many columns: is "
                                    "it an identifier or free text?");
            } else {
                imbal_buf_printf(p, ".");
            }
        }
        yaml_flush(y->b, p, "  ");
    }
}

static void yaml_numeric(yaml_ctx *y)
{
    const imbal_inspection *in = y->in;
    imbal_buf *p = y->para;
    size_t n_num = imbal_inspection_count_role(in, IMBAL_ROLE_NUMERIC);
    if (n_num > 0) {
        imbal_buf_printf(p, "Numeric columns (%zu): ", n_num);
        yaml_names(p, in, IMBAL_ROLE_NUMERIC, NAMES_ALL);
        imbal_buf_printf(p, ".");
        yaml_flush(y->b, p, "  ");
    }
    if (yaml_names(NULL, in, IMBAL_ROLE_NUMERIC, NAMES_CODES) > 0) {
        yaml_names(p, in, IMBAL_ROLE_NUMERIC, NAMES_CODES);
        imbal_buf_printf(p, ": whole numbers with at most 10 distinct values, kept numeric; if "
                            "they are codes for categories rather than amounts, add them to "
                            "categorical.");
        yaml_flush(y->b, p, "  ");
    }
    if (yaml_names(NULL, in, IMBAL_ROLE_NUMERIC, NAMES_IDS) > 0) {
        yaml_names(p, in, IMBAL_ROLE_NUMERIC, NAMES_IDS);
        imbal_buf_printf(p, ": a different whole number in every row; if that is a row "
                            "identifier it should not be a feature (remove the column from the "
                            "file%s).", in->format == IMBAL_FORMAT_KEEL ? " or from @inputs" : "");
        yaml_flush(y->b, p, "  ");
    }
    if (yaml_names(NULL, in, IMBAL_ROLE_SKIPPED, NAMES_ALL) > 0) {
        imbal_buf_printf(p, "Not loaded (in neither @inputs nor @outputs): ");
        yaml_names(p, in, IMBAL_ROLE_SKIPPED, NAMES_ALL);
        imbal_buf_printf(p, ".");
        yaml_flush(y->b, p, "  ");
    }
    imbal_buf_printf(p, "The classifier sees %zu feature columns.", in->n_features);
    yaml_flush(y->b, p, "  ");
}

static void yaml_dataset(yaml_ctx *y, const char *data_path)
{
    const imbal_inspection *in = y->in;
    imbal_buf *p = y->para;
    imbal_buf *b = y->b;
    size_t *order = yaml_by_count(in);
    if (order == NULL) {
        b->failed = 1;
        return;
    }
    imbal_buf_printf(b, "datasets:\n");
    imbal_yaml_safe(p, in->path);
    imbal_buf_printf(p, ": %s, %zu rows, %zu columns.",
                     in->format == IMBAL_FORMAT_KEEL ? "KEEL" : "CSV", in->n_rows, in->n_columns);
    yaml_flush(b, p, "  ");
    imbal_buf_printf(p, "Target: ");
    imbal_yaml_name(p, in->columns[in->target].name);
    imbal_buf_printf(p, ", %s.", yaml_target_why(in->target_why, in->format));
    yaml_flush(b, p, "  ");
    yaml_classes(y, order);
    yaml_positive(y, order);
    yaml_suggest(y);
    if (in->decimal == ',') {
        imbal_buf_printf(p, "Numbers are written with a decimal comma (column ");
        imbal_yaml_name(p, in->columns[in->decimal_column].name);
        imbal_buf_printf(p, ", line %ld): read with decimal: \",\".", in->decimal_line);
        yaml_flush(b, p, "  ");
    }
    yaml_categorical(y);
    yaml_numeric(y);
    free(order);
    imbal_buf_printf(b, "  - name: ");
    imbal_yaml_scalar(b, in->stem);
    imbal_buf_printf(b, "\n    path: ");
    imbal_yaml_scalar(b, data_path);
    imbal_buf_printf(b, "\n    format: %s\n", in->format == IMBAL_FORMAT_KEEL ? "keel" : "csv");
    if (in->decimal == ',') {
        imbal_buf_printf(b, "    decimal: \",\"\n");
    }
    imbal_buf_printf(b, "    target: ");
    imbal_yaml_scalar(b, in->columns[in->target].name);
    imbal_buf_printf(b, "\n    positive: ");
    imbal_yaml_scalar(b, in->class_names[in->positive]);
    imbal_buf_printf(b, "\n");
    if (imbal_inspection_count_role(in, IMBAL_ROLE_CATEGORICAL) > 0) {
        size_t listed = 0;
        imbal_buf_printf(b, "    categorical: [");
        for (size_t j = 0; j < in->n_columns; j++) {
            if (in->columns[j].role == IMBAL_ROLE_CATEGORICAL) {
                imbal_buf_printf(b, "%s", listed++ > 0 ? ", " : "");
                imbal_yaml_scalar(b, in->columns[j].name);
            }
        }
        imbal_buf_printf(b, "]\n");
    }
    imbal_buf_printf(b, "\n");
}

static void yaml_evaluation(yaml_ctx *y)
{
    const imbal_inspection *in = y->in;
    const imbal_starter_plan *plan = y->plan;
    imbal_buf *p = y->para;
    imbal_buf *b = y->b;
    imbal_buf_printf(b, "evaluation:\n");
    imbal_buf_printf(p, "Stratified repeated k-fold cross-validation: every fold keeps the "
                        "class ratio, each repeat shuffles anew, and every technique is scored "
                        "on the same folds, so the rows of the report are paired.");
    yaml_flush(b, p, "  ");
    if (plan->folds == 5) {
        imbal_buf_printf(p, "folds: 5, the usual choice");
    } else {
        imbal_buf_printf(p, "folds: %zu, fewer than the usual 5: at most the rows of the smaller "
                            "class (%zu), so that every test fold holds at least one of them",
                         plan->folds, in->n_positive < in->n_negative ? in->n_positive
                                                                      : in->n_negative);
    }
    if (plan->test_positive_min == plan->test_positive_max) {
        imbal_buf_printf(p, ". Each test fold holds %zu", plan->test_positive_min);
    } else {
        imbal_buf_printf(p, ". Each test fold holds %zu or %zu", plan->test_positive_min,
                         plan->test_positive_max);
    }
    imbal_buf_printf(p, " of the %zu positive rows and each training fold %zu or more.",
                     in->n_positive, plan->train_positive_min);
    yaml_flush(b, p, "  ");
    imbal_buf_printf(p, "repeats: %zu, so %zu test folds score each technique",
                     plan->repeats, plan->repeats * plan->folds);
    if (in->n_rows > IMBAL_STARTER_BIG_ROWS) {
        imbal_buf_printf(p, ", fewer than the usual 50 as the data has more than %d rows; "
                            "raise repeats for a final comparison",
                         IMBAL_STARTER_BIG_ROWS);
    } else if (plan->folds != 5) {
        imbal_buf_printf(p, ", about as many as the usual 5 folds x 10 repeats: with few "
                            "positive rows per test fold, single scores are noisy");
    }
    imbal_buf_printf(p, "; the report gives their mean and standard deviation.");
    yaml_flush(b, p, "  ");
    imbal_buf_printf(b, "  protocol: repeated_kfold\n  folds: %zu\n  repeats: %zu\n",
                     plan->folds, plan->repeats);
    imbal_buf_printf(p, "A score >= threshold is predicted positive: precision, recall, F1 and "
                        "the like depend on it, the ROC and PR AUCs do not.");
    yaml_flush(b, p, "  ");
    imbal_buf_printf(b, "  threshold: 0.5\n\n");
}

static void yaml_classifier(yaml_ctx *y)
{
    imbal_buf *b = y->b;
    imbal_buf *p = y->para;
    imbal_buf_printf(b, "classifier:\n");
    imbal_buf_printf(p, "L2-penalised logistic regression fitted to its optimum; C is the "
                        "inverse penalty strength (1.0, scikit-learn's default).");
    yaml_flush(b, p, "  ");
    imbal_buf_printf(b, "  type: logistic_regression\n  C: 1.0\n");
    imbal_buf_printf(p, "No class weights for the baseline: the class_weight_balanced row below "
                        "sets its own.");
    yaml_flush(b, p, "  ");
    imbal_buf_printf(b, "  class_weight: none\n");
    imbal_buf_printf(p, "standardize: z-scores each column with the training fold's mean and "
                        "standard deviation (never the test fold's), so the penalty treats "
                        "columns alike whatever their units; false fits the raw columns, as "
                        "scikit-learn's LogisticRegression() on unscaled data.");
    yaml_flush(b, p, "  ");
    imbal_buf_printf(b, "  standardize: true\n\n");
}

static void yaml_techniques(yaml_ctx *y)
{
    const imbal_starter_plan *plan = y->plan;
    imbal_buf *b = y->b;
    imbal_buf *p = y->para;
    imbal_buf_printf(b, "techniques:\n");
    imbal_buf_printf(p, "The rows of the report. Each technique resamples the training fold only "
                        "(the test fold is never touched), then the classifier above is fitted "
                        "on the result. Samplers use their default sampling_strategy, auto: the "
                        "classes come out equal. imbal techniques lists every parameter.");
    yaml_flush(b, p, "  ");
    for (size_t r = 0; r < plan->n_rows; r++) {
        const imbal_starter_row *row = &plan->rows[r];
        imbal_buf_printf(b, "\n");
        if (!row->included) {
            imbal_buf_printf(p, "Left out: %s. %s", row->name, row->why);
            yaml_flush(b, p, "  ");
            continue;
        }
        imbal_buf_printf(p, "%s", row->why);
        yaml_flush(b, p, "  ");
        imbal_buf_printf(b, "  - {name: %s, sampler: %s", row->name, row->sampler);
        if (row->k_neighbors > 0) {
            imbal_buf_printf(b, ", params: {k_neighbors: %ld}", row->k_neighbors);
        }
        if (row->class_weight_balanced) {
            imbal_buf_printf(b, ", class_weight: balanced");
        }
        imbal_buf_printf(b, "}\n");
    }
}

/* Every data text the spec holds as a value must be UTF-8, since YAML is. */
static imbal_status yaml_check_utf8(const imbal_inspection *in, const char *data_path,
                                    imbal_error *err)
{
    const char *bad = NULL;
    const char *what = NULL;
    if (!imbal_yaml_utf8_valid(data_path)) {
        bad = data_path;
        what = "the data path";
    } else if (!imbal_yaml_utf8_valid(in->stem)) {
        bad = in->stem;
        what = "the file name";
    } else if (!imbal_yaml_utf8_valid(in->columns[in->target].name)) {
        bad = in->columns[in->target].name;
        what = "the target column's name";
    } else if (!imbal_yaml_utf8_valid(in->class_names[in->positive])) {
        bad = in->class_names[in->positive];
        what = "the positive label";
    }
    for (size_t j = 0; bad == NULL && j < in->n_columns; j++) {
        const imbal_column_info *col = &in->columns[j];
        if (col->role == IMBAL_ROLE_CATEGORICAL && !imbal_yaml_utf8_valid(col->name)) {
            bad = col->name;
            what = "a categorical column's name";
        }
    }
    if (bad == NULL) {
        return IMBAL_OK;
    }
    imbal_fail_at(err, IMBAL_EINVAL, in->path, 0, 0,
                  "%s is not valid UTF-8, which a YAML spec must be: recode the file as UTF-8",
                  what);
    imbal_error_set_key(err, bad);
    return IMBAL_EINVAL;
}

imbal_status imbal_starter_yaml(const imbal_inspection *in, const imbal_starter_plan *plan,
                                const char *name, const char *data_path, const char *command,
                                char **out, imbal_error *err)
{
    imbal_buf b = {NULL, 0, 0, 0};
    imbal_buf para = {NULL, 0, 0, 0};
    yaml_ctx y = {in, plan, command, &b, &para};
    imbal_status st;
    *out = NULL;
    st = yaml_check_utf8(in, data_path, err);
    if (st == IMBAL_OK && !imbal_yaml_utf8_valid(name)) {
        st = imbal_fail(err, IMBAL_EINVAL, "the spec name is not valid UTF-8");
    }
    if (st != IMBAL_OK) {
        return st;
    }
    yaml_header(&y, name);
    yaml_dataset(&y, data_path);
    yaml_evaluation(&y);
    yaml_classifier(&y);
    yaml_techniques(&y);
    if (b.failed || para.failed) {
        imbal_buf_free(&b);
        imbal_buf_free(&para);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory writing the starter spec");
    }
    imbal_buf_free(&para);
    *out = b.s;
    return IMBAL_OK;
}
