//! Which of a set of address blocks holds a single address: one hash lookup per distinct prefix
//! length, so checking every whitelist entry and rule stays linear.

use ipnet::Ipv4Net;
use std::net::Ipv4Addr;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Blocks by (prefix length, network address), each with what it belongs to.
pub struct Blocks<T> {
    by_net: HashMap<(u8, Ipv4Addr), T>,
    lengths: Vec<u8>,
}

impl<T: Copy> Blocks<T> {
    /// Index the blocks; the first owner of a block wins.
    pub fn new(blocks: impl IntoIterator<Item = (Ipv4Net, T)>) -> Blocks<T> {
        let mut by_net = HashMap::default();
        let mut lengths = Vec::new();
        for (net, owner) in blocks {
            by_net
                .entry((net.prefix_len(), net.network()))
                .or_insert(owner);
            if !lengths.contains(&net.prefix_len()) {
                lengths.push(net.prefix_len());
            }
        }
        lengths.sort_unstable();
        Blocks { by_net, lengths }
    }

    /// The owner and block holding `addr`, the narrowest first considered in length order.
    pub fn holding(&self, addr: Ipv4Addr) -> Option<(T, Ipv4Net)> {
        self.lengths.iter().find_map(|len| {
            let net = Ipv4Net::new(addr, *len).ok()?.trunc();
            self.by_net.get(&(*len, net.network())).map(|o| (*o, net))
        })
    }
}
