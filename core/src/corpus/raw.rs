//! The corpus files as written: serde types that mirror the YAML, with source locations
//! kept where validation needs to point at a value. The JSON Schemas of `positions schema`
//! are derived from these same types (`schema.rs`); doc comments on fields become the
//! descriptions an editor shows.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::schema::{DateText, Id};
use crate::model::{Category, Evidence, PartyKind, Priority, RelationKind};

/// A value and where it was written. Parsed with its place when this thread parses with
/// spans (`with_spans`), else with an unknown place, which costs less: the fast path of a
/// corpus that turns out to be valid never shows a place.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub referenced: Location,
    pub defined: Location,
}

impl<T> Located<T> {
    pub const fn new(value: T, referenced: Location, defined: Location) -> Self {
        Located {
            value,
            referenced,
            defined,
        }
    }
}

thread_local! {
    static SPANS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Run `parse` with (`true`) or without (`false`) the places of values on this thread.
pub(crate) fn with_spans<R>(spans: bool, parse: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SPANS.set(self.0);
        }
    }
    let _restore = Restore(SPANS.replace(spans));
    parse()
}

/// Written as its value alone (the schema's defaults are written this way).
impl<T: serde::Serialize> serde::Serialize for Located<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if SPANS.get() {
            let spanned = Spanned::<T>::deserialize(deserializer)?;
            Ok(Located::new(spanned.value, spanned.referenced, spanned.defined))
        } else {
            Ok(Located::new(
                T::deserialize(deserializer)?,
                Location::UNKNOWN,
                Location::UNKNOWN,
            ))
        }
    }
}

/// The most items of a list inside one entry (a demand's tags, `wants` or `accepts`, a
/// party's aliases, the sources of a relation or a plan). No corpus needs more; a file of
/// millions of one-letter items is stopped at the first list that exceeds it, before it
/// costs time or memory.
pub const MAX_LIST_ITEMS: usize = 10_000;

fn too_many_items<E: de::Error>() -> E {
    E::custom(format!(
        "the list has more than {MAX_LIST_ITEMS} items, more than a corpus list may hold"
    ))
}

/// A list of at most `MAX_LIST_ITEMS`.
fn bounded<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    struct Bounded<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Bounded<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                if items.len() == MAX_LIST_ITEMS {
                    return Err(too_many_items());
                }
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_seq(Bounded(std::marker::PhantomData))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuesFile {
    /// The negotiable issues, in the order every listing follows.
    pub issues: Vec<RawIssue>,
}

