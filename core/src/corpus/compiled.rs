//! A validated corpus in compiled form: the corpus and its diagnostics in a compact binary
//! encoding (postcard), which loads in a fraction of the time the YAML takes to parse and
//! check. One mechanism, two stores: the build embeds the built-in corpus this way
//! (`build.rs`), and the cache keeps other corpora this way (`cache.rs`).
//!
//! The form is the demands in blocks of at most [`BLOCK`], each encoded on its own, so
//! that a large corpus's demands are decoded on every core at once; then a header with
//! everything else and the length of each block; then the header's length (8 bytes,
//! little-endian). Each part is encoded straight into the one buffer. A cache's new entry
//! takes the demands' blocks as they are streamed out while the rest of the corpus is
//! still being checked ([`stream_demands`]), and the header once it is done.

use serde::{Deserialize, Serialize};

use super::{Diagnostic, Diagnostics, Loaded};
use crate::model::{Corpus, Demand, Issue, Party, Plan, Relation};

/// Demands per block. The blocks depend on the corpus alone, never on the machine.
pub(crate) const BLOCK: usize = 8192;

#[derive(Serialize)]
struct HeaderRef<'a> {
    issues: &'a [Issue],
    parties: &'a [Party],
    relations: &'a [Relation],
    plans: &'a [Plan],
    diagnostics: &'a [Diagnostic],
    blocks: Vec<u64>,
}

#[derive(Deserialize)]
struct Header {
    issues: Vec<Issue>,
    parties: Vec<Party>,
    relations: Vec<Relation>,
    plans: Vec<Plan>,
    diagnostics: Vec<Diagnostic>,
    blocks: Vec<u64>,
}

/// The compiled form of a valid corpus; `None` when it has errors.
pub fn compile(loaded: &Loaded) -> Option<Vec<u8>> {
    Some(compile_parts(loaded)?.concat())
}

/// The compiled form of a valid corpus in parts, whose bytes one after another are the
/// form: each block of demands (encoded on every core at once), then the header and its
/// length. `None` when the corpus has errors.
pub fn compile_parts(loaded: &Loaded) -> Option<Vec<Vec<u8>>> {
    let corpus = loaded.corpus.as_ref()?;
    let blocks: Vec<&[Demand]> = corpus.demands.chunks(BLOCK).collect();
    let mut parts = if blocks.len() <= 1 {
        encode_blocks(&blocks)?
    } else {
        let run = blocks.len().div_ceil(cores());
        std::thread::scope(|scope| {
            let runs: Vec<_> = blocks
                .chunks(run)
                .map(|run| scope.spawn(move || encode_blocks(run)))
                .collect();
            let mut parts = Vec::new();
            for run in runs {
                parts.extend(run.join().ok()??);
            }
            Some(parts)
        })?
    };
    let lengths = parts.iter().map(|part| part.len() as u64).collect();
    parts.push(header(loaded, lengths)?);
    Some(parts)
}

/// Each block encoded on its own. Each buffer is sized by the block before, so that it
/// is seldom grown (and copied) while it is filled.
fn encode_blocks(blocks: &[&[Demand]]) -> Option<Vec<Vec<u8>>> {
    let mut guess = 1 << 16;
    blocks
        .iter()
        .map(|block| {
            let bytes = postcard::to_extend(block, Vec::with_capacity(guess)).ok()?;
            guess = bytes.len() + bytes.len() / 4;
            Some(bytes)
        })
        .collect()
}

/// The last part of the form: everything but the demands, the length of each block of
/// them, and the header's own length.
fn header(loaded: &Loaded, blocks: Vec<u64>) -> Option<Vec<u8>> {
    let corpus = loaded.corpus.as_ref()?;
    let header = HeaderRef {
        issues: &corpus.issues,
        parties: &corpus.parties,
        relations: &corpus.relations,
        plans: &corpus.plans,
        diagnostics: &loaded.diagnostics.items,
        blocks,
    };
    let mut header = postcard::to_stdvec(&header).ok()?;
    let length = header.len() as u64;
    header.extend_from_slice(&length.to_le_bytes());
    Some(header)
}

/// The blocks of a corpus's demands, written out ahead of the rest of its compiled form
/// (`corpus::load_encoding` writes them while the rest of the corpus is checked); the
/// form is finished by [`Streamed::header`].
#[derive(Debug)]
pub struct Streamed {
    /// The length of each block written.
    blocks: Vec<u64>,
    /// How many demands the blocks hold, and where the first of them was in memory: the
    /// blocks are only taken for the very demands they were encoded from.
    demands: usize,
    first: usize,
}

/// Write the demands to `out` in blocks of [`BLOCK`], one block held in memory at a
/// time; `None` if one cannot be encoded or written.
pub fn stream_demands(demands: &[Demand], out: &mut dyn std::io::Write) -> Option<Streamed> {
    let mut blocks = Vec::new();
    let mut buffer = Vec::new();
    for block in demands.chunks(BLOCK) {
        buffer.clear();
        buffer = postcard::to_extend(block, buffer).ok()?;
        out.write_all(&buffer).ok()?;
        blocks.push(buffer.len() as u64);
    }
    Some(Streamed {
        blocks,
        demands: demands.len(),
        first: demands.as_ptr() as usize,
    })
}

