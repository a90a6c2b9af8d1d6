//! Writes tier 1 and tier 2's shards of the frequency lists (`zxcvbn::tiers`) into the directory given, each named
//! after its content (FNV-1a, 64 bits: names for caching forever, not a security boundary), and prints the names as
//! a JSON object: `{"tier1": "t1-….bin", "tier2": ["t2-00-….bin", …]}`.

use std::process::ExitCode;
use std::{env, fs, path::Path};
use zxcvbn::tiers::{encode_tier1, encode_tier2};
use zxcvbn::LIST_TEXTS;

fn content_name(prefix: &str, bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{prefix}-{hash:016x}.bin")
}

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
    let mut files = vec![(content_name("t1", &tier1), tier1)];
    for (i, shard) in encode_tier2(&lists).into_iter().enumerate() {
        files.push((content_name(&format!("t2-{i:02}"), &shard), shard));
    }
    if let Err(error) = fs::create_dir_all(&dir) {
        eprintln!("zxcvbn-tiers: {dir}: {error}");
        return ExitCode::FAILURE;
    }
    for (name, bytes) in &files {
        if let Err(error) = fs::write(Path::new(&dir).join(name), bytes) {
            eprintln!("zxcvbn-tiers: {dir}/{name}: {error}");
            return ExitCode::FAILURE;
        }
    }
    let shards: Vec<String> = files[1..]
        .iter()
        .map(|(name, _)| format!("{name:?}"))
        .collect();
    println!(
        "{{\"tier1\": {:?}, \"tier2\": [{}]}}",
        files[0].0,
        shards.join(", ")
    );
    ExitCode::SUCCESS
}
