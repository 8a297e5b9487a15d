//! The `beam` crate on a real `.beam` file (`test_data/counter.beam`, from
//! `test_data/counter.erl`): its tables, its hash as `beam_lib:md5/1` gave
//! it, and no panic on any truncated or corrupted copy of it.

use std::path::PathBuf;

use beam::{BeamFile, FormatError};
use expect_test::expect;
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(name)
}

fn counter() -> Vec<u8> {
    std::fs::read(fixture("counter.beam")).expect("the fixture is readable")
}

/// Everything the crate reads from a file, as text.
fn describe(beam: &BeamFile) -> Result<String, FormatError> {
    let mut out = String::new();
    let chunks: Vec<String> = beam.chunks().iter().map(|chunk| chunk.name()).collect();
    out.push_str(&format!(
        "module {}\nchunks {}\n",
        beam.module(),
        chunks.join(" ")
    ));
    out.push_str(&format!("md5 {}\n", beam.md5_hex()?));
    for export in beam.exports()? {
        out.push_str(&format!(
            "export {}/{} label {}\n",
            export.function, export.arity, export.label
        ));
    }
    for import in beam.imports()? {
        out.push_str(&format!(
            "import {}:{}/{}\n",
            import.module, import.function, import.arity
        ));
    }
    for local in beam.locals()? {
        out.push_str(&format!(
            "local {}/{} label {}\n",
            local.function, local.arity, local.label
        ));
    }
    for fun in beam.funs()? {
        out.push_str(&format!(
            "fun {}/{} label {} index {} free {}\n",
            fun.function, fun.arity, fun.label, fun.index, fun.free
        ));
    }
    for literal in beam.literals()? {
        out.push_str(&format!("literal {literal}\n"));
    }
    for (key, value) in beam.attributes()? {
        out.push_str(&format!("attribute {key} {value}\n"));
    }
    let info = beam.compile_info()?;
    let keys: Vec<&str> = info.iter().map(|(key, _)| key.as_str()).collect();
    out.push_str(&format!("compile_info {}\n", keys.join(" ")));
    out.push_str(&format!("debug info {}\n", beam.has_debug_info()));
    Ok(out)
}

#[test]
fn the_tables_of_a_real_module() {
    let beam = BeamFile::parse(counter()).expect("counter.beam parses");
    // The hash is the one `beam_lib:md5("counter.beam")` gives.
    expect![[r#"
        module counter
        chunks AtU8 Code StrT ImpT ExpT FunT LitT Meta LocT Attr CInf Dbgi Line Type
        md5 6a8a677c0cc8d9e0513f702f418cbdd6
        export module_info/1 label 15
        export module_info/0 label 13
        export handle_cast/2 label 11
        export handle_call/3 label 8
        export init/1 label 6
        export bump/1 label 4
        export start_link/0 label 2
        import gen_server:start_link/3
        import gen_server:call/2
        import erlang:+/2
        import erlang:setelement/3
        import lists:map/2
        import erlang:get_module_info/1
        import erlang:get_module_info/2
        local -handle_cast/2-fun-0-/2 label 17
        fun -handle_cast/2-fun-0-/2 label 17 index 0 free 1
        literal {'ok',{'state',0,<<99,111,117,110,116,101,114>>}}
        literal [1.5,[116,101,120,116]]
        literal [1,2]
        attribute vsn [141616803436116850804603328321941192150]
        attribute behaviour ['gen_server']
        compile_info version options source
        debug info true
    "#]]
    .assert_eq(&describe(&beam).expect("every table decodes"));
}

#[test]
fn a_gzip_compressed_file_reads_as_the_same_module() {
    let compressed = std::fs::read(fixture("counter_gzip.beam")).expect("readable");
    let beam = BeamFile::parse(compressed).expect("counter_gzip.beam parses");
    assert_eq!(beam.md5_hex().unwrap(), "6a8a677c0cc8d9e0513f702f418cbdd6");
}

#[test]
fn errors_name_the_file() {
    let path = fixture("counter.erl");
    let error = beam::read(&path).unwrap_err().to_string();
    assert!(error.contains("counter.erl"), "{error}");
    assert!(error.contains("not a BEAM file"), "{error}");
    let missing = fixture("no_such.beam");
    let error = beam::read(&missing).unwrap_err().to_string();
    assert!(
        error.starts_with("cannot read") && error.contains("no_such.beam"),
        "{error}"
    );
}

/// Everything the crate reads, which must be an error or a value.
fn read_everything(bytes: Vec<u8>) {
    if let Ok(beam) = BeamFile::parse(bytes) {
        let _ = describe(&beam);
        for id in [b"Dbgi", b"Docs", b"Meta", b"Attr", b"CInf"] {
            let _ = beam.term_chunk(id);
        }
    }
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let bytes = counter();
    for len in 0..bytes.len() {
        let cut = bytes[..len].to_vec();
        read_everything(cut.clone());
        assert!(
            BeamFile::parse(cut).is_err() || len >= 12,
            "a cut at {len} parses"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random bytes overwritten anywhere: never a panic.
    #[test]
    fn corrupted_bytes_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = counter();
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        read_everything(bytes);
    }
}
