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
  try {
    // cdk-nag reads stack-wide suppressions from the stack's template
    // options, which CfnInclude does not fill from the included template's
    // `Metadata`: they are moved there, where a CDK app's
    // NagSuppressions.addStackSuppressions puts them (and out of the
    // included copy, which would otherwise render `cdk_nag` twice).
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    let included = file;
    if (template.Metadata && template.Metadata.cdk_nag) {
      stack.templateOptions.metadata = { cdk_nag: template.Metadata.cdk_nag };
      delete template.Metadata.cdk_nag;
      included = path.join(app.outdir, 'included.template.json');
      fs.writeFileSync(included, JSON.stringify(template));
    }
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
