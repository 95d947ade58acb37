//! Randomness and digests. The room reducer has none of either; everything
//! random is drawn here and passed in.

use moot_shared::room::{CredentialDigest, ScreenKey};
use moot_shared::{Command, Credential, JoinCode, ParticipantId};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Random bytes from the operating system. The OS generator failing is not
/// something a server can recover from meaningfully, so this is one of the few
/// places that may panic.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random generator is available");
    bytes
}

/// A fresh join code: 40 random bits.
pub fn new_join_code() -> JoinCode {
    let [a, b, c, d, e] = random_bytes::<5>();
    JoinCode::from_random_bits(u64::from_be_bytes([0, 0, 0, a, b, c, d, e]))
}

/// A fresh participant and their credential (a 128-bit secret).
pub fn new_credential() -> Credential {
    Credential::new(ParticipantId(Uuid::new_v4()), random_bytes::<16>())
}

/// A fresh key for the shared screen's link (128 random bits).
pub fn new_screen_key() -> ScreenKey {
    ScreenKey::new(random_bytes::<16>())
}

/// What the room stores instead of the secret.
pub fn digest(credential: &Credential) -> CredentialDigest {
    let hash = Sha256::digest(credential.secret().as_bytes());
    CredentialDigest(hash.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Fills in what the server draws for a command that needs chance: the
/// seed of a round's order (also of a phase that starts one), the key of
/// a new screen link. Other commands
/// pass through unchanged. Clients cannot choose these: the wire form of
/// such a command has none.
pub fn with_seed(mut command: Command) -> Command {
    match &mut command {
        Command::StartRound { seed, .. }
        | Command::NextPhase { seed, .. }
        | Command::GoToPhase { seed, .. }
        | Command::StartBreakout { seed, .. } => *seed = u64::from_be_bytes(random_bytes::<8>()),
        Command::NewScreenLink { key } => *key = Some(new_screen_key()),
        _ => {}
    }
    command
}
