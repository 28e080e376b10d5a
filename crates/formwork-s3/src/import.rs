//! Reading an imported bucket's name from its ARN.

use formwork_core::{Error, Expr, Result};

use crate::name::{check_bucket_name, Naming};

/// The name in a bucket ARN `arn:<partition>:s3:::<name>`: checked and
/// taken from a literal; for any other expression, the sixth field of the
/// ARN split on `:` (`Fn::Select [5, Fn::Split [":", arn]]`).
pub(crate) fn name_from_arn(path: &str, arn: &Expr) -> Result<Expr> {
    let Expr::Str(text) = arn else {
        return Ok(Expr::select(5, Expr::split(":", arn.clone())));
    };
    let fields: Vec<&str> = text.splitn(6, ':').collect();
    let shape_ok = fields.len() == 6
        && fields[0] == "arn"
        && !fields[1].is_empty()
        && fields[2] == "s3"
        && fields[3].is_empty()
        && fields[4].is_empty()
        && !fields[5].contains('/');
    if !shape_ok {
        return Err(Error::invalid(
            path,
            Some("BucketArn"),
            format!(
                "a bucket ARN is arn:<partition>:s3:::<bucket-name> (no object key), got {:?}",
                &**text
            ),
        ));
    }
    let name = Expr::from(fields[5].to_owned());
    check_bucket_name(path, "BucketArn", &name, Naming::Legacy)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_arns() {
        assert_eq!(
            name_from_arn("S/B", &"arn:aws:s3:::my-bucket".into()).unwrap(),
            Expr::from("my-bucket")
        );
        assert_eq!(
            name_from_arn("S/B", &"arn:aws-cn:s3:::Legacy_Bucket".into()).unwrap(),
            Expr::from("Legacy_Bucket")
        );
        for bad in [
            "my-bucket",
            "arn:aws:s3:::my-bucket/key",
            "arn:aws:s3:us-east-1::my-bucket",
            "arn:aws:sqs:::my-bucket",
        ] {
            let e = name_from_arn("S/B", &bad.into()).unwrap_err().to_string();
            assert!(e.starts_with("S/B: BucketArn: a bucket ARN is arn:"), "{e}");
        }
        let e = name_from_arn("S/B", &"arn:aws:s3:::a".into())
            .unwrap_err()
            .to_string();
        assert!(e.contains("3-63 characters"), "{e}");
    }

    #[test]
    fn token_arns_are_split() {
        let arn = Expr::import_value("Shared-BucketArn");
        assert_eq!(
            name_from_arn("S/B", &arn).unwrap(),
            Expr::select(5, Expr::split(":", arn))
        );
    }
}
