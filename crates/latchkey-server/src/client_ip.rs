//! The client's address: the connection's peer, or, when the peer is a proxy the configuration trusts,
//! the address that proxy reports in the one header the configuration names (`X-Forwarded-For`, or
//! RFC 7239's `Forwarded`). Anyone can write those headers, so only the named one counts (a proxy that
//! writes `X-Forwarded-For` passes a client's own `Forwarded` through untouched), only from a trusted
//! proxy, and only the entries that proxy (and the trusted proxies before it) appended: a spoofed entry
//! further left cannot reset a rate limit.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName};

/// The header a deployment's proxies write the client's address in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, …`: what nginx, HAProxy and most load balancers write.
    #[default]
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1` (RFC 7239 §5.2).
    Forwarded,
}

impl ForwardedHeader {
    /// The header named `x-forwarded-for` or `forwarded`.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(Self::XForwardedFor),
            "forwarded" => Ok(Self::Forwarded),
            other => Err(format!("{other}: use x-forwarded-for or forwarded")),
        }
    }
}

/// Where the client's address may come from besides the peer: the trusted proxies, and their header.
#[derive(Clone, Copy, Debug)]
pub struct Proxies<'a> {
    /// The networks whose connections are proxies.
    pub trusted: &'a [Network],
    /// The header they write.
    pub header: ForwardedHeader,
}

/// A network of trusted proxies: an address and how many of its leading bits must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// Parses `10.0.0.0/8`, `2001:db8::/32`, or a single address (all its bits).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let address: IpAddr = address.parse().map_err(|e| format!("{text}: {e}"))?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix.parse::<u8>().ok().filter(|p| *p <= bits).ok_or(format!("{text}: bad prefix"))?,
            None => bits,
        };
        // An IPv4-mapped network (`::ffff:10.0.0.0/104`) is the IPv4 network it maps, as addresses are.
        match address.to_canonical() {
            IpAddr::V4(v4) if address.is_ipv6() && prefix >= 96 => {
                Ok(Self { address: IpAddr::V4(v4), prefix: prefix - 96 })
            }
            _ => Ok(Self { address, prefix }),
        }
    }

    /// Whether `ip` is in this network (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                leading_bits_match(net.to_bits().into(), ip.to_bits().into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => leading_bits_match(net.to_bits(), ip.to_bits(), 128, self.prefix),
            _ => false,
        }
    }
}

impl TryFrom<String> for Network {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// Whether the first `prefix` of `width` bits of `a` and `b` agree.
fn leading_bits_match(a: u128, b: u128, width: u32, prefix: u8) -> bool {
    let ignored = width - u32::from(prefix);
    ignored >= width || (a >> ignored) == (b >> ignored)
}

/// The client's address: walking the forwarding chain from the peer leftwards, the first address that
/// is not a trusted proxy (or the leftmost, if every hop is trusted).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, proxies: Proxies<'_>) -> IpAddr {
    let is_trusted = |ip: IpAddr| proxies.trusted.iter().any(|network| network.contains(ip));
    if !is_trusted(peer) {
        return peer.to_canonical();
    }
    let chain = match proxies.header {
        ForwardedHeader::XForwardedFor => x_forwarded_for(headers),
        ForwardedHeader::Forwarded => forwarded(headers),
    };
    let mut client = peer.to_canonical();
    for hop in chain.iter().rev() {
        // An entry that is not an address (`unknown`, an obfuscated name) ends what can be known.
        let Some(ip) = *hop else { break };
        client = ip.to_canonical();
        if !is_trusted(client) {
            break;
        }
    }
    client
}

/// The `for` addresses of `Forwarded`, left to right over every header line; `None` for an element
/// without one or one that is not an address, which ends what can be known.
fn forwarded(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    values(headers, &axum::http::header::FORWARDED)
        .iter()
        .flat_map(|line| line.split(','))
        .map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim().eq_ignore_ascii_case("for").then(|| parse_node(value)).flatten()
            })
        })
        .collect()
}

/// The addresses of `X-Forwarded-For`, left to right over every header line.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let name = HeaderName::from_static("x-forwarded-for");
    values(headers, &name).iter().flat_map(|line| line.split(',')).map(parse_node).collect()
}

/// Every line of a header that is valid text.
fn values<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Vec<&'a str> {
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect()
}

/// An address from a node: `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"` or `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    node.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

