/* A program from outside the tree: scripts/install-test.sh builds it against an installed
 * imbal with nothing but `pkg-config --cflags --libs imbal`, statically and against the
 * shared library. It checks one metric against a hand-computed value, then runs a whole
 * experiment (spec, data, GSL, libyaml and OpenMP underneath) and prints each run's ROC AUC,
 * which the script compares with the installed imbal's runs.csv. */
#include <imbal/metrics.h>
#include <imbal/runner.h>
#include <imbal/spec.h>
#include <math.h>
#include <stdio.h>

/* Prints every run's ROC AUC of the spec at path, one thread. Returns the exit status. */
static int prog_run_spec(const char *path)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_run_options ro = {1, 0, NULL, NULL, NULL, NULL};
    imbal_error err;
    imbal_status st = imbal_spec_load(path, &spec, &errs);
    imbal_error_clear(&err);
    if (st == IMBAL_OK) {
        st = imbal_experiment_prepare(spec, &ex, &err);
    }
    if (st == IMBAL_OK) {
        st = imbal_experiment_run(ex, &ro, &err);
    }
    if (st == IMBAL_OK) {
        for (size_t r = 0; r < ex->n_runs; r++) {
            printf("%.17g\n", ex->runs[r].metrics.roc_auc);
        }
    } else {
        fprintf(stderr, "prog: %s: %s %s\n", path, imbal_strerror(st),
                errs.n > 0 ? errs.items[0].msg : err.msg);
    }
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
    return st == IMBAL_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    /* 6 (pos, neg) pairs: 4 ordered, 1 tied, 1 inverted -> (4 + 0.5) / 6 */
    const double score[] = {0.9, 0.4, 0.8, 0.4, 0.1};
    const int label[] = {1, 1, 0, 0, 0};
    const int one_class[] = {0, 0, 0, 0, 0};
    double auc = -1.0;
    imbal_error err;
    imbal_status st = imbal_roc_auc(score, label, 5, &auc, NULL);
    if (st != IMBAL_OK || fabs(auc - 0.75) > 1e-15) {
        fprintf(stderr, "prog: roc_auc %s %.17g, expected 0.75\n", imbal_strerror(st), auc);
        return 1;
    }
    imbal_error_clear(&err);
    st = imbal_roc_auc(score, one_class, 5, &auc, &err);
    /* on error *out is left unchanged: the very same value, hence == */
    if (st != IMBAL_EINVAL || err.status != IMBAL_EINVAL || auc != 0.75) {
        fprintf(stderr, "prog: one class gave %s, auc %.17g\n", imbal_strerror(st), auc);
        return 1;
    }
    printf("roc_auc 0.75 ok; one class: %s\n", imbal_strerror(st));
    return argc > 1 ? prog_run_spec(argv[1]) : 0;
}
