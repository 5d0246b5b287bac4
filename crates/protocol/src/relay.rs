//! Outage relay: a message carried from phone to phone as a loop of QR codes.
//!
//! When the network is down, a phone that holds data (reports, alerts, a household's records)
//! shows it as a repeating loop of QR codes; another phone films the loop and rebuilds the
//! message. This module is the whole wire format of that loop, shared by the sender, the
//! receiver and the tools that test them:
//!
//! 1. [`pack`] compresses a JSON document (raw deflate) behind a one-byte version and the
//!    first 8 bytes of the SHA-256 of the compressed bytes, so a receiver can tell a complete,
//!    untouched message from a corrupted one before inflating it ([`unpack`]).
//! 2. [`frames`] writes the packed bytes as [`base45`] text (the QR alphanumeric alphabet:
//!    16.5 bits per 2 bytes in a QR code, nearly as dense as byte mode, and plain text that
//!    every scanner API hands back intact) and cuts that text into frames
//!    `LL1/<seq>/<total>/<message id>/<chunk>`, each small enough for one QR code of the
//!    chosen [`Density`].
//! 3. An [`Assembler`] collects scanned frames in any order, across as many loops as needed,
//!    and hands back the packed bytes once every frame is in.
//! 4. The receiver answers with a [`receipt`] (`LR1/<message id>/<count>`), which the carrier
//!    scans to know the message arrived.
//!
//! [`qr_matrix`], [`render_luma`] and [`decode_luma`] turn text into QR modules, modules into
//! a grey image, and camera images back into text.
//!
//! Everything here reads data that anyone can craft (a camera frame, a file): no function
//! panics on its input, arithmetic on lengths is checked, and inflating is capped
//! ([`MAX_UNPACKED_BYTES`]) so a small message cannot expand into a memory bomb.

use core::fmt;

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};
use sha2::{Digest, Sha256};

/// Why a frame, a packed message or a receipt was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayError {
    /// The text is not a relay frame (wrong prefix or shape).
    NotAFrame,
    /// The text is not valid base45.
    BadBase45,
    /// The frame belongs to another message than the one being collected.
    OtherMessage,
    /// The frame contradicts the frames already collected (or itself).
    Inconsistent,
    /// The message is too large for the relay.
    TooLarge,
    /// The packed message has a version this build does not read.
    BadVersion,
    /// The packed message does not match its hash (damaged or tampered with).
    BadHash,
    /// The compressed data is not valid deflate.
    BadDeflate,
    /// The text is not a relay receipt.
    NotAReceipt,
}

impl fmt::Display for RelayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RelayError::NotAFrame => "not a relay frame",
            RelayError::BadBase45 => "invalid base45 text",
            RelayError::OtherMessage => "frame of another message",
            RelayError::Inconsistent => "frame inconsistent with the others",
            RelayError::TooLarge => "message too large",
            RelayError::BadVersion => "unknown relay message version",
            RelayError::BadHash => "message damaged (hash mismatch)",
            RelayError::BadDeflate => "invalid compressed data",
            RelayError::NotAReceipt => "not a relay receipt",
        })
    }
}

impl std::error::Error for RelayError {}

/// Base45 as specified by RFC 9285: two bytes become three characters of the QR code
/// alphanumeric set, a trailing single byte becomes two.
pub mod base45 {
    use super::RelayError;

    /// The 45 characters, in value order (RFC 9285 table 1).
    pub(super) const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    /// Encodes bytes as base45 text.
    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len() / 2 * 3 + 2);
        let mut pairs = bytes.chunks_exact(2);
        for pair in &mut pairs {
            if let [a, b] = *pair {
                push_digits(&mut out, u32::from(a) << 8 | u32::from(b), 3);
            }
        }
        if let [last] = *pairs.remainder() {
            push_digits(&mut out, u32::from(last), 2);
        }
        out
    }

    /// Appends `count` base45 digits of `n`, least significant first (as RFC 9285 orders them).
    fn push_digits(out: &mut String, mut n: u32, count: usize) {
        for _ in 0..count {
            out.push(char::from(ALPHABET[(n % 45) as usize]));
            n /= 45;
        }
    }

    /// The value of one base45 character, if it is one.
    pub(super) fn value(c: u8) -> Option<u32> {
        ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
    }

    /// Decodes base45 text. Refuses characters outside the alphabet, a dangling single
    /// character, triples above 65535 and trailing pairs above 255.
    pub fn decode(text: &str) -> Result<Vec<u8>, RelayError> {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
        let mut groups = bytes.chunks_exact(3);
        for group in &mut groups {
            let n = group_value(group)?;
            let [hi, lo] = u16::try_from(n)
                .map_err(|_| RelayError::BadBase45)?
                .to_be_bytes();
            out.push(hi);
            out.push(lo);
        }
        match groups.remainder() {
            [] => {}
            [_] => return Err(RelayError::BadBase45),
            pair => out.push(u8::try_from(group_value(pair)?).map_err(|_| RelayError::BadBase45)?),
        }
        Ok(out)
    }

    /// The number a group of 2 or 3 characters stands for (at most 45³ − 1, no overflow).
    fn group_value(group: &[u8]) -> Result<u32, RelayError> {
        group.iter().rev().try_fold(0u32, |acc, &c| {
            value(c).map(|v| acc * 45 + v).ok_or(RelayError::BadBase45)
        })
    }
}

/// The version byte that starts every packed message.
pub const PACK_VERSION: u8 = 1;
/// The largest packed (compressed) message, before base45.
pub const MAX_PACKED_BYTES: usize = 48 * 1024;
/// The largest message once inflated: the guard against a small message expanding to gigabytes.
pub const MAX_UNPACKED_BYTES: usize = 512 * 1024;
/// The most frames one message may take (the frame header has two digits for it).
pub const MAX_FRAMES: usize = 99;

/// Bytes of the SHA-256 kept in a packed message's header.
const HASH_LEN: usize = 8;
/// Version byte + hash.
const HEADER_LEN: usize = 1 + HASH_LEN;
/// Bytes of the hash that make a message id.
const ID_BYTES: usize = 3;
/// Hex characters of a message id.
const ID_LEN: usize = 2 * ID_BYTES;

/// Packs a JSON document for the relay:
/// `[PACK_VERSION][first 8 bytes of SHA-256(compressed)][deflate-raw(json), level 9]`.
///
/// Err(TooLarge) if the document is above [`MAX_UNPACKED_BYTES`] (no receiver would inflate
/// it) or the result is above [`MAX_PACKED_BYTES`].
pub fn pack(json: &[u8]) -> Result<Vec<u8>, RelayError> {
    if json.len() > MAX_UNPACKED_BYTES {
        return Err(RelayError::TooLarge);
    }
    let packed = with_header(&miniz_oxide::deflate::compress_to_vec(json, 9));
    if packed.len() > MAX_PACKED_BYTES {
        return Err(RelayError::TooLarge);
    }
    Ok(packed)
}

