//! The closing feedback's trend, mirroring `moot_shared::room::roti`: a
//! small bar chart of the mean ROTI per meetup of the series and the latest
//! suggestions, for the shared screen and whoever runs the meetup. Phones
//! vote in [`crate::poll`]; this part is not in their bundle.

use leptos::prelude::*;
use moot_shared::room::Room;
use moot_shared::room::poll::PollKind;
use moot_shared::room::roti::{self, RotiTrend, tenths_text};

use crate::agenda::escaped;
use crate::connection::Connection;
use crate::i18n::facilitation_texts;

/// Height of the bars' area for a score of 5, in the chart's units.
const BAR_SPAN: u32 = 145;
/// Where the bars stand, from the top.
const BASE: u32 = 195;
/// Each meetup's column.
const SLOT: u32 = 150;

/// Short labels for the meetups: a series' titles tend to share their
/// start ("Guild, January", "Guild, February"), which says nothing under a
/// bar, so the words they all share are left out, and what remains is cut
/// to fit its column.
fn labels(titles: &[&str]) -> Vec<String> {
    let first = titles.first().copied().unwrap_or_default();
    let mut shared = first.len();
    for title in titles.iter().skip(1) {
        shared = first
            .char_indices()
            .zip(title.chars())
            .find(|((_, a), b)| a != b)
            .map_or(shared.min(title.len()).min(first.len()), |((at, _), _)| at)
            .min(shared);
    }
    // Only whole words go: back to just after the last space shared.
    let cut = if titles.len() > 1 {
        first[..shared].rfind(' ').map_or(0, |space| space + 1)
    } else {
        0
    };
    titles
        .iter()
        .map(|title| {
            let rest = title
                .get(cut..)
                .filter(|rest| !rest.is_empty())
                .unwrap_or(title);
            if rest.chars().count() > 11 {
                rest.chars().take(10).chain(['…']).collect()
            } else {
                rest.to_owned()
            }
        })
        .collect()
}

/// The trend as an inline SVG bar chart, one bar a meetup, oldest first:
/// the mean large above its bar, the meetup and its votes below, and a
/// dashed line at 3 ("worth the time"). Written as markup in one go: a
/// chart nobody taps needs no reactive pieces.
pub fn chart_svg(trend: &RotiTrend) -> String {
    let texts = facilitation_texts();
    let width = SLOT * u32::try_from(trend.points.len().max(3)).unwrap_or(12);
    let titles: Vec<&str> = trend
        .points
        .iter()
        .map(|point| point.title.as_str())
        .collect();
    let short_titles = labels(&titles);
    let level = |tenths: u32| BASE - tenths.min(50) * BAR_SPAN / 50;
    let mut svg = format!(
        "<svg class=\"roti-chart\" viewBox=\"0 0 {width} 262\" role=\"img\" \
         aria-labelledby=\"roti-chart-title\" data-testid=\"roti-chart\">\
         <title id=\"roti-chart-title\">{}</title>\
         <line class=\"roti-par\" x1=\"0\" x2=\"{width}\" y1=\"{par}\" y2=\"{par}\" />\
         <line class=\"roti-axis\" x1=\"0\" x2=\"{width}\" y1=\"{BASE}\" y2=\"{BASE}\" />",
        escaped(texts.roti_chart_label),
        par = level(30),
    );
    for ((index, point), short) in (0u32..).zip(&trend.points).zip(&short_titles) {
        let x = index * SLOT + SLOT / 2;
        let top = level(u32::from(point.mean_tenths));
        let mean = tenths_text(point.mean_tenths);
        // The full title is the bar's tooltip and its accessible name.
        let title = point.title.as_str();
        svg.push_str(&format!(
            "<g data-testid=\"roti-point\" data-mean=\"{tenths}\" data-voters=\"{voters}\">\
             <title>{full}: {mean} ({votes})</title>\
             <rect class=\"roti-bar\" x=\"{bar_x}\" y=\"{top}\" width=\"84\" height=\"{height}\" rx=\"4\" />\
             <text class=\"roti-mean\" x=\"{x}\" y=\"{label_y}\" text-anchor=\"middle\">{mean}</text>\
             <text class=\"roti-name\" x=\"{x}\" y=\"226\" text-anchor=\"middle\">{short}</text>\
             <text class=\"roti-votes\" x=\"{x}\" y=\"254\" text-anchor=\"middle\">{votes}</text></g>",
            tenths = point.mean_tenths,
            voters = point.voters,
            full = escaped(title),
            votes = escaped(&(texts.roti_votes)(point.voters)),
            bar_x = x - 42,
            height = BASE - top,
            label_y = top.saturating_sub(10).max(36),
            short = escaped(short),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Where the trend shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// On the page of whoever runs the meetup: always.
    Facilitator,
    /// On the shared screen beside the join code, in the lobby: no phase
    /// running, no poll on stage.
    ScreenLobby,
    /// On the shared screen beside the results, once this meetup's ROTI
    /// is revealed.
    ScreenReveal,
}

impl Place {
    /// Whether the trend shows here now.
    pub fn shows(self, room: &Room) -> bool {
        let current = room.polls.current();
        match self {
            Place::Facilitator => true,
            Place::ScreenLobby => current.is_none() && room.agenda.current().is_none(),
            Place::ScreenReveal => {
                current.is_some_and(|poll| poll.setup.kind == PollKind::Roti && !poll.is_open())
            }
        }
    }
}

/// The trend card: the chart and the latest suggestions, where `place`
/// [shows](Place::shows) it.
#[component]
pub fn RotiTrendCard(connection: Connection, place: Place) -> impl IntoView {
    let texts = facilitation_texts();
    let screen = place != Place::Facilitator;
    let trend = Memo::new(move |_| {
        connection.room.with(|room| {
            room.as_ref()
                .filter(|room| place.shows(room))
                .map(roti::trend)
                .filter(|trend| !trend.points.is_empty())
        })
    });
    move || {
        let trend = trend.get()?;
        let suggestions = trend
            .suggestions
            .iter()
            .map(|text| view! { <li data-testid="roti-suggestion">{text.to_string()}</li> })
            .collect_view();
        let has_suggestions = !trend.suggestions.is_empty();
        Some(view! {
            <section class=if screen { "screen-roti" } else { "card roti" }
                aria-labelledby="roti-heading" data-testid="roti-trend">
                <h2 id="roti-heading">{texts.roti_trend_heading}</h2>
                <div inner_html=chart_svg(&trend)></div>
                <Show when=move || has_suggestions>
                    <h3>{texts.roti_suggestions_heading}</h3>
                </Show>
                <ul class="roti-suggestions">{suggestions}</ul>
            </section>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::labels;

    #[test]
    fn labels_leave_out_the_words_a_series_shares() {
        assert_eq!(
            labels(&["Guild, January", "Guild, February", "Guild, March"]),
            ["January", "February", "March"]
        );
        assert_eq!(labels(&["Guild, March"]), ["Guild, Mar…"]);
        assert_eq!(labels(&["Retro", "Retro"]), ["Retro", "Retro"]);
        assert_eq!(labels(&["Team sync 1", "Team sync 2"]), ["1", "2"]);
        assert_eq!(
            labels(&["Platform guild", "Planning"]),
            ["Platform g…", "Planning"]
        );
    }
}
