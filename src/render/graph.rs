//! Graphs of relations as Graphviz DOT or as a Mermaid flowchart.
//!
//! Corpus text only ever appears inside quoted labels, escaped for the language: DOT
//! escapes `"` and `\`; Mermaid writes every character that could end a label, start an
//! entity or become HTML (`"`, `#`, `<`, `&`, `|`, …) as a `#code;` entity. Node ids in
//! the output are made up (`n0`, `n1`, …), so no id can collide with a keyword.

use std::io::{self, Write};

use super::escape;
use crate::model::RelationKind;

/// Nodes, optional clusters, and undirected edges styled by the kind of relation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    /// A caption: what the graph shows and its date.
    pub caption: String,
    pub clusters: Vec<Cluster>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Lines of the label, first line in bold where the format allows.
    pub lines: Vec<String>,
    /// Index into `clusters`.
    pub cluster: Option<usize>,
    /// Drawn with a double border (a red-line demand).
    pub emphasis: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: RelationKind,
    pub label: Option<String>,
}

/// Colours that stay apart for most colour-blind readers; the line style tells the kind
/// apart without colour (dotted overlap, solid conflict, thick irreconcilable).
fn colour(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Overlap => "#1b7837",
        RelationKind::Conflict => "#e08214",
        RelationKind::Irreconcilable => "#b2182b",
    }
}

pub fn dot(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "graph positions {{")?;
    writeln!(
        out,
        "  graph [label=\"{}\", labelloc=b, fontname=\"Helvetica\", fontsize=11, overlap=false, splines=true];",
        escape::dot(&graph.caption)
    )?;
    writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;
    let node = |out: &mut dyn Write, index: usize, indent: &str| -> io::Result<()> {
        let n = &graph.nodes[index];
        let label: Vec<String> = n.lines.iter().map(|l| escape::dot(l)).collect();
        let peripheries = if n.emphasis { ", peripheries=2" } else { "" };
        writeln!(out, "{indent}n{index} [label=\"{}\"{peripheries}];", label.join("\\n"))
    };
    for (c, cluster) in graph.clusters.iter().enumerate() {
        writeln!(out, "  subgraph cluster_{c} {{")?;
        writeln!(
            out,
            "    label=\"{}\"; style=\"rounded\"; color=\"#999999\";",
            escape::dot(&cluster.label)
        )?;
        for index in (0..graph.nodes.len()).filter(|&i| graph.nodes[i].cluster == Some(c)) {
            node(out, index, "    ")?;
        }
        writeln!(out, "  }}")?;
    }
    for index in (0..graph.nodes.len()).filter(|&i| graph.nodes[i].cluster.is_none()) {
        node(out, index, "  ")?;
    }
    for edge in &graph.edges {
        let (style, width) = match edge.kind {
            RelationKind::Overlap => ("dotted", "1.5"),
            RelationKind::Conflict => ("solid", "1.5"),
            RelationKind::Irreconcilable => ("bold", "3"),
        };
        let label = edge
            .label
            .as_deref()
            .map(|l| format!(", label=\"{}\"", escape::dot(l)))
            .unwrap_or_default();
        writeln!(
            out,
            "  n{} -- n{} [class=\"{kind}\", color=\"{}\", fontcolor=\"{}\", style={style}, penwidth={width}, tooltip=\"{kind}\"{label}];",
            edge.from,
            edge.to,
            colour(edge.kind),
            colour(edge.kind),
            kind = edge.kind.as_str(),
        )?;
    }
    writeln!(out, "}}")
}

pub fn mermaid(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    writeln!(out, "  %% {}", escape::terminal(&graph.caption))?;
    writeln!(
        out,
        "  %% dotted line: overlap; solid line: conflict; thick line: irreconcilable"
    )?;
    let node = |out: &mut dyn Write, index: usize, indent: &str| -> io::Result<()> {
        let n = &graph.nodes[index];
        let lines: Vec<String> = n.lines.iter().map(|l| escape::mermaid(l)).collect();
        let label = match lines.split_first() {
            Some((first, rest)) if !rest.is_empty() => format!("<b>{first}</b><br/>{}", rest.join("<br/>")),
            _ => lines.join("<br/>"),
        };
        // A double border for emphasis: Mermaid's subroutine shape.
        let (open, close) = if n.emphasis { ("[[", "]]") } else { ("[", "]") };
        writeln!(out, "{indent}n{index}{open}\"{label}\"{close}")
    };
    for (c, cluster) in graph.clusters.iter().enumerate() {
        writeln!(out, "  subgraph c{c}[\"{}\"]", escape::mermaid(&cluster.label))?;
        for index in (0..graph.nodes.len()).filter(|&i| graph.nodes[i].cluster == Some(c)) {
            node(out, index, "    ")?;
        }
        writeln!(out, "  end")?;
    }
    for index in (0..graph.nodes.len()).filter(|&i| graph.nodes[i].cluster.is_none()) {
        node(out, index, "  ")?;
    }
    for edge in &graph.edges {
        let link = match edge.kind {
            RelationKind::Overlap => "-.-",
            RelationKind::Conflict => "---",
            RelationKind::Irreconcilable => "===",
        };
        match &edge.label {
            Some(label) => writeln!(
                out,
                "  n{} {link}|\"{}\"| n{}",
                edge.from,
                escape::mermaid(label),
                edge.to
            )?,
            None => writeln!(out, "  n{} {link} n{}", edge.from, edge.to)?,
        }
    }
    for kind in RelationKind::ALL {
        let indices: Vec<String> = graph
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind)
            .map(|(i, _)| i.to_string())
            .collect();
        if !indices.is_empty() {
            let width = if kind == RelationKind::Irreconcilable { 4 } else { 2 };
            writeln!(
                out,
                "  linkStyle {} stroke:{},stroke-width:{width}px,color:{}",
                indices.join(","),
                colour(kind),
                colour(kind)
            )?;
        }
    }
    Ok(())
}
