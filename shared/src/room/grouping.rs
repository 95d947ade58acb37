//! Splitting the people present into small groups (pairs, triads, foursomes)
//! so that, round after round and meetup after meetup, people meet people
//! they have not met yet. The breakouts of an agenda (issue 14) are built
//! on this; it is pure and deterministic: the server draws a seed, the
//! groups follow from the seed, who is present and who has met whom, and a
//! replay of the same inputs gives the same groups.
//!
//! People are numbered `0..n` in the order they joined (earliest first); a
//! caller maps those numbers to participants. Who has met whom comes in as
//! a function `met(a, b)`: how often `a` and `b` were in one group before,
//! in this meetup and in earlier meetups of the series ([`PairHistory`]
//! keeps that by display name, as the series keeps action items).
//!
//! # Sizes
//!
//! [`group_sizes`]: nobody is ever alone, no group is smaller than two or
//! larger than the chosen size plus one, and sizes differ by at most one.
//! Seven people in pairs are 3 + 2 + 2; seven in triads 4 + 3; five in
//! triads 3 + 2 (one group of five would be too big to talk in).
//!
//! # Choosing the groups ([`rotate`])
//!
//! 1. **Round robin.** Pairs with the same people as the previous pair round
//!    follow the circle schedule: the earliest joiner stays, everyone else
//!    moves one seat on each round, and the two halves of the circle face
//!    each other. With an even count everyone meets everyone exactly once in
//!    n − 1 rounds; with an odd count one seat is empty and whoever faces it
//!    joins the pair that has met them least, making a trio. A greedy
//!    round-by-round choice does not guarantee this: with six people, three
//!    greedy rounds can leave two triangles that cannot be paired without a
//!    repeat.
//! 2. **Exhaustive search.** Otherwise, when the ways to split the group
//!    number at most [`EXHAUSTIVE_LIMIT`] (everyone up to 12 people in pairs,
//!    any size up to 10 people), every split is scored and the cheapest kept:
//!    the cost of a split is the sum over the pairs it puts together of the
//!    square of how often they met (so one pair meeting a third time costs
//!    more than two pairs meeting a second time). People are shuffled with
//!    the seed first, so among equally cheap splits the seed chooses.
//!    Partial splits already as costly as the best found are not extended.
//! 3. **Local search.** Bigger groups start from a seeded shuffle and swap
//!    two people between groups while a swap lowers the cost.
//!
//! [`keep`] keeps an earlier round's groups (buddies, mentoring pairs),
//! [`merge_pairs`] turns pairs into foursomes (1-2-4-All), and [`place`]
//! finds the group for someone who arrives late or is left alone.

use crate::json::{FromJson, ToJson};
use crate::random::SplitMix64;
use crate::text::DisplayName;

/// Splits counted up to this many are all scored (see the module docs).
pub const EXHAUSTIVE_LIMIT: f64 = 50_000.0;
/// The most swaps the local search tries before it settles.
const LOCAL_SEARCH_PASSES: usize = 200;

/// How a grouping was chosen, for the facilitator to see (and to check for
/// favouritism: the seed and the rule explain every group).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Round `n` (from 0) of the circle schedule.
    RoundRobin(usize),
    /// The cheapest of every possible split.
    Exhaustive,
    /// Swaps from a seeded shuffle until no swap helps.
    LocalSearch,
    /// An earlier round's groups, with newcomers placed.
    Kept,
    /// Pairs merged into foursomes.
    Merged,
}

/// Groups of people (numbers `0..n`), each group in ascending order, with
/// the rule that chose them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grouping {
    /// The groups.
    pub groups: Vec<Vec<usize>>,
    /// How they were chosen.
    pub rule: Rule,
}

