//! Exact settlement search (`positions settle`, SPEC §2.1), independent of any corpus types.
//!
//! A [`Problem`] lists parties, issues (each with a number of candidate outcomes), demands
//! (one verdict per candidate of their issue) and clashes (pairs of demands that no package
//! may leave both unviolated). A *package* picks one candidate per issue. Packages are ranked,
//! exactly, by (1) fewest red lines crossed, (2) highest minimum satisfaction over the parties
//! that have one, (3) highest sum of satisfactions. [`solve`] returns the `top` best *distinct*
//! answers (two packages that give every demand the same verdict are one answer).
//!
//! # Method
//!
//! 1. **Reduction.** Per issue, candidates with identical verdict vectors are merged into one
//!    class (its lowest index represents it). Clashes that can no longer bind are dropped, and
//!    clashes with one side fixed remove classes (unit propagation). A class that is dominated
//!    (every verdict ≥, and every clash-involved demand it violates is violated by the
//!    dominator too) by at least `top` other classes is dropped: `top` distinct answers at
//!    least as good as any package using it exist without it. Issues left with one class are
//!    constants.
//! 2. **Stage 1**: a MIP (binary `x[i,k]`, `Σ_k x[i,k] = 1`) minimises red lines crossed → `R*`
//!    (integer objective, gaps 0).
//! 3. **Stage 2 (maximin)**: with red lines ≤ `R*`, the solver maximises `t ≤ S_p` subject to
//!    `N_p ≥ ⌊a·D_p/b⌋ + 1` for every party (⇔ `N_p·b ≥ a·D_p + 1`: strictly better than the
//!    incumbent's exact minimum `a/b`; integer data). A solution is rounded to a package and
//!    scored exactly; it becomes the incumbent and the loop repeats; when the rows are
//!    infeasible, `q* = a/b` exactly. (The maximisation may stop at a small gap,
//!    [`STAGE_GAP`]: it only guides; the infeasibility proof is what certifies.)
//! 4. **Stage 3 (sum)**: with red lines ≤ `R*` and `N_p ≥ ⌈a*·D_p/b*⌉`, the same loop on
//!    `Σ N_p/D_p`, with the row `Σ (L/D_p)·N_p ≥ L·s + 1` (`L = lcm(D_p)`, integers) when that
//!    is small (see [`INTEGER_ROW_LIMIT`]), else the float row `Σ N_p/D_p ≥ s + 1/L` — exact
//!    too, since every strictly better package clears it and tolerances only widen it. What
//!    tolerance lets through (ties, near-ties) fails the exact check and is cut off; only
//!    after more than [`MAX_TOLERANCE_CUTS`] of those does it fall back to a float margin `τ`,
//!    and the answer then carries [`Certificate::SumWithin`]`(τ)`.
//! 5. **Top N**: after each answer a no-good cut on its class selection, and stages 1–3 again.
//!    When the next answer has the same red lines, a package with the previous answer's
//!    minimum (and then sum) is certified by the previous answer's proof (the feasible set only
//!    shrank), so only a feasibility solve is needed for ties.
//! 6. **Exact Lagrangian filter** before every MIP: multipliers from the LP dual of the
//!    relaxation (floating point; any values are valid), then in integer arithmetic a
//!    proof of infeasibility or the removal of classes that no feasible package can use.
//! 7. **Verification**: every figure of every answer is recomputed exactly from the
//!    [`Problem`]; clashes, distinctness, lowest-index representatives and rank order are
//!    checked. Any mismatch is an [`SettleError::Verification`], never a wrong answer.
//!
//! All comparisons are exact (integers, `u128` cross-multiplication, [`BigRational`]); the
//! solver's floating-point values are only used to pick a package, which is then scored
//! exactly. A solver answer that does not survive the exact check is never accepted. What is
//! taken from the solver on trust is its *infeasibility* claims (and stage 1's optimality,
//! an integer objective at gap 0) on rows whose data are small integers or, for the float sum
//! row, exactly implied by "strictly better" — tolerances make a solver accept more, never
//! less, so these claims hold unless the solver itself is wrong.
//!
//! The MIP backend is chosen with one Cargo feature (`highs`, `cbc`, `microlp`); see
//! [`Backend`].

#![forbid(unsafe_code)]

use std::cmp::Ordering;
use std::fmt;
use std::time::{Duration, Instant};

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::Zero;

pub use num_rational::BigRational;

#[cfg(not(any(feature = "highs", feature = "cbc", feature = "microlp")))]
compile_error!("enable one MIP backend feature: `highs`, `cbc` or `microlp`");

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// A demand's verdict on one candidate. Ordered: `Violated < Acceptable < Met`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Violated,
    Acceptable,
    Met,
}

impl Verdict {
    /// Points of the verdict: met 2, acceptable 1, violated 0.
    pub fn points(self) -> u64 {
        match self {
            Verdict::Violated => 0,
            Verdict::Acceptable => 1,
            Verdict::Met => 2,
        }
    }
}

/// The abstract settlement problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Party indices are `0..parties`.
    pub parties: usize,
    /// `issues[i]` = number of candidates of issue `i` (at least 1).
    pub issues: Vec<usize>,
    pub demands: Vec<DemandSpec>,
    /// Pairs of demand indices: no package may leave BOTH unviolated.
    pub clashes: Vec<(usize, usize)>,
}

/// One demand of one party on one issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemandSpec {
    pub party: usize,
    pub issue: usize,
    /// red-line 4, high 3, medium 2, low 1 (any value in `1..=MAX_WEIGHT` is accepted).
    pub weight: u32,
    /// A violated red-line demand is a red line crossed.
    pub red_line: bool,
    /// One verdict per candidate of its issue.
    pub verdicts: Vec<Verdict>,
}

/// Largest accepted demand weight.
pub const MAX_WEIGHT: u32 = 1000;
/// Largest accepted `D_p` (sum of `2 × weight` over a party's demands); keeps every integer the
/// solver sees far inside the range where doubles are exact.
pub const MAX_PARTY_DENOMINATOR: u64 = 1 << 24;
/// Stage 3 certifies with the integer row `Σ (L/D_p)·N_p ≥ L·s + 1` (`L = lcm(D_p)`) when
/// its largest possible activity, `L × (parties with a satisfaction)`, is at most this.
/// Otherwise it uses the float row `Σ N_p/D_p ≥ s + 1/L`, which is just as exact: any strictly
/// better package has a sum of at least `s + 1/L`, and solver tolerances only ever make the
/// solver *more* permissive, so an infeasibility claim still means that nothing is better.
/// What tolerance lets through (the incumbent, ties, near-ties) fails the exact check and is
/// cut off.
pub const INTEGER_ROW_LIMIT: u64 = 1_000_000_000;
/// Packages let through the exact sum row by tolerance only, cut off one by one, before the
/// search falls back to the float margin row `Σ N_p/D_p ≥ s + τ` (see [`Certificate`]).
pub const MAX_TOLERANCE_CUTS: usize = 10;
/// First margin `τ` of the float row (sum units); multiplied by 10 when a solver answer fails
/// the exact check, at most up to [`MAX_MARGIN`].
pub const INITIAL_MARGIN: f64 = 1e-9;
/// Largest margin tried before giving up with an error.
pub const MAX_MARGIN: f64 = 1e-4;
/// Relative MIP gap of the optimisation solves of stages 2 and 3. Their result is never
/// trusted as optimal: the certification solves that follow prove it (or improve on it), so
/// a gap only moves work from proving optimality twice to proving it once.
pub const STAGE_GAP: f64 = 1e-2;

/// One party's score in an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyScore {
    /// `N_p` = Σ weight × points over the party's demands.
    pub numerator: u64,
    /// `D_p` = Σ weight × 2; 0 when the party has no demand (then it has no satisfaction).
    pub denominator: u64,
    pub met: usize,
    pub acceptable: usize,
    pub violated: usize,
}

impl PartyScore {
    /// `N_p / D_p` (reduced), or `None` for a party without demands.
    pub fn satisfaction(&self) -> Option<BigRational> {
        if self.denominator == 0 {
            None
        } else {
            Some(BigRational::new(
                BigInt::from(self.numerator),
                BigInt::from(self.denominator),
            ))
        }
    }
}

