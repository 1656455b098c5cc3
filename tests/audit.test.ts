// npm run audit against real servers: moto_server seeded with the organisation through the AWS
// provider's own calls (tests/awsRehearsal.ts), and the Okta test server seeded as the Okta
// provider leaves the org (tests/oktaRehearsal.ts). A clean organisation reports no drift; each
// kind of drift, injected through the APIs as someone would make it, gives exactly its row; errors
// give one line and exit 2; and neither server ever receives a write.
import {
    AttachRolePolicyCommand,
    CreatePolicyVersionCommand,
    CreateRoleCommand,
    CreateOpenIDConnectProviderCommand,
    CreateSAMLProviderCommand,
    DeleteRoleCommand,
    DetachRolePolicyCommand,
    GetSAMLProviderCommand,
    IAMClient,
    UpdateAssumeRolePolicyCommand,
    CreateUserCommand,
    AttachUserPolicyCommand,
    CreateAccessKeyCommand,
    PutGroupPolicyCommand,
    CreateGroupCommand,
    AttachGroupPolicyCommand,
    AddUserToGroupCommand,
    UpdateRoleCommand,
    UpdateSAMLProviderCommand,
} from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { auditReadActions } from "../components/policies";
import { auditOrganisation, AuditResult } from "../tools/audit/audit";
import { plannedOrganisation } from "../tools/audit/planned";
import { OktaReader } from "../tools/audit/okta";
import { CodeOktaIds, oktaIdsFromFile } from "../tools/audit/stateIds";
import { main } from "../tools/commands/audit";
import { everyPages } from "../tools/shared/progress";
import { idpMetadata, mockIdpKey } from "../tools/mock/idp";
import { buildPlan } from "../tools/plan/build";
import type { AccessRow, PlanResult } from "../tools/plan/model";
import { rehearsePlan } from "./awsRehearsal";
import { captureCommand, projectRoot } from "./harness";
import { seedOktaFromPlan, writeIdentityOutputs } from "./oktaRehearsal";
import { motoIamClient, useMotoServer } from "./servers/moto";
import { OktaTestServer, startOktaServer, TestOktaOrg } from "./servers/okta";

const token = "00audit-read-only-token";
const identity = "671250594556";
const retail = "253541269580";
const sales = "881102293469";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-audit-"));

/** The shipped organisation's stack files, the identity stack's `okta-aws:oktaApp` extended by `extra`. */
function shippedWith(extra: string): string {
    const dir = fs.mkdtempSync(path.join(scratch, "org-"));
    for (const file of fs.readdirSync(projectRoot).filter((f) => /^Pulumi\..+\.yaml$/.test(f) && f !== "Pulumi.yaml")) {
        const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
        fs.writeFileSync(path.join(dir, file), text.replace("rolesImported: false }", `${extra} }`));
    }
    return dir;
}

/** The AWS SDK's standard chain pointed at moto through the environment, as a user would point it. */
function sdkEnvironment(endpoint: string): Record<string, string> {
    return {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_REGION: "us-east-1",
        AWS_MAX_ATTEMPTS: "1",
        // Never the instance metadata service or a profile of this machine.
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, "no-credentials"),
        AWS_CONFIG_FILE: path.join(scratch, "no-config"),
        OKTA_API_TOKEN: token,
    };
}

function withEnvironment(values: Record<string, string | undefined>): () => void {
    const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
    const set = (entries: Record<string, string | undefined>) => {
        for (const [key, value] of Object.entries(entries)) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
    };
    set(values);
    return () => set(saved);
}

/** A row of the access matrix, as the audit and the plan write it. */
function row(login: string, samlRole: string, account: string, label: string, role: string, policies: string[]): AccessRow {
    return {
        principal: login,
        principalType: "user",
        samlRole,
        samlRoleArn: `arn:aws:iam::${identity}:role/${samlRole}`,
        targetAccountId: account,
        targetAccountLabel: label,
        targetRoleArn: `arn:aws:iam::${account}:role/${role}`,
        policyArns: policies,
    };
}

