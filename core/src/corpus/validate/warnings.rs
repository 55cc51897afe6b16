//! Warnings about a corpus that loads: what is legal but probably not meant.

use std::collections::{HashMap, HashSet};

use crate::corpus::Diagnostic;
use crate::model::outcomes;
use crate::model::{Corpus, Demand};

use super::check::*;

/// Warn where one party's demands on one issue cannot all be met at once while both stand.
pub(super) fn warn_self_exclusion(check: &mut Checker, corpus: &Corpus) {
    let mut by_party_issue: HashMap<(usize, usize), Vec<&Demand>> = HashMap::new();
    for demand in &corpus.demands {
        by_party_issue
            .entry((demand.party, demand.issue))
            .or_default()
            .push(demand);
    }
    let mut reported = HashSet::new();
    for demand in &corpus.demands {
        let Some(group) = by_party_issue.get(&(demand.party, demand.issue)) else {
            continue;
        };
        for other in group {
            if other.span == demand.span || !reported.insert((other.id.as_str(), demand.id.as_str())) {
                continue;
            }
            // Report each pair once, at the demand that comes later in the file.
            if (other.span.line, other.span.column) > (demand.span.line, demand.span.column) {
                continue;
            }
            let overlap_in_time =
                other.until.is_none_or(|u| demand.stated < u) && demand.until.is_none_or(|u| other.stated < u);
            if overlap_in_time && outcomes::intersect(&demand.accepts, &other.accepts).is_empty() {
                let from = demand.stated.max(other.stated);
                check.diags.push(
                    Diagnostic::warning(
                        &demand.span,
                        format!(
                            "`{}` and `{}` of party `{}` exclude each other while both are active (from {from})",
                            other.id, demand.id, corpus.parties[demand.party].id
                        ),
                    )
                    .with_hint("if the position moved, give the older demand `until:` the date of the newer one"),
                );
            }
        }
    }
}
