//! How a policy element holding one or many values is written.

use formwork_core::Expr;

/// `x` for one value, `[x, y]` for several, without duplicates.
pub(crate) fn one_or_list(mut values: Vec<Expr>) -> Expr {
    if values.len() == 1 {
        return values.pop().unwrap_or(Expr::Null);
    }
    let mut unique: Vec<Expr> = Vec::with_capacity(values.len());
    for v in values {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    if unique.len() == 1 {
        unique.pop().unwrap_or(Expr::Null)
    } else {
        Expr::List(unique)
    }
}
