//! Identity pools defined elsewhere, imported by id (the CDK's
//! `IdentityPool.fromIdentityPoolId`).

use formwork_core::{Construct, Error, Expr, Pseudo, Result, Scope};

use crate::identity_pool::IdentityPool;

/// What an identity pool id must look like (quoted in errors).
pub const IDENTITY_POOL_ID_FORMAT: &str =
    "<region>:<uuid>, e.g. us-east-1:0123abcd-0123-4567-89ab-0123456789ab";

/// An identity pool defined outside this app, from
/// [`IdentityPool::from_identity_pool_id`]: its id and ARN, for policies
/// and outputs.
///
/// ```
/// use formwork_core::App;
/// use formwork_cognito::IdentityPool;
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let pool = IdentityPool::from_identity_pool_id(&stack, "Pool", "eu-west-1:0123abcd-0123-4567-89ab-0123456789ab").unwrap();
/// assert_eq!(pool.identity_pool_id().as_str(), Some("eu-west-1:0123abcd-0123-4567-89ab-0123456789ab"));
/// ```
#[derive(Clone, Debug)]
pub struct ImportedIdentityPool {
    construct: Construct,
    id: String,
    arn: Expr,
}

impl IdentityPool {
    /// Imports the identity pool `pool_id` as construct `id` of `scope`.
    /// The id is checked ([`IDENTITY_POOL_ID_FORMAT`], at most 55
    /// characters, as Cognito's `IdentityPoolId`).
    pub fn from_identity_pool_id(
        scope: &impl Scope,
        id: &str,
        pool_id: &str,
    ) -> Result<ImportedIdentityPool> {
        let region = check_pool_id(&scope.child_path(id), pool_id)?;
        let account = scope
            .stack()
            .map_or(Expr::Pseudo(Pseudo::AccountId), |s| s.account());
        // The region is the pool's own (the first part of its id), not the
        // stack's: a policy may name a pool of another region.
        let arn = Expr::join(
            "",
            [
                "arn:".into(),
                Pseudo::Partition.into(),
                format!(":cognito-identity:{region}:").into(),
                account,
                format!(":identitypool/{pool_id}").into(),
            ],
        );
        Ok(ImportedIdentityPool {
            construct: scope.child(id)?,
            id: pool_id.to_owned(),
            arn,
        })
    }
}

impl ImportedIdentityPool {
    /// The identity pool id (a literal).
    pub fn identity_pool_id(&self) -> Expr {
        Expr::from(self.id.as_str())
    }

    /// The identity pool ARN,
    /// `arn:${AWS::Partition}:cognito-identity:<region of the id>:<stack account>:identitypool/<id>`.
    pub fn identity_pool_arn(&self) -> Expr {
        self.arn.clone()
    }
}

/// The import's construct.
impl Scope for ImportedIdentityPool {
    fn construct(&self) -> &Construct {
        &self.construct
    }
}

/// Checks an identity pool id; returns its region.
fn check_pool_id<'a>(path: &str, pool_id: &'a str) -> Result<&'a str> {
    let invalid = |why: &str| {
        Error::invalid(
            path,
            Some("IdentityPoolId"),
            format!("must be {IDENTITY_POOL_ID_FORMAT}: {why}, got {pool_id:?}"),
        )
    };
    if pool_id.len() > 55 {
        return Err(invalid("at most 55 characters"));
    }
    let Some((region, uuid)) = pool_id.split_once(':') else {
        return Err(invalid("it needs a ':' between region and uuid"));
    };
    // us-east-1, ap-southeast-2, us-gov-west-1, cn-north-1, ...
    let words: Vec<&str> = region.split('-').collect();
    let region_ok = words.len() >= 3
        && words[..words.len() - 1]
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && words[words.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !words[words.len() - 1].is_empty();
    if !region_ok {
        return Err(invalid("the region must look like us-east-1"));
    }
    let groups: Vec<&str> = uuid.split('-').collect();
    let uuid_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| {
            g.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
    if !uuid_ok {
        return Err(invalid("the uuid must be 8-4-4-4-12 lower-case hex digits"));
    }
    Ok(region)
}
