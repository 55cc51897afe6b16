"""Show that each protection tested by tests/hostile.rs and tests/faults.rs is needed:
switch it off in a scratch copy of the tree, run the cases that depend on it, and log
whether they fail (FUZZING.md, "Hostile corpora", records the results).

Usage: cp -r <repo> /tmp/verify && python3 fuzz/verify-protections.py /tmp/verify [E1 E4 ...]
Results are appended to <copy>/results.log; the copy's src/ is restored after each run.
"""
import subprocess, shutil, time, re, os, sys
V=sys.argv[1]
PRISTINE=V+'/.pristine-src'
if not os.path.exists(PRISTINE):
    shutil.copytree(V+'/src', PRISTINE)
def patch(path, a, b):
    p=os.path.join(V,path); s=open(p).read()
    assert s.count(a)==1, (path,a)
    open(p,'w').write(s.replace(a,b))
def restore():
    shutil.rmtree(V+'/src'); shutil.copytree(PRISTINE, V+'/src')
E=[
 ('E1 alias replay limit back to the default (1,000,000)', [('src/corpus/mod.rs','    options.alias_limits.max_total_replayed_events = 50_000;\n','')], 'hostile', ['alias_bomb']),
 ('E2 no budget and no alias replay limit', [('src/corpus/mod.rs','    options.alias_limits.max_total_replayed_events = 50_000;\n','    options.alias_limits.max_total_replayed_events = usize::MAX;\n'),('src/corpus/mod.rs','    options.budget = Some(budget);\n','    options.budget = None;\n')], 'hostile', ['alias_bomb']),
 ('E3 no depth or flow-nesting limit', [('src/corpus/mod.rs','    budget.max_depth = 64;\n','    budget.max_depth = usize::MAX;\n    budget.flow_nesting_limit = usize::MAX;\n')], 'hostile', ['deep_nesting']),
 ('E4 no line limit', [('src/corpus/limits.rs','pub fn long_line(file: &FileText) -> Option<Diagnostic> {\n','pub fn long_line(file: &FileText) -> Option<Diagnostic> {\n    if file.text.len() < usize::MAX {\n        return None;\n    }\n')], 'hostile', ['huge_scalar_on_one_line','deep_nesting_on_one_line']),
 ('E5 no value limit', [('src/corpus/limits.rs','pub fn long_values(files: &CorpusFiles, corpus: &Corpus, diagnostics: &mut Diagnostics) {\n','pub fn long_values(files: &CorpusFiles, corpus: &Corpus, diagnostics: &mut Diagnostics) {\n    if corpus.demands.len() < usize::MAX {\n        return;\n    }\n')], 'hostile', ['huge_scalar_over_many_lines']),
 ('E6 no regular-file check', [('src/corpus/files.rs','    if !meta.is_file() {\n','    if !meta.is_file() && meta.len() == u64::MAX {\n')], 'hostile', ['fifo','endless_device']),
 ('E6b no regular-file check and an unbounded read', [('src/corpus/files.rs','    if !meta.is_file() {\n','    if !meta.is_file() && meta.len() == u64::MAX {\n'),('src/corpus/files.rs','file.take(MAX_FILE_BYTES + 1).read_to_end','file.take(u64::MAX).read_to_end')], 'hostile', ['endless_device']),
 ('E7 no_schema off (numbers become text)', [('src/corpus/mod.rs','    options.no_schema = true;\n','    options.no_schema = false;\n')], 'hostile', ['number_where_text_belongs']),
 ('E8 plain f64 for scale bounds and ranges', [('src/corpus/raw.rs','    #[serde(deserialize_with = "number")]\n    pub min: f64,\n    #[serde(deserialize_with = "number")]\n    pub max: f64,\n','    pub min: f64,\n    pub max: f64,\n'),('src/corpus/raw.rs','map.next_value::<Number>()?.0','map.next_value::<f64>()?')], 'hostile', ['text_where_a_number_belongs']),
 ('E9 no signal handler', [('src/output.rs','    remove_on_signal();\n    let temp','    let temp')], 'faults', ['interrupted_by_sigint','interrupted_by_sigterm']),
 ('E10 devices renamed over like files', [('src/output.rs','        Ok(meta) if !meta.is_file() => {','        Ok(meta) if !meta.is_file() && meta.len() == u64::MAX => {')], 'faults', ['full_disk_device']),
 ('E11 diagnostics print a long line whole', [('src/corpus/diag.rs','            let (line_text, cut) = match line_text.char_indices().nth(EXCERPT_CHARS) {','            let (line_text, cut) = match line_text.char_indices().nth(usize::MAX) {')], 'hostile', ['huge_scalar_on_one_line']),
]
only=sys.argv[2:]
for name, patches, test, names in E:
    if only and name.split()[0] not in only: continue
    restore()
    for p,a,b in patches: patch(p,a,b)
    t=time.time()
    r=subprocess.run(['cargo','test','--test',test,'--']+names+['--test-threads=1'],cwd=V,env=dict(os.environ,CARGO_TARGET_DIR=V+'/target'),capture_output=True,text=True,timeout=3000)
    out=r.stdout+r.stderr
    results=re.findall(r'^test (\S+) \.\.\. (\w+)',out,re.M)
    why=[l[:260] for l in out.splitlines() if re.search(r'too slow|assertion|exit |panicked at|not named|no `|signal|temporary|replaced|SIGSEGV|SIGABRT|overflow',l)][:8]
    with open(V+'/results.log','a') as f:
        f.write(f'== {name}: {results} ({time.time()-t:.0f}s)\n')
        for w in why: f.write('   '+w+'\n')
restore()