/// The sizes of the groups `present` people split into for groups of
/// `size` (largest first); empty for fewer than two people. Every size is
/// at least two and at most `size + 1`, and they differ by at most one.
pub fn group_sizes(present: usize, size: usize) -> Vec<usize> {
    let size = size.max(2);
    if present < 2 {
        return Vec::new();
    }
    let balanced = |groups: usize| -> Vec<usize> {
        let (base, extra) = (present / groups, present % groups);
        (0..groups)
            .map(|index| base + usize::from(index < extra))
            .collect()
    };
    let fewer = present / size;
    let more = present.div_ceil(size);
    [fewer, more]
        .into_iter()
        .filter(|groups| *groups >= 1)
        .map(balanced)
        .filter(|sizes| sizes.iter().all(|group| (2..=size + 1).contains(group)))
        // The sizes closest to the one asked for; the fewer groups on a tie.
        .min_by_key(|sizes| {
            sizes
                .iter()
                .map(|group| group.abs_diff(size))
                .sum::<usize>()
        })
        .unwrap_or_else(|| vec![present])
}

/// What putting `a` and `b` in one group costs: the square of how often
/// they met.
fn pair_cost(met: &dyn Fn(usize, usize) -> u32, a: usize, b: usize) -> u64 {
    let times = u64::from(met(a, b));
    times * times
}

/// What a whole grouping costs (see the module docs).
pub fn cost(groups: &[Vec<usize>], met: &dyn Fn(usize, usize) -> u32) -> u64 {
    groups
        .iter()
        .map(|group| {
            let mut total = 0;
            for (index, a) in group.iter().enumerate() {
                for b in &group[index + 1..] {
                    total += pair_cost(met, *a, *b);
                }
            }
            total
        })
        .sum()
}

/// Chooses groups of `size` for `present` people (see the module docs).
/// `round_robin` is the next round of the circle schedule when the last
/// pair round had exactly these people; it is used for pairs only.
pub fn rotate(
    present: usize,
    size: usize,
    met: &dyn Fn(usize, usize) -> u32,
    seed: u64,
    round_robin: Option<usize>,
) -> Grouping {
    let sizes = group_sizes(present, size);
    if sizes.is_empty() {
        return Grouping {
            groups: Vec::new(),
            rule: Rule::Exhaustive,
        };
    }
    if let (2, Some(round)) = (size, round_robin) {
        return Grouping {
            groups: circle_round(present, round, met),
            rule: Rule::RoundRobin(round % circle_rounds(present)),
        };
    }
    let mut people: Vec<usize> = (0..present).collect();
    let mut random = SplitMix64(seed);
    random.shuffle(&mut people);
    let (groups, rule) = if splits(&sizes) <= EXHAUSTIVE_LIMIT {
        (exhaustive(&people, &sizes, met), Rule::Exhaustive)
    } else {
        (local_search(&people, &sizes, met), Rule::LocalSearch)
    };
    Grouping {
        groups: tidy(groups),
        rule,
    }
}

/// Each group in ascending order, groups by their first member: the same
/// groups always read the same.
fn tidy(mut groups: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    groups.iter_mut().for_each(|group| group.sort_unstable());
    groups.retain(|group| !group.is_empty());
    groups.sort_unstable();
    groups
}

/// Rounds in one full circle schedule for `present` people.
pub fn circle_rounds(present: usize) -> usize {
    (present + present % 2).saturating_sub(1).max(1)
}

/// Seats for the circle schedule whose first round (round 0) is `pairs`:
/// the pairs of a first pair round chosen some other way (the fewest
/// repeats over the series), so the rounds after it follow the schedule
/// and repeat none of it. `pairs` are pairs of `0..present`, with one trio
/// when the count is odd; the answer lists who sits in each seat, and
/// seat numbers are what [`rotate`] takes with `round_robin`.
pub fn seats_for(pairs: &[Vec<usize>], present: usize) -> Vec<usize> {
    let seats = present + present % 2;
    let mut seated = vec![usize::MAX; seats];
    let mut slot = 0;
    // With an odd count the empty seat is the last one, facing seat 0:
    // the trio's third member sits there.
    if let Some(trio) = pairs.iter().find(|group| group.len() > 2) {
        seated[0] = trio[2];
        slot = 1;
    }
    for group in pairs {
        if let [a, b, ..] = group[..] {
            seated[slot] = a;
            seated[seats - 1 - slot] = b;
            slot += 1;
        }
    }
    seated.truncate(present);
    seated
}

