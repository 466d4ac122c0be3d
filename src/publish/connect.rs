//! Opens an object store from a replica URL (`s3://bucket/prefix`,
//! `az://container/prefix`, `gs://bucket/prefix`), with each cloud's
//! standard credentials and settings from the environment: nothing secret
//! is in `status.toml`.
//!
//! - S3: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//!   `AWS_REGION`, `AWS_ENDPOINT` (an S3-compatible server),
//!   `AWS_ALLOW_HTTP=true` (for a plain-HTTP one);
//! - Azure: `AZURE_STORAGE_ACCOUNT_NAME` with `AZURE_STORAGE_ACCOUNT_KEY`
//!   (or `AZURE_STORAGE_SAS_KEY`, or a managed identity),
//!   `AZURE_STORAGE_USE_EMULATOR=true` with `AZURITE_BLOB_STORAGE_URL` for
//!   Azurite;
//! - Google Cloud Storage: `GOOGLE_SERVICE_ACCOUNT` (a key file's path),
//!   `GOOGLE_SERVICE_ACCOUNT_KEY` (the key itself, JSON) or the application
//!   default credentials.

use crate::error::Error;
use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::prefix::PrefixStore;
use object_store::{BackoffConfig, ObjectStore, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// A request is tried at most this many times more before publish stops.
const RETRIES: usize = 3;

/// The store a replica URL names, under its prefix.
pub fn store(url: &str) -> Result<Arc<dyn ObjectStore>, Error> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(Error::Publish(format!("{url} is not an object store URL")));
    };
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let retry =
        RetryConfig { backoff: BackoffConfig::default(), max_retries: RETRIES, retry_timeout: Duration::from_secs(30) };
    let built: Result<Arc<dyn ObjectStore>, object_store::Error> = match scheme {
        "s3" => {
            AmazonS3Builder::from_env().with_bucket_name(bucket).with_retry(retry).build().map(|s| Arc::new(s) as _)
        }
        "az" => MicrosoftAzureBuilder::from_env()
            .with_container_name(bucket)
            .with_retry(retry)
            .build()
            .map(|s| Arc::new(s) as _),
        "gs" => GoogleCloudStorageBuilder::from_env()
            .with_bucket_name(bucket)
            .with_retry(retry)
            .build()
            .map(|s| Arc::new(s) as _),
        other => return Err(Error::Publish(format!("{url}: candor cannot publish to {other}:// stores"))),
    };
    let store = built.map_err(|e| {
        Error::Publish(format!(
            "cannot open {url}: {}\n  credentials and settings come from the environment: {}",
            explain(&e),
            credentials(scheme)
        ))
    })?;
    let prefix = prefix.trim_matches('/');
    Ok(if prefix.is_empty() { store } else { Arc::new(PrefixStore::new(store, prefix)) })
}

/// The variables a scheme reads, for messages.
fn credentials(scheme: &str) -> &'static str {
    match scheme {
        "s3" => "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_REGION; AWS_ENDPOINT and AWS_ALLOW_HTTP=true for an S3-compatible server)",
        "az" => "AZURE_STORAGE_ACCOUNT_NAME and AZURE_STORAGE_ACCOUNT_KEY (or AZURE_STORAGE_SAS_KEY; AZURE_STORAGE_USE_EMULATOR=true for Azurite)",
        _ => "GOOGLE_SERVICE_ACCOUNT (the path of a service account key file), GOOGLE_SERVICE_ACCOUNT_KEY (the key as JSON) or application default credentials",
    }
}

/// An object-store error in one line, with its causes.
pub fn explain(e: &object_store::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(&format!(": {more}"));
        }
        source = cause.source();
    }
    text.replace('\n', " ")
}
