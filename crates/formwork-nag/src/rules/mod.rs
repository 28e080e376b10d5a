//! The `AwsSolutions` pack: every rule of cdk-nag's `AwsSolutionsChecks`
//! (cdk-nag 2.38.2), one module per cdk-nag category, in cdk-nag's order
//! (its `checkCompute`, `checkStorage`, ... methods).

use crate::rule::Pack;

mod analytics;
mod application_integration;
mod common;
mod compute;
mod databases;
mod developer_tools;
mod lambda;
mod machine_learning;
mod management_governance;
mod media_services;
mod network_delivery;
mod security;
mod serverless;
mod storage;

/// cdk-nag's `AwsSolutions` pack.
pub static AWS_SOLUTIONS: Pack = Pack {
    name: "AwsSolutions",
    groups: &[
        compute::RULES,
        storage::RULES,
        databases::RULES,
        network_delivery::RULES,
        management_governance::RULES,
        machine_learning::RULES,
        analytics::RULES,
        security::RULES,
        serverless::RULES,
        application_integration::RULES,
        media_services::RULES,
        developer_tools::RULES,
        lambda::RULES,
    ],
};

#[cfg(test)]
mod tests;