/// Round `round` of the circle schedule (see the module docs).
fn circle_round(
    present: usize,
    round: usize,
    met: &dyn Fn(usize, usize) -> u32,
) -> Vec<Vec<usize>> {
    // An odd count gets an empty seat, numbered `present`.
    let seats = present + present % 2;
    let turning = seats - 1;
    let shift = round % turning;
    let order: Vec<usize> = std::iter::once(0)
        .chain((0..turning).map(|index| 1 + (index + shift) % turning))
        .collect();
    let mut pairs: Vec<Vec<usize>> = Vec::new();
    let mut alone = None;
    for index in 0..seats / 2 {
        let (a, b) = (order[index], order[seats - 1 - index]);
        if b == present || a == present {
            alone = Some(if a == present { b } else { a });
        } else {
            pairs.push(vec![a, b]);
        }
    }
    if let Some(person) = alone {
        let group = place(&pairs, person, met);
        pairs[group].push(person);
    }
    tidy(pairs)
}

/// How many ways there are to split people into groups of these sizes
/// (n! over each group's own orderings and over groups of equal size).
fn splits(sizes: &[usize]) -> f64 {
    let factorial = |n: usize| (1..=n).map(|k| k as f64).product::<f64>();
    let people: usize = sizes.iter().sum();
    let mut ways = factorial(people);
    for size in sizes {
        ways /= factorial(*size);
    }
    let mut distinct = sizes.to_vec();
    distinct.dedup();
    for size in distinct {
        ways /= factorial(sizes.iter().filter(|each| **each == size).count());
    }
    ways
}

/// The cheapest split of `people` into groups of `sizes`, the first found
/// among equals (in the order of `people`, which the seed shuffled).
fn exhaustive(
    people: &[usize],
    sizes: &[usize],
    met: &dyn Fn(usize, usize) -> u32,
) -> Vec<Vec<usize>> {
    /// The search's state: who is placed, the sizes still to form, the
    /// groups so far, and the best split found.
    struct Search<'a> {
        people: &'a [usize],
        met: &'a dyn Fn(usize, usize) -> u32,
        used: Vec<bool>,
        sizes: Vec<usize>,
        groups: Vec<Vec<usize>>,
        best: Option<(u64, Vec<Vec<usize>>)>,
    }
    impl Search<'_> {
        fn found_free_split(&self) -> bool {
            self.best.as_ref().is_some_and(|(best, _)| *best == 0)
        }

        /// Forms the next group from the people not placed yet, the groups
        /// so far having cost `spent`.
        fn extend(&mut self, spent: u64) {
            if self.best.as_ref().is_some_and(|(best, _)| spent >= *best) {
                return;
            }
            // The first person not placed starts the next group, so each
            // split is formed once.
            let Some(first) = self.used.iter().position(|taken| !taken) else {
                self.best = Some((spent, self.groups.clone()));
                return;
            };
            let mut tried = Vec::new();
            for slot in 0..self.sizes.len() {
                let size = self.sizes[slot];
                if tried.contains(&size) {
                    continue;
                }
                tried.push(size);
                self.sizes.swap_remove(slot);
                self.used[first] = true;
                self.groups.push(vec![self.people[first]]);
                self.fill(spent, first + 1, size - 1);
                self.groups.pop();
                self.used[first] = false;
                self.sizes.push(size);
                let last = self.sizes.len() - 1;
                self.sizes.swap(slot, last);
                if self.found_free_split() {
                    return;
                }
            }
        }

        /// Adds `missing` more people (from index `from` on) to the last group.
        fn fill(&mut self, spent: u64, from: usize, missing: usize) {
            if missing == 0 {
                self.extend(spent);
                return;
            }
            for index in from..self.people.len() {
                if self.used[index] {
                    continue;
                }
                let person = self.people[index];
                let group = self.groups.last().expect("a group is being filled");
                let added: u64 = group
                    .iter()
                    .map(|other| pair_cost(self.met, *other, person))
                    .sum();
                self.used[index] = true;
                self.groups
                    .last_mut()
                    .expect("a group is being filled")
                    .push(person);
                self.fill(spent + added, index + 1, missing - 1);
                self.groups
                    .last_mut()
                    .expect("a group is being filled")
                    .pop();
                self.used[index] = false;
                if self.found_free_split() {
                    return;
                }
            }
        }
    }
    let mut search = Search {
        people,
        met,
        used: vec![false; people.len()],
        sizes: sizes.to_vec(),
        groups: Vec::new(),
        best: None,
    };
    search.extend(0);
    search.best.map(|(_, groups)| groups).unwrap_or_default()
}