/// Prefixes compressed bytes with the version and their hash.
fn with_header(compressed: &[u8]) -> Vec<u8> {
    let mut packed = Vec::with_capacity(HEADER_LEN + compressed.len());
    packed.push(PACK_VERSION);
    packed.extend_from_slice(&short_hash(compressed));
    packed.extend_from_slice(compressed);
    packed
}

/// The first [`HASH_LEN`] bytes of the SHA-256 of `bytes`.
fn short_hash(bytes: &[u8]) -> [u8; HASH_LEN] {
    let digest = Sha256::digest(bytes);
    let mut short = [0u8; HASH_LEN];
    short.copy_from_slice(&digest[..HASH_LEN]);
    short
}

/// Checks a packed message's version and hash; returns its compressed part.
fn verified_body(packed: &[u8]) -> Result<&[u8], RelayError> {
    let (&version, rest) = packed.split_first().ok_or(RelayError::BadVersion)?;
    if version != PACK_VERSION {
        return Err(RelayError::BadVersion);
    }
    if rest.len() < HASH_LEN {
        return Err(RelayError::BadHash);
    }
    let (hash, body) = rest.split_at(HASH_LEN);
    if hash != short_hash(body) {
        return Err(RelayError::BadHash);
    }
    Ok(body)
}

/// Unpacks what [`pack`] made: checks the version (BadVersion) and the hash (BadHash), then
/// inflates at most [`MAX_UNPACKED_BYTES`] (TooLarge beyond, BadDeflate on invalid data).
pub fn unpack(packed: &[u8]) -> Result<Vec<u8>, RelayError> {
    if packed.len() > MAX_PACKED_BYTES {
        return Err(RelayError::TooLarge);
    }
    let body = verified_body(packed)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(body, MAX_UNPACKED_BYTES).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => RelayError::TooLarge,
            _ => RelayError::BadDeflate,
        },
    )
}

/// The id of a packed message: the first 3 bytes of its hash (`packed[1..4]`) as 6 uppercase
/// hex characters. It names the message in frames and receipts. Err(NotAFrame) if too short.
pub fn message_id(packed: &[u8]) -> Result<String, RelayError> {
    let id = packed.get(1..1 + ID_BYTES).ok_or(RelayError::NotAFrame)?;
    Ok(id.iter().map(|b| format!("{b:02X}")).collect())
}

/// Whether `s` is a message id: exactly 6 uppercase hex characters.
fn is_message_id(s: &str) -> bool {
    s.len() == ID_LEN && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F'))
}

/// How dense the QR codes of a loop are: denser codes carry more per frame but need a
/// steadier hand and a better camera. Each maps to a QR version at error-correction level M.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Density {
    /// Version 10 (57×57 modules).
    Low,
    /// Version 15 (77×77 modules).
    Medium,
    /// Version 20 (97×97 modules).
    High,
}

impl Density {
    /// Every density, from the sparsest.
    pub const ALL: [Density; 3] = [Density::Low, Density::Medium, Density::High];

    /// The QR version of this density's codes.
    pub fn version(self) -> u8 {
        match self {
            Density::Low => 10,
            Density::Medium => 15,
            Density::High => 20,
        }
    }

    /// Reads the name [`Density::as_str`] gives.
    pub fn parse(s: &str) -> Option<Density> {
        Density::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// A stable lower-case name ("low", "medium", "high"), for settings and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Density::Low => "low",
            Density::Medium => "medium",
            Density::High => "high",
        }
    }

    /// How many alphanumeric characters one QR code of this version holds at level M
    /// (ISO/IEC 18004 table 7; checked against qrcodegen by a test).
    fn alphanumeric_capacity(self) -> usize {
        match self {
            Density::Low => 311,
            Density::Medium => 600,
            Density::High => 970,
        }
    }

    /// How many base45 characters of the message one frame carries.
    fn chunk_len(self) -> usize {
        self.alphanumeric_capacity() - FRAME_HEADER_LEN
    }
}

/// Every frame starts with this.
const FRAME_PREFIX: &str = "LL1/";
/// `LL1/` + `ss/` + `tt/` + 6 hex + `/`.
const FRAME_HEADER_LEN: usize = FRAME_PREFIX.len() + 3 + 3 + ID_LEN + 1;
/// No QR code holds more alphanumeric characters than this (version 40, level L); longer
/// "frames" are refused before anything is stored.
const MAX_FRAME_LEN: usize = 4296;

/// Cuts a packed message into the texts of its frames, each fitting one QR code of the
/// density's version at level M in alphanumeric mode:
/// `LL1/<seq, 2 digits from 01>/<total, 2 digits>/<message id>/<base45 chunk>`.
///
/// The base45 text of the whole message is cut (not each chunk encoded separately), so the
/// receiver joins the chunks and decodes once. Err(TooLarge) if more than [`MAX_FRAMES`]
/// frames would be needed, Err(NotAFrame) if `packed` is too short to have an id.
pub fn frames(packed: &[u8], density: Density) -> Result<Vec<String>, RelayError> {
    let id = message_id(packed)?;
    let text = base45::encode(packed);
    let chunks: Vec<&[u8]> = text.as_bytes().chunks(density.chunk_len()).collect();
    let total = chunks.len();
    if total > MAX_FRAMES {
        return Err(RelayError::TooLarge);
    }
    Ok(chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            // Base45 text is ASCII, so every cut is at a character boundary.
            let chunk = String::from_utf8_lossy(chunk);
            format!("{FRAME_PREFIX}{:02}/{total:02}/{id}/{chunk}", i + 1)
        })
        .collect())
}

/// Whether a scanned text looks like a relay frame (starts with `LL1/`); anything else a
/// camera sees (a URL, a receipt) can be handled elsewhere.
pub fn is_frame(text: &str) -> bool {
    text.starts_with(FRAME_PREFIX)
}

/// One frame, read but not yet compared with the others.
struct Frame<'a> {
    seq: usize,
    total: usize,
    id: &'a str,
    chunk: &'a str,
}

