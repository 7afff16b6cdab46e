#!/usr/bin/python3
"""Test AUC of scikit-learn models on the bank telemarketing data, split as leadscore splits it
(rows in date order; the newest 30% held out). A measuring tool for docs/suggest.md, not a
dependency of leadscore: needs Debian's python3-sklearn.

usage: scripts/bank_baselines.py DATA.csv [COLUMN ...]   (default: the columns of who the contact is)
"""
import csv
import sys

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler

WHO = ["age", "job", "marital", "education", "default", "housing", "loan", "contact", "campaign", "pdays",
       "previous", "poutcome"]


def main():
    path = sys.argv[1]
    columns = sys.argv[2:] or WHO
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    y = [1 if r["y"] == "yes" else 0 for r in rows]
    numeric = [c for c in columns if all(_is_number(r[c]) for r in rows)]
    text = [c for c in columns if c not in numeric]
    cut = len(rows) - round(len(rows) * 0.3)
    train, test = rows[:cut], rows[cut:]

    def num(part):
        return [[float(r[c]) for c in numeric] for r in part]

    def cat(part):
        return [[r[c] for c in text] for r in part]

    scaler = StandardScaler().fit(num(train))
    onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(cat(train))

    def encode(part):
        return [a + b for a, b in zip(scaler.transform(num(part)).tolist(), onehot.transform(cat(part)).tolist())]

    x_train, x_test = encode(train), encode(test)
    logistic = LogisticRegression(C=1.0, max_iter=2000).fit(x_train, y[:cut])
    print(f"logistic regression (one-hot text, standardised numbers): test AUC "
          f"{roc_auc_score(y[cut:], logistic.predict_proba(x_test)[:, 1]):.4f}")
    boosted = HistGradientBoostingClassifier(random_state=0).fit(x_train, y[:cut])
    print(f"gradient-boosted trees (same columns): test AUC "
          f"{roc_auc_score(y[cut:], boosted.predict_proba(x_test)[:, 1]):.4f}")


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


if __name__ == "__main__":
    main()
