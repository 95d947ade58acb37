//! A poll's results: the votes counted at the reveal, and the one-line
//! reading of the counts that every screen and the minutes show.

use serde::{Deserialize, Serialize};

use super::{GRADIENT_VETO, GivenReason, Poll, PollKind, PollResults};

impl Poll {
    /// Counts per option from the ballots this copy can see (the server's
    /// copy sees every choice).
    pub(super) fn tally(&self) -> PollResults {
        let mut counts = vec![0u32; self.option_count()];
        let mut reasons = Vec::new();
        for ballot in &self.ballots {
            if let Some(choice) = ballot.choice
                && let Some(count) = counts.get_mut(usize::from(choice))
            {
                *count += 1;
                if let Some(reason) = &ballot.reason {
                    reasons.push(GivenReason {
                        choice,
                        reason: reason.clone(),
                    });
                }
            }
        }
        // Sorted so that their order says nothing about who voted when.
        reasons.sort_by(|a, b| (a.choice, a.reason.as_str()).cmp(&(b.choice, b.reason.as_str())));
        PollResults { counts, reasons }
    }
}

/// A one-line reading of a poll's counts, per kind. The browser words it;
/// the numbers are here so every screen reads the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reading", rename_all = "snake_case")]
pub enum Reading {
    /// Nobody voted.
    NoVotes,
    /// Roman vote or yes / no: more than half up (yes).
    Carried { count: u32, total: u32 },
    /// Roman vote or yes / no: more than half down (no).
    Defeated { count: u32, total: u32 },
    /// Roman vote or yes / no: no option has more than half.
    NoMajority { total: u32 },
    /// Fist of five: someone showed 2 or fewer; talk about concerns.
    Concerns { low: u32, total: u32 },
    /// Fist of five: everyone showed 3 or more.
    Supported { lowest: u8, total: u32 },
    /// Gradients: someone vetoed.
    Vetoed { count: u32 },
    /// Gradients: someone needs more discussion or disagrees seriously.
    MoreDiscussion { count: u32, total: u32 },
    /// Gradients: everyone can live with it; `support` chose one of the
    /// first three levels.
    Endorsed { support: u32, total: u32 },
    /// Consent: an objection was raised; not consented.
    Objected { count: u32 },
    /// Consent: consented, with this many concerns to record.
    Consented { concerns: u32, total: u32 },
    /// Proposal: someone blocked.
    Blocked { count: u32 },
    /// Proposal: no blocks and more agree than disagree.
    Agreed { agree: u32, total: u32 },
    /// Proposal: no blocks, but no more agree than disagree.
    NotAgreed {
        agree: u32,
        disagree: u32,
        total: u32,
    },
    /// Proposal: everyone who voted abstained.
    AllAbstained { total: u32 },
    /// Custom: one option has the most votes.
    Leading { choice: u8, count: u32, total: u32 },
    /// Custom: these options share the most votes.
    Tied { choices: Vec<u8>, count: u32 },
    /// Return on time invested: the mean score (1 to 5) in tenths, 38 for
    /// 3.8, rounded half up.
    Rated { mean_tenths: u16, total: u32 },
}

/// Reads counts of a poll of `kind` (missing options count as zero).
pub fn reading(kind: PollKind, counts: &[u32]) -> Reading {
    let at = |index: usize| counts.get(index).copied().unwrap_or(0);
    // Saturating: a browser reads the counts of whatever snapshot it got.
    let sum = |indexes: &[usize]| {
        indexes
            .iter()
            .fold(0u32, |sum, &index| sum.saturating_add(at(index)))
    };
    let total = counts
        .iter()
        .fold(0u32, |total, &count| total.saturating_add(count));
    if total == 0 {
        return Reading::NoVotes;
    }
    // "More than half" for the two-sided kinds; a tie is no majority.
    let majority = |yes: u32, no: u32| {
        if u64::from(yes) * 2 > u64::from(total) {
            Reading::Carried { count: yes, total }
        } else if u64::from(no) * 2 > u64::from(total) {
            Reading::Defeated { count: no, total }
        } else {
            Reading::NoMajority { total }
        }
    };
    match kind {
        PollKind::Roman => majority(at(0), at(2)),
        PollKind::YesNo => majority(at(0), at(1)),
        PollKind::FistOfFive => {
            let low = sum(&[0, 1, 2]);
            if low > 0 {
                Reading::Concerns { low, total }
            } else {
                let lowest = (3..=5u8).find(|&n| at(usize::from(n)) > 0).unwrap_or(5);
                Reading::Supported { lowest, total }
            }
        }
        PollKind::Gradients => {
            let veto = at(usize::from(GRADIENT_VETO));
            // Level 4 "more discussion needed" and 6 "serious disagreement".
            let discuss = sum(&[4, 6]);
            if veto > 0 {
                Reading::Vetoed { count: veto }
            } else if discuss > 0 {
                Reading::MoreDiscussion {
                    count: discuss,
                    total,
                }
            } else {
                Reading::Endorsed {
                    support: sum(&[0, 1, 2]),
                    total,
                }
            }
        }
        PollKind::Consent => {
            if at(2) > 0 {
                Reading::Objected { count: at(2) }
            } else {
                Reading::Consented {
                    concerns: at(1),
                    total,
                }
            }
        }
        PollKind::Proposal => {
            let (agree, abstain, disagree, block) = (at(0), at(1), at(2), at(3));
            if block > 0 {
                Reading::Blocked { count: block }
            } else if abstain == total {
                Reading::AllAbstained { total }
            } else if agree > disagree {
                Reading::Agreed { agree, total }
            } else {
                Reading::NotAgreed {
                    agree,
                    disagree,
                    total,
                }
            }
        }
        PollKind::Roti => Reading::Rated {
            mean_tenths: crate::room::roti::mean_tenths(counts).unwrap_or(0),
            total,
        },
        PollKind::Custom => {
            let best = counts.iter().copied().max().unwrap_or(0);
            let choices: Vec<u8> = counts
                .iter()
                .enumerate()
                .filter(|(_, count)| **count == best)
                .filter_map(|(index, _)| u8::try_from(index).ok())
                .collect();
            match choices.as_slice() {
                [choice] => Reading::Leading {
                    choice: *choice,
                    count: best,
                    total,
                },
                _ => Reading::Tied {
                    choices,
                    count: best,
                },
            }
        }
    }
}
