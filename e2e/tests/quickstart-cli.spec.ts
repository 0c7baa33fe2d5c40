// The quickstart as a user does it: an empty account, configured with the `approov` CLI
// alone (the seed's commands), the placeholders replaced in a copy of the pages with the
// seed's sed commands, then a shape in Chromium.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { TURNSTILE_TEST_KEYS, TURNSTILE_TEST_SECRETS } from "@shapes/protocol";
import { type ServiceProcess, startServiceProcess } from "../support/service-process.js";
import { HCAPTCHA_PUBLISHER_KEY, repoRoot, urls } from "../support/stack.js";

const HCAPTCHA_TEST_SECRET = "0x0000000000000000000000000000000000000000";
const ports = { web: 18020, attest: 18021, shapes: 18022 };
const web = `http://localhost:${ports.web}`;

let dataDir: string;
const started: ServiceProcess[] = [];

/** Runs the real `approov` binary against this test's attest. */
function approov(...args: string[]): string {
  return execFileSync(process.execPath, [join(repoRoot, "packages/cli/bin/approov.js"), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      APPROOV_ATTEST_URL: `http://127.0.0.1:${ports.attest}`,
      ATTEST_DATA_DIR: dataDir,
    },
    encoding: "utf8",
  });
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "shapes-quickstart-"));
  execFileSync(process.execPath, ["apps/attest/dist/init.js", "--empty"], {
    cwd: repoRoot,
    env: { ...process.env, ATTEST_DATA_DIR: dataDir },
    stdio: "ignore",
  });
  started.push(
    await startServiceProcess("apps/attest/dist/main.js", {
      ATTEST_PORT: String(ports.attest),
      ATTEST_DATA_DIR: dataDir,
      WEB_ORIGIN: web,
      HCAPTCHA_SITEVERIFY_URL: `${urls.sandbox}/siteverify`,
      TURNSTILE_SITEVERIFY_URL: `${urls.sandbox}/turnstile/v0/siteverify`,
    }),
  );
});

test.afterAll(async () => {
  for (const service of started.reverse()) await service.stop();
});

