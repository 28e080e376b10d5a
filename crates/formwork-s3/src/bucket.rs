//! The bucket L2 construct: an owned `AWS::S3::Bucket`, or an imported one.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_storage::s3::{bucket, CfnBucket, CfnBucketProps};
use formwork_core::{
    Annotations, Construct, Error, Expr, RemovalPolicy, ResourceRef, Result, Scope,
};
use formwork_iam::Statement;

use crate::name::{check_bucket_name, Naming};
use crate::policy::{self, PolicyState};
use crate::props::{BucketEncryption, BucketProps, ObjectOwnership};

/// An S3 bucket: one this app creates ([`Bucket::new`]) or an existing one
/// ([`Bucket::from_bucket_name`], [`Bucket::from_bucket_arn`]).
///
/// A new bucket has secure defaults (see [`BucketProps::default`]):
/// encrypted, all public access blocked, no ACLs, TLS enforced by its
/// bucket policy, retained when it leaves the stack. Its bucket policy
/// (`AWS::S3::BucketPolicy` at `<id>/Policy/Resource`, as the CDK) is typed
/// state, created with the first statement and rendered at synthesis.
///
/// ```
/// use formwork_core::App;
/// use formwork_s3::{Bucket, BucketProps};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let site = Bucket::new(&stack, "Site", BucketProps { versioned: true, ..Default::default() }).unwrap();
/// stack.output("SiteBucket", site.bucket_name());
/// let template = &app.synth().unwrap().stacks[0].template;
/// assert_eq!(template.resources.len(), 2); // the bucket and its policy (TLS only)
/// ```
#[derive(Clone, Debug)]
pub struct Bucket {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Owned {
        resource: ResourceRef,
        state: Rc<RefCell<BucketState>>,
    },
    Imported {
        construct: Construct,
        name: Expr,
        arn: Expr,
    },
}

/// What a bucket of this app holds after construction.
#[derive(Debug)]
pub(crate) struct BucketState {
    pub(crate) encryption: BucketEncryption,
    pub(crate) object_ownership: ObjectOwnership,
    pub(crate) policy: Rc<RefCell<PolicyState>>,
}

impl PartialEq for Bucket {
    fn eq(&self, other: &Self) -> bool {
        self.construct().element() == other.construct().element()
    }
}

impl Eq for Bucket {}

impl Bucket {
    /// Creates a bucket as construct `id` of `scope` (its resource is `id/Resource`).
    pub fn new(scope: &impl Scope, id: &str, props: BucketProps) -> Result<Bucket> {
        let path = scope.child_path(id);
        check_props(&path, &props)?;
        let node = scope.child(id)?;
        let l1 = CfnBucket::new(&node, "Resource", render(&props))?;
        let resource = l1.resource().clone();
        resource.apply_removal_policy(props.removal_policy);
        let bucket = Bucket {
            kind: Kind::Owned {
                resource,
                state: Rc::new(RefCell::new(BucketState {
                    encryption: props.encryption,
                    object_ownership: props.object_ownership,
                    policy: Rc::default(),
                })),
            },
        };
        if props.enforce_ssl {
            let tls_only =
                policy::enforce_ssl_statement(bucket.bucket_arn(), bucket.arn_for_objects("*"));
            bucket.add_to_resource_policy(tls_only)?;
        }
        match (
            &props.server_access_logs_bucket,
            &props.server_access_logs_prefix,
        ) {
            (Some(target), prefix) => target.allow_log_delivery(&bucket, prefix.as_deref())?,
            (None, Some(prefix)) => bucket.allow_log_delivery(&bucket, Some(prefix))?,
            (None, None) => {}
        }
        Ok(bucket)
    }

    /// An existing bucket, by name (a literal, checked with S3's naming
    /// rules as the CDK's `fromBucketName` does, or any expression). Nothing
    /// is created: it can be granted on and served by CloudFront, but its
    /// bucket policy is managed elsewhere.
    pub fn from_bucket_name(scope: &impl Scope, id: &str, name: impl Into<Expr>) -> Result<Bucket> {
        let name = name.into();
        check_bucket_name(&scope.child_path(id), "BucketName", &name, Naming::Legacy)?;
        let arn = crate::join::concat([
            Expr::from_static("arn:"),
            formwork_core::Pseudo::Partition.into(),
            Expr::from_static(":s3:::"),
            name.clone(),
        ]);
        Bucket::imported(scope, id, name, arn)
    }

    /// An existing bucket, by ARN (`arn:<partition>:s3:::<name>`, checked
    /// when literal). Nothing is created.
    pub fn from_bucket_arn(scope: &impl Scope, id: &str, arn: impl Into<Expr>) -> Result<Bucket> {
        let arn = arn.into();
        let name = crate::import::name_from_arn(&scope.child_path(id), &arn)?;
        Bucket::imported(scope, id, name, arn)
    }

