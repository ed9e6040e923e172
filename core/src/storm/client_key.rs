//! Which client a request counts toward in a rate limit, from its address.
//!
//! One IPv6 host is handed a whole /64 (often more), so keying by the full address gives it
//! 2^64 budgets: IPv6 addresses are keyed by their first `ipv6_prefix` bits (default 64, as
//! RFC 6177's end-site assignment). An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, how a
//! dual-stack socket shows an IPv4 client) is keyed as the IPv4 address it is. Anything that is
//! not an address (a user id, an API key) is its own key.

use std::net::{IpAddr, Ipv6Addr};

use crate::error::{FleetopsError, Result};

/// The IPv6 prefix length clients are keyed by when none is given.
pub const DEFAULT_IPV6_PREFIX: u32 = 64;

/// The rate-limit key of a client at `address`: IPv4 as written, IPv6 as `<network>/<prefix>`.
/// `INVALID_ARGUMENT` for a prefix outside 1..=128.
pub fn client_key(address: &str, ipv6_prefix: Option<u32>) -> Result<String> {
    let prefix = ipv6_prefix.unwrap_or(DEFAULT_IPV6_PREFIX);
    if !(1..=128).contains(&prefix) {
        return Err(FleetopsError::InvalidArgument(format!("ipv6 prefix /{prefix}: 1 to 128")));
    }
    // An IPv6 literal may carry a zone (`fe80::1%eth0`): the zone names the local link, not
    // the client.
    let bare = address.split('%').next().unwrap_or(address);
    Ok(match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let bits = u128::from(v6) & (u128::MAX << (128 - prefix));
                format!("{}/{prefix}", Ipv6Addr::from(bits))
            }
        },
        Err(_) => address.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_host_one_key() {
        let k = |a: &str| client_key(a, None).unwrap();
        assert_eq!(k("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(k("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(k("2001:db8:1:3::1"), k("2001:db8:1:2::1"));
        assert_eq!(k("::ffff:192.0.2.1"), "192.0.2.1");
        assert_eq!(k("192.0.2.1"), "192.0.2.1");
        assert_eq!(k("fe80::1%eth0"), "fe80::/64");
        assert_eq!(k("user-42"), "user-42");
        assert_eq!(client_key("2001:db8:1:2::1", Some(48)).unwrap(), "2001:db8:1::/48");
        assert_eq!(client_key("2001:db8::1", Some(128)).unwrap(), "2001:db8::1/128");
        assert_eq!(client_key("::1", Some(0)).unwrap_err().code(), "INVALID_ARGUMENT");
    }
}
