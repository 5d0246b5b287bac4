//! The browser's half of scanning: the camera (getUserMedia → video → canvas → luma), photos
//! and files, and saving a relay file. QR decoding itself is `linli_protocol::relay`.
//!
//! The browser is reached through `Reflect` (property reads and method calls by name) rather
//! than web-sys's typed bindings: every typed binding adds a function to the one JS glue file
//! the first load fetches, whichever chunk uses it (BENCHMARKS.md), and these are used only
//! here.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Photos are scaled down to at most this width before decoding (a QR code filling a
/// 4000-px photo decodes as well at 1600 px, much faster).
const MAX_PHOTO_WIDTH: f64 = 1600.0;

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &JsValue, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

/// `o.method(...args)`; `None` if there is no such method or it threw.
fn call(o: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
    let f: Function = get(o, method).dyn_into().ok()?;
    f.apply(o, &args.iter().copied().collect::<Array>()).ok()
}

/// Awaits a method that returns a promise.
async fn call_await(o: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
    let p: Promise = call(o, method, args)?.dyn_into().ok()?;
    JsFuture::from(p).await.ok()
}

fn num(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

fn global() -> JsValue {
    js_sys::global().into()
}

/// A canvas to read pixels from (with the hint that it is read often), and its context.
fn canvas() -> Option<(JsValue, JsValue)> {
    let doc = get(&global(), "document");
    let canvas = call(&doc, "createElement", &[&JsValue::from_str("canvas")])?;
    let opts: JsValue = Object::new().into();
    set(&opts, "willReadFrequently", &JsValue::TRUE);
    let ctx = call(&canvas, "getContext", &[&JsValue::from_str("2d"), &opts])?;
    (!ctx.is_null()).then_some((canvas, ctx))
}

/// Draws `source` (a video or an image bitmap) at w × h and returns every QR text in it.
fn decode(canvas: &JsValue, ctx: &JsValue, source: &JsValue, w: f64, h: f64) -> Vec<String> {
    if get(canvas, "width").as_f64() != Some(w) || get(canvas, "height").as_f64() != Some(h) {
        set(canvas, "width", &num(w));
        set(canvas, "height", &num(h));
    }
    let zero = num(0.0);
    if call(ctx, "drawImage", &[source, &zero, &zero, &num(w), &num(h)]).is_none() {
        return Vec::new();
    }
    let Some(data) = call(ctx, "getImageData", &[&zero, &zero, &num(w), &num(h)]) else {
        return Vec::new();
    };
    let rgba = js_sys::Uint8Array::new(&get(&get(&data, "data"), "buffer")).to_vec();
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8)
        .collect();
    linli_protocol::relay::decode_luma(w as usize, h as usize, &luma)
}

/// The running camera, drawn into a canvas on each [`Camera::scan`].
pub struct Camera {
    stream: JsValue,
    video: JsValue,
    canvas: JsValue,
    ctx: JsValue,
}

impl Camera {
    /// Asks for the back camera (the browser asks the person) and plays it in `video`.
    pub async fn start(video: JsValue) -> Option<Camera> {
        let devices = get(&get(&global(), "navigator"), "mediaDevices");
        let wanted: JsValue = Object::new().into();
        set(&wanted, "facingMode", &JsValue::from_str("environment"));
        for (k, v) in [("width", 1280.0), ("height", 720.0)] {
            let ideal: JsValue = Object::new().into();
            set(&ideal, "ideal", &num(v));
            set(&wanted, k, &ideal);
        }
        let constraints: JsValue = Object::new().into();
        set(&constraints, "video", &wanted);
        set(&constraints, "audio", &JsValue::FALSE);
        let stream = call_await(&devices, "getUserMedia", &[&constraints]).await?;
        set(&video, "muted", &JsValue::TRUE);
        // iOS plays inline only with this attribute (otherwise full screen, or not at all).
        call(
            &video,
            "setAttribute",
            &[&JsValue::from_str("playsinline"), &JsValue::from_str("")],
        );
        set(&video, "srcObject", &stream);
        let _ = call_await(&video, "play", &[]).await;
        let Some((canvas, ctx)) = canvas() else {
            stop_tracks(&stream);
            return None;
        };
        Some(Camera {
            stream,
            video,
            canvas,
            ctx,
        })
    }

