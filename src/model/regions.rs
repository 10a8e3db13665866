//! Alibaba Cloud regions and zones, and which MaxCompute connection schemes each supports.
//!
//! Source: seed 000 (MaxCompute network connection schemes, the newer edition), with region and
//! zone ids from `shared/domain-facts.md`. Where 001 differs (it listed `cn-chengdu` for the
//! internet scheme), 000 stands.

/// A region netlink knows.
#[derive(Clone, Copy, Debug)]
pub struct RegionInfo {
    /// The region id, e.g. `cn-hangzhou`.
    pub id: &'static str,
    /// The name in the seeds, e.g. `China (Hangzhou)`.
    pub name: &'static str,
    /// Zone letters supported by MaxCompute's VPC (network link) scheme; empty: not supported.
    pub maxcompute_vpc_zones: &'static [char],
    /// Supported by MaxCompute's internet access scheme.
    pub maxcompute_internet: bool,
}

const fn r(
    id: &'static str,
    name: &'static str,
    maxcompute_vpc_zones: &'static [char],
    maxcompute_internet: bool,
) -> RegionInfo {
    RegionInfo {
        id,
        name,
        maxcompute_vpc_zones,
        maxcompute_internet,
    }
}

/// Every region netlink accepts, sorted by id.
pub static REGIONS: &[RegionInfo] = &[
    r("ap-northeast-1", "Japan (Tokyo)", &['a', 'b'], true),
    r("ap-northeast-2", "South Korea (Seoul)", &[], false),
    r("ap-south-1", "India (Mumbai)", &[], false),
    r("ap-southeast-1", "Singapore", &['a', 'b', 'c'], true),
    r("ap-southeast-2", "Australia (Sydney)", &[], false),
    r(
        "ap-southeast-3",
        "Malaysia (Kuala Lumpur)",
        &['a', 'b'],
        true,
    ),
    r("ap-southeast-5", "Indonesia (Jakarta)", &['a', 'b'], true),
    r("ap-southeast-6", "Philippines (Manila)", &[], false),
    r("ap-southeast-7", "Thailand (Bangkok)", &[], false),
    r(
        "cn-beijing",
        "China (Beijing)",
        &['f', 'g', 'h', 'i', 'l'],
        true,
    ),
    r("cn-beijing-finance-1", "China North 2 Finance", &[], false),
    r("cn-chengdu", "China (Chengdu)", &[], false),
    r("cn-fuzhou", "China (Fuzhou)", &[], false),
    r("cn-guangzhou", "China (Guangzhou)", &[], false),
    r(
        "cn-hangzhou",
        "China (Hangzhou)",
        &['h', 'i', 'j', 'k'],
        true,
    ),
    r("cn-hangzhou-finance", "China East 1 Finance", &[], false),
    r("cn-heyuan", "China (Heyuan)", &[], false),
    r("cn-hongkong", "China (Hong Kong)", &['b', 'c'], true),
    r("cn-huhehaote", "China (Hohhot)", &[], false),
    r("cn-nanjing", "China (Nanjing)", &[], false),
    r("cn-qingdao", "China (Qingdao)", &[], false),
    r(
        "cn-shanghai",
        "China (Shanghai)",
        &['b', 'e', 'g', 'm', 'n'],
        true,
    ),
    r(
        "cn-shanghai-finance-1",
        "China East 2 Finance",
        &['f'],
        false,
    ),
    r(
        "cn-shenzhen",
        "China (Shenzhen)",
        &['c', 'd', 'e', 'f'],
        true,
    ),
    r("cn-shenzhen-finance-1", "China South 1 Finance", &[], false),
    r("cn-wuhan-lr", "China (Wuhan) Local Region", &[], false),
    r("cn-wulanchabu", "China (Ulanqab)", &['b', 'c'], true),
    r(
        "cn-zhangjiakou",
        "China (Zhangjiakou)",
        &['a', 'b', 'c'],
        true,
    ),
    r(
        "eu-central-1",
        "Germany (Frankfurt)",
        &['a', 'b', 'c'],
        true,
    ),
    r("eu-west-1", "UK (London)", &[], false),
    r("me-central-1", "Saudi Arabia (Riyadh)", &[], false),
    r("me-east-1", "UAE (Dubai)", &[], false),
    r("na-south-1", "Mexico", &[], false),
    r("us-east-1", "US (Virginia)", &['a', 'b'], true),
    r("us-west-1", "US (Silicon Valley)", &['a', 'b'], true),
];

