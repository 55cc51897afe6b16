#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds from the repository's corpora and fixtures:
# the built-in corpus, the snapshot, oracle and hostile-text fixtures, and every broken
# corpus of tests/fixtures/invalid. Run from anywhere; libFuzzer adds what it finds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
dirs=(positions tests/fixtures/*/ tests/fixtures/invalid/*/)
seed() { # target file
    mkdir -p "fuzz/corpus/$1"
    cp "$2" "fuzz/corpus/$1/$(echo "$2" | tr '/' '_')"
}
for dir in "${dirs[@]}"; do
    dir=${dir%/}
    [ -f "$dir/issues.yaml" ] && seed issues_file "$dir/issues.yaml"
    [ -f "$dir/relations.yaml" ] && seed relations_file "$dir/relations.yaml"
    for f in "$dir"/parties/*.y*ml; do [ -f "$f" ] && seed party_file "$f"; done
    for f in "$dir"/plans/*.y*ml; do [ -f "$f" ] && seed plan_file "$f"; done
    # The whole corpus: `path\ntext` per file, files separated by NUL bytes.
    out="fuzz/corpus/whole_corpus/$(echo "$dir" | tr '/' '_')"
    mkdir -p fuzz/corpus/whole_corpus
    : > "$out"
    first=1
    while IFS= read -r f; do
        [ -f "$f" ] || continue
        [ $first = 1 ] || printf '\0' >> "$out"
        first=0
        printf '%s\n' "${f#"$dir"/}" >> "$out"
        cat "$f" >> "$out"
    done < <(find "$dir" -name '*.y*ml' | sort)
done
# The streaming writers take whole corpora too.
mkdir -p fuzz/corpus/streamed_output
cp fuzz/corpus/whole_corpus/* fuzz/corpus/streamed_output/
# A small corpus file should be enough to reach every path; big seeds only slow libFuzzer.
find fuzz/corpus -type f -size +64k -delete
for t in fuzz/corpus/*/; do echo "$(ls "$t" | wc -l) seeds in $t"; done
