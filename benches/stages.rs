//! Per-stage benchmarks on generated projects (`netlink gen N`) of 1,000 and 10,000 VPCs.
//! Run with `cargo bench --bench stages`; `benches/scale.sh` times whole builds as processes.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use netlink::project::{add_bytes, Project};
use std::time::Duration;

fn sources(n: usize) -> Project {
    let mut p = Project::default();
    add_bytes(
        &mut p,
        "gen.netlink".into(),
        netlink::gen::project(n).into_bytes(),
    );
    p
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("stages");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(1));
    for n in [1_000usize, 10_000] {
        let project = sources(n);
        let bytes: u64 = project
            .sources
            .iter()
            .map(|(_, f)| f.text.len() as u64)
            .sum();
        group.throughput(Throughput::Bytes(bytes));
        let (files, _) = netlink::parse(&project.sources);
        let (symbols, _) = netlink::resolve(&files);
        let (model, _) = netlink::lower(files.clone(), &symbols);
        let model = model.expect("generated projects lower");
        let net = netlink::analyse(&model);
        let plan = netlink::plan(&model, &net).expect("generated projects plan");
        group.bench_with_input(BenchmarkId::new("parse", n), &n, |b, _| {
            b.iter(|| netlink::parse(&project.sources))
        });
        group.bench_with_input(BenchmarkId::new("resolve", n), &n, |b, _| {
            b.iter(|| netlink::resolve(&files))
        });
        group.bench_with_input(BenchmarkId::new("lower", n), &n, |b, _| {
            // Lowering consumes the syntax tree: each run gets a fresh copy, not timed.
            b.iter_batched(
                || files.clone(),
                |tree| netlink::lower(tree, &symbols),
                BatchSize::LargeInput,
            )
        });
        group.bench_with_input(BenchmarkId::new("analyse", n), &n, |b, _| {
            b.iter(|| netlink::analyse(&model))
        });
        group.bench_with_input(BenchmarkId::new("check", n), &n, |b, _| {
            b.iter(|| netlink::check(&model, &net))
        });
        group.bench_with_input(BenchmarkId::new("plan", n), &n, |b, _| {
            b.iter(|| netlink::plan(&model, &net))
        });
        group.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| netlink::verify(&model, &net, &plan))
        });
        let (proofs, _) = netlink::verify(&model, &net, &plan);
        group.bench_with_input(BenchmarkId::new("emit", n), &n, |b, _| {
            b.iter(|| netlink::emit::artifacts(&model, &plan, &proofs, &project.sources))
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