/// How far an answer's rank position is proven.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Certificate {
    /// Exactly optimal among the packages not already returned (red lines, minimum and sum).
    Exact,
    /// Red lines and minimum exact; no other remaining package with the same red lines and
    /// minimum has a sum larger by `τ` or more (one better by less than `τ` is not excluded).
    /// Only happens when the solver let more than [`MAX_TOLERANCE_CUTS`] non-improving
    /// packages (ties or near-ties) through the exact row, which needs `1/lcm(D_p)` below the
    /// solver's tolerance (about 1e-9).
    SumWithin(f64),
}

/// One distinct answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The chosen candidate per issue (lowest index among candidates with the same verdicts).
    pub choice: Vec<usize>,
    /// The verdict of every demand (same order as `Problem::demands`).
    pub verdicts: Vec<Verdict>,
    /// Number of violated red-line demands, all parties together.
    pub red_lines_crossed: usize,
    /// One score per party (index = party).
    pub parties: Vec<PartyScore>,
    /// Lowest satisfaction over the parties that have one (`None` when no party has one).
    pub min_satisfaction: Option<BigRational>,
    /// Sum of satisfactions over the parties that have one.
    pub total_satisfaction: BigRational,
    pub certificate: Certificate,
}

impl Answer {
    /// Compares two answers by the ranking: `Greater` means `self` ranks better.
    pub fn rank_cmp(&self, other: &Answer) -> Ordering {
        other
            .red_lines_crossed
            .cmp(&self.red_lines_crossed)
            .then_with(|| cmp_opt_min(&self.min_satisfaction, &other.min_satisfaction))
            .then_with(|| self.total_satisfaction.cmp(&other.total_satisfaction))
    }
}

fn cmp_opt_min(a: &Option<BigRational>, b: &Option<BigRational>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (None, None) => Ordering::Equal,
        // Cannot happen within one problem (which parties have a satisfaction does not depend
        // on the package); ordered for totality.
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
    }
}

/// Errors of [`solve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettleError {
    /// The problem is malformed (index out of range, wrong verdict count, weight 0, …).
    InvalidProblem(String),
    /// The MIP solver failed or returned something that does not survive exact checking.
    Solver(String),
    /// The time limit of [`Options`] ran out.
    TimeLimit,
    /// Exact re-verification of the answers failed (a bug: never a wrong answer).
    Verification(String),
}

impl fmt::Display for SettleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettleError::InvalidProblem(m) => write!(f, "invalid settlement problem: {m}"),
            SettleError::Solver(m) => write!(f, "settlement solver failure: {m}"),
            SettleError::TimeLimit => write!(f, "settlement search ran out of time"),
            SettleError::Verification(m) => write!(f, "settlement answer failed verification: {m}"),
        }
    }
}

impl std::error::Error for SettleError {}

/// The MIP backend (one per enabled Cargo feature).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// HiGHS (feature `highs`, bundled C++ built with cmake).
    #[cfg(feature = "highs")]
    Highs,
    /// COIN-OR CBC (feature `cbc`, system library `coinor-libcbc-dev`).
    #[cfg(feature = "cbc")]
    Cbc,
    /// microlp (feature `microlp`, pure Rust).
    #[cfg(feature = "microlp")]
    Microlp,
}

impl Backend {
    /// The backends compiled in, preferred first.
    pub const AVAILABLE: &'static [Backend] = &[
        #[cfg(feature = "highs")]
        Backend::Highs,
        #[cfg(feature = "cbc")]
        Backend::Cbc,
        #[cfg(feature = "microlp")]
        Backend::Microlp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "highs")]
            Backend::Highs => "highs",
            #[cfg(feature = "cbc")]
            Backend::Cbc => "cbc",
            #[cfg(feature = "microlp")]
            Backend::Microlp => "microlp",
        }
    }
}

// Which variant is the default depends on the features compiled in.
#[allow(clippy::derivable_impls)]
impl Default for Backend {
    fn default() -> Self {
        #[cfg(feature = "highs")]
        {
            Backend::Highs
        }
        #[cfg(all(not(feature = "highs"), feature = "cbc"))]
        {
            Backend::Cbc
        }
        #[cfg(all(not(feature = "highs"), not(feature = "cbc"), feature = "microlp"))]
        {
            Backend::Microlp
        }
    }
}

/// Options of [`solve_with`].
#[derive(Clone, Debug)]
pub struct Options {
    pub backend: Backend,
    /// Wall-clock limit for the whole search; `None` = no limit.
    pub time_limit: Option<Duration>,
    /// Largest activity of the integer sum row (default [`INTEGER_ROW_LIMIT`]); 0 forces the
    /// float row (for tests).
    pub integer_row_limit: u64,
    /// Skip the exact sum row and certify stage 3 with the float margin row only (for tests
    /// of that fallback).
    pub force_margin: bool,
    /// Skip the exact Lagrangian filter (for tests and measurements).
    pub no_filter: bool,
    /// Relative gap of the stage 2 and 3 solves (default [`STAGE_GAP`]; see there).
    pub stage_gap: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            backend: Backend::default(),
            time_limit: None,
            integer_row_limit: INTEGER_ROW_LIMIT,
            force_margin: false,
            no_filter: false,
            stage_gap: STAGE_GAP,
        }
    }
}

/// Counters of one search (for benchmarks and diagnostics).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Candidates over all issues.
    pub candidates: usize,
    /// Classes left after merging and reduction.
    pub classes: usize,
    /// Issues with more than one class left (the others are constants).
    pub free_issues: usize,
    /// Binary variables of the MIP.
    pub variables: usize,
    /// Clash rows of the MIP.
    pub clash_rows: usize,
    /// MIP solves, and of them the ones that proved infeasibility.
    pub mip_solves: usize,
    pub infeasible_solves: usize,
    /// Solver answers rejected by the exact check (then cut off or the margin widened).
    pub rejected: usize,
    /// True when `L = lcm(D_p)` allowed the integer sum row.
    pub integer_sum_row: bool,
    /// Binaries over all MIP solves (after filtering).
    pub mip_variables: usize,
    /// Filter LPs solved, infeasibilities they proved, binaries they removed and kept, time.
    pub filter_lps: usize,
    pub filter_proofs: usize,
    pub filtered_out: usize,
    pub filter_kept: usize,
    pub filter_time: Duration,
    /// Time in solver calls: stage 1, stage 2 (optimise), stage 2 (certify), stage 3
    /// (optimise), stage 3 (certify).
    pub stage_time: [Duration; 5],
}

/// The `top` best distinct answers, best first, with the default [`Options`].
pub fn solve(problem: &Problem, top: usize) -> Result<Vec<Answer>, SettleError> {
    solve_with(problem, top, &Options::default()).map(|(answers, _)| answers)
}

/// The `top` best distinct answers, best first, and the search's counters.
pub fn solve_with(problem: &Problem, top: usize, options: &Options) -> Result<(Vec<Answer>, Stats), SettleError> {
    validate(problem)?;
    let mut search = Search::new(problem, top, options)?;
    let mut answers = search.run()?;
    if answers.iter().any(|a| a.certificate != Certificate::Exact) {
        // A sum only certified to a margin may be beaten by a later answer: keep rank order.
        answers.sort_by(|a, b| b.rank_cmp(a));
    }
    verify(problem, &answers)?;
    Ok((answers, search.stats))
}

// ---------------------------------------------------------------------------------------------
// Validation and exact scoring
// ---------------------------------------------------------------------------------------------

fn validate(p: &Problem) -> Result<(), SettleError> {
    let bad = |m: String| Err(SettleError::InvalidProblem(m));
    for (i, &n) in p.issues.iter().enumerate() {
        if n == 0 {
            return bad(format!("issue {i} has no candidate"));
        }
    }
    let mut den = vec![0u64; p.parties];
    for (j, d) in p.demands.iter().enumerate() {
        if d.party >= p.parties {
            return bad(format!("demand {j}: party {} out of range", d.party));
        }
        let Some(&n) = p.issues.get(d.issue) else {
            return bad(format!("demand {j}: issue {} out of range", d.issue));
        };
        if d.verdicts.len() != n {
            return bad(format!(
                "demand {j}: {} verdicts for {n} candidates of issue {}",
                d.verdicts.len(),
                d.issue
            ));
        }
        if d.weight == 0 || d.weight > MAX_WEIGHT {
            return bad(format!("demand {j}: weight {} outside 1..={MAX_WEIGHT}", d.weight));
        }
        den[d.party] += 2 * u64::from(d.weight);
        if den[d.party] > MAX_PARTY_DENOMINATOR {
            return bad(format!(
                "party {}: total weight too large (D_p > {MAX_PARTY_DENOMINATOR})",
                d.party
            ));
        }
    }
    for (k, &(a, b)) in p.clashes.iter().enumerate() {
        if a >= p.demands.len() || b >= p.demands.len() {
            return bad(format!("clash {k}: demand index out of range"));
        }
    }
    Ok(())
}

