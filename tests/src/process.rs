//! Processes that tests start (moot binaries, HAProxy): killed when the
//! test lets go of them, and the free local port to start them on.

use std::process::Child;

/// A child process, killed (and reaped) on drop, so a failing test leaves
/// nothing running.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A local TCP port nothing listens on right now.
///
/// # Panics
///
/// When the system has no ephemeral port left.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("an ephemeral port is free")
        .port()
}
