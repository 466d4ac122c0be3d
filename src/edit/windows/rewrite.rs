//! Rewriting `[[affected]]` windows in place for [`apply`](super::apply):
//! visiting each window (array of tables or inline tables), giving it new
//! cells, keys or values while the author's comments and layout survive.

use crate::edit::document::replace_value;
use toml_edit::{Item, Table, TableLike, Value};

/// The keys of a window, in the format's order.
const ORDER: [&str; 6] = ["components", "groups", "regions", "status", "from", "to"];

/// What [`each_window`]'s callback did to a window.
pub(super) enum Change {
    None,
    /// `to` set.
    Ended,
    /// What it covers rewritten.
    Reshaped,
    /// To be taken out.
    Remove,
}

/// Calls `f` on every window (tables or inline tables). A window `f`
/// reshaped gets its keys back in the format's order; an inline window it
/// changed is laid out again (`{ key = value, ... }`); a window it says to
/// remove is taken out.
pub(super) fn each_window(affected: &mut Item, mut f: impl FnMut(&mut dyn TableLike) -> Change) {
    let rank = |k: &toml_edit::Key| ORDER.iter().position(|x| *x == k.get()).unwrap_or(ORDER.len());
    let mut removed = Vec::new();
    match affected {
        Item::ArrayOfTables(list) => {
            for (i, t) in list.iter_mut().enumerate() {
                match f(t) {
                    Change::Reshaped => t.sort_values_by(|a, _, b, _| rank(a).cmp(&rank(b))),
                    Change::Remove => removed.push(i),
                    Change::None | Change::Ended => {}
                }
            }
            removed.into_iter().rev().for_each(|i| {
                list.remove(i);
            });
        }
        Item::Value(Value::Array(list)) => {
            for (i, v) in list.iter_mut().enumerate() {
                let Some(t) = v.as_inline_table_mut() else { continue };
                match f(t) {
                    Change::Reshaped => {
                        t.sort_values_by(|a, _, b, _| rank(a).cmp(&rank(b)));
                        t.fmt();
                    }
                    Change::Ended => t.fmt(),
                    Change::Remove => removed.push(i),
                    Change::None => {}
                }
            }
            removed.into_iter().rev().for_each(|i| {
                list.remove(i);
            });
        }
        _ => {}
    }
}

/// Makes `window` cover what `block` covers, in place (its other keys and
/// the comments around its values kept).
pub(super) fn cover(window: &mut dyn TableLike, block: &Table) {
    window.remove("groups");
    if !block.contains_key("regions") {
        window.remove("regions");
    }
    for (key, item) in block.iter() {
        if let Some(new) = item.as_value() {
            set_value(window, key, new.clone());
        }
    }
}

/// `block` with `status`, `from` and `to` set (each left out when `None`).
pub(super) fn with(mut block: Table, [status, from, to]: [&Option<Item>; 3]) -> Table {
    for (key, item) in [("status", status), ("from", from), ("to", to)] {
        if let Some(item) = item {
            block.insert(key, item.clone());
        }
    }
    block
}

/// Sets `key` to `new`, keeping the comments around an old value.
pub(super) fn set_value(window: &mut dyn TableLike, key: &str, new: Value) {
    match window.get_mut(key) {
        Some(item) => replace_value(item, new),
        None => {
            window.insert(key, Item::Value(new));
        }
    }
}
