//! Plan steps: one console action each, with who does it, where, and with which values.

use crate::model::{AccountId, BlockRef};
use crate::source::Span;
use std::fmt;

/// The console (or channel) a step is done in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Console {
    /// MaxCompute console.
    MaxCompute,
    /// VPC console.
    Vpc,
    /// ECS console (security groups).
    Ecs,
    /// Cloud Enterprise Network console.
    Cen,
    /// DataWorks console.
    DataWorks,
    /// RDS console.
    Rds,
    /// The target's own console (HBase, EMR, ...), for whitelists.
    Target,
    /// RAM console.
    Ram,
    /// Express Connect console.
    ExpressConnect,
    /// VPN gateway console.
    VpnGateway,
    /// A support ticket.
    Ticket,
    /// Outside Alibaba Cloud: the data centre's own devices.
    OnPremises,
}

impl Console {
    /// The name in artifacts.
    pub fn as_str(self) -> &'static str {
        match self {
            Console::MaxCompute => "MaxCompute",
            Console::Vpc => "VPC",
            Console::Ecs => "ECS",
            Console::Cen => "CEN",
            Console::DataWorks => "DataWorks",
            Console::Rds => "RDS",
            Console::Target => "target",
            Console::Ram => "RAM",
            Console::ExpressConnect => "Express Connect",
            Console::VpnGateway => "VPN Gateway",
            Console::Ticket => "ticket",
            Console::OnPremises => "on-premises",
        }
    }
}

impl fmt::Display for Console {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a step waits on people outside the one doing the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manual {
    /// `ticket`, `application`, `acceptance`, `on-premises`.
    pub kind: &'static str,
    /// How long it usually takes (`about 3 business days`).
    pub lead_time: Option<&'static str>,
    /// A deadline after which it fails (`7 days after the request`).
    pub deadline: Option<&'static str>,
}

/// A value to enter in a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    /// Known now.
    Text(String),
    /// Known now: several items.
    List(Vec<String>),
    /// Known only after another step runs (Terraform's "known after apply").
    Output {
        /// The producing step's id.
        step: String,
        /// Which output (`id`, `eip`, ...).
        output: &'static str,
    },
}

impl Val {
    /// A text value.
    pub fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }
}

/// One step of the plan.
#[derive(Clone, Debug)]
pub struct Step {
    /// Stable id derived from names (`peering.a_to_b.accept`).
    pub id: String,
    /// A line for people.
    pub title: String,
    /// What kind of action (`create-peering`, `add-route`, ...).
    pub action: &'static str,
    /// Who logs in (`None`: someone outside Alibaba Cloud, e.g. the data centre's network team).
    pub account: Option<AccountId>,
    /// Region the console is switched to.
    pub region: Option<String>,
    /// Which console.
    pub console: Console,
    /// The console path, as the documents write it.
    pub path: std::borrow::Cow<'static, str>,
    /// Values to enter, in the order the console asks for them.
    pub values: Vec<(&'static str, Val)>,
    /// Waiting on a ticket, an application, an acceptance or on-premises work.
    pub manual: Option<Manual>,
    /// The block that asked for the step.
    pub origin: BlockRef,
    /// Where that block (or the part of it) is written.
    pub span: Span,
}
