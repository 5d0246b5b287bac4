//! `cargo xtask relay …`: tools for the outage relay's browser tests, built on the app's own
//! encoder (`linli_protocol::relay`), so no binary fixture is committed.
//!
//! - `relay video OUT.y4m` reads frame texts (one per line) on stdin and writes a Y4M video
//!   (640×480, 10 fps, `C420`, the header Chromium's fake camera accepts) showing each as a QR
//!   code for 0.4 s; Chromium loops it: `--use-file-for-fake-video-capture=OUT.y4m`.
//! - `relay tamper FROM TO` reads the frames of a content message on stdin and prints the
//!   frames of the same message with `FROM` replaced by `TO` in its first signed item's payload
//!   (the signature left as it was): what a forger would pass on.

use anyhow::{bail, Context, Result};
use linli_protocol::carry::Bundle;
use linli_protocol::relay::{self, Assembler, Density};
use std::io::{Read, Write};

const W: usize = 640;
const H: usize = 480;
/// Video frames per QR code at 10 fps.
const REPEAT: usize = 4;

pub fn main(args: &[&str]) -> Result<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    // Only line ends are taken off: a space is a base45 character, a frame may end with one.
    let frames: Vec<&str> = input.lines().filter(|l| !l.is_empty()).collect();
    match args {
        ["video", out] => {
            let video = y4m(&frames)?;
            std::fs::write(out, video).with_context(|| format!("writing {out}"))
        }
        ["frames", n, density] => {
            let n: u32 = n.parse().context("N: a whole number")?;
            let density = Density::parse(density).context("DENSITY: low, medium or high")?;
            for f in check_in_frames(n, density)? {
                println!("{f}");
            }
            Ok(())
        }
        ["tamper", from, to] => {
            let tampered = tamper(&frames, from, to)?;
            let mut out = std::io::stdout().lock();
            for f in tampered {
                writeln!(out, "{f}")?;
            }
            Ok(())
        }
        _ => {
            bail!("usage: cargo xtask relay video OUT.y4m < frames | relay tamper FROM TO < frames | relay frames N low|medium|high")
        }
    }
}

/// The video: each text as a QR code, centred on white, as large as fits.
pub fn y4m(texts: &[&str]) -> Result<Vec<u8>> {
    let mut out = format!("YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420\n").into_bytes();
    let chroma = vec![128u8; (W / 2) * (H / 2) * 2];
    for text in texts {
        let (size, modules) =
            relay::qr_matrix(text, 1).map_err(|e| anyhow::anyhow!("{text:.20}…: {e}"))?;
        let scale = (H / (size + 8)).max(1);
        let (w, h, luma) = relay::render_luma(size, &modules, scale);
        if w > W || h > H {
            bail!("a {size}-module code does not fit {W}×{H}");
        }
        let mut picture = vec![255u8; W * H];
        let (x0, y0) = ((W - w) / 2, (H - h) / 2);
        for y in 0..h {
            picture[(y0 + y) * W + x0..(y0 + y) * W + x0 + w]
                .copy_from_slice(&luma[y * w..(y + 1) * w]);
        }
        for _ in 0..REPEAT {
            out.extend_from_slice(b"FRAME\n");
            out.extend_from_slice(&picture);
            out.extend_from_slice(&chroma);
        }
    }
    Ok(out)
}

/// The frames of `n` check-ins (a household's realistic reports, with notes) sealed to a fixed
/// key, as a phone would hand them over: for the relay benchmark.
pub fn check_in_frames(n: u32, density: Density) -> Result<Vec<String>> {
    use linli_protocol::signing::signer::{chain, Signer};
    use linli_protocol::signing::KeySet;
    use linli_protocol::sync::PushItem;
    let keys = KeySet::first(&chain(
        &[Signer::from_seed(&[1; 32])],
        &linli_protocol::seal::public_key(&[2; 32]),
    ))
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let notes = [
        "",
        "睡得不好",
        "有點咳",
        "Feels tired after climbing the stairs",
        "食慾正常",
    ];
    let items = (0..n)
        .map(|i| PushItem {
            id: format!("0190c7a8-3b1e-7c2d-8f00-{:012x}", 0x5000 + i),
            kind: "health_report".into(),
            body: serde_json::json!({
                "member_id": format!("0190c7a8-3b1e-7c2d-8f00-{:012x}", 0x100 + i % 4),
                "date": format!("2026-11-{:02}", 1 + i % 28),
                "temperature_c": 36.0 + f64::from(i % 25) / 10.0,
                "symptoms": if i % 5 == 0 { vec!["cough"] } else { vec![] },
                "note": notes[i as usize % notes.len()],
                "reported_at": format!("2026-11-{:02}T08:{:02}:00+08:00", 1 + i % 28, i % 60),
            }),
        })
        .collect();
    let token = "f".repeat(64);
    let bundle = linli_protocol::carry::seal_records(&keys, &token, items, [3; 32], [4; 12])
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(bundle
        .frames(density)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .1)
}

fn tamper(frames: &[&str], from: &str, to: &str) -> Result<Vec<String>> {
    let mut a = Assembler::new();
    for f in frames {
        a.add(f).map_err(|e| anyhow::anyhow!("frame: {e}"))?;
    }
    let packed = a
        .finish()
        .context("frames missing")?
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut bundle = Bundle::unpack(&packed).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let Bundle::Content { signed, .. } = &mut bundle else {
        bail!("not a content message");
    };
    let first = signed.first_mut().context("no item")?;
    if !first.payload.contains(from) {
        bail!("{from:?} is not in the first item");
    }
    first.payload = first.payload.replacen(from, to, 1);
    let (_, frames) = bundle
        .frames(Density::Medium)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_video_has_chromiums_header_and_every_code_decodes_back() {
        let texts = ["LR1/ABCDEF/3", "hello"];
        let video = y4m(&texts).unwrap();
        let header = b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420\n";
        assert!(video.starts_with(header));
        let frame = 6 + W * H * 3 / 2;
        assert_eq!(video.len(), header.len() + frame * REPEAT * texts.len());
        for (i, text) in texts.iter().enumerate() {
            let start = header.len() + frame * REPEAT * i + 6;
            let found = relay::decode_luma(W, H, &video[start..start + W * H]);
            assert_eq!(found, [text.to_string()]);
        }
    }
}
