//! Drives real headless Chromium through chromedriver for end-to-end tests:
//! one browser session per person, each with its own profile, phones by
//! Chrome's mobile emulation. Selectors are `data-testid`s; waits poll for
//! the expected state with a timeout (WebDriver has no auto-wait).

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::time::{Instant, MissedTickBehavior, interval};

use crate::TestServer;

/// How long to wait for the page to reach an expected state.
pub const PAGE_PATIENCE: Duration = Duration::from_secs(20);

/// A chromedriver process, killed on drop.
pub struct Driver {
    process: Child,
    url: String,
    profiles: Vec<PathBuf>,
}

/// axe-core's browser build, read once.
fn axe_source() -> anyhow::Result<&'static str> {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(source) = SOURCE.get() {
        return Ok(source);
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/axe/node_modules/axe-core/axe.min.js"
    );
    let source = std::fs::read_to_string(path)
        .with_context(|| format!("reading {path}; `cargo xtask test` installs axe-core"))?;
    Ok(SOURCE.get_or_init(|| source))
}

/// What [`Page::mouse`] does.
#[derive(Clone, Copy, Debug)]
pub enum Mouse {
    /// Moves the pointer.
    Move,
    /// Presses the left button and holds it.
    Press,
    /// Releases the left button.
    Release,
}

/// What kind of screen a session emulates.
#[derive(Clone, Copy, Debug)]
pub enum Screen {
    /// A laptop browser window.
    Laptop,
    /// A phone, 390×844 CSS pixels with touch.
    Phone,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it answers.
    ///
    /// # Errors
    ///
    /// When chromedriver is not installed or does not start.
    pub async fn start() -> anyhow::Result<Driver> {
        let port = StdListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let process = Command::new(chromedriver_path())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("chromedriver is not installed; `cargo xtask test` installs it")?;
        let driver = Driver {
            process,
            url: format!("http://127.0.0.1:{port}"),
            profiles: Vec::new(),
        };
        let deadline = Instant::now() + PAGE_PATIENCE;
        let mut ticks = interval(Duration::from_millis(50));
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            if Instant::now() > deadline {
                bail!("chromedriver did not start");
            }
            ticks.tick().await;
        }
        Ok(driver)
    }

    /// Opens a browser session with a fresh profile.
    ///
    /// # Errors
    ///
    /// When Chromium cannot start.
    pub async fn session(&mut self, screen: Screen) -> anyhow::Result<Page> {
        self.session_speaking(screen, "en-US").await
    }

    /// [`Driver::session`] in a browser whose languages are `languages`
    /// (as `Accept-Language` lists them: "de-DE,de"): `navigator.languages`
    /// and the requests' `Accept-Language` say them, as on a phone set to
    /// that language.
    ///
    /// # Errors
    ///
    /// When Chromium cannot start.
    pub async fn session_speaking(
        &mut self,
        screen: Screen,
        languages: &str,
    ) -> anyhow::Result<Page> {
        let profile =
            std::env::temp_dir().join(format!("moot-browser-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&profile)?;
        self.profiles.push(profile.clone());
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!(
                "--lang={}",
                languages.split(',').next().unwrap_or(languages)
            ),
        ];
        let mut options = json!({
            "binary": chromium_path(),
            "prefs": { "intl.accept_languages": languages },
        });
        match screen {
            Screen::Laptop => {
                args.push("--window-size=1280,800".to_owned());
                // A laptop has a mouse: headless Chromium reports no pointer
                // that can hover unless told (a fine pointer that hovers).
                args.push(
                    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4"
                        .to_owned(),
                );
            }
            Screen::Phone => {
                options["mobileEmulation"] = json!({
                    "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2.0, "touch": true },
                    "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
                });
            }
        }
        options["args"] = json!(args);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .context("chromium did not start a session")?;
        Ok(Page { client })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        // Killing chromedriver orphans the browsers of sessions nobody
        // closed (a test that returns early or fails): they would run on,
        // dozens of processes per test, slowing later tests and benchmarks.
        // Each session's profile directory names its processes.
        kill_browsers_using(&self.profiles);
        for profile in &self.profiles {
            let _ = std::fs::remove_dir_all(profile);
        }
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver's
/// `goog/cdp/execute` endpoint (WebDriver itself cannot block a URL).
#[derive(Debug)]
struct DevTools {
    method: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Kills every process whose command line has `--user-data-dir=` one of
/// `profiles` (Linux: read from `/proc`).
fn kill_browsers_using(profiles: &[PathBuf]) {
    let flags: Vec<String> = profiles
        .iter()
        .map(|profile| format!("--user-data-dir={}", profile.display()))
        .collect();
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return;
    };
    let pids: Vec<String> = processes
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let command_line = std::fs::read(entry.path().join("cmdline")).ok()?;
            let command_line = String::from_utf8_lossy(&command_line);
            flags
                .iter()
                .any(|flag| command_line.split('\0').any(|arg| arg == flag))
                .then(|| pid.to_string())
        })
        .collect();
    if !pids.is_empty() {
        let _ = Command::new("kill")
            .arg("-KILL")
            .args(&pids)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned())
}