    fn imported(scope: &impl Scope, id: &str, name: Expr, arn: Expr) -> Result<Bucket> {
        let construct = scope.child(id)?;
        Ok(Bucket {
            kind: Kind::Imported {
                construct,
                name,
                arn,
            },
        })
    }

    /// The bucket's construct (the scope of its resource and policy).
    pub fn construct(&self) -> Construct {
        match &self.kind {
            Kind::Owned { resource, .. } => resource.owner(),
            Kind::Imported { construct, .. } => construct.clone(),
        }
    }

    /// The `AWS::S3::Bucket` resource; `None` for an imported bucket.
    pub fn resource(&self) -> Option<&ResourceRef> {
        match &self.kind {
            Kind::Owned { resource, .. } => Some(resource),
            Kind::Imported { .. } => None,
        }
    }

    /// Whether the bucket was imported (and so has no policy here).
    pub fn is_imported(&self) -> bool {
        matches!(self.kind, Kind::Imported { .. })
    }

    /// The bucket name (`Ref`).
    pub fn bucket_name(&self) -> Expr {
        match &self.kind {
            Kind::Owned { resource, .. } => resource.to_ref(),
            Kind::Imported { name, .. } => name.clone(),
        }
    }

    /// The bucket ARN (`Fn::GetAtt Arn`; `arn:${AWS::Partition}:s3:::<name>`
    /// for a bucket imported by name).
    pub fn bucket_arn(&self) -> Expr {
        match &self.kind {
            Kind::Owned { resource, .. } => resource.get_att("Arn"),
            Kind::Imported { arn, .. } => arn.clone(),
        }
    }

    /// `<name>.s3.<region>.<url suffix>`: what CloudFront and SigV4 clients
    /// should use (`Fn::GetAtt RegionalDomainName`).
    pub fn bucket_regional_domain_name(&self) -> Expr {
        match &self.kind {
            Kind::Owned { resource, .. } => resource.get_att("RegionalDomainName"),
            Kind::Imported { name, .. } => crate::join::concat([
                name.clone(),
                Expr::from_static(".s3."),
                formwork_core::Pseudo::Region.into(),
                Expr::from_static("."),
                formwork_core::Pseudo::UrlSuffix.into(),
            ]),
        }
    }

    /// `<name>.s3.<url suffix>` (`Fn::GetAtt DomainName`).
    pub fn bucket_domain_name(&self) -> Expr {
        match &self.kind {
            Kind::Owned { resource, .. } => resource.get_att("DomainName"),
            Kind::Imported { name, .. } => crate::join::concat([
                name.clone(),
                Expr::from_static(".s3."),
                formwork_core::Pseudo::UrlSuffix.into(),
            ]),
        }
    }

    /// The ARN of the objects whose keys match `key_pattern`
    /// (`<bucket arn>/<key_pattern>`, e.g. `"*"` or `"uploads/*"`).
    pub fn arn_for_objects(&self, key_pattern: &str) -> Expr {
        crate::join::concat([self.bucket_arn(), format!("/{key_pattern}").into()])
    }

    /// Adds a statement to the bucket policy, created with the first one.
    /// Returns `false` for an imported bucket, whose policy is not managed
    /// here (as the CDK's `addToResourcePolicy`); a statement already in the
    /// policy is not added twice.
    pub fn add_to_resource_policy(&self, statement: Statement) -> Result<bool> {
        match &self.kind {
            Kind::Imported { .. } => Ok(false),
            Kind::Owned { state, .. } => {
                let policy = state.borrow().policy.clone();
                policy::add_statement(&self.construct(), self.bucket_name(), &policy, statement)?;
                Ok(true)
            }
        }
    }

    /// The statements of the bucket policy so far (empty for an import).
    pub fn policy_statements(&self) -> Vec<Statement> {
        match &self.kind {
            Kind::Owned { state, .. } => state.borrow().policy.borrow().statements(),
            Kind::Imported { .. } => Vec::new(),
        }
    }

    /// The bucket's default encryption (`None` for an import: unknown here).
    pub fn encryption(&self) -> Option<BucketEncryption> {
        self.state().map(|s| s.borrow().encryption)
    }

    /// The bucket's object ownership (`None` for an import: unknown here).
    pub fn object_ownership(&self) -> Option<ObjectOwnership> {
        self.state().map(|s| s.borrow().object_ownership)
    }

    fn state(&self) -> Option<&Rc<RefCell<BucketState>>> {
        match &self.kind {
            Kind::Owned { state, .. } => Some(state),
            Kind::Imported { .. } => None,
        }
    }

