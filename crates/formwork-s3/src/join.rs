//! Strings made of literals and tokens, written as the CDK writes them: one
//! `Fn::Join` with `""`, adjacent literals merged, a part alone when
//! there is only one. (`arn_for_objects` of an imported bucket is then
//! `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::name/*"]]}`,
//! the CDK's exact output.)

use formwork_core::Expr;

/// Concatenates `parts`; a part that is itself a `""` join is spliced in.
pub(crate) fn concat(parts: impl IntoIterator<Item = Expr>) -> Expr {
    let mut out: Vec<Expr> = Vec::new();
    for part in parts {
        match part {
            Expr::Join { separator, parts } if separator.is_empty() => {
                for p in parts {
                    push(&mut out, p);
                }
            }
            p => push(&mut out, p),
        }
    }
    match out.len() {
        0 => Expr::from_static(""),
        1 => out.remove(0),
        _ => Expr::join("", out),
    }
}

/// Appends `part`, merged into the previous part when both are literals.
fn push(out: &mut Vec<Expr>, part: Expr) {
    if let Expr::Str(s) = &part {
        if s.is_empty() {
            return;
        }
        if let Some(Expr::Str(last)) = out.last_mut() {
            last.to_mut().push_str(s);
            return;
        }
    }
    out.push(part);
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::Pseudo;

    #[test]
    fn literals_merge_and_joins_splice() {
        let arn = concat(["arn:".into(), Pseudo::Partition.into(), ":s3:::b".into()]);
        let objects = concat([arn, "/*".into()]);
        assert_eq!(
            objects,
            Expr::join(
                "",
                ["arn:".into(), Pseudo::Partition.into(), ":s3:::b/*".into()]
            )
        );
        assert_eq!(concat(["a".into(), "b".into()]), Expr::from("ab"));
        assert_eq!(
            concat([Pseudo::Region.into(), "".into()]),
            Pseudo::Region.into()
        );
    }
}
