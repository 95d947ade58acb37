//! What the groups of a breakout do: rounds of timed steps, and the roles
//! inside a group. Scripts hold no text: each screen names the steps and
//! roles in its reader's language from the script and the step's number.
//!
//! The phase's planned length is shared out over every step of every round
//! in proportion to the format's timings, so a troika phase of 30 minutes
//! gives the published 2 / 2 / 5 / 1 minutes per round, and a facilitator
//! who shortens the phase to 24 minutes shortens each step alike.

use serde::{Deserialize, Serialize};

use crate::json::{FromJson, ToJson, Variants};

/// The script a breakout's groups follow.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    FromJson,
    ToJson,
    Variants,
)]
#[serde(rename_all = "snake_case")]
pub enum BreakoutScript {
    /// One step: the phase's prompt, for its whole length.
    #[default]
    Open,
    /// Troika consulting (Liberating Structures): three rounds of four
    /// steps (the client shares 2 min, clarifying questions 2 min, the
    /// client turns away while the consultants advise 5 min, the client
    /// says what was valuable 1 min); the client changes each round.
    Troika,
    /// Work buddies: goals revisited 8 min, challenges and help 12 min,
    /// feedback both ways 5 min, next steps 5 min.
    BuddyTime,
    /// A mentoring session: the first of each group mentors.
    Mentoring,
    /// The same pairs the other way round: the first of each group is
    /// mentored.
    MentoringSwap,
}

/// A role inside a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson)]
#[serde(rename_all = "snake_case")]
pub enum GroupRole {
    /// Troika: brings the challenge; turns away and listens while advised.
    Client,
    /// Troika: asks, then advises.
    Consultant,
    /// Mentoring: shows their world.
    Mentor,
    /// Mentoring: listens and asks.
    Mentee,
}

/// Troika's steps, in minutes.
const TROIKA: [u32; 4] = [2, 2, 5, 1];
/// Buddy time's steps, in minutes.
const BUDDY_TIME: [u32; 4] = [8, 12, 5, 5];
/// One step that is the whole phase.
const ONE_STEP: [u32; 1] = [1];

/// Troika's step in which the client turns away and only listens.
pub const TROIKA_ADVICE_STEP: u8 = 2;

impl BreakoutScript {
    /// Rounds of the script.
    pub const fn rounds(self) -> u8 {
        match self {
            BreakoutScript::Troika => 3,
            _ => 1,
        }
    }

    /// The steps of one round, each with its weight (its published minutes).
    const fn weights(self) -> &'static [u32] {
        match self {
            BreakoutScript::Troika => &TROIKA,
            BreakoutScript::BuddyTime => &BUDDY_TIME,
            BreakoutScript::Open | BreakoutScript::Mentoring | BreakoutScript::MentoringSwap => {
                &ONE_STEP
            }
        }
    }

    /// Steps in each round.
    pub const fn steps(self) -> u8 {
        self.weights().len() as u8
    }

    /// The step after `(round, step)`, if there is one.
    pub fn next(self, round: u8, step: u8) -> Option<(u8, u8)> {
        if step + 1 < self.steps() {
            Some((round, step + 1))
        } else if round + 1 < self.rounds() {
            Some((round + 1, 0))
        } else {
            None
        }
    }

    /// The length of `(round, step)` when the whole script takes
    /// `planned_secs`; `None` when untimed. The steps add up to the whole
    /// exactly (each ends at its share of the whole, rounded down).
    pub fn step_secs(self, planned_secs: u32, round: u8, step: u8) -> Option<u32> {
        if planned_secs == 0 {
            return None;
        }
        let weights = self.weights();
        let per_round: u32 = weights.iter().sum();
        let total = u64::from(per_round) * u64::from(self.rounds());
        let before = |index: u8| -> u64 {
            u64::from(round) * u64::from(per_round)
                + weights[..usize::from(index)]
                    .iter()
                    .map(|w| u64::from(*w))
                    .sum::<u64>()
        };
        let end_of = |weight_before: u64| u64::from(planned_secs) * weight_before / total;
        let start = end_of(before(step));
        let end = end_of(before(step) + u64::from(*weights.get(usize::from(step))?));
        u32::try_from(end - start).ok()
    }

    /// The role of the member at `position` (from 0) of a group of `len`
    /// in `round`. Troika: the client of round r is the group's r-th member,
    /// so the client changes each round; in a group of four the fourth
    /// advises throughout, and in a pair the third round has no client.
    pub fn role(self, round: u8, position: usize, len: usize) -> Option<GroupRole> {
        match self {
            BreakoutScript::Troika => Some(if position == usize::from(round) {
                GroupRole::Client
            } else {
                GroupRole::Consultant
            }),
            BreakoutScript::Mentoring => Some(if position == 0 {
                GroupRole::Mentor
            } else {
                GroupRole::Mentee
            }),
            BreakoutScript::MentoringSwap => Some(if position + 1 == len {
                GroupRole::Mentor
            } else {
                GroupRole::Mentee
            }),
            BreakoutScript::Open | BreakoutScript::BuddyTime => None,
        }
    }

    /// Whether someone of `role` only listens during `step`: troika's
    /// client while the consultants advise.
    pub fn listens(self, step: u8, role: Option<GroupRole>) -> bool {
        self == BreakoutScript::Troika
            && step == TROIKA_ADVICE_STEP
            && role == Some(GroupRole::Client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn troika_shares_thirty_minutes_as_published() {
        let script = BreakoutScript::Troika;
        let minutes: Vec<u32> = (0..3)
            .flat_map(|round| (0..4).map(move |step| (round, step)))
            .map(|(round, step)| script.step_secs(30 * 60, round, step).unwrap() / 60)
            .collect();
        assert_eq!(minutes, [2, 2, 5, 1, 2, 2, 5, 1, 2, 2, 5, 1]);
    }

    #[test]
    fn steps_add_up_to_the_phase_whatever_its_length() {
        for script in [
            BreakoutScript::Troika,
            BreakoutScript::BuddyTime,
            BreakoutScript::Open,
        ] {
            for planned in [10, 61, 999, 30 * 60, 4 * 3600] {
                let mut total = 0;
                let mut at = Some((0, 0));
                while let Some((round, step)) = at {
                    total += script.step_secs(planned, round, step).unwrap();
                    at = script.next(round, step);
                }
                assert_eq!(total, planned, "{script:?} {planned}");
            }
            assert_eq!(script.step_secs(0, 0, 0), None);
        }
    }

    #[test]
    fn the_troika_client_rotates_and_listens_while_advised() {
        let script = BreakoutScript::Troika;
        let clients: Vec<Option<usize>> = (0..3)
            .map(|round| (0..3).position(|at| script.role(round, at, 3) == Some(GroupRole::Client)))
            .collect();
        assert_eq!(clients, [Some(0), Some(1), Some(2)]);
        assert_eq!(script.role(0, 3, 4), Some(GroupRole::Consultant));
        assert!(script.listens(TROIKA_ADVICE_STEP, Some(GroupRole::Client)));
        assert!(!script.listens(0, Some(GroupRole::Client)));
        assert!(!script.listens(TROIKA_ADVICE_STEP, Some(GroupRole::Consultant)));
    }
}
