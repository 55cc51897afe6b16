//! The engine's inner parts, measured with criterion: loading and validating a corpus held
//! in memory, classifying one pair, and every pair of a corpus.
//!
//! `cargo bench --bench engine`. Whole-command figures (wall time, peak memory, at 1,000 to
//! 100,000 demands) come from `bench/bench.py` instead.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use positions::corpus::{CorpusFiles, load};
use positions::date::Date;
use positions::engine::{Analysis, classify};
use positions::generate::{Params, generate};

fn files(demands: usize) -> CorpusFiles {
    let params = Params {
        demands,
        ..Params::default()
    };
    let generated = generate(&params);
    CorpusFiles::from_memory(
        "bench",
        generated.iter().map(|(path, text)| (path.as_str(), text.clone())),
    )
}

fn bench(c: &mut Criterion) {
    let date: Date = "2026-01-01".parse().expect("a valid date");
    let mut group = c.benchmark_group("load");
    for demands in [1_000, 10_000] {
        let corpus_files = files(demands);
        group.bench_with_input(BenchmarkId::from_parameter(demands), &corpus_files, |b, f| {
            b.iter(|| black_box(load(f)))
        });
    }
    group.finish();

    let corpus_files = files(10_000);
    let corpus = load(&corpus_files).corpus.expect("a generated corpus is valid");
    let analysis = Analysis::all_parties(&corpus, date);
    c.bench_function("all pairs, 10,000 demands", |b| {
        b.iter(|| black_box(analysis.all_pairs().len()))
    });
    c.bench_function("analysis index, 10,000 demands", |b| {
        b.iter(|| black_box(Analysis::all_parties(&corpus, date).party_pairs().len()))
    });
    let first_pair = analysis.all_pairs().into_iter().next().expect("the corpus has pairs");
    let (a, b) = (&corpus.demands[first_pair.a], &corpus.demands[first_pair.b]);
    c.bench_function("classify one pair", |bench| bench.iter(|| black_box(classify(a, b))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