describe("npm run audit: the live organisation against the code (moto_server, the Okta test server) @slow", function () {
    this.timeout(120000);
    const moto = useMotoServer();
    let restore: () => void = () => undefined;
    let imported: PlanResult;
    let okta: OktaTestServer | undefined;
    let org: TestOktaOrg;
    /** IAM commands the audit sent, by name. */
    const iamCommands: string[] = [];

    before(async () => {
        restore = withEnvironment(sdkEnvironment(moto().endpoint));
        // The shipped organisation once its roles are imported: people hold their SAML roles.
        imported = await buildPlan(shippedWith("rolesImported: true, id: 0oa1awsapp0acme000a7"));
    });
    after(() => restore());
    afterEach(async () => {
        expect(okta?.writes ?? [], "writes to Okta").to.deep.equal([]);
        expect(
            iamCommands.map((c) => `iam:${c.replace(/Command$/, "")}`).filter((a) => !auditReadActions.includes(a)),
            "IAM calls beyond the audit role's reads",
        ).to.deep.equal([]);
        iamCommands.length = 0;
        await okta?.stop();
        okta = undefined;
    });

    /** The organisation of `result` as a deploy leaves it: AWS in moto, Okta in the test org and its server. */
    async function deployed(
        result: PlanResult,
        options: { rateLimitOnce?: RegExp; nextLinkLoop?: RegExp; liveId?: (planId: string) => string } = {},
    ): Promise<void> {
        const rehearsal = await rehearsePlan(result.plan, moto());
        expect(rehearsal.refused).to.deep.equal([]);
        org = new TestOktaOrg();
        seedOktaFromPlan(org, result, options.liveId);
        okta = await startOktaServer(org, {
            token,
            pageSize: 2,
            rateLimitOnce: options.rateLimitOnce && { path: options.rateLimitOnce },
            nextLinkLoop: options.nextLinkLoop,
        });
    }

    function audit(result: PlanResult, now = new Date(), stateIds?: CodeOktaIds): Promise<AuditResult> {
        return auditOrganisation(
            result,
            {
                okta: new OktaReader({ orgUrl: okta!.url, token }),
                sts: new STSClient({}),
                iam: (credentials) => {
                    const iam = new IAMClient({ credentials });
                    iam.middlewareStack.add(
                        (next, context) => (args) => {
                            iamCommands.push(context.commandName ?? "");
                            return next(args);
                        },
                        { step: "initialize", name: "recordCommands" },
                    );
                    return iam;
                },
            },
            now,
            stateIds,
        );
    }

    const appId = () => [...org.apps.values()].find((app) => app.name === "amazon_aws")!.id;
    const iamOf = (account: string) => motoIamClient(moto().endpoint, account);
    const shippedAccess = [
        row("jane@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]),
        row("john@acmecorp.me", "Retail-EC2-Admins", retail, "Retail", "EC2_Admins", ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"]),
        row("john@acmecorp.me", "Sales-EC2-Admins", sales, "Sales", "EC2_Admins", ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"]),
    ];

    describe("a clean organisation", () => {
        it("the shipped organisation (roles not imported yet): exit 0, no drift, a 429 waited out, out/audit.md and out/audit.json", async () => {
            const shipped = await buildPlan(projectRoot);
            await deployed(shipped, { rateLimitOnce: /\/users$/ });
            const out = path.join(scratch, "out-shipped");
            const { code, stdout, stderr } = await captureCommand(
                (argv) => main(argv),
                [
                    "--config-dir",
                    projectRoot,
                    "--out",
                    out,
                    "--okta-url",
                    okta!.url,
                    "--identity-outputs",
                    writeIdentityOutputs(shipped, path.join(scratch, "shipped-outputs.json")),
                ],
            );
            expect({ code, stderr }).to.deep.equal({ code: 0, stderr: "" });
            expect(stdout.split("\n")).to.deep.equal([
                "no drift: the live organisation matches the code",
                `Wrote ${path.relative(process.cwd(), path.join(out, "audit.md"))}, ${path.relative(process.cwd(), path.join(out, "audit.json"))}`,
            ]);
            const written = JSON.parse(fs.readFileSync(path.join(out, "audit.json"), "utf8")) as AuditResult;
            expect(written).to.deep.include({ ok: true, drift: [], accessGained: [], accessLost: [], pendingAssignments: 2 });
            expect(written.oktaApiCalls.rateLimitWaits).to.equal(1);
            // The audit's own count of Okta calls is what the server received.
            expect(written.oktaApiCalls.total).to.equal(okta!.requests.length);
            const [limited, retried] = okta!.requests.filter((r) => r.url === okta!.requests.find((q) => q.status === 429)!.url);
            expect(retried.at).to.be.at.least(okta!.rateLimited!.reset * 1000);
            expect(limited.status).to.equal(429);
            const markdown = fs.readFileSync(path.join(out, "audit.md"), "utf8");
            expect(markdown.split("\n").slice(0, 4)).to.deep.equal([
                `**Audit of the live organisation** (${new Date().toISOString().slice(0, 10)}, ${path.basename(projectRoot)}): no drift: the live organisation matches the code`,
                "",
                "### Drift",
                "",
            ]);
        });

        it("--progress: the stacks evaluated, the Okta pages and each account's IAM pages, counted as the servers answered them", async () => {
            const shipped = await buildPlan(projectRoot);
            await deployed(shipped, { rateLimitOnce: /\/users$/ });
            const outputs = writeIdentityOutputs(shipped, path.join(scratch, "progress-outputs.json"));
            const argv = ["--config-dir", projectRoot, "--out", path.join(scratch, "out-progress"), "--okta-url", okta!.url];
            const { code, stderr } = await captureCommand((a) => main(a), [...argv, "--identity-outputs", outputs, "--progress"]);
            expect(code).to.equal(0);
            // Every answer the server gave but the 429, which is waited out and asked again.
            const oktaPages = okta!.requests.filter((r) => r.status === 200).length;
            expect(okta!.requests.filter((r) => r.status !== 200).map((r) => r.status)).to.deep.equal([429]);
            // The same organisation read again, each account's IAM answers counted by the client itself.
            const iamPages: number[] = [];
            const lines: string[] = [];
            okta!.requests.length = 0;
            await auditOrganisation(
                shipped,
                {
                    okta: new OktaReader({ orgUrl: okta!.url, token, onPage: everyPages((line) => lines.push(line), "Okta") }),
                    sts: new STSClient({}),
                    iam: (credentials) => {
                        const iam = new IAMClient({ credentials });
                        const account = iamPages.push(0) - 1;
                        iam.middlewareStack.add(
                            (next) => async (args) => {
                                const output = await next(args);
                                iamPages[account]++;
                                return output;
                            },
                            { step: "initialize", name: "countAnswers" },
                        );
                        return iam;
                    },
                    progress: (line) => lines.push(line),
                },
                new Date(),
                oktaIdsFromFile(outputs),
            );
            expect(okta!.requests.filter((r) => r.status === 200).length).to.equal(oktaPages);
            expect(lines).to.deep.equal([
                "reading Okta: the AWS app, who it lets in, its groups and its sign-on policy",
                ...Array.from({ length: Math.floor(oktaPages / 100) }, (_, i) => `read ${(i + 1) * 100} Okta pages`),
                `read Okta: ${oktaPages} pages`,
                `read account retail (${retail}, 1 of 3): ${iamPages[0]} IAM pages`,
                `read account sales (${sales}, 2 of 3): ${iamPages[1]} IAM pages`,
                `read account identity (${identity}, 3 of 3): ${iamPages[2]} IAM pages`,
            ]);
            expect(
                iamPages.filter((pages) => pages < 2),
                "accounts read in fewer than two IAM answers",
            ).to.deep.equal([]);
            expect(stderr.split("\n")).to.deep.equal([
                "progress: evaluating stack retail (1 of 3)",
                "progress: evaluating stack sales (2 of 3)",
                "progress: evaluating stack identity (3 of 3)",
                ...lines.map((line) => `progress: ${line}`),
            ]);
        });

        it("with the roles imported: every person's access, judged on the live documents, is the code's", async () => {
            await deployed(imported);
            const result = await audit(imported);
            expect(result).to.deep.include({
                ok: true,
                summary: "no drift: the live organisation matches the code",
                drift: [],
                accessGained: [],
                accessLost: [],
            });
            expect(result.pendingAssignments).to.equal(0);
        });

        it("in group mapping mode, role groups and their members as the code makes them", async () => {
            const groupMapping = await buildPlan(shippedWith("roleAssignment: groupMapping"));
            await deployed(groupMapping);
            const result = await audit(groupMapping);
            expect(result).to.deep.include({ ok: true, drift: [], accessGained: [], accessLost: [], membershipsElsewhere: [] });
        });
    });

    describe("an existing Okta group: its members are the directory's", () => {
        it("reads its live members and names them by login as the code's access; the group and its members are no drift", async () => {
            const dir = shippedWith("rolesImported: true, id: 0oa1awsapp0acme000a7");
            const identityFile = path.join(dir, "Pulumi.identity.yaml");
            fs.writeFileSync(
                identityFile,
                fs
                    .readFileSync(identityFile, "utf8")
                    .replace("okta-aws:groups: []", "okta-aws:groups: [{ name: Platform, existing: true, samlRoles: [Retail-S3-Admins] }]"),
            );
            const withPlatform = await buildPlan(dir);
            await deployed(withPlatform);
            const platform = [...org.groups.values()].find((g) => g.name === "Platform")!.id;
            for (const login of ["dan@acmecorp.me", "eve@acmecorp.me"]) {
                org.addMember(platform, org.addUser({ login }));
            }
            const result = await audit(withPlatform);
            expect(result).to.deep.include({ ok: true, drift: [], accessGained: [], accessLost: [] });
            const s3Admins = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"];
            expect(result.membersInOkta).to.deep.equal([
                { ...row("dan@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", s3Admins), via: "Platform" },
                { ...row("eve@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", s3Admins), via: "Platform" },
            ]);
        });
    });

    describe("a group renamed in Okta (red team)", () => {
        it("an existing group renamed to a role group's name, and given a person: group-renamed, with the role the filter now reads", async () => {
            const dir = shippedWith("roleAssignment: groupMapping");
            const identityFile = path.join(dir, "Pulumi.identity.yaml");
            fs.writeFileSync(
                identityFile,
                fs
                    .readFileSync(identityFile, "utf8")
                    .replace("okta-aws:groups: []", "okta-aws:groups: [{ name: Platform, existing: true, samlRoles: [Retail-S3-Admins] }]"),
            );
            const plan = await buildPlan(dir);
            await deployed(plan);
            const platform = [...org.groups.values()].find((g) => g.name === "Platform")!;
            // An Okta admin renames the directory's group so the app's filter reads it as EC2 admin, and adds jane.
            const renamed = `aws_${identity}_Retail-EC2-Admins-x`;
            platform.name = renamed;
            org.addMember(platform.id, [...org.users.values()].find((u) => u.login === "jane@acmecorp.me")!.id);
            const result = await audit(plan);
            expect(result.ok).to.equal(false);
            expect(result.drift.filter((d) => d.kind === "group-renamed")).to.deep.equal([
                {
                    kind: "group-renamed",
                    principal: "Platform",
                    resource: 'Okta app "Amazon Web Services"',
                    detail: `group ${platform.id} is named "${renamed}" in Okta, not "Platform" as the code names it: the app's group filter reads the new name as account ${identity}, role Retail-EC2-Admins-x, and Okta sends that role to its members`,
                    people: ["jane@acmecorp.me"],
                },
            ]);
        });
    });

    describe("each kind of drift, injected through the APIs, gives exactly its row", () => {
        beforeEach(() => deployed(imported));

        it("shadow-role: a member role, made by hand, that trusts the identity account", async () => {
            await iamOf(retail).send(
                new CreateRoleCommand({
                    RoleName: "BreakGlass",
                    AssumeRolePolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${identity}:root` }, Action: "sts:AssumeRole" }],
                    }),
                }),
            );
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "shadow-role",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/BreakGlass`,
                    detail: `not in the code, and its trust lets in the identity account ${identity}: AWS:arn:aws:iam::${identity}:root`,
                    people: [],
                },
            ]);
            expect([result.ok, result.accessGained, result.accessLost]).to.deep.equal([false, [], []]);
        });

        it("shadow-role: an identity account role, made by hand, that trusts the SAML provider", async () => {
            await iamOf(identity).send(
                new CreateRoleCommand({
                    RoleName: "Console-Admins",
                    AssumeRolePolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Federated: `arn:aws:iam::${identity}:saml-provider/Okta` },
                                Action: "sts:AssumeRoleWithSAML",
                            },
                        ],
                    }),
                }),
            );
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "shadow-role",
                    account: identity,
                    resource: `arn:aws:iam::${identity}:role/Console-Admins`,
                    detail: `not in the code, and its trust lets in a SAML provider: Federated:arn:aws:iam::${identity}:saml-provider/Okta`,
                    people: [],
                },
            ]);
        });

        it("trust-changed: a member role's trust opened to the whole identity account in the console", async () => {
            await iamOf(retail).send(
                new UpdateAssumeRolePolicyCommand({
                    RoleName: "EC2_Admins",
                    PolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: `arn:aws:iam::${identity}:root` },
                                Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
                            },
                        ],
                    }),
                }),
            );
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "trust-changed",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/EC2_Admins`,
                    detail: `widened: Statement[0].Condition: {"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::${identity}:role/Retail-EC2-Admins"}} → (none)`,
                    people: ["john@acmecorp.me"],
                },
            ]);
            // Every federated role of the identity account now passes this trust, but none of their
            // policies names the role: no person gains access through it.
            expect([result.accessGained, result.accessLost]).to.deep.equal([[], []]);
        });

        it("policy-changed: an allow-assume policy's new default version allows every role", async () => {
            await iamOf(identity).send(
                new CreatePolicyVersionCommand({
                    PolicyArn: `arn:aws:iam::${identity}:policy/allow-assume-retail-ec2-admin-role`,
                    PolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:SetSourceIdentity"], Resource: "*" }],
                    }),
                    SetAsDefault: true,
                }),
            );
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "policy-changed",
                    account: identity,
                    resource: `arn:aws:iam::${identity}:policy/allow-assume-retail-ec2-admin-role`,
                    detail: `default version v2 widened: Statement[0].Resource: "arn:aws:iam::${retail}:role/EC2_Admins" → "*"`,
                    people: ["john@acmecorp.me"],
                },
            ]);
            // The audit roles trust the identity account's root: Retail-EC2-Admins now reaches them,
            // the identity account's own included.
            expect(result.accessGained).to.deep.equal([
                row("john@acmecorp.me", "Retail-EC2-Admins", retail, "Retail", "okta-aws-audit", []),
                row("john@acmecorp.me", "Retail-EC2-Admins", identity, "Identity", "okta-aws-audit", []),
                row("john@acmecorp.me", "Retail-EC2-Admins", sales, "Sales", "okta-aws-audit", []),
            ]);
        });

        it("attachment-added: a managed policy attached to a member role by hand", async () => {
            await iamOf(sales).send(
                new AttachRolePolicyCommand({ RoleName: "EC2_Admins", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
            );
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "attachment-added",
                    account: sales,
                    resource: `arn:aws:iam::${sales}:role/EC2_Admins`,
                    detail: "arn:aws:iam::aws:policy/AdministratorAccess is attached, not by the code",
                    people: ["john@acmecorp.me"],
                },
            ]);
        });

        it("attachment-removed: a member role's managed policy detached", async () => {
            await iamOf(retail).send(
                new DetachRolePolicyCommand({ RoleName: "S3_Admins", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
            );
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "attachment-removed",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/S3_Admins`,
                    detail: "arn:aws:iam::aws:policy/AmazonS3FullAccess is no longer attached",
                },
            ]);
        });

        it("assignment-outside-code: a person assigned to the AWS app in the Admin Console", async () => {
            const eve = org.addUser({ login: "eve@acmecorp.me" });
            org.assignUser(appId(), eve, { role: null, samlRoles: ["Retail-S3-Admins"] });
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "assignment-outside-code",
                    principal: "eve@acmecorp.me",
                    resource: 'Okta app "Amazon Web Services"',
                    detail: "assigned to the app directly with SAML roles Retail-S3-Admins, not by the code",
                    people: ["eve@acmecorp.me"],
                },
            ]);
            expect(result.accessGained).to.deep.equal([
                row("eve@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]),
            ]);
        });

        it("api-integration-off: the app's provisioning erased (a Lifecycle Management trial ended)", async () => {
            org.app(appId()).features = [];
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "api-integration-off",
                    resource: 'Okta app "Amazon Web Services"',
                    detail: "Okta shows no provisioning feature (features []): the API integration is off, so Okta no longer imports the roles; enable it again with the checklist of pulumi stack output provisioning",
                },
            ]);
        });

        it("roles-not-imported: a role the code assigns that no assignment holds", async () => {
            org.assignUser(appId(), org.userId("jane@acmecorp.me"), { role: null, samlRoles: [] });
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "roles-not-imported",
                    resource: "Retail-S3-Admins",
                    detail: "no assignment of the app holds it, though the code assigns it to jane@acmecorp.me: Okta offers only the roles its API integration imported; run Refresh Application Data (or Test API Credentials), then pulumi up",
                },
            ]);
            expect(result.accessLost).to.deep.equal([shippedAccess[0]]);
        });

        it("app-settings-changed: the session duration edited in the Admin Console", async () => {
            org.app(appId()).settings.sessionDuration = 43200;
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "app-settings-changed",
                    resource: 'Okta app "Amazon Web Services"',
                    detail: "sessionDuration: 3600 → 43200",
                    people: ["jane@acmecorp.me", "john@acmecorp.me"],
                },
            ]);
        });

        it("metadata-mismatch: Okta rotated the app's signing certificate; the SAML provider holds the old one", async () => {
            const rotated = mockIdpKey(path.join(scratch, "rotated-key.json"));
            org.rotateSigningKey(
                appId(),
                idpMetadata("http://www.okta.com/exkrotated", "https://acmecorp.okta.com/sso", rotated.certificatePem),
            );
            const [drift] = (await audit(imported)).drift;
            const fingerprint = (pem: string) => `SHA-256 ${new X509Certificate(pem).fingerprint256}`;
            expect(drift).to.deep.equal({
                kind: "metadata-mismatch",
                account: identity,
                resource: `arn:aws:iam::${identity}:saml-provider/Okta`,
                detail: `the provider holds ${fingerprint(mockIdpKey().certificatePem)}; the Okta app "Amazon Web Services" signs with ${fingerprint(rotated.certificatePem)}: sign-in fails until the provider takes the app's current metadata (pulumi up of the identity stack)`,
            });
        });

        it("key-age: the role-listing user's key older than okta-aws:oktaSsoUser.maxKeyAgeDays", async () => {
            const later = new Date(Date.now() + 120 * 86_400_000);
            const result = await audit(imported, later);
            expect(result.drift.map((d) => [d.kind, d.account, d.principal])).to.deep.equal([["key-age", identity, "OktaSSO"]]);
            expect(result.drift[0].detail).to.match(
                /^created \d{4}-\d\d-\d\d, 120 days old, more than 90 \(okta-aws:oktaSsoUser\.maxKeyAgeDays\): rotate it with okta-aws:oktaSsoUser\.keyRotation$/,
            );
            expect(result.drift[0].resource).to.match(/^[A-Z0-9]{16,}$/);
        });

        it("missing: a member role of the code deleted", async () => {
            await iamOf(retail).send(
                new DetachRolePolicyCommand({ RoleName: "S3_Admins", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
            );
            await iamOf(retail).send(new DeleteRoleCommand({ RoleName: "S3_Admins" }));
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "missing",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/S3_Admins`,
                    detail: "role S3_Admins of stack retail does not exist",
                },
            ]);
            expect(result.accessLost).to.deep.equal([shippedAccess[0]]);
        });
    });

    describe("group mapping's memberships made elsewhere", () => {
        it("are reported, not judged, unless the stack says roleGroupMembers: managed", async () => {
            for (const [extra, judged] of [
                ["roleAssignment: groupMapping", false],
                ["roleAssignment: groupMapping, roleGroupMembers: managed", true],
            ] as const) {
                const plan = await buildPlan(shippedWith(extra));
                await deployed(plan);
                const eve = org.addUser({ login: "eve@acmecorp.me" });
                org.addMember(org.groupId(`aws_${identity}_Retail-S3-Admins`), eve);
                const result = await audit(plan);
                const membership = {
                    principal: "eve@acmecorp.me",
                    resource: `Okta group "aws_${identity}_Retail-S3-Admins"`,
                    detail: `member of role group "aws_${identity}_Retail-S3-Admins" (Retail-S3-Admins), not by the code`,
                };
                const eveAccess = row("eve@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", [
                    "arn:aws:iam::aws:policy/AmazonS3FullAccess",
                ]);
                expect({
                    ok: result.ok,
                    drift: result.drift,
                    gained: result.accessGained,
                    elsewhere: result.membershipsElsewhere,
                }).to.deep.equal(
                    judged
                        ? {
                              ok: false,
                              drift: [{ kind: "assignment-outside-code", ...membership, people: ["eve@acmecorp.me"] }],
                              gained: [eveAccess],
                              elsewhere: [],
                          }
                        : { ok: true, drift: [], gained: [], elsewhere: [membership] },
                );
                await okta!.stop();
                okta = undefined;
            }
        });
    });

    describe("emergency roles (tests/fixtures/initech: Payments-Break-Glass)", () => {
        const initechIdentity = "314159265358";
        const payments = "271828182845";
        const group = `aws_${initechIdentity}_Payments-Break-Glass`;
        let initech: PlanResult;
        before(async () => {
            initech = await buildPlan(path.join(projectRoot, "tests/fixtures/initech"));
        });

        it("an empty emergency group assigned to the app is the code's: no drift", async () => {
            await deployed(initech);
            const result = await audit(initech);
            expect({ ok: result.ok, drift: result.drift, gained: result.accessGained, lost: result.accessLost }).to.deep.equal({
                ok: true,
                drift: [],
                gained: [],
                lost: [],
            });
        });

        it("emergency-access-held: a person added to the group (the glass broken) is named, and their access is not counted twice", async () => {
            await deployed(initech);
            const bob = org.addUser({ login: "bob@initech.example" });
            org.addMember(org.groupId(group), bob);
            const result = await audit(initech);
            expect({ ok: result.ok, drift: result.drift, gained: result.accessGained, lost: result.accessLost }).to.deep.equal({
                ok: false,
                drift: [
                    {
                        kind: "emergency-access-held",
                        principal: "bob@initech.example",
                        resource: `Okta group "${group}"`,
                        detail: `holds emergency role Payments-Break-Glass, reaching arn:aws:iam::${payments}:role/Break_Glass: the glass is broken; remove them from the group once the need has passed`,
                        people: ["bob@initech.example"],
                    },
                ],
                gained: [],
                lost: [],
            });
            expect(result.summary).to.equal("1 drift row (1 emergency-access-held), +0 access rows outside the code, −0 lost");
        });

        it("issue 30 item 7: with the live app's joinAllRoles off, a member with an assignment of their own is not said to hold the role", async () => {
            await deployed(initech);
            const app = [...org.apps.values()].find((a) => a.name === "amazon_aws")!;
            app.settings = { ...app.settings, joinAllRoles: false };
            // Peter has an assignment of his own (Payments-Log-Readers): Okta sends him only that.
            org.addMember(org.groupId(group), org.userId("peter@initech.example"));
            // Bob has none: the emergency group is his only group, and Okta sends him its role.
            org.addMember(org.groupId(group), org.addUser({ login: "bob@initech.example" }));
            const result = await audit(initech);
            expect(result.drift).to.deep.equal([
                {
                    kind: "emergency-access-held",
                    principal: "bob@initech.example",
                    resource: `Okta group "${group}"`,
                    detail: `holds emergency role Payments-Break-Glass, reaching arn:aws:iam::${payments}:role/Break_Glass: the glass is broken; remove them from the group once the need has passed`,
                    people: ["bob@initech.example"],
                },
                {
                    kind: "emergency-role-not-sent",
                    principal: "peter@initech.example",
                    resource: `Okta group "${group}"`,
                    detail: "is in the group of emergency role Payments-Break-Glass, but Okta does not send them the role: the app's joinAllRoles is off, so Okta sends only their own assignment's roles (or one group's, by priority); breaking the glass gave them nothing until joinAllRoles is on, as the code sets it",
                },
                {
                    kind: "app-settings-changed",
                    resource: 'Okta app "Initech AWS"',
                    detail: "joinAllRoles: true → false",
                    people: ["bob@initech.example", "michael@initech.example", "peter@initech.example", "samir@initech.example"],
                },
            ]);
            expect([result.accessGained, result.accessLost]).to.deep.equal([[], []]);
        });

        it("in group mapping mode, the emergency group is no role group: its members are held access, never memberships made elsewhere", async () => {
            const dir = fs.mkdtempSync(path.join(scratch, "initech-"));
            fs.cpSync(path.join(projectRoot, "tests/fixtures/initech"), dir, { recursive: true });
            const identityFile = path.join(dir, "Pulumi.identity.yaml");
            fs.writeFileSync(
                identityFile,
                fs.readFileSync(identityFile, "utf8").replace("rolesImported: true,", "rolesImported: true, roleAssignment: groupMapping,"),
            );
            const groupMapping = await buildPlan(dir);
            await deployed(groupMapping);
            expect((await audit(groupMapping)).drift).to.deep.equal([]);
            org.addMember(org.groupId(group), org.addUser({ login: "bob@initech.example" }));
            const result = await audit(groupMapping);
            expect({
                drift: result.drift.map((row) => row.kind),
                gained: result.accessGained,
                elsewhere: result.membershipsElsewhere,
            }).to.deep.equal({
                drift: ["emergency-access-held"],
                gained: [],
                elsewhere: [],
            });
        });

        it("missing: the emergency group's assignment to the app removed", async () => {
            await deployed(initech);
            org.unassignGroup([...org.apps.values()].find((app) => app.name === "amazon_aws")!.id, org.groupId(group));
            expect((await audit(initech)).drift).to.deep.equal([
                {
                    kind: "missing",
                    principal: group,
                    resource: 'Okta app "Initech AWS"',
                    detail: "emergency group not assigned to the app",
                },
            ]);
        });
    });

    describe("every way in (issue 31): each reproduction, injected as an insider would, gives exactly its row", () => {
        const initechIdentity = "314159265358";
        const emergencyGroup = `aws_${initechIdentity}_Payments-Break-Glass`;
        const providerArn = `arn:aws:iam::${identity}:saml-provider/Okta`;
        const federatedRoles = ["Retail-EC2-Admins", "Retail-S3-Admins", "Sales-EC2-Admins"].map(
            (r) => `arn:aws:iam::${identity}:role/${r}`,
        );
        const fingerprint = (pem: string) => `SHA-256 ${new X509Certificate(pem).fingerprint256}`;
        const base64Of = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "");
        const attacker = () => mockIdpKey(path.join(scratch, "attacker-key.json"));
        let initech: PlanResult;
        before(async () => {
            initech = await buildPlan(path.join(projectRoot, "tests/fixtures/initech"));
        });

        /** The identity account's provider metadata with a second signing key descriptor (or `wrap`ped text) before the SSO service. */
        async function addToProviderMetadata(insert: string): Promise<void> {
            const iam = iamOf(identity);
            const { SAMLMetadataDocument } = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn }));
            const metadata = SAMLMetadataDocument!.replace("<md:SingleSignOnService", `${insert}<md:SingleSignOnService`);
            expect(metadata).to.not.equal(SAMLMetadataDocument);
            await iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn, SAMLMetadataDocument: metadata }));
        }
        const keyDescriptor = (pem: string) =>
            `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${base64Of(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;

        it("1. a second signing certificate in the SAML provider is a shadow certificate, naming everyone the provider's roles reach; one in an XML comment is none", async () => {
            await deployed(imported);
            await addToProviderMetadata(`<!-- ${keyDescriptor(attacker().certificatePem)} -->`);
            expect((await audit(imported)).drift).to.deep.equal([]);
            await addToProviderMetadata(keyDescriptor(attacker().certificatePem));
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "shadow-certificate",
                    account: identity,
                    resource: providerArn,
                    detail: `the provider also trusts ${fingerprint(attacker().certificatePem)}, which the Okta app "Amazon Web Services" does not sign with: whoever holds its key signs in as anyone to every role trusting the provider (roles trusting it: ${federatedRoles.join(", ")})`,
                    people: ["jane@acmecorp.me", "john@acmecorp.me"],
                },
            ]);
            expect(result.ok).to.equal(false);
        });

        it("2. a SAML provider and a role trusting it in a member account: a shadow provider and a shadow role", async () => {
            await deployed(imported);
            const { SAMLMetadataDocument } = await iamOf(identity).send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn }));
            const retailProvider = `arn:aws:iam::${retail}:saml-provider/Okta`;
            await iamOf(retail).send(new CreateSAMLProviderCommand({ Name: "Okta", SAMLMetadataDocument }));
            await iamOf(retail).send(
                new CreateRoleCommand({
                    RoleName: "Retail-Direct-Admin",
                    AssumeRolePolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Federated: retailProvider }, Action: "sts:AssumeRoleWithSAML" }],
                    }),
                }),
            );
            await iamOf(retail).send(
                new AttachRolePolicyCommand({ RoleName: "Retail-Direct-Admin", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
            );
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "shadow-provider",
                    account: retail,
                    resource: retailProvider,
                    detail: `SAML provider not in the code, trusting ${fingerprint(mockIdpKey().certificatePem)}; roles trusting it: arn:aws:iam::${retail}:role/Retail-Direct-Admin`,
                    people: [],
                },
                {
                    kind: "shadow-role",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/Retail-Direct-Admin`,
                    detail: `not in the code, and its trust lets in from outside account ${retail}: Federated:${retailProvider}`,
                    people: [],
                },
            ]);
        });

        for (const [label, id] of [
            ["AWS (legacy)", "0oa0legacy0000000001"],
            ["Amazon Web Services", "0oazzzzzzzzzzzzzzzzz"],
        ] as const) {
            it(`3. a second amazon_aws app labelled "${label}" with a clone of the signing key: a shadow app, and its people's access gained`, async () => {
                await deployed(imported);
                const legacy = org.addApp({ id, name: "amazon_aws", label, settings: { ...org.app(appId()).settings }, metadata: "" });
                org.cloneSigningKey(appId(), legacy);
                const mallory = org.addUser({ login: "mallory@acmecorp.me" });
                org.assignUser(legacy, mallory, { role: null, samlRoles: ["Retail-EC2-Admins", "Retail-S3-Admins", "Sales-EC2-Admins"] });
                const result = await audit(imported);
                expect(result.drift).to.deep.equal([
                    {
                        kind: "shadow-app",
                        resource: `Okta app "${label}" (${legacy})`,
                        detail: "amazon_aws app (ACTIVE) not in the code, signing with the code's app's key (a key clone): the SAML provider accepts its assertions; assigned: mallory@acmecorp.me (Retail-EC2-Admins, Retail-S3-Admins, Sales-EC2-Admins)",
                        people: ["mallory@acmecorp.me"],
                    },
                ]);
                expect(result.accessGained).to.deep.equal([
                    row("mallory@acmecorp.me", "Retail-EC2-Admins", retail, "Retail", "EC2_Admins", [
                        "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
                    ]),
                    row("mallory@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", [
                        "arn:aws:iam::aws:policy/AmazonS3FullAccess",
                    ]),
                    row("mallory@acmecorp.me", "Sales-EC2-Admins", sales, "Sales", "EC2_Admins", [
                        "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
                    ]),
                ]);
            });
        }

        it("4. an assignment is its Okta user's, whatever the app username: mallory under john's username is mallory", async () => {
            await deployed(imported);
            const mallory = org.addUser({ login: "mallory@acmecorp.me" });
            org.assignUser(appId(), mallory, { role: null, samlRoles: ["Retail-EC2-Admins", "Sales-EC2-Admins"] }, "john@acmecorp.me");
            org.unassignUser(appId(), org.userId("john@acmecorp.me"));
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "assignment-outside-code",
                    principal: "mallory@acmecorp.me",
                    resource: 'Okta app "Amazon Web Services"',
                    detail: 'assigned to the app directly with SAML roles Retail-EC2-Admins, Sales-EC2-Admins under the app username "john@acmecorp.me", not by the code',
                    people: ["mallory@acmecorp.me"],
                },
                {
                    kind: "missing",
                    principal: "john@acmecorp.me",
                    resource: 'Okta app "Amazon Web Services"',
                    detail: "not assigned to the app (the code assigns Retail-EC2-Admins, Sales-EC2-Admins)",
                },
            ]);
            expect(result.accessGained.map((r) => [r.principal, r.samlRole])).to.deep.equal([
                ["mallory@acmecorp.me", "Retail-EC2-Admins"],
                ["mallory@acmecorp.me", "Sales-EC2-Admins"],
            ]);
            expect(result.accessLost).to.deep.equal(shippedAccess.slice(1));
        });

        it("5a. a directory group named like the emergency group is no emergency group: its assignment and its people's access are outside the code", async () => {
            await deployed(initech);
            const initechApp = [...org.apps.values()].find((app) => app.name === "amazon_aws")!.id;
            const lookalike = org.addGroup({ id: "00gdirectory00000001", name: emergencyGroup, type: "APP_GROUP" });
            const mallory = org.addUser({ login: "mallory@initech.example" });
            org.addMember(lookalike, mallory);
            org.assignGroup(initechApp, lookalike, {
                priority: 3,
                profile: { role: null, samlRoles: ["Payments-Deployers", "Payments-Log-Readers"] },
            });
            const result = await audit(initech);
            expect(result.drift).to.deep.equal([
                {
                    kind: "assignment-outside-code",
                    principal: emergencyGroup,
                    resource: 'Okta app "Initech AWS"',
                    detail: "group 00gdirectory00000001 (APP_GROUP) assigned to the app with SAML roles Payments-Deployers, Payments-Log-Readers (1 member), not by the code",
                    people: ["mallory@initech.example"],
                },
            ]);
            expect(result.accessGained.map((r) => [r.principal, r.samlRole])).to.deep.equal([
                ["mallory@initech.example", "Payments-Deployers"],
                ["mallory@initech.example", "Payments-Log-Readers"],
            ]);
        });

        it("5b. roles added to the emergency group's assignment are compared", async () => {
            await deployed(initech);
            const initechApp = [...org.apps.values()].find((app) => app.name === "amazon_aws")!.id;
            const groupId = org.groupId(emergencyGroup);
            org.assignGroup(initechApp, groupId, {
                priority: 2,
                profile: { role: null, samlRoles: ["Payments-Break-Glass", "Payments-Deployers"] },
            });
            expect((await audit(initech)).drift).to.deep.equal([
                {
                    kind: "assignment-roles-changed",
                    principal: emergencyGroup,
                    resource: 'Okta app "Initech AWS"',
                    detail: "SAML roles Payments-Break-Glass → Payments-Break-Glass, Payments-Deployers: added Payments-Deployers",
                    people: [],
                },
            ]);
        });

        it("6. a one-string NotAction that leaves out AssumeRoleWithSAML still allows AssumeRole: a shadow role", async () => {
            await deployed(imported);
            await iamOf(retail).send(
                new CreateRoleCommand({
                    RoleName: "Shadow",
                    AssumeRolePolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${identity}:root` }, NotAction: "sts:AssumeRoleWithSAML" },
                        ],
                    }),
                }),
            );
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "shadow-role",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/Shadow`,
                    detail: `not in the code, and its trust lets in the identity account ${identity}: AWS:arn:aws:iam::${identity}:root`,
                    people: [],
                },
            ]);
        });

        it("7. the emergency federated role's MaxSessionDuration raised from one hour to twelve", async () => {
            await deployed(initech);
            await iamOf(initechIdentity).send(new UpdateRoleCommand({ RoleName: "Payments-Break-Glass", MaxSessionDuration: 43200 }));
            expect((await audit(initech)).drift).to.deep.equal([
                {
                    kind: "session-length-changed",
                    account: initechIdentity,
                    resource: `arn:aws:iam::${initechIdentity}:role/Payments-Break-Glass`,
                    detail: "MaxSessionDuration lengthened: 3600 s → 43200 s",
                    people: [],
                },
            ]);
        });

        it("8. the sign-on policy's rules read and compared: one factor allowed, the network zone dropped, re-authentication lengthened; the CLI app moved to a policy that allows all", async () => {
            await deployed(initech);
            const policyId = initech.plan.stacks.identity.outputs.signOnPolicy as { policyId: string };
            const rule = org.policyRules.get(policyId.policyId)!.find((r) => r.name === "Two factors, phishing-resistant")!;
            const signOn = (rule.actions as { appSignOn: { verificationMethod: Record<string, unknown> } }).appSignOn;
            signOn.verificationMethod.factorMode = "1FA";
            signOn.verificationMethod.reauthenticateIn = "PT24H";
            rule.conditions = { network: { connection: "ANYWHERE" } };
            const cliApp = [...org.apps.values()].find((app) => app.name === "oidc_client")!.id;
            org.setAccessPolicy(cliApp, "rstweak", [
                {
                    id: "rulweak",
                    name: "Catch-all Rule",
                    priority: 99,
                    status: "ACTIVE",
                    system: true,
                    type: "ACCESS_POLICY",
                    conditions: null,
                    actions: {
                        appSignOn: {
                            access: "ALLOW",
                            verificationMethod: { factorMode: "1FA", type: "ASSURANCE", reauthenticateIn: "PT12H" },
                        },
                    },
                },
            ]);
            const people = ["michael@initech.example", "peter@initech.example", "samir@initech.example"];
            expect((await audit(initech)).drift).to.deep.equal([
                {
                    kind: "sign-on-weakened",
                    resource: `authentication policy ${policyId.policyId}`,
                    detail: 'rule "Two factors, phishing-resistant": factorMode 2FA → 1FA, reauthenticateIn PT8H → PT24H, network ZONE → ANYWHERE, networkIncludes ["nzo1initechoffice0a7"] → []',
                    people,
                },
                {
                    kind: "sign-on-weakened",
                    resource: `Okta app ${cliApp} (okta-aws-cli)`,
                    detail: `uses authentication policy rstweak, not the code's ${policyId.policyId}; against the code's rules: rule "Emergency Payments-Break-Glass" is missing; rule "Two factors, phishing-resistant" is missing; rule "Deny everything else" is missing; catch-all rule "Catch-all Rule": access DENY → ALLOW`,
                    people,
                },
            ]);
        });

        it("red team: an allow-assume policy rewritten to sts:Assume* on another member role, whose trust is opened to the identity account: that role's access gained, the people named", async () => {
            await deployed(imported);
            await iamOf(identity).send(
                new CreatePolicyVersionCommand({
                    PolicyArn: `arn:aws:iam::${identity}:policy/allow-assume-retail-ec2-admin-role`,
                    PolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "sts:Assume*", Resource: [`arn:aws:iam::${retail}:role/S3_Admins`] }],
                    }),
                    SetAsDefault: true,
                }),
            );
            await iamOf(retail).send(
                new UpdateAssumeRolePolicyCommand({
                    RoleName: "S3_Admins",
                    PolicyDocument: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${identity}:root` }, Action: "sts:AssumeRole" }],
                    }),
                }),
            );
            const result = await audit(imported);
            expect(result.drift.map((d) => [d.kind, d.resource, d.people])).to.deep.equal([
                ["trust-changed", `arn:aws:iam::${retail}:role/S3_Admins`, ["jane@acmecorp.me", "john@acmecorp.me"]],
                ["policy-changed", `arn:aws:iam::${identity}:policy/allow-assume-retail-ec2-admin-role`, ["john@acmecorp.me"]],
            ]);
            expect([result.accessGained, result.accessLost]).to.deep.equal([
                [
                    row("john@acmecorp.me", "Retail-EC2-Admins", retail, "Retail", "S3_Admins", [
                        "arn:aws:iam::aws:policy/AmazonS3FullAccess",
                    ]),
                ],
                [shippedAccess[1]],
            ]);
        });

        it("red team: an OIDC provider is a shadow provider; a role in a member account trusting another account, a web identity or a service is a shadow role", async () => {
            await deployed(imported);
            const outsider = "123456789012";
            await iamOf(sales).send(
                new CreateOpenIDConnectProviderCommand({
                    Url: "https://token.actions.githubusercontent.com",
                    ClientIDList: ["sts.amazonaws.com"],
                    ThumbprintList: ["6938fd4d98bab03faadb97b34396831e3780aea1"],
                }),
            );
            for (const [RoleName, Principal, Action] of [
                ["Vendor", { AWS: `arn:aws:iam::${outsider}:root` }, "sts:AssumeRole"],
                [
                    "GitHub",
                    { Federated: `arn:aws:iam::${sales}:oidc-provider/token.actions.githubusercontent.com` },
                    "sts:AssumeRoleWithWebIdentity",
                ],
                ["Batch", { Service: "batch.amazonaws.com" }, "sts:AssumeRole"],
            ] as const) {
                await iamOf(sales).send(
                    new CreateRoleCommand({
                        RoleName,
                        AssumeRolePolicyDocument: JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [{ Effect: "Allow", Principal, Action }],
                        }),
                    }),
                );
            }
            expect((await audit(imported)).drift.map((d) => [d.kind, d.resource, d.detail])).to.deep.equal([
                [
                    "shadow-provider",
                    `arn:aws:iam::${sales}:oidc-provider/token.actions.githubusercontent.com`,
                    `OpenID Connect provider not in the code (token.actions.githubusercontent.com, clients sts.amazonaws.com); roles trusting it: arn:aws:iam::${sales}:role/GitHub`,
                ],
                [
                    "shadow-role",
                    `arn:aws:iam::${sales}:role/Batch`,
                    `not in the code, and its trust lets in from outside account ${sales}: Service:batch.amazonaws.com`,
                ],
                [
                    "shadow-role",
                    `arn:aws:iam::${sales}:role/GitHub`,
                    `not in the code, and its trust lets in from outside account ${sales}: Federated:arn:aws:iam::${sales}:oidc-provider/token.actions.githubusercontent.com`,
                ],
                [
                    "shadow-role",
                    `arn:aws:iam::${sales}:role/Vendor`,
                    `not in the code, and its trust lets in from outside account ${sales}: AWS:arn:aws:iam::${outsider}:root`,
                ],
            ]);
        });

        it("9. an app without a signing key id is an unverified row, and the audit is not ok", async () => {
            await deployed(imported);
            org.app(appId()).signingKid = undefined;
            const result = await audit(imported);
            expect([result.ok, result.drift]).to.deep.equal([
                false,
                [
                    {
                        kind: "unverified",
                        resource: `Okta app "Amazon Web Services" (${appId()})`,
                        detail: "the app has no signing key id (credentials.signing.kid): its IdP metadata cannot be read, so which certificate it signs with, and which SAML provider accepts it, is not known",
                    },
                ],
            ]);
        });

        it("10. a next link back to the same page: exit 2 with one line, the page read once", async () => {
            const dir = shippedWith("rolesImported: true, id: 0oa1awsapp0acme000a7");
            const looped = await buildPlan(dir);
            await deployed(looped, { nextLinkLoop: /\/users$/ });
            const { code, stdout, stderr } = await captureCommand(
                (argv) => main(argv),
                [
                    "--config-dir",
                    dir,
                    "--out",
                    path.join(scratch, "out-loop"),
                    "--okta-url",
                    okta!.url,
                    "--identity-outputs",
                    writeIdentityOutputs(looped, path.join(scratch, "loop-outputs.json")),
                ],
            );
            const users = `/api/v1/apps/${appId()}/users`;
            expect({ code, stdout, stderr }).to.deep.equal({
                code: 2,
                stdout: "",
                stderr: `okta: GET ${users}: the next link leads back to a page already read (${users}?limit=500&expand=user): the list never ends`,
            });
            expect(okta!.requests.filter((r) => r.url.startsWith(users)).length).to.equal(1);
        });

        it("11. AdministratorAccess attached by hand names the people holding the role; the pending count is the preview's", async () => {
            await deployed(imported);
            await iamOf(retail).send(
                new AttachRolePolicyCommand({ RoleName: "S3_Admins", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
            );
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "attachment-added",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/S3_Admins`,
                    detail: "arn:aws:iam::aws:policy/AdministratorAccess is attached, not by the code",
                    people: ["jane@acmecorp.me"],
                },
            ]);
            await okta!.stop();
            const dir = fs.mkdtempSync(path.join(scratch, "initech-pending-"));
            fs.cpSync(path.join(projectRoot, "tests/fixtures/initech"), dir, { recursive: true });
            const identityFile = path.join(dir, "Pulumi.identity.yaml");
            fs.writeFileSync(
                identityFile,
                fs.readFileSync(identityFile, "utf8").replace(/rolesImported: true,\s+id: \w+,/, "rolesImported: false,"),
            );
            const pending = await buildPlan(dir);
            await deployed(pending);
            const preview = Object.values(pending.plan.stacks).find((s) => s.kind === "identity")!.outputs.pendingAssignments as {
                users: number;
                groups: number;
            };
            expect([preview.users, preview.groups, (await audit(pending)).pendingAssignments]).to.deep.equal([2, 2, 4]);
        });
    });

    describe("the code's Okta objects known by the ids of its state, never the plan's mock ids or a name (issue 31)", () => {
        const initechIdentity = "314159265358";
        const emergencyGroup = `aws_${initechIdentity}_Payments-Break-Glass`;
        /** An id a real org gives the object the mock gave `planId`: the same kind, another value. */
        const liveId = (planId: string) => `${planId.slice(0, 3)}live${planId.slice(7)}`;
        let initech: PlanResult;
        let stateIds: CodeOktaIds;
        beforeEach(async () => {
            initech ??= await buildPlan(path.join(projectRoot, "tests/fixtures/initech"));
            await deployed(initech, { liveId });
            stateIds = oktaIdsFromFile(writeIdentityOutputs(initech, path.join(scratch, "initech-live-outputs.json"), liveId));
        });

        it("an org whose Okta ids are not the plan's but the identity stack's outputs': no drift (groups, assignments, emergency group, sign-on policy, CLI app)", async () => {
            const result = await audit(initech, new Date(), stateIds);
            expect({ ok: result.ok, drift: result.drift, gained: result.accessGained, lost: result.accessLost }).to.deep.equal({
                ok: true,
                drift: [],
                gained: [],
                lost: [],
            });
            // The plan's own (mock) ids name nothing of this org: that is why the audit takes the state's.
            expect((await audit(initech)).ok).to.equal(false);
        });

        it("a group with the emergency group's name and another id is drift, naming its member; the real emergency group stays empty", async () => {
            const initechApp = [...org.apps.values()].find((app) => app.name === "amazon_aws")!.id;
            const lookalike = org.addGroup({ id: "00gnamedlike00000001", name: emergencyGroup });
            const mallory = org.addUser({ login: "mallory@initech.example" });
            org.addMember(lookalike, mallory);
            org.assignGroup(initechApp, lookalike, { priority: 3, profile: { role: null, samlRoles: ["Payments-Break-Glass"] } });
            const result = await audit(initech, new Date(), stateIds);
            expect(result.drift).to.deep.equal([
                {
                    kind: "assignment-outside-code",
                    principal: emergencyGroup,
                    resource: 'Okta app "Initech AWS"',
                    detail: "group 00gnamedlike00000001 (OKTA_GROUP) assigned to the app with SAML roles Payments-Break-Glass (1 member), not by the code",
                    people: ["mallory@initech.example"],
                },
            ]);
            expect(result.accessGained.map((r) => [r.principal, r.samlRole, r.targetRoleArn])).to.deep.equal([
                ["mallory@initech.example", "Payments-Break-Glass", "arn:aws:iam::271828182845:role/Break_Glass"],
            ]);
        });
    });

    describe("ways in through group mapping and the identity account (issue 31)", () => {
        const providerArn = `arn:aws:iam::${identity}:saml-provider/Okta`;
        const adminAccess = "arn:aws:iam::aws:policy/AdministratorAccess";
        let groupMapping: PlanResult;
        const trustOf = (principal: Record<string, string>, action = "sts:AssumeRole") =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: action }] });
        async function adminRole(account: string, name: string, trust: string): Promise<void> {
            await iamOf(account).send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
            await iamOf(account).send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: adminAccess }));
        }

        it("a group the group filter matches, not the code's and not assigned: a shadow group naming its members, and the access it gives people the app is assigned to", async () => {
            groupMapping ??= await buildPlan(shippedWith("roleAssignment: groupMapping"));
            await deployed(groupMapping);
            // Named exactly like the code's role group of Retail-S3-Admins: another group all the same.
            const shadow = org.addGroup({ id: "00gshadow00000000001", name: `aws_${identity}_Retail-S3-Admins` });
            org.addMember(shadow, org.userId("john@acmecorp.me"));
            org.addMember(shadow, org.addUser({ login: "mallory@acmecorp.me" }));
            const result = await audit(groupMapping);
            expect(result.drift).to.deep.equal([
                {
                    kind: "shadow-group",
                    principal: `aws_${identity}_Retail-S3-Admins`,
                    resource: 'Okta app "Amazon Web Services"',
                    detail: `group 00gshadow00000000001 (OKTA_GROUP) not in the code and not assigned to the app, but the app's group filter matches its name (account ${identity}, role Retail-S3-Admins): Okta sends that role to every member the app is assigned to (2 members)`,
                    people: ["john@acmecorp.me", "mallory@acmecorp.me"],
                },
            ]);
            // mallory is assigned to the app by no group: Okta sends her nothing yet.
            expect(result.accessGained).to.deep.equal([
                row("john@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]),
            ]);
        });

        it("a member account's own SAML provider and role under group mapping: the people of the matching aws_<account>_<role> group are named", async () => {
            groupMapping ??= await buildPlan(shippedWith("roleAssignment: groupMapping"));
            await deployed(groupMapping);
            const { SAMLMetadataDocument } = await iamOf(identity).send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn }));
            const retailProvider = `arn:aws:iam::${retail}:saml-provider/Okta`;
            await iamOf(retail).send(new CreateSAMLProviderCommand({ Name: "Okta", SAMLMetadataDocument }));
            await adminRole(retail, "Retail-Direct-Admin", trustOf({ Federated: retailProvider }, "sts:AssumeRoleWithSAML"));
            const group = org.addGroup({ id: "00gdirect00000000001", name: `aws_${retail}_Retail-Direct-Admin` });
            org.addMember(group, org.userId("jane@acmecorp.me"));
            const result = await audit(groupMapping);
            expect(result.drift).to.deep.equal([
                {
                    kind: "shadow-provider",
                    account: retail,
                    resource: retailProvider,
                    detail: `SAML provider not in the code, trusting ${`SHA-256 ${new X509Certificate(mockIdpKey().certificatePem).fingerprint256}`}; roles trusting it: arn:aws:iam::${retail}:role/Retail-Direct-Admin`,
                    people: ["jane@acmecorp.me"],
                },
                {
                    kind: "shadow-group",
                    principal: `aws_${retail}_Retail-Direct-Admin`,
                    resource: 'Okta app "Amazon Web Services"',
                    detail: `group 00gdirect00000000001 (OKTA_GROUP) not in the code and not assigned to the app, but the app's group filter matches its name (account ${retail}, role Retail-Direct-Admin): Okta sends that role to every member the app is assigned to (1 member)`,
                    people: ["jane@acmecorp.me"],
                },
                {
                    kind: "shadow-role",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:role/Retail-Direct-Admin`,
                    detail: `not in the code, and its trust lets in from outside account ${retail}: Federated:${retailProvider}`,
                    people: ["jane@acmecorp.me"],
                },
            ]);
            expect(result.accessGained).to.deep.equal([
                {
                    ...row("jane@acmecorp.me", "Retail-Direct-Admin", retail, "Retail", "Retail-Direct-Admin", [adminAccess]),
                    samlRoleArn: `arn:aws:iam::${retail}:role/Retail-Direct-Admin`,
                },
            ]);
        });

        it("an identity-account role trusting a federated role by ARN: a shadow role and access gained, naming who holds the federated role", async () => {
            await deployed(imported);
            await adminRole(identity, "Identity-Admin", trustOf({ AWS: `arn:aws:iam::${identity}:role/Retail-EC2-Admins` }));
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "shadow-role",
                    account: identity,
                    resource: `arn:aws:iam::${identity}:role/Identity-Admin`,
                    detail: `not in the code, and its trust lets in principals of the identity account, where the federated roles are: AWS:arn:aws:iam::${identity}:role/Retail-EC2-Admins`,
                    people: ["john@acmecorp.me"],
                },
            ]);
            expect(result.accessGained).to.deep.equal([
                row("john@acmecorp.me", "Retail-EC2-Admins", identity, "Identity", "Identity-Admin", [adminAccess]),
            ]);
        });
    });

    describe("the attribute statements okta-aws:oktaApp says an administrator added (issue 32 item 4, the audit's side)", () => {
        const appName = 'Okta app "Amazon Web Services"';
        let declared: PlanResult;
        beforeEach(async () => {
            declared ??= await buildPlan(
                shippedWith("rolesImported: true, id: 0oa1awsapp0acme000a7, sourceIdentity: true, sessionTags: true"),
            );
            await deployed(declared);
        });
        const statement = (name: string, value: string) => ({
            type: "EXPRESSION",
            name,
            namespace: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
            values: [value],
        });

        it("both on the live app: no drift", async () => {
            org.app(appId()).attributeStatements = [
                statement("https://aws.amazon.com/SAML/Attributes/SourceIdentity", "user.login"),
                statement("https://aws.amazon.com/SAML/Attributes/PrincipalTag:team", "user.department"),
            ];
            expect((await audit(declared)).drift).to.deep.equal([]);
        });

        it("not on the live app: a row each, saying AWS gets neither", async () => {
            org.app(appId()).attributeStatements = [statement("https://aws.amazon.com/SAML/Attributes/Other", "user.login")];
            expect((await audit(declared)).drift).to.deep.equal([
                {
                    kind: "app-settings-changed",
                    resource: appName,
                    detail: "okta-aws:oktaApp.sessionTags says an administrator added the attribute statement https://aws.amazon.com/SAML/Attributes/PrincipalTag:<key>; the app has none (its attribute statements: https://aws.amazon.com/SAML/Attributes/Other): Okta does not send it, so AWS gets no session tags",
                },
                {
                    kind: "app-settings-changed",
                    resource: appName,
                    detail: "okta-aws:oktaApp.sourceIdentity says an administrator added the attribute statement https://aws.amazon.com/SAML/Attributes/SourceIdentity; the app has none (its attribute statements: https://aws.amazon.com/SAML/Attributes/Other): Okta does not send it, so AWS gets no SourceIdentity",
                },
            ]);
        });

        it("an app object that shows no attribute statements: unverified, with the reason, and not ok", async () => {
            org.app(appId()).attributeStatements = undefined;
            const result = await audit(declared);
            expect(result.drift).to.deep.equal(
                ["sessionTags", "sourceIdentity"].map((key) => ({
                    kind: "unverified",
                    resource: appName,
                    detail: `okta-aws:oktaApp.${key} says an administrator added the attribute statement ${key === "sourceIdentity" ? "https://aws.amazon.com/SAML/Attributes/SourceIdentity" : "https://aws.amazon.com/SAML/Attributes/PrincipalTag:<key>"}, but Okta's Apps API shows this app no attribute statements (settings.signOn.attributeStatements, configuredAttributeStatements): whether Okta sends it is not known`,
                })),
            );
            expect(result.ok).to.equal(false);
        });
    });

    describe("red team (issue 31): each gap found, injected as an insider would, gives exactly its row", () => {
        const adminAccess = "arn:aws:iam::aws:policy/AdministratorAccess";

        it("an IAM user with an access key in a member account is a shadow user; AdministratorAccess on the role-listing user is policy-changed", async () => {
            await deployed(imported);
            await iamOf(retail).send(new CreateUserCommand({ UserName: "backdoor" }));
            await iamOf(retail).send(new AttachUserPolicyCommand({ UserName: "backdoor", PolicyArn: adminAccess }));
            const { AccessKey } = await iamOf(retail).send(new CreateAccessKeyCommand({ UserName: "backdoor" }));
            await iamOf(identity).send(new AttachUserPolicyCommand({ UserName: "OktaSSO", PolicyArn: adminAccess }));
            expect((await audit(imported)).drift).to.deep.equal([
                {
                    kind: "shadow-user",
                    account: retail,
                    resource: `arn:aws:iam::${retail}:user/backdoor`,
                    detail: `IAM user not in the code (active access keys: ${AccessKey!.AccessKeyId}): long-lived credentials into account ${retail} that bypass Okta`,
                },
                {
                    kind: "policy-changed",
                    account: identity,
                    resource: `arn:aws:iam::${identity}:user/OktaSSO`,
                    detail: `the user's own policies: ${adminAccess} is attached, not by the code`,
                },
            ]);
        });

        it("the SAML provider's metadata replaced by an insider's: not only a metadata mismatch, a shadow certificate (no key the app ever had)", async () => {
            await deployed(imported);
            const providerArn = `arn:aws:iam::${identity}:saml-provider/Okta`;
            const insider = mockIdpKey(path.join(scratch, "insider-key.json"));
            await iamOf(identity).send(
                new UpdateSAMLProviderCommand({
                    SAMLProviderArn: providerArn,
                    SAMLMetadataDocument: idpMetadata(
                        "http://www.okta.com/exkinsider",
                        "https://acmecorp.okta.com/sso",
                        insider.certificatePem,
                    ),
                }),
            );
            const fingerprint = (pem: string) => `SHA-256 ${new X509Certificate(pem).fingerprint256}`;
            const roles = ["Retail-EC2-Admins", "Retail-S3-Admins", "Sales-EC2-Admins"].map((r) => `arn:aws:iam::${identity}:role/${r}`);
            const result = await audit(imported);
            expect(result.drift).to.deep.equal([
                {
                    kind: "shadow-certificate",
                    account: identity,
                    resource: providerArn,
                    detail: `the provider trusts ${fingerprint(insider.certificatePem)}, which is no signing key the Okta app "Amazon Web Services" has ever had: whoever holds its key signs in as anyone to every role trusting the provider (roles trusting it: ${roles.join(", ")})`,
                    people: [],
                },
                {
                    kind: "metadata-mismatch",
                    account: identity,
                    resource: providerArn,
                    detail: `the provider holds ${fingerprint(insider.certificatePem)}; the Okta app "Amazon Web Services" signs with ${fingerprint(mockIdpKey().certificatePem)}: sign-in fails until the provider takes the app's current metadata (pulumi up of the identity stack)`,
                },
            ]);
        });

        it("the role-listing user's group policy rewritten to iam:*, and the user put in a second group: policy-changed", async () => {
            await deployed(imported);
            const iam = iamOf(identity);
            const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] };
            await iam.send(
                new PutGroupPolicyCommand({
                    GroupName: "OktaSSO-RoleDiscovery",
                    PolicyName: "okta-list-roles",
                    PolicyDocument: JSON.stringify(everything),
                }),
            );
            await iam.send(new CreateGroupCommand({ GroupName: "Admins" }));
            await iam.send(new AttachGroupPolicyCommand({ GroupName: "Admins", PolicyArn: adminAccess }));
            await iam.send(new AddUserToGroupCommand({ GroupName: "Admins", UserName: "OktaSSO" }));
            expect((await audit(imported)).drift.map((row) => [row.kind, row.resource, row.detail.split(":")[0]])).to.deep.equal([
                ["policy-changed", `arn:aws:iam::${identity}:user/OktaSSO`, "group Admins, which the code does not put it in"],
                ["policy-changed", `arn:aws:iam::${identity}:user/OktaSSO`, "group OktaSSO-RoleDiscovery"],
            ]);
        });
    });

    describe("direct sign-in (tests/fixtures/hooli: Ads and Search direct, Legacy chained; issue 35)", () => {
        const [hooliIdentity, ads, search, legacy] = ["161803398874", "141421356237", "173205080756", "223606797749"];
        const provider = (account: string) => `arn:aws:iam::${account}:saml-provider/Okta`;
        const fingerprint = (pem: string) => `SHA-256 ${new X509Certificate(pem).fingerprint256}`;
        let hooli: PlanResult;
        before(async () => {
            hooli = await buildPlan(path.join(projectRoot, "tests", "fixtures", "hooli"));
        });
        /** A grant as the audit writes it: through the identity account's federated role, or (direct) into the member role itself. */
        const grant = (login: string, samlRole: string, account: string, label: string, role: string, policy: string, direct: boolean) => ({
            ...row(login, samlRole, account, label, role, [`arn:aws:iam::aws:policy/${policy}`]),
            samlRoleArn: direct ? `arn:aws:iam::${account}:role/${role}` : `arn:aws:iam::${hooliIdentity}:role/${samlRole}`,
        });

        it("deployed as planned: each direct member's provider and trusts are the code's, and every grant, direct or chained, is the code's: no drift", async () => {
            const planned = plannedOrganisation(hooli);
            // The direct members' providers are the code's, in their own accounts; the chained member has none.
            expect(planned.accounts.map((account) => [account.stack, account.samlProviders])).to.deep.equal([
                ["ads", [provider(ads)]],
                ["legacy", []],
                ["search", [provider(search)]],
                ["identity", [provider(hooliIdentity)]],
            ]);
            // Each person's access by the SAML role the code gives them, a direct grant landing in the member role itself.
            expect(planned.access).to.deep.equal([
                grant("dinesh@hooli.example", "Ads-Analysts", ads, "Ads", "Analysts", "AmazonAthenaFullAccess", true),
                grant("dinesh@hooli.example", "Search-Engineers", search, "Search", "Engineers", "PowerUserAccess", true),
                grant("gavin@hooli.example", "Ads-Analysts", ads, "Ads", "Analysts", "AmazonAthenaFullAccess", true),
                grant("gavin@hooli.example", "Legacy-Operators", legacy, "Legacy", "Operators", "ReadOnlyAccess", false),
                grant("richard@hooli.example", "Search-Engineers", search, "Search", "Engineers", "PowerUserAccess", true),
            ]);
            await deployed(hooli);
            const result = await audit(hooli);
            expect(result).to.deep.include({ ok: true, drift: [], accessGained: [], accessLost: [] });
        });

        it("a SAML provider in the chained member: a shadow provider", async () => {
            await deployed(hooli);
            const { SAMLMetadataDocument } = await iamOf(ads).send(new GetSAMLProviderCommand({ SAMLProviderArn: provider(ads) }));
            await iamOf(legacy).send(new CreateSAMLProviderCommand({ Name: "Okta", SAMLMetadataDocument }));
            const result = await audit(hooli);
            expect(result.drift).to.deep.equal([
                {
                    kind: "shadow-provider",
                    account: legacy,
                    resource: provider(legacy),
                    detail: `SAML provider not in the code, trusting ${fingerprint(mockIdpKey().certificatePem)}; no role trusts it yet`,
                    people: [],
                },
            ]);
            expect([result.accessGained, result.accessLost]).to.deep.equal([[], []]);
        });

        it("a direct role trusting another account's provider: its trust changed, and the access of its own account's sign-in lost", async () => {
            await deployed(hooli);
            const trust = JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: provider(search) },
                        Action: "sts:AssumeRoleWithSAML",
                        Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
                    },
                ],
            });
            await iamOf(ads).send(new UpdateAssumeRolePolicyCommand({ RoleName: "Analysts", PolicyDocument: trust }));
            const result = await audit(hooli);
            expect(result.drift).to.deep.equal([
                {
                    kind: "trust-changed",
                    account: ads,
                    resource: `arn:aws:iam::${ads}:role/Analysts`,
                    detail: `changed: Statement[0].Principal.Federated: "${provider(ads)}" → "${provider(search)}"; Statement[1]: {"Effect":"Allow","Principal":{"Federated":"${provider(ads)}"},"Action":"sts:SetSourceIdentity"} → (none)`,
                    // Okta pairs each account's provider with that account's roles only: nobody signs in through Search's.
                    people: [],
                },
            ]);
            // The sign-in Okta sends (Ads' provider, Ads' role) no longer gets in: Ads-Analysts is lost to both who hold it.
            expect([result.accessGained, result.accessLost]).to.deep.equal([
                [],
                [
                    grant("dinesh@hooli.example", "Ads-Analysts", ads, "Ads", "Analysts", "AmazonAthenaFullAccess", true),
                    grant("gavin@hooli.example", "Ads-Analysts", ads, "Ads", "Analysts", "AmazonAthenaFullAccess", true),
                ],
            ]);
        });
    });

    describe("exit codes and one-line errors", () => {
        /** The command, given the identity stack's outputs of `result` as the deploy left them. */
        const run = (argv: string[], result?: PlanResult) =>
            captureCommand(
                (args) => main(args),
                result ? [...argv, "--identity-outputs", writeIdentityOutputs(result, path.join(scratch, "run-outputs.json"))] : argv,
            );

        it("exits 1 on drift, with the summary line", async () => {
            const dir = shippedWith("rolesImported: true, id: 0oa1awsapp0acme000a7");
            const result = await buildPlan(dir);
            await deployed(result);
            org.app(appId()).settings.loginURL = "https://evil.example.com/";
            const { code, stdout } = await run(
                ["--config-dir", dir, "--out", path.join(scratch, "out-drift"), "--okta-url", okta!.url],
                result,
            );
            expect([code, stdout.split("\n")[0]]).to.deep.equal([
                1,
                "1 drift row (1 app-settings-changed), +0 access rows outside the code, −0 lost",
            ]);
        });

        it("exits 2 with one line when Okta cannot be reached, the token is missing, or AWS gives no credentials", async () => {
            const dir = shippedWith("rolesImported: true, id: 0oa1awsapp0acme000a7");
            const result = await buildPlan(dir);
            const probe = net.createServer();
            await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
            const { port } = probe.address() as net.AddressInfo;
            await new Promise((resolve) => probe.close(resolve));
            expect(await run(["--config-dir", dir, "--okta-url", `http://127.0.0.1:${port}`], result)).to.deep.include({
                code: 2,
                stderr: `okta: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`,
            });

            const noToken = withEnvironment({ OKTA_API_TOKEN: undefined });
            try {
                expect(await run(["--config-dir", dir, "--okta-url", `http://127.0.0.1:${port}`], result)).to.deep.equal({
                    code: 2,
                    stdout: "",
                    stderr: 'okta: OKTA_API_TOKEN is not set: the audit reads Okta with an API token of a read-only administrator (docs/audit.md, "Credentials and least privilege")',
                });
            } finally {
                noToken();
            }

            await deployed(result);
            const noKeys = withEnvironment({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
            try {
                expect(
                    await run(["--config-dir", dir, "--out", path.join(scratch, "out-keys"), "--okta-url", okta!.url], result),
                ).to.deep.equal({
                    code: 2,
                    stdout: "",
                    stderr: `aws: no credentials for sts:AssumeRole arn:aws:iam::${retail}:role/okta-aws-audit: the SDK's chain found none (AWS_PROFILE, AWS_ACCESS_KEY_ID, a web identity token, …)`,
                });
            } finally {
                noKeys();
            }
        });

        it("exits 2 on a bad flag, with the usage line", async () => {
            expect(await run(["--okta"])).to.deep.equal({
                code: 2,
                stdout: "",
                stderr: "Unknown option '--okta'\nusage: npm run audit -- [--config-dir DIR] [--out DIR] [--okta-url URL] [--identity-outputs FILE] [--json] [--progress]",
            });
        });

        it("exits 2 without the identity stack's outputs: no --identity-outputs and no Pulumi CLI, or outputs without the Okta ids", async () => {
            const dir = shippedWith("rolesImported: true, id: 0oa1awsapp0acme000a7");
            const noPulumi = withEnvironment({ PATH: fs.mkdtempSync(path.join(scratch, "no-pulumi-")) });
            try {
                expect(await run(["--config-dir", dir, "--okta-url", "http://127.0.0.1:9"])).to.deep.equal({
                    code: 2,
                    stdout: "",
                    stderr: "--identity-outputs: (not set) — the Pulumi CLI is not on PATH: give the identity stack's outputs as a file (pulumi stack output --json --stack identity > FILE)",
                });
            } finally {
                noPulumi();
            }
            const old = path.join(scratch, "old-outputs.json");
            fs.writeFileSync(old, JSON.stringify({ oktaAppId: "0oa1awsapp0acme000a7" }));
            expect(await run(["--config-dir", dir, "--okta-url", "http://127.0.0.1:9", "--identity-outputs", old])).to.deep.equal({
                code: 2,
                stdout: "",
                stderr: `${old}: oktaObjectIds: (not set) — Invalid input: expected object, received undefined: the identity stack's outputs must carry the Okta ids it owns (pulumi up the identity stack with this version first)`,
            });
        });
    });
});
