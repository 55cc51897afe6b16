//! relations.yaml: asserted links between demands of different parties on different issues.

use std::collections::HashMap;

use crate::corpus::FileText;
use crate::corpus::raw::RelationsFile;
use crate::model::{Corpus, Relation, Span};

use super::check::*;

pub(super) fn check_relations(
    check: &mut Checker,
    file: &FileText,
    raw: RelationsFile,
    hidden: &super::Hidden,
    demand_seen: &Seen,
    corpus: &Corpus,
) -> Vec<Relation> {
    let mut relations = Vec::new();
    let mut pairs: HashMap<(usize, usize), Span> = HashMap::new();
    for relation in raw.relations {
        let span = span_of(file, &relation.between);
        let sources = check.sources(file, &relation.sources);
        if relation.between.value.len() != 2 {
            check.error_hint(
                &span,
                format!("`between` names {} demands", relation.between.value.len()),
                Some("a relation links exactly two demands: between: [demand-a, demand-b]".into()),
            );
            continue;
        }
        let mut ends = [0usize; 2];
        let mut ok = true;
        for (slot, located) in relation.between.value.iter().enumerate() {
            match corpus.demand_by_id(&located.value) {
                Some(index) => ends[slot] = index,
                None => {
                    ok = false;
                    // A demand that exists but failed its own checks was reported already;
                    // one that may be in a party file that could not be read is not
                    // reported as unknown.
                    if !demand_seen.contains_key(&located.value) && !hidden.may_define_demand(&located.value) {
                        let hint = check
                            .closest(&located.value, corpus.demands.iter().map(|d| d.id.as_str()))
                            .map(|c| format!("did you mean `{c}`?"));
                        check.error_hint(
                            &span_of(file, located),
                            format!("unknown demand `{}`", located.value),
                            hint,
                        );
                    }
                }
            }
        }
        if !ok {
            continue;
        }
        let (a, b) = (&corpus.demands[ends[0]], &corpus.demands[ends[1]]);
        if a.party == b.party {
            check.error_hint(
                &span,
                format!("`{}` and `{}` belong to the same party", a.id, b.id),
                Some("relations link demands of different parties".into()),
            );
            continue;
        }
        if a.issue == b.issue {
            check.error_hint(
                &span,
                format!("`{}` and `{}` are on the same issue", a.id, b.id),
                Some("same-issue pairs are derived by the comparison rules, never asserted".into()),
            );
            continue;
        }
        let key = (ends[0].min(ends[1]), ends[0].max(ends[1]));
        if let Some(first) = pairs.get(&key) {
            check.error_hint(
                &span,
                format!("the pair `{}` / `{}` is related twice", a.id, b.id),
                Some(first_defined(first)),
            );
            continue;
        }
        pairs.insert(key, span);
        relations.push(Relation {
            between: ends,
            kind: relation.kind,
            rationale: relation.rationale,
            sources,
        });
    }
    relations
}
