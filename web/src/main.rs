// talc in place of the standard library's dlmalloc: it is written for
// single-threaded wasm and leaves a few kilobytes less for a phone to
// download.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    // A panic aborts the app; say why in the console rather than only
    // "unreachable executed". (`console_error_panic_hook` adds a stack trace
    // but weighs a kilobyte more of download.)
    std::panic::set_hook(Box::new(|panic| {
        leptos::logging::error!("{panic}");
    }));
    // Instantiating the wasm and building the page are two tasks, each short
    // enough on a phone that a tap in between is answered.
    leptos::prelude::set_timeout(
        || leptos::mount::mount_to_body(moot_web::App),
        std::time::Duration::ZERO,
    );
}
