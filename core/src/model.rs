//! The validated corpus: plain data, indexed by position.
//!
//! Everything here has passed `corpus::load`; the engine never sees an unchecked corpus.
//! Cross-references are indices into the `Corpus` vectors.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;

pub mod outcomes;

/// Where a thing was written: a corpus file and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Span {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// The line of a value parsed without its place (`corpus::load_fast`): a diagnostic
    /// that has it is found again with its place before anyone sees it.
    pub const NOT_LOOKED_UP: u32 = u32::MAX;

    pub fn is_looked_up(&self) -> bool {
        self.line != Span::NOT_LOOKED_UP
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Territory,
    Security,
    Military,
    Justice,
    Economy,
    Humanitarian,
    Governance,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PartyKind {
    State,
    Alliance,
    Union,
    Organization,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    RedLine,
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    #[default]
    Official,
    Reported,
    Inferred,
}

/// How two demands relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    Overlap,
    Conflict,
    Irreconcilable,
}

/// Whether a relation follows from the comparison rules or was asserted by the analyst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Derived,
    Asserted,
}

macro_rules! names {
    ($ty:ty { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $name),* }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(Category { Territory => "territory", Security => "security", Military => "military",
    Justice => "justice", Economy => "economy", Humanitarian => "humanitarian",
    Governance => "governance", Other => "other" });
names!(PartyKind { State => "state", Alliance => "alliance", Union => "union",
    Organization => "organization", Other => "other" });
names!(Priority { RedLine => "red-line", High => "high", Medium => "medium", Low => "low" });
names!(Evidence { Official => "official", Reported => "reported", Inferred => "inferred" });
names!(RelationKind { Overlap => "overlap", Conflict => "conflict", Irreconcilable => "irreconcilable" });
names!(Basis { Derived => "derived", Asserted => "asserted" });

impl RelationKind {
    pub const ALL: [RelationKind; 3] = [
        RelationKind::Overlap,
        RelationKind::Conflict,
        RelationKind::Irreconcilable,
    ];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionDef {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub unit: String,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IssueKind {
    Options(Vec<OptionDef>),
    Scale(Scale),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub description: Option<String>,
    pub kind: IssueKind,
}

/// A set of outcomes of one issue: option indices (sorted, in the issue's option order)
/// or a closed interval on a scale. An interval with `min > max` is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcomes {
    Options(Vec<usize>),
    Range { min: f64, max: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
    pub aliases: Vec<String>,
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub by: String,
    pub date: Date,
    pub url: Option<String>,
    pub quote: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    pub id: String,
    pub party: usize,
    pub issue: usize,
    pub title: String,
    pub summary: Option<String>,
    pub wants: Outcomes,
    /// What the party can live with; equals `wants` when the file does not say.
    pub accepts: Outcomes,
    pub priority: Priority,
    pub stated: Date,
    pub until: Option<Date>,
    pub evidence: Evidence,
    pub tags: Vec<String>,
    pub sources: Vec<Source>,
    pub span: Span,
}

impl Demand {
    /// Active on `date`: stated on or before it, and not yet withdrawn.
    pub fn is_active_on(&self, date: Date) -> bool {
        self.stated <= date && self.until.is_none_or(|until| date < until)
    }

    pub fn is_red_line(&self) -> bool {
        self.priority == Priority::RedLine
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Demand indices, as written in `between`.
    pub between: [usize; 2],
    pub kind: RelationKind,
    pub rationale: String,
    pub sources: Vec<Source>,
}

/// What a plan settles an issue on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum PlanOutcome {
    /// An option index of an options issue.
    Option(usize),
    /// A number on a scale issue.
    Value(f64),
}

/// A proposed settlement: one outcome for each issue it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub date: Date,
    pub evidence: Evidence,
    pub sources: Vec<Source>,
    /// (issue index, outcome), in file order.
    pub outcomes: Vec<(usize, PlanOutcome)>,
    pub file: String,
}

/// A validated corpus. Parties are in alphabetical order of id; demands are grouped
/// by party in that order and keep their file order within a party.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Corpus {
    pub issues: Vec<Issue>,
    pub parties: Vec<Party>,
    pub demands: Vec<Demand>,
    pub relations: Vec<Relation>,
    pub plans: Vec<Plan>,
    #[serde(skip)]
    pub(crate) issue_index: HashMap<String, usize>,
    #[serde(skip)]
    pub(crate) party_index: HashMap<String, usize>,
    /// Built at the first look-up by id, once every demand is in: a query that never
    /// looks a demand up by id (`pairs` on a large corpus) never pays for it.
    #[serde(skip)]
    pub(crate) demand_index: std::sync::OnceLock<HashMap<String, usize>>,
}

impl Corpus {
    /// Rebuild the look-up tables (after deserializing a compiled corpus).
    pub fn reindex(&mut self) {
        self.issue_index = self.issues.iter().enumerate().map(|(i, x)| (x.id.clone(), i)).collect();
        self.demand_index = std::sync::OnceLock::new();
        self.party_index.clear();
        for (i, party) in self.parties.iter().enumerate() {
            self.party_index.entry(party.id.clone()).or_insert(i);
            for alias in &party.aliases {
                self.party_index.entry(alias.clone()).or_insert(i);
            }
        }
    }

    pub fn issue_by_id(&self, id: &str) -> Option<usize> {
        self.issue_index.get(id).copied()
    }

    pub fn demand_by_id(&self, id: &str) -> Option<usize> {
        let index = self.demand_index.get_or_init(|| {
            self.demands
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.clone(), i))
                .collect()
        });
        debug_assert_eq!(index.len(), self.demands.len(), "a demand added after a look-up by id");
        index.get(id).copied()
    }

    /// A party by id or alias, in any case.
    pub fn party_by_name(&self, name: &str) -> Option<usize> {
        self.party_index.get(&name.to_lowercase()).copied()
    }

    pub fn plan_by_id(&self, id: &str) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    pub fn option_ids(&self, issue: usize) -> Option<&[OptionDef]> {
        match &self.issues[issue].kind {
            IssueKind::Options(options) => Some(options),
            IssueKind::Scale(_) => None,
        }
    }
}
