//! A picture of the plan or the network, drawn once and rendered as Graphviz dot or Mermaid:
//! nested clusters holding nodes, and edges between nodes or whole clusters. Every label is
//! escaped by the renderer for its language ([`text::dot_lines`], [`text::mermaid`]); ids are
//! netlink's own (`n0`, `c3`, …), so no user string is ever an id.

use crate::text;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A rounded box (a step, a vSwitch member).
    Box,
    /// A database (a data source).
    Cylinder,
    /// A compute (MaxCompute project, resource group, client).
    Component,
    /// A hub (a CEN instance).
    Circle,
}

/// How an edge is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// A plain line.
    Solid,
    /// A flow: dashed.
    Dashed,
    /// A connection between networks: thick.
    Thick,
}

/// One node.
#[derive(Clone, Debug)]
pub struct Node {
    /// Its lines of text.
    pub label: Vec<String>,
    /// Its shape.
    pub shape: Shape,
    /// Drawn in this colour (a manual step, a step on a cycle).
    pub color: Option<&'static str>,
    /// Names that select it with `--focus` (the block or flow it belongs to).
    pub names: Vec<String>,
}

/// A box around nodes and smaller boxes.
#[derive(Clone, Debug, Default)]
pub struct Cluster {
    /// Its title.
    pub label: String,
    /// Dashed border (a region).
    pub dashed: bool,
    /// The nodes directly inside (indices into [`Picture::nodes`]).
    pub nodes: Vec<usize>,
    /// The clusters directly inside (indices into [`Picture::clusters`]).
    pub clusters: Vec<usize>,
    /// Names that select it with `--focus`.
    pub names: Vec<String>,
}

/// One end of an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    /// A node.
    Node(usize),
    /// A whole cluster (dot clips the edge at its border).
    Cluster(usize),
}

/// One edge.
#[derive(Clone, Debug)]
pub struct Edge {
    /// Where it starts.
    pub from: End,
    /// Where it ends.
    pub to: End,
    /// An arrow (a flow, a dependency), or a plain line (a connection).
    pub directed: bool,
    /// Its text.
    pub label: Option<String>,
    /// How it is drawn.
    pub line: Line,
    /// Its colour.
    pub color: Option<&'static str>,
    /// Names that select it with `--focus`.
    pub names: Vec<String>,
}

/// The picture.
#[derive(Clone, Debug, Default)]
pub struct Picture {
    /// Its name in dot (`plan`, `topology`).
    pub name: &'static str,
    /// Every node.
    pub nodes: Vec<Node>,
    /// Every cluster.
    pub clusters: Vec<Cluster>,
    /// The clusters at the top.
    pub roots: Vec<usize>,
    /// Nodes at the top, outside every cluster.
    pub loose: Vec<usize>,
    /// Every edge.
    pub edges: Vec<Edge>,
    /// Groups of nodes drawn in one rank (the waves of the step graph).
    pub ranks: Vec<Vec<usize>>,
}

impl Picture {
    /// A new empty picture.
    pub fn new(name: &'static str) -> Picture {
        Picture {
            name,
            ..Picture::default()
        }
    }

    /// Add a node, inside `cluster` or at the top.
    pub fn node(&mut self, cluster: Option<usize>, node: Node) -> usize {
        let i = self.nodes.len();
        self.nodes.push(node);
        match cluster {
            Some(c) => self.clusters[c].nodes.push(i),
            None => self.loose.push(i),
        }
        i
    }

    /// Add a cluster, inside `parent` or at the top.
    pub fn cluster(&mut self, parent: Option<usize>, cluster: Cluster) -> usize {
        let i = self.clusters.len();
        self.clusters.push(cluster);
        match parent {
            Some(p) => self.clusters[p].clusters.push(i),
            None => self.roots.push(i),
        }
        i
    }