/// An issue, with either `options` (two or more) or a numeric `scale`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"required": ["options"]}, {"required": ["scale"]}]))]
#[schemars(rename = "Issue")]
pub struct RawIssue {
    #[schemars(with = "Id")]
    pub id: Located<String>,
    pub title: String,
    pub category: Category,
    #[serde(default)]
    pub description: Option<String>,
    /// Discrete, mutually exclusive outcomes (at least two).
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawOption>>", length(min = 2))]
    pub options: Option<Located<Vec<RawOption>>>,
    /// A numeric outcome instead of options.
    #[serde(default)]
    #[schemars(with = "Option<RawScale>")]
    pub scale: Option<Located<RawScale>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Option")]
pub struct RawOption {
    #[schemars(with = "Id")]
    pub id: Located<String>,
    pub label: String,
}

/// A numeric outcome: `min` must be below `max`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scale")]
pub struct RawScale {
    pub unit: String,
    #[serde(deserialize_with = "number")]
    pub min: f64,
    #[serde(deserialize_with = "number")]
    pub max: f64,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyFile {
    pub party: RawParty,
    /// The party's demands, in the order listings follow.
    pub demands: Vec<RawDemand>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Party")]
pub struct RawParty {
    /// Equals the file's name without `.yaml`.
    #[schemars(with = "Id")]
    pub id: Located<String>,
    pub name: String,
    pub kind: PartyKind,
    /// Other names the command line accepts for the party, in any case.
    #[serde(default, deserialize_with = "bounded")]
    #[schemars(with = "Vec<Id>")]
    pub aliases: Vec<Located<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Demand")]
pub struct RawDemand {
    #[schemars(with = "Id")]
    pub id: Located<String>,
    /// The id of an issue in issues.yaml.
    #[schemars(with = "Id")]
    pub issue: Located<String>,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// The outcome(s) the party asks for.
    #[schemars(with = "RawOutcomes")]
    pub wants: Located<RawOutcomes>,
    /// Outcomes it has signalled it could live with; defaults to `wants` and must contain it.
    #[serde(default)]
    #[schemars(with = "Option<RawOutcomes>")]
    pub accepts: Option<Located<RawOutcomes>>,
    /// `red-line` means stated as non-negotiable.
    pub priority: Priority,
    /// When the party first stated it.
    #[schemars(with = "DateText")]
    pub stated: Located<String>,
    /// When it stopped being the party's position (after `stated`).
    #[serde(default)]
    #[schemars(with = "Option<DateText>")]
    pub until: Option<Located<String>>,
    /// official (on the record), reported (leaks, media reports) or inferred (the analyst's reading).
    #[serde(default)]
    pub evidence: Evidence,
    #[serde(default, deserialize_with = "bounded")]
    pub tags: Vec<String>,
    /// At least one dated source.
    #[schemars(with = "Vec<RawSource>", length(min = 1))]
    pub sources: Located<Vec<RawSource>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub struct RawSource {
    #[schemars(with = "String")]
    pub title: Located<String>,
    /// The issuing body or speaker.
    pub by: String,
    #[schemars(with = "DateText")]
    pub date: Located<String>,
    /// Where a reader can check the source (a warning when missing).
    #[serde(default)]
    pub url: Option<String>,
    /// Verbatim only.
    #[serde(default)]
    pub quote: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationsFile {
    pub relations: Vec<RawRelation>,
}

/// A link the analyst asserts between demands of different parties on different issues.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Relation")]
pub struct RawRelation {
    /// Exactly two demand ids.
    #[schemars(with = "Vec<Id>", length(min = 2, max = 2))]
    pub between: Located<Vec<Located<String>>>,
    pub kind: RelationKind,
    pub rationale: String,
    #[serde(default, deserialize_with = "bounded")]
    pub sources: Vec<RawSource>,
}

/// `wants` / `accepts` as written: a list of option ids, or a `{min, max}` range.
#[derive(Debug)]
pub enum RawOutcomes {
    /// Each item as written: a number stays a number, so that the check can say that
    /// option ids are text (and, on a scale issue, that a range belongs there).
    List(Vec<Located<PlanValue>>),
    Range {
        min: Option<f64>,
        max: Option<f64>,
    },
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
                // A number is kept as a number, so that a list of numbers on a scale issue
                // is reported as a list where a range belongs, and on an options issue as
                // a number where an id (text) belongs.
                while let Some(item) = seq.next_element::<Located<PlanValue>>()? {
                    if ids.len() == MAX_LIST_ITEMS {
                        return Err(too_many_items());
                    }
                    ids.push(item);
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
                    *slot = Some(map.next_value::<Number>()?.0);
                }
                Ok(RawOutcomes::Range { min, max })
            }
        }

        deserializer.deserialize_any(OutcomesVisitor)
    }
}

impl JsonSchema for RawOutcomes {
    fn schema_name() -> Cow<'static, str> {
        "Outcomes".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        super::schema::outcomes_schema(generator)
    }
}

impl JsonSchema for PlanOutcomes {
    fn schema_name() -> Cow<'static, str> {
        "PlanOutcomes".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        super::schema::plan_outcomes_schema(generator)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub plan: RawPlan,
    #[schemars(with = "PlanOutcomes")]
    pub outcomes: Located<PlanOutcomes>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Plan")]
pub struct RawPlan {
    /// Equals the file's name without `.yaml`.
    #[schemars(with = "Id")]
    pub id: Located<String>,
    pub title: String,
    #[schemars(with = "DateText")]
    pub date: Located<String>,
    #[serde(default)]
    pub evidence: Evidence,
    #[serde(default, deserialize_with = "bounded")]
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

/// A number as YAML writes one: `"5"` in quotes is text, and text where a number belongs
/// is a type error, as a number where text belongs is.
struct Number(f64);

fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Number::deserialize(deserializer).map(|n| n.0)
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;

        impl Visitor<'_> for NumberVisitor {
            type Value = Number;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, written without quotes")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }
        }

        deserializer.deserialize_any(NumberVisitor)
    }
}
