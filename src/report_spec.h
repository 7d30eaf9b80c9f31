/* Private to the report module: the resolved spec of an experiment (report_spec.c), the part
 * of summary.json and the whole of resolved.yaml that make a run repeatable. */
#ifndef IMBAL_REPORT_SPEC_H
#define IMBAL_REPORT_SPEC_H

#include "imbal/error.h"
#include "imbal/runner.h"
#include "strbuf.h"

/* Appends the resolved spec of ex to json (one line: a JSON object) and to yaml (a spec file
 * with a header comment): every default filled in, each technique's classifier as the runner
 * fits it (overrides applied, the solver it runs), each dataset's format, target, positive
 * class and categorical columns as they were read. Data paths are written relative to dir
 * (the output directory, where both files go), or absolute when dir and the data share no
 * directory but the root. IMBAL_ENOMEM; paths that cannot be resolved are written absolute
 * from the current directory. */
imbal_status imbal_report_spec(const imbal_experiment *ex, const char *dir, imbal_buf *json,
                               imbal_buf *yaml, imbal_error *err);

#endif
