#!/usr/bin/python3
"""Checks that pandas reads `imbal resample` output back as the dataset it came from.

Not part of `make check` (imbal never depends on Python); run by hand with Debian's python3:
    /usr/bin/python3 scripts/resample-pandas.py [./imbal]
Resamples datasets/abalone19.csv (the published training fold) with smote and random_over and
checks, with pandas.read_csv: the same columns in the same order and dtypes as the input, the
class counts (3313 / 3313), Sex values among the input's, and every copied row (from
--source-rows) equal, value for value, to its data row. Exit status 0 when all hold.
"""
import os
import subprocess
import sys
import tempfile

import pandas as pd

IMBAL = sys.argv[1] if len(sys.argv) > 1 else "./imbal"
DATA = "datasets/abalone19.csv"


def check(technique, tmp):
    out = os.path.join(tmp, technique + ".csv")
    rows = os.path.join(tmp, technique + "_rows.csv")
    subprocess.run([IMBAL, "resample", DATA, "--target", "Class", "--positive", "positive",
                    "--technique", technique, "--split", "datasets/abalone19_split.csv",
                    "-o", out, "--source-rows", rows], check=True, capture_output=True)
    orig = pd.read_csv(DATA)
    res = pd.read_csv(out)
    src = pd.read_csv(rows)
    problems = []
    if list(res.columns) != list(orig.columns):
        problems.append(f"columns {list(res.columns)} != {list(orig.columns)}")
    if dict(res.dtypes) != dict(orig.dtypes):
        problems.append(f"dtypes {dict(res.dtypes)} != {dict(orig.dtypes)}")
    counts = res["Class"].value_counts().to_dict()
    if counts != {"negative": 3313, "positive": 3313}:
        problems.append(f"class counts {counts}")
    if not set(res["Sex"]) <= set(orig["Sex"]):
        problems.append(f"Sex values {set(res['Sex'])}")
    copied = src["source_row"].notna().to_numpy()
    a = res[copied].reset_index(drop=True)
    b = orig.iloc[src["source_row"][copied].astype(int)].reset_index(drop=True)
    if not (a == b).all().all():
        problems.append("a copied row differs from its data row")
    print(f"{technique}: {len(res)} rows, {copied.sum()} copies, {len(res) - copied.sum()} new, "
          f"classes {counts}: {'ok' if not problems else '; '.join(problems)}")
    return not problems


def main():
    with tempfile.TemporaryDirectory() as tmp:
        ok = all([check("smote", tmp), check("random_over", tmp)])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