fn chromium_path() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

/// One browser tab, with helpers keyed by `data-testid`.
pub struct Page {
    /// The WebDriver client.
    pub client: Client,
}

/// CSS selector for a test id.
pub fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// A script for [`Page::wait_for`] (its one argument: a list of test
/// ids): whether the elements with these test ids are all shown, wholly inside
/// the viewport and inside every ancestor that clips, and the document
/// needs no scrolling: `null` until then; `window.__fitProblems` says
/// what is not.
pub const FITS_IN_VIEWPORT: &str = r#"
const [ids] = arguments;
const problems = [];
const root = document.documentElement;
if (root.scrollHeight > innerHeight + 1 || root.scrollWidth > innerWidth + 1) {
  problems.push(`the page is ${root.scrollWidth}x${root.scrollHeight} in ${innerWidth}x${innerHeight}`);
  // What reaches furthest down.
  const loose = [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    if (box.bottom <= innerHeight + 1 || box.height === 0) return false;
    return true;
  }).sort((a, b) => b.getBoundingClientRect().bottom - a.getBoundingClientRect().bottom);
  problems.push(`below the fold: ${loose.slice(0, 4).map(el => el.tagName + '.' + el.className + '@' + Math.round(el.getBoundingClientRect().bottom)).join(', ')}`);
}
for (const id of ids) {
  const found = document.querySelectorAll(`[data-testid="${id}"]`);
  if (found.length === 0) { problems.push(`${id} missing`); continue; }
  for (const element of found) {
    const box = element.getBoundingClientRect();
    if (!element.checkVisibility() || box.width === 0 || box.height === 0) { problems.push(`${id} not shown`); continue; }
    if (box.top < -1 || box.left < -1 || box.bottom > innerHeight + 1 || box.right > innerWidth + 1) {
      problems.push(`${id} at ${Math.round(box.top)}..${Math.round(box.bottom)} outside ${innerHeight}`);
      continue;
    }
    for (let up = element.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const clip = up.getBoundingClientRect();
      if (box.top < clip.top - 1 || box.bottom > clip.bottom + 1 || box.left < clip.left - 1 || box.right > clip.right + 1) {
        problems.push(`${id} clipped by ${up.className || up.tagName}`);
        break;
      }
    }
  }
}
window.__fitProblems = problems;
return problems.length === 0 ? true : null;
"#;

impl Page {
    /// Opens `url`.
    ///
    /// # Errors
    ///
    /// On a WebDriver error.
    pub async fn open(&self, url: &str) -> anyhow::Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    /// Runs JavaScript in the page and returns its result.
    ///
    /// # Errors
    ///
    /// On a WebDriver or script error.
    pub async fn script(&self, source: &str, args: Vec<Value>) -> anyhow::Result<Value> {
        Ok(self.client.execute(source, args).await?)
    }

