//! The visual language (issue 15, item 7): one type scale on every page,
//! and every control's states: hover and pressed with a real mouse on the
//! laptop, disabled, and pending (a tap made offline waits visibly on the
//! control itself until the server has it), in light and dark mode.
//! `xtask`'s `style_scale` keeps the stylesheet's lengths on its scales;
//! these tests look at what Chromium actually computes, and run axe
//! (contrast among its rules) in both colour schemes.

use moot_tests::browser::{BrowserMeetup, Mouse, Page, meetup_with_phones};
use serde_json::{Value, json};

/// The type scale's steps, as multiples of the root size (web/style.css,
/// `--text-*`).
const TYPE_SCALE: [f64; 10] = [0.8125, 0.9375, 1.0625, 1.25, 1.5, 2.0, 2.5, 3.0, 4.5, 5.5];

/// The font size of every visible element that holds text of its own,
/// divided by the root's, with a description of the first element of each
/// size. The chart's texts (in its SVG's own units) and the display-size
/// countdown (`--text-display`, which follows the viewport) are left out.
const FONT_SIZES: &str = "
    const root = parseFloat(getComputedStyle(document.documentElement).fontSize);
    const sizes = {};
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('svg, .countdown-big, .visually-hidden, [hidden]') || !el.checkVisibility()) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const ratio = (parseFloat(getComputedStyle(el).fontSize) / root).toFixed(4);
      if (!(ratio in sizes)) sizes[ratio] = `${el.tagName.toLowerCase()}.${el.className} \"${el.textContent.trim().slice(0, 30)}\"`;
    }
    return sizes;";

/// Asserts that every text on `page` is set in a step of the type scale.
async fn on_the_type_scale(page: &Page, situation: &str) -> anyhow::Result<()> {
    let sizes = page.script(FONT_SIZES, vec![]).await?;
    let sizes = sizes.as_object().expect("an object of sizes");
    assert!(
        sizes.len() >= 3,
        "{situation}: too few texts measured: {sizes:?}"
    );
    let off: Vec<String> = sizes
        .iter()
        .filter(|(ratio, _)| {
            let ratio: f64 = ratio.parse().unwrap_or(0.0);
            !TYPE_SCALE.iter().any(|step| (ratio - step).abs() < 0.002)
        })
        .map(|(ratio, example)| format!("{ratio} × root: {example}"))
        .collect();
    assert!(
        off.is_empty(),
        "{situation}: text off the type scale: {off:#?}"
    );
    Ok(())
}

/// The computed background image and transform of the element with this
/// test id, and the centre of its box.
async fn looks(page: &Page, id: &str) -> anyhow::Result<(String, f64, f64)> {
    let value = page
        .script(
            "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             const style = getComputedStyle(el); const box = el.getBoundingClientRect();\
             return [`${style.backgroundImage} ${style.transform}`, box.left + box.width / 2, box.top + box.height / 2];",
            vec![json!(id)],
        )
        .await?;
    Ok((
        value[0].as_str().unwrap_or_default().to_owned(),
        value[1].as_f64().unwrap_or_default(),
        value[2].as_f64().unwrap_or_default(),
    ))
}

/// Hovers and presses the control with this test id with the mouse and
/// asserts each state looks different from the one before; the button is
/// released away from the control, so nothing is clicked.
async fn hover_and_press(page: &Page, id: &str, mode: &str) -> anyhow::Result<()> {
    page.mouse(Mouse::Move, 1.0, 1.0).await?;
    let (resting, x, y) = looks(page, id).await?;
    page.mouse(Mouse::Move, x, y).await?;
    let (hovered, ..) = looks(page, id).await?;
    assert_ne!(hovered, resting, "{mode}: {id} looks the same hovered");
    page.mouse(Mouse::Press, x, y).await?;
    let (pressed, ..) = looks(page, id).await?;
    assert_ne!(
        pressed, hovered,
        "{mode}: {id} looks the same pressed as hovered"
    );
    page.screenshot(&format!("look-{mode}-{id}-pressed"))
        .await?;
    page.mouse(Mouse::Move, 1.0, 1.0).await?;
    page.mouse(Mouse::Release, 1.0, 1.0).await?;
    let (after, ..) = looks(page, id).await?;
    assert_eq!(after, resting, "{mode}: {id} keeps a state once left");
    Ok(())
}

