//! The HTML report: one self-contained page (inline CSS and SVG, no script, no font, no
//! image, no request of any kind) that reads on a screen, on paper and on a phone.
//!
//! Every piece of corpus text goes through `esc`, and a source's address becomes a link
//! only when it is http or https. A Content-Security-Policy that allows nothing but the
//! inline style backs this up: even a mistake here could not run a script or fetch
//! anything.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::escape::html as esc;
use crate::model::RelationKind;

/// Everything the report shows, as plain text; parties are referred to by their index
/// in `parties` (the report's party order).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub as_of: String,
    /// Where the corpus came from, for the header.
    pub corpus: String,
    pub generator: String,
    pub parties: Vec<PartyCard>,
    /// Party × party counts; `None` on the diagonal.
    pub matrix: Vec<Vec<Option<Counts>>>,
    pub pairs: Vec<PairDiff>,
    pub issues: Vec<IssueCard>,
    pub demands: Vec<DemandCard>,
    /// The best packages `settle` finds: for all the report's parties, and for the pair
    /// of them whose red lines clash most.
    pub settlements: Vec<SettlementCard>,
    /// Every plan of the corpus, scored as `positions plan` scores it.
    pub plans: Vec<PlanCard>,
}

/// One plan's score: what it covers, and each party's tally (in the report's party order).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCard {
    pub id: String,
    pub title: String,
    pub date: String,
    pub evidence: String,
    pub covers: usize,
    pub issues: usize,
    pub tallies: Vec<crate::engine::plan::Tally>,
}