    /// The page's accessibility violations as axe-core finds them (every
    /// rule axe runs by default: WCAG 2.x A and AA and its best practices),
    /// one line per rule with the elements it fails on; empty when there
    /// are none. axe is injected on the first call after each page load.
    ///
    /// # Errors
    ///
    /// When axe-core is not installed (`cargo xtask test` installs it into
    /// `tests/axe/`) or does not run.
    pub async fn axe_violations(&self) -> anyhow::Result<Vec<String>> {
        let injected = self.script("return Boolean(window.axe)", vec![]).await?;
        if injected != Value::Bool(true) {
            // The page's Content-Security-Policy refuses `eval`, so axe
            // travels as the body of the script WebDriver runs.
            self.script(&format!("{}\nreturn true;", axe_source()?), vec![])
                .await?;
        }
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { resultTypes: ['violations'] })\
                   .then((results) => done(results.violations.map((v) =>\
                     `${v.id} (${v.impact}): ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`)))\
                   .catch((error) => done([`axe failed: ${error}`]));",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(found)?)
    }

    /// Asserts that axe finds no violation on the page in `situation`,
    /// keeping a screenshot of a page that has some.
    ///
    /// # Errors
    ///
    /// When axe does not run, or finds violations.
    pub async fn assert_accessible(&self, situation: &str) -> anyhow::Result<()> {
        let violations = self.axe_violations().await?;
        if !violations.is_empty() {
            self.screenshot(&format!("axe-failed-{situation}")).await?;
            bail!("{situation}: axe finds {violations:#?}");
        }
        Ok(())
    }

    /// Polls `probe` (a script returning a value, `null` meaning "not yet")
    /// until it returns non-null.
    ///
    /// # Errors
    ///
    /// When it stays null for [`PAGE_PATIENCE`].
    pub async fn wait_for(&self, what: &str, probe: &str) -> anyhow::Result<Value> {
        let deadline = Instant::now() + PAGE_PATIENCE;
        let mut ticks = interval(Duration::from_millis(50));
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            // A navigation in progress can make a script fail; keep polling.
            if let Ok(value) = self.script(probe, Vec::new()).await
                && !value.is_null()
            {
                return Ok(value);
            }
            if Instant::now() > deadline {
                let body = self
                    .script(
                        "return document.body ? document.body.innerText : ''",
                        Vec::new(),
                    )
                    .await
                    .unwrap_or_default();
                bail!("timed out waiting for {what}; the page shows: {body}");
            }
        }
    }

    /// Waits until the element with this test id exists, and returns it.
    ///
    /// # Errors
    ///
    /// When it does not appear in time.
    pub async fn element(&self, id: &str) -> anyhow::Result<fantoccini::elements::Element> {
        let probe = format!(
            "return document.querySelector('{}') ? true : null",
            testid(id)
        );
        self.wait_for(&format!("element {id}"), &probe).await?;
        Ok(self.client.find(Locator::Css(&testid(id))).await?)
    }

    /// Types into the input with this test id (replacing what is there).
    ///
    /// # Errors
    ///
    /// When the input does not appear.
    pub async fn fill(&self, id: &str, text: &str) -> anyhow::Result<()> {
        let input = self.element(id).await?;
        self.open_menus_around(&input).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Clicks the element with this test id.
    ///
    /// # Errors
    ///
    /// When it does not appear.
    pub async fn click(&self, id: &str) -> anyhow::Result<()> {
        let element = self.element(id).await?;
        self.open_menus_around(&element).await?;
        // As a person would, bring it to the middle of the screen first:
        // WebDriver scrolls only what is off screen, and a control at the
        // bottom edge sits under the phone's fixed section bar.
        self.script(
            "arguments[0].scrollIntoView({ block: 'center' })",
            vec![serde_json::to_value(&element)?],
        )
        .await?;
        element.click().await?;
        Ok(())
    }

    /// Clicks the download button `id` and returns the text of the file it
    /// saves. moot saves downloads through a `data:` link it clicks; the
    /// page's link clicks are caught instead of followed.
    ///
    /// # Errors
    ///
    /// When the button does not appear or nothing is saved within the wait.
    pub async fn download(&self, id: &str) -> anyhow::Result<String> {
        self.script(
            "window.__downloads = []; \
             HTMLAnchorElement.prototype.click = function () { window.__downloads.push(this.href); };",
            vec![],
        )
        .await?;
        self.click(id).await?;
        let href = self
            .wait_for(
                &format!("the download of {id}"),
                "return window.__downloads.length ? decodeURIComponent(window.__downloads[0]) : null",
            )
            .await?;
        Ok(href.as_str().unwrap_or_default().to_owned())
    }

    /// Opens the closed menus (`<details>`) that hold `element`, outermost
    /// first, by clicking their summaries: the facilitator's settings and
    /// per-person actions are one click away. A summary opens its own menu
    /// when clicked, so only the menus around it are opened.
    ///
    /// # Errors
    ///
    /// On a WebDriver error.
    pub async fn open_menus_around(
        &self,
        element: &fantoccini::elements::Element,
    ) -> anyhow::Result<()> {
        self.script(
            "const closed = []; const el = arguments[0]; \
             const start = el.tagName === 'SUMMARY' ? el.parentElement.parentElement : el; \
             for (let up = start && start.closest('details:not([open])'); up; up = up.parentElement.closest('details:not([open])')) \
               closed.unshift(up.querySelector(':scope > summary')); \
             for (const summary of closed) if (summary) summary.click();",
            vec![serde_json::to_value(element)?],
        )
        .await?;
        Ok(())
    }

    /// Clicks the button with test id `id` once it is there and enabled.
    ///
    /// # Errors
    ///
    /// When it is not within the wait.
    pub async fn press(&self, id: &str) -> anyhow::Result<()> {
        self.wait_for(
            &format!("{id} enabled"),
            &format!(
                "const b = document.querySelector('[data-testid=\"{id}\"]');\
                 if (b && !b.disabled) {{ b.click(); return true; }} return null;"
            ),
        )
        .await?;
        Ok(())
    }

    /// Waits until the element `data-testid=id` shows text containing `part`.
    ///
    /// # Errors
    ///
    /// When it does not within the wait.
    pub async fn wait_for_text(&self, id: &str, part: &str) -> anyhow::Result<()> {
        self.wait_for(
            &format!("{id} saying {part:?}"),
            &format!(
                "const el = document.querySelector('[data-testid=\"{id}\"]');\
                 return el && el.textContent.includes({part:?}) ? true : null;"
            ),
        )
        .await?;
        Ok(())
    }

    /// Clicks the control with test id `id` in the participant list's row
    /// for `name` (a real click, so a confirmation dialog appears).
    ///
    /// # Errors
    ///
    /// When the row or its control is not on the page.
    pub async fn click_for_participant(&self, name: &str, id: &str) -> anyhow::Result<()> {
        let path = format!(
            "//li[@data-testid='participant'][.//*[@data-testid='participant-name' and normalize-space(.)='{name}']]\
             //*[@data-testid='{id}']"
        );
        let control = self.client.find(fantoccini::Locator::XPath(&path)).await?;
        self.open_menus_around(&control).await?;
        control.click().await?;
        Ok(())
    }

    /// Runs one DevTools command on this page's browser.
    async fn devtools(&self, method: &'static str, params: Value) -> anyhow::Result<()> {
        self.client.issue_cmd(DevTools { method, params }).await?;
        Ok(())
    }

    /// Makes the browser fail every request whose URL matches one of
    /// `patterns` (`*` wildcards), as a dead network would; an empty list
    /// lifts the block.
    ///
    /// # Errors
    ///
    /// On a WebDriver or DevTools error.
    pub async fn block_urls(&self, patterns: &[&str]) -> anyhow::Result<()> {
        self.devtools("Network.enable", json!({})).await?;
        self.devtools("Network.setBlockedURLs", json!({ "urls": patterns }))
            .await?;
        Ok(())
    }

    /// Reloads the page with its WebSockets kept in `window.__sockets`, so
    /// that [`Page::set_offline`] can cut them.
    ///
    /// # Errors
    ///
    /// On a WebDriver or DevTools error.
    pub async fn track_sockets(&self) -> anyhow::Result<()> {
        self.devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.__sockets = []; \
                    window.WebSocket = class extends window.WebSocket { \
                      constructor(...args) { super(...args); window.__sockets.push(this); } \
                    };" }),
        )
        .await?;
        self.script("location.reload()", vec![]).await?;
        Ok(())
    }

    /// Takes the browser off the network or puts it back, as a phone in a
    /// tunnel: DevTools' offline emulation fails every new request and
    /// WebSocket and turns `navigator.onLine` false (with its events). It
    /// leaves open WebSockets open, so going offline also closes the page's
    /// (those [`Page::track_sockets`] kept).
    ///
    /// # Errors
    ///
    /// On a WebDriver or DevTools error.
    pub async fn set_offline(&self, offline: bool) -> anyhow::Result<()> {
        self.devtools("Network.enable", json!({})).await?;
        self.devtools(
            "Network.emulateNetworkConditions",
            json!({
                "offline": offline,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await?;
        if offline {
            self.script(
                "for (const socket of window.__sockets || []) socket.close()",
                vec![],
            )
            .await?;
        }
        Ok(())
    }

    /// Makes the page's viewport `width` × `height` CSS pixels (a projector,
    /// a 4K screen), as if the window had that size.
    ///
    /// # Errors
    ///
    /// On a WebDriver or DevTools error.
    pub async fn set_viewport(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.emulate_screen(width, height, false).await
    }

    /// Makes the page a phone `width` × `height` CSS pixels (mobile
    /// emulation: scrollbars overlay the page, as on a phone), one that
    /// prefers reduced motion, so a screenshot never catches a control's
    /// colour mid-transition.
    ///
    /// # Errors
    ///
    /// On a WebDriver or DevTools error.
    pub async fn set_phone_viewport(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
        )
        .await?;
        self.emulate_screen(width, height, true).await
    }

    /// Makes the page prefer a dark colour scheme (or a light one), as a
    /// phone or laptop set to dark mode; motion stays reduced, as on a
    /// phone of [`Page::set_phone_viewport`].
    ///
    /// # Errors
    ///
    /// On a WebDriver or DevTools error.
    pub async fn prefer_dark(&self, dark: bool) -> anyhow::Result<()> {
        self.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "features": [
                { "name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" } },
                { "name": "prefers-reduced-motion", "value": "reduce" },
            ] }),
        )
        .await
    }

    /// Real mouse input at (`x`, `y`) CSS pixels of the viewport (DevTools'
    /// `Input.dispatchMouseEvent`): moving there hovers what is under it,
    /// pressing holds the left button down (`:active`) until released, so
    /// a test can look at a control in each state.
    ///
    /// # Errors
    ///
    /// On a WebDriver or DevTools error.
    pub async fn mouse(&self, action: Mouse, x: f64, y: f64) -> anyhow::Result<()> {
        let (kind, button, buttons) = match action {
            Mouse::Move => ("mouseMoved", "none", 0),
            Mouse::Press => ("mousePressed", "left", 1),
            Mouse::Release => ("mouseReleased", "left", 0),
        };
        self.devtools(
            "Input.dispatchMouseEvent",
            json!({ "type": kind, "x": x, "y": y, "button": button, "buttons": buttons, "clickCount": 1 }),
        )
        .await
    }

    async fn emulate_screen(&self, width: u32, height: u32, mobile: bool) -> anyhow::Result<()> {
        self.devtools(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": if mobile { 2 } else { 1 },
                "mobile": mobile,
            }),
        )
        .await?;
        Ok(())
    }

    /// Proposes a topic on the board from this page and waits until the
    /// page lists it.
    ///
    /// # Errors
    ///
    /// When the form or the topic does not appear.
    pub async fn propose_topic(&self, title: &str) -> anyhow::Result<()> {
        self.fill("topic-title-input", title).await?;
        self.click("topic-submit").await?;
        self.wait_for(
            &format!("topic {title}"),
            &format!(
                "return [...document.querySelectorAll('[data-testid=\"topic-title\"]')].some(t => t.textContent === {title:?}) ? true : null"
            ),
        )
        .await?;
        Ok(())
    }

    /// The text of the element with this test id.
    ///
    /// # Errors
    ///
    /// When it does not appear.
    pub async fn text(&self, id: &str) -> anyhow::Result<String> {
        Ok(self.element(id).await?.text().await?)
    }

    /// The participants listed on the page: (id, name) pairs in order.
    ///
    /// # Errors
    ///
    /// On a script error.
    pub async fn participants(&self) -> anyhow::Result<Vec<(String, String)>> {
        let value = self
            .script(
                "return [...document.querySelectorAll('[data-testid=\"participant\"]')].map(item => \
                 [item.dataset.participantId, (item.querySelector('[data-testid=\"participant-name\"]') || item).textContent.trim()])",
                Vec::new(),
            )
            .await?;
        Ok(serde_json::from_value(value)?)
    }

    /// Saves a screenshot under `artifacts/screenshots/NAME.png` at the workspace root.
    ///
    /// # Errors
    ///
    /// On a WebDriver or file error.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/screenshots");
        std::fs::create_dir_all(&directory)?;
        let path = directory.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await?)?;
        Ok(path)
    }

    /// Ends the session (closes the browser).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// A meetup in browsers: the facilitator on a laptop (through their link),
