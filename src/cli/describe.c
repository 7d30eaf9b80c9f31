/* What the loader decided about each dataset, in words: `imbal validate` prints the rows,
 * the positive class and why, and each column's type (numeric, or categorical with its
 * levels); `imbal run` notes a positive class the rule picked. The library returns these as
 * data (dataset.h: imbal_columns), so only this file phrases them. */
#include <stdio.h>

#include "cli.h"

/* Why class 1 is the positive one, or NULL when the spec named it. */
static const char *describe_why(const imbal_dataset *ds)
{
    if (ds->columns == NULL) {
        return NULL;
    }
    switch (ds->columns->positive_rule) {
    case IMBAL_POSRULE_RARER:
        return "the less frequent of 2 labels; set positive: to choose";
    case IMBAL_POSRULE_TIE:
        return "2 labels of equal counts: the later in sorted order; set positive: to choose";
    default:
        return NULL;
    }
}

void imbal_cli_note_positive(FILE *out, const char *name, const imbal_dataset *ds)
{
    const char *why = describe_why(ds);
    if (why != NULL) {
        fprintf(out, "imbal: note: dataset '%s': positive class '%s' (%s)\n", name,
                ds->class_names[1], why);
    }
}

/* Columns printed by name before the rest are summed up. */
#define DESCRIBE_MAX_NAMED 50

void imbal_cli_describe_dataset(FILE *out, const char *name, const imbal_dataset *ds)
{
    const imbal_columns *cm = ds->columns;
    const char *why = describe_why(ds);
    size_t shown = 0;
    size_t numeric = 0;
    size_t categorical = 0;
    if (cm == NULL) {
        return; /* synthetic: its classes are negative and positive by construction */
    }
    if (ds->n_classes > 2) {
        /* no positive class: the classes stay k classes (positive: makes it one-vs-rest) */
        fprintf(out, "  %s: %zu rows, %zu features; %zu classes:", name, ds->n, ds->d,
                ds->n_classes);
        for (size_t c = 0; c < ds->n_classes; c++) {
            fprintf(out, "%s '%s'", c ? "," : "", ds->class_names[c]);
        }
        fprintf(out, "\n");
    } else {
        fprintf(out, "  %s: %zu rows, %zu features; positive class '%s' (%s)\n", name, ds->n,
                ds->d, ds->class_names[1], why != NULL ? why : "set by positive:");
    }
    if (cm->decimal == ',') {
        fprintf(out, "    numbers read with a decimal comma (decimal: \",\")\n");
    }
    for (size_t j = 0; j < cm->n_columns; j++) {
        const imbal_column *c = &cm->columns[j];
        if (c->role == IMBAL_COLUMN_TARGET) {
            fprintf(out, "    %s: target (%zu labels)\n", c->name, c->n_levels);
            continue;
        }
        numeric += c->role == IMBAL_COLUMN_NUMERIC;
        categorical += c->role == IMBAL_COLUMN_CATEGORICAL;
        if (shown++ >= DESCRIBE_MAX_NAMED) {
            continue;
        }
        if (c->role == IMBAL_COLUMN_NUMERIC) {
            fprintf(out, "    %s: numeric\n", c->name);
        } else {
            fprintf(out, "    %s: categorical, %zu levels (%zu one-hot columns)\n", c->name,
                    c->n_levels, c->n_levels - 1);
        }
    }
    if (shown > DESCRIBE_MAX_NAMED) {
        fprintf(out, "    ... %zu more columns; in all %zu numeric, %zu categorical\n",
                shown - DESCRIBE_MAX_NAMED, numeric, categorical);
    }
}