impl Streamed {
    /// What follows the streamed blocks to make the compiled form of `loaded`; `None` when
    /// the blocks were not made from its demands (or it has errors).
    pub fn header(self, loaded: &Loaded) -> Option<Vec<u8>> {
        let demands = &loaded.corpus.as_ref()?.demands;
        if self.demands != demands.len() || self.first != demands.as_ptr() as usize {
            return None;
        }
        header(loaded, self.blocks)
    }
}

/// The threads to spread the blocks over.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from).max(1)
}

/// Why a compiled form could not be read.
#[derive(Debug)]
pub struct DecodeError(postcard::Error);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for DecodeError {}

fn malformed() -> DecodeError {
    DecodeError(postcard::Error::DeserializeUnexpectedEnd)
}

/// One block of demands, which must fill its bytes exactly.
fn decode_block(bytes: &[u8]) -> Result<Vec<Demand>, DecodeError> {
    let (demands, rest): (Vec<Demand>, &[u8]) = postcard::take_from_bytes(bytes).map_err(DecodeError)?;
    if rest.is_empty() { Ok(demands) } else { Err(malformed()) }
}

/// A corpus from its compiled form, with the diagnostics it was loaded with. Bytes left
/// over, or blocks that do not add up to the bytes, are an error too: the form is whole
/// or it is not used.
pub fn decode(bytes: &[u8]) -> Result<Loaded, DecodeError> {
    let (rest, length) = bytes.split_last_chunk::<8>().ok_or_else(malformed)?;
    let length = usize::try_from(u64::from_le_bytes(*length)).map_err(|_| malformed())?;
    let at = rest.len().checked_sub(length).ok_or_else(malformed)?;
    let (mut rest, header) = rest.split_at(at);
    let (header, after): (Header, &[u8]) = postcard::take_from_bytes(header).map_err(DecodeError)?;
    if !after.is_empty() {
        return Err(malformed());
    }
    let mut blocks = Vec::with_capacity(header.blocks.len());
    for &length in &header.blocks {
        let length = usize::try_from(length).map_err(|_| malformed())?;
        let (block, after) = rest.split_at_checked(length).ok_or_else(malformed)?;
        blocks.push(block);
        rest = after;
    }
    if !rest.is_empty() {
        return Err(malformed());
    }
    // The blocks in runs, one run per core: each run is decoded on a thread of its own.
    let run = blocks.len().div_ceil(cores()).max(1);
    let decoded: Vec<Result<Vec<Vec<Demand>>, DecodeError>> = if blocks.len() <= 1 {
        vec![blocks.iter().map(|block| decode_block(block)).collect()]
    } else {
        std::thread::scope(|scope| {
            let runs: Vec<_> = blocks
                .chunks(run)
                .map(|run| scope.spawn(move || run.iter().map(|block| decode_block(block)).collect()))
                .collect();
            runs.into_iter()
                .map(|run| run.join().unwrap_or_else(|_| Err(malformed())))
                .collect()
        })
    };
    let mut demands = Vec::new();
    for run in decoded {
        for block in run? {
            if demands.is_empty() {
                demands = block;
            } else {
                demands.extend(block);
            }
        }
    }
    let mut corpus = Corpus {
        issues: header.issues,
        parties: header.parties,
        demands,
        relations: header.relations,
        plans: header.plans,
        ..Corpus::default()
    };
    corpus.reindex();
    Ok(Loaded {
        corpus: Some(corpus),
        diagnostics: Diagnostics {
            items: header.diagnostics,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corpus of `n` demands on one issue, loaded from YAML.
    fn loaded(n: usize) -> Loaded {
        let mut party = String::from("party:\n  id: north\n  name: North\n  kind: state\ndemands:\n");
        for i in 0..n {
            party.push_str(&format!(
                "  - id: d{i}\n    issue: port\n    title: Open {i}\n    wants: [open]\n    priority: high\n    stated: 2020-01-10\n    sources:\n      - title: Note\n        by: Ministry\n        date: 2020-01-10\n        url: https://example.org/n\n"
            ));
        }
        let files = super::super::CorpusFiles::from_memory(
            "c",
            [
                (
                    "issues.yaml",
                    "issues:\n  - id: port\n    title: Port\n    category: economy\n    options:\n      - id: open\n        label: Open\n      - id: shut\n        label: Shut\n".to_string(),
                ),
                ("parties/north.yaml", party),
            ],
        );
        super::super::load(&files)
    }

    #[test]
    fn a_corpus_of_several_blocks_comes_back_whole_and_in_order() {
        for n in [1, BLOCK, 2 * BLOCK + 3] {
            let original = loaded(n);
            let bytes = compile(&original).expect("a valid corpus compiles");
            let back = decode(&bytes).expect("decodes");
            let (a, b) = (original.corpus.expect("corpus"), back.corpus.expect("corpus"));
            assert_eq!(a.demands, b.demands, "{n} demands");
            if let Some(last) = b.demands.last() {
                assert_eq!(b.demand_by_id(&last.id), Some(n - 1));
            }
            assert_eq!(original.diagnostics.items, back.diagnostics.items);
        }
    }

    #[test]
    fn a_form_cut_short_or_with_bytes_over_is_refused() {
        let bytes = compile(&loaded(BLOCK + 1)).expect("compiles");
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.insert(0, 0);
        assert!(decode(&longer).is_err());
        assert!(decode(&bytes[1..]).is_err());
    }
}