/// Reads a frame's fields and checks what can be checked on the frame alone.
fn parse_frame(text: &str) -> Result<Frame<'_>, RelayError> {
    if text.len() > MAX_FRAME_LEN {
        return Err(RelayError::NotAFrame);
    }
    let rest = text
        .strip_prefix(FRAME_PREFIX)
        .ok_or(RelayError::NotAFrame)?;
    // The chunk may itself contain '/', a base45 character: split off the header fields only.
    let mut fields = rest.splitn(4, '/');
    let (Some(seq), Some(total), Some(id), Some(chunk)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(RelayError::NotAFrame);
    };
    let (Some(seq), Some(total)) = (two_digits(seq), two_digits(total)) else {
        return Err(RelayError::NotAFrame);
    };
    if !is_message_id(id) || chunk.is_empty() {
        return Err(RelayError::NotAFrame);
    }
    if !chunk.bytes().all(|c| base45::value(c).is_some()) {
        return Err(RelayError::BadBase45);
    }
    if seq == 0 || seq > total {
        return Err(RelayError::Inconsistent);
    }
    Ok(Frame {
        seq,
        total,
        id,
        chunk,
    })
}

/// Exactly two ASCII digits, as a number.
fn two_digits(s: &str) -> Option<usize> {
    match *s.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => {
            Some(usize::from(a - b'0') * 10 + usize::from(b - b'0'))
        }
        _ => None,
    }
}

/// How far an [`Assembler`] is: `received` distinct frames out of `total` (0 before the
/// first frame).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub received: usize,
    pub total: usize,
}

/// Collects the frames of ONE message, in any order, over as many loops as it takes;
/// duplicates are ignored. The first valid frame fixes the message id and the frame count.
#[derive(Clone, Debug, Default)]
pub struct Assembler {
    /// The message being collected, once a first frame was accepted.
    id: Option<String>,
    /// One slot per frame (`seq - 1`); empty before the first frame.
    chunks: Vec<Option<String>>,
    /// How many slots are filled.
    received: usize,
}

impl Assembler {
    /// An assembler that has seen no frame yet.
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// Adds a scanned frame.
    ///
    /// - Err(NotAFrame) on text that is not a frame, Err(BadBase45) if its chunk has a
    ///   character outside base45;
    /// - Err(OtherMessage) for a frame of another message (nothing changes: the user may be
    ///   filming the wrong screen);
    /// - Err(Inconsistent) for seq 0 or above the total, another total than the first frame's,
    ///   or a seq already received with a different chunk.
    ///
    /// A refused frame never changes the assembler.
    pub fn add(&mut self, frame: &str) -> Result<Progress, RelayError> {
        let frame = parse_frame(frame)?;
        match &self.id {
            None => {
                self.id = Some(frame.id.to_owned());
                self.chunks = vec![None; frame.total];
            }
            Some(id) if id.as_str() != frame.id => return Err(RelayError::OtherMessage),
            Some(_) if self.chunks.len() != frame.total => return Err(RelayError::Inconsistent),
            Some(_) => {}
        }
        let slot = self
            .chunks
            .get_mut(frame.seq - 1)
            .ok_or(RelayError::Inconsistent)?;
        if let Some(known) = slot {
            if known.as_str() != frame.chunk {
                return Err(RelayError::Inconsistent);
            }
        } else {
            *slot = Some(frame.chunk.to_owned());
            self.received += 1;
        }
        Ok(self.progress())
    }

    /// Frames received so far out of the message's total.
    pub fn progress(&self) -> Progress {
        Progress {
            received: self.received,
            total: self.chunks.len(),
        }
    }

    /// The id of the message being collected, once a frame was accepted.
    pub fn message_id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The packed message once every frame is in (None while frames are missing): the chunks
    /// joined and base45-decoded, then checked — its id must be the frames' id and its
    /// version and hash must be right (so a damaged or tampered chunk is caught here, before
    /// anything is inflated). Errors: BadBase45, BadHash, BadVersion.
    pub fn finish(&self) -> Option<Result<Vec<u8>, RelayError>> {
        let id = self.id.as_deref()?;
        let text = self
            .chunks
            .iter()
            .map(|c| c.as_deref())
            .collect::<Option<String>>()?;
        Some(check_assembled(id, &text))
    }
}

/// Decodes the joined chunks and checks them against the frames' id and the packed header.
fn check_assembled(id: &str, text: &str) -> Result<Vec<u8>, RelayError> {
    let packed = base45::decode(text)?;
    if message_id(&packed).ok().as_deref() != Some(id) {
        return Err(RelayError::BadHash);
    }
    verified_body(&packed)?;
    Ok(packed)
}

/// Every receipt starts with this.
const RECEIPT_PREFIX: &str = "LR1/";
/// The largest count a receipt may carry.
const MAX_RECEIPT_COUNT: usize = 100_000;

/// The receipt a receiver shows once it has a whole message: `LR1/<message id>/<count>`,
/// count being the number of records it took in. The carrier scans it to know the message
/// arrived. (A count above 100 000 makes a receipt [`parse_receipt`] refuses.)
pub fn receipt(message_id: &str, count: usize) -> String {
    format!("{RECEIPT_PREFIX}{message_id}/{count}")
}

/// Reads a receipt: the message id (6 uppercase hex) and the count (decimal, no sign or
/// leading zero, at most 100 000). Err(NotAReceipt) on anything else.
pub fn parse_receipt(text: &str) -> Result<(String, usize), RelayError> {
    let rest = text
        .strip_prefix(RECEIPT_PREFIX)
        .ok_or(RelayError::NotAReceipt)?;
    let (id, count) = rest.split_once('/').ok_or(RelayError::NotAReceipt)?;
    if !is_message_id(id) {
        return Err(RelayError::NotAReceipt);
    }
    let canonical = count.len() <= 6
        && count.bytes().all(|c| c.is_ascii_digit())
        && (count == "0" || !count.starts_with('0'));
    let count: usize = match count.parse() {
        Ok(n) if canonical && n <= MAX_RECEIPT_COUNT => n,
        _ => return Err(RelayError::NotAReceipt),
    };
    Ok((id.to_owned(), count))
}

/// The QR code of `text` at level M: the smallest version from `min_version` (clamped to
/// 1..=40) up to 40 that holds it, in numeric, alphanumeric or byte mode as the text allows.
/// A frame from [`frames`] with its density's version always fits that version exactly.
/// Returns (size in modules, row-major modules, true = dark); Err(TooLarge) if no version
/// holds the text.
pub fn qr_matrix(text: &str, min_version: u8) -> Result<(usize, Vec<bool>), RelayError> {
    // Nothing longer fits any QR code (version 40-L numeric); refuse before allocating.
    if text.len() > 7089 {
        return Err(RelayError::TooLarge);
    }
    let min = Version::new(min_version.clamp(Version::MIN.value(), Version::MAX.value()));
    let segments = QrSegment::make_segments(text);
    let qr = QrCode::encode_segments_advanced(
        &segments,
        QrCodeEcc::Medium,
        min,
        Version::MAX,
        None,
        false,
    )
    .map_err(|_| RelayError::TooLarge)?;
    let size = qr.size();
    let modules = (0..size)
        .flat_map(|y| (0..size).map(move |x| (x, y)))
        .map(|(x, y)| qr.get_module(x, y))
        .collect();
    Ok((usize::try_from(size).unwrap_or(0), modules))
}

