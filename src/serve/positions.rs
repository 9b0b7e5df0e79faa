//! Where toml_edit writes each table. It writes a document's tables in the
//! order of the positions they were read at, not in the order of the arrays
//! that hold them; so after a structural edit the tables under the edited
//! top-level key (`sections`, `attachments`) are given positions again in
//! their new order, in the places that key's tables had in the file, and
//! every other table keeps its place. Comments above a table's header travel
//! with it.

use std::collections::{HashMap, VecDeque};

use toml_edit::{DocumentMut, Item, Table};

/// A table's path as a key for the position map (keys may hold dots).
type TablePath = Vec<String>;

fn child(path: &TablePath, k: &str, i: Option<usize>) -> TablePath {
    let mut p = path.clone();
    p.push(match i {
        Some(i) => format!("{k}\u{1f}{i}"),
        None => k.to_string(),
    });
    p
}

/// Every table with a header, in tree order, with the position toml_edit
/// writes it at (inherited from the one before when it has none).
fn tree(doc: &DocumentMut) -> Vec<(TablePath, isize)> {
    fn walk(t: &Table, path: TablePath, last: &mut isize, out: &mut Vec<(TablePath, isize)>) {
        if !t.is_dotted() {
            if let Some(p) = t.position() {
                *last = p;
            }
            out.push((path.clone(), *last));
        }
        for (k, item) in t.iter() {
            match item {
                Item::Table(sub) => walk(sub, child(&path, k, None), last, out),
                Item::ArrayOfTables(a) => {
                    for (i, sub) in a.iter().enumerate() {
                        walk(sub, child(&path, k, Some(i)), last, out)
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(doc.as_table(), Vec::new(), &mut 0, &mut out);
    out
}

/// The tables in the order toml_edit writes them.
pub(super) fn table_order(doc: &DocumentMut) -> Vec<TablePath> {
    let mut t = tree(doc);
    t.sort_by_key(|(p, pos)| (!p.is_empty(), *pos));
    t.into_iter().map(|(p, _)| p).collect()
}

/// Give the tables under `root` positions in their tree order, in the
/// places its tables had; every other table keeps its place.
pub(super) fn renumber(doc: &mut DocumentMut, before: &[TablePath], root: &str) {
    let under = |p: &TablePath| p.first().is_some_and(|k| k == root || k.split('\u{1f}').next() == Some(root));
    let mut moved: VecDeque<TablePath> = tree(doc).into_iter().map(|(p, _)| p).filter(under).collect();
    let last_slot = before.iter().rposition(under);
    let mut order: Vec<TablePath> = Vec::with_capacity(before.len() + 4);
    for (i, p) in before.iter().enumerate() {
        if under(p) {
            order.extend(moved.pop_front());
        } else {
            order.push(p.clone());
        }
        if Some(i) == last_slot {
            order.extend(moved.drain(..));
        }
    }
    order.extend(moved);
    let positions: HashMap<TablePath, isize> = order.into_iter().enumerate().map(|(i, p)| (p, i as isize)).collect();
    fn set(t: &mut Table, path: TablePath, positions: &HashMap<TablePath, isize>) {
        if !t.is_dotted()
            && let Some(p) = positions.get(&path)
        {
            t.set_position(Some(*p));
        }
        for (k, item) in t.iter_mut() {
            match item {
                Item::Table(sub) => set(sub, child(&path, k.get(), None), positions),
                Item::ArrayOfTables(a) => {
                    for (i, sub) in a.iter_mut().enumerate() {
                        set(sub, child(&path, k.get(), Some(i)), positions)
                    }
                }
                _ => {}
            }
        }
    }
    set(doc.as_table_mut(), Vec::new(), &positions);
}