/// the shared screen, and one phone per name, each joined and in the room.
/// Dropping it closes the browsers and stops the server.
pub struct BrowserMeetup {
    /// The server.
    pub server: TestServer,
    /// The meetup as the HTTP API opened it.
    pub opened: moot_server::http::OpenedMeetupResponse,
    /// Chromium, for more sessions.
    pub driver: Driver,
    /// The facilitator's laptop.
    pub facilitator: Page,
    /// The shared screen.
    pub screen: Page,
    /// The phones, in the order of `names`.
    pub phones: Vec<Page>,
}

/// Opens a meetup, the facilitator's page and the shared screen, and joins
/// one phone per name through the join page.
///
/// # Errors
///
/// When a browser cannot start or a phone does not get into the room.
pub async fn meetup_with_phones(names: &[&str]) -> anyhow::Result<BrowserMeetup> {
    meetup_with_phones_on(moot_server::config::Config::default(), names).await
}

/// [`meetup_with_phones`] on a server with `config` (its data directory is
/// a fresh temporary one).
///
/// # Errors
///
/// As [`meetup_with_phones`].
pub async fn meetup_with_phones_on(
    config: moot_server::config::Config,
    names: &[&str],
) -> anyhow::Result<BrowserMeetup> {
    assert!(
        moot_server::assets::web_app_built(),
        "the web app is not built into the server; run `cargo xtask test`, which builds it first"
    );
    let server = TestServer::with_config(config).await;
    let opened = server.open_meetup("Platform guild", "Fran").await;
    let mut driver = Driver::start().await?;
    let facilitator = driver.session(Screen::Laptop).await?;
    facilitator.open(&opened.facilitator_url).await?;
    let screen = driver.session(Screen::Laptop).await?;
    screen.open(&opened.screen_url).await?;
    let mut phones = Vec::new();
    for name in names {
        let page = driver.session(Screen::Phone).await?;
        page.open(&opened.join_url).await?;
        page.fill("join-name", name).await?;
        page.click("join-submit").await?;
        page.element("me-name").await?;
        phones.push(page);
    }
    Ok(BrowserMeetup {
        server,
        opened,
        driver,
        facilitator,
        screen,
        phones,
    })
}
