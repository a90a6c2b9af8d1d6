//! Writes tier 1 (`t1.bin`) and tier 2's shards (`t2-00.bin` …) of the frequency lists (`zxcvbn::tiers`) into the
//! directory given. `scripts/build` then names each after its content, as it does the estimator's wasm.

use std::process::ExitCode;
use std::{env, fs, path::Path};
use zxcvbn::tiers::{encode_tier1, encode_tier2};
use zxcvbn::LIST_TEXTS;

fn main() -> ExitCode {
    let Some(dir) = env::args().nth(1) else {
        eprintln!("usage: zxcvbn-tiers DIR");
        return ExitCode::FAILURE;
    };
    let lists = LIST_TEXTS.map(|text| text.lines().collect::<Vec<_>>());
    let tier1 = match encode_tier1(&lists) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("zxcvbn-tiers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let shards = encode_tier2(&lists).into_iter().enumerate();
    let files = std::iter::once(("t1.bin".to_owned(), tier1))
        .chain(shards.map(|(i, shard)| (format!("t2-{i:02}.bin"), shard)));
    if let Err(error) = fs::create_dir_all(&dir) {
        eprintln!("zxcvbn-tiers: {dir}: {error}");
        return ExitCode::FAILURE;
    }
    for (name, bytes) in files {
        if let Err(error) = fs::write(Path::new(&dir).join(&name), bytes) {
            eprintln!("zxcvbn-tiers: {dir}/{name}: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
