//! Closing feedback: "return on time invested" (ROTI), and its trend over a
//! series.
//!
//! A ROTI is a poll of kind [`PollKind::Roti`]: everyone rates the meetup
//! from 1 ("lost my time") to 5 ("far more than I put in"), anonymously, and
//! may add what the group should change (a reason, which for this kind is a
//! suggestion). It is opened from the facilitator's polls or by a `roti`
//! phase, which ends the built-in formats.
//!
//! What a series remembers is [`RotiTrend`]: per earlier meetup its mean in
//! integer tenths and how many rated it, and the suggestions of the most
//! recent one, text only. It holds nothing that could say who rated what:
//! the counts behind a mean are already public at the reveal, and a
//! suggestion travels without its score or its writer. The trend is carried
//! to the next meetup of the series ([`super::lifecycle::carry_over`]) and
//! bounded to the last [`MAX_ROTI_HISTORY`] meetups.
//!
//! Means are integer tenths, not floats: every screen and the minutes show
//! the same digits, and the browser needs no float formatting (page weight).

use serde::{Deserialize, Serialize};

use super::Room;
use super::poll::{Poll, PollKind};
use crate::json::{FromJson, ToJson};
use crate::limits::MAX_ROTI_HISTORY;
use crate::text::{MeetupTitle, PollReason};

/// How many scores a ROTI has: 1 to 5, as choices 0 to 4.
pub const ROTI_SCORES: usize = 5;

/// Below this many voters the phone warns that anonymity cannot hold: with
/// two, each can work out the other's score from the counts.
pub const ROTI_ANONYMOUS_FROM: usize = 3;

/// One meetup's ROTI as its series keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct RotiPoint {
    /// The meetup's title.
    pub title: MeetupTitle,
    /// How many rated it.
    pub voters: u32,
    /// The mean score in tenths (38 for 3.8), rounded half up.
    pub mean_tenths: u16,
}

/// The ROTI of the meetups before this one (and, once revealed, of this
/// one), oldest first, with the latest suggestions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJson, ToJson)]
pub struct RotiTrend {
    /// One point per meetup that had a ROTI with at least one vote, oldest
    /// first, at most [`MAX_ROTI_HISTORY`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<RotiPoint>,
    /// What the latest of them said to change, sorted by text, without
    /// scores or names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<PollReason>,
}

impl RotiTrend {
    /// No meetup was rated (left out of snapshots and carried meetups).
    /// Exactly the default, which a reader fills in for the missing field.
    pub fn is_empty(&self) -> bool {
        *self == RotiTrend::default()
    }

    /// The trend kept within its bounds: the last [`MAX_ROTI_HISTORY`]
    /// points. Applied to what a meetup receives too, whatever sent it.
    pub fn bounded(mut self) -> RotiTrend {
        let excess = self.points.len().saturating_sub(MAX_ROTI_HISTORY);
        self.points.drain(..excess);
        self
    }
}

/// The mean score of ROTI counts (votes per choice, choice `n` scoring
/// `n + 1`) in tenths, rounded half up; `None` without votes.
pub fn mean_tenths(counts: &[u32]) -> Option<u16> {
    let (mut voters, mut score) = (0u64, 0u64);
    for (choice, &count) in (1u64..).zip(counts.iter().take(ROTI_SCORES)) {
        voters += u64::from(count);
        score += choice * u64::from(count);
    }
    // Half up: (10 × score / voters) + ½, in integers.
    (voters > 0).then(|| u16::try_from((score * 20 + voters) / (voters * 2)).unwrap_or(u16::MAX))
}

/// A mean in tenths as people read it: "3.8".
pub fn tenths_text(tenths: u16) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// This meetup's ROTI: the last one revealed with at least one vote (a
/// reopened ROTI replaces the earlier round).
pub fn latest(room: &Room) -> Option<&Poll> {
    room.polls.history.iter().rev().find(|poll| {
        poll.setup.kind == PollKind::Roti
            && poll
                .results
                .as_ref()
                .is_some_and(|results| results.total() > 0)
    })
}

/// The series' trend with this meetup's ROTI added once it is revealed:
/// what the screens show, and what the next meetup receives.
pub fn trend(room: &Room) -> RotiTrend {
    let mut trend = room.series.roti.clone();
    if let Some(poll) = latest(room)
        && let Some(results) = &poll.results
    {
        trend.points.push(RotiPoint {
            title: room.title.clone(),
            voters: results.total(),
            mean_tenths: mean_tenths(&results.counts).unwrap_or(0),
        });
        let mut suggestions: Vec<PollReason> = results
            .reasons
            .iter()
            .map(|given| given.reason.clone())
            .collect();
        suggestions.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        trend.suggestions = suggestions;
    }
    trend.bounded()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_are_tenths_rounded_half_up() {
        assert_eq!(mean_tenths(&[0, 0, 0, 0, 0]), None);
        assert_eq!(mean_tenths(&[]), None);
        // 3 + 4 × 3 + 5 × 2 = 25 over 6: 4.1666… → 4.2.
        assert_eq!(mean_tenths(&[0, 0, 1, 3, 2]), Some(42));
        // 1 and 2: 1.5 exactly.
        assert_eq!(mean_tenths(&[1, 1, 0, 0, 0]), Some(15));
        // 1, 1, 2 over 3 = 1.333… → 1.3; 1, 2, 2 = 1.666… → 1.7.
        assert_eq!(mean_tenths(&[2, 1, 0, 0, 0]), Some(13));
        assert_eq!(mean_tenths(&[1, 2, 0, 0, 0]), Some(17));
        // 1.25 → 1.3 (half up), from 1, 1, 1, 2 … 3 × 1 + 2 = 5 / 4.
        assert_eq!(mean_tenths(&[3, 1, 0, 0, 0]), Some(13));
        assert_eq!(mean_tenths(&[0, 0, 0, 0, 7]), Some(50));
        assert_eq!(tenths_text(42), "4.2");
        assert_eq!(tenths_text(50), "5.0");
    }

    #[test]
    fn a_trend_keeps_the_last_twelve() {
        let point = |n: u32| RotiPoint {
            title: MeetupTitle::parse(&format!("Meetup {n}")).expect("a title"),
            voters: n,
            mean_tenths: 30,
        };
        let trend = RotiTrend {
            points: (1..=15).map(point).collect(),
            suggestions: Vec::new(),
        }
        .bounded();
        assert_eq!(trend.points.len(), MAX_ROTI_HISTORY);
        assert_eq!(trend.points[0].voters, 4);
    }
}
