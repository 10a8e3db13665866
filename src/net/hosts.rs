//! Facts about internet hosts that several stages act on.

use crate::model::Host;

/// Domains whose hosts MaxCompute approves at once on the Projects page (seed 000, F02).
pub const AUTO_APPROVED: &[&str] = &[
    "aliyuncs.com",
    "aliyun.com",
    "amap.com",
    "dingtalk.com",
    "alicloudapi.com",
    "cainiao.com",
    "alicdn.com",
    "taobao.com",
    "alibaba.com",
    "alipaydev.com",
    "alibabadns.com",
];

/// Is a host under one of the auto-approved domains?
pub fn auto_approved(host: &Host) -> bool {
    match host {
        Host::Domain(d) => AUTO_APPROVED
            .iter()
            .any(|t| d == t || d.ends_with(&format!(".{t}"))),
        _ => false,
    }
}
