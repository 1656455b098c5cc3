// The CLI side of the guide: AWS CLI profiles, switch-role links, okta-aws-cli's OIDC app, and the
// legacy tool's role-introspection user.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { awsCliConfig } from "../components/cliProfiles";
import { effectiveSamlRoles } from "../components/rolesOktaSends";
import { identityStack } from "../components/identityStack";
import { buildPlan } from "../tools/plan/build";
import { PlanResult } from "../tools/plan/model";
import { replaceDirectory } from "../tools/shared/files";
import { writePlanFiles } from "../tools/report/outFiles";
import { projectRoot, shippedConfig, shippedPlan, useStack } from "./harness";
import { expectSnapshot } from "./snapshots";

const johnConfig = `# AWS CLI profiles for john@acmecorp.me (okta-aws; identity account 671250594556)

[profile 671250594556/Retail-EC2-Admins/john@acmecorp.me]
role_arn=arn:aws:iam::253541269580:role/EC2_Admins
source_profile=671250594556/Retail-EC2-Admins/john@acmecorp.me

[profile retail-ec2-admins]
role_arn=arn:aws:iam::253541269580:role/EC2_Admins
source_profile=671250594556/Retail-EC2-Admins/john@acmecorp.me
role_session_name=john@acmecorp.me
duration_seconds=3600

[profile 671250594556/Sales-EC2-Admins/john@acmecorp.me]
role_arn=arn:aws:iam::881102293469:role/EC2_Admins
source_profile=671250594556/Sales-EC2-Admins/john@acmecorp.me

[profile sales-ec2-admins]
role_arn=arn:aws:iam::881102293469:role/EC2_Admins
source_profile=671250594556/Sales-EC2-Admins/john@acmecorp.me
role_session_name=john@acmecorp.me
duration_seconds=3600
`;

const janeConfig = `# AWS CLI profiles for jane@acmecorp.me (okta-aws; identity account 671250594556)

[profile 671250594556/Retail-S3-Admins/jane@acmecorp.me]
role_arn=arn:aws:iam::253541269580:role/S3_Admins
source_profile=671250594556/Retail-S3-Admins/jane@acmecorp.me

[profile retail-s3-admins]
role_arn=arn:aws:iam::253541269580:role/S3_Admins
source_profile=671250594556/Retail-S3-Admins/jane@acmecorp.me
role_session_name=jane@acmecorp.me
duration_seconds=3600
`;

/** Reads an AWS config file with the AWS SDK's own parser (profile names without "profile "). */
async function readAwsConfig(file: string): Promise<Record<string, Record<string, string | undefined>>> {
    const { configFile } = await loadSharedConfigFiles({
        configFilepath: file,
        filepath: path.join(path.dirname(file), "no-credentials"),
        ignoreCache: true,
    });
    return configFile;
}

function writeTemporary(text: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-ini-")), "config");
    fs.writeFileSync(file, text);
    return file;
}

