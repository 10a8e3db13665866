//! The registry of diagnostic codes. Codes are stable: never renumber, never reuse.
//!
//! Ranges: `NL0xxx` syntax, `NL1xxx` names and schema, `NL2xxx` addresses and ports,
//! `NL30xx` MaxCompute, `NL31xx` DataWorks and paths, `NL32xx` CEN, peering and EMR, `NL4xxx`
//! the plan, `NL5xxx` verification, `NL6xxx` acknowledging (allow comments, `netlink.toml`).

use super::Severity;
use std::fmt;

/// A stable diagnostic code such as `NL2002`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(&'static str);

/// What the registry knows about a code.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    /// The code itself.
    pub code: Code,
    /// A short kebab-case name (used as the SARIF rule name).
    pub name: &'static str,
    /// The severity diagnostics with this code carry.
    pub severity: Severity,
    /// One line saying what the code means.
    pub summary: &'static str,
}

impl Code {
    /// The code as text.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The registry entry of this code.
    pub fn info(self) -> &'static CodeInfo {
        // Invariant: every `Code` value is created by the `codes!` macro below, which also puts
        // it in `ALL_CODES`; the fallback is only reached if that invariant is broken.
        ALL_CODES
            .iter()
            .find(|c| c.code.0 == self.0)
            .unwrap_or(&ALL_CODES[0])
    }

    /// Look a code up by its text (`NL2002`, case-insensitive).
    pub fn parse(text: &str) -> Option<Code> {
        ALL_CODES
            .iter()
            .find(|c| c.code.0.eq_ignore_ascii_case(text.trim()))
            .map(|c| c.code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

macro_rules! codes {
    ($($konst:ident = $code:literal, $name:literal, $sev:ident, $summary:literal;)*) => {
        impl Code {
            $(
                #[doc = $summary]
                pub const $konst: Code = Code($code);
            )*
        }
        /// Every code, in numeric order.
        pub static ALL_CODES: &[CodeInfo] = &[
            $(CodeInfo { code: Code($code), name: $name, severity: Severity::$sev, summary: $summary },)*
        ];
    };
}

codes! {
    SYNTAX = "NL0001", "syntax-error", Error, "the text does not follow the netlink grammar";
    UNCLOSED_BLOCK = "NL0002", "unclosed-block", Error, "a block's `{` is never closed";
    INVALID_UTF8 = "NL0003", "invalid-utf8", Error, "a source file is not valid UTF-8";
    TOO_DEEP = "NL0004", "nesting-too-deep", Error, "blocks are nested deeper than netlink allows";
    BAD_ESCAPE = "NL0005", "invalid-escape", Error, "a string contains an unknown escape sequence";
    FILE_TOO_LARGE = "NL0006", "file-too-large", Error, "a source file is larger than netlink reads";
    TOO_LONG = "NL0007", "too-long", Error, "a name or string is longer than netlink accepts";
    SECRET = "NL0008", "secret-in-source", Error, "an AccessKey id or secret is written in a source file";
    NOT_A_FILE = "NL0009", "not-a-regular-file", Error, "a project path is a FIFO, device, socket or other file that is not a regular file";
    LINK_OUTSIDE = "NL0010", "link-outside-project", Error, "a symbolic link in a project directory leads outside that directory";
    TOO_MANY_DIAGNOSTICS = "NL0011", "too-many-diagnostics", Error, "a file has more diagnostics than netlink shows (the first 1,000)";
    HIDDEN_TEXT = "NL0012", "hidden-text", Warning, "a bidirectional control character or a lone carriage return makes the text show differently from how it parses";

    UNKNOWN_REFERENCE = "NL1001", "unknown-reference", Error, "a reference names nothing that is declared";
    DUPLICATE_NAME = "NL1002", "duplicate-name", Error, "two declarations share one name";
    WRONG_KIND = "NL1003", "wrong-kind", Error, "a reference names a declaration of the wrong kind";
    OUTSIDE_ITS_VPC = "NL1004", "outside-its-vpc", Error, "a vSwitch or security group is used outside the VPC it belongs to";
    UNKNOWN_BLOCK = "NL1005", "unknown-block", Error, "a block of a kind netlink does not know";
    MISPLACED_BLOCK = "NL1006", "misplaced-block", Error, "a block kind that is not allowed at this place";
    BLOCK_NAME = "NL1007", "block-name", Error, "a block lacks its name, or has one where none is allowed";
    UNKNOWN_ATTRIBUTE = "NL1008", "unknown-attribute", Error, "an attribute this block does not take";
    DUPLICATE_ATTRIBUTE = "NL1009", "duplicate-attribute", Error, "an attribute is given twice in one block";
    MISSING_ATTRIBUTE = "NL1010", "missing-attribute", Error, "a required attribute is missing";
    WRONG_TYPE = "NL1011", "wrong-type", Error, "a value of the wrong type (a string where a CIDR is expected, ...)";
    UNKNOWN_VALUE = "NL1012", "unknown-value", Error, "a word that is not one of the values the attribute takes";
    NUMBER_TOO_LARGE = "NL1013", "number-too-large", Error, "a number does not fit";
    BAD_UID = "NL1014", "invalid-uid", Error, "an account UID that is not 16 digits";
    BAD_RESOURCE_ID = "NL1015", "invalid-resource-id", Warning, "an existing resource id with the wrong prefix for its kind";
    BAD_RAM_ROLE = "NL1016", "invalid-ram-role-name", Error, "a `ram_role` that is not a RAM role name";
    EXCLUSIVE_ATTRIBUTES = "NL1017", "exclusive-attributes", Error, "a block gives two attributes of which it takes one (`idc` and `peer_vpc`)";

    INVALID_ADDRESS = "NL2001", "invalid-address", Error, "an IPv4 address or CIDR block that is not valid";
    HOST_BITS = "NL2002", "host-bits-set", Error, "a CIDR block with host bits set";
    VSWITCH_OUTSIDE_VPC = "NL2003", "vswitch-outside-vpc-cidr", Error, "a vSwitch CIDR block outside its VPC's CIDR block";
    VSWITCH_OVERLAP = "NL2004", "vswitch-overlap", Error, "two vSwitches of one VPC overlap";
    JOINED_OVERLAP = "NL2005", "joined-networks-overlap", Error, "networks joined by a peering, CEN, Express Connect or VPN overlap";
    ZONE_REGION = "NL2006", "zone-not-in-region", Error, "a zone that does not belong to the VPC's region";
    PORT_RANGE = "NL2007", "port-out-of-range", Error, "a port outside 1-65535, or a range whose start exceeds its end";
    OPEN_WHITELIST = "NL2008", "whitelist-open-to-all", Warning, "a whitelist entry of `0.0.0.0/0` opens the target to every address";
    UNKNOWN_REGION = "NL2009", "unknown-region", Error, "a region id Alibaba Cloud does not have";
    PORT_NOT_SERVED = "NL2010", "port-not-served", Error, "a flow reaches a port its target does not serve";
    VPC_CIDR = "NL2011", "vpc-cidr-not-allowed", Error, "a VPC CIDR block Alibaba Cloud does not accept (mask outside /8-/28, or a reserved range)";
    VSWITCH_SIZE = "NL2012", "vswitch-cidr-size", Error, "a vSwitch CIDR block whose mask is outside /16-/29";
    REGION_NOT_LISTED = "NL2013", "region-not-in-table", Note, "a well-formed region id that netlink's region table does not list";

    LINK_NAME = "NL3001", "network-link-name", Error, "a network link name breaks MaxCompute's naming rule";
    MC_VPC_REGION = "NL3002", "maxcompute-vpc-region", Error, "a region without MaxCompute's VPC connection scheme";
    MC_VPC_ZONE = "NL3003", "maxcompute-vpc-zone", Error, "a zone without MaxCompute's VPC connection scheme";
    MC_INTERNET_REGION = "NL3004", "maxcompute-internet-region", Error, "a region without MaxCompute's internet access scheme";
    MC_ACCOUNT = "NL3005", "maxcompute-account-mismatch", Error, "a network link's VPC, project and target are not in one account";
    MC_SG_BASIC = "NL3006", "maxcompute-sg-not-basic", Error, "MaxCompute's security group is not a basic security group";
    IPV6_ACCESS = "NL3007", "ipv6-in-access-list", Error, "an IPv6 address in MaxCompute's internet access list";
    MISSING_PORT = "NL3008", "missing-port", Error, "an internet access entry without `:port`";
    NEEDS_APPLICATION = "NL3009", "host-needs-application", Note, "a host outside the auto-approved domains needs an application (about three business days)";
    ENI_IP_WHITELIST = "NL3010", "eni-ip-whitelisted", Warning, "a whitelist names a network link's ENI address instead of its vSwitch CIDR block";
    LINK_OTHER_VPC = "NL3011", "network-link-other-vpc", Error, "a network link reaches only its own VPC; the target is in another VPC with no connection";
    MAXCOMPUTE_WRITE = "NL3012", "maxcompute-write", Warning, "a MaxCompute flow writes to an external target; failover may rerun tasks and write twice";
    WRONG_ENDPOINT = "NL3013", "wrong-endpoint", Error, "a cloud service reached through an endpoint type the job kind cannot use";
    ENDPOINT_NOT_LISTED = "NL3014", "udf-endpoint-not-listed", Error, "a UDF reaches OSS or Tablestore but the public endpoint is not in the internet access list";
    NO_NETWORK_LINK = "NL3015", "no-network-link", Error, "a MaxCompute flow to a VPC target without a network link";
    HOST_NOT_LISTED = "NL3016", "host-not-listed", Error, "a MaxCompute flow to an internet host that the access list does not name";
    JOB_KIND = "NL3017", "job-kind-mismatch", Error, "a job kind the flow's compute does not run";
    SG_SHARED = "NL3018", "maxcompute-sg-shared", Warning, "MaxCompute's security group is also used by other resources";
    INTERNET_JOB = "NL3019", "job-not-in-internet-scheme", Error, "an external-table or lakehouse job to an internet host, which the internet scheme does not serve";
    JOB_TWO_LINKS = "NL3020", "job-needs-two-network-links", Error, "one job reaches targets through two network links, and a session sets one";

    CLASSIC_NETWORK = "NL3101", "classic-network-source", Error, "a data source on the classic network, which DataWorks resource groups and MaxCompute network links cannot reach";
    NO_NAT = "NL3102", "serverless-internet-no-nat", Error, "a serverless resource group reaches the internet without NAT gateway, EIP and SNAT entry";
    SYNC_OVER_INTERNET = "NL3103", "sync-over-internet", Warning, "data synchronization over the internet";
    NO_PATH = "NL3104", "no-network-path", Error, "compute and target are in different VPCs with nothing joining them";
    SG_EGRESS = "NL3105", "sg-missing-egress", Error, "an unmanaged security group has no outbound rule for a flow";
    SG_INGRESS = "NL3106", "sg-missing-ingress", Error, "an unmanaged security group has no inbound rule for a flow";
    RAM_ROLE = "NL3107", "cross-account-ram-role", Error, "a cross-account data source without the RAM role";
    EXCLUSIVE_NO_EIP = "NL3108", "exclusive-no-eip", Note, "an exclusive resource group reaches a whitelisting internet host, and its EIP is not declared";
    BINDING_ACCOUNT = "NL3109", "binding-account-mismatch", Error, "a resource group bound to a VPC of another account";
    VIA_MISMATCH = "NL3110", "via-does-not-join", Error, "a flow's `via` does not join the flow's two ends";
    ROUTE_NEXT_HOP = "NL3111", "route-next-hop-elsewhere", Error, "a route's next hop does not reach the route table's network";
    ROUTE_TWICE = "NL3112", "route-written-twice", Warning, "two route blocks write the same entry";
    ECS_NO_GROUP = "NL3113", "ecs-source-without-group", Warning, "a resource group reaches an ECS-hosted source whose security group is not declared";
    RG_VSWITCH_ATTACHMENT = "NL3114", "rg-vswitch-not-attached", Warning, "a resource group crosses a CEN whose attachment of its VPC leaves out its vSwitch";

    CEN_TWO_ZONES = "NL3201", "cen-two-zones", Error, "a CEN VPC attachment without two vSwitches in two zones";
    CEN_GRANT = "NL3202", "cen-cross-account-grant", Note, "a cross-account CEN attachment needs the VPC owner's grant first";
    CEN_INTER_REGION = "NL3203", "cen-inter-region", Note, "a CEN spanning regions needs inter-region connections";
    PEERING_LINK_TYPE = "NL3204", "peering-link-type", Warning, "a link type on a same-region peering, where it has no effect";
    PEERING_ACCEPT = "NL3205", "peering-accept-deadline", Note, "a cross-account peering must be accepted within 7 days by an account with CDT";
    EMR_PRIVATEZONE = "NL3206", "emr-privatezone-ticket", Note, "EMR endpoints from another VPC need a PrivateZone association by ticket";
    EMR_SG = "NL3207", "emr-sg-rules", Error, "an unmanaged EMR security group does not admit ICMP or the service ports";
    EMR_ENDPOINT = "NL3208", "emr-endpoint-format", Error, "an EMR node endpoint that does not match its cluster and region";
    PEERING_SELF = "NL3209", "peering-self", Error, "a peering whose requester and accepter are the same VPC";
    CEN_TWO_ROUTERS = "NL3210", "cen-duplicate-transit-router", Error, "two transit routers of one CEN in one region";
    CEN_VPC_TWICE = "NL3211", "cen-vpc-twice", Error, "a VPC attached twice to one CEN";
    CEN_ACCOUNT = "NL3212", "cen-outside-dataworks-account", Note, "a CEN the plan creates outside the account of the DataWorks resource groups that use it";
    EMR_NODE_ADDRESS = "NL3213", "emr-node-address", Warning, "a whitelist entry or rule names one address of an EMR cluster's vSwitch, which changes on scaling";

    PLAN_CYCLE = "NL4001", "plan-cycle", Error, "`after` orderings make the plan's steps wait for each other in a cycle";
    ROUTE_CONFLICT = "NL4002", "route-conflict", Error, "one route table would send one destination through two next hops";

    FLOW_UNPROVEN = "NL5001", "flow-unproven", Error, "a flow's packets do not reach its target once the plan is applied";
    FLOW_NO_RETURN = "NL5002", "flow-no-return", Error, "a flow's replies do not get back to its compute";
    UNUSED_ROUTE = "NL5003", "unused-route", Warning, "a written route that no flow uses";
    UNUSED_WHITELIST = "NL5004", "unused-whitelist", Warning, "a written whitelist entry that admits no flow";

    CONFIG_SYNTAX = "NL6001", "config-syntax", Error, "`netlink.toml` is not valid TOML";
    CONFIG_KEY = "NL6002", "config-unknown-key", Error, "`netlink.toml` has a table, key or value netlink does not know";
    UNKNOWN_CODE = "NL6003", "unknown-code", Warning, "an allow comment or `netlink.toml` names a code that does not exist";
    ERROR_NOT_ALLOWABLE = "NL6004", "error-not-allowable", Error, "an allow comment or `netlink.toml` tries to silence or soften an error";
    ALLOW_WITHOUT_REASON = "NL6005", "allow-without-reason", Error, "an allow comment gives no reason";
    UNUSED_ALLOW = "NL6006", "unused-allow", Warning, "an allow comment silences nothing";
    CONFIG_CONFLICT = "NL6007", "config-conflict", Error, "`netlink.toml` puts one code in two of `allow`, `warn` and `deny`";
}

#[cfg(test)]
mod tests {
    use super::ALL_CODES;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<&str> = ALL_CODES.iter().map(|c| c.code.as_str()).collect();
        let mut names: Vec<&str> = ALL_CODES.iter().map(|c| c.name).collect();
        codes.sort_unstable();
        names.sort_unstable();
        let dup = |v: &[&str]| {
            v.windows(2)
                .find(|w| w[0] == w[1])
                .map(|w| w[0].to_string())
        };
        assert_eq!(dup(&codes), None, "a code used twice");
        assert_eq!(dup(&names), None, "a name used twice");
    }
}
