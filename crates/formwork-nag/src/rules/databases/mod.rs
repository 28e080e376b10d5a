//! cdk-nag's `AwsSolutions` database rules (`checkDatabases`), one module
//! per service.
//!
//! cdk-nag reads the L1 constructs `CfnInclude` builds from the template,
//! so a rule sees a property in one of two ways: unresolved
//! (`node.engine`: [`crate::js::token`]) or through
//! `NagRules.resolveIfPrimitive` (the `resolved_*` helpers of
//! [`crate::js::value`]).

use crate::rule::Rule;

mod documentdb;
mod dynamodb;
mod elasticache;
mod neptune;
mod rds;
mod redshift;
mod timestream;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[
    rds::RDS2,
    rds::RDS3,
    rds::RDS6,
    rds::RDS8,
    rds::RDS10,
    rds::RDS11,
    rds::RDS13,
    rds::RDS14,
    rds::RDS16,
    dynamodb::DDB3,
    dynamodb::DDB4,
    elasticache::AEC1,
    elasticache::AEC3,
    elasticache::AEC4,
    elasticache::AEC5,
    elasticache::AEC6,
    neptune::N1,
    neptune::N2,
    neptune::N3,
    neptune::N4,
    neptune::N5,
    redshift::RS1,
    redshift::RS2,
    redshift::RS3,
    redshift::RS4,
    redshift::RS5,
    redshift::RS6,
    redshift::RS8,
    redshift::RS9,
    redshift::RS10,
    redshift::RS11,
    documentdb::DOC1,
    documentdb::DOC2,
    documentdb::DOC3,
    documentdb::DOC4,
    documentdb::DOC5,
    timestream::TS3,
];
