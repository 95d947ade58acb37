//! The cap on open connections per client address. Every accepted TCP
//! connection holds a [`Permit`] for as long as it is open, through HTTP
//! keep-alive and, after an upgrade, for the whole life of the WebSocket, so
//! one device (or one misbehaving script) cannot take every file descriptor
//! the server has and lock newcomers out.

use std::io;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use dashmap::DashMap;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// An address over its cap is reported at most this often, so that a flood of
/// refused connections cannot become a flood of log lines.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// The address a cap counts against. IPv4 addresses count alone (a NAT'd
/// office shares one); IPv6 addresses count by their /64 network, because a
/// single host usually has a whole /64 to pick source addresses from.
pub fn address_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
    }
}

/// What one address holds right now.
struct Open {
    count: usize,
    /// Connections refused since the last warning.
    refused: u64,
    warned_at: Option<Instant>,
}

/// Counts open connections per client address and refuses those over the cap.
pub struct ConnectionLimit {
    per_address: usize,
    open: DashMap<IpAddr, Open>,
}

impl ConnectionLimit {
    /// At most `per_address` open connections per address; 0 means no cap.
    pub fn new(per_address: usize) -> Arc<ConnectionLimit> {
        Arc::new(ConnectionLimit {
            per_address,
            open: DashMap::new(),
        })
    }

    /// A permit for one more connection from `address`, or `None` when the
    /// address already holds its cap (logged at warn, once a minute per address).
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Permit> {
        let key = address_key(address);
        if self.per_address == 0 {
            return Some(Permit { limit: None, key });
        }
        let mut entry = self.open.entry(key).or_insert(Open {
            count: 0,
            refused: 0,
            warned_at: None,
        });
        if entry.count >= self.per_address {
            entry.refused += 1;
            let now = Instant::now();
            if entry
                .warned_at
                .is_none_or(|warned| now.duration_since(warned) >= WARN_EVERY)
            {
                tracing::warn!(
                    address = %key,
                    cap = self.per_address,
                    refused = entry.refused,
                    "an address holds as many connections as it may; refusing more from it"
                );
                entry.warned_at = Some(now);
                entry.refused = 0;
            }
            return None;
        }
        entry.count += 1;
        Some(Permit {
            limit: Some(Arc::clone(self)),
            key,
        })
    }

    /// How many connections `address` holds now.
    pub fn open_from(&self, address: IpAddr) -> usize {
        self.open
            .get(&address_key(address))
            .map_or(0, |entry| entry.count)
    }

    fn release(&self, key: IpAddr) {
        // Entries go when their last connection does, so the map only ever
        // holds addresses with something open.
        self.open.remove_if_mut(&key, |_, open| {
            open.count = open.count.saturating_sub(1);
            open.count == 0
        });
    }
}

/// One admitted connection; dropping it gives the slot back.
pub struct Permit {
    limit: Option<Arc<ConnectionLimit>>,
    key: IpAddr,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(limit) = &self.limit {
            limit.release(self.key);
        }
    }
}

/// A TCP stream that holds its [`Permit`]. hyper hands the stream itself to
/// the WebSocket on upgrade, so the permit lives exactly as long as the socket.
pub struct CountedStream {
    stream: TcpStream,
    _permit: Permit,
}

impl CountedStream {
    /// `stream`, counted against `permit`'s address until it is dropped.
    pub fn new(stream: TcpStream, permit: Permit) -> CountedStream {
        CountedStream {
            stream,
            _permit: permit,
        }
    }
}

impl AsyncRead for CountedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for CountedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_cap_and_slots_come_back() {
        let limit = ConnectionLimit::new(2);
        let address: IpAddr = [192, 0, 2, 7].into();
        let first = limit.admit(address).expect("under the cap");
        let _second = limit.admit(address).expect("at the cap");
        assert!(limit.admit(address).is_none());
        assert!(limit.admit([192, 0, 2, 8].into()).is_some());
        drop(first);
        assert_eq!(limit.open_from(address), 1);
        assert!(limit.admit(address).is_some());
    }

    #[test]
    fn no_cap_admits_everyone() {
        let limit = ConnectionLimit::new(0);
        let address: IpAddr = [192, 0, 2, 7].into();
        let permits: Vec<_> = (0..1000).filter_map(|_| limit.admit(address)).collect();
        assert_eq!(permits.len(), 1000);
    }

    #[test]
    fn ipv6_counts_by_network_and_mapped_ipv4_as_ipv4() {
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(address_key(one), address_key(other));
        assert_ne!(
            address_key(one),
            address_key("2001:db8:1:3::1".parse().unwrap())
        );
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), IpAddr::from([192, 0, 2, 7]));
    }
}
