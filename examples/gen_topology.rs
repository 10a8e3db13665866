//! gen_topology: write a valid generated netlink project to stdout — N VPCs over several accounts
//! and regions, four vSwitches each, peerings and CEN attachments joining them, resource groups,
//! MaxCompute network links, data sources, flows, explicit routes and whitelists — that checks
//! clean with every flow proven. The same generator as the hidden `netlink gen N [--seed S]`;
//! see `src/gen.rs` for the layout and what the seed varies.
//!
//! ```sh
//! cargo run --release --example gen_topology -- --vpcs 1000 > big.netlink
//! cargo run --release --example gen_topology -- --vpcs 1000 --seed 7 > varied.netlink
//! netlink check varied.netlink                # clean, every flow proven
//! cargo run --release --example gen_topology -- --vpcs 100000 --split out/   # files of ≤ 5 MiB
//! ```
//!
//! Seed 0 (the default) is the fixed layout the benchmarks use; any other seed varies regions,
//! accounts, zones, service ports and block order, deterministically.

use clap::Parser;
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "gen_topology",
    about = "Write a valid generated netlink project of N VPCs to stdout"
)]
struct Args {
    /// How many VPCs.
    #[arg(long)]
    vpcs: usize,
    /// Vary the project deterministically; 0 is the fixed layout the benchmarks use.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write files of at most 5 MiB into this directory instead of one stream to stdout.
    #[arg(long)]
    split: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    match args.split {
        None => {
            let text = netlink::gen::project_seeded(args.vpcs, args.seed);
            // A closed pipe (`| head`) is not worth a panic.
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
        Some(dir) => match netlink::gen::write_split(args.vpcs, args.seed, &dir) {
            Ok(files) => eprintln!("wrote {files} files to `{}`", dir.display()),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        },
    }
}