/// White modules around a code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// Draws a QR matrix as an 8-bit grey image: `scale` pixels per module, a 4-module white
/// quiet zone, dark = 0, light = 255. Returns (width, height, row-major pixels); a matrix
/// shorter than `size * size` is drawn light where modules are missing. A scale of 0, or an
/// image larger than [`decode_luma`] reads, gives an empty image.
pub fn render_luma(size: usize, modules: &[bool], scale: usize) -> (usize, usize, Vec<u8>) {
    let Some(side) = size
        .checked_add(2 * QUIET_ZONE)
        .and_then(|s| s.checked_mul(scale))
        .filter(|&side| side > 0 && side <= MAX_DECODE_SIDE && side * side <= MAX_DECODE_PIXELS)
    else {
        return (0, 0, Vec::new());
    };
    let mut pixels = vec![255u8; side * side];
    for (y, row) in pixels.chunks_exact_mut(side).enumerate() {
        let my = (y / scale).checked_sub(QUIET_ZONE);
        for (x, px) in row.iter_mut().enumerate() {
            let mx = (x / scale).checked_sub(QUIET_ZONE);
            if let (Some(mx), Some(my)) = (mx, my) {
                if mx < size && my < size && is_dark(modules, size, mx, my) {
                    *px = 0;
                }
            }
        }
    }
    (side, side, pixels)
}

/// The module at (x, y) of a row-major matrix, light when missing.
fn is_dark(modules: &[bool], size: usize, x: usize, y: usize) -> bool {
    y.checked_mul(size)
        .and_then(|i| i.checked_add(x))
        .and_then(|i| modules.get(i))
        .copied()
        .unwrap_or(false)
}

/// Images larger than this are not scanned (a 4K camera frame has 8.3 M pixels); it keeps
/// quircs' 32-bit pixel arithmetic far from overflow.
const MAX_DECODE_PIXELS: usize = 1 << 26;
/// No side of a scanned image may exceed this.
const MAX_DECODE_SIDE: usize = 1 << 15;

/// Finds and decodes every QR code in an 8-bit grey image (row-major, `width * height`
/// bytes) with quircs. Payloads that are not UTF-8 and codes that fail to decode are skipped.
/// Returns an empty Vec if the dimensions do not match the image (or are absurd).
///
/// quircs binarizes the image at one global (Otsu) threshold. Blur, focus and glare shrink or
/// grow dark modules, which moves the corners quircs fits its grid to, so a code can be found
/// and still fail its error correction. Only then (a code was located, nothing decoded) the
/// image is binarized again at thresholds biased toward dark and toward light, and scanned
/// again: a soft image usually decodes on one of them, and a frame without any code costs
/// one pass only.
pub fn decode_luma(width: usize, height: usize, luma: &[u8]) -> Vec<String> {
    let fits = width > 0
        && height > 0
        && width <= MAX_DECODE_SIDE
        && height <= MAX_DECODE_SIDE
        && width.checked_mul(height) == Some(luma.len())
        && luma.len() <= MAX_DECODE_PIXELS;
    if !fits {
        return Vec::new();
    }
    let mut decoder = quircs::Quirc::default();
    let (located, texts) = scan(&mut decoder, width, height, luma);
    if !texts.is_empty() || !located {
        return texts;
    }
    for percent in RETRY_THRESHOLDS {
        let Some(binary) = binarize(luma, percent) else {
            break;
        };
        let (located, texts) = scan(&mut decoder, width, height, &binary);
        if !texts.is_empty() || !located {
            return texts;
        }
    }
    Vec::new()
}

/// Where the retries of [`decode_luma`] put the threshold, in percent of the way from the
/// image's dark level to its light level: first biased toward dark (grey edge pixels count
/// as dark, undoing blur), then toward light.
const RETRY_THRESHOLDS: [u32; 2] = [60, 40];

/// One quircs pass: whether any code was located, and the UTF-8 payloads that decoded.
fn scan(
    decoder: &mut quircs::Quirc,
    width: usize,
    height: usize,
    luma: &[u8],
) -> (bool, Vec<String>) {
    let mut located = false;
    let texts = decoder
        .identify(width, height, luma)
        .inspect(|_| located = true)
        .filter_map(|code| code.ok()?.decode().ok())
        .filter_map(|data| String::from_utf8(data.payload).ok())
        .collect();
    (located, texts)
}

/// The image in pure black and white, cut at `percent` of the way from its dark level to its
/// light level (the 1st and 99th percentiles, so a few stray pixels do not move them).
/// None if the image has no contrast.
fn binarize(luma: &[u8], percent: u32) -> Option<Vec<u8>> {
    let mut histogram = [0usize; 256];
    for &p in luma {
        histogram[usize::from(p)] += 1;
    }
    let dark = percentile(&histogram, luma.len(), 1)?;
    let light = percentile(&histogram, luma.len(), 99)?;
    if light <= dark {
        return None;
    }
    let threshold = dark + (light - dark) * percent.min(100) / 100;
    Some(
        luma.iter()
            .map(|&p| if u32::from(p) < threshold { 0 } else { 255 })
            .collect(),
    )
}

