//! `Bundle` (<https://hl7.org/fhir/R4/bundle.html>), for reading and for writing a `collection`
//! or a `transaction`.

use serde::{Deserialize, Serialize};

use super::datatypes::{Identifier, Meta};
use super::resource::{BundleType, Resource};

/// A bundle of resources.
///
/// ```
/// use screenscore::fhir::{Bundle, Observation};
///
/// let mut bundle = Bundle::transaction();
/// bundle.push_request(Observation::default(), "urn:uuid:1", "POST", "Observation");
/// let json = serde_json::to_string(&bundle)?;
/// assert!(json.starts_with(r#"{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Observation""#));
/// assert!(json.ends_with(r#""request":{"method":"POST","url":"Observation"}}]}"#));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Bundle {
    /// Always `Bundle`.
    pub resource_type: BundleType,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// A persistent identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// `collection`, `transaction`, `batch`, `searchset`, `document`, ….
    #[serde(rename = "type")]
    pub type_: String,
    /// When it was assembled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The total of a search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// The entries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<BundleEntry>,
}

/// An entry of a bundle.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BundleEntry {
    /// The resource's URL (`urn:uuid:…` for a new one in a transaction).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_url: Option<String>,
    /// The resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    /// What a transaction does with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<BundleRequest>,
}

/// `Bundle.entry.request`: the HTTP request of a transaction entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BundleRequest {
    /// `GET`, `POST`, `PUT`, `DELETE`, `PATCH`.
    pub method: String,
    /// The URL, relative to the server's base (`Observation`).
    pub url: String,
    /// A conditional create's search (`identifier=…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_none_exist: Option<String>,
}

impl Bundle {
    /// An empty bundle of `type_`.
    pub fn new(type_: impl Into<String>) -> Bundle {
        Bundle {
            type_: type_.into(),
            ..Bundle::default()
        }
    }

    /// An empty `collection`.
    pub fn collection() -> Bundle {
        Bundle::new("collection")
    }

    /// An empty `transaction`.
    pub fn transaction() -> Bundle {
        Bundle::new("transaction")
    }

    /// Adds an entry (of a collection).
    pub fn push(&mut self, resource: impl Into<Resource>, full_url: impl Into<String>) {
        self.entry.push(BundleEntry {
            full_url: Some(full_url.into()),
            resource: Some(resource.into()),
            request: None,
        });
    }

    /// Adds an entry with its request (of a transaction).
    pub fn push_request(
        &mut self,
        resource: impl Into<Resource>,
        full_url: impl Into<String>,
        method: impl Into<String>,
        url: impl Into<String>,
    ) {
        self.entry.push(BundleEntry {
            full_url: Some(full_url.into()),
            resource: Some(resource.into()),
            request: Some(BundleRequest {
                method: method.into(),
                url: url.into(),
                if_none_exist: None,
            }),
        });
    }
}