    /// The QR texts in the current picture (none while the camera warms up).
    pub fn scan(&self) -> Vec<String> {
        let w = get(&self.video, "videoWidth").as_f64().unwrap_or(0.0);
        let h = get(&self.video, "videoHeight").as_f64().unwrap_or(0.0);
        if w < 1.0 || h < 1.0 {
            return Vec::new();
        }
        decode(&self.canvas, &self.ctx, &self.video, w, h)
    }

    /// Turns the camera off (its light goes out).
    pub fn stop(&self) {
        stop_tracks(&self.stream);
        set(&self.video, "srcObject", &JsValue::NULL);
    }
}

fn stop_tracks(stream: &JsValue) {
    if let Some(tracks) = call(stream, "getTracks", &[]) {
        for t in Array::from(&tracks).iter() {
            call(&t, "stop", &[]);
        }
    }
}

/// The QR texts in a photo.
pub async fn scan_photo(file: &JsValue) -> Vec<String> {
    let Some(bitmap) = call_await(&global(), "createImageBitmap", &[file]).await else {
        return Vec::new();
    };
    let bw = get(&bitmap, "width").as_f64().unwrap_or(0.0).max(1.0);
    let bh = get(&bitmap, "height").as_f64().unwrap_or(0.0).max(1.0);
    let scale = (MAX_PHOTO_WIDTH / bw).min(1.0);
    let Some((canvas, ctx)) = canvas() else {
        return Vec::new();
    };
    decode(
        &canvas,
        &ctx,
        &bitmap,
        (bw * scale).floor().max(1.0),
        (bh * scale).floor().max(1.0),
    )
}

/// The text of a chosen file (at most `limit` bytes; a larger file is not read).
pub async fn read_text(file: &JsValue, limit: f64) -> Option<String> {
    if get(file, "size").as_f64()? > limit {
        return None;
    }
    call_await(file, "text", &[]).await?.as_string()
}

/// The first file chosen in an `<input type=file>`'s change event.
pub fn chosen_file(ev: &web_sys::Event) -> Option<JsValue> {
    let input: JsValue = ev.target()?.into();
    let file = call(&get(&input, "files"), "item", &[&num(0.0)]).filter(|f| !f.is_null());
    // The same file can be chosen again (another try).
    set(&input, "value", &JsValue::from_str(""));
    file
}

/// `n` random bytes from the browser's CSPRNG.
pub fn random(n: u32) -> Option<Vec<u8>> {
    let buf = js_sys::Uint8Array::new(&JsValue::from_f64(n as f64));
    call(&get(&global(), "crypto"), "getRandomValues", &[&buf])?;
    Some(buf.to_vec())
}

/// Offers a relay file: the share sheet where the browser can share files (Bluetooth, a
/// messaging app), else a download.
pub fn save_file(name: &str, text: &str) {
    if !share(name, text) {
        crate::browser::download_as(name, "text/plain", text);
    }
}

fn share(name: &str, text: &str) -> bool {
    let g = global();
    let Ok(file_ctor) = get(&g, "File").dyn_into::<Function>() else {
        return false;
    };
    let opts: JsValue = Object::new().into();
    set(&opts, "type", &JsValue::from_str("text/plain"));
    let args = Array::of3(
        &Array::of1(&JsValue::from_str(text)),
        &JsValue::from_str(name),
        &opts,
    );
    let Ok(file) = Reflect::construct(&file_ctor, &args) else {
        return false;
    };
    let data: JsValue = Object::new().into();
    set(&data, "files", &Array::of1(&file));
    let nav = get(&g, "navigator");
    if call(&nav, "canShare", &[&data]).and_then(|v| v.as_bool()) != Some(true) {
        return false;
    }
    call(&nav, "share", &[&data]).is_some()
}
