"""Build model features with pandas/numpy and standardise them with scikit-learn."""
import json
import os

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

FEATURES = ["age", "log_income", "tenure_days", "purchases_per_month", "days_since_purchase"]


def build_features(rows, as_of=None):
    df = pd.DataFrame.from_records(rows)
    signup = pd.to_datetime(df["signup_date"])
    last = pd.to_datetime(df["last_purchase_date"])
    as_of = pd.Timestamp(as_of) if as_of else last.max()
    out = pd.DataFrame(index=df.index)
    out["age"] = df["age"].astype("float64")
    out["log_income"] = np.log1p(df["income"].astype("float64").clip(lower=0))
    out["tenure_days"] = (as_of - signup).dt.days.astype("float64")
    months = np.maximum(out["tenure_days"] / 30.0, 1.0)
    out["purchases_per_month"] = df["purchases"].astype("float64") / months
    out["days_since_purchase"] = (as_of - last).dt.days.astype("float64")
    return df.get("customer_id", pd.Series(df.index)), out[FEATURES]


def lambda_handler(event, context):
    rows = event.get("rows") or []
    if len(rows) < 2:
        raise ValueError("need at least two rows to fit the scaler")
    ids, features = build_features(rows, event.get("as_of"))
    scaler = StandardScaler()
    scaled = scaler.fit_transform(features.to_numpy())
    result = {
        "feature_names": FEATURES,
        "rows": [{"customer_id": int(cid), "features": [round(float(v), 4) for v in vec]}
                 for cid, vec in zip(ids, scaled)],
        "mean": dict(zip(FEATURES, np.round(scaler.mean_, 4).tolist())),
        "scale": dict(zip(FEATURES, np.round(scaler.scale_, 4).tolist())),
    }
    bucket = event.get("output_bucket") or os.environ.get("OUTPUT_BUCKET")
    if bucket:
        import boto3  # lazy: only needed when writing results

        key = event.get("output_key", "features/features.json")
        boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps(result))
        result["output"] = f"s3://{bucket}/{key}"
    return result
