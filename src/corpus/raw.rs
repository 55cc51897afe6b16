//! The corpus files as written: serde types that mirror the YAML, with source locations
//! kept where validation needs to point at a value.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::model::{Category, Evidence, PartyKind, Priority, RelationKind};

pub type Located<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuesFile {
    pub issues: Vec<RawIssue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub id: Located<String>,
    pub title: String,
    pub category: Category,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub options: Option<Located<Vec<RawOption>>>,
    #[serde(default)]
    pub scale: Option<Located<RawScale>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: Located<String>,
    pub label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub unit: String,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyFile {
    pub party: RawParty,
    pub demands: Vec<RawDemand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub id: Located<String>,
    pub name: String,
    pub kind: PartyKind,
    #[serde(default)]
    pub aliases: Vec<Located<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    pub id: Located<String>,
    pub issue: Located<String>,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub wants: Located<RawOutcomes>,
    #[serde(default)]
    pub accepts: Option<Located<RawOutcomes>>,
    pub priority: Priority,
    pub stated: Located<String>,
    #[serde(default)]
    pub until: Option<Located<String>>,
    #[serde(default)]
    pub evidence: Evidence,
    #[serde(default)]
    pub tags: Vec<String>,
    pub sources: Located<Vec<RawSource>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: Located<String>,
    pub by: String,
    pub date: Located<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub quote: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationsFile {
    pub relations: Vec<RawRelation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    pub between: Located<Vec<Located<String>>>,
    pub kind: RelationKind,
    pub rationale: String,
    #[serde(default)]
    pub sources: Vec<RawSource>,
}

/// `wants` / `accepts` as written: a list of option ids, or a `{min, max}` range.
#[derive(Debug)]
pub enum RawOutcomes {
    List(Vec<Located<String>>),
    Range { min: Option<f64>, max: Option<f64> },
}

impl<'de> Deserialize<'de> for RawOutcomes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OutcomesVisitor;

        impl<'de> Visitor<'de> for OutcomesVisitor {
            type Value = RawOutcomes;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of option ids, or a range such as {min: 50000, max: 85000}")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawOutcomes, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<Located<String>>()? {
                    ids.push(id);
                }
                Ok(RawOutcomes::List(ids))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawOutcomes, A::Error> {
                let (mut min, mut max) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "min" => &mut min,
                        "max" => &mut max,
                        other => return Err(de::Error::unknown_field(other, &["min", "max"])),
                    };
                    if slot.is_some() {
                        return Err(de::Error::duplicate_field(if key == "min" { "min" } else { "max" }));
                    }
                    *slot = Some(map.next_value::<f64>()?);
                }
                Ok(RawOutcomes::Range { min, max })
            }
        }

        deserializer.deserialize_any(OutcomesVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub plan: RawPlan,
    pub outcomes: Located<PlanOutcomes>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub id: Located<String>,
    pub title: String,
    pub date: Located<String>,
    #[serde(default)]
    pub evidence: Evidence,
    #[serde(default)]
    pub sources: Vec<RawSource>,
}

/// A plan's `outcomes:` mapping, in file order, each key and value with its place.
#[derive(Debug, Default)]
pub struct PlanOutcomes(pub Vec<(Located<String>, Located<PlanValue>)>);

/// An outcome as written: an option id or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanValue {
    Text(String),
    Number(f64),
}

impl<'de> Deserialize<'de> for PlanOutcomes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;

        impl<'de> Visitor<'de> for MapVisitor {
            type Value = PlanOutcomes;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of issue ids to an option id or a number")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PlanOutcomes, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Located<String>>()? {
                    entries.push((key, map.next_value::<Located<PlanValue>>()?));
                }
                Ok(PlanOutcomes(entries))
            }
        }

        deserializer.deserialize_map(MapVisitor)
    }
}

impl<'de> Deserialize<'de> for PlanValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl Visitor<'_> for ValueVisitor {
            type Value = PlanValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an option id or a number")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<PlanValue, E> {
                Ok(PlanValue::Text(v.to_string()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PlanValue, E> {
                Ok(PlanValue::Number(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PlanValue, E> {
                Ok(PlanValue::Number(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<PlanValue, E> {
                Ok(PlanValue::Number(v))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}