    /// Keep only what `name` selects and its neighbourhood: the selected nodes, clusters and
    /// edges, every edge touching one of them (or a cluster around a selected node), the other
    /// ends of those edges, and the clusters around everything kept. `None` when nothing is
    /// called `name`.
    pub fn focus(&self, name: &str) -> Option<Picture> {
        let mut parent_of_node = vec![None; self.nodes.len()];
        let mut parent_of_cluster = vec![None; self.clusters.len()];
        for (c, cl) in self.clusters.iter().enumerate() {
            for &n in &cl.nodes {
                parent_of_node[n] = Some(c);
            }
            for &k in &cl.clusters {
                parent_of_cluster[k] = Some(c);
            }
        }
        let ancestors = |mut c: Option<usize>| {
            let mut out = Vec::new();
            while let Some(x) = c {
                out.push(x);
                c = parent_of_cluster[x];
            }
            out
        };
        let selected = |names: &[String]| names.iter().any(|n| n == name);
        let mut seeds: BTreeSet<End> = BTreeSet::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if selected(&n.names) {
                seeds.insert(End::Node(i));
            }
        }
        for (i, c) in self.clusters.iter().enumerate() {
            if selected(&c.names) {
                seeds.insert(End::Cluster(i));
            }
        }
        let mut edges: Vec<usize> = Vec::new();
        for (i, e) in self.edges.iter().enumerate() {
            if selected(&e.names) {
                seeds.insert(e.from);
                seeds.insert(e.to);
                edges.push(i);
            }
        }
        if seeds.is_empty() {
            return None;
        }
        // A selected node's clusters count as selected for the edges that touch them.
        let mut touching = seeds.clone();
        for s in &seeds {
            let up = match *s {
                End::Node(n) => ancestors(parent_of_node[n]),
                End::Cluster(c) => ancestors(parent_of_cluster[c]),
            };
            touching.extend(up.into_iter().map(End::Cluster));
        }
        let mut kept = seeds.clone();
        for (i, e) in self.edges.iter().enumerate() {
            if touching.contains(&e.from) || touching.contains(&e.to) {
                kept.insert(e.from);
                kept.insert(e.to);
                edges.push(i);
            }
        }
        edges.sort_unstable();
        edges.dedup();
        // Keep the nodes and clusters named, and every cluster around them.
        let mut keep_node = vec![false; self.nodes.len()];
        let mut keep_cluster = vec![false; self.clusters.len()];
        for k in &kept {
            let up = match *k {
                End::Node(n) => {
                    keep_node[n] = true;
                    ancestors(parent_of_node[n])
                }
                End::Cluster(c) => ancestors(Some(c)),
            };
            for c in up {
                keep_cluster[c] = true;
            }
        }
        // A kept cluster that an edge ends at keeps its own members, so the edge has a place.
        for k in &kept {
            if let End::Cluster(c) = *k {
                for &n in &self.clusters[c].nodes {
                    keep_node[n] = true;
                }
            }
        }
        let mut out = Picture::new(self.name);
        let mut node_map: BTreeMap<usize, usize> = BTreeMap::new();
        let mut cluster_map: BTreeMap<usize, usize> = BTreeMap::new();
        fn copy(
            from: &Picture,
            to: &mut Picture,
            c: usize,
            parent: Option<usize>,
            keep: (&[bool], &[bool]),
            maps: (&mut BTreeMap<usize, usize>, &mut BTreeMap<usize, usize>),
        ) {
            let (keep_node, keep_cluster) = keep;
            let (node_map, cluster_map) = maps;
            let src = &from.clusters[c];
            let nc = to.cluster(
                parent,
                Cluster {
                    label: src.label.clone(),
                    dashed: src.dashed,
                    names: src.names.clone(),
                    ..Cluster::default()
                },
            );
            cluster_map.insert(c, nc);
            for &n in &src.nodes {
                if keep_node[n] {
                    let nn = to.node(Some(nc), from.nodes[n].clone());
                    node_map.insert(n, nn);
                }
            }
            for &k in &src.clusters {
                if keep_cluster[k] {
                    copy(
                        from,
                        to,
                        k,
                        Some(nc),
                        (keep_node, keep_cluster),
                        (node_map, cluster_map),
                    );
                }
            }
        }
        for &r in &self.roots {
            if keep_cluster[r] {
                copy(
                    self,
                    &mut out,
                    r,
                    None,
                    (&keep_node, &keep_cluster),
                    (&mut node_map, &mut cluster_map),
                );
            }
        }
        for &n in &self.loose {
            if keep_node[n] {
                let nn = out.node(None, self.nodes[n].clone());
                node_map.insert(n, nn);
            }
        }
        let map = |e: End| match e {
            End::Node(n) => node_map.get(&n).map(|&x| End::Node(x)),
            End::Cluster(c) => cluster_map.get(&c).map(|&x| End::Cluster(x)),
        };
        for i in edges {
            let e = &self.edges[i];
            if let (Some(from), Some(to)) = (map(e.from), map(e.to)) {
                out.edges.push(Edge {
                    from,
                    to,
                    ..e.clone()
                });
            }
        }
        for rank in &self.ranks {
            let r: Vec<usize> = rank
                .iter()
                .filter_map(|n| node_map.get(n).copied())
                .collect();
            if !r.is_empty() {
                out.ranks.push(r);
            }
        }
        Some(out)
    }

    /// How many nodes and clusters the picture has (what "small" means for the PR comment).
    pub fn size(&self) -> usize {
        self.nodes.len() + self.clusters.len()
    }

    /// A node inside a cluster, for dot to anchor an edge that ends at the cluster; `None` for a
    /// cluster with no node at any depth.
    fn anchor(&self, c: usize) -> Option<usize> {
        let cl = &self.clusters[c];
        cl.nodes
            .first()
            .copied()
            .or_else(|| cl.clusters.iter().find_map(|&k| self.anchor(k)))
    }

    /// As Graphviz dot. Edges that end at a cluster are drawn to a node inside it and clipped at
    /// its border (`compound=true`, `lhead`/`ltail`); waves share a rank across clusters
    /// (`newrank=true`).
    pub fn dot(&self, directed: bool, rankdir: &str) -> String {
        let (kind, arrow) = if directed {
            ("digraph", "->")
        } else {
            ("graph", "--")
        };
        let mut out = format!(
            "{kind} {} {{\n  compound=true;\n  newrank=true;\n  rankdir={rankdir};\n  graph [fontname=\"Helvetica\"];\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
            self.name
        );
        // Clusters with nothing inside get a point to hold their place.
        let mut placeholders: BTreeMap<usize, String> = BTreeMap::new();
        for &r in &self.roots {
            self.dot_cluster(&mut out, r, 1, &mut placeholders);
        }
        for &n in &self.loose {
            self.dot_node(&mut out, n, 1);
        }
        for rank in &self.ranks {
            let ids: Vec<String> = rank.iter().map(|n| format!("n{n}")).collect();
            let _ = writeln!(out, "  {{ rank=same; {}; }}", ids.join("; "));
        }
        for e in &self.edges {
            let mut attrs: Vec<String> = Vec::new();
            let end = |x: End, attr: &str, attrs: &mut Vec<String>| match x {
                End::Node(n) => format!("n{n}"),
                End::Cluster(c) => {
                    attrs.push(format!("{attr}=cluster_{c}"));
                    match self.anchor(c) {
                        Some(n) => format!("n{n}"),
                        None => placeholders
                            .get(&c)
                            .cloned()
                            .unwrap_or_else(|| format!("p{c}")),
                    }
                }
            };
            let from = end(e.from, "ltail", &mut attrs);
            let to = end(e.to, "lhead", &mut attrs);
            if let Some(l) = &e.label {
                attrs.push(format!("label={}", text::dot(l)));
            }
            match e.line {
                Line::Solid => {}
                Line::Dashed => attrs.push("style=dashed".into()),
                Line::Thick => attrs.push("penwidth=2".into()),
            }
            if let Some(c) = e.color {
                attrs.push(format!("color={c}, fontcolor={c}"));
            }
            if directed && !e.directed {
                attrs.push("dir=none".into());
            }
            if !directed && e.directed {
                attrs.push("dir=forward".into());
            }
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            let _ = writeln!(out, "  {from} {arrow} {to}{attrs};");
        }
        out.push_str("}\n");
        out
    }

    fn dot_node(&self, out: &mut String, n: usize, depth: usize) {
        let node = &self.nodes[n];
        let pad = "  ".repeat(depth);
        let shape = match node.shape {
            Shape::Box => "box, style=rounded",
            Shape::Cylinder => "cylinder",
            Shape::Component => "component",
            Shape::Circle => "doublecircle",
        };
        let lines: Vec<&str> = node.label.iter().map(String::as_str).collect();
        let color = node
            .color
            .map(|c| format!(", color={c}, fontcolor={c}, penwidth=2"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{pad}n{n} [shape={shape}, label={}{color}];",
            text::dot_lines(&lines)
        );
    }

    fn dot_cluster(
        &self,
        out: &mut String,
        c: usize,
        depth: usize,
        placeholders: &mut BTreeMap<usize, String>,
    ) {
        let cl = &self.clusters[c];
        let pad = "  ".repeat(depth);
        let style = if cl.dashed { "dashed" } else { "rounded" };
        let _ = writeln!(
            out,
            "{pad}subgraph cluster_{c} {{\n{pad}  label={};\n{pad}  style={style};",
            text::dot(&cl.label)
        );
        for &n in &cl.nodes {
            self.dot_node(out, n, depth + 1);
        }
        for &k in &cl.clusters {
            self.dot_cluster(out, k, depth + 1, placeholders);
        }
        if self.anchor(c).is_none() {
            let id = format!("p{c}");
            let _ = writeln!(out, "{pad}  {id} [shape=point, style=invis];");
            placeholders.insert(c, id);
        }
        let _ = writeln!(out, "{pad}}}");
    }

    /// As a Mermaid flowchart (GitHub renders it inside a comment). Labels are written with
    /// Mermaid's `#code;` entities for every character outside a small safe set.
    pub fn mermaid(&self, direction: &str) -> String {
        let mut out = format!("flowchart {direction}\n");
        for &r in &self.roots {
            self.mermaid_cluster(&mut out, r, 1);
        }
        for &n in &self.loose {
            self.mermaid_node(&mut out, n, 1);
        }
        for e in &self.edges {
            let id = |x: End| match x {
                End::Node(n) => format!("n{n}"),
                End::Cluster(c) => format!("c{c}"),
            };
            let (from, to) = (id(e.from), id(e.to));
            let link = match (e.line, e.directed) {
                (Line::Dashed, true) => "-.->",
                (Line::Dashed, false) => "-.-",
                (Line::Thick, true) => "==>",
                (Line::Thick, false) => "===",
                (Line::Solid, true) => "-->",
                (Line::Solid, false) => "---",
            };
            match &e.label {
                Some(l) => {
                    let _ = writeln!(out, "  {from} {link}|\"{}\"| {to}", text::mermaid(l));
                }
                None => {
                    let _ = writeln!(out, "  {from} {link} {to}");
                }
            }
        }
        for (n, node) in self.nodes.iter().enumerate() {
            if let Some(c) = node.color {
                let _ = writeln!(out, "  style n{n} stroke:{c},stroke-width:2px");
            }
        }
        out
    }

    fn mermaid_node(&self, out: &mut String, n: usize, depth: usize) {
        let node = &self.nodes[n];
        let pad = "  ".repeat(depth);
        let label = node
            .label
            .iter()
            .map(|l| text::mermaid(l))
            .collect::<Vec<_>>()
            .join("<br>");
        let (open, close) = match node.shape {
            Shape::Box => ("(\"", "\")"),
            Shape::Cylinder => ("[(\"", "\")]"),
            Shape::Component => ("[[\"", "\"]]"),
            Shape::Circle => ("((\"", "\"))"),
        };
        let _ = writeln!(out, "{pad}n{n}{open}{label}{close}");
    }

    fn mermaid_cluster(&self, out: &mut String, c: usize, depth: usize) {
        let cl = &self.clusters[c];
        let pad = "  ".repeat(depth);
        let _ = writeln!(out, "{pad}subgraph c{c} [\"{}\"]", text::mermaid(&cl.label));
        for &n in &cl.nodes {
            self.mermaid_node(out, n, depth + 1);
        }
        for &k in &cl.clusters {
            self.mermaid_cluster(out, k, depth + 1);
        }
        let _ = writeln!(out, "{pad}end");
    }
}
