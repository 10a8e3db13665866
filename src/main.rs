//! The `netlink` binary: parse arguments, run, exit with the command's status.

use clap::Parser;

fn main() {
    let cli = netlink::cli::Cli::parse();
    std::process::exit(netlink::cli::run(cli));
}
