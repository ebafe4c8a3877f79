"""Score customers for churn with a small scikit-learn model trained at cold start."""
import json
import os

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["tenure_months", "monthly_spend", "support_tickets"]
_MODEL = None  # cached across warm invocations


def _training_data(n=400, seed=7):
    """Deterministic synthetic history: short tenure + many tickets => churn."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 72, n)
    spend = rng.normal(60, 20, n).clip(5, None)
    tickets = rng.poisson(2, n)
    logit = 1.5 - 0.08 * tenure + 0.6 * tickets - 0.01 * spend
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"tenure_months": tenure, "monthly_spend": spend,
                         "support_tickets": tickets}), churned


def get_model():
    global _MODEL
    if _MODEL is None:
        X, y = _training_data()
        _MODEL = make_pipeline(StandardScaler(), LogisticRegression(random_state=0))
        _MODEL.fit(X[FEATURES], y)
    return _MODEL


get_model()  # train during the init phase, not on the first request


def lambda_handler(event, context):
    rows = event.get("rows") or []
    if not rows:
        return {"predictions": []}
    X = pd.DataFrame.from_records(rows)
    proba = get_model().predict_proba(X[FEATURES].astype("float64"))[:, 1]
    threshold = float(event.get("threshold", 0.5))
    ids = X["customer_id"].tolist() if "customer_id" in X else list(range(len(X)))
    result = {"threshold": threshold, "predictions": [
        {"customer_id": cid, "churn_probability": round(float(p), 4), "churn": bool(p >= threshold)}
        for cid, p in zip(ids, proba)]}
    bucket = event.get("output_bucket") or os.environ.get("OUTPUT_BUCKET")
    if bucket:
        import boto3  # lazy: only needed when writing results

        key = event.get("output_key", "predictions/predictions.json")
        boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps(result))
        result["output"] = f"s3://{bucket}/{key}"
    return result
