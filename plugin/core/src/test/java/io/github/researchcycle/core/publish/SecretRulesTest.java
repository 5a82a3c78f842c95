package io.github.researchcycle.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule of the shipped rule file against planted secrets (plain, in a file over 1 MB, in a
 * binary file, base64-wrapped, inside metrics.jsonl and run.json) and against look-alikes that
 * must not be flagged. Every fake secret is assembled here at run time, so this source file does
 * not itself hold one.
 */
class SecretRulesTest {
  static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static final String B62 = LETTERS + "0123456789";
  static final String B64 = B62 + "+/";
  static final String B64URL = B62 + "-_";
  static final String HEX = "0123456789abcdef";
  static final String DIGITS = "0123456789";

  /** A planted secret: the rule expected, the file, its content, the line, and the secret (never printed). */
  record Case(String rule, String path, String content, int line, String secret) {
    @Override
    public String toString() {
      return rule + " in " + path;
    }
  }

  private static long seed = 1;

  /** A deterministic random string over {@code alphabet}. */
  static String rnd(String alphabet, int n) {
    Random r = new Random(seed++);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String pem(String kind, String bodyAlphabet) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      body.append(rnd(bodyAlphabet, 64)).append('\n');
    }
    String label = kind + "PRIVATE " + "KEY" + (kind.equals("PGP ") ? " BLOCK" : "");
    return "-----BEGIN " + label + "-----\n" + body + "-----END " + label + "-----";
  }

  static Case c(String rule, String path, String before, String secret, String after) {
    String content = before + secret + after;
    int line = 1 + (int) before.chars().filter(ch -> ch == '\n').count();
    return new Case(rule, path, content, line, secret);
  }

  /** The planted secrets: at least one for every rule of the rule file. */
  static List<Case> cases() {
    seed = 1;
    List<Case> cases = new ArrayList<>();
    // Files that are secrets by their name.
    String[][] names = {
        {"env-file", "config/.env"}, {"env-file", ".env.production"}, {"pem-file", "certs/server.pem"},
        {"key-file", "tls/server.key"}, {"ssh-private-key-file", "keys/id_ed25519"}, {"ssh-private-key-file", "id_rsa"},
        {"pkcs12-file", "store.p12"}, {"java-keystore-file", "trust.jks"}, {"credentials-json-file", "credentials.json"},
        {"service-account-file", "service-account-prod.json"}, {"netrc-file", ".netrc"}, {"pgpass-file", ".pgpass"},
        {"git-credentials-file", ".git-credentials"}, {"aws-credentials-file", ".aws/credentials"},
        {"kaggle-json-file", "kaggle.json"}};
    for (String[] n : names) {
      cases.add(new Case(n[0], n[1], "x\n", 0, null));
    }
    // Cloud.
    cases.add(c("aws-access-key-id", "deploy/config.py", "region = 'eu-west-1'\naws_access_key_id = '", "AKIA" + rnd(UPPER_DIGITS, 16), "'\n"));
    cases.add(c("aws-access-key-id", "ops/session.sh", "export AWS_ACCESS_KEY_ID=", "ASIA" + rnd(UPPER_DIGITS, 16), "\n"));
    cases.add(c("aws-secret-access-key", "deploy.sh", "export AWS_SECRET_ACCESS_KEY=", rnd(B64, 40), "\n"));
    cases.add(c("aws-credentials", "ops/credentials", "[default]\nregion = eu-west-1\naws_session_token = ", rnd(B64, 64), "\n"));
    String saKey = "-----BEGIN PRIVATE " + "KEY-----\\n" + rnd(B64, 64) + "\\n-----END PRIVATE " + "KEY-----\\n";
    cases.add(new Case("gcp-service-account-key", "keys/project-1234.json", "{\n  \"type\": \"service_account\",\n"
        + "  \"project_id\": \"p\",\n  \"private_key\": \"" + saKey + "\",\n  \"client_email\": \"a@p.iam\"\n}\n", 2,
        saKey.substring(0, 70)));
    cases.add(c("gcp-api-key", "web/maps.js", "// maps\nconst mapsKey = '", "AI" + "za" + rnd(B64URL, 35), "';\n"));
    cases.add(c("azure-storage-account-key", "app/storage.txt", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=",
        rnd(B64, 86) + "==", ";EndpointSuffix=core.windows.net\n"));
    cases.add(c("azure-ad-client-secret", "ops/azure.sh", "AZURE_TENANT=t\nAZURE_CLIENT_SECRET=",
        rnd(B62, 3) + "8Q" + "~" + rnd(B62 + "_~.-", 34), "\n"));
    // Forges.
    cases.add(c("github-classic-pat", "notes.txt", "token ", "gh" + "p_" + rnd(B62, 36), " for the CI\n"));
    cases.add(c("github-fine-grained-pat", "ci/pat.yaml", "pat: ", "github" + "_pat_" + rnd(B62, 22) + "_" + rnd(B62, 59), "\n"));
    cases.add(c("github-oauth-token", "app.txt", "oauth=", "gh" + "o_" + rnd(B62, 36), "\n"));
    cases.add(c("github-app-token", "app.txt", "installation ", "gh" + "s_" + rnd(B62, 36), "\n"));
    cases.add(c("github-app-token", "user.txt", "user ", "gh" + "u_" + rnd(B62, 36), "\n"));
    cases.add(c("github-refresh-token", "refresh.txt", "refresh ", "gh" + "r_" + rnd(B62, 76), "\n"));
    cases.add(c("gitlab-pat", "scripts/push.sh", "git push https://oauth2:", "glp" + "at-" + rnd(B62 + "_-", 20),
        "@gitlab.example.invalid/x.git\n"));
    cases.add(c("gitlab-token", "ci/runner.txt", "runner ", "gl" + "rt-" + rnd(B62 + "_-", 28), "\n"));
    // Package registries.
    cases.add(c("npm-token", "publish.sh", "NODE_AUTH=", "np" + "m_" + rnd(B62, 36), "\n"));
    cases.add(c("npmrc-auth", ".npmrc", "//npm.example.invalid/:_authToken=", rnd(B62, 36), "\n"));
    cases.add(c("pypi-token", "release.sh", "twine upload -p ", "pypi-" + "AgEIcHlwaS5vcmc" + rnd(B64URL, 70), "\n"));
    cases.add(c("pypirc-password", ".pypirc", "[pypi]\nusername = someone\npassword = ", rnd(B62, 14), "\n"));
    // Chat.
    cases.add(c("slack-token", "bot/slack.txt", "bot ", "xo" + "xb-" + rnd(DIGITS, 12) + "-" + rnd(DIGITS, 13) + "-"
        + rnd(B62, 24), "\n"));
    cases.add(c("slack-token", "bot/user.txt", "user ", "xo" + "xp-" + rnd(DIGITS, 12) + "-" + rnd(DIGITS, 12) + "-"
        + rnd(DIGITS, 13) + "-" + rnd(HEX, 32), "\n"));
    cases.add(c("slack-app-token", "bot/app.txt", "app ", "xa" + "pp-1-A" + rnd(UPPER_DIGITS, 10) + "-" + rnd(DIGITS, 13)
        + "-" + rnd(HEX, 64), "\n"));
    cases.add(c("slack-webhook-url", "notify.sh", "curl -X POST https://hooks.slack" + ".com/services/", "T"
        + rnd(UPPER_DIGITS, 8) + "/B" + rnd(UPPER_DIGITS, 10) + "/" + rnd(B62, 24), " -d @msg.json\n"));
    cases.add(c("discord-webhook-url", "notify.py", "URL = 'https://discord" + ".com/api/webhooks/" + rnd(DIGITS, 18) + "/",
        rnd(B64URL, 68), "'\n"));
    cases.add(c("discord-bot-token", "bot/discord.txt", "bot ", "M" + rnd(B64URL, 25) + "." + rnd(B64URL, 6) + "."
        + rnd(B64URL, 38), "\n"));
    // Machine learning.
    cases.add(c("huggingface-token", "hub.sh", "huggingface-cli login --token ", "h" + "f_" + rnd(LETTERS, 34), "\n"));
    cases.add(c("huggingface-token", "hub_org.sh", "ORG=", "api" + "_org_" + rnd(LETTERS, 34), "\n"));
    cases.add(c("openai-api-key", "llm.py", "client = OpenAI(api_key='", "sk" + "-proj-" + rnd(B64URL, 156), "')\n"));
    cases.add(c("openai-api-key", "llm_old.py", "openai.api_key = '", "sk" + "-" + rnd(B62, 20) + "T3Blbk" + "FJ"
        + rnd(B62, 20), "'\n"));
    cases.add(c("anthropic-api-key", "claude.py", "client = Anthropic(api_key='", "sk" + "-ant-api03-" + rnd(B64URL, 93)
        + "AA", "')\n"));
    cases.add(c("wandb-api-key", "env.sh", "export WANDB_API_KEY=", rnd(HEX, 40), "\n"));
    cases.add(c("wandb-api-key", "setup.sh", "pip install wandb\nwandb login ", rnd(HEX, 40), "\n"));
    cases.add(c("kaggle-api-key", "secrets/kaggle-token.json", "{\"username\":\"someone\",\"key\":\"", rnd(HEX, 32), "\"}\n"));
    cases.add(c("kaggle-api-key", "fetch.sh", "export KAGGLE_USERNAME=someone\nexport KAGGLE_KEY=", rnd(HEX, 32), "\n"));
    // Payment.
    cases.add(c("stripe-live-key", "billing.rb", "Stripe.api_key = '", "sk" + "_live_" + rnd(B62, 24), "'\n"));
    cases.add(c("stripe-live-key", "billing.txt", "restricted ", "rk" + "_live_" + rnd(B62, 99), "\n"));
    // Databases.
    cases.add(c("database-url-password", "app/db.txt", "DATABASE_URL=postgres://app:", rnd(B62, 18), "@db.internal:5432/app\n"));
    cases.add(c("database-url-password", "app/orm.py", "engine = create_engine('postgresql+psycopg2://app:", rnd(B62, 12),
        "@localhost/app')\n"));
    cases.add(c("database-url-password", "app/my.sh", "mysql://root:", "hunter2" + rnd(B62, 4), "@127.0.0.1:3306/x\n"));
    cases.add(c("database-url-password", "app/mongo.js", "const uri = 'mongodb+srv://admin:", rnd(B62, 16),
        "@cluster0.example.invalid/test';\n"));
    cases.add(c("database-url-password", "app/cache.txt", "REDIS=redis://:", rnd(B62, 20), "@cache:6379/0\n"));
    // Private keys.
    for (String kind : List.of("", "RSA ", "EC ", "OPENSSH ", "ENCRYPTED ", "DSA ", "PGP ")) {
      String key = pem(kind, B64);
      cases.add(new Case("private-key", "notes/" + kind.trim().toLowerCase(Locale.ROOT) + "key.txt",
          "# a key\n" + key + "\n", 2, key.substring(key.indexOf('\n') + 1, key.indexOf('\n') + 41)));
    }
    // Logins.
    cases.add(c("netrc-credentials", "setup-netrc.sh", "cat > ~/.netrc <<EOF\nmachine api.wandb.ai\n  login user\n  password ",
        rnd(HEX, 40), "\nEOF\n"));
    cases.set(cases.size() - 1, withLine(cases.get(cases.size() - 1), 2));
    String dockerAuth = b64("someone:" + rnd(B62, 16));
    cases.add(new Case("docker-config-auth", "ci/docker/config.json", "{\n  \"auths\": {\n    \"registry.example.invalid\": {\n"
        + "      \"auth\": \"" + dockerAuth + "\"\n    }\n  }\n}\n", 2, dockerAuth));
    // Config assignments.
    cases.add(c("password-assignment", "config/app.yaml", "database:\n  host: db\n  password: ", "correct-horse-" + rnd(B62, 4), "\n"));
    cases.add(c("password-assignment", "config/oauth.json", "{\n  \"client_secret\": \"", "horse" + rnd(B62, 6), "\"\n}\n"));
    cases.add(c("password-assignment", "src/main/resources/app.properties", "app.name=x\napp.api.token=", "battery"
        + rnd(B62, 5), "\n"));
    cases.add(c("password-assignment", "deploy/app.env", "DB_USER=app\nDB_PASSWORD=", "staple" + rnd(B62, 3), "\n"));
    // High entropy.
    cases.add(c("generic-high-entropy", "run.sh", "export SERVICE_AUTH=", rnd(B62, 32), "\n"));
    cases.add(c("generic-high-entropy", "client.py", "headers = {\"x-api-key\": \"", rnd(B64, 40), "\"}\n"));
    return cases;
  }

  private static Case withLine(Case k, int line) {
    return new Case(k.rule(), k.path(), k.content(), line, k.secret());
  }

  private static List<SecretFinding> scan(String path, byte[] content) throws IOException {
    return new SecretScanner(SecretRules.standard()).scan(path, new ByteArrayInputStream(content));
  }

  private static List<SecretFinding> scan(String path, String content) throws IOException {
    return scan(path, content.getBytes(StandardCharsets.UTF_8));
  }

  private static String rules(List<SecretFinding> found) {
    return found.stream().map(f -> f.ruleId() + "@" + f.line()).collect(Collectors.joining(", "));
  }

  private static void assertFound(Case k, List<SecretFinding> found, int line, boolean base64) {
    assertFound(k, found, line, base64, true);
  }

  /** In JSON the key's line breaks are the two characters {@code \n}: the secret starts one character sooner. */
  private static void assertFound(Case k, List<SecretFinding> found, int line, boolean base64, boolean sameSecret) {
    assertTrue(found.stream().anyMatch(f -> f.ruleId().equals(k.rule()) && f.line() == line && f.base64() == base64),
        k + ": expected " + k.rule() + "@" + line + (base64 ? " (base64)" : "") + ", found " + rules(found));
    if (k.secret() != null) {
      assertTrue(found.stream().noneMatch(f -> f.toString().contains(k.secret())), "the secret is masked: " + found);
      assertTrue(!sameSecret || found.stream().anyMatch(f -> f.fingerprint().equals(SecretFinding.fingerprint(k.secret()))),
          k + ": the fingerprint is the secret's: " + found);
    }
  }

  /** Filler text for large files: no keyword of any rule, many lines. */
  static String filler(int bytes) {
    String line = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor 0123456789\n";
    return line.repeat(bytes / line.length() + 1);
  }

  static String jsonString(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @TestFactory
  Stream<DynamicTest> plantedSecrets() {
    List<DynamicTest> tests = new ArrayList<>();
    String big = filler(1_100_000);
    int bigLines = (int) big.chars().filter(ch -> ch == '\n').count();
    for (Case k : cases()) {
      tests.add(dynamicTest("plain: " + k, () -> {
        List<SecretFinding> found = scan(k.path(), k.content());
        List<String> expected = new ArrayList<>(List.of(k.rule()));
        if (k.path().endsWith("kaggle.json") && k.line() > 0) {
          expected.add(0, "kaggle-json-file");
        }
        assertEquals(expected, found.stream().map(SecretFinding::ruleId).toList(), k + ": " + rules(found));
        if (k.line() == 0) {
          assertEquals(k.path() + " (" + SecretRules.standard().rule(k.rule()).description() + "; rule " + k.rule()
              + "; fingerprint " + SecretFinding.fingerprint(k.path()) + ")", found.get(0).toString());
        } else {
          assertFound(k, found, k.line(), false);
        }
      }));
      if (k.line() == 0) {
        continue;
      }
      tests.add(dynamicTest("in a file over 1 MB: " + k, () -> {
        List<SecretFinding> found = scan(k.path(), big + k.content() + big);
        assertFound(k, found, bigLines + k.line(), false);
      }));
      tests.add(dynamicTest("in a binary file: " + k, () -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] noise = new byte[3000];
        new Random(7).nextBytes(noise);
        out.write(noise);
        out.write(new byte[] {0, 0, 0, 1, 2, (byte) 0xff, 0});
        out.write(k.content().getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {0, 0, (byte) 0x89, 'P', 'N', 'G', 0});
        out.write(noise);
        long newlines = 0;
        for (int i = 0; i < noise.length; i++) {
          newlines += noise[i] == '\n' ? 1 : 0;
        }
        List<SecretFinding> found = scan(k.path(), out.toByteArray());
        assertFound(k, found, (int) newlines + k.line(), false);
      }));
      tests.add(dynamicTest("base64-wrapped: " + k, () -> {
        List<SecretFinding> found = scan(k.path(), "first line\nblob: " + b64(k.content()) + "\n");
        assertFound(k, found, 2, true);
      }));
      boolean restricted = SecretRules.standard().rule(k.rule()).path() != null;
      boolean oneLine = !k.content().strip().contains("\n") && !k.content().contains("\"");
      if (!restricted && (oneLine || k.rule().equals("private-key"))) {
        String value = jsonString(k.content().strip());
        tests.add(dynamicTest("inside metrics.jsonl: " + k, () -> {
          List<SecretFinding> found = scan("runs/20261127-025120-123-k3f9x2ab/metrics.jsonl",
              "{\"step\":1,\"epoch\":0,\"name\":\"loss\",\"value\":0.69,\"time\":1.5}\n"
                  + "{\"step\":2,\"epoch\":0,\"name\":\"note\",\"value\":\"" + value + "\",\"time\":2.5}\n");
          assertFound(k, found, 2, false, !k.rule().equals("private-key"));
        }));
        tests.add(dynamicTest("inside run.json: " + k, () -> {
          List<SecretFinding> found = scan("runs/20261127-025120-123-k3f9x2ab/run.json",
              "{\n  \"id\": \"20261127-025120-123-k3f9x2ab\",\n  \"config\": {\n    \"notes\": \"" + value + "\"\n  }\n}\n");
          assertFound(k, found, 4, false, !k.rule().equals("private-key"));
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void everyRuleHasAPlantedCase() {
    Set<String> planted = cases().stream().map(Case::rule).collect(Collectors.toCollection(TreeSet::new));
    Set<String> all = SecretRules.standard().rules().stream().map(SecretRules.Rule::id)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(all, planted);
    assertTrue(cases().size() >= 60, "at least 60 planted secrets: " + cases().size());
  }

  @Test
  void lookAlikesAreNotSecrets() throws IOException {
    String hex64 = rnd(HEX, 64);
    String commit = rnd(HEX, 40);
    String uuid = rnd(HEX, 8) + "-" + rnd(HEX, 4) + "-4" + rnd(HEX, 3) + "-a" + rnd(HEX, 3) + "-" + rnd(HEX, 12);
    String prose = "The quick brown fox jumps over the lazy dog; the password of the day is in the vault.";
    String[][] clean = {
        {"runs/20261127-025120-123-k3f9x2ab/run.json", "{\n  \"id\": \"20261127-025120-123-k3f9x2ab\",\n"
            + "  \"experiment\": \"baseline\",\n  \"configHash\": \"sha256:" + hex64 + "\",\n"
            + "  \"git\": {\"commit\": \"" + commit + "\", \"clean\": true},\n  \"seed\": 1,\n"
            + "  \"requestId\": \"" + uuid + "\",\n  \"apiRequestId\": \"" + uuid + "\",\n"
            + "  \"data\": {\"mnist\": \"sha256:" + hex64 + "\"},\n"
            + "  \"environment\": {\"classpath\": \"/work/m2/com/fasterxml/jackson/core/jackson-annotations/2.22/"
            + "jackson-annotations-2.22.jar:/work/m2/com/googlecode/javaewah/JavaEWAH/1.2.3/JavaEWAH-1.2.3.jar\"},\n"
            + "  \"launcher\": {\"jobId\": \"" + uuid + "\", \"key\": \"runs/20261127-025120-123-k3f9x2ab\"}\n}\n"},
        {"runs/20261127-025120-123-k3f9x2ab/metrics.jsonl", "{\"step\":1,\"epoch\":0,\"name\":\"loss\",\"value\":0.6931471805599453}\n"
            .repeat(2000) + "{\"step\":2,\"name\":\"tokens_per_second\",\"value\":12345.678901234567}\n"},
        {"notes/encoded.txt", "description_b64: " + b64(prose + " " + prose) + "\n"},
        {"config/encoded.json", "{\"text\": \"" + b64(prose) + "\"}\n"},
        {"CHANGES.md", "Fixed in " + commit + " (config sha256:" + hex64 + ", run " + uuid + ").\n"},
        {"README.md", "AWS access key ids start with AKIA; GitHub tokens start with ghp_ and Slack bot tokens with "
            + "xoxb-your-token-here. Hugging Face tokens start with hf_; OpenAI keys with sk-; use scikit-learn.\n"},
        {".env.example", "API_KEY=\nPASSWORD=changeme\nTOKEN=${TOKEN}\nSECRET=<your-secret>\nDB_PASSWORD=$DB_PASSWORD\n"},
        {"experiments/nlp.yaml", "tokenizer: bert-base-uncased\nmax_tokens: 512\napi_version: 2024-01-01-preview\n"
            + "password_min_length: 12\nkey: runs/20261127-025120-123-k3f9x2ab\nsecretName: my-secret\n"
            + "imagePullSecret: regcred-docker\nmodel_key: meta-llama/llama-2-7b-hf\n"},
        {"docs/aws.md", "aws_access_key_id = AKIAIOSFODNN7" + "EXAMPLE\n"},
        {"src/Train.java", "static final String API_DIGEST = \"sha256:" + hex64 + "\";\n"
            + "String apiClass = \"io.github.researchcycle.core.publish.SecretScan\";\n"},
        {"app/db.yaml", "url: postgres://localhost:5432/app\nother: postgres://app@db/app\n"
            + "env: postgres://app:${DB_PASSWORD}@db/app\ndoc: mysql://user:password@host/db\n"},
        {"hub.py", "from huggingface_hub import hf_hub_download\n"},
    };
    for (String[] f : clean) {
      List<SecretFinding> found = scan(f[0], f[1]);
      assertEquals(List.of(), found, f[0]);
    }
    byte[] random = new byte[200_000];
    new Random(3).nextBytes(random);
    assertEquals(List.of(), scan("figures/loss.png", random));
  }

  @Test
  void aSecretAcrossTheBoundaryOfTwoChunksIsFoundOnce() throws IOException {
    String token = "gh" + "p_" + rnd(B62, 36);
    for (int shift : new int[] {-20, -5, 0, 5, -SecretScanner.OVERLAP, -SecretScanner.OVERLAP - 10,
        -SecretScanner.OVERLAP + SecretScanner.CONTEXT}) {
      int before = SecretScanner.CHUNK + shift;
      String text = "a".repeat(before - 1) + "\n" + token + "\n" + filler(100_000);
      List<SecretFinding> found = scan("big.txt", text);
      assertEquals(List.of("github-classic-pat@2"), found.stream().map(f -> f.ruleId() + "@" + f.line()).toList(),
          "shift " + shift);
    }
  }

  @Test
  void aLongMatchFarFromItsKeywordIsFound() throws IOException {
    String json = "{\n  \"type\": \"service_account\",\n  \"notes\": \"" + "n".repeat(3900) + "\",\n"
        + "  \"private_key\": \"-----BEGIN PRIVATE " + "KEY-----\\n" + rnd(B64, 64) + "\"\n}\n";
    List<SecretFinding> found = scan("keys/p.json", filler(200_000) + json);
    assertEquals(List.of("gcp-service-account-key"), found.stream().map(SecretFinding::ruleId).toList());
    assertTrue(json.length() < SecretScanner.RADIUS, "the window is longer than this match");
  }

  @Test
  void base64InsideBase64IsFollowed() throws IOException {
    String k8sSecret = "apiVersion: v1\nkind: Secret\ndata:\n  .dockerconfigjson: "
        + b64("{\"auths\":{\"registry.example.invalid\":{\"auth\":\"" + b64("someone:" + rnd(B62, 12)) + "\"}}}") + "\n";
    List<SecretFinding> found = scan("deploy/secret.txt", k8sSecret);
    assertEquals(List.of("docker-config-auth@4"), found.stream().map(f -> f.ruleId() + "@" + f.line()).toList());
    assertTrue(found.get(0).base64());
    assertTrue(found.get(0).toString().contains("base64-encoded"), found.toString());
  }

  @Test
  void theEntropyThresholdIsTunable() throws IOException {
    String line = "export SERVICE_AUTH=" + "abcdefgh".repeat(3) + "ABCD\n";
    double h = SecretScanner.entropy("abcdefgh".repeat(3) + "ABCD");
    assertTrue(h > 3.0 && h < 3.5, "entropy " + h);
    SecretScanner standard = new SecretScanner(SecretRules.standard());
    SecretScanner lower = new SecretScanner(SecretRules.standard().withEntropy(3.0));
    assertEquals(List.of(), standard.scan("run.sh", new ByteArrayInputStream(line.getBytes(StandardCharsets.US_ASCII))));
    assertEquals(List.of("generic-high-entropy"), lower.scan("run.sh",
        new ByteArrayInputStream(line.getBytes(StandardCharsets.US_ASCII))).stream().map(SecretFinding::ruleId).toList());
  }

  @Test
  void theRuleFileIsGitleaksFormatAndChecked() {
    SecretRules rules = SecretRules.standard();
    assertTrue(rules.rules().size() >= 45, "rules: " + rules.rules().size());
    assertEquals(3.5, rules.rule("generic-high-entropy").entropy());
    assertEquals(List.of("example"), rules.rule("aws-access-key-id").allowlists().get(0).stopwords());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> SecretRules.parse("[[rules]]\nid = \"x\"\nregex = '''([a-z'''\n", "mine.toml"));
    assertTrue(bad.getMessage().startsWith("mine.toml rule x: the regular expression does not compile"),
        bad.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> SecretRules.parse("[[rules]]\nid = \"x\"\npath = 'a'\n[[rules]]\nid = \"x\"\npath = 'b'\n", "mine.toml"));
    assertEquals("mine.toml: rule x is defined twice", twice.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> SecretRules.parse("[[rules]]\nid = \"x\"\npath = 'a'\nregexx = 'b'\n", "mine.toml"));
    assertTrue(unknown.getMessage().contains("regexx"), unknown.getMessage());
    IllegalArgumentException neither = assertThrows(IllegalArgumentException.class,
        () -> SecretRules.parse("[[rules]]\nid = \"x\"\n", "mine.toml"));
    assertEquals("mine.toml: rule x has neither regex nor path", neither.getMessage());
  }

  @Test
  void maskingShowsAFewCharactersAtMost() {
    assertEquals("ghp_…[40 chars]", SecretFinding.mask("ghp_" + "a".repeat(36)));
    assertEquals("hu…[10 chars]", SecretFinding.mask("hunter2abc"));
    assertEquals("…[5 chars]", SecretFinding.mask("abcde"));
    assertFalse(SecretFinding.fingerprint("x").contains("x"));
    assertTrue(SecretFinding.fingerprint("x").matches("sha256:[0-9a-f]{16}"));
  }
}
