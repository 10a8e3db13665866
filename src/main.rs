//! The `netlink` binary: parse arguments, run, exit with the command's status.

use clap::Parser;

fn main() {
    let cli = netlink::cli::Cli::parse();
    std::process::exit(netlink::cli::run(cli));
}

// Compiling allocates many small strings and vectors; mimalloc is markedly faster at that than
// the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
