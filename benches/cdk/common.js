// Shared by the apps of this directory: the App and its synthesis, set up so
// that the CDK writes templates equal to formwork's (see
// same-templates.js), and the lex-web-bot pattern.
'use strict';
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const cognito = require('aws-cdk-lib/aws-cognito');
const { Construct } = require('constructs');

const COGNITO = 'cognito-identity.amazonaws.com';

// The assembly goes to `dir`, else $CDK_OUTDIR (as the CDK CLI sets it), else cdk.out.
function newApp(dir) {
  return new cdk.App({
    outdir: dir || process.env.CDK_OUTDIR || 'cdk.out',
    // formwork writes neither the AWS::CDK::Metadata resource nor tree.json;
    // leaving them out here too keeps the templates equal (and only saves
    // the CDK work).
    analyticsReporting: false,
    treeMetadata: false,
    // `aws:cdk:path` metadata on every resource, as formwork writes it and as
    // the CDK CLI asks for it (a bare `node app.js` leaves it out otherwise).
    context: { 'aws:cdk:enable-path-metadata': true },
  });
}

// Stack props without the BootstrapVersion parameter and rule (formwork's
// templates have neither).
function stackProps(extra) {
  return {
    synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    ...extra,
  };
}

// SKIP_VALIDATION=1: `app.synth({ skipValidation: true })`; else `app.synth()`.
function synth(app) {
  return process.env.SKIP_VALIDATION === '1'
    ? app.synth({ skipValidation: true })
    : app.synth();
}

// A role that only identities of the pool `poolId` with the given `amr` may
// assume (`cognito-identity.amazonaws.com:aud` / `:amr`).
function poolRole(scope, id, poolId, amr) {
  return new iam.Role(scope, id, {
    assumedBy: new iam.WebIdentityPrincipal(COGNITO, {
      StringEquals: { [`${COGNITO}:aud`]: poolId },
      'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: amr },
    }),
  });
}

// formwork's `IdentityPool` allowing guests, with `policy` attached to both of
// its default roles (examples/lex-web-bot.rs, `bot_pool` in
// examples/support/scale_app.rs). The construct tree is formwork's (`id` with
// `Resource`, `AuthenticatedRole`, `UnauthenticatedRole`,
// `DefaultRoleAttachment/Resource`), so the logical IDs are the same.
// aws-cdk-lib's own L2 (`aws-cognito-identitypool`, stable in this version)
// builds the same tree but gives each role a Description that formwork's
// roles lack.
function botPool(scope, id, policy) {
  const scopeOfPool = new Construct(scope, id);
  const pool = new cognito.CfnIdentityPool(scopeOfPool, 'Resource', {
    allowClassicFlow: false,
    allowUnauthenticatedIdentities: true,
    identityPoolName: id,
  });
  const authenticatedRole = poolRole(scopeOfPool, 'AuthenticatedRole', pool.ref, 'authenticated');
  const unauthenticatedRole = poolRole(scopeOfPool, 'UnauthenticatedRole', pool.ref, 'unauthenticated');
  new cognito.CfnIdentityPoolRoleAttachment(new Construct(scopeOfPool, 'DefaultRoleAttachment'), 'Resource', {
    identityPoolId: pool.ref,
    roles: { authenticated: authenticatedRole.roleArn, unauthenticated: unauthenticatedRole.roleArn },
  });
  authenticatedRole.addManagedPolicy(policy);
  unauthenticatedRole.addManagedPolicy(policy);
  return { pool, authenticatedRole, unauthenticatedRole };
}

// The N of `node APP.js N [DIR]`.
function count(arg, usage) {
  const n = Number(String(arg || '').replace(/_/g, ''));
  if (!arg || !Number.isInteger(n) || n < 0) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return n;
}

module.exports = { COGNITO, newApp, stackProps, synth, poolRole, botPool, count };