/// The exact score of one package (validated problem, valid choice).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Score {
    verdicts: Vec<Verdict>,
    red: usize,
    parties: Vec<PartyScore>,
    /// Minimum as an unreduced fraction `(N_p, D_p)` of a worst-off party.
    min: Option<(u64, u64)>,
}

impl Score {
    fn feasible(&self, p: &Problem) -> bool {
        p.clashes
            .iter()
            .all(|&(a, b)| self.verdicts[a] == Verdict::Violated || self.verdicts[b] == Verdict::Violated)
    }

    fn sum(&self) -> BigRational {
        let mut s = BigRational::zero();
        for ps in &self.parties {
            if let Some(x) = ps.satisfaction() {
                s += x;
            }
        }
        s
    }

    /// `Σ N_p/D_p` in floating point (only to build a margin row).
    fn sum_f64(&self) -> f64 {
        self.parties
            .iter()
            .filter(|ps| ps.denominator > 0)
            .map(|ps| ps.numerator as f64 / ps.denominator as f64)
            .sum()
    }
}

fn score(p: &Problem, choice: &[usize]) -> Score {
    let mut parties = vec![
        PartyScore {
            numerator: 0,
            denominator: 0,
            met: 0,
            acceptable: 0,
            violated: 0
        };
        p.parties
    ];
    let mut verdicts = Vec::with_capacity(p.demands.len());
    let mut red = 0;
    for d in &p.demands {
        let v = d.verdicts[choice[d.issue]];
        verdicts.push(v);
        let ps = &mut parties[d.party];
        ps.numerator += u64::from(d.weight) * v.points();
        ps.denominator += 2 * u64::from(d.weight);
        match v {
            Verdict::Met => ps.met += 1,
            Verdict::Acceptable => ps.acceptable += 1,
            Verdict::Violated => {
                ps.violated += 1;
                if d.red_line {
                    red += 1;
                }
            }
        }
    }
    let mut min: Option<(u64, u64)> = None;
    for ps in &parties {
        if ps.denominator == 0 {
            continue;
        }
        let f = (ps.numerator, ps.denominator);
        min = match min {
            Some(m) if frac_cmp(m, f) != Ordering::Greater => Some(m),
            _ => Some(f),
        };
    }
    Score {
        verdicts,
        red,
        parties,
        min,
    }
}

/// Exact comparison of `a.0/a.1` with `b.0/b.1` (positive denominators).
fn frac_cmp(a: (u64, u64), b: (u64, u64)) -> Ordering {
    (u128::from(a.0) * u128::from(b.1)).cmp(&(u128::from(b.0) * u128::from(a.1)))
}

fn cmp_min(a: Option<(u64, u64)>, b: Option<(u64, u64)>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => frac_cmp(x, y),
        (None, None) => Ordering::Equal,
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
    }
}

fn to_rational(f: (u64, u64)) -> BigRational {
    BigRational::new(BigInt::from(f.0), BigInt::from(f.1))
}

// ---------------------------------------------------------------------------------------------
// Reduction
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Class {
    /// Lowest candidate index with these verdicts.
    rep: usize,
    /// Verdicts of the issue's demands (aligned with `RIssue::demands`).
    verdicts: Vec<Verdict>,
}

#[derive(Clone, Debug)]
struct RIssue {
    demands: Vec<usize>,
    classes: Vec<Class>,
}

struct Reduced {
    issues: Vec<RIssue>,
    /// Position of each demand in its issue's `demands`.
    pos: Vec<usize>,
    /// Clashes still binding (both demands on free issues, different issues).
    clashes: Vec<(usize, usize)>,
    infeasible: bool,
}

impl Reduced {
    fn unviolated(&self, d: usize, issue: usize, class: usize) -> bool {
        self.issues[issue].classes[class].verdicts[self.pos[d]] != Verdict::Violated
    }
}

fn reduce(p: &Problem, top: usize) -> Reduced {
    let mut issues: Vec<RIssue> = p
        .issues
        .iter()
        .map(|_| RIssue {
            demands: Vec::new(),
            classes: Vec::new(),
        })
        .collect();
    let mut pos = vec![0; p.demands.len()];
    for (j, d) in p.demands.iter().enumerate() {
        pos[j] = issues[d.issue].demands.len();
        issues[d.issue].demands.push(j);
    }
    // Merge candidates with identical verdict vectors (first occurrence = lowest index).
    for (i, iss) in issues.iter_mut().enumerate() {
        let mut seen: std::collections::HashMap<Vec<Verdict>, ()> = Default::default();
        for c in 0..p.issues[i] {
            let v: Vec<Verdict> = iss.demands.iter().map(|&j| p.demands[j].verdicts[c]).collect();
            if seen.insert(v.clone(), ()).is_none() {
                iss.classes.push(Class { rep: c, verdicts: v });
            }
        }
    }
    let mut r = Reduced {
        issues,
        pos,
        clashes: p.clashes.clone(),
        infeasible: false,
    };
    loop {
        propagate(p, &mut r);
        if r.infeasible || !dominance(p, &mut r, top) {
            return r;
        }
    }
}

/// Unit propagation of clashes. Returns whether anything changed.
fn propagate(p: &Problem, r: &mut Reduced) -> bool {
    let mut any = false;
    loop {
        let mut changed = false;
        let mut keep = Vec::with_capacity(r.clashes.len());
        let clashes = std::mem::take(&mut r.clashes);
        for &(a, b) in &clashes {
            let (ia, ib) = (p.demands[a].issue, p.demands[b].issue);
            let na = r.issues[ia].classes.len();
            let nb = r.issues[ib].classes.len();
            let ua = (0..na).filter(|&k| r.unviolated(a, ia, k)).count();
            let ub = (0..nb).filter(|&k| r.unviolated(b, ib, k)).count();
            if ia == ib {
                // Same issue: drop the classes that leave both unviolated (a == b: a must be
                // violated).
                let (pa, pb) = (r.pos[a], r.pos[b]);
                let before = na;
                r.issues[ia]
                    .classes
                    .retain(|c| c.verdicts[pa] == Verdict::Violated || c.verdicts[pb] == Verdict::Violated);
                changed |= r.issues[ia].classes.len() != before;
            } else if ua == 0 || ub == 0 {
                // One side always violated: the clash never binds.
            } else if ua == na {
                let pb = r.pos[b];
                r.issues[ib].classes.retain(|c| c.verdicts[pb] == Verdict::Violated);
                changed = true;
            } else if ub == nb {
                let pa = r.pos[a];
                r.issues[ia].classes.retain(|c| c.verdicts[pa] == Verdict::Violated);
                changed = true;
            } else {
                keep.push((a, b));
            }
        }
        r.clashes = keep;
        if r.issues.iter().any(|i| i.classes.is_empty()) {
            r.infeasible = true;
            return true;
        }
        any |= changed;
        if !changed {
            return any;
        }
    }
}

/// Drops classes dominated by at least `top` other classes. Returns whether anything changed.
fn dominance(p: &Problem, r: &mut Reduced, top: usize) -> bool {
    let mut in_clash = vec![false; p.demands.len()];
    for &(a, b) in &r.clashes {
        in_clash[a] = true;
        in_clash[b] = true;
    }
    let mut changed = false;
    for iss in &mut r.issues {
        let n = iss.classes.len();
        if n <= 1 {
            continue;
        }
        let clash_pos: Vec<usize> = iss
            .demands
            .iter()
            .enumerate()
            .filter(|&(_, &j)| in_clash[j])
            .map(|(q, _)| q)
            .collect();
        let dominates = |d: &Class, c: &Class| -> bool {
            d.verdicts.iter().zip(&c.verdicts).all(|(x, y)| x >= y)
                && clash_pos
                    .iter()
                    .all(|&q| c.verdicts[q] != Verdict::Violated || d.verdicts[q] == Verdict::Violated)
        };
        let drop: Vec<bool> = (0..n)
            .map(|c| {
                let count = (0..n)
                    .filter(|&d| d != c && dominates(&iss.classes[d], &iss.classes[c]))
                    .count();
                count >= top
            })
            .collect();
        if drop.iter().any(|&x| x) {
            changed = true;
            let mut k = 0;
            iss.classes.retain(|_| {
                let keep = !drop[k];
                k += 1;
                keep
            });
        }
    }
    changed
}

