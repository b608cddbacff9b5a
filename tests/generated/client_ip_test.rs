//! The client address behind trusted proxies and IPv6 grouping: the pure parts of the generated
//! `client_ip` module.

use std::net::IpAddr;

use crate::auth_github::core::client_ip::{
    contains, parse_address, parse_network, rate_limit_key, resolve,
};

fn ip(text: &str) -> IpAddr {
    text.parse().expect("an address")
}

fn proxies() -> Vec<(IpAddr, u32)> {
    ["10.0.0.0/8", "::1"]
        .iter()
        .map(|p| parse_network(p).expect("a network"))
        .collect()
}

#[test]
fn a_header_from_an_untrusted_peer_is_ignored() {
    for header in ["1.2.3.4", "1.2.3.4, 10.0.0.1", ""] {
        assert_eq!(
            resolve(ip("203.0.113.7"), header, &proxies()),
            ip("203.0.113.7")
        );
    }
}

#[test]
fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
    let proxies = proxies();
    // Entries a client wrote itself (left of what the proxies appended) change nothing.
    assert_eq!(
        resolve(ip("10.1.2.3"), "6.6.6.6, 203.0.113.9, 10.9.9.9", &proxies),
        ip("203.0.113.9")
    );
    assert_eq!(
        resolve(ip("10.1.2.3"), "7.7.7.7, 203.0.113.9, 10.9.9.9", &proxies),
        ip("203.0.113.9")
    );
    // A hop that is not an address ends the walk at the last one a proxy vouched for.
    assert_eq!(
        resolve(ip("10.1.2.3"), "203.0.113.9, not-an-ip", &proxies),
        ip("10.1.2.3")
    );
    assert_eq!(
        resolve(ip("10.1.2.3"), "203.0.113.9, x, 10.0.0.5", &proxies),
        ip("10.0.0.5")
    );
    // Ports and brackets, as some proxies write them.
    assert_eq!(
        resolve(ip("::1"), "[2001:db8::5]:443", &proxies),
        ip("2001:db8::5")
    );
    assert_eq!(
        resolve(ip("10.0.0.1"), "198.51.100.4:5678", &proxies),
        ip("198.51.100.4")
    );
    // Only proxies: the leftmost; no header: the peer.
    assert_eq!(
        resolve(ip("10.0.0.1"), "10.0.0.2, 10.0.0.3", &proxies),
        ip("10.0.0.2")
    );
    assert_eq!(resolve(ip("10.0.0.1"), "", &proxies), ip("10.0.0.1"));
}

#[test]
fn ipv6_clients_share_their_64_and_mapped_ipv4_is_ipv4() {
    assert_eq!(
        rate_limit_key(ip("2001:db8:1:2:aaaa::1")),
        rate_limit_key(ip("2001:db8:1:2:bbbb:cccc:dddd:9"))
    );
    assert_eq!(
        rate_limit_key(ip("2001:db8:1:2:aaaa::1")),
        "2001:db8:1:2::/64"
    );
    assert_ne!(
        rate_limit_key(ip("2001:db8:1:2::1")),
        rate_limit_key(ip("2001:db8:1:3::1"))
    );
    assert_eq!(parse_address("::ffff:192.0.2.1"), Some(ip("192.0.2.1")));
    assert_eq!(rate_limit_key(ip("192.0.2.1")), "192.0.2.1");
    assert_eq!(parse_address("192.0.2.1 "), None);
    assert_eq!(parse_address("example.com"), None);
}

#[test]
fn networks_contain_what_their_prefix_says() {
    let net = |text| parse_network(text).expect("a network");
    assert!(contains(net("10.0.0.0/8"), ip("10.255.0.1")));
    assert!(!contains(net("10.0.0.0/8"), ip("11.0.0.1")));
    assert!(contains(net("0.0.0.0/0"), ip("198.51.100.1")));
    assert!(contains(net("192.168.1.7"), ip("192.168.1.7")));
    assert!(!contains(net("192.168.1.7"), ip("192.168.1.8")));
    assert!(contains(net("fd00::/8"), ip("fd12:3456::1")));
    assert!(!contains(net("fd00::/8"), ip("fe80::1")));
    assert!(!contains(net("::/0"), ip("10.0.0.1")), "families never mix");
    assert_eq!(parse_network("10.0.0.0/33"), None);
    assert_eq!(parse_network("::/129"), None);
}