/// Groups of `sizes` from `people` in order, then the best swap between two
/// groups, again and again, while one lowers the cost.
fn local_search(
    people: &[usize],
    sizes: &[usize],
    met: &dyn Fn(usize, usize) -> u32,
) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut next = 0;
    for size in sizes {
        groups.push(people[next..next + size].to_vec());
        next += size;
    }
    // What `person` costs in `group`, not counting `without`.
    let cost_in = |group: &[usize], person: usize, without: usize| -> u64 {
        group
            .iter()
            .filter(|other| **other != person && **other != without)
            .map(|other| pair_cost(met, *other, person))
            .sum()
    };
    for _ in 0..LOCAL_SEARCH_PASSES {
        let mut best: Option<(u64, usize, usize, usize, usize)> = None;
        for g in 0..groups.len() {
            for h in g + 1..groups.len() {
                for (i, a) in groups[g].iter().enumerate() {
                    for (j, b) in groups[h].iter().enumerate() {
                        let now = cost_in(&groups[g], *a, *a) + cost_in(&groups[h], *b, *b);
                        let swapped = cost_in(&groups[g], *b, *a) + cost_in(&groups[h], *a, *b);
                        if swapped < now {
                            let gain = now - swapped;
                            if best.is_none_or(|(most, ..)| gain > most) {
                                best = Some((gain, g, i, h, j));
                            }
                        }
                    }
                }
            }
        }
        let Some((_, g, i, h, j)) = best else { break };
        let a = groups[g][i];
        groups[g][i] = groups[h][j];
        groups[h][j] = a;
    }
    groups
}

/// The group `person` joins: the smallest, and among those the one whose
/// members they met least (the first on a tie). `groups` is not empty.
pub fn place(groups: &[Vec<usize>], person: usize, met: &dyn Fn(usize, usize) -> u32) -> usize {
    (0..groups.len())
        .min_by_key(|index| {
            let group = &groups[*index];
            let times: u64 = group
                .iter()
                .map(|other| pair_cost(met, *other, person))
                .sum();
            (group.len(), times)
        })
        .expect("there is a group to join")
}