/// One settlement search: a heading, a summary and its tables, as `settle` shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct SettlementCard {
    pub heading: String,
    pub summary: String,
    pub tables: Vec<(String, crate::view::Table)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartyCard {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub demands: usize,
    pub red_lines: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub overlap: usize,
    pub conflict: usize,
    pub irreconcilable: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.overlap + self.conflict + self.irreconcilable
    }

    /// The count of one kind of relation.
    pub fn of(&self, kind: RelationKind) -> usize {
        match kind {
            RelationKind::Overlap => self.overlap,
            RelationKind::Conflict => self.conflict,
            RelationKind::Irreconcilable => self.irreconcilable,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemandRef {
    pub id: String,
    pub title: String,
    pub red_line: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PairDiff {
    pub a: usize,
    pub b: usize,
    pub counts: Counts,
    pub rows: Vec<PairRow>,
    pub asserted: Vec<AssertedRow>,
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PairRow {
    pub issue_id: String,
    pub issue_title: String,
    pub demand_a: DemandRef,
    pub demand_b: DemandRef,
    pub relation: RelationKind,
    pub common_ground: Option<String>,
    pub shared_goal: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssertedRow {
    pub issue_a: String,
    pub issue_b: String,
    pub demand_a: DemandRef,
    pub demand_b: DemandRef,
    pub relation: RelationKind,
    pub rationale: String,
    pub sources: Vec<SourceLink>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IssueCard {
    pub id: String,
    pub title: String,
    pub category: String,
    pub description: Option<String>,
    /// (option id, label), or one ("scale", "0 to 2,000,000 troops").
    pub outcomes: Vec<(String, String)>,
    pub stances: Vec<StanceRow>,
    pub ground: Ground,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StanceRow {
    pub party: usize,
    pub demands: Vec<DemandRef>,
    pub priority: String,
    pub red_line: bool,
    pub acceptable: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ground {
    NoStance,
    /// One party alone has a stance: its own stance is not common ground.
    OnlyOne(String),
    Common(String),
    Nearest(Vec<Nearest>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Nearest {
    pub outcome: String,
    pub blocked_by: Vec<String>,
    pub red_lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemandCard {
    pub id: String,
    pub party: usize,
    pub issue_id: String,
    pub issue_title: String,
    pub title: String,
    pub summary: Option<String>,
    pub wants: String,
    pub accepts: String,
    pub priority: String,
    pub red_line: bool,
    pub stated: String,
    pub until: Option<String>,
    pub evidence: String,
    pub tags: Vec<String>,
    pub sources: Vec<SourceLink>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceLink {
    pub title: String,
    pub by: String,
    pub date: String,
    pub url: Option<String>,
    pub quote: Option<String>,
}

/// The address, if it is one a reader can safely follow: http or https, with no space
/// or control character a browser would strip to find another scheme behind it.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    (web && clean && url.len() > "https://".len()).then_some(url)
}

/// An anchor id made from a corpus id (already kebab-case; escaped all the same).
fn anchor(prefix: &str, id: &str) -> String {
    format!("{prefix}-{}", esc(id))
}

const STYLE: &str = include_str!("report.css");

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::with_capacity(256 * 1024);
    page_into(report, &mut page).map_err(|_| io::Error::other("formatting the report failed"))?;
    out.write_all(page.as_bytes())
}

fn page_into(r: &Report, h: &mut String) -> std::fmt::Result {
    writeln!(h, "<!DOCTYPE html>")?;
    writeln!(h, "<html lang=\"en\">")?;
    writeln!(h, "<head>")?;
    writeln!(h, "<meta charset=\"utf-8\">")?;
    writeln!(
        h,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
    )?;
    writeln!(h, "<meta name=\"referrer\" content=\"no-referrer\">")?;
    writeln!(
        h,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(h, "<meta name=\"generator\" content=\"{}\">", esc(&r.generator))?;
    writeln!(h, "<title>{}</title>", esc(&r.title))?;
    writeln!(h, "<style>\n{STYLE}</style>")?;
    writeln!(h, "</head>")?;
    writeln!(h, "<body>")?;
    svg_patterns(h)?;
    header(r, h)?;
    writeln!(h, "<main>")?;
    parties(r, h)?;
    matrix(r, h)?;
    settlements(r, h)?;
    plans(r, h)?;
    pairs(r, h)?;
    issues(r, h)?;
    demands(r, h)?;
    writeln!(h, "</main>")?;
    writeln!(
        h,
        "<footer><p>Generated by {} from {}, as of {}. Every verdict traces back to the dated sources listed under each demand.</p></footer>",
        esc(&r.generator),
        esc(&r.corpus),
        esc(&r.as_of)
    )?;
    writeln!(h, "</body>")?;
    writeln!(h, "</html>")
}

/// Fill patterns, so the kinds of relation stay apart in grey print and for readers who
/// do not see the colours.
fn svg_patterns(h: &mut String) -> std::fmt::Result {
    writeln!(
        h,
        r##"<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>
<pattern id="pat-overlap" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#7fbf7b"/></pattern>
<pattern id="pat-conflict" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1a340"/><rect width="2" height="6" fill="#8c510a"/></pattern>
<pattern id="pat-irreconcilable" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#b2182b"/><path d="M0 0L6 6M6 0L0 6" stroke="#ffffff" stroke-width="1.2"/></pattern>
</defs></svg>"##
    )
}

fn header(r: &Report, h: &mut String) -> std::fmt::Result {
    let total = r.pairs.iter().fold(Counts::default(), |acc, p| Counts {
        overlap: acc.overlap + p.counts.overlap,
        conflict: acc.conflict + p.counts.conflict,
        irreconcilable: acc.irreconcilable + p.counts.irreconcilable,
    });
    writeln!(h, "<header>")?;
    writeln!(h, "<h1>{}</h1>", esc(&r.title))?;
    writeln!(
        h,
        "<p class=\"lede\">{}, {}, {} in {}. Across every pair of parties: {}.</p>",
        crate::view::plural(r.parties.len(), "party", "parties"),
        crate::view::plural(r.issues.len(), "issue", "issues"),
        crate::view::plural(r.demands.len(), "active demand", "active demands"),
        esc(&r.corpus),
        counts_sentence(&total)
    )?;
    let settle = if r.settlements.is_empty() {
        ""
    } else {
        "<a href=\"#settle\">What deal could work</a>"
    };
    let plans = if r.plans.is_empty() {
        ""
    } else {
        "<a href=\"#plans\">Plans</a>"
    };
    writeln!(
        h,
        "<nav aria-label=\"Contents\"><a href=\"#parties\">Parties</a><a href=\"#matrix\">Matrix</a>{settle}{plans}<a href=\"#pairs\">Pairs</a><a href=\"#issues\">Issues</a><a href=\"#demands\">Demands and sources</a></nav>"
    )?;
    writeln!(h, "</header>")
}

/// "3 overlap, 20 conflict, 5 irreconcilable" as badges; a zero is shown quietly.
fn counts_sentence(c: &Counts) -> String {
    RelationKind::ALL
        .iter()
        .map(|&kind| {
            let n = c.of(kind);
            let zero = if n == 0 { " zero" } else { "" };
            format!("<span class=\"rel {kind}{zero}\">{n} {kind}</span>")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn party_name(r: &Report, index: usize) -> String {
    r.parties.get(index).map(|p| esc(&p.name)).unwrap_or_default()
}

fn parties(r: &Report, h: &mut String) -> std::fmt::Result {
    writeln!(h, "<section id=\"parties\">")?;
    writeln!(h, "<h2>Parties</h2>")?;
    writeln!(h, "<ul class=\"cards\">")?;
    for p in &r.parties {
        let aliases = if p.aliases.is_empty() {
            String::new()
        } else {
            format!(
                ", also {}",
                p.aliases.iter().map(|a| esc(a)).collect::<Vec<_>>().join(", ")
            )
        };
        writeln!(
            h,
            "<li class=\"party\" id=\"{}\"><strong>{}</strong> <code>{}</code><br><span class=\"muted\">{}{}</span><br>{}, {}</li>",
            anchor("party", &p.id),
            esc(&p.name),
            esc(&p.id),
            esc(&p.kind),
            aliases,
            crate::view::plural(p.demands, "active demand", "active demands"),
            crate::view::plural(p.red_lines, "red line", "red lines")
        )?;
    }
    writeln!(h, "</ul>")?;
    writeln!(h, "</section>")
}

/// How much two parties clash, 0 (only overlap) to 4 (only conflict), for the colour.
fn heat(c: &Counts) -> usize {
    if c.total() == 0 {
        return 0;
    }
    let clashing = c.conflict + c.irreconcilable;
    (clashing * 4 + c.total() / 2) / c.total()
}

/// The cell's verdict in words, so the heat map reads without its colours.
fn verdict(c: &Counts) -> &'static str {
    if c.total() == 0 {
        "no issue in common"
    } else if c.irreconcilable > 0 {
        "red lines clash"
    } else if c.conflict == 0 {
        "overlap only"
    } else if c.conflict > c.overlap {
        "mostly conflict"
    } else {
        "mostly overlap"
    }
}

fn bar(c: &Counts) -> String {
    let total = c.total().max(1) as f64;
    let mut x = 0.0;
    let mut rects = String::new();
    for kind in RelationKind::ALL {
        let n = c.of(kind);
        if n == 0 {
            continue;
        }
        let width = 100.0 * n as f64 / total;
        let _ = write!(
            rects,
            "<rect x=\"{x:.2}\" width=\"{width:.2}\" height=\"10\" fill=\"url(#pat-{})\"/>",
            kind.as_str()
        );
        x += width;
    }
    format!("<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">{rects}</svg>")
}

fn matrix(r: &Report, h: &mut String) -> std::fmt::Result {
    writeln!(h, "<section id=\"matrix\">")?;
    writeln!(h, "<h2>Party × party</h2>")?;
    writeln!(
        h,
        "<p>Each cell counts the pairs of active demands of two parties by how they relate: <span class=\"rel overlap\">overlap</span> (some outcome both can accept), <span class=\"rel conflict\">conflict</span> (none), <span class=\"rel irreconcilable\">irreconcilable</span> (none, and both call it a red line). The warmer the cell, the larger the share of clashes; the bar shows the shares, hatched for conflict and cross-hatched for irreconcilable. Select a cell for that pair's diff.</p>"
    )?;
    writeln!(h, "<div class=\"scroll\">")?;
    writeln!(h, "<table class=\"matrix\">")?;
    write!(h, "<thead><tr><th scope=\"col\"><span class=\"sr\">party</span></th>")?;
    for p in &r.parties {
        write!(
            h,
            "<th scope=\"col\">{}<br><code>{}</code></th>",
            esc(&p.name),
            esc(&p.id)
        )?;
    }
    writeln!(h, "</tr></thead>")?;
    writeln!(h, "<tbody>")?;
    for (i, row) in r.matrix.iter().enumerate() {
        let Some(party) = r.parties.get(i) else { continue };
        write!(
            h,
            "<tr><th scope=\"row\">{}<br><code>{}</code></th>",
            esc(&party.name),
            esc(&party.id)
        )?;
        for (j, cell) in row.iter().enumerate() {
            match cell {
                None => write!(h, "<td class=\"self\"><span aria-label=\"same party\">—</span></td>")?,
                Some(c) => {
                    let (a, b) = (i.min(j), i.max(j));
                    let red = if c.irreconcilable > 0 { " red" } else { "" };
                    write!(
                        h,
                        "<td class=\"heat h{}{red}\"><a href=\"#{}\"><span class=\"verdict\">{}</span><span class=\"n\"><b>{}</b> overlap</span><span class=\"n\"><b>{}</b> conflict</span><span class=\"n\"><b>{}</b> irreconcilable</span>{}</a></td>",
                        heat(c),
                        pair_anchor(r, a, b),
                        verdict(c),
                        c.overlap,
                        c.conflict,
                        c.irreconcilable,
                        bar(c)
                    )?;
                }
            }
        }
        writeln!(h, "</tr>")?;
    }
    writeln!(h, "</tbody>")?;
    writeln!(h, "</table>")?;
    writeln!(h, "</div>")?;
    writeln!(h, "</section>")
}

fn pair_anchor(r: &Report, a: usize, b: usize) -> String {
    let id = |i: usize| r.parties.get(i).map(|p| p.id.as_str()).unwrap_or("");
    anchor("pair", &format!("{}-vs-{}", id(a), id(b)))
}

fn badge(kind: RelationKind) -> String {
    format!("<span class=\"rel {0}\">{0}</span>", kind.as_str())
}

fn demand_ref(d: &DemandRef) -> String {
    let red = if d.red_line {
        " <span class=\"redline\">red line</span>"
    } else {
        ""
    };
    format!(
        "{}{red}<br><a class=\"id\" href=\"#{}\">{}</a>",
        esc(&d.title),
        anchor("d", &d.id),
        esc(&d.id)
    )
}

fn pairs(r: &Report, h: &mut String) -> std::fmt::Result {
    writeln!(h, "<section id=\"pairs\">")?;
    writeln!(h, "<h2>Pairs</h2>")?;
    for pair in &r.pairs {
        let (name_a, name_b) = (party_name(r, pair.a), party_name(r, pair.b));
        writeln!(h, "<article class=\"pair\" id=\"{}\">", pair_anchor(r, pair.a, pair.b))?;
        writeln!(h, "<h3>{name_a} and {name_b}</h3>")?;
        writeln!(
            h,
            "<p>{}: {}{}.</p>",
            crate::view::plural(pair.counts.total(), "pair", "pairs"),
            counts_sentence(&pair.counts),
            if pair.asserted.is_empty() {
                String::new()
            } else {
                format!(" ({} asserted across issues)", pair.asserted.len())
            }
        )?;
        if !pair.rows.is_empty() {
            writeln!(h, "<table class=\"rows\">")?;
            writeln!(
                h,
                "<thead><tr><th scope=\"col\">Issue</th><th scope=\"col\">{name_a}</th><th scope=\"col\">{name_b}</th><th scope=\"col\">Relation</th><th scope=\"col\">Common ground</th></tr></thead>"
            )?;
            writeln!(h, "<tbody>")?;
            for row in &pair.rows {
                let ground = match (&row.common_ground, &row.shared_goal) {
                    (Some(common), Some(goal)) => format!(
                        "{}<br><span class=\"muted\">both ask for: {}</span>",
                        esc(common),
                        esc(goal)
                    ),
                    (Some(common), None) => esc(common),
                    // Never the word "none": an option may have that id.
                    _ => "<span class=\"muted\" aria-label=\"no common ground\">—</span>".to_string(),
                };
                writeln!(
                    h,
                    "<tr class=\"{}\"><td data-label=\"Issue\"><a href=\"#{}\">{}</a></td><td data-label=\"{name_a}\">{}</td><td data-label=\"{name_b}\">{}</td><td data-label=\"Relation\">{}</td><td data-label=\"Common ground\">{ground}</td></tr>",
                    row.relation.as_str(),
                    anchor("issue", &row.issue_id),
                    esc(&row.issue_title),
                    demand_ref(&row.demand_a),
                    demand_ref(&row.demand_b),
                    badge(row.relation)
                )?;
            }
            writeln!(h, "</tbody>")?;
            writeln!(h, "</table>")?;
        }
        if !pair.asserted.is_empty() {
            writeln!(h, "<h4>Asserted relations across issues</h4>")?;
            writeln!(h, "<table class=\"rows\">")?;
            writeln!(
                h,
                "<thead><tr><th scope=\"col\">{name_a}</th><th scope=\"col\">{name_b}</th><th scope=\"col\">Relation</th><th scope=\"col\">Why</th></tr></thead>"
            )?;
            writeln!(h, "<tbody>")?;
            for row in &pair.asserted {
                let mut why = esc(&row.rationale);
                if !row.sources.is_empty() {
                    why.push_str(&sources_list(&row.sources));
                }
                writeln!(
                    h,
                    "<tr class=\"{}\"><td data-label=\"{name_a}\">{}<br><span class=\"muted\">{}</span></td><td data-label=\"{name_b}\">{}<br><span class=\"muted\">{}</span></td><td data-label=\"Relation\">{}</td><td data-label=\"Why\">{why}</td></tr>",
                    row.relation.as_str(),
                    demand_ref(&row.demand_a),
                    esc(&row.issue_a),
                    demand_ref(&row.demand_b),
                    esc(&row.issue_b),
                    badge(row.relation)
                )?;
            }
            writeln!(h, "</tbody>")?;
            writeln!(h, "</table>")?;
        }
        let issue_links = |ids: &[String]| {
            ids.iter()
                .map(|id| format!("<a href=\"#{}\">{}</a>", anchor("issue", id), esc(id)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !pair.only_a.is_empty() || !pair.only_b.is_empty() {
            writeln!(h, "<dl class=\"only\">")?;
            if !pair.only_a.is_empty() {
                writeln!(
                    h,
                    "<dt>Only {name_a} has a demand on</dt><dd>{}</dd>",
                    issue_links(&pair.only_a)
                )?;
            }
            if !pair.only_b.is_empty() {
                writeln!(
                    h,
                    "<dt>Only {name_b} has a demand on</dt><dd>{}</dd>",
                    issue_links(&pair.only_b)
                )?;
            }
            writeln!(h, "</dl>")?;
        }
        writeln!(h, "</article>")?;
    }
    writeln!(h, "</section>")
}

fn settlements(r: &Report, h: &mut String) -> std::fmt::Result {
    if r.settlements.is_empty() {
        return Ok(());
    }
    writeln!(h, "<section id=\"settle\">")?;
    writeln!(h, "<h2>What deal could work, and what must give</h2>")?;
    writeln!(
        h,
        "<p class=\"muted\">The package of outcomes the parties could best live with, found exactly by <code>positions settle</code>: fewest red lines crossed, then the worst-off party's satisfaction, then the sum. Weights are a convention; satisfaction is not a forecast.</p>"
    )?;
    for card in &r.settlements {
        writeln!(h, "<article class=\"settlement\">")?;
        writeln!(h, "<h3>{}</h3>", esc(&card.heading))?;
        writeln!(h, "<p>{}</p>", esc(&card.summary))?;
        for (caption, table) in &card.tables {
            writeln!(h, "<table class=\"settle\">")?;
            writeln!(h, "<caption>{}</caption>", esc(caption))?;
            write!(h, "<thead><tr>")?;
            for column in &table.columns {
                write!(h, "<th scope=\"col\">{}</th>", esc(column))?;
            }
            writeln!(h, "</tr></thead>")?;
            writeln!(h, "<tbody>")?;
            for row in &table.rows {
                write!(h, "<tr>")?;
                for cell in row {
                    write!(h, "<td>{}</td>", esc(&cell.human()))?;
                }
                writeln!(h, "</tr>")?;
            }
            writeln!(h, "</tbody></table>")?;
        }
        writeln!(h, "</article>")?;
    }
    writeln!(h, "</section>")
}

/// Every plan against every party: what of each party's demands on the plan's issues it
/// meets, accepts or violates, and the red lines it crosses.
fn plans(r: &Report, h: &mut String) -> std::fmt::Result {
    if r.plans.is_empty() {
        return Ok(());
    }
    writeln!(h, "<section id=\"plans\">")?;
    writeln!(h, "<h2>Plans, scored</h2>")?;
    writeln!(
        h,
        "<p class=\"muted\">Each plan of the corpus against each party's active demands on the issues it settles, as <code>positions plan</code> scores it: demands met (the outcome is among those the party wants), acceptable (among those it accepts), violated; red lines crossed are marked. Demands on issues a plan leaves open are not counted here.</p>"
    )?;
    writeln!(h, "<table class=\"rows plans\">")?;
    write!(h, "<thead><tr><th scope=\"col\">plan</th><th scope=\"col\">covers</th>")?;
    for party in &r.parties {
        write!(h, "<th scope=\"col\">{}</th>", esc(&party.id))?;
    }
    writeln!(h, "</tr></thead>")?;
    writeln!(h, "<tbody>")?;
    for plan in &r.plans {
        write!(
            h,
            "<tr id=\"{}\"><th scope=\"row\">{}<br><span class=\"muted\">{} · {} · {}</span></th><td data-label=\"Covers\">{} of {}</td>",
            anchor("plan", &plan.id),
            esc(&plan.title),
            esc(&plan.id),
            esc(&plan.date),
            esc(&plan.evidence),
            plan.covers,
            crate::view::plural(plan.issues, "issue", "issues"),
        )?;
        for (party, t) in r.parties.iter().zip(&plan.tallies) {
            let label = esc(&party.id);
            if t.met + t.acceptable + t.violated == 0 {
                write!(h, "<td data-label=\"{label}\" class=\"muted\">—</td>")?;
                continue;
            }
            let red = if t.red_lines_crossed > 0 {
                format!(
                    "<br><span class=\"rel irreconcilable\">{} crossed</span>",
                    crate::view::plural(t.red_lines_crossed, "red line", "red lines")
                )
            } else {
                String::new()
            };
            write!(
                h,
                "<td data-label=\"{label}\">{} met, {} acceptable, {} violated{red}</td>",
                t.met, t.acceptable, t.violated
            )?;
        }
        writeln!(h, "</tr>")?;
    }
    writeln!(h, "</tbody></table>")?;
    writeln!(h, "</section>")
}

fn issues(r: &Report, h: &mut String) -> std::fmt::Result {
    writeln!(h, "<section id=\"issues\">")?;
    writeln!(h, "<h2>Issues</h2>")?;
    for issue in &r.issues {
        writeln!(h, "<article class=\"issue\" id=\"{}\">", anchor("issue", &issue.id))?;
        writeln!(h, "<h3>{} <code>{}</code></h3>", esc(&issue.title), esc(&issue.id))?;
        write!(h, "<p class=\"muted\">{}", esc(&issue.category))?;
        if let Some(description) = &issue.description {
            write!(h, " · {}", esc(description))?;
        }
        writeln!(h, "</p>")?;
        writeln!(h, "<ul class=\"outcomes\">")?;
        for (id, label) in &issue.outcomes {
            writeln!(h, "<li><code>{}</code> {}</li>", esc(id), esc(label))?;
        }
        writeln!(h, "</ul>")?;
        match &issue.ground {
            Ground::NoStance => {}
            Ground::OnlyOne(party) => writeln!(
                h,
                "<p class=\"ground\"><strong>Only {}</strong> has a demand on this issue: no common ground to find.</p>",
                esc(party)
            )?,
            Ground::Common(common) => writeln!(
                h,
                "<p class=\"ground yes\"><strong>Common ground:</strong> {}</p>",
                esc(common)
            )?,
            Ground::Nearest(nearest) => {
                writeln!(
                    h,
                    "<p class=\"ground no\"><strong>No common ground.</strong> The outcomes the fewest parties reject:</p>"
                )?;
                writeln!(h, "<ul class=\"nearest\">")?;
                for n in nearest {
                    let red = if n.red_lines.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; <span class=\"redline\">red line</span> of {}",
                            n.red_lines.iter().map(|p| esc(p)).collect::<Vec<_>>().join(", ")
                        )
                    };
                    writeln!(
                        h,
                        "<li>{}: rejected by {}{red}</li>",
                        esc(&n.outcome),
                        n.blocked_by.iter().map(|p| esc(p)).collect::<Vec<_>>().join(", ")
                    )?;
                }
                writeln!(h, "</ul>")?;
            }
        }
        if issue.stances.is_empty() {
            writeln!(
                h,
                "<p class=\"muted\">No selected party has an active demand on this issue.</p>"
            )?;
        } else {
            writeln!(h, "<table class=\"rows\">")?;
            writeln!(
                h,
                "<thead><tr><th scope=\"col\">Party</th><th scope=\"col\">Demands</th><th scope=\"col\">Priority</th><th scope=\"col\">Can accept</th></tr></thead>"
            )?;
            writeln!(h, "<tbody>")?;
            for stance in &issue.stances {
                let demands: Vec<String> = stance.demands.iter().map(demand_ref).collect();
                writeln!(
                    h,
                    "<tr><td data-label=\"Party\">{}</td><td data-label=\"Demands\">{}</td><td data-label=\"Priority\">{}{}</td><td data-label=\"Can accept\">{}</td></tr>",
                    party_name(r, stance.party),
                    demands.join("<br>"),
                    esc(&stance.priority),
                    if stance.red_line && stance.priority != "red-line" {
                        " (with a red line)"
                    } else {
                        ""
                    },
                    esc(&stance.acceptable)
                )?;
            }
            writeln!(h, "</tbody>")?;
            writeln!(h, "</table>")?;
        }
        writeln!(h, "</article>")?;
    }
    writeln!(h, "</section>")
}

fn demands(r: &Report, h: &mut String) -> std::fmt::Result {
    writeln!(h, "<section id=\"demands\">")?;
    writeln!(h, "<h2>Demands and sources</h2>")?;
    for (index, party) in r.parties.iter().enumerate() {
        writeln!(h, "<h3>{}</h3>", esc(&party.name))?;
        let own: Vec<&DemandCard> = r.demands.iter().filter(|d| d.party == index).collect();
        if own.is_empty() {
            writeln!(h, "<p class=\"muted\">No active demand on this date.</p>")?;
        }
        for d in own {
            writeln!(h, "<article class=\"demand\" id=\"{}\">", anchor("d", &d.id))?;
            writeln!(
                h,
                "<h4>{}{} <code>{}</code></h4>",
                esc(&d.title),
                if d.red_line {
                    " <span class=\"redline\">red line</span>"
                } else {
                    ""
                },
                esc(&d.id)
            )?;
            let until = d
                .until
                .as_deref()
                .map(|u| format!(", until {}", esc(u)))
                .unwrap_or_default();
            writeln!(
                h,
                "<p class=\"muted\">On <a href=\"#{}\">{}</a> · priority {} · stated {}{until} · evidence {}{}</p>",
                anchor("issue", &d.issue_id),
                esc(&d.issue_title),
                esc(&d.priority),
                esc(&d.stated),
                esc(&d.evidence),
                if d.tags.is_empty() {
                    String::new()
                } else {
                    format!(
                        " · tags {}",
                        d.tags.iter().map(|t| esc(t)).collect::<Vec<_>>().join(", ")
                    )
                }
            )?;
            if let Some(summary) = &d.summary {
                writeln!(h, "<p>{}</p>", esc(summary))?;
            }
            writeln!(
                h,
                "<p><strong>Wants</strong> {} · <strong>accepts</strong> {}</p>",
                esc(&d.wants),
                esc(&d.accepts)
            )?;
            h.push_str(&sources_list(&d.sources));
            writeln!(h, "</article>")?;
        }
    }
    writeln!(h, "</section>")
}

fn sources_list(sources: &[SourceLink]) -> String {
    let mut h = String::from("<ol class=\"sources\">");
    for s in sources {
        let title = match s.url.as_deref().and_then(safe_url) {
            Some(url) => format!(
                "<a class=\"src\" href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                esc(url),
                esc(&s.title)
            ),
            None => match &s.url {
                Some(url) => format!(
                    "{} <span class=\"muted\">(address not linked, not http or https: <code>{}</code>)</span>",
                    esc(&s.title),
                    esc(url)
                ),
                None => format!("{} <span class=\"muted\">(no address)</span>", esc(&s.title)),
            },
        };
        let _ = write!(
            h,
            "<li>{title} <span class=\"muted\">{}, {}</span>",
            esc(&s.by),
            esc(&s.date)
        );
        if let Some(quote) = &s.quote {
            let _ = write!(h, "<blockquote>{}</blockquote>", esc(quote));
        }
        h.push_str("</li>");
    }
    h.push_str("</ol>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(safe_url("https://example.org/a?b=c"), Some("https://example.org/a?b=c"));
        assert_eq!(safe_url("HTTP://EXAMPLE.ORG"), Some("HTTP://EXAMPLE.ORG"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "https://a b",
            "https://x\u{0}y",
            "//example.org",
            "https://",
            "file:///etc/passwd",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn heat_grows_with_the_share_of_clashes() {
        let c = |overlap, conflict, irreconcilable| Counts {
            overlap,
            conflict,
            irreconcilable,
        };
        assert_eq!(heat(&c(5, 0, 0)), 0);
        assert_eq!(heat(&c(1, 1, 0)), 2);
        assert_eq!(heat(&c(0, 3, 5)), 4);
        assert_eq!(verdict(&c(3, 20, 5)), "red lines clash");
        assert_eq!(verdict(&c(10, 2, 0)), "mostly overlap");
    }
}
