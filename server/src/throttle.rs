//! Rate limits: a token bucket per connection for commands, and a counter per
//! client address for things a guesser repeats (failed joins, new meetups).

use std::net::IpAddr;
use std::time::Duration;

use dashmap::DashMap;
use tokio::time::Instant;

use crate::connections::address_key;

/// How long an address's count lasts.
const WINDOW: Duration = Duration::from_secs(60);

/// While an address is throttled, each of its failed attempts is answered
/// this long after it began, whatever failed. Looking a join code up takes a
/// round trip to the room's task and an unknown code does not, so without
/// this a throttled guesser could still tell real codes from the timing.
pub const THROTTLED_ANSWER_DELAY: Duration = Duration::from_secs(1);

/// Waits until [`THROTTLED_ANSWER_DELAY`] after `started`.
pub async fn refuse_throttled_after(started: Instant) {
    tokio::time::sleep_until(started + THROTTLED_ANSWER_DELAY).await;
}

/// Above this many tracked addresses, expired entries are swept on insert,
/// so a flood of addresses cannot grow the map without bound.
const SWEEP_ABOVE: usize = 4096;

/// Counts events per client address in one-minute windows. IPv6 addresses
/// count by their /64 network (see [`address_key`]): one host usually has a
/// whole /64 and could otherwise start afresh from each of its addresses.
pub struct AddressThrottle {
    per_window: u32,
    windows: DashMap<IpAddr, (Instant, u32)>,
}

impl AddressThrottle {
    /// Allows `per_window` events per address per minute.
    pub fn new(per_window: u32) -> AddressThrottle {
        AddressThrottle {
            per_window,
            windows: DashMap::new(),
        }
    }

    /// `Err(retry_after)` when `address` has used up its window.
    pub fn check(&self, address: IpAddr) -> Result<(), Duration> {
        let address = address_key(address);
        let now = Instant::now();
        match self.windows.get(&address) {
            Some(entry) => {
                let (started, count) = *entry;
                let elapsed = now.duration_since(started);
                if elapsed < WINDOW && count >= self.per_window {
                    Err(WINDOW - elapsed)
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }

    /// Counts one event for `address`.
    pub fn record(&self, address: IpAddr) {
        let address = address_key(address);
        let now = Instant::now();
        if self.windows.len() > SWEEP_ABOVE {
            self.windows
                .retain(|_, (started, _)| now.duration_since(*started) < WINDOW);
        }
        let mut entry = self.windows.entry(address).or_insert((now, 0));
        let (started, count) = &mut *entry;
        if now.duration_since(*started) >= WINDOW {
            *started = now;
            *count = 0;
        }
        *count += 1;
    }
}

/// A token bucket: `rate` tokens per second, holding at most `burst`.
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    refilled_at: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate: u32, burst: u32) -> TokenBucket {
        TokenBucket {
            rate: f64::from(rate),
            burst: f64::from(burst),
            tokens: f64::from(burst),
            refilled_at: Instant::now(),
        }
    }

    /// Takes a token, or says how long until one is available.
    pub fn take(&mut self) -> Result<(), Duration> {
        let now = Instant::now();
        let elapsed = now.duration_since(self.refilled_at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.refilled_at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn bucket_allows_a_burst_then_the_rate() {
        let mut bucket = TokenBucket::new(10, 3);
        for _ in 0..3 {
            assert!(bucket.take().is_ok());
        }
        assert!(bucket.take().is_err());
        tokio::time::advance(Duration::from_millis(100)).await;
        assert!(bucket.take().is_ok());
        assert!(bucket.take().is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn address_window_blocks_then_expires() {
        let throttle = AddressThrottle::new(2);
        let address: IpAddr = [127, 0, 0, 1].into();
        throttle.record(address);
        assert!(throttle.check(address).is_ok());
        throttle.record(address);
        assert!(throttle.check(address).is_err());
        assert!(throttle.check([127, 0, 0, 2].into()).is_ok());
        tokio::time::advance(WINDOW).await;
        assert!(throttle.check(address).is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn an_ipv6_network_counts_as_one_address() {
        let throttle = AddressThrottle::new(2);
        throttle.record("2001:db8:1:2::1".parse().unwrap());
        throttle.record("2001:db8:1:2::2".parse().unwrap());
        assert!(throttle.check("2001:db8:1:2::3".parse().unwrap()).is_err());
        assert!(throttle.check("2001:db8:1:3::1".parse().unwrap()).is_ok());
    }
}
