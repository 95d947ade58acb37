//! The cue a person must notice without looking (their turn, the timer
//! running out): a vibration where the browser has one, and a short beep.

use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};

/// Calls `object[name](...args)` if it exists; errors are the browser's
/// business (no vibration motor, audio blocked) and are ignored.
fn call(object: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let function: js_sys::Function = js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    let args: js_sys::Array = args.iter().collect();
    function.apply(object, &args).ok()
}

fn set(object: &JsValue, name: &str, value: f64) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(name), &JsValue::from_f64(value));
}

/// A cue a person must notice without looking: a vibration where the
/// browser has one, and a short beep. Both are best effort; the
/// announcement that goes with them is what screen readers get. The timer
/// cues with it too.
pub fn cue() {
    let window: JsValue = window().into();
    if let Ok(navigator) = js_sys::Reflect::get(&window, &JsValue::from_str("navigator")) {
        call(&navigator, "vibrate", &[JsValue::from_f64(200.0)]);
    }
    let Some(context) = js_sys::Reflect::get(&window, &JsValue::from_str("AudioContext"))
        .ok()
        .and_then(|class| class.dyn_into::<js_sys::Function>().ok())
        .and_then(|class| js_sys::Reflect::construct(&class, &js_sys::Array::new()).ok())
    else {
        return;
    };
    let (Some(oscillator), Some(gain)) = (
        call(&context, "createOscillator", &[]),
        call(&context, "createGain", &[]),
    ) else {
        return;
    };
    if let Ok(frequency) = js_sys::Reflect::get(&oscillator, &JsValue::from_str("frequency")) {
        set(&frequency, "value", 880.0);
    }
    if let Ok(volume) = js_sys::Reflect::get(&gain, &JsValue::from_str("gain")) {
        set(&volume, "value", 0.08);
    }
    let destination = js_sys::Reflect::get(&context, &JsValue::from_str("destination"))
        .unwrap_or(JsValue::UNDEFINED);
    call(&oscillator, "connect", std::slice::from_ref(&gain));
    call(&gain, "connect", &[destination]);
    let started = js_sys::Reflect::get(&context, &JsValue::from_str("currentTime"))
        .ok()
        .and_then(|time| time.as_f64())
        .unwrap_or(0.0);
    call(&oscillator, "start", &[]);
    call(&oscillator, "stop", &[JsValue::from_f64(started + 0.15)]);
}