/// The smallest grey level at or below which at least `percent` % of the pixels lie.
fn percentile(histogram: &[usize; 256], pixels: usize, percent: usize) -> Option<u32> {
    // pixels <= MAX_DECODE_PIXELS, so this cannot overflow.
    let wanted = (pixels * percent).div_ceil(100).max(1);
    let mut seen = 0usize;
    (0u32..).zip(histogram).find_map(|(level, &count)| {
        seen += count;
        (seen >= wanted).then_some(level)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic pseudo-random generator (xorshift64), so tests need no rand crate.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn shuffle<T>(&mut self, v: &mut [T]) {
            for i in (1..v.len()).rev() {
                let j = self.below(i + 1);
                v.swap(i, j);
            }
        }
    }

    /// JSON shaped like what phones relay: 50 reports with ids, times, places and short text.
    fn realistic_json() -> Vec<u8> {
        let kinds = [
            "need_water",
            "need_medicine",
            "road_blocked",
            "safe",
            "power_out",
        ];
        let places = [
            "Block 3, Lane 12",
            "Market Street 5",
            "Riverside 21",
            "School gate",
            "Temple square",
        ];
        let notes = [
            "Two elderly residents need drinking water for tomorrow",
            "Insulin runs out in two days, fridge has no power",
            "Tree fallen across the lane, cars cannot pass",
            "All four of us are fine, staying at home",
            "No electricity since last night, phone at 20%",
        ];
        let mut rng = XorShift(0x5eed_1234_abcd_9876);
        let items: Vec<String> = (0..50)
            .map(|i| {
                let r = rng.next();
                format!(
                    r#"{{"id":"{:016x}-{:04x}","kind":"{}","at":"2025-08-{:02}T{:02}:{:02}:00+08:00","place":"{}","people":{},"note":"{}","lat":22.{:05},"lon":114.{:05},"device":"{:08x}","status":"{}","reporter":"hh-{:04}"}}"#,
                    r,
                    i,
                    kinds[i % 5],
                    1 + (r % 28),
                    (r >> 8) % 24,
                    (r >> 16) % 60,
                    places[(r >> 24) as usize % 5],
                    1 + (r >> 32) % 6,
                    notes[(r >> 40) as usize % 5],
                    (r >> 3) % 100_000,
                    (r >> 20) % 100_000,
                    rng.next() as u32,
                    ["open", "done"][i % 2],
                    (r >> 50) % 10_000,
                )
            })
            .collect();
        format!(r#"{{"version":1,"items":[{}]}}"#, items.join(",")).into_bytes()
    }

    /// A packed message of `n` bytes of incompressible JSON-ish content.
    fn packed_message(seed: u64, n: usize) -> Vec<u8> {
        let mut rng = XorShift(seed);
        let text: String = rng
            .bytes(n)
            .iter()
            .map(|b| char::from(b'a' + b % 26))
            .collect();
        pack(format!(r#"{{"t":"{text}"}}"#).as_bytes()).unwrap()
    }

    const QR_ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    fn assemble(frames: &[String]) -> (Assembler, Vec<Progress>) {
        let mut a = Assembler::new();
        let progress = frames.iter().map(|f| a.add(f).unwrap()).collect();
        (a, progress)
    }

    // ---- base45 ----

    #[test]
    fn base45_rfc9285_vectors() {
        let vectors: [(&[u8], &str); 5] = [
            (b"AB", "BB8"),
            (b"Hello!!", "%69 VD92EX0"),
            (b"base-45", "UJCLQE7W581"),
            (b"ietf!", "QED8WEX0"),
            (b"", ""),
        ];
        for (bytes, text) in vectors {
            assert_eq!(base45::encode(bytes), text);
            assert_eq!(base45::decode(text).unwrap(), bytes);
        }
    }

    #[test]
    fn base45_rejects_invalid_text() {
        // "GGW" is 65536, one more than two bytes hold; ";" and lower case are outside the set.
        for bad in [
            "GGW", ":::", "A", "BB8A", "bb8", "BB;", "é", "QED8WEX", "U7",
        ] {
            assert_eq!(base45::decode(bad), Err(RelayError::BadBase45), "{bad:?}");
        }
        // The largest valid triple ("FGW" = 65535) and pair.
        assert_eq!(base45::decode("FGW").unwrap(), [0xff, 0xff]);
        assert_eq!(
            base45::decode(&base45::encode(&[0xff, 0xff])).unwrap(),
            [0xff, 0xff]
        );
        assert_eq!(base45::decode(&base45::encode(&[0xff])).unwrap(), [0xff]);
        // A pair above 255: "U5" = 30 + 5*45 = 255 is fine, "V5" = 256 is not.
        assert_eq!(base45::decode("U5").unwrap(), [255]);
        assert_eq!(base45::decode("V5"), Err(RelayError::BadBase45));
    }

    #[test]
    fn base45_round_trips_every_length() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for len in 0..300 {
            let bytes = rng.bytes(len);
            let text = base45::encode(&bytes);
            assert_eq!(text.len(), len / 2 * 3 + len % 2 * 2);
            assert!(text.chars().all(|c| QR_ALPHANUMERIC.contains(c)));
            assert_eq!(base45::decode(&text).unwrap(), bytes, "length {len}");
        }
    }

    // ---- pack / unpack ----

    #[test]
    fn pack_round_trips() {
        for json in [&b""[..], b"{}", br#"{"items":[1,2,3]}"#, &realistic_json()] {
            let packed = pack(json).unwrap();
            assert_eq!(packed[0], PACK_VERSION);
            assert_eq!(unpack(&packed).unwrap(), json);
        }
    }

    #[test]
    fn any_flipped_byte_is_refused() {
        let packed = pack(&realistic_json()).unwrap();
        for i in 0..packed.len() {
            for bit in [0x01u8, 0x80] {
                let mut damaged = packed.clone();
                damaged[i] ^= bit;
                let err = unpack(&damaged).unwrap_err();
                let expected = if i == 0 {
                    RelayError::BadVersion
                } else {
                    RelayError::BadHash
                };
                assert_eq!(err, expected, "byte {i}");
            }
        }
        assert_eq!(
            unpack(&packed[..packed.len() - 1]),
            Err(RelayError::BadHash)
        );
        assert_eq!(unpack(&[]), Err(RelayError::BadVersion));
        assert_eq!(unpack(&[PACK_VERSION, 1, 2]), Err(RelayError::BadHash));
    }

    #[test]
    fn inflate_bomb_is_too_large() {
        // pack() refuses documents no receiver would inflate, so the bomb is built by hand.
        let zeros = vec![0u8; 600 * 1024];
        assert_eq!(pack(&zeros), Err(RelayError::TooLarge));
        let bomb = with_header(&miniz_oxide::deflate::compress_to_vec(&zeros, 9));
        assert!(bomb.len() < 2048, "bomb of {} bytes", bomb.len());
        assert_eq!(unpack(&bomb), Err(RelayError::TooLarge));
        // Exactly at the limit is fine.
        let edge = vec![0u8; MAX_UNPACKED_BYTES];
        assert_eq!(
            unpack(&pack(&edge).unwrap()).unwrap().len(),
            MAX_UNPACKED_BYTES
        );
    }

    #[test]
    fn garbage_deflate_is_bad_deflate() {
        let garbage = with_header(&[0xff; 40]);
        assert_eq!(unpack(&garbage), Err(RelayError::BadDeflate));
        let truncated = pack(&realistic_json()).unwrap();
        let body = &truncated[HEADER_LEN..truncated.len() / 2];
        assert_eq!(unpack(&with_header(body)), Err(RelayError::BadDeflate));
    }

    #[test]
    fn incompressible_document_is_too_large() {
        let mut rng = XorShift(42);
        let noise: Vec<u8> = rng.bytes(100 * 1024);
        assert_eq!(pack(&noise), Err(RelayError::TooLarge));
    }

    #[test]
    fn realistic_json_packs_small() {
        let json = realistic_json();
        assert!(
            (12_000..=15_000).contains(&json.len()),
            "json of {} bytes",
            json.len()
        );
        let packed = pack(&json).unwrap();
        assert!(packed.len() < 5 * 1024, "packed to {} bytes", packed.len());
    }

    #[test]
    fn message_id_is_the_hash_prefix() {
        let packed = pack(b"{}").unwrap();
        let id = message_id(&packed).unwrap();
        assert_eq!(
            id,
            format!("{:02X}{:02X}{:02X}", packed[1], packed[2], packed[3])
        );
        assert!(is_message_id(&id));
        assert_eq!(message_id(&[1, 2, 3]), Err(RelayError::NotAFrame));
        assert_eq!(message_id(&[1, 0xab, 0x0c, 0xff]).unwrap(), "AB0CFF");
    }

    // ---- densities and QR capacities ----

    #[test]
    fn density_names_round_trip() {
        for d in Density::ALL {
            assert_eq!(Density::parse(d.as_str()), Some(d));
        }
        assert_eq!(Density::ALL.map(Density::version), [10, 15, 20],);
        assert_eq!(Density::parse("Low"), None);
        assert_eq!(Density::parse(""), None);
    }

    #[test]
    fn alphanumeric_capacities_match_qrcodegen() {
        for d in Density::ALL {
            let v = d.version();
            let cap = d.alphanumeric_capacity();
            let full = "A".repeat(cap);
            let (size, _) = qr_matrix(&full, v).unwrap();
            assert_eq!(size, 17 + 4 * usize::from(v), "{cap} chars must fit v{v}");
            let over = "A".repeat(cap + 1);
            let (size, _) = qr_matrix(&over, v).unwrap();
            assert_eq!(
                size,
                17 + 4 * (usize::from(v) + 1),
                "{} chars must not fit v{v}",
                cap + 1
            );
        }
    }

    // ---- frames and the assembler ----

    #[test]
    fn frames_have_the_documented_shape() {
        let packed = packed_message(1, 3000);
        let id = message_id(&packed).unwrap();
        for d in Density::ALL {
            let frames = frames(&packed, d).unwrap();
            let total = frames.len();
            let expected = base45::encode(&packed).len().div_ceil(d.chunk_len());
            assert_eq!(total, expected);
            for (i, f) in frames.iter().enumerate() {
                let header = format!("LL1/{:02}/{total:02}/{id}/", i + 1);
                assert!(f.starts_with(&header), "{f}");
                assert!(is_frame(f));
                assert!(f.len() <= d.alphanumeric_capacity());
                assert!(f.chars().all(|c| QR_ALPHANUMERIC.contains(c)), "{f}");
            }
            let joined: String = frames.iter().map(|f| &f[FRAME_HEADER_LEN..]).collect();
            assert_eq!(joined, base45::encode(&packed));
        }
    }

    #[test]
    fn every_frame_fits_its_density_version() {
        let packed = packed_message(2, 2500);
        for d in Density::ALL {
            let v = usize::from(d.version());
            for f in frames(&packed, d).unwrap() {
                let (size, modules) = qr_matrix(&f, d.version()).unwrap();
                assert_eq!(size, 17 + 4 * v, "{} chars at v{v}", f.len());
                assert_eq!(modules.len(), size * size);
            }
        }
    }

    #[test]
    fn frames_assemble_in_any_order() {
        let packed = packed_message(3, 4000);
        let mut rng = XorShift(7);
        for d in Density::ALL {
            let frames = frames(&packed, d).unwrap();
            let n = frames.len();
            assert!(n >= 3, "{n} frames at {d:?}");

            // In order.
            let (a, progress) = assemble(&frames);
            assert_eq!(a.finish().unwrap().unwrap(), packed);
            assert_eq!(
                progress.last(),
                Some(&Progress {
                    received: n,
                    total: n
                })
            );

            // Reverse order; progress counts up by one per new frame.
            let reversed: Vec<String> = frames.iter().rev().cloned().collect();
            let (a, progress) = assemble(&reversed);
            for (i, p) in progress.iter().enumerate() {
                assert_eq!(
                    *p,
                    Progress {
                        received: i + 1,
                        total: n
                    }
                );
            }
            assert_eq!(a.finish().unwrap().unwrap(), packed);

            // Shuffled, with duplicates.
            let mut noisy: Vec<String> = frames
                .iter()
                .chain(frames.iter().take(2))
                .cloned()
                .collect();
            rng.shuffle(&mut noisy);
            let (a, _) = assemble(&noisy);
            assert_eq!(
                a.progress(),
                Progress {
                    received: n,
                    total: n
                }
            );
            assert_eq!(a.message_id(), Some(message_id(&packed).unwrap().as_str()));
            assert_eq!(a.finish().unwrap().unwrap(), packed);
        }
    }

    #[test]
    fn lost_frames_arrive_on_the_second_loop() {
        let packed = packed_message(4, 4000);
        let frames = frames(&packed, Density::Low).unwrap();
        let n = frames.len();
        let mut a = Assembler::new();
        assert_eq!(
            a.progress(),
            Progress {
                received: 0,
                total: 0
            }
        );
        assert_eq!(a.message_id(), None);
        assert!(a.finish().is_none());
        // First loop: every other frame is lost.
        for f in frames.iter().step_by(2) {
            a.add(f).unwrap();
        }
        let first = n.div_ceil(2);
        assert_eq!(
            a.progress(),
            Progress {
                received: first,
                total: n
            }
        );
        assert!(a.finish().is_none());
        // Second loop: the whole loop again.
        for (i, f) in frames.iter().enumerate() {
            let p = a.add(f).unwrap();
            // The odd-indexed frames up to i are the new ones.
            let expected = first + i.div_ceil(2);
            assert_eq!(
                p,
                Progress {
                    received: expected,
                    total: n
                }
            );
        }
        assert_eq!(a.finish().unwrap().unwrap(), packed);
        assert_eq!(
            unpack(&a.finish().unwrap().unwrap()).unwrap().len(),
            4000 + 8
        );
    }

    #[test]
    fn another_message_leaves_the_assembler_unchanged() {
        let ours = frames(&packed_message(5, 2000), Density::Medium).unwrap();
        let theirs = frames(&packed_message(6, 2000), Density::Medium).unwrap();
        let mut a = Assembler::new();
        a.add(&ours[0]).unwrap();
        let before = a.progress();
        assert_eq!(a.add(&theirs[1]), Err(RelayError::OtherMessage));
        assert_eq!(a.progress(), before);
        assert_eq!(a.message_id(), Some(&ours[0][10..16]));
        for f in &ours[1..] {
            a.add(f).unwrap();
        }
        assert_eq!(a.finish().unwrap().unwrap(), packed_message(5, 2000));
    }

    #[test]
    fn inconsistent_frames_are_refused() {
        let packed = packed_message(8, 2000);
        let frames = frames(&packed, Density::Low).unwrap();
        let id = message_id(&packed).unwrap();
        let n = frames.len();
        let mut a = Assembler::new();
        a.add(&frames[0]).unwrap();
        let before = a.progress();
        let other_total = format!("LL1/02/{:02}/{id}/ABC", n + 1);
        let seq_zero = format!("LL1/00/{n:02}/{id}/ABC");
        let seq_above = format!("LL1/{:02}/{n:02}/{id}/ABC", n + 1);
        let changed = format!("{}X", frames[0]);
        for bad in [&other_total, &seq_zero, &seq_above, &changed] {
            assert_eq!(a.add(bad), Err(RelayError::Inconsistent), "{bad}");
            assert_eq!(a.progress(), before);
        }
        // A frame that is wrong on its own does not start a message either.
        let mut empty = Assembler::new();
        assert_eq!(empty.add(&seq_zero), Err(RelayError::Inconsistent));
        assert_eq!(
            empty.add("LL1/01/00/ABCDEF/AB"),
            Err(RelayError::Inconsistent)
        );
        assert_eq!(empty.message_id(), None);
    }

    #[test]
    fn garbage_frames_are_refused() {
        let mut a = Assembler::new();
        for bad in [
            "",
            "hello",
            "LL1/",
            "LL1/01/02/ABCDEF",
            "LL1/01/02/ABCDEF/",
            "LL1/1/02/ABCDEF/AB",
            "LL1/01/2/ABCDEF/AB",
            "LL1/0a/02/ABCDEF/AB",
            "LL1/01/02/abcdef/AB",
            "LL1/01/02/ABCDE/AB",
            "LL1/01/02/ABCDEFA/AB",
            "LL1/+1/02/ABCDEF/AB",
            "LL2/01/02/ABCDEF/AB",
            "LR1/ABCDEF/3",
        ] {
            assert_eq!(a.add(bad), Err(RelayError::NotAFrame), "{bad:?}");
        }
        let huge = format!("LL1/01/01/ABCDEF/{}", "A".repeat(MAX_FRAME_LEN));
        assert_eq!(a.add(&huge), Err(RelayError::NotAFrame));
        assert_eq!(a.add("LL1/01/02/ABCDEF/ab"), Err(RelayError::BadBase45));
        assert_eq!(a.add("LL1/01/02/ABCDEF/AB\n"), Err(RelayError::BadBase45));
        assert_eq!(
            a.progress(),
            Progress {
                received: 0,
                total: 0
            }
        );
        // '/' is a base45 character, so a chunk may hold it.
        assert!(a.add("LL1/01/02/ABCDEF/A/B").is_ok());
    }

    #[test]
    fn tampered_chunk_fails_finish() {
        let packed = packed_message(9, 3000);
        let frames = frames(&packed, Density::Low).unwrap();
        let n = frames.len();
        // Change one character in each frame in turn (in the middle and at the end of chunks).
        for i in 0..n {
            for pos in [FRAME_HEADER_LEN + 5, frames[i].len() - 1] {
                let mut tampered = frames.clone();
                let mut bytes = tampered[i].clone().into_bytes();
                bytes[pos] = if bytes[pos] == b'0' { b'1' } else { b'0' };
                tampered[i] = String::from_utf8(bytes).unwrap();
                let (a, _) = assemble(&tampered);
                let result = a.finish().unwrap();
                assert!(
                    matches!(
                        result,
                        Err(RelayError::BadHash | RelayError::BadBase45 | RelayError::BadVersion)
                    ),
                    "frame {i} pos {pos}: {result:?}"
                );
            }
        }
        // A whole consistent message with a forged id: refused too.
        let forged: Vec<String> = frames
            .iter()
            .map(|f| format!("{}000000{}", &f[..10], &f[16..]))
            .collect();
        let (a, _) = assemble(&forged);
        assert_eq!(a.finish().unwrap(), Err(RelayError::BadHash));
    }

    #[test]
    fn too_many_frames_is_too_large() {
        // Low density carries 294 base45 chars (196 bytes) per frame: 99 frames hold 19 404.
        let mut rng = XorShift(11);
        let mut big = vec![PACK_VERSION];
        big.extend(rng.bytes(99 * 196 - 1));
        assert_eq!(frames(&big, Density::Low).unwrap().len(), 99);
        big.push(0);
        assert_eq!(frames(&big, Density::Low), Err(RelayError::TooLarge));
        assert_eq!(frames(&big, Density::High).unwrap().len(), 31);
        // The largest packed message fits at high density only.
        let max = vec![7u8; MAX_PACKED_BYTES];
        assert_eq!(frames(&max, Density::Low), Err(RelayError::TooLarge));
        assert!(frames(&max, Density::High).unwrap().len() <= MAX_FRAMES);
        assert_eq!(frames(&[1, 2], Density::High), Err(RelayError::NotAFrame));
    }

    // ---- receipts ----

    #[test]
    fn receipts_round_trip() {
        for count in [0, 1, 50, 99_999, 100_000] {
            let r = receipt("0A1B2C", count);
            assert!(r.chars().all(|c| QR_ALPHANUMERIC.contains(c)));
            assert_eq!(parse_receipt(&r).unwrap(), ("0A1B2C".to_string(), count));
        }
        assert_eq!(receipt("ABCDEF", 12), "LR1/ABCDEF/12");
    }

    #[test]
    fn malformed_receipts_are_refused() {
        for bad in [
            "",
            "LR1/",
            "LR1/ABCDEF",
            "LR1/ABCDEF/",
            "LR1/abcdef/3",
            "LR1/ABCDE/3",
            "LR1/ABCDEFF/3",
            "LR1/ABCDEG/3",
            "LR1/ABCDEF/-1",
            "LR1/ABCDEF/+1",
            "LR1/ABCDEF/01",
            "LR1/ABCDEF/1 ",
            "LR1/ABCDEF/100001",
            "LR1/ABCDEF/1000000",
            "LR1/ABCDEF/99999999999999999999999",
            "LR1/ABCDEF/3/4",
            "LR2/ABCDEF/3",
            "LL1/01/01/ABCDEF/3",
        ] {
            assert_eq!(parse_receipt(bad), Err(RelayError::NotAReceipt), "{bad:?}");
        }
    }

    // ---- QR images ----

    /// Renders text as a QR image at scale 4 and decodes it again.
    fn through_camera(text: &str, version: u8, blur: bool) -> Vec<String> {
        let (size, modules) = qr_matrix(text, version).unwrap();
        let (w, h, mut img) = render_luma(size, &modules, 4);
        assert_eq!((w, h), ((size + 8) * 4, (size + 8) * 4));
        if blur {
            img = box_blur(w, h, &img);
        }
        decode_luma(w, h, &img)
    }

    /// A 3×3 box blur (edges use the pixels that exist), like a slightly soft camera.
    fn box_blur(w: usize, h: usize, img: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; img.len()];
        for y in 0..h {
            for x in 0..w {
                let (mut sum, mut n) = (0u32, 0u32);
                for yy in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                    for xx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                        sum += u32::from(img[yy * w + xx]);
                        n += 1;
                    }
                }
                out[y * w + x] = (sum / n) as u8;
            }
        }
        out
    }

    #[test]
    fn render_luma_draws_modules_and_quiet_zone() {
        let modules = [true, false, false, true];
        let (w, h, img) = render_luma(2, &modules, 3);
        assert_eq!((w, h), (30, 30));
        assert_eq!(img.len(), 900);
        let at = |x: usize, y: usize| img[y * w + x];
        assert_eq!(at(0, 0), 255);
        assert_eq!(at(11, 11), 255); // quiet zone
        assert_eq!(at(12, 12), 0); // module (0,0)
        assert_eq!(at(14, 14), 0);
        assert_eq!(at(15, 12), 255); // module (1,0)
        assert_eq!(at(15, 15), 0); // module (1,1)
        assert_eq!(at(18, 18), 255); // quiet zone again
        assert!(img.iter().all(|&p| p == 0 || p == 255));
        // Missing modules are light; absurd sizes give an empty image.
        let (_, _, short) = render_luma(2, &[true], 1);
        assert_eq!(short.iter().filter(|&&p| p == 0).count(), 1);
        assert_eq!(render_luma(usize::MAX, &[], 2), (0, 0, Vec::new()));
        assert_eq!(render_luma(3, &[], 0), (0, 0, Vec::new()));
    }

    #[test]
    fn frames_survive_the_camera_at_every_density() {
        let packed = packed_message(12, 3000);
        for d in Density::ALL {
            let frames = frames(&packed, d).unwrap();
            for f in [frames.first().unwrap(), frames.last().unwrap()] {
                assert_eq!(
                    through_camera(f, d.version(), false),
                    vec![f.clone()],
                    "{d:?}"
                );
            }
        }
    }

    #[test]
    fn receipt_survives_the_camera() {
        let r = receipt("C0FFEE", 137);
        assert_eq!(through_camera(&r, 1, false), vec![r.clone()]);
        let (size, _) = qr_matrix(&r, 1).unwrap();
        assert_eq!(size, 21);
    }

    #[test]
    fn blurred_frames_still_decode() {
        // Without the re-binarized retries of decode_luma, quircs read 7 of 20 such v15 frames.
        let packed = packed_message(13, 4000);
        for d in Density::ALL {
            let frames = frames(&packed, d).unwrap();
            assert_eq!(frames[0].len(), d.alphanumeric_capacity());
            for f in &frames {
                assert_eq!(
                    through_camera(f, d.version(), true),
                    vec![f.clone()],
                    "{d:?}"
                );
            }
        }
    }

    #[test]
    fn binarize_cuts_between_the_dark_and_light_levels() {
        let mut img = vec![20u8; 50];
        img.extend([220u8; 50]);
        img[0] = 0; // a stray pixel does not move the dark level (1st percentile)
        img.extend([99, 100, 139, 140, 141, 180]);
        let binary = binarize(&img, 60).unwrap();
        assert!(binary.iter().all(|&p| p == 0 || p == 255));
        // 20 + 200 * 60% = 140: below is dark.
        assert_eq!(&binary[100..], &[0, 0, 0, 255, 255, 255]);
        // 20 + 200 * 40% = 100.
        assert_eq!(
            &binarize(&img, 40).unwrap()[100..],
            &[0, 255, 255, 255, 255, 255]
        );
        assert_eq!(binarize(&[7; 30], 60), None);
        assert_eq!(binarize(&[], 60), None);
    }

    #[test]
    fn qr_matrix_limits() {
        assert_eq!(qr_matrix(&"A".repeat(7090), 1), Err(RelayError::TooLarge));
        assert_eq!(qr_matrix(&"a".repeat(3000), 1), Err(RelayError::TooLarge));
        // Versions outside 1..=40 are clamped.
        assert_eq!(qr_matrix("X", 0).unwrap().0, 21);
        assert_eq!(qr_matrix("X", 200).unwrap().0, 177);
        // Bytes that are not alphanumeric still encode (byte mode).
        assert_eq!(qr_matrix("linli ☂", 1).unwrap().0, 21);
    }

    #[test]
    fn decode_luma_never_panics_on_garbage() {
        let mut rng = XorShift(99);
        assert!(decode_luma(0, 0, &[]).is_empty());
        assert!(decode_luma(10, 10, &[0; 99]).is_empty());
        assert!(decode_luma(usize::MAX, 2, &[0; 4]).is_empty());
        assert!(decode_luma(1 << 40, 1, &[]).is_empty());
        for (w, h) in [(1, 1), (3, 200), (64, 64), (200, 150)] {
            assert!(decode_luma(w, h, &rng.bytes(w * h)).is_empty());
            assert!(decode_luma(w, h, &vec![0; w * h]).is_empty());
            assert!(decode_luma(w, h, &vec![255; w * h]).is_empty());
        }
        // A real code cut in half decodes to nothing rather than garbage.
        let (size, modules) = qr_matrix("LR1/ABCDEF/1", 1).unwrap();
        let (w, h, img) = render_luma(size, &modules, 4);
        let half = &img[..w * (h / 2)];
        assert!(decode_luma(w, h / 2, half).is_empty());
        // Blocky noise of module-sized squares (finder-like shapes may appear).
        for seed in 1..20 {
            let mut rng = XorShift(seed);
            let fake: Vec<bool> = (0..57 * 57).map(|_| rng.next() & 1 == 1).collect();
            let (w, h, img) = render_luma(57, &fake, 3);
            let _ = decode_luma(w, h, &img);
        }
    }
}