/// The page's background, as the `rgb(…)` Chromium computes.
async fn background(page: &Page) -> anyhow::Result<Value> {
    page.script(
        "return getComputedStyle(document.body).backgroundColor",
        vec![],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_keeps_one_type_scale_and_every_control_shows_its_state() -> anyhow::Result<()> {
    let meetup = meetup_with_phones(&["Ada"]).await?;
    let BrowserMeetup {
        facilitator,
        screen,
        phones,
        ..
    } = &meetup;
    let ada = &phones[0];
    facilitator.set_viewport(1280, 800).await?;
    screen.set_viewport(1920, 1080).await?;
    ada.propose_topic("Flaky deploys").await?;
    facilitator
        .wait_for(
            "Ada's topic on the facilitator's board",
            "return document.querySelector('[data-testid=\"topic-title\"]') ? true : null",
        )
        .await?;

    // One type scale on the phone, the laptop and the projector.
    on_the_type_scale(ada, "phone").await?;
    on_the_type_scale(facilitator, "facilitator").await?;
    on_the_type_scale(screen, "screen").await?;

    for dark in [false, true] {
        let mode = if dark { "dark" } else { "light" };
        for page in [facilitator, ada] {
            page.prefer_dark(dark).await?;
        }
        let page_background = background(facilitator).await?;
        let is_dark = page_background
            .as_str()
            .is_some_and(|rgb| rgb.starts_with("rgb(19, 19, 18"));
        assert_eq!(
            is_dark, dark,
            "{mode}: the facilitator's page is {page_background}"
        );

        // Hover and pressed, with a mouse, on a filled and an outlined
        // control of the laptop.
        hover_and_press(facilitator, "primary-action", mode).await?;
        hover_and_press(facilitator, "settings-toggle", mode).await?;

        // Disabled: nothing to take back yet.
        let disabled = ada
            .script(
                "const el = document.querySelector('[data-testid=\"take-back-dot\"]'); const s = getComputedStyle(el);\
                 return [el.disabled, s.opacity, s.cursor];",
                vec![],
            )
            .await?;
        assert_eq!(
            disabled,
            json!([true, "0.45", "not-allowed"]),
            "{mode}: a disabled control"
        );
        ada.screenshot(&format!("look-{mode}-phone")).await?;
        // Contrast and everything else axe checks, in this colour scheme.
        ada.assert_accessible(&format!("{mode}-phone")).await?;
        facilitator
            .assert_accessible(&format!("{mode}-facilitator"))
            .await?;
    }

    // Pending: a hand raised in a tunnel waits on the hand's own button
    // until the server has it, then stops waiting.
    ada.track_sockets().await?;
    ada.wait_for(
        "the page's socket tracked",
        "return window.__sockets?.length ? true : null",
    )
    .await?;
    ada.wait_for(
        "live",
        "return document.querySelector('[data-testid=\"connection-status\"][data-state=\"live\"]') ? true : null",
    )
    .await?;
    ada.set_offline(true).await?;
    ada.click("nav-raise-hand").await?;
    ada.wait_for(
        "the hand's button striped as waiting",
        "const el = document.querySelector('[data-testid=\"nav-raise-hand\"][aria-busy=\"true\"]');\
         return el && getComputedStyle(el, '::after').opacity === '1' ? true : null",
    )
    .await?;
    ada.screenshot("look-dark-phone-pending").await?;
    let elsewhere = ada
        .script(
            "return document.querySelectorAll('[aria-busy]').length",
            vec![],
        )
        .await?;
    assert_eq!(elsewhere, json!(1), "only the control pressed waits");
    ada.set_offline(false).await?;
    ada.wait_for(
        "the hand's button no longer waiting",
        "const el = document.querySelector('[data-testid=\"nav-raise-hand\"]');\
         return el && !el.hasAttribute('aria-busy') && el.getAttribute('aria-pressed') === 'true' ? true : null",
    )
    .await?;
    Ok(())
}
