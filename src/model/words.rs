//! The closed sets of words attributes take (`kind = serverless`, `type = basic`, ...).

use std::fmt;

/// A closed set of words, parsed with did-you-mean.
pub trait Keyword: Sized + Copy + 'static {
    /// Every word with its value.
    const WORDS: &'static [(&'static str, Self)];
    /// What the set is called in messages.
    const WHAT: &'static str;

    /// The word for a value.
    fn word(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::WORDS
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(w, _)| *w)
            .unwrap_or("")
    }
}

macro_rules! keyword {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $word:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant,)* }
        impl Keyword for $name {
            const WORDS: &'static [(&'static str, Self)] = &[$(($word, $name::$variant),)*];
            const WHAT: &'static str = $what;
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.word())
            }
        }
    };
}

keyword!(
    /// Basic groups allow all outbound traffic; advanced groups deny by default both ways.
    SgType, "security group type" {
        /// `basic`
        Basic = "basic",
        /// `advanced`
        Advanced = "advanced",
    }
);

keyword!(
    /// Rule direction.
    Direction, "direction" {
        /// Inbound.
        Ingress = "ingress",
        /// Outbound.
        Egress = "egress",
    }
);

keyword!(
    /// Rule protocol.
    Protocol, "protocol" {
        /// TCP.
        Tcp = "tcp",
        /// UDP.
        Udp = "udp",
        /// ICMP.
        Icmp = "icmp",
        /// All protocols.
        All = "all",
    }
);

keyword!(
    /// Rule action.
    Action, "action" {
        /// Allow.
        Allow = "allow",
        /// Deny.
        Deny = "deny",
    }
);

keyword!(
    /// RDS engine.
    Engine, "database engine" {
        /// MySQL.
        Mysql = "mysql",
        /// PostgreSQL.
        Postgresql = "postgresql",
        /// SQL Server.
        Sqlserver = "sqlserver",
        /// MariaDB.
        Mariadb = "mariadb",
    }
);

keyword!(
    /// How a target is reached at network level.
    NetworkType, "network type" {
        /// A VPC.
        Vpc = "vpc",
        /// The classic network (unsupported by DataWorks resource groups).
        Classic = "classic",
    }
);

keyword!(
    /// How a target admits clients.
    AccessControl, "access control" {
        /// An IP address whitelist.
        Whitelist = "whitelist",
        /// Security groups.
        SecurityGroup = "security_group",
    }
);

keyword!(
    /// Which endpoint of an Alibaba Cloud service a job uses.
    EndpointType, "endpoint type" {
        /// The internal (classic network) endpoint.
        Classic = "classic",
        /// The VPC endpoint.
        Vpc = "vpc",
        /// The public endpoint.
        Public = "public",
    }
);

keyword!(
    /// DataWorks resource group generation.
    RgKind, "resource group kind" {
        /// Serverless (general-purpose): no internet without a NAT gateway.
        Serverless = "serverless",
        /// Exclusive (old version): has an EIP of its own.
        Exclusive = "exclusive",
    }
);

keyword!(
    /// What runs a client of EMR.
    Runtime, "runtime" {
        /// An ECS instance.
        Ecs = "ecs",
        /// An ACK (Kubernetes) cluster.
        Ack = "ack",
    }
);

keyword!(
    /// MaxCompute network link type.
    LinkType, "network link type" {
        /// The only type: Passthrough.
        Passthrough = "passthrough",
    }
);

keyword!(
    /// Cross-region peering link type.
    PeeringLinkType, "peering link type" {
        /// Gold (the default).
        Gold = "gold",
        /// Platinum.
        Platinum = "platinum",
    }
);

keyword!(
    /// Who pays for a cross-account CEN attachment.
    Payer, "payer" {
        /// The peer (CEN owner) account, the console's default.
        Peer = "peer",
        /// The VPC owner.
        Owner = "owner",
    }
);

keyword!(
    /// Whether a flow only reads or also writes.
    Mode, "flow mode" {
        /// Read-only.
        Read = "read",
        /// Reads and writes.
        Write = "write",
    }
);

keyword!(
    /// Which kind of job uses a flow.
    JobKind, "job kind" {
        /// MaxCompute SQL.
        Sql = "sql",
        /// MaxCompute UDF.
        Udf = "udf",
        /// MaxCompute external table.
        ExternalTable = "external_table",
        /// MaxCompute lakehouse (external data source).
        Lakehouse = "lakehouse",
        /// MaxCompute Spark.
        Spark = "spark",
        /// MaxFrame.
        Maxframe = "maxframe",
        /// DataWorks data synchronization.
        DataSync = "data_sync",
    }
);

impl JobKind {
    /// Jobs that MaxCompute runs (everything but data sync).
    pub fn runs_on_maxcompute(self) -> bool {
        self != JobKind::DataSync
    }
}
