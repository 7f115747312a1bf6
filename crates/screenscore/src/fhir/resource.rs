//! `resourceType`: the tag each resource struct carries (so that it is written first and checked
//! when read), and [`Resource`], any resource by its type.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::bundle::Bundle;
use super::error::InvalidResource;
use super::observation::Observation;
use super::questionnaire::Questionnaire;
use super::response::QuestionnaireResponse;

/// Defines a unit struct standing for one `resourceType`.
macro_rules! resource_type {
    ($name:ident, $text:literal) => {
        #[doc = concat!("The `resourceType` `", $text, "`: written as that string; reading")]
        #[doc = "another string is an error."]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl $name {
            /// The type's name.
            pub const NAME: &'static str = $text;
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($text)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                deserializer.deserialize_str(TypeVisitor($text))?;
                Ok($name)
            }
        }
    };
}

resource_type!(QuestionnaireResponseType, "QuestionnaireResponse");
resource_type!(QuestionnaireType, "Questionnaire");
resource_type!(BundleType, "Bundle");
resource_type!(ObservationType, "Observation");

/// Accepts one string.
struct TypeVisitor(&'static str);

impl Visitor<'_> for TypeVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "the resourceType {}", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if v == self.0 {
            Ok(())
        } else {
            Err(E::custom(format_args!(
                "resourceType is {v}, expected {}",
                self.0
            )))
        }
    }
}

/// Any resource, by its `resourceType`: the four typed here, and every other one as read.
///
/// ```
/// use screenscore::fhir::Resource;
///
/// let patient: Resource = serde_json::from_str(r#"{"resourceType": "Patient", "id": "p1"}"#)?;
/// assert_eq!(patient.resource_type(), "Patient");
/// let response: Resource = serde_json::from_str(r#"{"resourceType": "QuestionnaireResponse"}"#)?;
/// assert!(matches!(response, Resource::QuestionnaireResponse(_)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Resource {
    /// A response.
    QuestionnaireResponse(Box<QuestionnaireResponse>),
    /// A questionnaire.
    Questionnaire(Box<Questionnaire>),
    /// A bundle.
    Bundle(Box<Bundle>),
    /// An observation.
    Observation(Box<Observation>),
    /// Any other type.
    Other {
        /// Its `resourceType`.
        resource_type: String,
        /// The whole resource as read (`resourceType` included).
        value: Value,
    },
}

impl Resource {
    /// The `resourceType`.
    pub fn resource_type(&self) -> &str {
        match self {
            Resource::QuestionnaireResponse(_) => QuestionnaireResponseType::NAME,
            Resource::Questionnaire(_) => QuestionnaireType::NAME,
            Resource::Bundle(_) => BundleType::NAME,
            Resource::Observation(_) => ObservationType::NAME,
            Resource::Other { resource_type, .. } => resource_type,
        }
    }

    /// A resource from JSON read as a value, by its `resourceType`; the error names the JSON
    /// path of the first element that does not fit.
    pub fn from_value(value: Value) -> Result<Resource, InvalidResource> {
        let Some(kind) = value.get("resourceType").and_then(Value::as_str) else {
            return Err(InvalidResource {
                path: String::new(),
                message: "no resourceType".to_owned(),
            });
        };
        fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<Box<T>, InvalidResource> {
            serde_path_to_error::deserialize(value).map_err(InvalidResource::from_path)
        }
        Ok(match kind {
            QuestionnaireResponseType::NAME => Resource::QuestionnaireResponse(typed(value)?),
            QuestionnaireType::NAME => Resource::Questionnaire(typed(value)?),
            BundleType::NAME => Resource::Bundle(typed(value)?),
            ObservationType::NAME => Resource::Observation(typed(value)?),
            other => Resource::Other {
                resource_type: other.to_owned(),
                value,
            },
        })
    }
}

impl<'de> Deserialize<'de> for Resource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Resource, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Resource::from_value(value).map_err(de::Error::custom)
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Resource::QuestionnaireResponse(r) => r.serialize(serializer),
            Resource::Questionnaire(r) => r.serialize(serializer),
            Resource::Bundle(r) => r.serialize(serializer),
            Resource::Observation(r) => r.serialize(serializer),
            Resource::Other { value, .. } => value.serialize(serializer),
        }
    }
}

impl From<QuestionnaireResponse> for Resource {
    fn from(r: QuestionnaireResponse) -> Resource {
        Resource::QuestionnaireResponse(Box::new(r))
    }
}

impl From<Questionnaire> for Resource {
    fn from(r: Questionnaire) -> Resource {
        Resource::Questionnaire(Box::new(r))
    }
}

impl From<Bundle> for Resource {
    fn from(r: Bundle) -> Resource {
        Resource::Bundle(Box::new(r))
    }
}

impl From<Observation> for Resource {
    fn from(r: Observation) -> Resource {
        Resource::Observation(Box::new(r))
    }
}