    /// Lets S3 write the server access logs of `source` into this bucket
    /// under `prefix` (the CDK's `allowLogDelivery`, with its
    /// `serverAccessLogsUseBucketPolicy` behaviour).
    fn allow_log_delivery(&self, source: &Bucket, prefix: Option<&str>) -> Result<()> {
        if self.encryption() == Some(BucketEncryption::KmsManaged) {
            return Err(Error::invalid(
                source.construct().path(),
                Some("LoggingConfiguration"),
                format!(
                    "S3 delivers server access logs only to buckets encrypted with S3-managed keys; {} uses KMS (BucketEncryption::KmsManaged)",
                    self.construct().path()
                ),
            ));
        }
        let logs = self.arn_for_objects(&format!("{}*", prefix.unwrap_or_default()));
        let source_stack = source.construct().stack();
        let same_stack = !source.is_imported()
            && source_stack.as_ref().map(|s| s.construct().element())
                == self.construct().stack().map(|s| s.construct().element());
        let conditions = source_stack
            .filter(|_| same_stack)
            .map(|stack| (source.bucket_arn(), stack.account()));
        let statement = policy::log_delivery_statement(logs, conditions);
        if !self.add_to_resource_policy(statement)? {
            Annotations::of(&source.construct()).add_warning_v2(
                "@formwork/s3:accessLogsPolicyNotAdded",
                format!(
                    "cannot add the log delivery statement to the policy of the imported bucket {}: allow logging.s3.amazonaws.com to s3:PutObject there yourself",
                    self.construct().path()
                ),
            );
        }
        Ok(())
    }
}

/// Checks the props of the bucket at construct path `path`.
fn check_props(path: &str, props: &BucketProps) -> Result<()> {
    if let Some(name) = &props.bucket_name {
        check_bucket_name(path, "BucketName", &name.as_str().into(), Naming::New)?;
    }
    if props.removal_policy == RemovalPolicy::Snapshot {
        return Err(Error::invalid(
            path,
            Some("DeletionPolicy"),
            "AWS::S3::Bucket does not support Snapshot; use Retain, RetainExceptOnDelete or Delete",
        ));
    }
    if props.server_access_logs_bucket.is_none()
        && props.server_access_logs_prefix.is_some()
        && props.encryption == BucketEncryption::KmsManaged
    {
        return Err(Error::invalid(
            path,
            Some("LoggingConfiguration"),
            "S3 delivers server access logs only to buckets encrypted with S3-managed keys; this bucket logs into itself and uses KMS (BucketEncryption::KmsManaged)",
        ));
    }
    Ok(())
}

/// The bucket's properties, through the generated `AWS::S3::Bucket` L1.
fn render(props: &BucketProps) -> CfnBucketProps {
    let algorithm = match props.encryption {
        BucketEncryption::S3Managed => bucket::ServerSideEncryptionByDefaultSSEAlgorithm::Aes256,
        BucketEncryption::KmsManaged => bucket::ServerSideEncryptionByDefaultSSEAlgorithm::AwsKms,
    };
    let encryption = bucket::BucketEncryption::new(vec![bucket::ServerSideEncryptionRule {
        server_side_encryption_by_default: Some(
            bucket::ServerSideEncryptionByDefault::new(algorithm).into(),
        ),
        ..Default::default()
    }]);
    let ownership = match props.object_ownership {
        ObjectOwnership::BucketOwnerEnforced => {
            bucket::OwnershipControlsRuleObjectOwnership::BucketOwnerEnforced
        }
        ObjectOwnership::BucketOwnerPreferred => {
            bucket::OwnershipControlsRuleObjectOwnership::BucketOwnerPreferred
        }
        ObjectOwnership::ObjectWriter => bucket::OwnershipControlsRuleObjectOwnership::ObjectWriter,
    };
    let block = props.block_public_access;
    let logging = (props.server_access_logs_bucket.is_some()
        || props.server_access_logs_prefix.is_some())
    .then(|| bucket::LoggingConfiguration {
        // Unset: S3 logs into the bucket itself.
        destination_bucket_name: props
            .server_access_logs_bucket
            .as_ref()
            .map(|b| b.bucket_name().into()),
        log_file_prefix: props.server_access_logs_prefix.as_deref().map(Into::into),
        target_object_key_format: None,
    });
    CfnBucketProps::builder()
        .bucket_encryption(encryption)
        .maybe_bucket_name(props.bucket_name.as_deref())
        .maybe_logging_configuration(logging)
        .ownership_controls(bucket::OwnershipControls::new(vec![
            bucket::OwnershipControlsRule {
                object_ownership: Some(ownership.into()),
            },
        ]))
        .public_access_block_configuration(bucket::PublicAccessBlockConfiguration {
            block_public_acls: Some(block.block_public_acls.into()),
            block_public_policy: Some(block.block_public_policy.into()),
            ignore_public_acls: Some(block.ignore_public_acls.into()),
            restrict_public_buckets: Some(block.restrict_public_buckets.into()),
        })
        .maybe_versioning_configuration(props.versioned.then(|| {
            bucket::VersioningConfiguration::new(bucket::VersioningConfigurationStatus::Enabled)
        }))
        .build()
}
