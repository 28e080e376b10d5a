//! Support types for formwork's generated L1 constructs.
//!
//! The L1s themselves (one module per CloudFormation service) are generated
//! into the `formwork-cfn-<group>` crates (`formwork-cfn-storage` has `s3`,
//! `formwork-cfn-security` has `iam`, ...), which all depend on this small,
//! hand-written crate for [`support::Value`] (a literal or any expression),
//! [`support::Render`] and the property map the generated code renders
//! through. Programs reach both through the `formwork` facade:
//! `formwork::cfn::s3::CfnBucket`, `formwork::cfn::support::Value`. The
//! README describes the API shape, the crate split and how to select
//! services.

#![warn(missing_docs)]

pub mod support;
