/* k-class classification metrics, matching scikit-learn 1.2 and imbalanced-learn 0.10 with
 * labels = all k classes (so a class absent from the fold still has its row and column):
 *   confusion    k x k counts, row = true class, column = predicted class (confusion_matrix);
 *   accuracy     correct / n;
 *   balanced_accuracy  the mean recall over the classes that occur in y_true (sklearn drops
 *                the others, with a warning);
 *   mcc          multi-class Matthews correlation in scikit-learn's covariance form, 0 when
 *                a marginal variance is 0 (as scikit-learn);
 *   gmean        geometric_mean_score(average='multiclass'): exp(mean(log recall)) over the
 *                classes in y_true or y_pred, 0 when one of those recalls is 0;
 *   precision, recall, f1 per class (zero_division=0: 0 for a class never predicted / never
 *                true; support and predicted say which), their macro means over all k
 *                classes and their support-weighted means;
 *   auc_ovr_macro / auc_ovr_weighted  ROC AUC of each class's probability column against
 *                "this class or not", averaged (weighted by support); UNDEFINED when a class
 *                has no true row (scikit-learn raises), or every row is of that class;
 *   auc_ovo_macro  Hand & Till: for each pair a < b of the classes present in y_true, on the
 *                rows of a or b, the mean of AUC(column a, a vs b) and AUC(column b, b vs a),
 *                averaged over pairs; UNDEFINED with fewer than two classes in y_true.
 * Predictions are the class of highest probability, the first on a tie (numpy's argmax).
 * AUCs count tied scores as half (imbal_roc_auc); means are summed as numpy sums
 * (pairwise.h), so the values agree with scikit-learn to 1e-12 (tests/test_metrics_multi.c).
 * An UNDEFINED value is NAN with a static reason and the class it concerns: never a silent 0.
 * For k = 2 the same definitions apply (OvR of two columns). */
#ifndef IMBAL_METRICS_MULTI_H
#define IMBAL_METRICS_MULTI_H

#include <stddef.h>

#include "imbal/error.h"

typedef enum { IMBAL_METRIC_DEFINED = 0, IMBAL_METRIC_UNDEFINED } imbal_metric_state;

typedef struct {
    double value;             /* NAN when undefined */
    imbal_metric_state state;
    const char *reason;       /* static text when undefined, else NULL */
    size_t cls;               /* the class the reason names, or (size_t)-1 */
} imbal_metric_value;

typedef struct {
    size_t k;                 /* classes */
    size_t n;                 /* rows scored */
    size_t *confusion;        /* k * k, row-major: [true * k + predicted] */
    size_t *support;          /* k: rows whose true class is c */
    size_t *predicted;        /* k: rows predicted as c */
    double *precision;        /* k; 0 when predicted[c] == 0 */
    double *recall;           /* k; 0 when support[c] == 0 */
    double *f1;               /* k; 0 when precision + recall == 0 */
    imbal_metric_value accuracy, balanced_accuracy, mcc, gmean;
    imbal_metric_value auc_ovr_macro, auc_ovr_weighted, auc_ovo_macro;
    imbal_metric_value precision_macro, recall_macro, f1_macro;
    imbal_metric_value precision_weighted, recall_weighted, f1_weighted;
} imbal_metrics_multi;

/* The scalar metrics by name, in the order above ("accuracy", "balanced_accuracy", "mcc",
 * "g_mean", "roc_auc_ovr_macro", "roc_auc_ovr_weighted", "roc_auc_ovo_macro",
 * "precision_macro", ..., "f1_weighted": scikit-learn's words, as the reference files use). */
#define IMBAL_METRICS_MULTI_N 13
const char *imbal_metrics_multi_name(size_t i);
/* The i-th scalar metric (i < IMBAL_METRICS_MULTI_N), or the one named name (NULL if none). */
const imbal_metric_value *imbal_metrics_multi_at(const imbal_metrics_multi *m, size_t i);
const imbal_metric_value *imbal_metrics_multi_get(const imbal_metrics_multi *m,
                                                  const char *name);

/* Predicted class of each of n rows of proba (n x k, row-major): the first highest. */
void imbal_argmax_rows(const double *proba, size_t n, size_t k, int *pred);

/* Every metric of n rows: y_true[i] in 0 .. k-1, proba n x k row-major (class columns in
 * class order; rows need not sum to 1: only ranks and the argmax are used). *out is new,
 * free with imbal_metrics_multi_free. Errors: EINVAL (n = 0, k < 2, a label out of range,
 * a NaN probability; err->line = row + 1), ENOMEM; *out is then NULL. */
imbal_status imbal_metrics_multi_compute(const int *y_true, const double *proba, size_t n,
                                         size_t k, imbal_metrics_multi **out, imbal_error *err);

void imbal_metrics_multi_free(imbal_metrics_multi *m);

#endif
