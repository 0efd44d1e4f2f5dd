//! Whether a client IP may use a key: the range that matched, or the allowed range nearest to
//! it, so the agent can tell "wrong office" from "one digit off".

use ipnet::IpNet;
use std::net::IpAddr;

/// The verdict of an allowlist for one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpVerdict {
    /// The key has no allowlist: any address may use it.
    AnyAddress,
    Allowed {
        matched: IpNet,
    },
    /// No range matched; `nearest` shares the longest prefix with the address (none when every
    /// range is of the other IP family).
    Refused {
        nearest: Option<IpNet>,
        shared_bits: u8,
    },
}

impl IpVerdict {
    pub fn allowed(&self) -> bool {
        !matches!(self, IpVerdict::Refused { .. })
    }
}

/// Checks `ip` against `allowed`; an empty list allows every address.
pub fn check(allowed: &[IpNet], ip: IpAddr) -> IpVerdict {
    if allowed.is_empty() {
        return IpVerdict::AnyAddress;
    }
    // A dual-stack load balancer logs IPv4 clients as `::ffff:203.0.113.7`: that is the IPv4
    // address, and an IPv4 range must match it.
    let ip = ip.to_canonical();
    if let Some(net) = allowed.iter().find(|n| n.contains(&ip)) {
        return IpVerdict::Allowed { matched: *net };
    }
    let nearest = allowed
        .iter()
        .filter_map(|n| shared_prefix(n.network(), ip).map(|bits| (bits, *n)))
        // The first range wins a tie: the order of the allowlist is the admin's order.
        .fold(None, |best: Option<(u8, IpNet)>, (bits, n)| match best {
            Some((b, _)) if b >= bits => best,
            _ => Some((bits, n)),
        });
    IpVerdict::Refused {
        nearest: nearest.map(|(_, n)| n),
        shared_bits: nearest.map_or(0, |(b, _)| b),
    }
}

/// Whether our gateway can ever see `ip` as a caller's address: a private, loopback,
/// link-local or carrier-grade NAT address is one inside the customer's network (their
/// laptop, a pod, an `X-Forwarded-For` hop), never the egress address an allowlist is about.
pub fn reaches_us(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let cgnat = v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64;
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || cgnat)
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_unique_local()
                || v6.is_unicast_link_local())
        }
    }
}

/// How many leading bits two addresses of the same family share.
fn shared_prefix(a: IpAddr, b: IpAddr) -> Option<u8> {
    let bits = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a) ^ u32::from(b)).leading_zeros(),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a) ^ u128::from(b)).leading_zeros(),
        _ => return None,
    };
    // At most 128, so it fits.
    u8::try_from(bits).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn empty_allowlist_allows_any_address() {
        let v = check(&[], "198.51.100.7".parse().unwrap());
        assert_eq!(v, IpVerdict::AnyAddress);
        assert!(v.allowed());
    }

    #[test]
    fn address_inside_a_range_names_the_range() {
        let v = check(
            &nets(&["10.0.0.0/8", "203.0.113.0/24"]),
            "203.0.113.99".parse().unwrap(),
        );
        assert_eq!(
            v,
            IpVerdict::Allowed {
                matched: "203.0.113.0/24".parse().unwrap()
            }
        );
    }

    #[test]
    fn refused_address_names_the_nearest_range() {
        let v = check(
            &nets(&["10.0.0.0/8", "203.0.113.0/24", "2001:db8::/32"]),
            "203.0.114.9".parse().unwrap(),
        );
        assert_eq!(
            v,
            IpVerdict::Refused {
                nearest: Some("203.0.113.0/24".parse().unwrap()),
                shared_bits: 22
            }
        );
        assert!(!v.allowed());
    }

    #[test]
    fn an_ipv4_mapped_address_matches_its_ipv4_range() {
        let v = check(
            &nets(&["203.0.113.0/24"]),
            "::ffff:203.0.113.40".parse().unwrap(),
        );
        assert_eq!(
            v,
            IpVerdict::Allowed {
                matched: "203.0.113.0/24".parse().unwrap()
            }
        );
    }

    #[test]
    fn internal_addresses_never_reach_the_gateway() {
        for internal in [
            "10.0.4.17",
            "192.168.1.20",
            "100.64.3.2",
            "127.0.0.1",
            "fd00::7",
        ] {
            assert!(!reaches_us(internal.parse().unwrap()), "{internal}");
        }
        for public in ["203.0.113.9", "2001:db8::1", "::ffff:198.51.100.4"] {
            assert!(reaches_us(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn other_family_only_has_no_nearest_range() {
        let v = check(&nets(&["2001:db8::/32"]), "192.0.2.1".parse().unwrap());
        assert_eq!(
            v,
            IpVerdict::Refused {
                nearest: None,
                shared_bits: 0
            }
        );
    }
}