describe("CLI access (identity stack)", () => {
    let shipped: PlanResult;
    let globex: PlanResult;
    before(async () => {
        shipped = await shippedPlan();
        globex = await buildPlan(path.join(projectRoot, "tests", "fixtures", "globex"));
    });
    const identityOf = (result: PlanResult) => result.evaluations.find((e) => e.config.kind === "identity")!;
    const resource = (result: PlanResult, name: string) => identityOf(result).resources.find((r) => r.name === name)!;

    it("writes the guide's Appendix A profiles for john and jane, exactly", () => {
        expect(identityOf(shipped).outputs.awsCliProfiles).to.deep.equal({
            "jane@acmecorp.me": janeConfig,
            "john@acmecorp.me": johnConfig,
        });
        expect(identityOf(shipped).outputs.switchRoleLinks).to.deep.equal({
            "jane@acmecorp.me": [
                { samlRole: "Retail-S3-Admins", url: "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=S3_Admins" },
            ],
            "john@acmecorp.me": [
                { samlRole: "Retail-EC2-Admins", url: "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=EC2_Admins" },
                { samlRole: "Sales-EC2-Admins", url: "https://signin.aws.amazon.com/switchrole?account=881102293469&roleName=EC2_Admins" },
            ],
        });
    });

    it("gives profiles to people whose roles come only through a group", async () => {
        const profiles = identityOf(globex).outputs.awsCliProfiles as Record<string, string>;
        expect(Object.keys(profiles)).to.deep.equal(["frank@globex.example", "hank@globex.example", "marge@globex.example"]);
        const marge = await readAwsConfig(writeTemporary(profiles["marge@globex.example"]));
        expect(Object.keys(marge)).to.deep.equal([
            "098765432109/Data-Analysts.Read@Lake/marge@globex.example",
            "data-analysts.read@lake",
            "098765432109/Data-Eng-Writers-Lake/marge@globex.example",
            "data-eng-writers-lake",
        ]);
        expect(marge["data-eng-writers-lake"]).to.deep.equal({
            role_arn: "arn:aws:iam::223344556677:role/Eng=Writers,Lake",
            source_profile: "098765432109/Data-Eng-Writers-Lake/marge@globex.example",
            role_session_name: "marge@globex.example",
            duration_seconds: "3600",
        });
    });

    it("joins group roles with a user's own only when joinAllRoles is on", () => {
        const users = [{ login: "frank@x.example", samlRoles: ["A"] }];
        const groups = [
            { name: "g1", samlRoles: ["B"], members: ["frank@x.example", "marge@x.example"] },
            { name: "g2", samlRoles: ["C"], members: ["marge@x.example"] },
        ];
        expect(effectiveSamlRoles(users, groups, true)).to.deep.equal({ "frank@x.example": ["A", "B"], "marge@x.example": ["B", "C"] });
        expect(effectiveSamlRoles(users, groups, false)).to.deep.equal({ "frank@x.example": ["A"], "marge@x.example": ["B"] });
    });

    it("replaces out/aws-config/ whole on each run, linking the files whose text has not changed", () => {
        const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-replace-")), "aws-config");
        const inode = (name: string) => fs.statSync(path.join(dir, name)).ino;
        const contents = () => Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));
        replaceDirectory(
            dir,
            new Map([
                ["ann.ini", "ann's profiles\n"],
                ["bob.ini", "bob's profiles\n"],
            ]),
        );
        const [ann, bob] = [inode("ann.ini"), inode("bob.ini")];
        replaceDirectory(
            dir,
            new Map([
                ["ann.ini", "ann's profiles\n"],
                ["bob.ini", "bob's new profiles\n"],
                ["cyd.ini", "cyd's profiles\n"],
            ]),
        );
        expect(contents()).to.deep.equal({
            "ann.ini": "ann's profiles\n",
            "bob.ini": "bob's new profiles\n",
            "cyd.ini": "cyd's profiles\n",
        });
        expect(inode("ann.ini")).to.equal(ann);
        expect(inode("bob.ini")).to.not.equal(bob);
        replaceDirectory(dir, new Map([["cyd.ini", "cyd's profiles\n"]]));
        expect(contents()).to.deep.equal({ "cyd.ini": "cyd's profiles\n" });
        expect(fs.readdirSync(path.dirname(dir))).to.deep.equal(["aws-config"]);
    });

    it("writes out/aws-config/<login>.ini files that the AWS SDK reads, every source profile defined, no secrets", async () => {
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-cli-"));
        writePlanFiles(shipped, outDir);
        const files = fs.readdirSync(path.join(outDir, "aws-config")).sort();
        expect(files).to.deep.equal(["jane@acmecorp.me.ini", "john@acmecorp.me.ini"]);
        const john = await readAwsConfig(path.join(outDir, "aws-config", "john@acmecorp.me.ini"));
        for (const profile of Object.values(john)) {
            expect(john).to.have.property(profile.source_profile!);
        }
        expect(john["sales-ec2-admins"]).to.deep.equal({
            role_arn: "arn:aws:iam::881102293469:role/EC2_Admins",
            source_profile: "671250594556/Sales-EC2-Admins/john@acmecorp.me",
            role_session_name: "john@acmecorp.me",
            duration_seconds: "3600",
        });
        for (const file of files) {
            expect(fs.readFileSync(path.join(outDir, "aws-config", file), "utf8")).to.not.match(
                /aws_secret_access_key|AWS_IAM_SECRET|AKIA/,
            );
        }
        expect(awsCliConfig("x@y.example", "111111111111", [])).to.equal(
            "# AWS CLI profiles for x@y.example (okta-aws; identity account 111111111111)\n",
        );
        const clash = awsCliConfig("x@y.example", "111111111111", [
            { samlRole: "A=B", targetRoleArn: "arn:aws:iam::222222222222:role/r1", switchRoleUrl: "" },
            { samlRole: "A,B", targetRoleArn: "arn:aws:iam::222222222222:role/r2", switchRoleUrl: "" },
        ]);
        expect(clash.match(/^\[profile .*\]$/gm)).to.deep.equal([
            "[profile 111111111111/A-B/x@y.example]",
            "[profile a-b]",
            "[profile 111111111111/A-B/x@y.example-2]",
            "[profile a-b-2]",
        ]);
    });

    it("gives direct roles profiles without source_profile: okta-aws-cli's, and the AWS CLI's through okta-aws-cli as a credential process", async () => {
        const provider = "arn:aws:iam::881102293469:saml-provider/Okta";
        const chained = { samlRole: "Retail-EC2-Admins", targetRoleArn: "arn:aws:iam::253541269580:role/EC2_Admins", switchRoleUrl: "" };
        const direct = {
            samlRole: "Sales-EC2-Admins",
            targetRoleArn: "arn:aws:iam::881102293469:role/EC2_Admins",
            switchRoleUrl: "",
            direct: { samlProviderArn: provider, sessionSeconds: 43200 },
        };
        // Retail in migration (signIn both): its chained profiles stay, its direct alias says so.
        const migrating = {
            ...chained,
            direct: { samlProviderArn: "arn:aws:iam::253541269580:saml-provider/Okta", sessionSeconds: 3600 },
        };
        const text = awsCliConfig("john@acmecorp.me", "671250594556", [direct, migrating, chained]);
        const signIn = (role: string, seconds: number, account: string) =>
            `--aws-iam-idp arn:aws:iam::${account}:saml-provider/Okta --aws-iam-role arn:aws:iam::${account}:role/${role} --aws-session-duration ${seconds}`;
        expect(text).to.equal(
            [
                "# AWS CLI profiles for john@acmecorp.me (okta-aws; identity account 671250594556)",
                "",
                "[profile 671250594556/Retail-EC2-Admins/john@acmecorp.me]",
                "role_arn=arn:aws:iam::253541269580:role/EC2_Admins",
                "source_profile=671250594556/Retail-EC2-Admins/john@acmecorp.me",
                "",
                "[profile retail-ec2-admins]",
                "role_arn=arn:aws:iam::253541269580:role/EC2_Admins",
                "source_profile=671250594556/Retail-EC2-Admins/john@acmecorp.me",
                "role_session_name=john@acmecorp.me",
                "duration_seconds=3600",
                "",
                "# Retail-EC2-Admins: direct sign-in to account 253541269580, sessions up to 3600 s.",
                "# okta-aws-cli writes the credentials of profile 253541269580/EC2_Admins/john@acmecorp.me (~/.aws/credentials):",
                `#   okta-aws-cli web --format aws-credentials --write-aws-credentials --profile 253541269580/EC2_Admins/john@acmecorp.me ${signIn("EC2_Admins", 3600, "253541269580")}`,
                "[profile retail-ec2-admins-direct]",
                `credential_process=okta-aws-cli web --format process-credentials --open-browser ${signIn("EC2_Admins", 3600, "253541269580")}`,
                "",
                "# Sales-EC2-Admins: direct sign-in to account 881102293469, sessions up to 43200 s.",
                "# okta-aws-cli writes the credentials of profile 881102293469/EC2_Admins/john@acmecorp.me (~/.aws/credentials):",
                `#   okta-aws-cli web --format aws-credentials --write-aws-credentials --profile 881102293469/EC2_Admins/john@acmecorp.me ${signIn("EC2_Admins", 43200, "881102293469")}`,
                "[profile sales-ec2-admins]",
                `credential_process=okta-aws-cli web --format process-credentials --open-browser ${signIn("EC2_Admins", 43200, "881102293469")}`,
                "",
            ].join("\n"),
        );
        // The AWS SDK reads every profile; the direct ones neither chain nor switch (okta-aws-cli's own are in ~/.aws/credentials).
        const profiles = await readAwsConfig(writeTemporary(text));
        expect(Object.keys(profiles)).to.deep.equal([
            "671250594556/Retail-EC2-Admins/john@acmecorp.me",
            "retail-ec2-admins",
            "retail-ec2-admins-direct",
            "sales-ec2-admins",
        ]);
        expect(profiles["sales-ec2-admins"]).to.deep.equal({
            credential_process: `okta-aws-cli web --format process-credentials --open-browser ${signIn("EC2_Admins", 43200, "881102293469")}`,
        });
    });

    it("tests/fixtures/hooli: a direct role's profile takes its account's provider and the role's maximum capped by the app's session", async () => {
        const hooli = await buildPlan(path.join(projectRoot, "tests", "fixtures", "hooli"));
        const profiles = identityOf(hooli).outputs.awsCliProfiles as Record<string, string>;
        const gavin = await readAwsConfig(writeTemporary(profiles["gavin@hooli.example"]));
        // Analysts allows 8 hours, the app's session is 4: okta-aws-cli asks for 4.
        expect(gavin).to.deep.equal({
            "ads-analysts": {
                credential_process:
                    "okta-aws-cli web --format process-credentials --open-browser --aws-iam-idp arn:aws:iam::141421356237:saml-provider/Okta --aws-iam-role arn:aws:iam::141421356237:role/Analysts --aws-session-duration 14400",
            },
            "161803398874/Legacy-Operators/gavin@hooli.example": {
                role_arn: "arn:aws:iam::223606797749:role/Operators",
                source_profile: "161803398874/Legacy-Operators/gavin@hooli.example",
            },
            "legacy-operators": {
                role_arn: "arn:aws:iam::223606797749:role/Operators",
                source_profile: "161803398874/Legacy-Operators/gavin@hooli.example",
                role_session_name: "gavin@hooli.example",
                duration_seconds: "3600",
            },
        });
    });

    it("creates okta-aws-cli's OIDC app, names it the AWS app's web SSO client, and assigns it like the AWS app", () => {
        const oauth = resource(shipped, "okta-aws-cli-app-app");
        expect(oauth.type).to.equal("okta:app/oAuth:OAuth");
        expect(oauth.inputs).to.deep.include({
            label: "AWS CLI (okta-aws-cli)",
            type: "native",
            grantTypes: [
                "authorization_code",
                "urn:ietf:params:oauth:grant-type:device_code",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ],
            tokenEndpointAuthMethod: "none",
        });
        const outputs = identityOf(shipped).outputs;
        const env = outputs.oktaAwsCli as Record<string, string>;
        expect(env).to.deep.equal({
            OKTA_AWSCLI_ORG_DOMAIN: "acmecorp.okta.com",
            OKTA_AWSCLI_OIDC_CLIENT_ID: env.OKTA_AWSCLI_OIDC_CLIENT_ID,
            OKTA_AWSCLI_AWS_ACCOUNT_FEDERATION_APP_ID: outputs.oktaAppId,
        });
        expect(env.OKTA_AWSCLI_OIDC_CLIENT_ID).to.match(/^0oa\w{17}$/);
        const settings = JSON.parse(resource(shipped, "okta-aws-app-app").inputs.appSettingsJson as string) as {
            webSSOAllowedClient: string;
        };
        expect(settings.webSSOAllowedClient).to.equal(env.OKTA_AWSCLI_OIDC_CLIENT_ID);
        const cliAssignments = identityOf(shipped).resources.filter((r) => r.name.endsWith("-cli-assignment"));
        expect(cliAssignments.map((r) => [r.type, r.inputs.appId, r.inputs.username]).sort()).to.deep.equal([
            ["okta:app/user:User", env.OKTA_AWSCLI_OIDC_CLIENT_ID, "jane@acmecorp.me"],
            ["okta:app/user:User", env.OKTA_AWSCLI_OIDC_CLIENT_ID, "john@acmecorp.me"],
        ]);
        expect(globex.plan.stacks.hub.outputs).to.not.have.property("oktaAwsCli");
        expect(JSON.parse(resource(globex, "okta-aws-app-app").inputs.appSettingsJson as string)).to.not.have.property(
            "webSSOAllowedClient",
        );
    });

    it("creates the role-introspection user with exactly the six read actions, through a group", () => {
        const introspection = identityOf(shipped);
        const policy = resource(shipped, "introspection-user-group-policy");
        expect(policy.inputs.group).to.equal("OktaCliRoleIntrospection-RoleIntrospection");
        expectSnapshot("introspection-policy", JSON.parse(policy.inputs.policy as string));
        expect(resource(shipped, "introspection-user-user").inputs).to.deep.equal({ name: "OktaCliRoleIntrospection" });
        expect(introspection.outputs.introspection).to.deep.include({ iamUser: "OktaCliRoleIntrospection", configProperties: "[secret]" });
        const properties = (introspection.reference.outputs.introspection as { configProperties: string }).configProperties;
        expect(properties).to.match(
            /^OKTA_ORG=acmecorp\.okta\.com\nOKTA_AWS_APP_URL=https:\/\/acmecorp\.okta\.com\/home\/amazon_aws\/0oa\w+\/272\nAWS_IAM_KEY=AKIA[0-9A-F]{16}\nAWS_IAM_SECRET=\S{40}\n$/,
        );
        expect(introspection.reference.secretOutputNames).to.deep.equal(["provisioning", "introspection"]);
    });

    it("keeps both access key secrets secret in the program's own outputs", async () => {
        await useStack("identity", {
            accountId: "671250594556",
            stackOutputs: Object.fromEntries(
                shipped.evaluations.filter((e) => e.config.kind === "member").map((e) => [`organization/okta-aws/${e.stack}`, e.reference]),
            ),
        });
        const exported = await identityStack(shippedConfig("identity"));
        expect(await pulumi.isSecret(exported.provisioning!.secretAccessKey)).to.equal(true);
        expect(await pulumi.isSecret(exported.introspection!.configProperties)).to.equal(true);
        expect(await pulumi.isSecret(exported.introspection!.accessKeyId)).to.equal(false);
    });
});
