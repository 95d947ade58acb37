//! Which `Host` names and web origins are this server's own.
//!
//! Two checks stop other web pages from using a visitor's browser against
//! moot:
//!
//! - **Host** (against DNS rebinding): a page on `evil.example` whose name
//!   the attacker points at moot's address talks to moot as its own origin,
//!   `Host: evil.example`. moot answers only to names it knows: IP addresses
//!   (a browser sends one only when the page itself was loaded from that
//!   address, which no DNS answer can change), `localhost` (which browsers
//!   resolve themselves), and the hosts of `--public-url` and
//!   `--allowed-origin`. Ports are not compared: a browser cannot forge them,
//!   and port mapping (containers) changes them legitimately.
//! - **Origin** (against cross-site requests): a request with an `Origin`
//!   must come from `--public-url`, an `--allowed-origin` (scheme, host and
//!   port exactly), or the very address it was sent to, with the scheme moot
//!   serves there: `http`, or `https` behind a trusted proxy that says so.

use std::fmt;
use std::net::IpAddr;

use axum::http::uri::{Authority, Scheme, Uri};
use axum::http::{HeaderMap, header};

/// `http` or `https`: the only schemes of pages that can talk to moot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebScheme {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS.
    Https,
}

impl WebScheme {
    fn default_port(self) -> u16 {
        match self {
            WebScheme::Http => 80,
            WebScheme::Https => 443,
        }
    }
}

/// A host name as it is compared: IP addresses in one canonical form
/// (IPv6 in brackets), names in lower case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostName(String);

impl HostName {
    /// Parses the host part of an authority: `[::1]`, `192.0.2.7` or a name.
    fn parse(host: &str) -> Option<HostName> {
        if host.is_empty() {
            return None;
        }
        let unbracketed = host
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'));
        if let Some(inner) = unbracketed {
            return inner
                .parse::<IpAddr>()
                .ok()
                .filter(IpAddr::is_ipv6)
                .map(|ip| HostName(format!("[{ip}]")));
        }
        match host.parse::<IpAddr>() {
            Ok(ip) if ip.is_ipv4() => Some(HostName(ip.to_string())),
            Ok(_) => None,
            Err(_) => Some(HostName(host.to_ascii_lowercase())),
        }
    }

    /// Whether this is an IP address rather than a name.
    pub fn is_ip(&self) -> bool {
        let inner = self.0.trim_start_matches('[').trim_end_matches(']');
        inner.parse::<IpAddr>().is_ok()
    }

    /// The name as text (IPv6 in brackets).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The `Host` of a request: a host and maybe a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHost {
    /// The host.
    pub name: HostName,
    /// The port, when the header names one.
    pub port: Option<u16>,
}

impl RequestHost {
    /// Parses a `Host` header value. `None` for anything that is not a bare
    /// `host[:port]` (user info, paths, empty).
    pub fn parse(value: &str) -> Option<RequestHost> {
        if value.contains(['@', '/', '?', '#']) {
            return None;
        }
        let authority: Authority = value.parse().ok()?;
        let name = HostName::parse(authority.host())?;
        let port = match authority.port() {
            Some(port) => Some(port.as_str().parse().ok()?),
            None => None,
        };
        Some(RequestHost { name, port })
    }
}

impl fmt::Display for RequestHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.name.0),
            None => f.write_str(&self.name.0),
        }
    }
}

/// The `Host` of a request, when it has exactly one and it parses. With two
/// `Host` headers there is none: which one a proxy or a check reads would be
/// anyone's guess.
pub fn request_host(headers: &HeaderMap) -> Option<RequestHost> {
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return None;
    };
    host.to_str().ok().and_then(RequestHost::parse)
}

/// A web origin: scheme, host and port (the default port filled in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebOrigin {
    /// `http` or `https`.
    pub scheme: WebScheme,
    /// The host.
    pub host: HostName,
    /// The port.
    pub port: u16,
}

impl WebOrigin {
    /// Parses an origin (`https://moot.example.org`) or a URL whose origin
    /// is wanted (`https://moot.example.org/`, as `--public-url` may be).
    pub fn parse(text: &str) -> Option<WebOrigin> {
        let uri: Uri = text.trim().parse().ok()?;
        let scheme = match uri.scheme() {
            Some(scheme) if *scheme == Scheme::HTTP => WebScheme::Http,
            Some(scheme) if *scheme == Scheme::HTTPS => WebScheme::Https,
            _ => return None,
        };
        let authority = uri.authority()?;
        if authority.as_str().contains('@') {
            return None;
        }
        let host = HostName::parse(authority.host())?;
        let port = match authority.port() {
            Some(port) => port.as_str().parse().ok()?,
            None => scheme.default_port(),
        };
        Some(WebOrigin { scheme, host, port })
    }
}

/// An `--public-url` or `--allowed-origin` that is not an http(s) origin.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a web origin like https://moot.example.org")]
pub struct InvalidOrigin(pub String);

/// The names and origins this server answers to.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// `--public-url` and `--allowed-origin`, exactly.
    origins: Vec<WebOrigin>,
}

