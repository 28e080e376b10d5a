//! A static site in an S3 bucket, deployed by formwork's deploy without a
//! Lambda custom resource: `examples/site-bucket/site/` is synced to the
//! bucket after the stack is deployed, with a `config.json` written from
//! the stack's outputs.
//!
//! ```sh
//! cargo run --example site-bucket                       # synth: cdk.out/ with the asset
//! cargo run --example site-bucket -- deploy --require-approval never
//! ```
//!
//! Deploying needs the `formwork` command (`cargo install formwork-cli`),
//! or formwork's `deploy` feature in the app. A second deploy with nothing
//! changed uploads nothing.

use formwork::prelude::*;
use formwork::s3deploy::{BucketDeployment, BucketDeploymentProps};
use formwork::{Asset, CfnResource, Expr, Pseudo};

fn main() -> formwork::Result<()> {
    let app = App::new();
    let stack = app.stack("SiteBucketStack");
    let bucket = stack.add_resource(
        "SiteBucket",
        CfnResource::new("AWS::S3::Bucket").set(
            "PublicAccessBlockConfiguration",
            serde_json::json!({
                "BlockPublicAcls": true,
                "BlockPublicPolicy": true,
                "IgnorePublicAcls": true,
                "RestrictPublicBuckets": true
            }),
        ),
    )?;
    NagSuppressions::add(
        &bucket,
        [
            Suppression::new(
                "AwsSolutions-S1",
                "A demo bucket that only deploys write to and nobody reads directly (all public \
                 access blocked); no second bucket is kept for its access logs.",
            ),
            Suppression::new(
                "AwsSolutions-S10",
                "Private bucket (all public access blocked), reached only by the deploy through \
                 the AWS SDK, which uses HTTPS; add a policy denying aws:SecureTransport=false \
                 before anything else reads it.",
            ),
        ],
    )?;
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/site-bucket/site");
    let files = Asset::from_dir(&stack, "SiteFiles", site)?;
    let bucket_arn = Expr::join(
        "",
        [
            "arn:".into(),
            Pseudo::Partition.into(),
            ":s3:::".into(),
            bucket.to_ref(),
        ],
    );
    BucketDeployment::new(
        &stack,
        "DeploySite",
        BucketDeploymentProps {
            sources: vec![files],
            destination_bucket: Some(bucket.clone().into()),
            ..Default::default()
        }
        .with_cache_control("*.html", "no-cache")
        .with_json_file(
            "config.json",
            [("bucketName", bucket.to_ref()), ("bucketArn", bucket_arn)],
        ),
    )?;
    stack.output("BucketName", bucket.to_ref());
    app.run()
}
