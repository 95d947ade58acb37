//! The synchronized timer and the Lean Coffee flow end to end (issue 6):
//! browsers whose clocks are skewed by minutes either way show the same
//! remaining time within 250 ms; a short timebox runs out, the "continue?"
//! vote opens on every phone, the group votes up, and the timer extends on
//! every screen.
//!
//! Each browser's clock is skewed through the app's test hook
//! (`localStorage['moot.test.clock_skew_ms']`, added to every clock reading
//! of the app), set before the app loads. Each countdown publishes what it
//! shows (`data-remaining-ms`) and the browser's true clock when it computed
//! it (`data-taken-at`); `taken-at + remaining` is the moment that browser
//! shows as zero, on one true clock (all browsers run on this machine), so
//! those moments must agree.

use moot_tests::TestServer;
use moot_tests::browser::{Driver, Page, Screen};

/// How far each page's clock is off, in milliseconds.
const SKEWS: [(&str, i64); 3] = [("Ada", 300_000), ("Grace", -180_000), ("Linus", 47_000)];
const SCREEN_SKEW: i64 = -90_000;
const FACILITATOR_SKEW: i64 = 12_345;

/// Opens `url` in `page` with its clock skewed by `skew` ms.
async fn open_skewed(page: &Page, base_url: &str, url: &str, skew: i64) -> anyhow::Result<()> {
    // The hook lives in this origin's storage, so set it on a page of the
    // origin first; the app reads it once, when it starts.
    page.open(&format!("{base_url}/healthz")).await?;
    page.script(
        "localStorage.setItem('moot.test.clock_skew_ms', String(arguments[0])); return true",
        vec![skew.into()],
    )
    .await?;
    page.open(url).await
}

/// The moment (on the true clock) at which each page shows zero, and what
/// it shows remaining, once every page's countdown is in `state`
/// (`running` also matches the last minute, which a short timebox is in).
async fn zero_moments(pages: &[&Page], state: &str) -> anyhow::Result<Vec<(f64, f64)>> {
    let states = if state == "running" {
        "['running', 'last-minute']".to_owned()
    } else {
        format!("['{state}']")
    };
    let probe = format!(
        "const c = document.querySelector('[data-testid=\"timer-countdown\"]');\
         if (!c || !{states}.includes(c.dataset.state)) return null;\
         return c ? [Number(c.dataset.takenAt) + Number(c.dataset.remainingMs), Number(c.dataset.remainingMs)] : null;"
    );
    let mut moments = Vec::new();
    for page in pages {
        let value = page.wait_for(&format!("countdown {state}"), &probe).await?;
        moments.push((
            value[0].as_f64().unwrap_or_default(),
            value[1].as_f64().unwrap_or_default(),
        ));
    }
    Ok(moments)
}

fn spread(moments: &[(f64, f64)]) -> f64 {
    let zeros = moments.iter().map(|(zero, _)| *zero);
    let high = zeros.clone().fold(f64::MIN, f64::max);
    let low = zeros.fold(f64::MAX, f64::min);
    high - low
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skewed_clocks_agree_and_the_group_votes_to_continue() -> anyhow::Result<()> {
    assert!(
        moot_server::assets::web_app_built(),
        "the web app is not built into the server; run `cargo xtask build-web` first"
    );
    let server = TestServer::start().await;
    let opened = server.open_meetup("Lean Coffee", "Fran").await;
    let code = opened.join_code.as_str().to_owned();
    let base = server.base_url.clone();
    let mut driver = Driver::start().await?;

    let facilitator = driver.session(Screen::Laptop).await?;
    open_skewed(
        &facilitator,
        &base,
        &format!("{base}/m/{code}#k={}", opened.token),
        FACILITATOR_SKEW,
    )
    .await?;
    let screen = driver.session(Screen::Laptop).await?;
    open_skewed(&screen, &base, &opened.screen_url, SCREEN_SKEW).await?;
    let mut phones = Vec::new();
    for (name, skew) in SKEWS {
        let page = driver.session(Screen::Phone).await?;
        open_skewed(&page, &base, &format!("{base}/j/{code}"), skew).await?;
        page.fill("join-name", name).await?;
        page.click("join-submit").await?;
        phones.push(page);
    }
    facilitator
        .wait_for(
            "four here",
            "return document.querySelectorAll('[data-testid=\"participant\"][data-presence=\"here\"]').length === 4 ? true : null",
        )
        .await?;

    // A short timebox for the test: 15 s, extensions from 30 s.
    facilitator.click("timer-settings-toggle").await?;
    facilitator.fill("timer-topic-minutes", "0.25").await?;
    facilitator.fill("timer-extension-minutes", "0.5").await?;
    facilitator.click("timer-settings-save").await?;

    // A topic is proposed; the facilitator starts it in one tap, which
    // starts its timebox.
    phones[0].fill("topic-title-input", "Flaky tests").await?;
    phones[0].click("topic-submit").await?;
    facilitator
        .wait_for(
            "the next-topic offer",
            "const b = document.querySelector('[data-testid=\"timer-next-topic\"]'); return b && b.textContent.includes('Flaky tests') ? true : null",
        )
        .await?;
    facilitator.click("timer-next-topic").await?;

    let everyone: Vec<&Page> = phones.iter().chain([&facilitator, &screen]).collect();
    let moments = zero_moments(&everyone, "running").await?;
    println!("running: zero moments and remaining per page: {moments:?}");
    assert!(
        moments
            .iter()
            .all(|(_, remaining)| (0.0..=15_000.0).contains(remaining)),
        "a 15 s timebox shows {moments:?}"
    );
    assert!(
        spread(&moments) <= 250.0,
        "screens disagree by {} ms: {moments:?}",
        spread(&moments)
    );
    phones[1].screenshot("timer-phone-countdown").await?;
    screen.screenshot("timer-screen-countdown").await?;

    // Zero: the vote opens on every phone by itself.
    for phone in &phones {
        phone
            .wait_for(
                "the continue vote",
                "const b = document.querySelector('[data-testid=\"poll-option\"][data-choice=\"0\"]'); return b && !b.disabled ? true : null",
            )
            .await?;
    }
    zero_moments(&everyone, "zero").await?;
    screen.screenshot("timer-screen-zero").await?;
    phones[2].screenshot("timer-phone-vote").await?;

    // Everyone votes up: the last vote reveals, and the timebox extends by
    // 30 s on every screen.
    for phone in &phones {
        phone
            .script(
                "document.querySelector('[data-testid=\"poll-option\"][data-choice=\"0\"]').click(); return true",
                vec![],
            )
            .await?;
    }
    for page in &everyone {
        page.wait_for(
            "the extension",
            "const s = document.querySelector('[data-testid=\"timer-subject\"], .screen-timer-subject'); return s && s.textContent.includes('Extension 1 of 2') ? true : null",
        )
        .await?;
    }
    let moments = zero_moments(&everyone, "running").await?;
    println!("extended: zero moments and remaining per page: {moments:?}");
    assert!(
        moments
            .iter()
            .all(|(_, remaining)| (15_000.0..=30_000.0).contains(remaining)),
        "a 30 s extension shows {moments:?}"
    );
    assert!(
        spread(&moments) <= 250.0,
        "screens disagree by {} ms after the extension: {moments:?}",
        spread(&moments)
    );
    phones[0].screenshot("timer-phone-extended").await?;

    for page in phones {
        page.close().await;
    }
    facilitator.close().await;
    screen.close().await;
    Ok(())
}