/// An earlier round's groups again (buddies, mentoring pairs): `previous`
/// holds the earlier groups of the people still present. Whoever is left
/// alone in one and whoever was in none is placed: among themselves in new
/// groups when there are at least `size` of them, otherwise one by one into
/// the smallest groups (see [`place`]).
pub fn keep(
    present: usize,
    size: usize,
    previous: &[Vec<usize>],
    met: &dyn Fn(usize, usize) -> u32,
    seed: u64,
) -> Grouping {
    let mut groups: Vec<Vec<usize>> = previous
        .iter()
        .map(|group| {
            group
                .iter()
                .copied()
                .filter(|person| *person < present)
                .collect::<Vec<_>>()
        })
        .filter(|group: &Vec<usize>| group.len() >= 2)
        .collect();
    let mut unplaced: Vec<usize> = (0..present)
        .filter(|person| !groups.iter().any(|group| group.contains(person)))
        .collect();
    if unplaced.len() >= size.max(2) || (groups.is_empty() && unplaced.len() >= 2) {
        let among = rotate(
            unplaced.len(),
            size,
            &|a, b| met(unplaced[a], unplaced[b]),
            seed,
            None,
        );
        groups.extend(
            among
                .groups
                .into_iter()
                .map(|group| group.into_iter().map(|index| unplaced[index]).collect()),
        );
        unplaced.clear();
    }
    for person in unplaced {
        if groups.is_empty() {
            break;
        }
        let group = place(&groups, person, met);
        groups[group].push(person);
    }
    Grouping {
        groups: tidy(groups),
        rule: Rule::Kept,
    }
}

/// Pairs merged into foursomes (1-2-4-All): the first two pairs, the next
/// two, and so on; the people of a pair left over join the smallest
/// foursomes one by one. With a single pair (or trio) there is nothing to
/// merge.
pub fn merge_pairs(pairs: &[Vec<usize>]) -> Grouping {
    let mut merged: Vec<Vec<usize>> = pairs.chunks(2).map(<[Vec<usize>]>::concat).collect();
    if merged.len() > 1 && pairs.len() % 2 == 1 {
        let leftover = merged.pop().expect("more than one group");
        for person in leftover {
            let smallest = (0..merged.len())
                .min_by_key(|index| merged[*index].len())
                .expect("a foursome is left");
            merged[smallest].push(person);
        }
    }
    Grouping {
        groups: tidy(merged),
        rule: Rule::Merged,
    }
}

/// Two people who were in a group together, and how often.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, FromJson, ToJson)]
pub struct MetPair {
    /// One of them.
    pub a: DisplayName,
    /// The other.
    pub b: DisplayName,
    /// How often they were in one group.
    pub times: u32,
}

impl MetPair {
    fn is(&self, a: &DisplayName, b: &DisplayName) -> bool {
        (self.a.same_as(a) && self.b.same_as(b)) || (self.a.same_as(b) && self.b.same_as(a))
    }
}

/// Who has met whom across a series, by display name (people have no
/// accounts; names that would be confused in a room count as one person).
#[derive(
    Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, FromJson, ToJson,
)]
#[serde(transparent)]
pub struct PairHistory {
    pairs: Vec<MetPair>,
}

impl PairHistory {
    /// Nobody has met anybody yet.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// How often `a` and `b` were in one group.
    pub fn met(&self, a: &DisplayName, b: &DisplayName) -> u32 {
        self.pairs
            .iter()
            .find(|pair| pair.is(a, b))
            .map_or(0, |pair| pair.times)
    }

    /// Counts one more meeting for every two people in each group; `names`
    /// gives the name of each person number.
    pub fn record(&mut self, groups: &[Vec<usize>], names: &[DisplayName]) {
        for group in groups {
            for (index, a) in group.iter().enumerate() {
                for b in &group[index + 1..] {
                    let (a, b) = (&names[*a], &names[*b]);
                    if a.same_as(b) {
                        continue;
                    }
                    match self.pairs.iter_mut().find(|pair| pair.is(a, b)) {
                        Some(pair) => pair.times += 1,
                        None => self.pairs.push(MetPair {
                            a: a.clone(),
                            b: b.clone(),
                            times: 1,
                        }),
                    }
                }
            }
        }
    }

    /// The pairs that met, with how often.
    pub fn pairs(&self) -> impl Iterator<Item = (&DisplayName, &DisplayName, u32)> {
        self.pairs.iter().map(|pair| (&pair.a, &pair.b, pair.times))
    }
}