impl Site {
    /// The site of a server with this public URL and these allowed origins.
    ///
    /// # Errors
    ///
    /// [`InvalidOrigin`] for the first entry that is not an http(s) URL.
    pub fn new(public_url: Option<&str>, allowed: &[String]) -> Result<Site, InvalidOrigin> {
        let origins = public_url
            .into_iter()
            .chain(allowed.iter().map(String::as_str))
            .map(|text| WebOrigin::parse(text).ok_or_else(|| InvalidOrigin(text.to_owned())))
            .collect::<Result<_, _>>()?;
        Ok(Site { origins })
    }

    /// Like [`Site::new`], but entries that do not parse are logged and left
    /// out (`main` has refused them already; tests may not have).
    pub fn lenient(public_url: Option<&str>, allowed: &[String]) -> Site {
        let origins = public_url
            .into_iter()
            .chain(allowed.iter().map(String::as_str))
            .filter_map(|text| {
                let origin = WebOrigin::parse(text);
                if origin.is_none() {
                    tracing::warn!(origin = text, "ignoring an origin that does not parse");
                }
                origin
            })
            .collect();
        Site { origins }
    }

    /// Whether a request with this `Host` header value is meant for this
    /// server rather than for a name someone pointed at its address.
    pub fn knows_host(&self, host: &RequestHost) -> bool {
        host.name.is_ip()
            || host.name.as_str() == "localhost"
            || self.origins.iter().any(|origin| origin.host == host.name)
    }

    /// Whether a page of `origin` may use this server, for a request sent
    /// to `host` over `scheme` (as moot sees it: `https` only behind a
    /// trusted proxy that says so).
    pub fn allows_origin(
        &self,
        origin: &str,
        host: Option<&RequestHost>,
        scheme: WebScheme,
    ) -> bool {
        let Some(origin) = WebOrigin::parse(origin) else {
            // `null` (sandboxed frames, files) and anything malformed.
            return false;
        };
        if self.origins.contains(&origin) {
            return true;
        }
        // The page's own server, reached by address: same scheme, host and port.
        host.is_some_and(|host| {
            (host.name.is_ip() || host.name.as_str() == "localhost")
                && origin.scheme == scheme
                && origin.host == host.name
                && origin.port == host.port.unwrap_or(scheme.default_port())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &str) -> RequestHost {
        RequestHost::parse(value).expect("a valid Host")
    }

    #[test]
    fn hosts_parse_to_one_form() {
        assert_eq!(host("LocalHost:8080").to_string(), "localhost:8080");
        assert_eq!(host("[0:0::1]:80").to_string(), "[::1]:80");
        assert_eq!(host("192.0.2.7").to_string(), "192.0.2.7");
        for bad in ["", "a@b", "evil.example/x", "[::1", "[192.0.2.7]", ":80"] {
            assert_eq!(RequestHost::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn addresses_and_configured_names_are_known() {
        let site = Site::new(
            Some("https://moot.example.org/"),
            &["http://intranet.example:8000".into()],
        )
        .unwrap();
        for known in [
            "127.0.0.1:8080",
            "[::1]:8080",
            "192.168.1.20:8080",
            "localhost:8080",
            "moot.example.org",
            "MOOT.example.org:443",
            "intranet.example:8000",
        ] {
            assert!(site.knows_host(&host(known)), "{known}");
        }
        for foreign in [
            "evil.example:8080",
            "moot.example.org.evil.example",
            "laptop.lan",
        ] {
            assert!(!site.knows_host(&host(foreign)), "{foreign}");
        }
    }

    #[test]
    fn origins_match_scheme_host_and_port() {
        let site = Site::new(
            Some("https://moot.example.org"),
            &["http://intranet.example:8000".into()],
        )
        .unwrap();
        let own = host("127.0.0.1:8080");
        let http = WebScheme::Http;
        assert!(site.allows_origin("http://127.0.0.1:8080", Some(&own), http));
        assert!(!site.allows_origin("https://127.0.0.1:8080", Some(&own), http));
        assert!(site.allows_origin("https://127.0.0.1:8080", Some(&own), WebScheme::Https));
        assert!(!site.allows_origin("http://127.0.0.1:9000", Some(&own), http));
        assert!(!site.allows_origin("http://127.0.0.2:8080", Some(&own), http));
        assert!(site.allows_origin("https://moot.example.org", Some(&own), http));
        assert!(site.allows_origin("https://moot.example.org:443", None, http));
        assert!(!site.allows_origin("http://moot.example.org", None, http));
        assert!(site.allows_origin("http://intranet.example:8000", None, http));
        assert!(!site.allows_origin("http://intranet.example", None, http));
        assert!(!site.allows_origin("null", Some(&own), http));
        // A rebound name is never its own origin, even when Host agrees.
        let rebound = host("evil.example:8080");
        assert!(!site.allows_origin("http://evil.example:8080", Some(&rebound), http));
        // Port 80 may be left out of Host.
        let plain = host("192.0.2.7");
        assert!(site.allows_origin("http://192.0.2.7", Some(&plain), http));
    }

    #[test]
    fn configured_origins_must_be_web_urls() {
        assert!(Site::new(Some("moot.example.org"), &[]).is_err());
        assert!(Site::new(None, &["ftp://x.example".into()]).is_err());
        assert!(Site::new(None, &["https://x.example/path".into()]).is_ok());
    }
}