/// Does `id` have the shape of an Alibaba Cloud region id: lowercase words and numbers joined
/// by single hyphens, starting with a two-letter area (`me-central-1`, `cn-wuhan-lr`)? A region
/// launched after this table was written still checks, with NL2013.
pub fn looks_like_region(id: &str) -> bool {
    let mut parts = id.split('-');
    let area_ok = parts
        .next()
        .is_some_and(|a| a.len() == 2 && a.bytes().all(|b| b.is_ascii_lowercase()));
    let rest: Vec<&str> = parts.collect();
    area_ok
        && !rest.is_empty()
        && rest.len() <= 4
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 12
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The region with this id.
pub fn region(id: &str) -> Option<&'static RegionInfo> {
    REGIONS
        .binary_search_by(|r| r.id.cmp(id))
        .ok()
        .map(|i| &REGIONS[i])
}

/// The zone letter of `zone` if it belongs to `region`: `cn-hangzhou-h` → `h`,
/// `ap-southeast-1a` → `a`, `cn-shanghai-finance-1f` → `f`.
pub fn zone_letter(region: &str, zone: &str) -> Option<char> {
    let letter = zone.chars().last()?;
    (letter.is_ascii_lowercase() && zone_id(region, letter) == zone).then_some(letter)
}

/// The region a zone id seems to belong to (`cn-hangzhou-h` → `cn-hangzhou`), for hints.
pub fn region_of_zone(zone: &str) -> Option<&'static RegionInfo> {
    REGIONS
        .iter()
        .filter(|r| zone_letter(r.id, zone).is_some())
        .max_by_key(|r| r.id.len())
}

/// The MaxCompute VPC-scheme zone ids of a region, for help lines.
pub fn vpc_scheme_zones(info: &RegionInfo) -> Vec<String> {
    info.maxcompute_vpc_zones
        .iter()
        .map(|c| zone_id(info.id, *c))
        .collect()
}

/// Build a zone id from a region and a letter, the way Alibaba Cloud spells it.
pub fn zone_id(region: &str, letter: char) -> String {
    if region.starts_with("cn-") && !region.ends_with(|c: char| c.is_ascii_digit()) {
        format!("{region}-{letter}")
    } else {
        format!("{region}{letter}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_sorted_for_binary_search() {
        assert!(REGIONS.windows(2).all(|w| w[0].id < w[1].id));
    }

    #[test]
    fn zone_letters() {
        assert_eq!(zone_letter("cn-hangzhou", "cn-hangzhou-h"), Some('h'));
        assert_eq!(zone_letter("ap-southeast-1", "ap-southeast-1a"), Some('a'));
        assert_eq!(
            zone_letter("cn-shanghai-finance-1", "cn-shanghai-finance-1f"),
            Some('f')
        );
        assert_eq!(zone_letter("cn-hangzhou", "cn-shanghai-e"), None);
        assert_eq!(zone_letter("cn-hangzhou", "cn-hangzhou-hh"), None);
        assert_eq!(zone_letter("cn-hangzhou", "cn-hangzhouh"), None);
        assert_eq!(zone_letter("ap-northeast-1", "ap-northeast-1-a"), None);
        assert_eq!(zone_id("cn-hangzhou", 'h'), "cn-hangzhou-h");
        assert_eq!(zone_id("ap-northeast-1", 'a'), "ap-northeast-1a");
        assert_eq!(
            zone_id("cn-shanghai-finance-1", 'f'),
            "cn-shanghai-finance-1f"
        );
    }

    #[test]
    fn region_shapes() {
        for id in [
            "me-central-1",
            "cn-wuhan-lr",
            "na-south-1",
            "cn-north-2-gov-1",
            "xx-new-9",
        ] {
            assert!(looks_like_region(id), "{id}");
        }
        for id in [
            "",
            "cn",
            "cn-",
            "cn--x",
            "CN-hangzhou",
            "china-east",
            "cn-hang zhou",
            "c-x",
        ] {
            assert!(!looks_like_region(id), "{id}");
        }
    }

    #[test]
    fn seed_000_drops_chengdu_from_internet_scheme() {
        assert!(!region("cn-chengdu")
            .map(|r| r.maxcompute_internet)
            .unwrap_or(true));
        assert!(region("cn-hangzhou")
            .map(|r| r.maxcompute_internet)
            .unwrap_or(false));
    }
}
