import { expect } from "chai";
import { jsonSyntaxError } from "../components/config/jsonSyntax";

describe("a policy file's JSON syntax error (components/config/jsonSyntax.ts)", () => {
    it("names what was expected and where, in the same words on every Node version", () => {
        const cases: [string, string][] = [
            ["", "ends early at line 1 column 1"],
            ["{", "ends early at line 1 column 2"],
            ["{ Version: 2012-10-17 }", "expected a property name in double quotes at line 1 column 3"],
            [
                '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", }\n]}',
                "expected a property name in double quotes at line 3 column 39",
            ],
            ['{"a" 1}', "expected ':' at line 1 column 6"],
            ['{"a": 1 "b": 2}', "expected ',' or '}' at line 1 column 9"],
            ["[1,]", "expected a value at line 1 column 4"],
            ["[1 2]", "expected ',' or ']' at line 1 column 4"],
            ['{"a": tru}', "expected a value at line 1 column 7"],
            ['{"a": 01}', "expected ',' or '}' at line 1 column 8"],
            ['{"a": "x', "ends inside a string at line 1 column 9"],
            ['{"a": "\u0001"}', "a control character must be escaped in a string at line 1 column 8"],
            ['{"a": "\\x"}', "a bad escape in a string at line 1 column 8"],
            ['{"a": "\\u12g4"}', "a bad escape in a string at line 1 column 8"],
            ["{}x", "unexpected text after the document at line 1 column 3"],
            ["\ufeff{}", "expected a value at line 1 column 1"],
        ];
        expect(cases.map(([text]) => [text, jsonSyntaxError(text)])).to.deep.equal(cases);
    });

    it("finds nothing in JSON, however deeply nested", () => {
        const valid = [
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*"],"Resource":"*"}]}',
            ' \t\r\n[ -0.5e+3 , 1E2, 0, true, false, null, "\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9", {}, [], {"": {}} ] ',
            "[".repeat(100000) + "]".repeat(100000),
            '"just a string"',
        ];
        expect(valid.filter((text) => jsonSyntaxError(text) !== undefined)).to.deep.equal([]);
    });

    it("agrees with JSON.parse on every one-character change of a policy document", () => {
        const document = JSON.stringify(
            {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "A\u00e9",
                        Effect: "Allow",
                        Action: ["ec2:Describe*"],
                        Resource: "*",
                        Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": 3600.5 } },
                    },
                ],
            },
            null,
            2,
        );
        const replacements = ['"', "{", "}", "[", "]", ",", ":", " ", "\\", "0", "-", "e", ".", "t", "\n", "\u0001", "x"];
        const disagreements: string[] = [];
        for (let index = 0; index <= document.length; index++) {
            const variants = [
                document.slice(0, index) + document.slice(index + 1),
                ...replacements.flatMap((char) => [
                    document.slice(0, index) + char + document.slice(index + 1),
                    document.slice(0, index) + char + document.slice(index),
                ]),
            ];
            for (const text of variants) {
                let parses = true;
                try {
                    JSON.parse(text);
                } catch {
                    parses = false;
                }
                if (parses !== (jsonSyntaxError(text) === undefined)) {
                    disagreements.push(text);
                }
            }
        }
        expect(disagreements).to.deep.equal([]);
    });
});