test("the quickstart from an empty account with the approov CLI, then a shape; Turnstile the same way", async ({
  page,
}) => {
  // An empty account: nothing registered yet.
  expect(approov("api", "-list")).toMatch(/no APIs/i);

  // "approov api -add shapes.approov.io -allowWeb" (our API is served as localhost)
  expect(approov("api", "-add", "localhost", "-allowWeb", "-yes")).toContain(
    "added API domain localhost with type:account, alg:HS256",
  );
  // "approov web -hCaptcha -add aaaaa12345 -secret bbbbb12345" with hCaptcha's test keys
  expect(
    approov(
      "web",
      "-hCaptcha",
      "-add",
      HCAPTCHA_PUBLISHER_KEY,
      "-secret",
      HCAPTCHA_TEST_SECRET,
      "-yes",
    ),
  ).toContain(`hcaptcha site ${HCAPTCHA_PUBLISHER_KEY} added`);

  // "The Approov site key is the first Site Key in the output" of `approov web -list`.
  const listing = approov("web", "-list");
  expect(listing).not.toContain(HCAPTCHA_TEST_SECRET);
  const approovSiteKey = /^Site Key: (\S+)$/m.exec(listing)?.[1] as string;
  expect(approovSiteKey).toMatch(/^[0-9a-f-]{36}$/);
  expect(listing).toContain(`hCaptcha:\n  Optional: true\n  Site Key: ${HCAPTCHA_PUBLISHER_KEY}`);

  // The seed's sed commands, on a copy of the built pages.
  const site = mkdtempSync(join(tmpdir(), "shapes-quickstart-site-"));
  cpSync(join(repoRoot, "apps/web/dist"), site, { recursive: true });
  const page1 = join(site, "approov-hcaptcha-protected/index.html");
  const app1 = join(site, "approov-hcaptcha-protected/assets/js/app.js");
  execFileSync("sed", ["-i", `s|___HCAPTCHA_SITE_KEY___|${HCAPTCHA_PUBLISHER_KEY}|`, page1]);
  execFileSync("sed", ["-i", `s|___HCAPTCHA_SITE_KEY___|${HCAPTCHA_PUBLISHER_KEY}|`, app1]);
  execFileSync("sed", ["-i", `s|___APPROOV_SITE_KEY___|${approovSiteKey}|`, app1]);
  expect(readFileSync(app1, "utf8")).not.toContain("___");

  // The API with this account's secret, and the web server on the edited copy. It gets no
  // site keys: the page works only because the sed commands put them there.
  const account = JSON.parse(readFileSync(join(dataDir, "account.json"), "utf8"));
  started.push(
    await startServiceProcess("apps/shapes-api/dist/main.js", {
      SHAPES_PORT: String(ports.shapes),
      APPROOV_SECRET: account.secret,
      WEB_ORIGIN: web,
    }),
    await startServiceProcess("apps/web/dist-server/main.js", {
      WEB_PORT: String(ports.web),
      WEB_DIST_DIR: site,
      API_DOMAIN: "localhost",
      ATTEST_URL: `http://localhost:${ports.attest}`,
      SHAPES_API_URL: `http://localhost:${ports.shapes}`,
      HCAPTCHA_SITE_KEY: "",
      APPROOV_SITE_KEY: "",
      HCAPTCHA_JS_URL: `${urls.sandbox}/1/api.js`,
      TURNSTILE_SITE_KEY: "",
      TURNSTILE_JS_URL: `${urls.sandbox}/turnstile/v0/api.js`,
    }),
  );

  await page.goto(`${web}/approov-hcaptcha-protected/`);
  const shapes = page.waitForResponse((r) => r.url().endsWith("/v2/shapes"));
  await page.locator("#shape-button").click();
  expect((await shapes).status()).toBe(200);
  await expect(page.locator("#shape")).toBeVisible();

  // The token the page sent checks out with the CLI, as the quickstart's troubleshooting does.
  const token = (await (await shapes).request().headerValue("approov-token")) as string;
  const claims = JSON.parse(approov("token", "-check", token));
  expect(claims.embed[`hcap:${HCAPTCHA_PUBLISHER_KEY}`]).toHaveProperty("hostname");

  // Turnstile the same way: the CLI alone adds Cloudflare's always-passing testing sitekey,
  // `web -list` shows its section, the seed's sed fills the Turnstile page's placeholders.
  const turnstileKey = TURNSTILE_TEST_KEYS.alwaysPasses;
  expect(
    approov(
      "web",
      "-turnstile",
      "-add",
      turnstileKey,
      "-secret",
      TURNSTILE_TEST_SECRETS.alwaysPasses,
      "-yes",
    ),
  ).toContain(`turnstile site ${turnstileKey} added`);
  const withTurnstile = approov("web", "-list");
  expect(withTurnstile).not.toContain(TURNSTILE_TEST_SECRETS.alwaysPasses);
  expect(withTurnstile).toContain(`Turnstile:\n  Optional: true\n  Site Key: ${turnstileKey}`);
  const page2 = join(site, "approov-turnstile-protected/index.html");
  const app2 = join(site, "approov-turnstile-protected/assets/js/app.js");
  execFileSync("sed", ["-i", `s|___TURNSTILE_SITE_KEY___|${turnstileKey}|`, page2]);
  execFileSync("sed", ["-i", `s|___TURNSTILE_SITE_KEY___|${turnstileKey}|`, app2]);
  execFileSync("sed", ["-i", `s|___APPROOV_SITE_KEY___|${approovSiteKey}|`, app2]);
  await page.goto(`${web}/approov-turnstile-protected/`);
  const turnstileShapes = page.waitForResponse((r) => r.url().endsWith("/v2/shapes"));
  await page.locator("#shape-button").click();
  expect((await turnstileShapes).status()).toBe(200);
  await expect(page.locator("#shape")).toBeVisible();
  const turnstileToken = (await (
    await turnstileShapes
  )
    .request()
    .headerValue("approov-token")) as string;
  const turnstileClaims = JSON.parse(approov("token", "-check", turnstileToken));
  expect(turnstileClaims.embed[`turn:${turnstileKey}`]).toHaveProperty("hostname");
});
