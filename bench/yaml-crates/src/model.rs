//! Typed structures resembling `parties/<party-id>.yaml` (SPEC.md §1.2).
//! Every struct denies unknown fields, as the real loader must.

use serde::Deserialize;

#[derive(Debug, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct PartyFile {
    pub party: Party,
    pub demands: Vec<Demand>,
}

#[derive(Debug, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    pub id: String,
    pub issue: String,
    pub title: String,
    pub summary: Option<String>,
    pub wants: Vec<String>,
    pub accepts: Option<Vec<String>>,
    pub priority: Priority,
    pub stated: String,
    pub until: Option<String>,
    pub evidence: Option<String>,
    pub tags: Option<Vec<String>>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Deserialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    RedLine,
    High,
    Medium,
    Low,
}

#[derive(Debug, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub by: String,
    pub date: String,
    pub url: Option<String>,
    pub quote: Option<String>,
}
