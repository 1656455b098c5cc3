// Okta → AWS SAML federation: this repository's example organisation runs the program a team's
// configuration repository runs from the okta-aws package (components/program.ts).
import { program } from "./components/program";

export = program();
