//! One module per command: each turns the corpus and its arguments into a `View`.

pub mod align;
pub mod changes;
pub mod check;
pub mod completions;
pub mod demands;
pub mod diff;
pub mod documents;
pub mod explain;
pub mod graph;
pub mod history;
pub mod init;
pub mod issue;
pub mod issues;
pub mod matrix;
pub mod pairs;
pub mod parties;
pub mod plan;
pub mod report;
pub mod schema;
pub mod show;
pub mod stream;

use anyhow::Result;

use crate::date::Date;
use crate::engine::{Analysis, Pair};
use crate::model::{Corpus, Demand};
use crate::render::outcomes;
use crate::suggest;
use crate::user_error;
use crate::view::Cell;

/// What every command works on: a valid corpus and the date of the analysis.
pub struct Context<'c> {
    pub corpus: &'c Corpus,
    pub date: Date,
}

impl<'c> Context<'c> {
    /// A party by id or alias, any case; an unknown one lists the parties and suggests one.
    pub fn party(&self, name: &str) -> Result<usize> {
        self.corpus.party_by_name(name).ok_or_else(|| {
            let names = self
                .corpus
                .parties
                .iter()
                .flat_map(|p| std::iter::once(p.id.as_str()).chain(p.aliases.iter().map(String::as_str)));
            let known: Vec<&str> = self.corpus.parties.iter().map(|p| p.id.as_str()).collect();
            let hint = match suggest::closest(name, names) {
                Some(close) => format!("did you mean `{close}`? Known parties: {}", known.join(", ")),
                None => format!("known parties: {}", known.join(", ")),
            };
            user_error(format!("unknown party `{name}`"), Some(hint))
        })
    }

    /// Parties named on the command line, in the order given; all parties,
    /// alphabetically, when none are named.
    pub fn parties(&self, names: &[String]) -> Result<Vec<usize>> {
        if names.is_empty() {
            return Ok((0..self.corpus.parties.len()).collect());
        }
        let mut out = Vec::new();
        for name in names.iter().filter(|n| !n.trim().is_empty()) {
            let party = self.party(name.trim())?;
            if !out.contains(&party) {
                out.push(party);
            }
        }
        Ok(out)
    }

    pub fn demand(&self, id: &str) -> Result<usize> {
        self.corpus.demand_by_id(id).ok_or_else(|| {
            let hint = suggest::hint(id, self.corpus.demands.iter().map(|d| d.id.as_str()))
                .or_else(|| Some("`positions demands` lists the demand ids".into()));
            user_error(format!("unknown demand `{id}`"), hint)
        })
    }

    pub fn issue(&self, id: &str) -> Result<usize> {
        self.corpus.issue_by_id(id).ok_or_else(|| {
            let hint = suggest::hint(id, self.corpus.issues.iter().map(|i| i.id.as_str()))
                .or_else(|| Some("`positions issues` lists the issue ids".into()));
            user_error(format!("unknown issue `{id}`"), hint)
        })
    }

    pub fn analysis(&self, parties: Vec<usize>) -> Analysis<'c> {
        Analysis::new(self.corpus, self.date, parties)
    }

    pub fn party_id(&self, demand: usize) -> &'c str {
        &self.corpus.parties[self.corpus.demands[demand].party].id
    }

    pub fn demand_ref(&self, demand: usize) -> &'c Demand {
        &self.corpus.demands[demand]
    }

    /// The common ground of a pair as the CSV contract writes it.
    pub fn common_ground(&self, pair: &Pair) -> Cell {
        let issue = &self.corpus.issues[self.corpus.demands[pair.a].issue];
        match &pair.common_ground {
            Some(set) => Cell::text(outcomes::machine(issue, set)),
            None => Cell::text(""),
        }
    }

    pub fn shared_goal(&self, pair: &Pair) -> Cell {
        let issue = &self.corpus.issues[self.corpus.demands[pair.a].issue];
        match &pair.shared_goal(self.corpus) {
            Some(set) => Cell::text(outcomes::machine(issue, set)),
            None => Cell::text(""),
        }
    }

    /// How a demand stands on the date: active, withdrawn, or not yet stated.
    pub fn status(&self, demand: &Demand) -> &'static str {
        if demand.is_active_on(self.date) {
            "active"
        } else if demand.stated > self.date {
            "not yet stated"
        } else {
            "withdrawn"
        }
    }
}
