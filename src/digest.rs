//! Short content digests: enough to tell two texts apart in a ticket, short enough to read.

use sha2::{Digest, Sha256};

/// The first 12 hex digits of the SHA-256 of `data`.
pub fn short_sha256(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}
