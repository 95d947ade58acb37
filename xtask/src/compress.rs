//! How `web/dist/` is compressed: the wasm with LZMA (unpacked in the
//! browser by `web/loader/unlzma.js`, a worker this module ships as
//! [`UNPACKER`]), everything else with gzip. Both are decoded again after
//! compressing, so a compressor bug cannot reach a browser.

use std::io::Read;

use anyhow::{Context, Result};

/// The worker that unpacks the wasm in the browser: the LZMA decoder and
/// its message handler (tested against [`lzma`] below).
pub const UNPACKER: &str = include_str!("../../web/loader/unlzma.js");

/// LZMA in the `.lzma` file format with the size in its header, for the
/// wasm: 20–25 % smaller than [`gzip`] (the participant wasm 241 → 190 KB),
/// which is most of what a phone downloads. Browsers cannot decode LZMA
/// themselves (and ask for brotli only over HTTPS, which a LAN meetup often
/// lacks), so the page unpacks (and compiles) it with `web/loader/unlzma.js`
/// in a worker.
/// Settings measured on the wasm: the strongest preset with the longest
/// matches; `pb = 0` because wasm code has no 2- or 4-byte alignment
/// (`pb = 2`, the default, costs about 1 KB). The dictionary covers the whole
/// file. The result is decoded again and compared, as [`gzip`]'s is.
pub fn lzma(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write as _;
    let mut options = lzma_rust2::LzmaOptions::with_preset(9);
    options.nice_len = lzma_rust2::LzmaOptions::NICE_LEN_MAX;
    options.pb = 0;
    options.dict_size = u32::try_from(bytes.len())
        .context("the wasm is under 4 GB")?
        .next_power_of_two()
        .max(1 << 16);
    let size = u64::try_from(bytes.len())?;
    let mut writer = lzma_rust2::LzmaWriter::new_use_header(Vec::new(), &options, Some(size))?;
    writer.write_all(bytes)?;
    let compressed = writer.finish()?;
    let mut roundtrip = Vec::with_capacity(bytes.len());
    lzma_rust2::LzmaReader::new_mem_limit(compressed.as_slice(), u32::MAX, None)?
        .read_to_end(&mut roundtrip)?;
    anyhow::ensure!(roundtrip == bytes, "LZMA round trip changed the bytes");
    Ok(compressed)
}

/// Gzip with Zopfli's deflate: about 4 % smaller than zlib's best on the
/// wasm, which is most of what a phone downloads. Compressing happens once
/// per build, so its slowness costs nothing at serving time. The result is
/// decoded again and compared, so a compressor bug cannot reach a browser.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let options = zopfli::Options {
        // Past five passes the wasm shrinks by bytes, not kilobytes.
        iteration_count: std::num::NonZeroU64::new(5).expect("five is not zero"),
        ..zopfli::Options::default()
    };
    let mut compressed = Vec::new();
    zopfli::compress(options, zopfli::Format::Gzip, bytes, &mut compressed)?;
    let mut roundtrip = Vec::with_capacity(bytes.len());
    flate2::read::GzDecoder::new(compressed.as_slice()).read_to_end(&mut roundtrip)?;
    anyhow::ensure!(roundtrip == bytes, "gzip round trip changed the bytes");
    Ok(compressed)
}

#[cfg(test)]
mod tests {
    use super::{UNPACKER, lzma};
    use crate::compact_js;
    use std::fs;
    use std::process::Command;

    /// Bytes that do not compress: a xorshift generator's output.
    fn noise(len: usize, mut state: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    }

    /// Runs the unpacker as the page ships it (compacted) in Node on each
    /// `.lzma` file in `dir` and writes what it returns, or the error it
    /// threw, beside it (`.out`, `.err`).
    fn unpack_in_node(dir: &std::path::Path) {
        let unpacker = String::from_utf8(compact_js(UNPACKER.as_bytes())).unwrap();
        fs::write(dir.join("unlzma.js"), unpacker).unwrap();
        let script = r#"
const fs = require("fs");
const dir = process.argv[1];
const unlzma = new Function(fs.readFileSync(dir + "/unlzma.js", "utf8") + ";return unlzma;")();
for (const name of fs.readdirSync(dir).filter((name) => name.endsWith(".lzma"))) {
  try {
    fs.writeFileSync(`${dir}/${name}.out`, unlzma(new Uint8Array(fs.readFileSync(`${dir}/${name}`))));
  } catch (error) {
    fs.writeFileSync(`${dir}/${name}.err`, String(error));
  }
}
"#;
        let status = Command::new("node")
            .args(["-e", script])
            .arg(dir)
            .status()
            .expect("node runs (cargo xtask test installs it)");
        assert!(status.success(), "node failed: {status}");
    }

    #[test]
    fn the_page_unpacks_exactly_what_the_build_packs_and_refuses_damaged_files() {
        let mut text = Vec::new();
        for round in 0..4000 {
            text.extend_from_slice(format!("topic {round}: {} votes; ", round % 7).as_bytes());
        }
        // Long repeats far apart (distances past the first 128 KB, the
        // decoder's direct bits), interleaved with noise (literals after
        // matches) and a run of one byte (the longest matches).
        let mut mixed = noise(200_000, 7);
        mixed.extend_from_slice(&text);
        mixed.extend_from_slice(&noise(3_000, 9));
        mixed.extend_from_within(1_000..90_000);
        mixed.extend(std::iter::repeat_n(b'x', 70_000));
        let inputs: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("one", vec![42]),
            ("noise", noise(100_000, 3)),
            ("text", text),
            ("mixed", mixed),
        ];
        let dir = std::env::temp_dir().join(format!("moot-unlzma-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let mut damaged = Vec::new();
        for (name, bytes) in &inputs {
            let packed = lzma(bytes).unwrap();
            if *name == "mixed" {
                // Cut short, as a dropped connection would leave it.
                damaged.push(("cut", packed[..packed.len() / 2].to_vec()));
                // Its size unknown (an end marker instead), which xtask never writes.
                let mut unsized_header = packed.clone();
                unsized_header[5..13].fill(0xff);
                damaged.push(("unsized", unsized_header));
            }
            fs::write(dir.join(format!("{name}.lzma")), packed).unwrap();
        }
        for (name, bytes) in &damaged {
            fs::write(dir.join(format!("{name}.lzma")), bytes).unwrap();
        }
        unpack_in_node(&dir);
        for (name, bytes) in &inputs {
            let error = fs::read_to_string(dir.join(format!("{name}.lzma.err")));
            assert!(error.is_err(), "{name}: {error:?}");
            let unpacked = fs::read(dir.join(format!("{name}.lzma.out"))).unwrap();
            assert!(unpacked == *bytes, "{name}: unpacked bytes differ");
        }
        for (name, _) in &damaged {
            let error = fs::read_to_string(dir.join(format!("{name}.lzma.err")))
                .unwrap_or_else(|_| panic!("{name}: unpacked without an error"));
            assert!(error.contains("lzma:"), "{name}: {error}");
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
