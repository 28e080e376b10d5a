// Makes crates/formwork-cli/tests/fixtures/cdk-assembly: a cloud assembly
// written by the AWS CDK itself, for the `formwork` command to deploy
// (`.ci/run` deploys it to moto). Two stacks, the second depending on the
// first (moto keeps no exports of stacks made through change sets, so no
// cross-stack reference), only resource types moto creates, no
// bootstrap-version rule. Regenerate:
//   cd benches/cdk && npm ci && node make-cli-fixture.js ../../crates/formwork-cli/tests/fixtures/cdk-assembly
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const sqs = require('aws-cdk-lib/aws-sqs');
const outdir = process.argv[2];
const app = new cdk.App({ outdir, analyticsReporting: false, stackTraces: false });
const synthesizer = () => new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false });
const shared = new cdk.Stack(app, 'CdkShared', { synthesizer: synthesizer() });
const role = new iam.Role(shared, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
role.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['*'] }));
const consumer = new cdk.Stack(app, 'CdkConsumer', { synthesizer: synthesizer() });
new sqs.Queue(consumer, 'Inbox', { removalPolicy: cdk.RemovalPolicy.DESTROY });
consumer.addDependency(shared);
cdk.Tags.of(app).add('made-by', 'aws-cdk');
app.synth();

// The CDK records where each construct was created, as paths of this
// machine; the assembly does not need them, so they are left out.
const fs = require('fs');
const path = require('path');
for (const file of fs.readdirSync(outdir).filter((f) => f.endsWith('.metadata.json'))) {
  const full = path.join(outdir, file);
  const metadata = JSON.parse(fs.readFileSync(full, 'utf8'));
  for (const entries of Object.values(metadata)) {
    entries.splice(0, entries.length, ...entries.filter((e) => e.type !== 'aws:cdk:creationStack'));
  }
  fs.writeFileSync(full, JSON.stringify(metadata, undefined, 2));
}