// ---------------------------------------------------------------------------------------------
// The MIP model (solver-independent form)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Row {
    terms: Vec<(usize, f64)>,
    lo: f64,
    hi: f64,
}

#[derive(Clone, Debug)]
struct Mip {
    /// `(lower, upper, integer)` per variable.
    vars: Vec<(f64, f64, bool)>,
    rows: Vec<Row>,
    objective: Vec<(usize, f64)>,
    maximise: bool,
    /// Relative MIP gap at which the solver may stop (0 = prove optimality).
    rel_gap: f64,
}

/// An integer-valued linear expression over the binaries: `constant + Σ coef·x`.
#[derive(Clone, Debug, Default)]
struct IntExpr {
    constant: i64,
    terms: Vec<(usize, i64)>,
}

impl IntExpr {
    fn float_terms(&self, scale: f64) -> Vec<(usize, f64)> {
        self.terms
            .iter()
            .filter(|&&(_, c)| c != 0)
            .map(|&(v, c)| (v, c as f64 * scale))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------------------------

enum MipResult {
    Infeasible,
    Solution(Vec<f64>),
}

fn run_mip(m: &Mip, backend: Backend, deadline: Option<Instant>) -> Result<MipResult, SettleError> {
    use good_lp::{
        Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel, Variable, variable,
    };

    let remaining = match deadline {
        Some(d) => {
            let now = Instant::now();
            if now >= d {
                return Err(SettleError::TimeLimit);
            }
            Some((d - now).as_secs_f64())
        }
        None => None,
    };

    let mut vars = ProblemVariables::new();
    let xs: Vec<Variable> = m
        .vars
        .iter()
        .map(|&(lo, hi, int)| {
            if int && lo == 0.0 && hi == 1.0 {
                vars.add(variable().binary())
            } else {
                let mut d = variable();
                if lo.is_finite() {
                    d = d.min(lo);
                }
                if hi.is_finite() {
                    d = d.max(hi);
                }
                if int {
                    d = d.integer();
                }
                vars.add(d)
            }
        })
        .collect();
    let n_vars = xs.len();
    let expr = |terms: &[(usize, f64)]| -> Expression {
        let mut e = Expression::with_capacity(terms.len());
        for &(v, c) in terms {
            e.add_mul(c, xs[v]);
        }
        e
    };
    let objective = expr(&m.objective);
    let mut constraints = Vec::with_capacity(m.rows.len() + 1);
    for row in &m.rows {
        if row.lo == row.hi {
            constraints.push(expr(&row.terms).eq(row.lo));
        } else {
            if row.lo.is_finite() {
                constraints.push(expr(&row.terms).geq(row.lo));
            }
            if row.hi.is_finite() {
                constraints.push(expr(&row.terms).leq(row.hi));
            }
        }
    }
    let unsolved = if m.maximise {
        vars.maximise(objective)
    } else {
        vars.minimise(objective)
    };

    fn finish<S: Solution>(
        r: Result<S, ResolutionError>,
        xs: &[Variable],
        n: usize,
        gap_ok: bool,
    ) -> Result<MipResult, SettleError> {
        match r {
            Ok(sol) => match sol.status() {
                SolutionStatus::Optimal => Ok(MipResult::Solution(xs[..n].iter().map(|&v| sol.value(v)).collect())),
                SolutionStatus::GapLimit if gap_ok => {
                    Ok(MipResult::Solution(xs[..n].iter().map(|&v| sol.value(v)).collect()))
                }
                SolutionStatus::TimeLimit => Err(SettleError::TimeLimit),
                SolutionStatus::GapLimit => Err(SettleError::Solver("solver stopped on a MIP gap".into())),
            },
            Err(ResolutionError::Infeasible) => Ok(MipResult::Infeasible),
            Err(e) => Err(SettleError::Solver(e.to_string())),
        }
    }

    match backend {
        #[cfg(feature = "highs")]
        Backend::Highs => {
            let mut model = unsolved
                .using(good_lp::solvers::highs::highs)
                .set_option("mip_rel_gap", m.rel_gap)
                .set_option("mip_abs_gap", 0.0)
                .set_option("mip_feasibility_tolerance", 1e-9)
                .set_option("primal_feasibility_tolerance", 1e-9)
                .set_option("threads", 1)
                .set_option("parallel", "off");
            if let Some(s) = remaining {
                model = model.set_time_limit(s);
            }
            let model = model.with_all(constraints);
            finish(model.solve(), &xs, n_vars, m.rel_gap > 0.0)
        }
        #[cfg(feature = "cbc")]
        Backend::Cbc => {
            let mut model = unsolved.using(good_lp::solvers::coin_cbc::coin_cbc);
            model.set_parameter("log", "0");
            model.set_parameter("ratioGap", &format!("{}", m.rel_gap));
            model.set_parameter("allowableGap", "0");
            model.set_parameter("integerTolerance", "1e-9");
            model.set_parameter("primalTolerance", "1e-9");
            model.set_parameter("threads", "1");
            if let Some(s) = remaining {
                model.set_parameter("sec", &format!("{}", s.ceil().max(1.0)));
            }
            let model = model.with_all(constraints);
            finish(model.solve(), &xs, n_vars, m.rel_gap > 0.0)
        }
        #[cfg(feature = "microlp")]
        Backend::Microlp => {
            use good_lp::{WithMipGap, WithTimeLimit};
            let mut model = unsolved
                .using(good_lp::solvers::microlp::microlp)
                .with_mip_gap(m.rel_gap as f32)
                .map_err(|e| SettleError::Solver(e.to_string()))?;
            if let Some(s) = remaining {
                model = model.with_time_limit(s);
            }
            let model = model.with_all(constraints);
            finish(model.solve(), &xs, n_vars, m.rel_gap > 0.0)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The staged search
// ---------------------------------------------------------------------------------------------

/// A package in reduced form plus its exact score.
#[derive(Clone, Debug)]
struct Cand {
    /// Class per issue.
    classes: Vec<usize>,
    score: Score,
}

/// An exact constraint `Σ coef·x ≥ lo` over the binaries, and the row the solver gets.
#[derive(Clone, Debug)]
struct ERow {
    terms: Vec<(usize, BigInt)>,
    lo: BigInt,
    /// The solver's form when it is not the exact row itself (the float sum rows).
    float: Option<Row>,
}

impl ERow {
    fn int(terms: impl IntoIterator<Item = (usize, i64)>, lo: i64) -> ERow {
        ERow {
            terms: terms
                .into_iter()
                .filter(|&(_, c)| c != 0)
                .map(|(v, c)| (v, BigInt::from(c)))
                .collect(),
            lo: BigInt::from(lo),
            float: None,
        }
    }

    fn solver_row(&self) -> Row {
        use num_traits::ToPrimitive;
        match &self.float {
            Some(r) => r.clone(),
            None => Row {
                terms: self
                    .terms
                    .iter()
                    .map(|(v, c)| (*v, c.to_f64().unwrap_or(f64::NAN)))
                    .collect(),
                lo: self.lo.to_f64().unwrap_or(f64::NAN),
                hi: f64::INFINITY,
            },
        }
    }

    /// Exact evaluation for a package given as a selected-variable mask.
    fn holds(&self, selected: &[bool]) -> bool {
        let mut act = BigInt::zero();
        for (v, c) in &self.terms {
            if selected[*v] {
                act += c;
            }
        }
        act >= self.lo
    }
}

/// What the exact Lagrangian filter concluded.
enum Filter {
    /// No package satisfies the rows (proved in integer arithmetic).
    Infeasible,
    /// Which binaries may be 1 in a package satisfying the rows.
    Allowed(Vec<bool>),
}

struct Search<'a> {
    p: &'a Problem,
    top: usize,
    backend: Backend,
    deadline: Option<Instant>,
    r: Reduced,
    /// `var[i][k]` = binary of class `k` of issue `i` (free issues only).
    var: Vec<Vec<Option<usize>>>,
    /// Binaries of each free issue.
    free: Vec<Vec<usize>>,
    n_bin: usize,
    /// Rows every model has: clashes and no-good cuts.
    base: Vec<ERow>,
    /// Parties with a satisfaction and their `N_p` expression and `D_p`.
    party_expr: Vec<(usize, IntExpr, u64)>,
    red_expr: IntExpr,
    /// `lcm(D_p)` of the parties with a satisfaction.
    big_l: BigInt,
    /// `L` when the integer sum row goes to the solver (see [`INTEGER_ROW_LIMIT`]).
    lcm_small: bool,
    /// `1/L` rounded down (0 when tiny): the step of the exact float sum row.
    tau_exact: f64,
    force_margin: bool,
    use_filter: bool,
    stage_gap: f64,
    /// The previous answer and its certificate.
    prev: Option<(Cand, Certificate)>,
    stats: Stats,
}

impl<'a> Search<'a> {
    fn new(p: &'a Problem, top: usize, options: &Options) -> Result<Self, SettleError> {
        let deadline = options.time_limit.map(|d| Instant::now() + d);
        let r = reduce(p, top.max(1));
        let mut var = Vec::with_capacity(r.issues.len());
        let mut free = Vec::new();
        let mut n_bin = 0;
        for iss in &r.issues {
            if iss.classes.len() > 1 {
                var.push((0..iss.classes.len()).map(|k| Some(n_bin + k)).collect());
                free.push((n_bin..n_bin + iss.classes.len()).collect());
                n_bin += iss.classes.len();
            } else {
                var.push(vec![None; iss.classes.len()]);
            }
        }
        // Clash rows: unviolated(a) + unviolated(b) <= 1, i.e. -Σ x >= -1.
        let mut base = Vec::new();
        for &(a, b) in &r.clashes {
            let mut terms = Vec::new();
            for &d in &[a, b] {
                let i = p.demands[d].issue;
                for (k, v) in var[i].iter().enumerate().take(r.issues[i].classes.len()) {
                    if let Some(v) = v
                        && r.unviolated(d, i, k)
                    {
                        terms.push((*v, -1));
                    }
                }
            }
            base.push(ERow::int(terms, -1));
        }
        // Party and red-line expressions.
        let mut exprs: Vec<IntExpr> = vec![IntExpr::default(); p.parties];
        let mut dens = vec![0u64; p.parties];
        let mut red_expr = IntExpr::default();
        for (i, iss) in r.issues.iter().enumerate() {
            let mut coef: Vec<Vec<i64>> = vec![Vec::new(); p.parties];
            let mut red = vec![0i64; iss.classes.len()];
            for (q, &j) in iss.demands.iter().enumerate() {
                let d = &p.demands[j];
                dens[d.party] += 2 * u64::from(d.weight);
                let row = &mut coef[d.party];
                if row.is_empty() {
                    row.resize(iss.classes.len(), 0);
                }
                for (k, c) in iss.classes.iter().enumerate() {
                    let v = c.verdicts[q];
                    row[k] += i64::from(d.weight) * v.points() as i64;
                    if d.red_line && v == Verdict::Violated {
                        red[k] += 1;
                    }
                }
            }
            if iss.classes.len() > 1 {
                for (party, row) in coef.iter().enumerate() {
                    for (k, &c) in row.iter().enumerate() {
                        if let (true, Some(v)) = (c != 0, var[i][k]) {
                            exprs[party].terms.push((v, c));
                        }
                    }
                }
                for (k, &c) in red.iter().enumerate() {
                    if let (true, Some(v)) = (c != 0, var[i][k]) {
                        red_expr.terms.push((v, c));
                    }
                }
            } else {
                for (party, row) in coef.iter().enumerate() {
                    if let Some(&c) = row.first() {
                        exprs[party].constant += c;
                    }
                }
                red_expr.constant += red.first().copied().unwrap_or(0);
            }
        }
        let party_expr: Vec<(usize, IntExpr, u64)> = exprs
            .into_iter()
            .enumerate()
            .filter(|&(p, _)| dens[p] > 0)
            .map(|(p, e)| (p, e, dens[p]))
            .collect();
        let mut big_l = BigInt::from(1u32);
        for &(_, _, d) in &party_expr {
            big_l = big_l.lcm(&BigInt::from(d));
        }
        // activity bound of the integer row: Σ_p (L/D_p)·N_p ≤ L × parties
        let lcm_small = &big_l * BigInt::from(party_expr.len()) <= BigInt::from(options.integer_row_limit);
        let tau_exact = {
            use num_traits::ToPrimitive;
            let l = big_l.to_f64().unwrap_or(f64::INFINITY);
            if l.is_finite() && l > 0.0 {
                (1.0 / l) * (1.0 - 1e-9)
            } else {
                0.0
            }
        };
        let stats = Stats {
            candidates: p.issues.iter().sum(),
            classes: r.issues.iter().map(|i| i.classes.len()).sum(),
            free_issues: free.len(),
            variables: n_bin,
            clash_rows: r.clashes.len(),
            integer_sum_row: lcm_small,
            ..Stats::default()
        };
        Ok(Search {
            p,
            top,
            backend: options.backend,
            deadline,
            r,
            var,
            free,
            n_bin,
            base,
            party_expr,
            red_expr,
            big_l,
            lcm_small,
            tau_exact,
            force_margin: options.force_margin,
            use_filter: !options.no_filter,
            stage_gap: if options.stage_gap.is_finite() && options.stage_gap >= 0.0 {
                options.stage_gap
            } else {
                STAGE_GAP
            },
            prev: None,
            stats,
        })
    }

    fn choice_of(&self, classes: &[usize]) -> Vec<usize> {
        classes
            .iter()
            .enumerate()
            .map(|(i, &k)| self.r.issues[i].classes[k].rep)
            .collect()
    }

    fn cand(&self, classes: Vec<usize>) -> Cand {
        let score = score(self.p, &self.choice_of(&classes));
        Cand { classes, score }
    }

    fn selected(&self, c: &Cand) -> Vec<bool> {
        let mut sel = vec![false; self.n_bin];
        for (i, &k) in c.classes.iter().enumerate() {
            if let Some(Some(v)) = self.var[i].get(k) {
                sel[*v] = true;
            }
        }
        sel
    }

    fn run(&mut self) -> Result<Vec<Answer>, SettleError> {
        let mut answers = Vec::new();
        if self.top == 0 || self.r.infeasible {
            return Ok(answers);
        }
        if self.n_bin == 0 {
            // Every issue is a constant: one package.
            let c = self.cand(vec![0; self.r.issues.len()]);
            if c.score.feasible(self.p) {
                answers.push(self.answer(&c, Certificate::Exact));
            }
            return Ok(answers);
        }
        while answers.len() < self.top {
            let Some((best, cert)) = self.best()? else { break };
            answers.push(self.answer(&best, cert));
            self.base.push(self.nogood(&best));
            self.prev = Some((best, cert));
        }
        Ok(answers)
    }

    fn answer(&self, c: &Cand, certificate: Certificate) -> Answer {
        let s = &c.score;
        Answer {
            choice: self.choice_of(&c.classes),
            verdicts: s.verdicts.clone(),
            red_lines_crossed: s.red,
            parties: s.parties.clone(),
            min_satisfaction: s.min.map(to_rational),
            total_satisfaction: s.sum(),
            certificate,
        }
    }

    /// No-good cut: not all of this package's free classes again (`-Σ x ≥ 1 - n`).
    fn nogood(&self, c: &Cand) -> ERow {
        let terms: Vec<(usize, i64)> = c
            .classes
            .iter()
            .enumerate()
            .filter_map(|(i, &k)| self.var[i][k].map(|v| (v, -1)))
            .collect();
        let n = terms.len() as i64;
        ERow::int(terms, 1 - n)
    }

    /// `red ≤ max`.
    fn red_erow(&self, max: usize) -> ERow {
        ERow::int(
            self.red_expr.terms.iter().map(|&(v, c)| (v, -c)),
            self.red_expr.constant - max as i64,
        )
    }

    /// `N_p ≥ f(D_p)` for every party with a satisfaction.
    fn threshold_erows(&self, f: impl Fn(u64) -> i64) -> Vec<ERow> {
        self.party_expr
            .iter()
            .map(|(_, e, d)| ERow::int(e.terms.iter().copied(), f(*d) - e.constant))
            .collect()
    }

    /// Rows `t ≤ N_p / D_p` (stage 2; `t` is the continuous variable `n_bin`).
    fn t_rows(&self) -> Vec<Row> {
        let t = self.n_bin;
        self.party_expr
            .iter()
            .map(|(_, e, d)| {
                let s = 1.0 / *d as f64;
                let mut terms: Vec<(usize, f64)> = e.float_terms(-s);
                terms.push((t, 1.0));
                Row {
                    terms,
                    lo: f64::NEG_INFINITY,
                    hi: e.constant as f64 * s,
                }
            })
            .collect()
    }

    /// Objective `Σ N_p / D_p` (constants dropped).
    fn sum_objective(&self) -> Vec<(usize, f64)> {
        let mut obj: Vec<(usize, f64)> = Vec::new();
        for (_, e, d) in &self.party_expr {
            obj.extend(e.float_terms(1.0 / *d as f64));
        }
        obj
    }

    /// `sum > s` (`strict`) or `sum ≥ s`, `s` the sum of `score`. The exact row is always
    /// `Σ (L/D_p)·N_p ≥ L·s (+ 1)`; the solver gets it as it is when `L` is small, else the
    /// float row `Σ N_p/D_p ≥ s (+ 1/L)`, or with a margin `Σ N_p/D_p ≥ s ± τ`.
    fn sum_erow(&self, score: &Score, margin: Option<f64>, strict: bool) -> ERow {
        let mut acc: std::collections::HashMap<usize, BigInt> = Default::default();
        let mut constant = BigInt::zero();
        let mut ls = BigInt::zero();
        for (party, e, d) in &self.party_expr {
            let f = &self.big_l / BigInt::from(*d);
            for &(v, c) in &e.terms {
                *acc.entry(v).or_insert_with(BigInt::zero) += &f * BigInt::from(c);
            }
            constant += &f * BigInt::from(e.constant);
            ls += &f * BigInt::from(score.parties[*party].numerator);
        }
        let mut terms: Vec<(usize, BigInt)> = acc.into_iter().filter(|(_, c)| !c.is_zero()).collect();
        terms.sort_by_key(|(v, _)| *v);
        let lo = ls + BigInt::from(u8::from(strict)) - constant;
        let float = if self.lcm_small && margin.is_none() {
            None
        } else {
            let mut fterms = Vec::new();
            let mut fconst = 0.0;
            for (_, e, d) in &self.party_expr {
                let s = 1.0 / *d as f64;
                fterms.extend(e.float_terms(s));
                fconst += e.constant as f64 * s;
            }
            let step = margin.unwrap_or(self.tau_exact);
            let shift = if strict { step } else { -step };
            Some(Row {
                terms: fterms,
                lo: score.sum_f64() + shift - fconst,
                hi: f64::INFINITY,
            })
        };
        ERow { terms, lo, float }
    }

    /// The exact Lagrangian filter. The multipliers come from the dual of the LP relaxation
    /// (solved in floating point, any values are valid); everything after that is integer
    /// arithmetic: for integer multipliers `Λ_r ≥ 0` every package satisfying the rows has
    /// `Σ_i g_i(k_i) ≥ Σ_r Λ_r·lo_r` with `g_i(k) = Σ_r Λ_r·coef_r(x[i,k])`. So if even the best
    /// class per issue falls short, nothing is feasible; and a class whose loss against its
    /// issue's best exceeds the slack `G = Σ_i max_k g_i(k) − Σ_r Λ_r·lo_r` is in no feasible
    /// package.
    fn filter(&self, rows: &[&ERow], st: &mut Stats) -> Result<Filter, SettleError> {
        use num_traits::{Signed, ToPrimitive};
        let n_free = self.free.len();
        // Scaled float data for the LP.
        let scales: Vec<BigInt> = rows
            .iter()
            .map(|r| {
                r.terms
                    .iter()
                    .map(|(_, c)| c.abs())
                    .max()
                    .unwrap_or_else(BigInt::zero)
                    .max(BigInt::from(1))
            })
            .collect();
        // LP: variables z_0..z_{n_free-1} (free), π_r >= 0; min Σ z_i − Σ π_r·lo_r/s_r
        // s.t. z_i − Σ_r π_r·coef_r(v)/s_r >= 0 for every binary v of issue i; Σ π_r = 1.
        let mut issue_of = vec![0usize; self.n_bin];
        for (fi, vs) in self.free.iter().enumerate() {
            for &v in vs {
                issue_of[v] = fi;
            }
        }
        let mut col_terms: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.n_bin];
        for (ri, r) in rows.iter().enumerate() {
            let s = scales[ri].to_f64().unwrap_or(f64::INFINITY);
            for (v, c) in &r.terms {
                let a = c.to_f64().unwrap_or(f64::NAN) / s;
                col_terms[*v].push((n_free + ri, -a));
            }
        }
        let n_lp = n_free + rows.len();
        let mut lp_rows = Vec::with_capacity(self.n_bin + 1);
        for (v, terms) in col_terms.into_iter().enumerate() {
            let mut t = terms;
            t.push((issue_of[v], 1.0));
            lp_rows.push(Row {
                terms: t,
                lo: 0.0,
                hi: f64::INFINITY,
            });
        }
        lp_rows.push(Row {
            terms: (n_free..n_lp).map(|c| (c, 1.0)).collect(),
            lo: 1.0,
            hi: 1.0,
        });
        let mut objective: Vec<(usize, f64)> = (0..n_free).map(|i| (i, 1.0)).collect();
        for (ri, r) in rows.iter().enumerate() {
            let s = scales[ri].to_f64().unwrap_or(f64::INFINITY);
            let b = r.lo.to_f64().unwrap_or(f64::NAN) / s;
            if b != 0.0 {
                objective.push((n_free + ri, -b));
            }
        }
        let mut vars = vec![(f64::NEG_INFINITY, f64::INFINITY, false); n_free];
        vars.extend(std::iter::repeat_n((0.0, f64::INFINITY, false), rows.len()));
        let lp = Mip {
            vars,
            rows: lp_rows,
            objective,
            maximise: false,
            rel_gap: 0.0,
        };
        let t0 = Instant::now();
        let res = run_mip(&lp, self.backend, self.deadline);
        st.filter_time += t0.elapsed();
        st.filter_lps += 1;
        let pi = match res {
            Ok(MipResult::Solution(x)) => x[n_free..].to_vec(),
            Err(SettleError::TimeLimit) => return Err(SettleError::TimeLimit),
            // The filter is only an accelerator: without multipliers, keep everything.
            _ => return Ok(Filter::Allowed(vec![true; self.n_bin])),
        };
        // Exact integer multipliers Λ_r = ⌊π_r·2^K / s_r⌋.
        let k_bits = 64 + scales.iter().map(|s| s.bits()).max().unwrap_or(0);
        let two_k = BigRational::from_integer(BigInt::from(1) << k_bits);
        let lambda: Vec<BigInt> = pi
            .iter()
            .zip(&scales)
            .map(|(&p, s)| match BigRational::from_float(p) {
                Some(r) if p > 0.0 => (r * &two_k / BigRational::from_integer(s.clone())).floor().to_integer(),
                _ => BigInt::zero(),
            })
            .collect();
        let mut g = vec![BigInt::zero(); self.n_bin];
        let mut rhs = BigInt::zero();
        for (r, l) in rows.iter().zip(&lambda) {
            if l.is_zero() {
                continue;
            }
            for (v, c) in &r.terms {
                g[*v] += l * c;
            }
            rhs += l * &r.lo;
        }
        let mut total = BigInt::zero();
        let mut best: Vec<BigInt> = Vec::with_capacity(n_free);
        for vs in &self.free {
            let m = vs.iter().map(|&v| &g[v]).max().cloned().unwrap_or_else(BigInt::zero);
            total += &m;
            best.push(m);
        }
        let slack = total - rhs;
        if slack.is_negative() {
            st.filter_proofs += 1;
            return Ok(Filter::Infeasible);
        }
        let mut allowed = vec![true; self.n_bin];
        for (fi, vs) in self.free.iter().enumerate() {
            for &v in vs {
                if &best[fi] - &g[v] > slack {
                    allowed[v] = false;
                    st.filtered_out += 1;
                }
            }
        }
        st.filter_kept += allowed.iter().filter(|&&a| a).count();
        Ok(Filter::Allowed(allowed))
    }

    /// One MIP: the base rows and `rows` (exact), plus `extra` solver-only rows (the `t`
    /// rows); filtered, solved, rounded to a package. `None` = infeasible.
    #[allow(clippy::too_many_arguments)]
    fn solve_stage(
        &mut self,
        rows: &[ERow],
        extra: Vec<Row>,
        objective: Vec<(usize, f64)>,
        maximise: bool,
        with_t: bool,
        rel_gap: f64,
        stage: usize,
    ) -> Result<Option<Cand>, SettleError> {
        let all: Vec<&ERow> = self.base.iter().chain(rows.iter()).collect();
        let allowed = if self.use_filter {
            let t0 = Instant::now();
            let mut st = std::mem::take(&mut self.stats);
            let f = self.filter(&all, &mut st);
            st.stage_time[stage] += t0.elapsed();
            self.stats = st;
            match f? {
                Filter::Infeasible => {
                    self.stats.infeasible_solves += 1;
                    return Ok(None);
                }
                Filter::Allowed(a) => a,
            }
        } else {
            vec![true; self.n_bin]
        };
        // Compact model over the allowed binaries.
        let mut local = vec![usize::MAX; self.n_bin];
        let mut global = Vec::new();
        let mut issue_rows = Vec::with_capacity(self.free.len());
        for vs in &self.free {
            let mut terms = Vec::new();
            for &v in vs {
                if allowed[v] {
                    local[v] = global.len();
                    terms.push((global.len(), 1.0));
                    global.push(v);
                }
            }
            if terms.is_empty() {
                self.stats.infeasible_solves += 1;
                return Ok(None);
            }
            issue_rows.push(Row {
                terms,
                lo: 1.0,
                hi: 1.0,
            });
        }
        let n_local = global.len();
        let t_local = n_local;
        let remap = |row: Row| -> Row {
            let terms = row
                .terms
                .into_iter()
                .filter_map(|(v, c)| {
                    if v == self.n_bin {
                        Some((t_local, c))
                    } else if local[v] != usize::MAX {
                        Some((local[v], c))
                    } else {
                        None
                    }
                })
                .collect();
            Row {
                terms,
                lo: row.lo,
                hi: row.hi,
            }
        };
        let mut mrows = issue_rows;
        for r in all.iter().map(|r| r.solver_row()).chain(extra) {
            let r = remap(r);
            if r.terms.is_empty() {
                if 0.0 < r.lo || 0.0 > r.hi {
                    self.stats.infeasible_solves += 1;
                    return Ok(None);
                }
                continue;
            }
            mrows.push(r);
        }
        let objective: Vec<(usize, f64)> = remap(Row {
            terms: objective,
            lo: 0.0,
            hi: 0.0,
        })
        .terms;
        let mut vars = vec![(0.0, 1.0, true); n_local];
        if with_t {
            vars.push((0.0, 1.0, false));
        }
        let m = Mip {
            vars,
            rows: mrows,
            objective,
            maximise,
            rel_gap,
        };
        self.stats.mip_solves += 1;
        self.stats.mip_variables += n_local;
        let t0 = Instant::now();
        let res = run_mip(&m, self.backend, self.deadline);
        self.stats.stage_time[stage] += t0.elapsed();
        let x = match res {
            Ok(MipResult::Infeasible) => {
                self.stats.infeasible_solves += 1;
                return Ok(None);
            }
            Ok(MipResult::Solution(x)) => x,
            Err(SettleError::Solver(msg)) => {
                if self.deadline.is_some_and(|d| Instant::now() >= d) {
                    return Err(SettleError::TimeLimit);
                }
                return Err(SettleError::Solver(format!(
                    "{} (stage {}): {msg}",
                    self.backend.name(),
                    ["1", "2", "2 certification", "3", "3 certification"][stage]
                )));
            }
            Err(e) => return Err(e),
        };
        let mut classes = Vec::with_capacity(self.r.issues.len());
        for (i, vs) in self.var.iter().enumerate() {
            if vs.len() <= 1 {
                classes.push(0);
                continue;
            }
            let mut best = usize::MAX;
            let mut best_val = f64::NEG_INFINITY;
            for (k, v) in vs.iter().enumerate() {
                let val = match v {
                    Some(v) if local[*v] != usize::MAX => x[local[*v]],
                    _ => continue,
                };
                if val > best_val {
                    best_val = val;
                    best = k;
                }
            }
            if best_val.partial_cmp(&0.5) != Some(Ordering::Greater) {
                return Err(SettleError::Solver(format!(
                    "solver returned no class for issue {i} (largest value {best_val})"
                )));
            }
            classes.push(best);
        }
        let c = self.cand(classes);
        // The hard rows must hold exactly (clashes, no-goods).
        if !c.score.feasible(self.p) {
            return Err(SettleError::Solver("solver package violates a clash".into()));
        }
        let sel = self.selected(&c);
        if !self.base.iter().all(|r| r.holds(&sel)) {
            return Err(SettleError::Solver("solver package violates a cut".into()));
        }
        Ok(Some(c))
    }

    fn better_min(a: &Cand, b: &Cand) -> bool {
        cmp_min(a.score.min, b.score.min) == Ordering::Greater
    }

    /// Stages 1–3 for the next answer.
    fn best(&mut self) -> Result<Option<(Cand, Certificate)>, SettleError> {
        // ---- Stage 1: fewest red lines (integer objective, gaps 0).
        let obj = self.red_expr.float_terms(1.0);
        let Some(c1) = self.solve_stage(&[], vec![], obj, false, false, 0.0, 0)? else {
            return Ok(None);
        };
        let r_star = c1.score.red;
        if self.party_expr.is_empty() {
            return Ok(Some((c1, Certificate::Exact)));
        }
        // The previous answer, when this one can have the same red lines: the feasible set
        // only shrank since, so its certified minimum (and sum) bound this answer's.
        let prev = self.prev.clone().filter(|(c, _)| c.score.red == r_star);
        let t_obj = vec![(self.n_bin, 1.0)];

        // ---- Stage 2: maximin.
        let mut best = c1;
        let mut q_known = false;
        if let Some((pc, _)) = &prev
            && let Some((a, b)) = pc.score.min
        {
            {
                // A package with min ≥ q_prev has min = q_prev exactly.
                let mut rows = vec![self.red_erow(r_star)];
                rows.extend(self.threshold_erows(|d| (u128::from(a) * u128::from(d)).div_ceil(u128::from(b)) as i64));
                let extra = self.t_rows();
                if let Some(c) = self.solve_stage(&rows, extra, t_obj.clone(), true, true, self.stage_gap, 1)? {
                    match cmp_min(c.score.min, pc.score.min) {
                        Ordering::Greater => {
                            return Err(SettleError::Verification(
                                "a package beats the certified minimum of the previous answer".into(),
                            ));
                        }
                        Ordering::Equal if c.score.red <= r_star => {
                            best = c;
                            q_known = true;
                        }
                        _ => self.stats.rejected += 1,
                    }
                }
            }
        }
        if !q_known {
            // Improve until it is proved, with integer rows N_p ≥ ⌊a·D_p/b⌋ + 1
            // (⇔ N_p·b ≥ a·D_p + 1), that nothing is strictly better.
            let mut cuts: Vec<ERow> = Vec::new();
            let mut rejected_here = 0;
            let mut first = true;
            while let Some((a, b)) = best.score.min {
                let mut rows = vec![self.red_erow(r_star)];
                rows.extend(self.threshold_erows(|d| ((u128::from(a) * u128::from(d)) / u128::from(b)) as i64 + 1));
                rows.extend(cuts.iter().cloned());
                let stage = if first { 1 } else { 2 };
                first = false;
                let extra = self.t_rows();
                match self.solve_stage(&rows, extra, t_obj.clone(), true, true, self.stage_gap, stage)? {
                    None => break,
                    Some(c) => {
                        if c.score.red <= r_star && Self::better_min(&c, &best) {
                            best = c;
                            cuts.clear();
                        } else {
                            self.stats.rejected += 1;
                            rejected_here += 1;
                            if rejected_here > MAX_TOLERANCE_CUTS {
                                return Err(SettleError::Solver(
                                    "maximin certification: solver keeps returning packages that \
                                     are not strictly better"
                                        .into(),
                                ));
                            }
                            cuts.push(self.nogood(&c));
                        }
                    }
                }
            }
        }
        let q_star = best.score.min;

        // ---- Stage 3: sum, with red ≤ R* and min ≥ q*.
        let mut base3 = vec![self.red_erow(r_star)];
        if let Some((a, b)) = q_star {
            base3.extend(self.threshold_erows(|d| (u128::from(a) * u128::from(d)).div_ceil(u128::from(b)) as i64));
        }
        // `None` = exact row; `Some(τ)` = margin row.
        let mut margin: Option<f64> = self.force_margin.then_some(INITIAL_MARGIN);
        let admissible = |c: &Cand| c.score.red <= r_star && cmp_min(c.score.min, q_star) != Ordering::Less;
        if let Some((pc, pcert)) = prev.filter(|(pc, _)| cmp_min(pc.score.min, q_star) == Ordering::Equal) {
            // A tie with the previous answer is certified by the previous certificate.
            let mut rows = base3.clone();
            rows.push(self.sum_erow(&pc.score, margin, false));
            let obj = self.sum_objective();
            if let Some(c) = self.solve_stage(&rows, vec![], obj, true, false, self.stage_gap, 3)? {
                if admissible(&c) {
                    match c.score.sum().cmp(&pc.score.sum()) {
                        Ordering::Equal => return Ok(Some((c, pcert))),
                        Ordering::Greater if pcert == Certificate::Exact => {
                            return Err(SettleError::Verification(
                                "a package beats the certified sum of the previous answer".into(),
                            ));
                        }
                        _ => {
                            if c.score.sum() > best.score.sum() {
                                best = c;
                            }
                        }
                    }
                } else {
                    self.stats.rejected += 1;
                }
            }
        }
        // Improve until the solver proves that nothing has a strictly larger sum. The
        // incumbent is always cut off (a float row may let it through by tolerance).
        let mut cuts: Vec<ERow> = Vec::new();
        let mut rejected_here = 0;
        let mut first = true;
        loop {
            let mut rows = base3.clone();
            rows.extend(cuts.iter().cloned());
            rows.push(self.nogood(&best));
            rows.push(self.sum_erow(&best.score, margin, true));
            let stage = if first { 3 } else { 4 };
            first = false;
            let obj = self.sum_objective();
            match self.solve_stage(&rows, vec![], obj, true, false, self.stage_gap, stage)? {
                None => break,
                Some(c) => {
                    if admissible(&c) && c.score.sum() > best.score.sum() {
                        best = c;
                        cuts.clear();
                        rejected_here = 0;
                    } else {
                        self.stats.rejected += 1;
                        rejected_here += 1;
                        match margin {
                            None if rejected_here > MAX_TOLERANCE_CUTS => {
                                // Ties the solver cannot separate: fall back to the margin.
                                margin = Some(INITIAL_MARGIN);
                                cuts.clear();
                            }
                            None => cuts.push(self.nogood(&c)),
                            Some(t) => {
                                if t * 10.0 > MAX_MARGIN {
                                    return Err(SettleError::Solver(
                                        "sum certification: solver answers fail the exact check \
                                         even with the widest margin"
                                            .into(),
                                    ));
                                }
                                margin = Some(t * 10.0);
                            }
                        }
                    }
                }
            }
        }
        let cert = match margin {
            None => Certificate::Exact,
            Some(t) => Certificate::SumWithin(t),
        };
        Ok(Some((best, cert)))
    }
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

fn verify(p: &Problem, answers: &[Answer]) -> Result<(), SettleError> {
    let fail = |m: String| Err(SettleError::Verification(m));
    for (n, a) in answers.iter().enumerate() {
        let rank = n + 1;
        if a.choice.len() != p.issues.len() {
            return fail(format!(
                "answer {rank}: {} choices for {} issues",
                a.choice.len(),
                p.issues.len()
            ));
        }
        for (i, (&c, &count)) in a.choice.iter().zip(&p.issues).enumerate() {
            if c >= count {
                return fail(format!("answer {rank}: candidate {c} out of range on issue {i}"));
            }
        }
        // Recompute from the problem, independently of the search's bookkeeping.
        let mut verdicts = Vec::with_capacity(p.demands.len());
        let mut red = 0usize;
        let mut num = vec![0u64; p.parties];
        let mut den = vec![0u64; p.parties];
        let mut counts = vec![(0usize, 0usize, 0usize); p.parties];
        for d in &p.demands {
            let v = d.verdicts[a.choice[d.issue]];
            verdicts.push(v);
            let w = u64::from(d.weight);
            den[d.party] += 2 * w;
            match v {
                Verdict::Met => {
                    num[d.party] += 2 * w;
                    counts[d.party].0 += 1;
                }
                Verdict::Acceptable => {
                    num[d.party] += w;
                    counts[d.party].1 += 1;
                }
                Verdict::Violated => {
                    counts[d.party].2 += 1;
                    if d.red_line {
                        red += 1;
                    }
                }
            }
        }
        if verdicts != a.verdicts {
            return fail(format!("answer {rank}: verdicts differ from the problem's"));
        }
        if red != a.red_lines_crossed {
            return fail(format!(
                "answer {rank}: red lines {} but recomputed {red}",
                a.red_lines_crossed
            ));
        }
        if a.parties.len() != p.parties {
            return fail(format!("answer {rank}: wrong number of party scores"));
        }
        let mut min: Option<BigRational> = None;
        let mut sum = BigRational::zero();
        for q in 0..p.parties {
            let ps = &a.parties[q];
            let (m, ac, vi) = counts[q];
            if ps.numerator != num[q]
                || ps.denominator != den[q]
                || ps.met != m
                || ps.acceptable != ac
                || ps.violated != vi
            {
                return fail(format!("answer {rank}: party {q} score differs from the problem's"));
            }
            if den[q] > 0 {
                let s = BigRational::new(BigInt::from(num[q]), BigInt::from(den[q]));
                sum += &s;
                min = Some(match min {
                    Some(x) if x <= s => x,
                    _ => s,
                });
            }
        }
        if min != a.min_satisfaction {
            return fail(format!("answer {rank}: minimum satisfaction differs"));
        }
        if sum != a.total_satisfaction {
            return fail(format!("answer {rank}: total satisfaction differs"));
        }
        for &(x, y) in &p.clashes {
            if verdicts[x] != Verdict::Violated && verdicts[y] != Verdict::Violated {
                return fail(format!("answer {rank}: clash ({x}, {y}) not honoured"));
            }
        }
        // Lowest index among candidates with the same verdicts, per issue.
        let mut on_issue: Vec<Vec<usize>> = vec![Vec::new(); p.issues.len()];
        for (j, d) in p.demands.iter().enumerate() {
            on_issue[d.issue].push(j);
        }
        for (i, ds) in on_issue.iter().enumerate() {
            let c = a.choice[i];
            for lower in 0..c {
                if ds
                    .iter()
                    .all(|&j| p.demands[j].verdicts[lower] == p.demands[j].verdicts[c])
                {
                    return fail(format!(
                        "answer {rank}: issue {i} candidate {c} has the same verdicts as {lower}"
                    ));
                }
            }
        }
        for (m, b) in answers[..n].iter().enumerate() {
            if b.verdicts == a.verdicts {
                return fail(format!("answers {} and {rank} are the same answer", m + 1));
            }
        }
        if n > 0 && answers[n - 1].rank_cmp(a) == Ordering::Less {
            return fail(format!("answer {rank} ranks better than answer {n}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frac_cmp_is_exact() {
        assert_eq!(frac_cmp((1, 3), (2, 6)), Ordering::Equal);
        assert_eq!(
            frac_cmp((u64::MAX - 1, u64::MAX), (u64::MAX - 2, u64::MAX - 1)),
            Ordering::Greater
        );
    }
}
