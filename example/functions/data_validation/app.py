"""Validate incoming records with pandas: required columns, dtypes, nulls and ranges."""
import json
import os

import pandas as pd
from dateutil.parser import isoparse

# column -> (kind, minimum, maximum); None means unbounded.
SCHEMA = {
    "customer_id": ("int", 1, None),
    "age": ("int", 0, 120),
    "income": ("float", 0.0, None),
    "signup_date": ("date", None, None),
}


def _parse_date(value):
    try:
        return pd.Timestamp(isoparse(str(value))).tz_localize(None)
    except (TypeError, ValueError):
        return pd.NaT


def _coerce(series, kind):
    if kind == "date":
        return series.map(_parse_date)
    values = pd.to_numeric(series, errors="coerce")
    if kind == "int":  # 3.5 is not a valid integer
        values = values.where(values.isna() | (values % 1 == 0))
    return values


def lambda_handler(event, context):
    records = event.get("records") or []
    df = pd.DataFrame.from_records(records, columns=list(SCHEMA))
    bad = pd.Series(False, index=df.index)
    issues = {}
    for column, (kind, low, high) in SCHEMA.items():
        nulls = df[column].isna()
        values = _coerce(df[column], kind)
        bad_type = values.isna() & ~nulls
        out_of_range = pd.Series(False, index=df.index)
        if low is not None:
            out_of_range |= values < low
        if high is not None:
            out_of_range |= values > high
        issues[column] = {"nulls": int(nulls.sum()), "bad_type": int(bad_type.sum()),
                          "out_of_range": int(out_of_range.sum())}
        bad |= nulls | bad_type | out_of_range
    summary = {"total": len(df), "valid": int((~bad).sum()), "invalid": int(bad.sum()),
               "invalid_rows": [int(i) for i in df.index[bad]], "issues": issues}
    bucket = event.get("output_bucket") or os.environ.get("OUTPUT_BUCKET")
    if bucket:
        import boto3  # lazy: only needed when writing results

        key = event.get("output_key", "validation/summary.json")
        boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps(summary))
        summary["output"] = f"s3://{bucket}/{key}"
    return summary
