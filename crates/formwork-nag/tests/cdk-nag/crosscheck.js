// cdk-nag's verdicts on CloudFormation templates, in `formwork check`'s
// format, for the cross-check in tests/cdk_nag_crosscheck.rs.
//
//   node crosscheck.js NODE_MODULES_DIR TEMPLATE.json...
//
// Each template is imported with CfnInclude into its own stack and
// AwsSolutionsChecks (cdk-nag, pinned in .ci/package.json) is applied. One
// line per unsuppressed finding:
//   FILE<TAB>RULE-ID<TAB>LogicalId<TAB>error|warning<TAB>finding
// A rule that threw (an intrinsic where it needs a literal) is
// `CdkNagValidationFailure` with the rule id as its finding, as cdk-nag's
// own annotation reports it.
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, ...files] = process.argv.slice(2);
const cdk = require(path.join(modules, 'aws-cdk-lib'));
const { CfnInclude } = require(path.join(modules, 'aws-cdk-lib/cloudformation-include'));
const nag = require(path.join(modules, 'cdk-nag'));

const lines = [];
const current = { file: '' };
class Recorder {
  onCompliance() {}
  onNotApplicable() {}
  onSuppressed() {}
  onSuppressedError() {}
  onNonCompliance(d) {
    lines.push([current.file, d.ruleId, logicalId(d.resource), d.ruleLevel === 'Error' ? 'error' : 'warning', d.findingId || ''].join('\t'));
  }
  onError(d) {
    lines.push([current.file, 'CdkNagValidationFailure', logicalId(d.resource), 'warning', d.ruleId].join('\t'));
  }
}
const logicalId = (resource) => cdk.Stack.of(resource).resolve(resource.logicalId);

for (const file of files) {
  current.file = path.basename(file);
  const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'nag-')) });
  const stack = new cdk.Stack(app, 'S');
  // A template's `Metadata.cdk_nag` is where `NagSuppressions.addStackSuppressions`
  // puts stack-wide suppressions (through `stack.templateOptions.metadata`),
  // and where cdk-nag reads them back. CfnInclude would copy the section
  // into the output but not into `templateOptions`: move it there, and
  // include the rest of the template from a copy without it.
  let included = file;
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (template.Metadata?.cdk_nag) {
    stack.templateOptions.metadata = { cdk_nag: template.Metadata.cdk_nag };
    delete template.Metadata.cdk_nag;
    included = path.join(app.outdir, 'included.json');
    fs.writeFileSync(included, JSON.stringify(template));
  }
  try {
    new CfnInclude(stack, 'T', { templateFile: included });
  } catch (e) {
    lines.push([current.file, 'CfnIncludeFailed', '', 'error', String(e.message).split('\n')[0]].join('\t'));
    continue;
  }
  cdk.Aspects.of(app).add(new nag.AwsSolutionsChecks({ reports: false, additionalLoggers: [new Recorder()] }));
  try {
    app.synth();
  } catch (e) {
    lines.push([current.file, 'SynthFailed', '', 'error', String(e.message).split('\n')[0]].join('\t'));
  }
}
process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