/// The part of an address that names one client for rate limits: an IPv4 address, or an IPv6 /64
/// (one subscriber's usual allocation, inside which addresses cost nothing to change).
pub fn limit_subject(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("{}/64", std::net::Ipv6Addr::from_bits(v6.to_bits() & !((1u128 << 64) - 1))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("a header value"));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn behind(trusted: &[Network]) -> Proxies<'_> {
        Proxies { trusted, header: ForwardedHeader::XForwardedFor }
    }

    fn behind_rfc_7239(trusted: &[Network]) -> Proxies<'_> {
        Proxies { trusted, header: ForwardedHeader::Forwarded }
    }

    #[test]
    fn networks_match_by_prefix() {
        let ten = Network::parse("10.0.0.0/8").expect("a network");
        assert!(ten.contains(ip("10.200.1.2")) && !ten.contains(ip("11.0.0.1")));
        assert!(ten.contains(ip("::ffff:10.1.2.3")), "an IPv4-mapped address is its IPv4 address");
        let one = Network::parse("2001:db8::1").expect("an address");
        assert!(one.contains(ip("2001:db8::1")) && !one.contains(ip("2001:db8::2")));
        assert!(Network::parse("0.0.0.0/0").expect("everything").contains(ip("203.0.113.9")));
        for bad in ["10.0.0.0/33", "nonsense", "10.0.0.0/x"] {
            assert!(Network::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_count_only_from_a_trusted_peer() {
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(client_ip(ip("203.0.113.5"), &spoofed, behind(&[])), ip("203.0.113.5"));
        let proxy = [Network::parse("127.0.0.1").expect("an address")];
        assert_eq!(client_ip(ip("203.0.113.5"), &spoofed, behind(&proxy)), ip("203.0.113.5"));
        assert_eq!(client_ip(ip("127.0.0.1"), &spoofed, behind(&proxy)), ip("198.51.100.7"));
    }

    #[test]
    fn a_spoofed_entry_left_of_the_proxys_own_is_ignored() {
        // The client wrote `1.2.3.4`; the trusted proxy appended the address it saw.
        let forwarded = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7")]);
        let proxies = [Network::parse("10.0.0.0/8").expect("a network")];
        assert_eq!(client_ip(ip("10.0.0.2"), &forwarded, behind(&proxies)), ip("198.51.100.7"));
        let two_hops = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.9")]);
        assert_eq!(client_ip(ip("10.0.0.2"), &two_hops, behind(&proxies)), ip("198.51.100.7"));
    }

    #[test]
    fn forwarded_is_read_with_quotes_ports_and_brackets() {
        let proxy = [Network::parse("127.0.0.1").expect("an address")];
        let v6 = headers(&[("forwarded", "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\"")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &v6, behind_rfc_7239(&proxy)), ip("2001:db8:cafe::17"));
        let unknown = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &unknown, behind_rfc_7239(&proxy)), ip("127.0.0.1"));
    }

    #[test]
    fn only_the_configured_header_counts() {
        let proxy = [Network::parse("127.0.0.1").expect("an address")];
        // The proxy writes X-Forwarded-For and passes the client's own Forwarded through.
        let both = headers(&[("forwarded", "for=192.0.2.1"), ("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &both, behind(&proxy)), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("127.0.0.1"), &both, behind_rfc_7239(&proxy)), ip("192.0.2.1"));
        let mapped = [Network::parse("::ffff:10.0.0.0/104").expect("a mapped network")];
        assert!(mapped[0].contains(ip("10.9.8.7")), "an IPv4-mapped network matches its IPv4 addresses");
    }

    #[test]
    fn an_ipv6_client_is_limited_by_its_64() {
        assert_eq!(limit_subject(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(limit_subject(ip("2001:db8:1:2:bbbb::9")), limit_subject(ip("2001:db8:1:2::")));
        assert_eq!(limit_subject(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }
}
